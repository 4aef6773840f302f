"""An administrator can lift a sign-in lock by hand in the admin site (Users, action "Lift the
sign-in lock of the selected users"); only a staff user with the permission
``accounts.unlock_sign_in`` can, which the administrator role has and no other role."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission

from locus.accounts.models import SignInThrottle
from locus.accounts.services import user_create
from locus.accounts.throttle import MAX_FAILURES, sign_in_locked_until

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
USERS = "/admin/auth/user/"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _locked_out(client, username="jo"):
    user = user_create(username=username, email=f"{username}@example.org", password=PASSWORD,
                       role="firm member")
    for _ in range(MAX_FAILURES):
        client.post("/accounts/sign-in/", {"username": username, "password": "wrong-guess-1"})
    assert sign_in_locked_until(username=username) is not None
    client.cookies.clear()
    return user


def _unlock(client, *users):
    return client.post(USERS, {"action": "unlock_sign_in",
                               "_selected_action": [u.pk for u in users]}, follow=True)


def test_an_administrator_lifts_a_lock_and_the_user_can_sign_in_at_once(client):
    jo = _locked_out(client)
    kim = user_create(username="kim", email="kim@example.org", password=PASSWORD,
                      role="analyst")
    admin = user_create(username="ada", email="ada@example.org", password=PASSWORD,
                        role="administrator")
    client.force_login(admin)
    listing = client.get(USERS).content.decode()
    assert "Lift the sign-in lock of the selected users" in listing
    assert "Sign-in locked until" in listing
    page = _unlock(client, jo, kim).content.decode()
    assert "Sign-in lock lifted for jo" in page and "Not locked, so nothing to lift: kim" in page
    assert sign_in_locked_until(username="jo") is None and not SignInThrottle.objects.exists()
    entry = LogEntry.objects.get(object_id=str(jo.pk))
    assert entry.user == admin and "Lifted the sign-in lock" in entry.get_change_message()
    client.logout()
    response = client.post("/accounts/sign-in/", {"username": "jo", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["analyst", "programme manager", "facilitator", "firm member"])
def test_no_other_role_can_lift_a_lock(client, role):
    jo = _locked_out(client)
    other = user_create(username="someone", email="someone@example.org", password=PASSWORD,
                        role=role)
    client.force_login(other)
    assert client.get(USERS).status_code == 302  # not staff: the admin site sends them to sign in
    _unlock(client, jo)
    assert sign_in_locked_until(username="jo") is not None


def _staff(*codenames):
    user = user_create(username="sam", email="sam@example.org", password=PASSWORD,
                       role="analyst")
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_a_staff_user_without_the_permission_is_not_offered_the_action(client):
    jo = _locked_out(client)
    client.force_login(_staff("view_user", "change_user"))
    assert "Lift the sign-in lock" not in client.get(USERS).content.decode()
    _unlock(client, jo)
    assert sign_in_locked_until(username="jo") is not None


def test_the_permission_is_enough_for_any_staff_user_and_the_administrator_role_has_it(client):
    jo = _locked_out(client)
    client.force_login(_staff("view_user", "unlock_sign_in"))
    assert "Sign-in lock lifted for jo" in _unlock(client, jo).content.decode()
    assert sign_in_locked_until(username="jo") is None
    admin_role = Permission.objects.filter(group__name="administrator",
                                           codename="unlock_sign_in")
    assert admin_role.exists()
    assert not Permission.objects.filter(codename="unlock_sign_in").exclude(
        group__name="administrator").filter(group__isnull=False).exists()
