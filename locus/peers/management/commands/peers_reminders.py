"""`manage.py peers_reminders`: the same as `locus peers reminders`, for cron set-ups that
call Django management commands."""

from django.core.management.base import BaseCommand

from locus.peers.mail import reminders_send


class Command(BaseCommand):
    help = "Email reminders with calendar invites for peer-group meetings coming up."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48)
        parser.add_argument("--base-url", default="")

    def handle(self, *args, hours: int, base_url: str, **options):
        result = reminders_send(hours=hours, base_url=base_url)
        self.stdout.write(f"Sent {result['emails']} reminder emails for "
                          f"{result['meetings']} meetings.")
