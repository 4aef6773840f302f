"""The facilitator dropdown on a group page (QA H20 polish): a real programme listed every
facilitator on the site, DEMO accounts included, some by bare username, and the server took any
user id posted. Now a real programme never offers DEMO accounts and a DEMO programme offers only
them; people show by full name (the username only to tell two of the same name apart, or when
there is no name); an id outside that set is refused and changes nothing."""

from __future__ import annotations

import pytest

from locus.peers.models.programme import DEMO_EMAIL_DOMAIN
from locus.peers.selectors import facilitator_choices
from locus.peers.services import ProgrammeData, programme_create
from tests.peers.conftest import login, make_user

pytestmark = pytest.mark.django_db


def _person(username, first="", last="", email=None):
    user = make_user(username, "facilitator")
    user.first_name, user.last_name = first, last
    user.email = email or f"{username}@example.org"
    user.save()
    return user


@pytest.fixture
def people(db):
    return {"demo": _person("demo-facilitator", "DEMO Facilitator 1",
                            email=f"demo-facilitator@{DEMO_EMAIL_DOMAIN}"),
            "ann1": _person("ann.lee", "Ann", "Lee"), "ann2": _person("alee2", "Ann", "Lee"),
            "bare": _person("qa-fac"), "amir": _person("amir", "Amir", "Khan")}


def _options(html: str) -> list[str]:
    select = html[html.index('id="facilitator"'):html.index("</select>",
                                                           html.index('id="facilitator"'))]
    return [part.split(">", 1)[1].split("<", 1)[0] for part in select.split("<option")[1:]]


def test_a_real_programme_offers_real_people_by_name(client, programme, group, people,
                                                     manager):
    html = login(client, manager).get(f"/peers/groups/{group.pk}/").content.decode()
    options = _options(html)
    assert "DEMO Facilitator 1" not in options
    assert {"Amir Khan", "Ann Lee (alee2)", "Ann Lee (ann.lee)", "qa-fac"} <= set(options)
    assert "Ann Lee" not in options  # two people share the name: the username tells them apart
    labels = dict((u.username, label) for u, label in facilitator_choices(group=group))
    assert labels["facil"] == "facil" and "demo-facilitator" not in labels


def test_a_demo_facilitator_is_refused_for_a_real_programme(client, programme, group, people,
                                                            manager, facilitator):
    login(client, manager)
    response = client.post(f"/peers/groups/{group.pk}/", {
        "action": "facilitator", "facilitator": str(people["demo"].pk)}, follow=True)
    assert "Choose a facilitator from the list" in response.content.decode()
    group.refresh_from_db()
    assert group.facilitator.user == facilitator  # unchanged, not unassigned
    for junk in ("999999", "abc"):
        client.post(f"/peers/groups/{group.pk}/", {"action": "facilitator", "facilitator": junk})
        group.refresh_from_db()
        assert group.facilitator.user == facilitator
    client.post(f"/peers/groups/{group.pk}/", {"action": "facilitator",
                                               "facilitator": str(people["amir"].pk)})
    group.refresh_from_db()
    assert group.facilitator.user == people["amir"]
    client.post(f"/peers/groups/{group.pk}/", {"action": "facilitator", "facilitator": ""})
    group.refresh_from_db()
    assert group.facilitator is None


def test_a_demo_programme_offers_only_demo_accounts(client, manager, people, programme):
    from locus.peers.models import PeerGroup

    demo = programme_create(manager=manager, is_demo=True, data=ProgrammeData(
        name="DEMO Test Network", starts_on=programme.starts_on, ends_on=programme.ends_on))
    group = PeerGroup.objects.create(programme=demo, label="G01")
    assert [label for _, label in facilitator_choices(group=group)] == ["DEMO Facilitator 1"]
    login(client, manager)
    client.post(f"/peers/groups/{group.pk}/", {"action": "facilitator",
                                               "facilitator": str(people["amir"].pk)})
    group.refresh_from_db()
    assert group.facilitator is None
