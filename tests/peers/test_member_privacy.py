"""What firm members see of each other and of their facilitator (security review H30, findings 4
and 11; ADR 37): other firms' name, industry in words and district, never their employee count
or SIC code; the facilitator by a name the person chose, or "your facilitator", never the
sign-in username."""

from __future__ import annotations

import re

import pytest

from locus.peers.groups import group_assign_facilitator
from locus.peers.models import Facilitator
from tests.peers.conftest import login, make_user

pytestmark = pytest.mark.django_db


def _members_table(html: str) -> str:
    found = re.search(r'<table class="govuk-table" id="members">.*?</table>', html, re.S)
    assert found, html[:1500]
    return found.group(0)


def _facilitator_row(html: str) -> str:
    found = re.search(r'Facilitator</dt><dd class="govuk-summary-list__value">(.*?)</dd>', html, re.S)
    assert found, html[:1500]
    return found.group(1).strip()


def test_a_member_sees_other_firms_name_industry_and_district_but_not_size_or_code(client, member, group):
    html = login(client, member).get(f"/peers/groups/{group.pk}/").content.decode()
    table = _members_table(html)
    firms = list(group.firms.select_related("lad"))
    assert "Employees" not in table and "SIC" not in table
    for f in firms:
        assert f.name in table
        assert f">{f.sic}<" not in table and f">{f.employees}<" not in table
        if f.lad:
            assert f.lad.name in table
    # industry in words: the SIC 2007 division title (62012 -> division 62)
    assert "Computer programming, consultancy and related activities" in table or any(
        f.sic[:2] != "62" for f in firms)
    assert "Other firms in the group see the same about your business" in html


def test_the_facilitator_and_manager_still_see_code_and_employee_count(client, facilitator, manager, group):
    firm = group.firms.order_by("name").first()
    for user in (facilitator, manager):
        client.logout()
        table = _members_table(login(client, user).get(f"/peers/groups/{group.pk}/").content.decode())
        assert "Employees" in table and f">{firm.employees}<" in table and f">{firm.sic}<" in table


def test_industry_words_come_from_the_sic_2007_division(db):
    from locus.peers.selectors import industry_words

    assert industry_words("62012") == "Computer programming, consultancy and related activities"
    assert industry_words("10710") == "Manufacture of food products"
    assert industry_words("") == "Not known"


def test_the_registration_form_says_what_group_members_will_see(client, programme):
    html = client.get(f"/peers/{programme.slug}/register/").content.decode()
    found = re.search(r'<p class="govuk-body" id="group-sees">(.*?)</p>', html, re.S)
    assert found, html[:1500]
    text = found.group(1)
    assert "name" in text and "industry" in text and "district" in text
    assert "do not see your contact details or the number of employees" in text


def test_a_member_never_sees_the_facilitator_username(client, member, group, facilitator):
    assert facilitator.get_full_name() == ""
    login(client, member)
    page = client.get(f"/peers/groups/{group.pk}/").content.decode()
    assert _facilitator_row(page) == "Your facilitator"
    api = client.get(f"/api/v1/peers/groups/{group.pk}").json()
    assert api["facilitator"] == "your facilitator"


def test_a_member_sees_your_facilitator_on_the_meeting_page(client, member, meetings, facilitator):
    html = login(client, member).get(f"/peers/meetings/{meetings[0].pk}/").content.decode()
    assert _facilitator_row(html) == "Your facilitator"


def test_an_old_row_that_recorded_the_username_as_the_name_is_not_shown(client, member, group, facilitator):
    Facilitator.objects.filter(user=facilitator).update(name=facilitator.username.upper())
    login(client, member)
    assert _facilitator_row(client.get(f"/peers/groups/{group.pk}/").content.decode()) == "Your facilitator"
    assert client.get(f"/api/v1/peers/groups/{group.pk}").json()["facilitator"] == "your facilitator"


def test_a_name_the_facilitator_sets_later_is_shown(client, member, group, facilitator):
    facilitator.first_name, facilitator.last_name = "Priya", "Shah"
    facilitator.save()
    login(client, member)
    assert _facilitator_row(client.get(f"/peers/groups/{group.pk}/").content.decode()) == "Priya Shah"
    assert client.get(f"/api/v1/peers/groups/{group.pk}").json()["facilitator"] == "Priya Shah"


def test_a_facilitator_with_a_full_name_is_recorded_by_it(group):
    named = make_user("fac-named", "facilitator")
    named.first_name, named.last_name = "Tom", "Okafor"
    named.save()
    group_assign_facilitator(group=group, user=named)
    assert Facilitator.objects.get(user=named).name == "Tom Okafor"
    bare = make_user("fac-bare", "facilitator")
    group_assign_facilitator(group=group, user=bare)
    assert Facilitator.objects.get(user=bare).name == ""  # never the username


def test_the_manager_sees_the_username_marked_as_no_name_given(client, manager, group, facilitator, programme):
    login(client, manager)
    expected = f"{facilitator.username} (no name given)"
    assert _facilitator_row(client.get(f"/peers/groups/{group.pk}/").content.decode()) == expected
    assert client.get(f"/api/v1/peers/groups/{group.pk}").json()["facilitator"] == expected
    listed = client.get(f"/api/v1/peers/programmes/{programme.slug}/groups").json()
    assert expected in [g["facilitator"] for g in listed]
