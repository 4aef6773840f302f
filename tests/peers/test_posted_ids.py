"""A hidden id field changed in the browser (not digits) is a 400 page, not a server error."""

from __future__ import annotations

import pytest

from locus.peers.models import DeclaredPair
from tests.peers.conftest import login


@pytest.mark.parametrize("value", ["%00", "abc", "1e3", "-1", "", "٣", "9" * 40])
def test_a_firm_reporting_an_action_with_a_changed_id_gets_a_400_page(client, member, value):
    login(client, member)
    response = client.post("/peers/my/", {"action_id": value, "status": "done"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, Locus cannot use that request" in page and "nothing was changed" in page
    assert 'class="govuk-header' in page or "govuk-template" in page


def test_a_firm_reporting_an_action_that_is_not_its_own_gets_a_404(client, member):
    login(client, member)
    assert client.post("/peers/my/", {"action_id": "999999", "status": "done"}).status_code == 404


def test_removing_a_declared_pair_with_a_changed_id_is_a_400_and_keeps_the_pair(client, programme, grouped, manager):
    group = programme.groups.order_by("label").first()
    a, b = list(group.firms.order_by("pk"))[:2]
    login(client, manager)
    path = f"/peers/{programme.slug}/firms/{a.pk}/pairs/"
    client.post(path, {"action": "add", "other": str(b.pk), "kind": "competitor"})
    assert DeclaredPair.objects.count() == 1
    response = client.post(path, {"action": "remove", "pair": "' OR 1=1 --"})
    assert response.status_code == 400 and DeclaredPair.objects.count() == 1
