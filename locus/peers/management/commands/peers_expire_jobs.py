"""`manage.py peers_expire_jobs`: the same as `locus peers expire-jobs`, for cron set-ups that
call Django management commands."""

from django.core.management.base import BaseCommand

from locus.peers.jobs import jobs_expire, jobs_expired_message


class Command(BaseCommand):
    help = "Record as failed the group-formation jobs that can no longer finish."

    def handle(self, *args, **options):
        self.stdout.write(jobs_expired_message(jobs_expire()))
