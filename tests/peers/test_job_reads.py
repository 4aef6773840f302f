"""Showing a group-formation job never writes (ADR 0012, addendum). A job that can no longer
finish is shown as stopped, worked out from its row, the clock and whether its worker process
still exists; it is recorded as failed only on write paths: when a manager starts a new job, and
by `locus peers expire-jobs` (`manage.py peers_expire_jobs`) run on a schedule."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from typer.testing import CliRunner

from locus.cli import app
from locus.peers import jobs
from locus.peers.errors import PeersFieldError
from locus.peers.models import FormationJob
from locus.peers.services import ProgrammeData, programme_create
from tests.peers.conftest import GM, login

pytestmark = pytest.mark.django_db
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
HOST = socket.gethostname()


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if WRITES.match(q["sql"])]


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _dead_pid() -> int:
    """The id of a process that has just ended (and been reaped), so it exists no more."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _queued_job(programme, manager, monkeypatch) -> FormationJob:
    """A job whose worker was never started (the launcher does nothing this once; then jobs run
    in the test process again, see conftest.inline_jobs)."""
    inline = jobs.job_launch
    monkeypatch.setattr(jobs, "job_launch", lambda job_id: None)
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    monkeypatch.setattr(jobs, "job_launch", inline)
    return job


def _make_stuck(job: FormationJob, how: str) -> None:
    now = timezone.now()
    if how == "never started":
        FormationJob.objects.filter(pk=job.pk).update(created_at=now - timedelta(minutes=3))
    elif how == "ran too long":
        FormationJob.objects.filter(pk=job.pk).update(
            status="running", pid=os.getpid(), host=HOST,
            started_at=now - timedelta(seconds=3 * job.time_limit + 301))
    elif how == "worker gone":
        FormationJob.objects.filter(pk=job.pk).update(status="running", pid=_dead_pid(),
                                                      host=HOST, started_at=now)
    job.refresh_from_db()


STUCK = {"never started": "did not start within 2 minutes",
         "ran too long": "stopped before it finished",
         "worker gone": "stopped before it finished"}


def _row(job) -> tuple:
    return FormationJob.objects.filter(pk=job.pk).values_list(
        "status", "error", "finished_at").get()


def _get(client, url: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, _writes(ctx.captured_queries)


@pytest.mark.parametrize("how", STUCK)
def test_showing_a_stuck_job_writes_nothing_and_says_it_has_stopped(
        client, programme, firms, manager, monkeypatch, how):
    job = _queued_job(programme, manager, monkeypatch)
    _make_stuck(job, how)
    before = _row(job)
    login(client, manager)
    groups, writes = _get(client, f"/peers/{programme.slug}/groups/")
    assert writes == []
    text = _text(groups)
    assert "The last attempt has stopped and will not finish" in text and STUCK[how] in text
    assert "Try again" in text and "Starting again below records it as failed" in text
    assert "See its progress" not in text
    page, writes = _get(client, f"/peers/{programme.slug}/groups/jobs/{job.pk}/")
    assert writes == []
    text = _text(page)
    assert "This has stopped and will not finish" in text and STUCK[how] in text
    assert "Go back to the groups to start again" in text
    assert "data-peers-job-refresh" not in page.content.decode()  # it no longer reloads itself
    assert _row(job) == before and job.status in ("queued", "running")


def test_the_detector_would_see_expiry_put_back_into_the_page(client, programme, firms,
                                                              manager, monkeypatch):
    """The check can fail: a page that expired jobs as it did before is caught writing."""
    from locus.peers.views import groups as views

    job = _queued_job(programme, manager, monkeypatch)
    _make_stuck(job, "never started")

    def expiring(job, **kw):
        jobs.jobs_expire(programme=job.programme)
        return jobs.job_stuck_reason(job, **kw)

    monkeypatch.setattr(views, "job_stuck_reason", expiring)
    _, writes = _get(login(client, manager), f"/peers/{programme.slug}/groups/")
    assert writes and all("peers_formationjob" in sql for sql in writes)


def test_a_job_still_within_its_time_is_shown_as_working(client, programme, firms, manager,
                                                         monkeypatch):
    job = _queued_job(programme, manager, monkeypatch)
    login(client, manager)
    url = f"/peers/{programme.slug}/groups/jobs/{job.pk}/"
    assert 'data-peers-job-refresh="2"' in client.get(url).content.decode()
    # Running, its worker alive here; then a dead id recorded by another machine, which this
    # one cannot check: both may still finish.
    for pid, host in ((os.getpid(), HOST), (_dead_pid(), "another-machine")):
        FormationJob.objects.filter(pk=job.pk).update(status="running", pid=pid, host=host,
                                                      started_at=timezone.now())
        job.refresh_from_db()
        assert jobs.job_stuck_reason(job) == ""
        groups, writes = _get(client, f"/peers/{programme.slug}/groups/")
        assert writes == [] and "See its progress" in _text(groups)
        assert "has stopped" not in _text(groups)


def test_a_worker_that_finished_just_after_the_row_was_read_is_not_stuck(programme, firms,
                                                                         manager, monkeypatch):
    job = _queued_job(programme, manager, monkeypatch)
    _make_stuck(job, "worker gone")
    assert jobs.job_stuck_reason(job) != ""
    FormationJob.objects.filter(pk=job.pk).update(status="done")  # the worker's last write
    assert job.status == "running" and jobs.job_stuck_reason(job) == ""
    assert jobs.jobs_expire(programme=programme) == 0
    assert _row(job)[0] == "done"


@pytest.mark.parametrize("how", ["never started", "worker gone"])
def test_a_new_formation_after_a_stuck_one_works(client, programme, firms, manager,
                                                 monkeypatch, how):
    job = _queued_job(programme, manager, monkeypatch)
    _make_stuck(job, how)
    login(client, manager)
    shown = _text(client.get(f"/peers/{programme.slug}/groups/jobs/{job.pk}/"))
    response = client.post(f"/peers/{programme.slug}/groups/", {
        "min_size": 5, "max_size": 7, "max_km": 40, "competitor_km": 10, "sector_cap": 2,
        "time_limit": 1})
    assert response.status_code == 302, _text(response)
    new = FormationJob.objects.exclude(pk=job.pk).get()
    assert response["Location"].endswith(f"/groups/jobs/{new.pk}/")
    assert new.status == "done" and programme.groups.exists()
    status, error, finished = _row(job)
    assert status == "failed" and STUCK[how] in error and finished
    after = _text(client.get(f"/peers/{programme.slug}/groups/jobs/{job.pk}/"))
    assert error in shown and error in after  # the same words before and after it was recorded


def test_two_managers_at_once_still_start_only_one_job(programme, firms, manager,
                                                       monkeypatch):
    """Both see the stuck job and expire it; between one's expiry and its insert the other's job
    lands: the database's one-active-job constraint refuses the second (ADR 0012)."""
    stuck = _queued_job(programme, manager, monkeypatch)
    _make_stuck(stuck, "never started")
    monkeypatch.setattr(jobs, "job_launch", lambda job_id: None)
    real_expire = jobs.jobs_expire
    other = []

    def expire_then_the_other_manager_starts(**kw):
        count = real_expire(**kw)
        other.append(FormationJob.objects.create(programme=programme, kind="form",
                                                 time_limit=programme.time_limit_seconds))
        return count

    monkeypatch.setattr(jobs, "jobs_expire", expire_then_the_other_manager_starts)
    with pytest.raises(PeersFieldError, match="already being formed"):
        jobs.formation_job_start(programme=programme, kind="form", user=manager)
    active = FormationJob.objects.filter(programme=programme, status__in=["queued", "running"])
    assert list(active) == other and _row(stuck)[0] == "failed"
    monkeypatch.setattr(jobs, "jobs_expire", real_expire)
    with pytest.raises(PeersFieldError, match="already being formed"):  # the new one is healthy
        jobs.formation_job_start(programme=programme, kind="form", user=manager)


def _second_programme(manager):
    today = timezone.localdate()
    return programme_create(manager=manager, data=ProgrammeData(
        name="Second Peer Network", starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=200), budget=Decimal("1000"), delivery_partner="Hub",
        place_codes=[GM], themes=[("Exporting", "markets")], rules={}))


def test_the_scheduled_command_expires_stuck_jobs_of_every_programme(programme, firms, manager,
                                                                     monkeypatch):
    stuck = _queued_job(programme, manager, monkeypatch)
    _make_stuck(stuck, "ran too long")
    healthy = _queued_job(_second_programme(manager), manager, monkeypatch)
    out = subprocess_free_call("peers_expire_jobs")
    assert out.strip() == "Recorded 1 group-formation job that could no longer finish as failed."
    status, error, finished = _row(stuck)
    assert status == "failed" and STUCK["ran too long"] in error and finished
    assert _row(healthy)[0] == "queued"
    result = CliRunner().invoke(app, ["peers", "expire-jobs"])
    assert result.exit_code == 0, result.output
    assert "Recorded 0 group-formation jobs" in result.output
    _make_stuck(healthy, "never started")
    assert "Recorded 1 group-formation job " in CliRunner().invoke(
        app, ["peers", "expire-jobs"]).output
    assert _row(healthy)[0] == "failed"


def subprocess_free_call(name: str) -> str:
    """Run a management command in this process and return what it printed."""
    from io import StringIO

    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()
