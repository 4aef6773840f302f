"""Group formation in the background: a job records its result or the reason it failed, one
job at a time per programme, dead jobs are expired, and the worker is a detached process."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from locus.peers import jobs
from locus.peers.dates import DatePartsField
from locus.peers.errors import PeersFieldError
from locus.peers.models import FormationJob
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def test_a_job_records_its_run(programme, firms, manager):
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    job.refresh_from_db()
    assert job.status == "done" and job.run.n_firms == 18 and job.pid
    assert programme.groups.exists() and not job.error


def test_a_failing_engine_is_recorded_with_its_reason(client, programme, firms, manager):
    programme.group_min_size = 40  # more than the 18 eligible firms
    programme.group_max_size = 45
    programme.save()
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    job.refresh_from_db()
    assert job.status == "failed" and "a group needs at least 40" in job.error
    page = login(client, manager).get(f"/peers/{programme.slug}/groups/jobs/{job.pk}/")
    assert "The groups could not be formed" in page.content.decode()
    assert "a group needs at least 40" in page.content.decode()


def test_an_unexpected_error_fails_the_job_not_the_worker(programme, firms, manager,
                                                         monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setitem(jobs._ACTIONS, "form", boom)
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    job.refresh_from_db()
    assert job.status == "failed" and "solver crashed" in job.error


def test_only_one_active_job_per_programme(programme, firms, manager, monkeypatch):
    monkeypatch.setattr(jobs, "job_launch", lambda job_id: None)  # stays queued
    first = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    with pytest.raises(PeersFieldError, match="already being formed"):
        jobs.formation_job_start(programme=programme, kind="late", user=manager)
    assert first.status == "queued"


def test_a_running_page_refreshes_itself_and_can_be_checked_again(client, programme, firms,
                                                                  manager, monkeypatch):
    monkeypatch.setattr(jobs, "job_launch", lambda job_id: None)
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    page = login(client, manager).get(f"/peers/{programme.slug}/groups/jobs/{job.pk}/")
    html = page.content.decode()
    assert 'data-peers-job-refresh="2"' in html and "peers/job.js" in html
    assert "Check again" in html and 'http-equiv="refresh"' not in html
    groups = client.get(f"/peers/{programme.slug}/groups/").content.decode()
    assert "See its progress" in groups


def test_jobs_that_cannot_finish_are_expired(programme, firms, manager, monkeypatch):
    monkeypatch.setattr(jobs, "job_launch", lambda job_id: None)
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    now = timezone.now()
    assert jobs.jobs_expire(programme=programme, now=now) == 0
    assert jobs.jobs_expire(programme=programme, now=now + timedelta(minutes=3)) == 1
    job.refresh_from_db()
    assert job.status == "failed" and "did not start" in job.error
    running = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    FormationJob.objects.filter(pk=running.pk).update(status="running", started_at=now)
    limit = 3 * running.time_limit + 300
    assert jobs.jobs_expire(programme=programme, now=now + timedelta(seconds=limit - 1)) == 0
    assert jobs.jobs_expire(programme=programme, now=now + timedelta(seconds=limit + 1)) == 1
    assert "stopped before it finished" in FormationJob.objects.get(pk=running.pk).error


def test_a_finished_job_is_not_run_twice(programme, firms, manager):
    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    runs = programme.runs.count()
    jobs.formation_job_run(job_id=job.pk)
    assert programme.runs.count() == runs


def test_the_worker_is_a_detached_manage_py_process(settings, tmp_path, monkeypatch):
    calls = []

    class FakePopen:
        def __init__(self, args, **kwargs):
            calls.append((args, kwargs))

        def wait(self):
            calls.append("waited")

    settings.LOCUS_DATA_DIR = tmp_path
    monkeypatch.undo()  # the autouse fixture ran jobs in-process; use the real launcher
    monkeypatch.setattr(jobs.subprocess, "Popen", FakePopen)
    jobs.job_launch(41)
    args, kwargs = calls[0]
    assert args[0] == sys.executable and args[1].endswith("manage.py")
    assert args[2:] == ["peers_form_job", "41"] and kwargs["start_new_session"] is True
    assert (tmp_path / "peers-jobs.log").exists()


def test_date_parts_field_follows_the_govuk_messages():
    field = DatePartsField(noun="start date")
    cases = {("", "", ""): ("Enter the start date", "day month year"),
             ("1", "", "2026"): ("Start date must include a month", "month"),
             ("", "", "2026"): ("Start date must include a day and month", "day month"),
             ("30", "2", "2026"): ("Start date must be a real date", "day month year"),
             ("1", "13", "2026"): ("Start date must be a real date", "month"),
             ("x", "1", "2026"): ("Start date must be a real date", "day"),
             ("1", "1", "26"): ("Year must include 4 numbers", "year")}
    from django.core.exceptions import ValidationError

    for (d, m, y), (message, parts) in cases.items():
        with pytest.raises(ValidationError) as excinfo:
            field.clean({"day": d, "month": m, "year": y})
        assert excinfo.value.messages == [message]
        assert field.error_parts([excinfo.value.error_list[0]]) == parts.split()
    assert str(field.clean({"day": "5", "month": "Mar", "year": "2026"})) == "2026-03-05"
    assert str(field.clean({"day": " 05", "month": "march", "year": "2026"})) == "2026-03-05"
    assert str(field.clean("2026-03-05")) == "2026-03-05"
    assert DatePartsField(noun="x", required=False).clean({"day": "", "month": "",
                                                            "year": ""}) is None


def test_the_job_page_is_for_the_programmes_managers_only(client, programme, firms, manager,
                                                          facilitator):
    from django.test import Client

    from tests.peers.conftest import make_user

    job = jobs.formation_job_start(programme=programme, kind="form", user=manager)
    path = f"/peers/{programme.slug}/groups/jobs/{job.pk}/"
    assert login(client, manager).get(path).status_code == 200
    for user in (make_user("pm2", "programme manager"), facilitator):
        other = Client(HTTP_HOST="localhost")
        other.force_login(user)
        assert other.get(path).status_code == 403
    anonymous = Client(HTTP_HOST="localhost").get(path)
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]
    assert client.get(f"/peers/{programme.slug}/groups/jobs/{job.pk + 1}/").status_code == 404
