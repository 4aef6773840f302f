"""Sign in and out with GOV.UK form patterns."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@login_required
def sign_out_confirm(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_out.html", {})
