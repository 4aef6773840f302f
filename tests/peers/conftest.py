"""Fixtures: a Greater Manchester programme, users of every role, firms on real postcodes,
groups formed by the engine and meetings held and to come."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from locus.accounts.services import user_create
from locus.peers.groups import group_assign_facilitator, groups_form_programme
from locus.peers.models import Contact, Firm, Meeting, Programme
from locus.peers.scheduling import schedule_plan
from locus.peers.services import ProgrammeData, programme_create

PASSWORD = "a-long-enough-passphrase-42"
GM = "E47000001"
SICS = ["62012", "25620", "10710", "47190", "43210", "56101", "69201", "70229", "71121",
        "73110", "49410", "46900", "86900", "74100", "18129", "33120", "58290", "82990",
        "96020", "45200", "41201", "28990", "63110", "90030"]


@pytest.fixture(scope="session")
def gm_postcodes():
    """Real Greater Manchester postcodes (sampled once per session from the bundled table)."""
    from locus.peers.synthetic import postcodes_sample

    lads = {"E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006",
            "E08000007", "E08000008", "E08000009", "E08000010"}
    return postcodes_sample(lad_codes=lads, n=60, rng=np.random.default_rng(7))


@pytest.fixture(autouse=True)
def inline_jobs(monkeypatch):
    """Run group-formation jobs in the test process: a worker process could not see the test
    database's uncommitted data."""
    from locus.peers import jobs

    monkeypatch.setattr(jobs, "job_launch", lambda job_id: jobs.formation_job_run(job_id=job_id))


def date_parts(prefix: str, day) -> dict:
    """A GOV.UK date input's three fields for a date (``starts_on-day`` and so on)."""
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def make_user(name: str, role: str):
    return user_create(username=name, email=f"{name}@example.org", password=PASSWORD, role=role)


@pytest.fixture
def manager(db):
    return make_user("manager", "programme manager")


@pytest.fixture
def programme(manager):
    today = timezone.localdate()
    return programme_create(manager=manager, data=ProgrammeData(
        name="Greater Manchester Peer Network", starts_on=today - timedelta(days=90),
        ends_on=today + timedelta(days=200), budget=Decimal("30000"),
        delivery_partner="Growth Hub", place_codes=[GM],
        themes=[("Cloud accounting", "digital"), ("Setting targets", "management"),
                ("Selling online", "digital")],
        rules={"min_years_trading": 1, "min_employees": 5, "group_min_size": 5,
               "group_max_size": 7, "time_limit_seconds": 0.3, "comparison": "waitlist"}))


def add_firm(programme: Programme, place: dict, i: int, **extra) -> Firm:
    from locus.geography.models import Area

    lad = Area.objects.select_related("parent", "combined_authority").get(code=place["lad_code"])
    values = {"name": f"Firm {i:02d} Ltd", "name_key": f"firm {i:02d}", "sic": SICS[i % len(SICS)],
              "employees": 10 + i, "trading_since": 2010, "postcode": place["postcode"],
              "lad": lad, "itl3": lad.parent, "combined_authority": lad.combined_authority,
              "lat": place["lat"], "lon": place["lon"], "registered_at": timezone.now(),
              "eligible": True, **extra}
    firm = Firm.objects.create(programme=programme, cohort=programme.cohorts.first(), **values)
    firm.themes.set(programme.themes.all()[: 1 + i % 3])
    Contact.objects.create(firm=firm, name=f"Contact {i}", email=f"c{i}@example.org",
                           consent_programme_at=timezone.now(), consent_research=i % 4 != 0)
    return firm


@pytest.fixture
def firms(programme, gm_postcodes):
    return [add_firm(programme, gm_postcodes[i], i) for i in range(18)]


@pytest.fixture
def grouped(programme, firms, manager):
    run = groups_form_programme(programme=programme, user=manager)
    return run


@pytest.fixture
def facilitator(db):
    return make_user("facil", "facilitator")


@pytest.fixture
def group(grouped, programme, facilitator):
    g = programme.groups.order_by("label").first()
    group_assign_facilitator(group=g, user=facilitator)
    return g


@pytest.fixture
def meetings(group):
    """Meetings 60, 32 and 4 days ago, and one in 24 days."""
    first = timezone.localdate() - timedelta(days=60)
    slots = schedule_plan(first=first, at=time(10, 0), count=4, cadence="four_weekly",
                          pattern="online", venue_ids=[], theme_ids=[])
    return [Meeting.objects.create(group=group, number=s.number, starts_at=s.starts_at,
                                   mode=s.mode, video_url="https://meet.example.org/g")
            for s in slots]


@pytest.fixture
def member(group):
    """A firm member account linked to the first firm of the group."""
    user = make_user("member", "firm member")
    contact = Contact.objects.filter(firm__group=group).order_by("firm__name").first()
    contact.user = user
    contact.save()
    return user


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests create many users: a fast hasher keeps them quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
