"""Writes for managers: add a firm or a contact by hand (with consent recorded), and declare
pairs of firms that must never share a group (competitors, customer and supplier)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from locus.peers.errors import DuplicateRegistrationError, PeersFieldError
from locus.peers.models import Cohort, Contact, DeclaredPair, Firm, Programme
from locus.peers.models.firms import PairKind
from locus.peers.services import CONSENT_WORDING, RegistrationData, firm_register


def firm_add(*, programme: Programme, data: RegistrationData, cohort: Cohort | None = None,
             now=None) -> Firm:
    """A manager registers a firm on its behalf (the contact agreed to be contacted). Same
    checks as the public form: geocoding, duplicates, eligibility; no sign-in account."""
    if cohort is not None and cohort.programme_id != programme.pk:
        raise PeersFieldError("Choose a cohort of this programme", field="cohort")
    data.password = ""
    try:
        return firm_register(programme=programme, data=data, user=None, now=now, cohort=cohort)
    except DuplicateRegistrationError as exc:
        existing = Firm.objects.get(pk=exc.firm_id)
        raise DuplicateRegistrationError(
            f"{existing.name} ({existing.postcode}) is already registered for this programme: "
            "open its record to add a contact instead", field=exc.field,
            firm_id=exc.firm_id) from None


@dataclass(kw_only=True)
class ContactData:
    name: str
    email: str = ""
    phone: str = ""
    job_title: str = ""
    consent_research: bool = False


def contact_add(*, firm: Firm, data: ContactData, now=None) -> Contact:
    """Add another person at a firm; the manager confirms they agreed to be contacted."""
    now = now or timezone.now()
    name = data.name.strip()
    if not name:
        raise PeersFieldError("Enter the contact's full name", field="name")
    email = data.email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise PeersFieldError("Enter an email address in the correct format, like "
                                  "name@example.com", field="email") from None
        if firm.contacts.filter(email__iexact=email, erased_at__isnull=True).exists():
            raise PeersFieldError(f"{email} is already a contact at {firm.name}", field="email")
    return Contact.objects.create(
        firm=firm, name=name, email=email, phone=data.phone.strip(),
        job_title=data.job_title.strip(), is_primary=not firm.contacts.exists(),
        consent_programme_at=now, consent_research=data.consent_research,
        consent_research_at=now if data.consent_research else None,
        consent_wording=CONSENT_WORDING)


@transaction.atomic
def pair_declare(*, firm: Firm, other: Firm, kind: str, note: str = "",
                 user=None) -> tuple[DeclaredPair, list[str]]:
    """Declare that two firms must never share a group; returns warnings for the manager
    (for example, that they share a group today)."""
    if kind not in PairKind.values:
        raise PeersFieldError("Choose why these firms must not meet together", field="kind")
    if other.programme_id != firm.programme_id:
        raise PeersFieldError("Choose a firm of the same programme", field="other")
    if other.pk == firm.pk:
        raise PeersFieldError("Choose a different firm", field="other")
    a, b = sorted((firm, other), key=lambda f: f.pk)
    if DeclaredPair.objects.filter(firm_a=a, firm_b=b).exists():
        raise PeersFieldError(f"{firm.name} and {other.name} are already kept apart",
                              field="other")
    pair = DeclaredPair.objects.create(programme=firm.programme, firm_a=a, firm_b=b, kind=kind,
                                       note=note.strip()[:300],
                                       created_by=user if user and user.pk else None)
    firm.avoid.add(other)
    warnings = []
    if firm.group_id and firm.group_id == other.group_id:
        warnings.append(f"{firm.name} and {other.name} are both in group {firm.group.label} "
                        "today: move one of them, or form the groups again")
    return pair, warnings


@transaction.atomic
def pair_remove(*, pair: DeclaredPair) -> None:
    pair.firm_a.avoid.remove(pair.firm_b)
    pair.delete()

