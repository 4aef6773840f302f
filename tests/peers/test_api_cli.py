"""The API's behaviour (refusals with reasons, outcomes, OpenAPI) and the CLI (demo, reminders)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from locus.cli import app
from locus.peers.explain import explanation_lines
from locus.peers.models import Firm, Meeting, Programme
from locus.peers.synthetic import TRADES, fake_firms
from tests.peers.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
runner = CliRunner()


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_attendance_refusals_come_back_with_the_reason(client, meetings, group, programme,
                                                       facilitator):
    login(client, facilitator)
    firm = group.firms.first()
    future = post(client, f"/api/v1/peers/meetings/{meetings[-1].pk}/attendance",
                  {"marks": [{"firm_id": firm.pk, "status": "present"}]})
    assert future.status_code == 400 and "has not happened yet" in future.json()["detail"]
    outsider = Firm.objects.filter(programme=programme).exclude(group=group).first()
    other = post(client, f"/api/v1/peers/meetings/{meetings[0].pk}/attendance",
                 {"marks": [{"firm_id": firm.pk, "status": "present"},
                            {"firm_id": outsider.pk, "status": "present"}]})
    assert other.status_code == 400 and "is not a member of group" in other.json()["detail"]
    # named at the mark, as the other attendance refusals are (H29 A9)
    assert [e["field"] for e in other.json()["errors"]] == ["marks[1].firm_id"]
    ok = post(client, f"/api/v1/peers/meetings/{meetings[0].pk}/attendance",
              {"marks": [{"firm_id": firm.pk, "status": "present"}]})
    assert ok.json() == {"recorded": 1, "is_demo": False, "demo_caution": None}
    rows = client.get(f"/api/v1/peers/meetings/{meetings[0].pk}/attendance").json()
    assert {r["firm_id"]: r["status"] for r in rows}[firm.pk] == "present"


def test_a_cost_outside_the_categories_is_refused_by_the_api(client, programme, manager):
    login(client, manager)
    r = post(client, f"/api/v1/peers/programmes/{programme.slug}/costs",
             {"category": "travel", "amount": "50", "incurred_on": "2026-02-01",
              "description": "Taxi"})
    assert r.status_code == 400 and "facilitation, hosting and promotion" in r.json()["detail"]
    assert not programme.costs.exists()


def test_programme_detail_and_outcomes(client, programme, grouped, manager):
    login(client, manager)
    detail = client.get(f"/api/v1/peers/programmes/{programme.slug}").json()
    assert [s["key"] for s in detail["funnel"]] == ["registered", "eligible", "grouped",
                                                    "first_meeting", "completed"]
    assert detail["funnel"][0]["count"] == 18 and detail["places"] == ["E47000001"]
    outcomes = client.get(f"/api/v1/peers/programmes/{programme.slug}/outcomes").json()
    assert {m["measure"] for m in outcomes["measures"]} >= {"management_score",
                                                             "digital_index", "kpis"}


def test_the_openapi_lists_the_peers_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/peers/programmes", "/api/v1/peers/programmes/{slug}/groups",
                 "/api/v1/peers/meetings/{id}/attendance",
                 "/api/v1/peers/programmes/{slug}/outcomes"):
        assert path in paths


@pytest.mark.parametrize("args", [["demo"], ["demo", "peers"], ["peers"],
                                  ["peers", "reminders"]])
def test_cli_help(args):
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_demo_peers_creates_a_labelled_demo_on_real_postcodes(client):
    result = runner.invoke(app, ["demo", "peers", "--firms", "40", "--password", PASSWORD,
                                 "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    programme = Programme.objects.get(is_demo=True)
    assert programme.name.startswith("DEMO") and programme.places.get().code == "E47000001"
    firms = Firm.objects.filter(programme=programme)
    assert firms.count() == 46 and all(f.name.startswith("DEMO") for f in firms)
    from locus.peers.rules import name_key

    # the registration form's duplicate check compares name keys: demo firms use the same key
    assert all(f.name_key == name_key(f.name) for f in firms)
    assert all(f.combined_authority_id == "E47000001" and f.lad_id for f in firms)
    assert programme.groups.exists() and programme.costs.exists()
    _assert_demo_dates_are_consistent(programme)
    assert firms.filter(withdrawn_at__isnull=False).exists()  # the demo has drop-outs ...
    for group in programme.groups.all():  # ... and each group's explanation counts who remains
        assert explanation_lines(group.explanation)[0].startswith(
            f"{group.firms.count()} firms from"), group.label
    # Most meetings held have made-up DEMO session notes; a few are left to write, so the
    # facilitator's page shows both (every demo meeting said "To record: notes").
    from django.utils import timezone

    held = Meeting.objects.filter(group__programme=programme, starts_at__lte=timezone.now(),
                                  status="scheduled")
    written = held.exclude(notes="")
    assert held.count() / 2 < written.count() < held.count()
    assert all(m.notes.startswith("DEMO notes (made up") for m in written)
    assert not Meeting.objects.filter(group__programme=programme, starts_at__gt=timezone.now()
                                      ).exclude(notes="").exists()
    login(client, type(programme.managers.get()).objects.get(username="demo-facilitator"))
    mine = client.get("/peers/facilitate/").content.decode()
    assert "To record: notes" in mine and "All recorded" in mine
    client.logout()
    login(client, type(programme.managers.get()).objects.get(username="demo-manager"))
    page = client.get(f"/peers/{programme.slug}/").content.decode()
    assert "DEMO" in page and "Recruitment funnel" in page
    meeting = Meeting.objects.filter(group__programme=programme).first()
    for url in (f"/peers/meetings/{meeting.pk}/", f"/peers/meetings/{meeting.pk}/attendance/",
                f"/peers/meetings/{meeting.pk}/change/"):  # pages about a demo meeting, not the programme
        assert "Demonstration programme: the firms, people" in client.get(url).content.decode(), url
    # Every page a demo firm's contact sees carries the banner, their personal-data page included.
    client.logout()
    login(client, type(programme.managers.get()).objects.get(username="demo-firm"))
    for url in ("/peers/my/", "/peers/my/data/"):
        assert "Demonstration programme: the firms, people" in client.get(url).content.decode(), url
    again = runner.invoke(app, ["demo", "peers", "--firms", "40", "--password", PASSWORD,
                                "--time-limit", "0.5"])
    assert again.exit_code == 0 and Programme.objects.filter(is_demo=True).count() == 1


def _assert_demo_dates_are_consistent(programme):
    """Made-up answers are dated as real ones would be: a baseline before the firm joined a
    group, an end survey once it opened and not in the future; every meeting and cost within
    the programme's dates; so the outcomes leave no demo firm out."""
    from django.utils import timezone

    from locus.peers.models import DiagnosticResponse
    from locus.peers.outcomes import outcomes_report, wave_opens_on

    today = timezone.localdate()
    end_opens = wave_opens_on(programme=programme, wave="end")
    responses = DiagnosticResponse.objects.filter(firm__programme=programme).select_related("firm")
    assert responses.filter(wave="end").exists() and responses.filter(wave="baseline").exists()
    for r in responses:
        day = timezone.localtime(r.submitted_at).date()
        assert day <= today, (r.wave, day)
        if r.wave == "end":
            assert day >= end_opens, (day, end_opens)
        if r.wave == "baseline" and r.firm.grouped_at is not None:
            assert r.submitted_at < r.firm.grouped_at
    meetings = Meeting.objects.filter(group__programme=programme)
    assert all(programme.starts_on <= timezone.localtime(m.starts_at).date() <= programme.ends_on
               for m in meetings)
    assert all(programme.starts_on <= c.incurred_on <= today for c in programme.costs.all())
    report = outcomes_report(programme=programme)
    assert report["excluded"] == {"participants": 0, "comparison": 0}
    assert report["rows"][0]["participants"].n > 0 and report["rows"][0]["comparison"].n > 0


def test_reminders_command_runs(meetings):
    result = runner.invoke(app, ["peers", "reminders", "--hours", "1"])
    assert result.exit_code == 0 and "Sent 0 reminder emails" in result.output


def test_demo_firm_names_name_the_trade_of_their_sic_code():
    """'DEMO Cotton Bakery 007 Ltd' was coded as building construction, which made the group
    explanations (no two firms of one trade together) read as nonsense."""
    firms = fake_firms(n=200, rng=np.random.default_rng(3), n_themes=4, year=2026)
    assert {f.sic for f in firms} == set(TRADES)  # every trade is drawn
    for firm in firms:
        assert firm.name.split()[-3] == TRADES[firm.sic] and firm.name.startswith("DEMO ")
