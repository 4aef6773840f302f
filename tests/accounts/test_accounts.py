"""Users, roles, sign-in and the admin site."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from locus.accounts.roles import Role
from locus.accounts.services import AccountError, user_create, user_roles

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


def test_user_create_gives_one_role_and_admin_rights_only_to_administrators():
    analyst = user_create(username="ana", email="a@example.org", password=PASSWORD, role="analyst")
    admin = user_create(username="adm", email="b@example.org", password=PASSWORD,
                        role=Role.ADMINISTRATOR)
    assert user_roles(user=analyst) == {Role.ANALYST} and not analyst.is_staff
    assert user_roles(user=admin) == {Role.ADMINISTRATOR} and admin.is_staff


@pytest.mark.parametrize("kwargs,message", [
    ({"role": "wizard"}, "Unknown role"),
    ({"password": "short"}, "Password must be 12 characters or more"),
    ({"email": "not-an-email"}, "is not an email address"),
    ({"email": ""}, "is not an email address"),
])
def test_user_create_rejects_bad_input(kwargs, message):
    args = {"username": "x", "email": "x@example.org", "password": PASSWORD, "role": "analyst"}
    with pytest.raises(AccountError, match=message):
        user_create(**{**args, **kwargs})


def test_duplicate_username_is_refused():
    user_create(username="dup", email="d@example.org", password=PASSWORD, role="analyst")
    with pytest.raises(AccountError, match="already exists"):
        user_create(username="dup", email="e@example.org", password=PASSWORD, role="analyst")


def test_sign_in_and_out(client):
    user_create(username="pm", email="p@example.org", password=PASSWORD, role="programme manager")
    page = client.get("/accounts/sign-in/").content.decode()
    assert "Sign in" in page and "csrfmiddlewaretoken" in page
    response = client.post("/accounts/sign-in/", {"username": "pm", "password": PASSWORD})
    assert response.status_code == 302
    assert "Sign out" in client.get("/").content.decode()
    response = client.post("/accounts/sign-out/confirm/")
    assert response.status_code == 302 and response["Location"] == "/accounts/signed-out/"
    page = client.get(response["Location"]).content.decode()
    assert "<h1 class=\"govuk-heading-xl\">You have signed out</h1>" in page
    assert "no longer signed in" in page and 'href="/accounts/sign-in/"' in page
    assert "Sign in" in client.get("/").content.decode()
    assert client.get("/accounts/sign-out/confirm/").status_code == 405  # signing out is a POST


def test_wrong_password_re_renders_with_a_govuk_error(client):
    user_create(username="pm2", email="p@example.org", password=PASSWORD, role="facilitator")
    response = client.post("/accounts/sign-in/", {"username": "pm2", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error:" in page


def test_sign_in_needs_a_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    response = strict.post("/accounts/sign-in/", {"username": "x", "password": "y"})
    assert response.status_code == 403


@pytest.mark.parametrize("role,allowed", [("administrator", True), ("analyst", False),
                                          ("facilitator", False), ("firm member", False)])
def test_admin_site_is_for_administrators_only(client, role, allowed):
    user_create(username="u", email="u@example.org", password=PASSWORD, role=role)
    client.login(username="u", password=PASSWORD)
    response = client.get("/admin/")
    assert (response.status_code == 200) is allowed
