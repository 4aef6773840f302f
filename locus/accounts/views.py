"""Sign in and out, accept an invitation, and reset a forgotten password, with GOV.UK form
patterns. Emails use Django's email backend and LOCUS_SITE_URL for their links."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse_lazy
from django.utils import timezone

from locus.accounts.confirmation import (
    ConfirmationError,
    ConfirmationPasswordError,
    confirmation_confirm,
    confirmation_get,
    confirmation_pending_for_sign_in,
    confirmation_resend,
)
from locus.accounts.invitations import (
    InvitationError,
    invitation_accept,
    invitation_accepted_by,
    invitation_get,
    invitation_match,
    role_with_article,
)
from locus.accounts.notices import password_changed_notify
from locus.accounts.selectors import sign_in_destination
from locus.accounts.services import email_send, password_validate
from locus.accounts.throttle import (
    attempt_allowed,
    client_address,
    sign_in_client_failed,
    sign_in_client_locked_error,
    sign_in_failed,
    sign_in_locked_error,
    sign_in_locked_until,
    sign_in_succeeded,
)

UNCONFIRMED = ("Confirm your email address before you sign in: open the link we emailed to "
               "you when you created the account and enter this password there")


class SignInForm(AuthenticationForm):
    """Django's sign-in, plus: the right password for an account still waiting for its email
    address to be confirmed says so. A wrong password gets one message whatever the username, so nobody
    learns more about which accounts exist than Django's own form tells them. Too many wrong
    passwords for a username lock it for a while, and too many from one client address (for
    any usernames) lock that address (``locus.accounts.throttle``, applied by the
    authentication backend, ``locus.accounts.backends``)."""

    unconfirmed = False
    # GOV.UK words for Django's "Please enter a correct %(username)s and password. Note that both
    # fields may be case-sensitive."; the same for every wrong username or password
    error_messages = {**AuthenticationForm.error_messages,
                      "invalid_login": "Enter a correct username and password (both are case-sensitive)"}

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        if (locked := sign_in_locked_error(username=username)) is not None:
            raise locked
        if (locked := sign_in_client_locked_error(request=self.request)) is not None:
            raise locked
        try:
            return self._check(username, password)
        except ValidationError as exc:
            # the backend counted the wrong password: this one may have locked the username,
            # or the client address
            if exc.code == "invalid_login" and (
                    (locked := sign_in_locked_error(username=username)) is not None
                    or (locked := sign_in_client_locked_error(request=self.request)) is not None):
                raise locked from None
            raise

    def _check(self, username: str, password: str):
        waiting = confirmation_pending_for_sign_in(username=username)
        if waiting is not None:  # one password check, as Django's backend makes
            if waiting.check_password(password):
                self.unconfirmed = True
                raise ValidationError(UNCONFIRMED, code="unconfirmed")
            sign_in_failed(username=username)  # not through the backend: count it here
            sign_in_client_failed(request=self.request)
            raise self.get_invalid_login_error()
        return super().clean()  # authenticate(): the backend counts, refuses or clears


class SignInView(auth_views.LoginView):
    """Signing in leads to a safe ``next``, else to the user's work page (``sign_in_destination``:
    a firm to its business, a facilitator to their groups, a manager to their programmes)."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        return sign_in_destination(
            user=self.request.user,
            next_url=self.request.POST.get(self.redirect_field_name,
                                           self.request.GET.get(self.redirect_field_name, "")),
            allowed_hosts=self.get_success_url_allowed_hosts(),
            require_https=self.request.is_secure())


class SignOutView(auth_views.LogoutView):
    """Signs out (POST only) and says so on a page of its own, rather than dropping the person
    on the home page with nothing to show it worked."""

    next_page = reverse_lazy("accounts:signed_out")


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html", {})


@login_required
def sign_out_confirm(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_out.html", {})


def _errors(form: forms.Form) -> list[tuple[str, str]]:
    return [("id_" + name if name != "__all__" else "main-content", str(message))
            for name, messages in form.errors.items() for message in messages]


class AcceptForm(forms.Form):
    password = forms.CharField(strip=False, max_length=128,
                               error_messages={"required": "Enter a password"})
    password_again = forms.CharField(strip=False, max_length=128,
                                     error_messages={"required": "Enter the password again"})


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: set a password (new account), or confirm while signed in. Every
    acceptance ends saying what happened: a success banner on the page the invitation leads to,
    or, when it leads nowhere in particular, this address again, now an "invitation accepted"
    page for the person who accepted it."""
    try:
        invite = invitation_get(token=token)
    except InvitationError as exc:
        accepted = invitation_accepted_by(token=token, user=request.user)
        if accepted is not None:
            return render(request, "accounts/invitation_accepted.html", {
                "invite": accepted, "role": role_with_article(accepted.role),
                "said": [str(m) for m in messages.get_messages(request)]})
        return render(request, "accounts/invitation_invalid.html", {"message": str(exc)},
                      status=404)
    match = invitation_match(invitation=invite, user=request.user)
    # a password to choose only for a new account or one waiting for confirmation (ADR 20)
    form = AcceptForm(request.POST if request.method == "POST" else None) \
        if match.kind in ("new", "confirm") else None
    context = {"invite": invite, "role": role_with_article(invite.role), "form": form,
               "match": match.kind}
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            accepted = invitation_accept(
                token=token, user=request.user, password=data.get("password", ""),
                password_again=data.get("password_again", ""))
        except InvitationError as exc:
            if form is None:
                return render(request, "accounts/invitation.html", {
                    **context, "problem": str(exc)}, status=400)
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            if request.user != accepted.user:  # signed out, or signed in as another account
                login(request, accepted.user,
                      backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, accepted.said)
            return redirect(accepted.next or request.path)
    return render(request, "accounts/invitation.html", {
        **context, "errors": _errors(form) if form is not None else []})


# Emails anyone can ask for (a password reset, a new confirmation link) per hour, kept in the
# database for every worker (ADR 20, third addendum): a few to one address (each reset link sent
# stays usable, the latest confirmation link works), more from one client address (a shared
# office network). Counted whether or not the address has an account, so a refusal tells nothing
# about which addresses do; a refused request is not counted and sends nothing.
EMAILS_PER_ADDRESS = 3
EMAILS_PER_CLIENT = 20
EMAIL_WINDOW = timedelta(hours=1)


def emails_throttled(request: HttpRequest, form: forms.Form, *, kind: str, what: str) -> bool:
    """Count one request for an email of ``kind`` (``reset``, ``confirm``) to the form's address;
    past a limit, put a GOV.UK error on the email field and return True (send nothing)."""
    for scope, value, limit, words in (
            (f"{kind}-client", client_address(request), EMAILS_PER_CLIENT, "from your network"),
            (f"{kind}-email", form.cleaned_data["email"], EMAILS_PER_ADDRESS,
             "for this email address")):
        until = attempt_allowed(scope=scope, value=value, limit=limit, window=EMAIL_WINDOW)
        if until is not None:
            when = timezone.localtime(until).strftime("%H:%M")
            form.add_error("email", f"Too many {what} have been requested {words} in the last "
                                    f"hour. Wait until {when}, then try again")
            return True
    return False


class ResetForm(PasswordResetForm):
    email = forms.EmailField(max_length=254, error_messages={
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.com"})

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        """Django's message, built here and sent without the response waiting for the mail
        server (``email_send``), so a known address answers as fast as an unknown one."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send(message=EmailMessage(subject, body, from_email, [to_email]),
                   about=f"the password reset of user {context['user'].pk}")


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages["password_mismatch"] = "The passwords do not match"

    def validate_password_for_user(self, user, password_field_name="new_password1"):
        """A rule the password breaks is shown at the new password (Django shows it at the
        repetition), in GOV.UK words."""
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                password_validate(password=password, user=user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)

    def save(self, commit=True):
        """A reset proves the email address: it lifts a sign-in lock on the username (the lock
        message offers a reset), so the new password works at once. The address is told that
        the password changed (``locus.accounts.notices``)."""
        user = super().save(commit=commit)
        sign_in_succeeded(username=user.get_username())
        password_changed_notify(user=user, how="reset")
        return user


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.LOCUS_SITE_URL, "expires_after": reset_expires_after()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errors"] = _errors(context["form"])
        return context

    def form_valid(self, form):
        if emails_throttled(self.request, form, kind="reset", what="password reset emails"):
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def reset_expires_after(seconds: int | None = None) -> str:
    """How long a reset link works, from PASSWORD_RESET_TIMEOUT, in words: "3 days", "1 day",
    "12 hours", "90 minutes"."""
    seconds = settings.PASSWORD_RESET_TIMEOUT if seconds is None else seconds
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


class ResetSentView(auth_views.PasswordResetDoneView):
    """"Check your email", saying how long the link works."""

    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "expires_after": reset_expires_after()}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["errors"] = _errors(form) if form is not None else []
        return context



class ConfirmForm(forms.Form):
    password = forms.CharField(strip=False, max_length=128, required=False)


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page asking for the account's password, with one button (so a mail
    scanner opening the link does not use it up). The right password activates the account: the
    link shows the address is theirs, the password that they are the one who created the
    account, not its owner pressing a button for somebody who used their address. Having
    checked the password, it signs them in (``_confirmed``): no second sign-in with it."""
    try:
        confirmation = confirmation_get(token=token)
    except ConfirmationError as exc:
        return render(request, "accounts/confirm_email_invalid.html", {
            "message": str(exc), "reason": exc.reason}, status=404)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation_confirm(token=token, password=form.cleaned_data["password"])
        except ConfirmationPasswordError as exc:
            form.add_error("password", str(exc))
        except ConfirmationError as exc:
            return render(request, "accounts/confirm_email_invalid.html", {
                "message": str(exc), "reason": exc.reason}, status=404)
        else:
            return _confirmed(request, confirmation.user)
    return render(request, "accounts/confirm_email.html", {
        "confirmation": confirmation, "form": form, "errors": _errors(form)})


# the backend a password sign-in would have used (settings.AUTHENTICATION_BACKENDS, first)
SIGN_IN_BACKEND = "locus.accounts.backends.ThrottledModelBackend"


def _confirmed(request: HttpRequest, user) -> HttpResponse:
    """The right password with the link has just been checked: sign the person in (a new
    session, as any sign-in: django.contrib.auth.login) and take them to their work page, saying
    the address is confirmed. A username locked after too many wrong passwords at sign-in stays
    locked: the address is confirmed, and the page says to sign in."""
    username = user.get_username()
    until = sign_in_locked_until(username=username)
    if until is not None:
        return render(request, "accounts/confirm_email_done.html", {
            "username": username, "locked_until": timezone.localtime(until).strftime("%H:%M")})
    login(request, user, backend=SIGN_IN_BACKEND)
    sign_in_succeeded(username=username)  # as a right password at sign-in clears the count
    messages.success(request, f"Email address confirmed. You are signed in as {username}.")
    return redirect(sign_in_destination(user=user))


class ResendForm(forms.Form):
    email = forms.EmailField(max_length=254, error_messages={
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.com"})


def confirm_email_resend(request: HttpRequest) -> HttpResponse:
    """Ask for a new confirmation link. The answer is the same whether or not an account is
    waiting at that address."""
    form = ResendForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if emails_throttled(request, form, kind="confirm", what="confirmation links"):
            status = 429  # Too Many Requests: the form again, with its error summary
        else:
            confirmation_resend(email=form.cleaned_data["email"])
            return redirect("accounts:confirm_email_sent")
    return render(request, "accounts/confirm_email_resend.html", {
        "form": form, "errors": _errors(form)}, status=status)


def confirm_email_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/confirm_email_sent.html", {})
