"""The cost ledger: dates and amounts are checked (a typo is refused with the reason and the
form keeps what was typed), and an entry is corrected or removed by a new record that keeps the
old one (ADR 16), by the same people who may record costs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from locus.peers.costs import cost_correct, cost_record, cost_remove, cost_summary
from locus.peers.errors import PeersFieldError
from locus.peers.models import CostEntry
from locus.peers.services import ProgrammeData, programme_create
from tests.peers.conftest import login, make_user

pytestmark = pytest.mark.django_db


def _record(programme, **kw):
    values = {"category": "hosting", "amount": Decimal("120"),
              "incurred_on": timezone.localdate() - timedelta(days=10),
              "description": "Room for group A"}
    return cost_record(programme=programme, **{**values, **kw})


@pytest.mark.parametrize("incurred_on,message", [
    (date(1900, 1, 1), "must be between"),
    (date(2999, 1, 1), "today or in the past"),
])
def test_a_cost_dated_outside_the_programme_or_in_the_future_is_refused(programme, incurred_on,
                                                                         message):
    with pytest.raises(PeersFieldError, match=message) as exc:
        _record(programme, incurred_on=incurred_on)
    assert exc.value.field == "incurred_on" and not programme.costs.exists()


def test_the_programme_dates_bound_a_cost(programme):
    before = programme.starts_on - timedelta(days=1)
    with pytest.raises(PeersFieldError) as exc:
        _record(programme, incurred_on=before)
    start = programme.starts_on
    assert f"between {start.day} {start:%B %Y} and" in str(exc.value)
    assert _record(programme, incurred_on=programme.starts_on).pk  # the first day counts
    assert _record(programme, incurred_on=timezone.localdate()).pk  # and today


@pytest.mark.parametrize("amount,message", [
    ("-450", "greater than £0"), ("0", "greater than £0"),
    ("450.555", "pounds and pence"),
    ("4500000", "more than the programme’s whole budget"),
])
def test_a_typo_amount_is_refused(programme, amount, message):
    with pytest.raises(PeersFieldError, match=message) as exc:
        _record(programme, amount=amount)
    assert exc.value.field == "amount" and not programme.costs.exists()


def test_without_a_budget_an_absurd_amount_is_still_refused(programme):
    programme.budget = Decimal(0)
    programme.save()
    with pytest.raises(PeersFieldError, match="£1,000,000 or less"):
        _record(programme, amount="45000000")
    assert _record(programme, amount="45000").amount == Decimal("45000.00")


def test_the_form_shows_each_problem_at_its_field_and_keeps_what_was_typed(client, programme,
                                                                           manager):
    login(client, manager)
    page = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "hosting", "amount": "4500000", "incurred_on-day": "3",
        "incurred_on-month": "2", "incurred_on-year": "1900",
        "description": "Room hire"}).content.decode()
    assert "<title>Error:" in page and "There is a problem" in page
    assert 'href="#id_incurred_on-day"' in page and "must be between" in page
    assert 'id="id_incurred_on-error"' in page and 'id="amount-error"' in page  # both at once
    assert "more than the programme’s whole budget" in page
    assert 'value="4500000"' in page and 'value="Room hire"' in page and 'value="1900"' in page
    assert not programme.costs.exists()
    page = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "hosting", "amount": "12.345", "incurred_on": timezone.localdate().isoformat(),
        "description": "Room hire"}).content.decode()
    assert 'href="#id_amount"' in page and 'id="amount-error"' in page
    assert "Enter the amount in pounds and pence, like 450.50" in page
    assert "Ensure that" not in page  # no Django default wording
    assert not programme.costs.exists()


def test_pounds_written_with_a_sign_and_commas_are_understood(client, programme, manager):
    login(client, manager)
    response = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "promotion", "amount": "£1,250.50", "incurred_on": timezone.localdate().isoformat(),
        "description": "Leaflets"})
    assert response.status_code == 302
    assert programme.costs.get().amount == Decimal("1250.50")


def test_a_correction_replaces_an_entry_and_keeps_the_old_one(programme, manager):
    old = _record(programme, amount="1200")  # meant 120
    new = cost_correct(entry=old, category="hosting", amount="120", incurred_on=old.incurred_on,
                       description=old.description, supplier="", reason="Typed an extra 0",
                       user=manager)
    old.refresh_from_db()
    assert new.corrects_id == old.pk and new.amount == Decimal("120.00")
    assert old.superseded_at is not None and old.superseded_by == manager
    assert old.correction_reason == "Typed an extra 0"
    assert CostEntry.objects.filter(programme=programme).count() == 2  # history kept
    assert cost_summary(programme=programme).actual == Decimal("120")
    with pytest.raises(PeersFieldError, match="already been corrected"):
        cost_correct(entry=old, category="hosting", amount="100", incurred_on=old.incurred_on,
                     description="x", supplier="", reason="again", user=manager)


def test_a_correction_is_checked_like_a_new_entry_and_needs_a_reason(programme, manager):
    old = _record(programme)
    for kw, field in (({"reason": ""}, "reason"), ({"amount": "-5"}, "amount"),
                      ({"incurred_on": date(1900, 1, 1)}, "incurred_on"),
                      ({"category": "catering"}, "category")):
        values = {"category": "hosting", "amount": "100", "incurred_on": old.incurred_on,
                  "description": "Room", "supplier": "", "reason": "Wrong amount", **kw}
        with pytest.raises(PeersFieldError) as exc:
            cost_correct(entry=old, user=manager, **values)
        assert exc.value.field == field
    old.refresh_from_db()
    assert old.superseded_at is None and programme.costs.count() == 1


def test_removing_an_entry_keeps_it_out_of_the_totals_with_the_reason(programme, manager):
    keep = _record(programme, amount="300")
    dup = _record(programme, amount="300")
    with pytest.raises(PeersFieldError, match="Say why"):
        cost_remove(entry=dup, reason=" ", user=manager)
    cost_remove(entry=dup, reason="Entered twice", user=manager)
    dup.refresh_from_db()
    assert dup.superseded_at and dup.correction_reason == "Entered twice"
    assert cost_summary(programme=programme).actual == keep.amount
    assert cost_summary(programme=programme).by_category["hosting"] == Decimal("300")


def test_the_correction_page_corrects_an_entry_and_the_ledger_shows_both(client, programme,
                                                                          manager):
    old = _record(programme, amount="1200")
    login(client, manager)
    url = f"/peers/{programme.slug}/costs/{old.pk}/correct/"
    page = client.get(url).content.decode()
    assert 'value="1200.00"' in page and 'value="Room for group A"' in page  # prefilled
    bad = client.post(url, {"action": "correct", "category": "hosting", "amount": "120",
                            "incurred_on": old.incurred_on.isoformat(),
                            "description": "Room for group A", "reason": ""}).content.decode()
    assert "There is a problem" in bad and 'href="#id_reason"' in bad
    assert "Say why the entry is being corrected" in bad and 'value="120"' in bad
    done = client.post(url, {"action": "correct", "category": "hosting", "amount": "120",
                             "incurred_on": old.incurred_on.isoformat(),
                             "description": "Room for group A", "reason": "Typed an extra 0"})
    assert done.status_code == 302
    ledger = client.get(f"/peers/{programme.slug}/costs/").content.decode()
    assert "Corrected" in ledger and "Typed an extra 0" in ledger
    assert "£1,200.00" in ledger and "£120.00" in ledger  # both rows, the old one marked
    assert cost_summary(programme=programme).actual == Decimal("120")
    again = client.get(url)  # a corrected entry cannot be corrected again
    assert again.status_code == 200 and "already been corrected" in again.content.decode()


def test_the_removal_page_removes_an_entry(client, programme, manager):
    entry = _record(programme)
    login(client, manager)
    url = f"/peers/{programme.slug}/costs/{entry.pk}/remove/"
    bad = client.post(url, {"action": "remove", "removal_reason": ""}).content.decode()
    assert 'href="#id_removal_reason"' in bad and "Say why the entry is being removed" in bad
    assert client.post(url, {"action": "remove",
                             "removal_reason": "Duplicate"}).status_code == 302
    entry.refresh_from_db()
    assert entry.superseded_at and cost_summary(programme=programme).actual == 0


@pytest.fixture
def roles(programme, group, member, facilitator, manager):
    other_manager = make_user("manager2", "programme manager")
    programme_create(manager=other_manager, data=ProgrammeData(
        name="Leeds network", starts_on=programme.starts_on, ends_on=programme.ends_on))
    return {"anonymous": None, "admin": make_user("admin", "administrator"),
            "manager": manager, "other_manager": other_manager, "facilitator": facilitator,
            "member": member, "analyst": make_user("analyst", "analyst")}


@pytest.mark.parametrize("role,allowed", [
    ("admin", True), ("manager", True), ("other_manager", False), ("facilitator", False),
    ("member", False), ("analyst", False), ("anonymous", False)])
def test_only_those_who_may_record_costs_may_correct_them(programme, roles, role, allowed):
    entry = _record(programme)
    client = Client()
    if roles[role] is not None:
        client.force_login(roles[role])
    url = f"/peers/{programme.slug}/costs/{entry.pk}/remove/"
    got = client.get(url)
    posted = client.post(url, {"action": "remove", "removal_reason": "Duplicate"})
    entry.refresh_from_db()
    if allowed:
        assert got.status_code == 200 and posted.status_code == 302
        assert entry.superseded_at is not None
        return
    expected = 302 if role == "anonymous" else 403
    assert (got.status_code, posted.status_code) == (expected, expected)
    if role == "anonymous":
        assert "/accounts/sign-in/" in got["Location"]
    assert entry.superseded_at is None


def test_an_entry_is_corrected_only_through_its_own_programme(client, programme, roles):
    other = programme_create(manager=roles["manager"], data=ProgrammeData(
        name="Bolton network", starts_on=programme.starts_on, ends_on=programme.ends_on))
    entry = _record(programme)
    login(client, roles["manager"])  # manages both programmes
    response = client.post(f"/peers/{other.slug}/costs/{entry.pk}/remove/",
                           {"removal_reason": "Duplicate"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.superseded_at is None


def test_the_api_refuses_a_typo_with_every_reason(client, programme, manager):
    import json

    login(client, manager)
    response = client.post(f"/api/v1/peers/programmes/{programme.slug}/costs", json.dumps({
        "category": "hosting", "amount": "-80", "incurred_on": "2999-01-05",
        "description": "Room"}), content_type="application/json")
    detail = response.json()["detail"]
    assert response.status_code == 400
    assert "greater than £0" in detail and "today or in the past" in detail
    assert not programme.costs.exists()


def test_the_admin_site_shows_cost_entries_but_cannot_change_add_or_delete_them(programme):
    """ADR 16: a cost is corrected through the ledger, never edited in place in the admin."""
    entry = _record(programme, amount="1200")
    admin = make_user("admin", "administrator")
    client = Client()
    client.force_login(admin)
    base = "/admin/peers/costentry/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(f"{base}{entry.pk}/change/", {
        "programme": programme.pk, "category": "hosting", "amount": "12",
        "incurred_on": entry.incurred_on.isoformat(), "description": "edited"})
    assert response.status_code == 403
    assert client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    bulk = client.post(base, {"action": "delete_selected", "_selected_action": [entry.pk],
                              "post": "yes"})
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.amount == Decimal("1200") and entry.description == "Room for group A"
    assert CostEntry.objects.filter(pk=entry.pk).exists()


def _api(client, url, data):
    import json

    return client.post(url, json.dumps(data), content_type="application/json")


def _fix(**kw) -> dict:
    return {"category": "hosting", "amount": "102.50",
            "incurred_on": str(timezone.localdate() - timedelta(days=10)),
            "description": "Room for group A", "reason": "Typo in the amount", **kw}


@pytest.mark.parametrize("role,allowed", [
    ("admin", True), ("manager", True), ("other_manager", False), ("facilitator", False),
    ("member", False), ("analyst", False), ("anonymous", False)])
def test_the_api_lists_corrects_and_removes_entries_for_those_who_may_record_costs(
        programme, roles, role, allowed):
    entry = _record(programme)
    client = Client()
    if roles[role] is not None:
        client.force_login(roles[role])
    base = f"/api/v1/peers/programmes/{programme.slug}/costs"
    listed = client.get(f"{base}/entries")
    corrected = _api(client, f"{base}/{entry.pk}/correct", _fix())
    if not allowed:
        removed = _api(client, f"{base}/{entry.pk}/remove", {"reason": "Duplicate"})
        expected = 401 if role == "anonymous" else 403
        assert {listed.status_code, corrected.status_code, removed.status_code} == {expected}
        entry.refresh_from_db()
        assert entry.superseded_at is None and CostEntry.objects.count() == 1
        return
    assert listed.status_code == 200 and [e["id"] for e in listed.json()] == [entry.pk]
    assert corrected.status_code == 201
    new = corrected.json()
    assert new["corrects"] == entry.pk and new["status"] == "current"
    assert new["amount"] == "102.50"
    removed = _api(client, f"{base}/{new['id']}/remove", {"reason": "Duplicate"})
    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    assert cost_summary(programme=programme).actual == 0


def test_the_api_ledger_shows_superseded_entries_with_their_status_and_reason(
        client, programme, manager):
    entry, other = _record(programme), _record(programme, amount="40", description="Flyers",
                                                category="promotion")
    login(client, manager)
    base = f"/api/v1/peers/programmes/{programme.slug}/costs"
    new = _api(client, f"{base}/{entry.pk}/correct", _fix()).json()
    assert _api(client, f"{base}/{other.pk}/remove", {"reason": "Duplicate"}).status_code == 200
    rows = {e["id"]: e for e in client.get(f"{base}/entries").json()}
    assert set(rows) == {entry.pk, other.pk, new["id"]}
    old = rows[entry.pk]
    assert (old["status"], old["corrected_by"], old["reason"]) == (
        "corrected", new["id"], "Typo in the amount")
    assert old["superseded_by"] == manager.username and old["superseded_at"]
    assert (rows[other.pk]["status"], rows[other.pk]["reason"]) == ("removed", "Duplicate")
    assert rows[new["id"]]["corrects"] == entry.pk
    assert Decimal(client.get(base).json()["actual"]) == Decimal("102.50")


def test_the_api_refuses_to_correct_twice_or_an_entry_it_cannot_find(client, programme,
                                                                      roles):
    other = programme_create(manager=roles["manager"], data=ProgrammeData(
        name="Bolton network", starts_on=programme.starts_on, ends_on=programme.ends_on))
    entry = _record(programme)
    login(client, roles["manager"])  # manages both programmes
    base = f"/api/v1/peers/programmes/{programme.slug}/costs"
    elsewhere = _api(client, f"/api/v1/peers/programmes/{other.slug}/costs/{entry.pk}/remove",
                     {"reason": "Duplicate"})
    assert elsewhere.status_code == 404
    assert _api(client, f"{base}/999999/correct", _fix()).status_code == 404
    assert _api(client, "/api/v1/peers/programmes/nowhere/costs/1/remove",
                {"reason": "x"}).status_code == 404
    assert _api(client, f"{base}/{entry.pk}/correct", _fix()).status_code == 201
    again = _api(client, f"{base}/{entry.pk}/remove", {"reason": "Duplicate"})
    assert again.status_code == 409 and "already been corrected" in again.json()["detail"]
    assert CostEntry.objects.filter(superseded_at__isnull=True).count() == 1


@pytest.mark.parametrize("action,data,fields", [
    ("correct", _fix(amount="-5", incurred_on="2999-01-01", reason=""),
     ["amount", "incurred_on"]),
    ("correct", _fix(category="travel"), ["category"]),
    ("correct", _fix(reason="  "), ["reason"]),
    ("correct", _fix(amount="120.00", reason="No change"), ["entry"]),
    ("correct", _fix(amount="lots"), ["amount"]),
    ("correct", {"category": "hosting"}, ["amount", "incurred_on", "description", "reason"]),
    ("remove", {"reason": ""}, ["reason"]),
    ("remove", {}, ["reason"]),
])
def test_bad_corrections_are_refused_with_the_fields_named(client, programme, manager, action,
                                                           data, fields):
    entry = _record(programme)
    login(client, manager)
    response = _api(client, f"/api/v1/peers/programmes/{programme.slug}/costs/{entry.pk}/"
                    f"{action}", data)
    assert response.status_code == 400
    body = response.json()
    assert [e["field"] for e in body["errors"]] == fields and body["detail"]
    entry.refresh_from_db()
    assert entry.superseded_at is None and CostEntry.objects.count() == 1


def _summary(page: str) -> list[str]:
    import re

    box = page[page.index("govuk-error-summary__list"):]
    box = box[:box.index("</ul>")]
    return re.findall(r'<a href="#([^"]+)">([^<]*)</a>', box)


def test_every_problem_is_shown_in_one_round_in_the_fields_order(client, programme, manager):
    """QA H11 defect 5: the amount's error came only after the category and description were
    put right."""
    login(client, manager)
    page = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "", "amount": "abc", "incurred_on-day": "3", "incurred_on-month": "2",
        "incurred_on-year": "1900", "description": "", "supplier": "Hall Ltd"}).content.decode()
    assert [target for target, _ in _summary(page)] == [
        "id_category", "id_amount", "id_incurred_on-day", "id_description"]
    assert "Enter the amount in pounds, like 450 or 450.50" in page and 'id="amount-error"' in page
    assert "must be between" in page and "Choose a category" in page
    assert 'value="abc"' in page and 'value="Hall Ltd"' in page and 'value="1900"' in page
    assert not programme.costs.exists()


def test_the_correction_page_shows_every_problem_in_one_round(client, programme, manager):
    entry = _record(programme)
    login(client, manager)
    page = client.post(f"/peers/{programme.slug}/costs/{entry.pk}/correct/", {
        "action": "correct", "category": "hosting", "amount": "4,50",
        "incurred_on": timezone.localdate().isoformat(), "description": "",
        "reason": ""}).content.decode()
    assert [target for target, _ in _summary(page)] == ["id_amount", "id_description",
                                                        "id_reason"]
    assert "comma only between thousands" in page and 'value="4,50"' in page
    entry.refresh_from_db()
    assert entry.superseded_at is None and CostEntry.objects.count() == 1
