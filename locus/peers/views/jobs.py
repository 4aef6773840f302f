"""The status page of a background group-formation job: it refreshes itself while the job runs,
then links to the groups to review, or shows why it failed or that it has stopped. Showing the
page never writes: a stuck job is shown as stopped from the row and the clock (ADR 0012)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from locus.peers.explain import ID_KEYS, diagnosis_message
from locus.peers.jobs import job_stuck_reason
from locus.peers.models import Firm, FormationJob
from locus.peers.views.common import guarded, managed_programme, page


@guarded
def job_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    job = get_object_or_404(FormationJob.objects.select_related("run"), pk=pk,
                            programme=programme)
    stuck = job_stuck_reason(job) if job.active else ""
    return page(request, "peers/job.html", {"programme": programme, "job": job, "stuck": stuck,
                                              "reasons": _reasons(programme, job),
                                              "refresh": 2 if job.active and not stuck else None})


def _reasons(programme, job: FormationJob) -> list[str]:
    """Why no grouping was possible, worded today from the stored facts (firms named)."""
    if not job.diagnoses:
        return []
    ids = {i for d in job.diagnoses for i in d.get("firm_ids", [])}
    ids |= {int(v) for d in job.diagnoses for v in _ids(d.get("facts") or {})}
    names = {str(pk): name for pk, name in
             Firm.objects.filter(programme=programme, pk__in=ids).values_list("pk", "name")}
    return [diagnosis_message(d, names) for d in job.diagnoses]


def _ids(facts) -> list[str]:
    """Firm ids named in a diagnosis's facts (as text of digits)."""
    found: list[str] = []
    if isinstance(facts, dict):
        for key, value in facts.items():
            if isinstance(value, dict):
                found += _ids(value)
            elif key in ID_KEYS:
                found += [v for v in ([value] if isinstance(value, str) else value or [])
                          if str(v).isdecimal()]
    return found
