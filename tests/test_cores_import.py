"""The cores (pipeline, pathways, grouping, networks) never import Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORES = ["locus.pipeline", "locus.pathways", "locus.grouping", "locus.networks",
         "locus.geography.build", "locus.geography.crosswalks", "locus.geography.postcodes"]


@pytest.mark.parametrize("module", CORES)
def test_core_imports_without_django(module):
    code = (f"import importlib, sys; importlib.import_module({module!r}); "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(Path(__file__).parent.parent),
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
