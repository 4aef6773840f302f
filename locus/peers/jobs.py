"""Group formation as a background job (ADR 0012).

The web request only records a `FormationJob` row and starts a detached worker process
(`manage.py peers_form_job <id>`), so no gunicorn worker is held while the engine runs. The
worker records its progress and its result (or the reason it failed) in the row; the status page
reads the row. A job that never finishes (the machine restarted, the process was killed) is
marked failed once it has run for much longer than its time limit. One active job per programme
is enforced by a database constraint.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from locus.peers.errors import GroupsInfeasibleError, PeersFieldError
from locus.peers.groups import groups_add_late_joiners, groups_form_programme, groups_rebalance
from locus.peers.models import FormationJob, Programme
from locus.peers.models.jobs import ACTIVE, JobStatus
from locus.peers.models.programme import RunKind
from locus.peers.selectors import firm_list

log = logging.getLogger(__name__)
_ACTIONS = {RunKind.FORM: groups_form_programme, RunKind.LATE: groups_add_late_joiners,
            RunKind.REBALANCE: groups_rebalance}
QUEUE_GRACE = timedelta(minutes=2)  # a queued job not started by then has failed to launch


def _preflight(programme: Programme, kind: str) -> None:
    """The checks that can be answered at once, so the form shows them as field errors."""
    if kind == RunKind.FORM and programme.groups.filter(meetings__isnull=False).exists():
        raise PeersFieldError("Some groups already have meetings. Add late joiners or rebalance "
                              "instead of forming the groups again", field="settings")
    if kind == RunKind.LATE and not firm_list(programme=programme, stage="waiting").exists():
        raise PeersFieldError("No eligible firms are waiting for a group, so there are no late "
                              "joiners to place", field="settings")


def job_launch(job_id: int) -> None:
    """Start the worker process, detached from this web worker (its own session)."""
    log_path = settings.LOCUS_DATA_DIR / "peers-jobs.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "peers_form_job",
             str(job_id)], cwd=settings.BASE_DIR, env={**os.environ},
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
    # Reap the child when it ends (no zombie in the web worker); if the web worker goes first,
    # the child carries on and init reaps it.
    threading.Thread(target=process.wait, daemon=True).start()


def formation_job_start(*, programme: Programme, kind: str, user=None) -> FormationJob:
    """Record a job and start it; refused while another job of the programme is active."""
    if kind not in _ACTIONS:
        raise PeersFieldError("Choose what to do with the groups", field="settings")
    _preflight(programme, kind)
    jobs_expire(programme=programme)
    try:
        job = FormationJob.objects.create(
            programme=programme, kind=kind, created_by=user if user and user.pk else None,
            time_limit=programme.time_limit_seconds)
    except IntegrityError:
        raise PeersFieldError("The groups of this programme are already being formed. Wait for "
                              "that to finish", field="settings") from None
    # The row is committed (views run in autocommit), so the worker process can read it.
    job_launch(job.pk)
    return job


def formation_job_run(*, job_id: int) -> FormationJob:
    """The worker: run the engine for a queued job and record the outcome."""
    job = FormationJob.objects.select_related("programme", "created_by").get(pk=job_id)
    claimed = FormationJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), pid=os.getpid())
    if not claimed:
        return job
    try:
        run = _ACTIONS[job.kind](programme=job.programme, user=job.created_by)
    except GroupsInfeasibleError as exc:
        _finish(job_id, status=JobStatus.FAILED, error=str(exc), diagnoses=exc.diagnoses)
    except PeersFieldError as exc:
        _finish(job_id, status=JobStatus.FAILED, error=str(exc))
    except Exception as exc:  # recorded for the manager; the traceback goes to the log
        log.exception("Formation job %s failed", job_id)
        _finish(job_id, status=JobStatus.FAILED,
                error=f"Unexpected error in the group-formation engine: {exc}")
    else:
        _finish(job_id, status=JobStatus.DONE, run=run)
    return FormationJob.objects.get(pk=job_id)


def _finish(job_id: int, *, status: str, error: str = "", run=None,
            diagnoses: list[dict] | None = None) -> None:
    FormationJob.objects.filter(pk=job_id).update(status=status, error=error[:2000], run=run,
                                                  diagnoses=diagnoses or [],
                                                  finished_at=timezone.now())


def _deadline(job: FormationJob) -> timedelta:
    """How long a running job may take before it is presumed dead: the engine's own wall-clock
    guard stops it well before this."""
    return timedelta(seconds=3 * job.time_limit + 300)


def jobs_expire(*, programme: Programme, now=None) -> int:
    """Mark as failed the programme's jobs that can no longer finish; returns how many."""
    now = now or timezone.now()
    expired = 0
    for job in FormationJob.objects.filter(programme=programme, status__in=ACTIVE):
        if job.status == JobStatus.QUEUED and job.created_at + QUEUE_GRACE < now:
            reason = "The background process did not start. Try again, and tell the " \
                     "administrator if it happens again"
        elif job.status == JobStatus.RUNNING and job.started_at + _deadline(job) < now:
            reason = "The background process stopped before it finished (the server may " \
                     "have restarted). Try again"
        else:
            continue
        expired += FormationJob.objects.filter(pk=job.pk, status=job.status).update(
            status=JobStatus.FAILED, error=reason, finished_at=now)
    return expired
