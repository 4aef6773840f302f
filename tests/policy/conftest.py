"""Policy tests: the bundled policy library loaded once per session, and users per role."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POLICY_DATA = REPO / "data" / "policy"
PASSWORD = "a-long-test-passphrase-42"


@pytest.fixture(scope="session")
def policy_library(django_db_setup, django_db_blocker):
    """Load data/policy (cases, resources, paths, STIP layer) into the test database once."""
    from locus.policy.loaders import policy_bundled_load

    with django_db_blocker.unblock():
        summary = policy_bundled_load(data_dir=POLICY_DATA)
    return summary


@pytest.fixture
def make_user(db):
    from locus.accounts.services import user_create

    def make(username: str, role: str):
        return user_create(username=username, email=f"{username}@example.org",
                           password=PASSWORD, role=role)

    return make


@pytest.fixture(autouse=True)
def policy_hooks_isolated(monkeypatch):
    """The policy room's own behaviour: other rooms' providers (the atlas) are set aside.

    Tests that exercise the extension points register stand-ins themselves.
    """
    from locus.policy import hooks

    for name in ("WEAK_LINK_PROVIDERS", "PACK_SECTION_PROVIDERS", "PEER_FEATURE_PROVIDERS",
                 "PLACE_FACT_PROVIDERS"):
        monkeypatch.setattr(hooks, name, [])
