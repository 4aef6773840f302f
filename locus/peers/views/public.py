"""Public pages: the landing page, and registration for a programme."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from locus.peers import permissions as perms
from locus.peers.errors import PeersFieldError
from locus.peers.forms import RegistrationForm, form_errors
from locus.peers.models import Firm, Programme
from locus.peers.services import RegistrationData, firm_register
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


def register(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.prefetch_related("places", "themes"),
                                  slug=slug)
    if not programme.registration_open:
        return page(request, "peers/register_closed.html", {"programme": programme})
    form = RegistrationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            firm = firm_register(programme=programme, data=_data(form), user=request.user)
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
        "themes": list(programme.themes.all())})


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
