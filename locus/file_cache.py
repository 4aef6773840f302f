"""Files worth keeping between requests (Django-free, shared by the rooms): the atlas's evidence pack
PDF (7-12 s of WeasyPrint), the bulk zip of a build and the policy room's strategy pack PDF (ADR 27).
``cached_file`` returns a file made once per key, written atomically (a temporary file in the same
folder, then renamed over the name) under a per-key lock, so that

- a reader never sees a half-written file, and two writers never mix their bytes;
- a second request for the same key, arriving while the first is still rendering, waits for it and
  then reads its file instead of rendering again (a user clicking twice costs one render, not two);
- a file that fails ``valid`` (truncated, emptied, not a PDF) is ignored and made again.

Failing to write the cache (a full disk, a folder removed by a reload) never fails the request: the
bytes just made are returned without being kept.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def content_key(*parts: str | bytes) -> str:
    """A short hex digest of everything that determines a file's content."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def pdf_valid(path: Path) -> bool:
    """A whole PDF: the header at the start and the end-of-file marker near the end."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(5)
            f.seek(max(0, size - 1024))
            tail = f.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


@contextmanager
def _locked(lock_path: Path):
    with lock_path.open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, make: Callable[[object], None]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the file from a server running as another user
        with os.fdopen(fd, "wb") as out:
            make(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_file(path: Path, *, write: Callable[[object], None], valid: Callable[[Path], bool],
                siblings: str = "") -> tuple[Path, bool]:
    """(path, True) when a valid file is already at ``path``; otherwise ``write(binary file)`` makes it
    (once, under a lock shared by every process) and (path, False) is returned. ``siblings``, a glob in
    the same folder ("E47000001-*.pdf"), names the earlier versions of this file (other keys), removed
    once the new one is in place. Raises whatever ``write`` raises; a file it leaves half-made is removed."""
    if valid(path):
        return path, True
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_name(path.name + ".lock")):
        if valid(path):  # made by the request that held the lock before us
            return path, True
        _write_atomically(path, write)
    if siblings:
        for old in path.parent.glob(siblings):
            if old != path and not old.name.endswith(".lock"):
                old.unlink(missing_ok=True)
                old.with_name(old.name + ".lock").unlink(missing_ok=True)
    return path, False


def cached_bytes(path: Path, *, make: Callable[[], bytes], valid: Callable[[Path], bool],
                 siblings: str = "") -> tuple[bytes, bool]:
    """``cached_file`` for content made in memory: (bytes, served from the cache). When the cache cannot
    be written or read back, the bytes are made and returned all the same (and the failure logged)."""
    made: list[bytes] = []

    def write(out) -> None:
        try:
            made.append(make())
        except OSError as exc:  # the maker's own failure is not the cache's: raised as it is, below
            raise _MakeFailed() from exc
        out.write(made[0])

    try:
        found, hit = cached_file(path, write=write, valid=valid, siblings=siblings)
        return found.read_bytes(), hit
    except _MakeFailed as exc:
        raise exc.__cause__ from None
    except OSError as exc:
        log.warning("Could not use the file cache at %s: %s", path, exc)
        return (made[0] if made else make()), False


class _MakeFailed(Exception):
    pass


def folders_prune(root: Path, *, keep: str) -> None:
    """Remove every folder under ``root`` except ``keep`` (the live build's), quietly."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)
