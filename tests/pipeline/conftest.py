"""Fixtures for the pipeline tests: one real build of the bundled data per session, and a
writable copy of the inputs for the bad-input tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data" / "atlas"


@pytest.fixture(scope="session")
def built_atlas(tmp_path_factory):
    """(out_dir, manifest) of a full build from the bundled data."""
    from locus.pipeline import atlas_build

    out = tmp_path_factory.mktemp("atlas") / "atlas"
    manifest = atlas_build(data_dir=DATA_DIR, out_dir=out)
    return out, manifest


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/atlas (with data/geography and the network indicators of
    data/collaboration beside it, as in the repository)."""
    shutil.copytree(REPO / "data" / "geography", tmp_path / "data" / "geography")
    (tmp_path / "data" / "collaboration").mkdir(parents=True)
    shutil.copy(REPO / "data" / "collaboration" / "network_indicators.csv", tmp_path / "data" / "collaboration")
    shutil.copytree(DATA_DIR, tmp_path / "data" / "atlas")
    return tmp_path / "data" / "atlas"
