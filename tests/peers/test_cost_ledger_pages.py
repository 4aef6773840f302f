"""The cost ledger (QA H20 F12): correcting and removing are two pages, each with a back link
to the ledger; the Status column says "Current", "Corrected" or "Removed" and the actions have
their own column; a long ledger is paged and can be filtered by month and category on the
server (no JavaScript)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_correct, cost_record, cost_remove
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _record(programme, days_ago=10, category="hosting", amount="12"):
    return cost_record(programme=programme, category=category, amount=Decimal(amount),
                       incurred_on=timezone.localdate() - timedelta(days=days_ago),
                       description=f"Entry {days_ago}")


def _rows(html: str) -> list[str]:
    body = html[html.index('id="ledger"'):html.index("</table>", html.index('id="ledger"'))]
    return body.split("<tbody")[1].split('<tr class="govuk-table__row">')[1:]


def test_correct_and_remove_are_separate_pages_with_a_back_link(client, programme, manager):
    entry = _record(programme)
    login(client, manager)
    ledger = f"/peers/{programme.slug}/costs/"
    correct = client.get(f"{ledger}{entry.pk}/correct/").content.decode()
    assert f'href="{ledger}" class="govuk-back-link">Back to the ledger' in correct
    assert "Save the correction" in correct and "Remove the entry</button>" not in correct
    assert f'href="{ledger}{entry.pk}/remove/"' in correct
    remove = client.get(f"{ledger}{entry.pk}/remove/").content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Remove a cost</h1>" in remove
    assert f'href="{ledger}" class="govuk-back-link">Back to the ledger' in remove
    assert "Remove the entry</button>" in remove and "Save the correction" not in remove
    assert 'name="amount"' not in remove
    # a removal posted to the correction page is not a removal
    client.post(f"{ledger}{entry.pk}/correct/", {"action": "remove", "removal_reason": "Dup"})
    entry.refresh_from_db()
    assert entry.superseded_at is None


def test_the_status_column_shows_a_status_and_the_actions_have_their_own(client, programme,
                                                                         manager):
    _record(programme, 5)
    fixed, gone = _record(programme, 6), _record(programme, 7)
    cost_correct(entry=fixed, category="hosting", amount=Decimal("10"),
                 incurred_on=fixed.incurred_on, description="Entry 6", supplier="",
                 reason="Typo", user=manager)
    cost_remove(entry=gone, reason="Entered twice", user=manager)
    html = login(client, manager).get(f"/peers/{programme.slug}/costs/").content.decode()
    head = html[html.index('id="ledger"'):html.index("</thead>", html.index('id="ledger"'))]
    assert re.findall(r'scope="col" class="[^"]*">(\w+)<', head) == [
        "Date", "Category", "What", "Amount", "Status", "Action"]
    statuses = [re.search(r"govuk-tag[^>]*>(\w+)<", row).group(1) for row in _rows(html)]
    assert sorted(statuses) == ["Corrected", "Current", "Current", "Removed"]
    assert "Correct or remove" not in html
    for row in _rows(html):
        cells = row.split("</td>")
        status, action = cells[4], cells[5]
        assert "Correct<" not in status
        if "Current" in status:
            assert "/correct/" in action and "/remove/" in action
        else:
            assert "/correct/" not in action


def test_a_long_ledger_is_paged_and_filtered_by_month_and_category(client, programme,
                                                                   manager):
    for days in range(90):  # the programme started 90 days ago
        _record(programme, days, category="promotion" if days % 3 == 0 else "hosting")
    login(client, manager)
    path = f"/peers/{programme.slug}/costs/"
    first = client.get(path).content.decode()
    assert len(_rows(first)) == 50 and "90 entries" in first and "Page 1 of 2" in first
    second = client.get(path + "?page=2").content.decode()
    assert len(_rows(second)) == 40
    promotion = client.get(path + "?category=promotion").content.decode()
    assert "30 entries match" in promotion and len(_rows(promotion)) == 30
    assert all("Promotion" in row for row in _rows(promotion))
    day = timezone.localdate()
    month = client.get(path + f"?month={day:%Y-%m}").content.decode()
    assert len(_rows(month)) == day.day  # entries 0 .. day-1 days ago fall in this month
    assert f'<option value="{day:%Y-%m}" selected>' in month
    both = client.get(path + f"?month={day:%Y-%m}&category=promotion").content.decode()
    assert len(_rows(both)) == len([d for d in range(day.day) if d % 3 == 0])
    bad = client.get(path + "?month=1999-01&category=grants").content.decode()
    assert "Choose a month from the list" in bad and "Choose a category from the list" in bad
    assert len(_rows(bad)) == 50  # the filters that could not be read are not applied
    # the pages keep the filter
    paged = client.get(path + "?category=hosting").content.decode()
    assert 'href="?page=2&amp;category=hosting#ledger-heading"' in paged
