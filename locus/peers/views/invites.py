"""Managers invite people by email: a firm's contact (to sign in as a firm member) or a
facilitator for a group. The link is single-use and expires (locus.accounts.invitations)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from locus.accounts.invitations import INVITATION_DAYS, InvitationError, invitation_create
from locus.accounts.roles import Role
from locus.peers import permissions as perms
from locus.peers.forms import form_errors
from locus.peers.forms_manage import InviteForm
from locus.peers.grants import CONTACT, GROUP, PROGRAMME
from locus.peers.models import Contact
from locus.peers.views.common import group_or_404, guarded, managed_programme, need, page


@guarded
def contact_invite(request: HttpRequest, slug: str, pk: int, contact: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    person = get_object_or_404(Contact.objects.select_related("firm"), pk=contact, firm_id=pk,
                               firm__programme=programme)
    problem = ("has no email address" if not person.email else
               "already has a sign-in account" if person.user_id else
               "asked for their personal data to be erased" if person.erased_at else "")
    refused = ""
    if request.method == "POST" and not problem:
        try:
            invitation_create(email=person.email, name=person.name, role=Role.FIRM_MEMBER,
                              created_by=request.user, grant_kind=CONTACT, grant_id=person.pk)
        except InvitationError as exc:  # the mail server refused it: nothing was kept
            refused = str(exc)
        else:
            messages.success(request, f"An invitation to sign in has been emailed to "
                                      f"{person.email}. The link works once, for "
                                      f"{INVITATION_DAYS} days.")
            return redirect("peers:firm", slug=slug, pk=pk)
    return page(request, "peers/invite_contact.html", {
        "programme": programme, "firm": person.firm, "contact": person, "problem": problem,
        "days": INVITATION_DAYS, "refused": refused,
        "errors": [("email", refused)] if refused else []})


def _invite(request: HttpRequest, *, role: Role, grant: str, grant_id: int, done: str,
            context: dict):
    """The invite form: send on a valid POST (returns None), else the context to render."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            invitation_create(email=d["email"], name=d["name"], role=role,
                              created_by=request.user, grant_kind=grant, grant_id=grant_id)
        except InvitationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"An invitation {done} has been emailed to {d['email']}.")
            return None
    return {**context, "form": form, "errors": form_errors(form), "days": INVITATION_DAYS}


@guarded
def facilitator_invite(request: HttpRequest, pk: int) -> HttpResponse:
    group = group_or_404(pk)
    need(perms.group_can_manage(user=request.user, group=group),
         "Only the programme's managers can invite a facilitator.")
    context = _invite(request, role=Role.FACILITATOR, grant=GROUP, grant_id=group.pk,
                      done=f"to facilitate group {group.label}", context={
                          "programme": group.programme, "back": (
                              reverse("peers:group", args=[group.pk]), f"Group {group.label}"),
                          "heading": "Invite a facilitator",
                          "intro": "When they accept, they get the facilitator role and become "
                                   "this group's facilitator."})
    if context is None:
        return redirect("peers:group", pk=pk)
    return page(request, "peers/invite_person.html", context)


@guarded
def manager_invite(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    context = _invite(request, role=Role.PROGRAMME_MANAGER, grant=PROGRAMME,
                      grant_id=programme.pk, done=f"to manage {programme.name}", context={
                          "programme": programme, "back": (
                              reverse("peers:programme_edit", args=[slug]), "Settings"),
                          "heading": "Invite a programme manager",
                          "intro": "When they accept, they get the programme manager role and "
                                   "can run this programme with you."})
    if context is None:
        return redirect("peers:programme_edit", slug=slug)
    return page(request, "peers/invite_person.html", context)
