"""Forms show every problem in one round (QA H20 F6): "Start a programme" took four submits to
show four problems (employees min > max, smallest group > largest, an unknown place, the end
before the start), and a date typo hid every other error."""

from __future__ import annotations

from datetime import date

import pytest

from locus.peers.models import Programme
from tests.peers.conftest import date_parts, login

pytestmark = pytest.mark.django_db




def _data(**changes) -> dict:
    data = {"name": "QA Bad", "places": "Greater Manchester", "budget": "40000",
            **date_parts("starts_on", date(2027, 1, 11)), **date_parts("ends_on", date(2027, 12, 17)),
            "digital_themes": "", "management_themes": "", "min_years_trading": "",
            "min_employees": "5", "max_employees": "50", "group_min_size": "8",
            "group_max_size": "10", "comparison": "none", "open_registration": "yes"}
    return {**data, **changes}


def test_start_a_programme_shows_four_problems_in_one_round(client, manager):
    page = login(client, manager).post("/peers/new/", _data(
        min_employees="60", group_min_size="12", places="Narnia",
        **date_parts("ends_on", date(2026, 12, 1)))).content.decode()
    assert "The minimum number of employees cannot be more than the maximum" in page
    assert "The smallest group cannot be larger than the largest" in page
    assert "No Combined Authority or district is called ‘Narnia’" in page
    assert "The end date must be after the start date" in page
    for target in ("#id_min_employees", "#id_group_min_size", "#id_places", "#id_ends_on-day"):
        assert f'href="{target}"' in page, target
    assert not Programme.objects.filter(name="QA Bad").exists()


def test_a_date_typo_does_not_hide_the_other_problems(client, manager):
    page = login(client, manager).post("/peers/new/", _data(
        group_min_size="12", places="Narnia", **{"starts_on-day": "31", "starts_on-month": "2",
                                                 "starts_on-year": "2026"})).content.decode()
    assert 'href="#id_starts_on-day"' in page
    assert "The smallest group cannot be larger than the largest" in page
    assert "Narnia" in page


def test_a_good_programme_is_still_created(client, manager):
    response = login(client, manager).post("/peers/new/", _data())
    assert response.status_code == 302
    assert Programme.objects.get(name="QA Bad").places.get().code == "E47000001"


def test_register_a_business_shows_every_problem_in_one_round(client, programme):
    from tests.peers.test_registration import form

    page = client.post(f"/peers/{programme.slug}/register/", form(
        programme, employees="lots", sic="00123", postcode="M1 1A", email="not-an-email",
        password="short", company_number="12345678X", trading_since="2099")).content.decode()
    for field in ("employees", "sic", "postcode", "email", "password", "company_number",
                  "trading_since"):
        assert f'href="#id_{field}"' in page, field
    assert "Enter a full UK postcode" in page and "SIC 2007 code" in page
    assert "must be this year" in page
    assert not programme.firms.exists()


def test_the_managers_add_a_firm_form_shows_every_problem_in_one_round(client, programme,
                                                                       manager):
    from tests.peers.test_manage import firm_form

    page = login(client, manager).post(f"/peers/{programme.slug}/firms/new/", firm_form(
        cohort=str(programme.cohorts.first().pk), employees="lots", sic="00123",
        postcode="M1 1A", email="not-an-email", company_number="12345678X")).content.decode()
    for field in ("employees", "sic", "postcode", "email", "company_number"):
        assert f'href="#id_{field}"' in page, field
    assert "Enter a full UK postcode" in page and "SIC 2007 code" in page
    assert not programme.firms.exists()
