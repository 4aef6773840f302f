"""The accounts and peers models match their migrations: a model changed without its migration
makes every test that touches the table fail at once (no such table or column), which is how the
sign-in throttle's tests can all fail together while the throttle itself is fine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
@pytest.mark.parametrize("app", ["accounts", "peers"])
def test_the_models_have_their_migrations(app):
    out = StringIO()
    try:
        call_command("makemigrations", app, check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"{app}: a model change has no migration; run makemigrations {app}\n"
                    f"{out.getvalue()}")
