"""A new programme is not public until its manager says so (QA H20 F4): "Start a programme" asks
"Open registration now?" with no answer chosen; "No" keeps the programme closed and off the
public landing page until the manager opens registration from the programme's page."""

from __future__ import annotations

from datetime import date

import pytest

from locus.peers.models import Programme
from tests.peers.conftest import date_parts, login, make_user

pytestmark = pytest.mark.django_db




def _data(**changes) -> dict:
    data = {"name": "Calder Valley Makers", "places": "Greater Manchester", "budget": "40000",
            **date_parts("starts_on", date(2027, 1, 11)), **date_parts("ends_on", date(2027, 12, 17)),
            "group_min_size": "8", "group_max_size": "10", "comparison": "none"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_the_question_is_asked_with_no_answer_chosen_and_is_required(client, manager):
    login(client, manager)
    blank = client.get("/peers/new/").content.decode()
    assert "Open registration now?" in blank
    radios = [line for line in blank.split("<input") if 'name="open_registration"' in line]
    assert len(radios) == 2 and not any(" checked" in r for r in radios)
    page = client.post("/peers/new/", _data()).content.decode()
    assert "Select whether to open registration now" in page
    assert 'href="#id_open_registration"' in page
    assert not Programme.objects.filter(name="Calder Valley Makers").exists()


def test_the_settings_page_keeps_its_checkbox_and_does_not_ask(client, programme, manager):
    page = login(client, manager).get(f"/peers/{programme.slug}/edit/").content.decode()
    assert "Open registration now?" not in page and 'name="registration_open"' in page


def test_no_keeps_it_closed_and_unlisted_until_the_manager_opens_it(client, manager):
    login(client, manager)
    response = client.post("/peers/new/", _data(open_registration="no"))
    programme = Programme.objects.get(name="Calder Valley Makers")
    assert response.status_code == 302 and not programme.registration_open
    client.logout()
    assert "Calder Valley Makers" not in client.get("/peers/").content.decode()
    closed = client.get(f"/peers/{programme.slug}/register/").content.decode()
    assert "is closed" in closed and 'name="business_name"' not in closed

    login(client, manager)
    dashboard = client.get(f"/peers/{programme.slug}/").content.decode()
    assert "Closed" in dashboard and ">Open registration</button>" in dashboard
    opened = client.post(f"/peers/{programme.slug}/registration/", {"open": "yes"}, follow=True)
    assert "is now open" in opened.content.decode()
    programme.refresh_from_db()
    assert programme.registration_open
    client.logout()
    assert "Calder Valley Makers" in client.get("/peers/").content.decode()
    assert 'name="business_name"' in client.get(
        f"/peers/{programme.slug}/register/").content.decode()


def test_yes_opens_it_at_once(client, manager):
    response = login(client, manager).post("/peers/new/", _data(open_registration="yes"))
    assert response.status_code == 302
    assert Programme.objects.get(name="Calder Valley Makers").registration_open


def test_only_the_programmes_managers_can_open_or_close_it(client, programme):
    other = make_user("othermgr", "programme manager")
    login(client, other)
    refused = client.post(f"/peers/{programme.slug}/registration/", {"open": "no"})
    assert refused.status_code == 403
    programme.refresh_from_db()
    assert programme.registration_open


def test_a_manager_can_close_it_again_and_a_bad_value_changes_nothing(client, programme,
                                                                      manager):
    login(client, manager)
    client.post(f"/peers/{programme.slug}/registration/", {"open": "maybe"})
    programme.refresh_from_db()
    assert programme.registration_open
    client.post(f"/peers/{programme.slug}/registration/", {"open": "no"})
    programme.refresh_from_db()
    assert not programme.registration_open
    assert client.get(f"/peers/{programme.slug}/registration/").status_code == 302
