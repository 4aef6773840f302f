"""A contact's personal data: export it, or erase it (the firm's business record stays)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from locus.peers.models import Contact


def _when(value) -> str | None:
    return value.isoformat() if value else None


def contact_export(*, contact: Contact) -> dict:
    """Everything held about a contact and their firm's participation, as plain JSON. For a DEMO
    programme it starts with ``is_demo`` and ``demo_caution`` (the data are made up)."""
    firm = contact.firm
    programme = firm.programme
    demo = {"is_demo": True, "demo_caution": programme.demo_caution} if programme.is_demo else {}
    return {
        **demo,
        "about": "Personal data held by Locus peer networks, exported at the person's request.",
        "exported_at": timezone.now().isoformat(),
        "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone,
                    "job_title": contact.job_title,
                    "account": contact.user.username if contact.user else None},
        "consent": {"programme_at": _when(contact.consent_programme_at),
                    "research": contact.consent_research,
                    "research_at": _when(contact.consent_research_at),
                    "wording_version": contact.consent_wording},
        "firm": {"name": firm.name, "company_number": firm.company_number, "sic": firm.sic,
                 "employees": firm.employees,
                 "turnover": str(firm.turnover) if firm.turnover is not None else None,
                 "trading_since": firm.trading_since, "postcode": firm.postcode,
                 "programme": firm.programme.name,
                 "group": firm.group.label if firm.group else None,
                 "registered_at": _when(firm.registered_at)},
        "attendance": [{"meeting": a.meeting.number, "date": _when(a.meeting.starts_at),
                        "status": a.status} for a in firm.attendance.select_related("meeting")],
        "diagnostics": [{"wave": d.wave, "first_submitted_at": _when(d.first_submitted_at),
                         "submitted_at": _when(d.submitted_at),
                         "answers": d.answers, "management_score": d.management_score,
                         "digital_index": d.digital_index} for d in firm.diagnostics.all()],
        "feedback": [{"meeting": f.meeting.number, "rating": f.rating, "comment": f.comment}
                     for f in firm.feedback.select_related("meeting")],
        "actions": [{"description": a.description, "status": a.status,
                     "committed_on": _when(a.committed_on)} for a in firm.actions.all()],
    }


@transaction.atomic
def contact_erase(*, contact: Contact) -> Contact:
    """Remove the person's name, email, phone, job title and sign-in account; keep a record
    that consent was withdrawn. Feedback comments (free text) are cleared too."""
    user = contact.user
    contact.name = "Erased contact"
    contact.email = ""
    contact.phone = ""
    contact.job_title = ""
    contact.consent_research = False
    contact.user = None
    contact.erased_at = timezone.now()
    contact.save()
    contact.firm.feedback.update(comment="")
    if user is not None:
        user.delete()
    return contact
