"""Your API tokens: list them, create one (shown once), revoke one. Signed-in users only, and
each user only their own tokens (another user's token id is a 404)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from locus.accounts.api_tokens import (
    DEFAULT_EXPIRY_DAYS,
    EXPIRY_DAYS,
    NAME_MAX,
    ApiTokenFieldError,
    ApiTokenNotFound,
    api_token_create,
    api_token_get,
    api_token_revoke,
    api_token_status,
    api_tokens_list,
)


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, error_messages={
        "required": "Enter a name for the token",
        "max_length": f"Name must be {NAME_MAX} characters or fewer"})
    days = forms.TypedChoiceField(
        choices=[(str(d), str(d)) for d in EXPIRY_DAYS], coerce=int,
        error_messages={"required": "Select how long the token lasts",
                        "invalid_choice": "Select how long the token lasts"})


def _errors(form: forms.Form) -> list[tuple[str, str]]:
    """The error summary's links: the name box, or the first expiry radio."""
    target = {"name": "id_name", "days": "days"}
    return [(target.get(name, "main-content"), str(message))
            for name, messages in form.errors.items() for message in messages]


def when(moment) -> str:
    """A time as the pages show it: 3 May 2025, 14:05 (UK time)."""
    return f"{timezone.localtime(moment):%-d %b %Y, %H:%M}"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    rows = api_tokens_list(user=request.user)
    revoked = request.GET.get("revoked", "")  # the token just revoked, if it is one of these
    just_revoked = next((r.token for r in rows if str(r.token.pk) == revoked
                         and r.status == "revoked"), None)
    return render(request, "accounts/api_tokens.html", {"rows": rows, "when": when,
                                                        "just_revoked": just_revoked})


@login_required
@require_http_methods(["GET", "POST"])
def api_token_new(request: HttpRequest) -> HttpResponse:
    """The new token is shown in the answer to the POST, once, and kept nowhere: not in the
    session, not in a page that can be fetched again, not in the browser's cache."""
    form = ApiTokenForm(request.POST or None, initial={"days": str(DEFAULT_EXPIRY_DAYS)})
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"],
                                             days=form.cleaned_data["days"])
        except ApiTokenFieldError as exc:
            form.add_error(exc.field, str(exc))
        else:
            return _no_store(render(request, "accounts/api_token_created.html", {
                "token": token, "secret": secret, "when": when}))
    days = form["days"].value() or str(DEFAULT_EXPIRY_DAYS)
    return render(request, "accounts/api_token_new.html", {
        "form": form, "errors": _errors(form), "expiry_days": EXPIRY_DAYS, "days": str(days),
        "name_max": NAME_MAX}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_token_get(user=request.user, token_id=token_id)
    except ApiTokenNotFound as exc:
        raise Http404(str(exc)) from None
    status = api_token_status(token=token)
    if request.method == "POST":
        api_token_revoke(token=token)
        return redirect(f"{reverse('accounts:api_tokens')}?revoked={token.pk}")
    return render(request, "accounts/api_token_revoke.html", {"token": token, "status": status,
                                                              "when": when})
