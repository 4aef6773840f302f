"""Public pages: the landing page, and registration for a programme."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from locus.accounts.roles import Role
from locus.accounts.throttle import attempt_allowed, client_address
from locus.peers import permissions as perms
from locus.peers.errors import DuplicateRegistrationError, PeersFieldError
from locus.peers.forms import RegistrationForm, form_errors
from locus.peers.models import Firm, Programme
from locus.peers.services import RegistrationData, firm_register, registration_problems
from locus.peers.views.common import field_error, page

_SALT = "peers-registration"


def landing(request: HttpRequest) -> HttpResponse:
    user = request.user
    open_programmes = (Programme.objects.filter(registration_open=True)
                       .prefetch_related("places", "themes").order_by("name"))
    context = {"open_programmes": open_programmes,
               "managed": perms.programmes_managed(user=user).order_by("name"),
               "can_create": perms.is_admin(user) or perms.is_manager(user),
               "facilitates": perms.groups_facilitated(user=user).exists(),
               "own_firm": perms.user_firm(user=user)}
    return page(request, "peers/landing.html", context)


def _data(form: RegistrationForm) -> RegistrationData:
    d = form.cleaned_data
    return RegistrationData(
        business_name=d["business_name"], company_number=d["company_number"], sic=d["sic"],
        employees=d["employees"], turnover=d["turnover"], trading_since=d["trading_since"],
        postcode=d["postcode"], meeting_mode=d["meeting_mode"],
        theme_ids=[int(t) for t in d["themes"]], contact_name=d["contact_name"],
        email=d["email"], phone=d["phone"], job_title=d["job_title"],
        consent_research=d["consent_research"], password=d["password"])


# Registration attempts allowed per hour (ADR 20, second addendum): from one client address (a
# launch event's shared network may register dozens of firms) and with one email address (one
# person's businesses, and mistakes to correct). Counted in the database for every worker; only
# attempts whose form is complete count, and a refused one is not counted.
REGISTRATIONS_PER_CLIENT = 50
REGISTRATIONS_PER_EMAIL = 10
REGISTRATION_WINDOW = timedelta(hours=1)


def _registration_throttled(request: HttpRequest, form: RegistrationForm) -> bool:
    """Count this attempt; past a limit, put a GOV.UK error on the form and return True. The
    answer is the same whether or not the email address has an account."""
    for scope, value, limit, field, words in (
            ("register-client", client_address(request), REGISTRATIONS_PER_CLIENT, None,
             "from your network"),
            ("register-email", form.cleaned_data["email"], REGISTRATIONS_PER_EMAIL, "email",
             "with this email address")):
        until = attempt_allowed(scope=scope, value=value, limit=limit,
                                window=REGISTRATION_WINDOW)
        if until is not None:
            when = timezone.localtime(until).strftime("%H:%M")
            form.add_error(field, f"Too many registrations have been sent {words} in the last "
                                  f"hour. Wait until {when}, then try again")
            return True
    return False


def register(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.prefetch_related("places", "themes"),
                                  slug=slug)
    if not programme.registration_open:
        return page(request, "peers/register_closed.html", {"programme": programme})
    form = RegistrationForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        form.is_valid()
        # the fields the form could read are checked at once too, so every problem shows in one
        # round (postcode, SIC, email and password each came back alone, one submit after
        # another); a signed-in firm member's password is not used, so not checked
        member = request.user.is_authenticated and \
            request.user.groups.filter(name=Role.FIRM_MEMBER.value).exists()
        for problem in registration_problems(
                values={k: v for k, v in form.cleaned_data.items() if k not in form.errors},
                check_password=not member):
            if problem.field not in form.errors:
                field_error(form, problem)
    if request.method == "POST" and form.is_valid():
        if _registration_throttled(request, form):
            status = 429  # Too Many Requests: the form again, with its error summary
        else:
            try:
                firm = firm_register(programme=programme, data=_data(form), user=request.user)
            except DuplicateRegistrationError as exc:
                # the registrant's goal is already met: an information page, not an error
                return page(request, "peers/register_duplicate.html", {
                    "programme": programme, "message": str(exc),
                    "business_name": form.cleaned_data["business_name"]})
            except PeersFieldError as exc:
                field_error(form, exc)
            else:
                # whether the page says "check your email": whenever a password was chosen (and not
                # through a signed-in account), whether or not the address already had an account,
                # so the page does not tell (ADR 20, addendum). The token is readable, not secret:
                # it carries only what the registrant typed.
                linked = request.user.is_authenticated and firm.contacts.filter(
                    user=request.user).exists()
                token = signing.dumps([firm.pk, bool(form.cleaned_data["password"]) and not linked],
                                      salt=_SALT)
                return redirect("peers:register_done", slug=programme.slug, token=token)
    return page(request, "peers/register.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "themes": list(programme.themes.all())}, status=status)


def register_done(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    try:
        value = signing.loads(token, salt=_SALT, max_age=60 * 60 * 24)
        firm_id, emailed = (value, False) if isinstance(value, int) else value  # older tokens
    except (signing.BadSignature, TypeError, ValueError):
        raise Http404("This confirmation link is not valid or has expired.") from None
    firm = get_object_or_404(Firm.objects.select_related("programme", "lad"), pk=firm_id,
                             programme__slug=slug)
    contact = firm.contacts.select_related("user").order_by("pk").first()
    return page(request, "peers/register_done.html", {
        "firm": firm, "programme": firm.programme, "emailed": bool(emailed),
        "has_account": contact is not None and contact.user_id is not None,
        "email": contact.email if emailed and contact is not None else ""})
