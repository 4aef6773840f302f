"""The shell (web, loading) and the shared ground (geography) never import a room; rooms register."""

import ast
from pathlib import Path

import pytest

ROOMS = ("locus.atlas", "locus.collaboration", "locus.policy", "locus.peers")
SHELL = [Path("locus/loading.py"), *Path("locus/web").rglob("*.py"), *Path("locus/geography").rglob("*.py")]


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("path", SHELL, ids=str)
def test_shell_does_not_import_rooms(path):
    assert not {m for m in _imports(path) if m.startswith(ROOMS)}


def test_rooms_register_loaders_and_sources_in_installed_apps_order():
    from locus.loading import BUNDLED_LOADERS
    from locus.web.sources import DATA_SOURCE_PROVIDERS

    assert [f.__module__ for f in BUNDLED_LOADERS] == [
        "locus.loading", "locus.collaboration.loading", "locus.policy.bundled", "locus.atlas.bundled"]
    assert [f.__module__ for f in DATA_SOURCE_PROVIDERS] == [
        "locus.web.sources", "locus.collaboration.loading", "locus.policy.bundled", "locus.atlas.bundled"]


def test_registering_twice_adds_once():
    from locus.loading import BUNDLED_LOADERS, bundled_loader_register
    from locus.web.sources import DATA_SOURCE_PROVIDERS, data_source_provider_register

    before = (list(BUNDLED_LOADERS), list(DATA_SOURCE_PROVIDERS))
    bundled_loader_register(BUNDLED_LOADERS[-1])
    data_source_provider_register(DATA_SOURCE_PROVIDERS[-1])
    assert (BUNDLED_LOADERS, DATA_SOURCE_PROVIDERS) == before
