"""The status page of a background group-formation job: it refreshes itself while the job runs,
then links to the groups to review, or shows why it failed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from locus.peers.jobs import jobs_expire
from locus.peers.models import FormationJob
from locus.peers.views.common import guarded, managed_programme, page


@guarded
def job_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    jobs_expire(programme=programme)
    job = get_object_or_404(FormationJob.objects.select_related("run"), pk=pk,
                            programme=programme)
    return page(request, "peers/job.html", {"programme": programme, "job": job,
                                              "refresh": 2 if job.active else None})
