"""`locus peers ...` (reminders, expire-jobs) and `locus demo peers` (the DEMO programme)."""

from __future__ import annotations

import typer
from rich.console import Console

from locus.cli_support import django_setup, exit_statuses, fail
from locus.errors import LocusError

app = typer.Typer(help="Peer-learning networks: reminders and other programme tasks.",
                  no_args_is_help=True)
demo_app = typer.Typer(help="Create demonstration data, labelled DEMO.", no_args_is_help=True)
console = Console(stderr=True)
_django = django_setup


@app.command("reminders")
@exit_statuses
def reminders(hours: int = typer.Option(48, help="Remind about meetings starting within this "
                                        "many hours."),
              base_url: str = typer.Option("", help="Site address for links in the emails, "
                                           "like https://locus.example.org (default: the "
                                           "LOCUS_SITE_URL setting)")):
    """Email reminders (with calendar invites) for meetings coming up; each meeting once.

    Run it from cron, for example hourly. Uses Django's email backend (console in development).
    """
    _django()
    from locus.peers.mail import reminders_send

    try:
        result = reminders_send(hours=hours, base_url=base_url)
    except LocusError as exc:
        fail(console, exc)
    console.print(f"Sent {result['emails']} reminder emails for {result['meetings']} meetings.")


@app.command("expire-jobs")
@exit_statuses
def expire_jobs():
    """Record as failed the group-formation jobs that can no longer finish.

    A job is stuck when its background process did not start within 2 minutes, has run for
    more than 3 times its time limit plus 5 minutes, or has gone (seen from the machine that
    started it). Pages already show such a job as stopped and starting a new one expires it;
    run this from cron (for example hourly, with reminders) so the records say so too.
    """
    _django()
    from locus.peers.jobs import jobs_expire, jobs_expired_message

    console.print(jobs_expired_message(jobs_expire()))


@demo_app.command("peers")
@exit_statuses
def demo_peers(ca: str = typer.Option("E47000001", help="Combined Authority code "
                                      "(E47000001 is Greater Manchester)."),
               firms: int = typer.Option(120, min=20, max=5000, help="Firms registered "
                                         "before the groups were formed."),
               late_joiners: int = typer.Option(6, min=0, max=500, help="Firms registered "
                                                "since, waiting to be placed in a group (on "
                                                "top of --firms; full stage only)."),
               seed: int = typer.Option(1, help="Random seed (same seed, same demo)."),
               password: str = typer.Option(None, help="Password for the demo users.",
                                            show_default="a new random one, printed"),
               time_limit: float = typer.Option(3.0, help="Seconds for forming groups."),
               stage: str = typer.Option("full", help="full: six months of a running "
                                         "programme; registered: firms have registered, "
                                         "groups not yet formed.")):
    """Create a DEMO peer-learning programme: made-up firms on real postcodes of a real
    Combined Authority, groups, six months of meetings, attendance, surveys and costs.

    The full stage adds --late-joiners firms (6 by default) on top of --firms: they registered
    after the groups were formed and wait to be placed, so the default makes 126 firms.
    Re-running replaces the previous demo programme. Demo users: demo-manager,
    demo-facilitator and demo-firm.
    """
    _django()
    from django.core.management import call_command

    from locus.loading import bundled_data_load
    from locus.peers.demo import demo_peers_create

    try:
        call_command("migrate", interactive=False, verbosity=0)
        bundled_data_load()
        result = demo_peers_create(ca_code=ca, firms=firms, seed=seed, password=password,
                                   late_joiners=late_joiners, time_limit=time_limit, stage=stage)
    except LocusError as exc:  # --ca or --stage (ADR 0031: wrong input)
        fail(console, exc, code=2)
    p = result["programme"]
    late = result["late_joiners"]
    joined = (f" ({result['firms'] - late} registered before the groups were formed and {late} "
              f"late joiner{'' if late == 1 else 's'} waiting to be placed)" if late else "")
    console.print(f"[green]Created[/green] {p.name} (/peers/{p.slug}/): {result['firms']} firms"
                  f"{joined}, {result['groups']} groups, {result['meetings']} meetings.")
    console.print(f"Sign in as {result['manager']}, {result['facilitator']} or "
                  f"{result['firm_member']} with password: {result['password']}")
