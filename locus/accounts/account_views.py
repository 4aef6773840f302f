"""Your account: who you are in Locus, your roles, your email address, and the things you can
do to your account (change your password, API tokens, personal data, sign out). Signed-in users
only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from locus.accounts.account_page import account_summary
from locus.accounts.notices import password_changed_notify
from locus.accounts.services import password_validate
from locus.accounts.throttle import sign_in_failed, sign_in_locked_error
from locus.accounts.views import _errors


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html",
                  {"summary": account_summary(user=request.user)})


class ChangePasswordForm(PasswordChangeForm):
    """Django's change of password in GOV.UK words, with the project's password rules shown at
    the new password. Wrong current passwords count towards the sign-in lock of the username
    (``locus.accounts.throttle``), so someone at a signed-in computer cannot guess the password
    here any faster than at the sign-in page."""

    error_messages = {**PasswordChangeForm.error_messages,
                      "password_incorrect": "Your current password is not right",
                      "password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        for name, message in (("old_password", "Enter your current password"),
                              ("new_password1", "Enter a new password"),
                              ("new_password2", "Enter the new password again")):
            self.fields[name].error_messages["required"] = message

    def clean_old_password(self):
        username = self.user.get_username()
        if (locked := sign_in_locked_error(username=username)) is not None:
            raise locked
        try:
            return super().clean_old_password()
        except ValidationError:
            sign_in_failed(username=username)
            if (locked := sign_in_locked_error(username=username)) is not None:
                raise locked from None
            raise

    def validate_password_for_user(self, user, password_field_name="new_password1"):
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                password_validate(password=password, user=user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)


class ChangePasswordView(auth_views.PasswordChangeView):
    """Change your password; you stay signed in here, and your other sessions end (Django). The
    account's email address is told (``locus.accounts.notices``), after the change is saved."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_notify(user=form.user, how="change")
        messages.success(self.request, "Your password has been changed. You are still signed "
                                       "in here; anywhere else you were signed in, you will need "
                                       "to sign in again.")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errors"] = _errors(context["form"])
        return context
