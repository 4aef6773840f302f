"""The `locus demo` command group (registered in locus/cli.py); `locus demo peers` lives here."""

from locus.peers.cli import demo_app as app

__all__ = ["app"]
