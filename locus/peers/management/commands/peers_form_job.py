"""`manage.py peers_form_job <id>`: the background worker for one group-formation job,
started by the web page (locus/peers/jobs.py)."""

from django.core.management.base import BaseCommand

from locus.peers.jobs import formation_job_run


class Command(BaseCommand):
    help = "Run one queued group-formation job and record its result."

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id: int, **options):
        job = formation_job_run(job_id=job_id)
        self.stdout.write(f"Formation job {job.pk}: {job.status}. {job.error}".strip())
