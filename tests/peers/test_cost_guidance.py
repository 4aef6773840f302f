"""The cost ledger's guidance (QA H20 F5): each category says what it covers, the form quotes the
brief's limit on public support (promotion is not payments to firms), and an entry that takes
spending over the budget is confirmed with a warning, not a plain "Success"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _post(client, programme, amount, category="facilitation"):
    return client.post(f"/peers/{programme.slug}/costs/", {
        "category": category, "amount": amount,
        "incurred_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "description": "Facilitator fees", "supplier": ""}, follow=True)


def test_each_category_says_what_it_covers_and_promotion_is_not_payments_to_firms(
        client, programme, manager):
    html = login(client, manager).get(f"/peers/{programme.slug}/costs/").content.decode()
    for id_ in ("id_category", "id_category_1", "id_category_2"):
        assert f'aria-describedby="{id_}-item-hint"' in html and f'id="{id_}-item-hint"' in html
    assert html.count("govuk-radios__hint") == 3
    assert "Not payments, grants or subsidies to firms" in html
    assert "facilitation, hosting and promotional costs" in html  # the brief's words


def test_an_entry_that_takes_spending_over_the_budget_is_a_warning(client, programme, manager):
    login(client, manager)
    first = _post(client, programme, "20000").content.decode()
    assert "Success" in first and "over the budget" not in first
    second = _post(client, programme, "15,000").content.decode()
    assert "Success" not in second and "Warning" in second
    assert "£15,000.00 of facilitation recorded" in second
    assert "Spending is now £35,000.00, over the budget of £30,000.00 by £5,000.00" in second
