"""Two corrections of one cost entry at once: exactly one wins; the other is told the entry was
already corrected or removed (409 on the API, the entry's page on the web), and nothing of it
is saved (ADR 16)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_correct, cost_record, cost_remove
from locus.peers.errors import CostSupersededError
from locus.peers.models import CostEntry
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - timedelta(days=10)


@pytest.fixture
def entry(programme):
    return cost_record(programme=programme, category="hosting", amount=Decimal("120"),
                       incurred_on=DAY, description="Room for group A")


def _race(manager) -> None:
    for e in CostEntry.objects.filter(superseded_at__isnull=True):
        CostEntry.objects.filter(pk=e.pk).update(
            superseded_at=timezone.now(), superseded_by=manager,
            correction_reason="Entered twice (the other manager)")


@pytest.fixture
def someone_else_first(monkeypatch, manager):
    """Between a request's check that the entry is current and its write, another manager
    removes the entry and commits (as a concurrent request would): on the API just after its
    lookup, on the web page just before the correction is written."""
    from locus.peers import api
    from locus.peers.views import reports

    real_entry, real_correct = api._entry, reports.cost_correct

    def entry_then_raced(*args, **kw):
        found = real_entry(*args, **kw)
        _race(manager)
        return found

    def raced_then_correct(**kw):
        _race(manager)
        return real_correct(**kw)

    monkeypatch.setattr(api, "_entry", entry_then_raced)
    monkeypatch.setattr(reports, "cost_correct", raced_then_correct)


def _fix(**kw) -> dict:
    return {"category": "hosting", "amount": "102.50", "incurred_on": str(DAY),
            "description": "Room for group A", "reason": "Typo in the amount", **kw}


def test_the_service_refuses_the_loser_of_a_race_and_saves_nothing_of_it(entry, manager):
    stale = CostEntry.objects.get(pk=entry.pk)  # looked up before the other correction
    cost_remove(entry=entry, reason="Entered twice", user=manager)
    with pytest.raises(CostSupersededError, match="already been removed") as caught:
        cost_correct(entry=stale, category="hosting", amount="102.50", incurred_on=DAY,
                     description="Room", reason="Typo", user=manager)
    assert caught.value.field == "entry"
    with pytest.raises(CostSupersededError):
        cost_remove(entry=stale, reason="Also a duplicate", user=manager)
    entry.refresh_from_db()
    assert entry.correction_reason == "Entered twice" and CostEntry.objects.count() == 1


@pytest.mark.parametrize("action,data", [("correct", _fix()), ("remove", {"reason": "Dup"})])
def test_the_api_answers_409_when_another_correction_wins_the_race(
        client, programme, manager, entry, someone_else_first, action, data):
    login(client, manager)
    response = client.post(f"/api/v1/peers/programmes/{programme.slug}/costs/{entry.pk}/{action}",
                           json.dumps(data), content_type="application/json")
    assert response.status_code == 409
    assert "already been removed" in response.json()["detail"]
    assert "the other manager" in response.json()["detail"]
    assert CostEntry.objects.count() == 1  # no correction was saved


def test_the_web_page_shows_the_entry_was_corrected_meanwhile(client, programme, manager,
                                                             entry, someone_else_first):
    login(client, manager)
    response = client.post(f"/peers/{programme.slug}/costs/{entry.pk}/correct/", {
        "action": "correct", "category": "hosting", "amount": "102.50",
        **{f"incurred_on-{k}": str(getattr(DAY, k)) for k in ("day", "month", "year")},
        "description": "Room", "supplier": "", "reason": "Typo"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "This entry has already been removed" in page and "the other manager" in page
    assert CostEntry.objects.count() == 1


def test_the_web_page_answers_409_to_a_change_of_an_entry_already_superseded(
        client, programme, manager, entry):
    cost_remove(entry=entry, reason="Entered twice", user=manager)
    login(client, manager)
    path = f"/peers/{programme.slug}/costs/{entry.pk}/remove/"
    assert client.get(path).status_code == 200
    response = client.post(path, {"removal_reason": "Again"})
    assert response.status_code == 409
    assert "This entry has already been removed" in response.content.decode()
    entry.refresh_from_db()
    assert entry.correction_reason == "Entered twice"
