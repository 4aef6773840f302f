"""Sign in and out, accept an invitation, and reset a forgotten password, with GOV.UK form
patterns. Emails use Django's email backend and LOCUS_SITE_URL for their links."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from locus.accounts.invitations import InvitationError, invitation_accept, invitation_get


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


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
    """Accept an invitation: set a password (new account), or confirm while signed in."""
    try:
        invite = invitation_get(token=token)
    except InvitationError as exc:
        return render(request, "accounts/invitation_invalid.html", {"message": str(exc)},
                      status=404)
    has_account = get_user_model().objects.filter(username__iexact=invite.email).exists()
    form = AcceptForm(request.POST or None)
    if has_account:
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            user, following = invitation_accept(
                token=token, user=request.user, password=data.get("password", ""),
                password_again=data.get("password_again", ""))
        except InvitationError as exc:
            if form is None:
                return render(request, "accounts/invitation.html", {
                    "invite": invite, "form": None, "has_account": True,
                    "problem": str(exc)}, status=400)
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            if not request.user.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(following)
    return render(request, "accounts/invitation.html", {
        "invite": invite, "form": form, "has_account": has_account,
        "errors": _errors(form) if form is not None else []})


class ResetForm(PasswordResetForm):
    email = forms.EmailField(max_length=254, error_messages={
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.com"})


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages["password_mismatch"] = "The passwords do not match"


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.LOCUS_SITE_URL}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errors"] = _errors(context["form"])
        return context


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["errors"] = _errors(form) if form is not None else []
        return context

