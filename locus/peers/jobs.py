"""Group formation as a background job (ADR 0012).

The web request only records a `FormationJob` row and starts a detached worker process
(`manage.py peers_form_job <id>`), so no gunicorn worker is held while the engine runs. The
worker records its progress and its result (or the reason it failed) in the row; the status page
reads the row. One active job per programme is enforced by a database constraint.

A job that can no longer finish (it never started, it has run far longer than its time limit, or
its worker process has gone) is *stuck*. Pages work that out when they read the row
(`job_stuck_reason`) and never write; the row is marked failed only on write paths
(`jobs_expire`): when a manager starts a new job, and by `locus peers expire-jobs` run on a
schedule (ADR 0012, addendum).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
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
NOT_STARTED = ("The background process did not start within 2 minutes, so nothing was done. "
               "Try again, and tell the administrator if it happens again")
STOPPED = ("The background process stopped before it finished (the server may have restarted). "
           "Try again")


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
    """Record a job and start it; refused while another job of the programme is active.

    A stuck job of the programme is recorded as failed first, so it cannot block a new one; two
    managers starting at once are still kept to one job by the database constraint (the second
    insert fails, whatever either of them expired)."""
    if kind not in _ACTIONS:
        raise PeersFieldError("Choose what to do with the groups", field="settings")
    _preflight(programme, kind)
    jobs_expire(programme=programme)
    try:
        with transaction.atomic():  # a savepoint when called inside a transaction
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
        status=JobStatus.RUNNING, started_at=timezone.now(), pid=os.getpid(),
        host=socket.gethostname()[:255])
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


def _process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine (signal 0 is checked, not sent)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists under another user, or this system cannot tell: assume alive
        return True
    return True


def _worker_gone(job: FormationJob) -> bool:
    """The job's worker process no longer exists, seen from the machine it ran on, and the job is
    still recorded as running (the worker records its result before it exits; reading the row
    again rules out a worker that finished just after the row was read)."""
    if not (job.pid and job.host and job.host == socket.gethostname()[:255]):
        return False
    return (not _process_alive(job.pid)
            and FormationJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists())


def job_stuck_reason(job: FormationJob, *, now=None) -> str:
    """Why an active job can no longer finish, in words for the manager, or "" while it may.

    Read-only: pages call it to show a stuck job as stopped, and `jobs_expire` records the same
    words when a write path marks the job failed, so the page says the same before and after."""
    now = now or timezone.now()
    if job.status == JobStatus.QUEUED and job.created_at + QUEUE_GRACE < now:
        return NOT_STARTED
    if job.status == JobStatus.RUNNING and (job.started_at + _deadline(job) < now
                                            or _worker_gone(job)):
        return STOPPED
    return ""


def jobs_expire(*, programme: Programme | None = None, now=None) -> int:
    """Mark as failed the jobs that can no longer finish (of one programme, or of all); returns
    how many. A write: called when a manager starts a job and by `locus peers expire-jobs`,
    never by a page that only shows jobs."""
    now = now or timezone.now()
    active = FormationJob.objects.filter(status__in=ACTIVE)
    if programme is not None:
        active = active.filter(programme=programme)
    expired = 0
    for job in active:
        reason = job_stuck_reason(job, now=now)
        if reason:  # conditional: a worker that finished meanwhile keeps its result
            expired += FormationJob.objects.filter(pk=job.pk, status=job.status).update(
                status=JobStatus.FAILED, error=reason, finished_at=now)
    return expired


def jobs_expired_message(count: int) -> str:
    """What `locus peers expire-jobs` and `manage.py peers_expire_jobs` print."""
    return (f"Recorded {count} group-formation job{'' if count == 1 else 's'} that could no "
            "longer finish as failed.")
