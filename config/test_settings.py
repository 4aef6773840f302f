"""Settings for the test suite: the normal settings with LOCUS_ENV=test and a throwaway data folder."""

import os
import tempfile

os.environ.setdefault("LOCUS_ENV", "test")
os.environ.setdefault("LOCUS_DATA_DIR", tempfile.mkdtemp(prefix="locus-test-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: E402,F403

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
