"""A snapshot of a validated dataset, so that unchanged data is read and validated once, not in every kernel.

A batch of twenty briefings used to load and validate the same data twenty-one times (once in the batch, once in
each notebook's kernel); on the 200 agencies × 10 years scale set that was ~2,7 s of a briefing's ~3,9 s. Now the
first :func:`~cchc_analysis.ingest.dataset.load_data` of a folder stores the validated ``Dataset`` here, and every
later one whose inputs are unchanged reads it back in milliseconds.

The key (a sha256) covers everything the validated result depends on: every file under the data folder (relative
name, size and content), the folder's resolved path (the tables record where each row came from), the source of
the code that reads and validates (the base modules and ``ingest/``, so an edited check never reuses an old
verdict), the Python and pandas versions and :data:`FORMAT`. Any change gives another key; a stale entry is simply
never read again (the newest :data:`KEEP` entries are kept). Only a dataset that validated is stored.

Where: ``$CCHC_CACHE_DIR`` if set (``off`` turns the cache off), else ``$XDG_CACHE_HOME/cchc_analysis``, else
``~/.cache/cchc_analysis``: never inside ``data/``, whose files are the user's inputs.

Format: pickle, chosen over Parquet/Arrow because it keeps a ``Dataset`` exactly — pandas extension dtypes, the
provenance in ``frame.attrs`` (with its own classes), the ``_file``/``_row`` columns — with no new dependency
(pyarrow is not in the requirements) and loads the embedded data in a few milliseconds. Loading a pickle runs
code, so a snapshot is read only from a folder that is this user's alone: the folder and the file must be owned
by the current user and writable by nobody else (files are written 0600 in a 0700 folder), and the file must be
a regular file, not a link. Anything else — another owner, loose permissions, a truncated or corrupt file, a
pickle of something that is not what the key promised — is ignored and the data is loaded and validated in full.
Writes are atomic (:mod:`cchc_analysis.files`), and a cache that cannot be written is no error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cchc_analysis.config import PACKAGE_DIR
from cchc_analysis.files import atomic_path

__all__ = ["CACHE_ENV_VAR", "FORMAT", "KEEP", "cache_dir", "cached", "dataset_key"]

CACHE_ENV_VAR = "CCHC_CACHE_DIR"
FORMAT = 1  # raise when the snapshot's layout changes
KEEP = 8  # entries kept; older ones are removed when a new one is written
_PREFIX, _SUFFIX = "dataset-", ".pickle"
#: The code whose result is cached: the base layer and ingest/ (what reads, parses and validates the data).
_CODE = ("config.py", "errors.py", "files.py", "fmt.py", "ingest")

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when ``CCHC_CACHE_DIR=off``."""
    configured = os.environ.get(CACHE_ENV_VAR, "").strip()
    if configured.lower() in ("off", "0", "no", "false"):
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "cchc_analysis"


def _hash_file(digest: Any, path: Path) -> None:
    with open(path, "rb") as handle:
        digest.update(hashlib.file_digest(handle, "sha256").digest())


_code_digest: str | None = None


def _code_fingerprint() -> str:
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256()
        for name in _CODE:
            root = PACKAGE_DIR / name
            for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
                digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
                _hash_file(digest, path)
        _code_digest = digest.hexdigest()
    return _code_digest


def dataset_key(data_dir: Path) -> str:
    """The sha256 key of a data folder's validated dataset (see the module's docstring for what it covers)."""
    import pandas

    root = Path(data_dir).resolve()
    digest = hashlib.sha256()
    header = [f"format {FORMAT}", sys.version, pandas.__version__, _code_fingerprint(), str(root)]
    digest.update("\n".join(header).encode() + b"\n")
    files = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        files += [Path(folder) / name for name in sorted(names)]
    for path in files:
        try:
            size = path.stat().st_size
            digest.update(f"{path.relative_to(root).as_posix()}\0{size}\0".encode())
            _hash_file(digest, path)
        except OSError:
            digest.update(f"{path.relative_to(root).as_posix()}\0unreadable\0".encode())
    return digest.hexdigest()


def _private(info: os.stat_result, *, folder: bool) -> bool:
    """Owned by this user, writable by nobody else, and of the expected kind."""
    kind = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    owner = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return kind and owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _usable_folder(folder: Path, *, create: bool) -> bool:
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _private(os.stat(folder), folder=True)
    except OSError:
        return False


def _read(folder: Path, key: str, kind: type) -> Any:
    """The snapshot stored under ``key``, or None (missing, not private, corrupt, or not a ``kind``)."""
    if not _usable_folder(folder, create=False):
        return None
    path = folder / f"{_PREFIX}{key}{_SUFFIX}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not _private(os.fstat(handle.fileno()), folder=False):
                return None
            stored_key, value = pickle.load(handle)
    except Exception:  # truncated, corrupt, written by an incompatible version: load the data in full
        return None
    return value if stored_key == key and isinstance(value, kind) else None


def _write(folder: Path, key: str, value: object) -> None:
    if not _usable_folder(folder, create=True):
        return
    try:
        with atomic_path(folder / f"{_PREFIX}{key}{_SUFFIX}") as temporary:
            os.chmod(temporary, 0o600)
            with open(temporary, "wb") as handle:
                pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        entries = sorted(folder.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:  # a full disk or a read-only home: the cache is an optimisation, never an error
        pass


def cached(data_dir: Path, kind: type[T], build: Callable[[], T]) -> T:
    """``build()``'s result for ``data_dir``, from the cache when its inputs are unchanged; stored after a build.

    ``build`` raises for data that does not validate, so only a validated result is ever stored."""
    folder = cache_dir()
    if folder is None:
        return build()
    key = dataset_key(data_dir)
    found = _read(folder, key, kind)
    if found is not None:
        return found
    value = build()
    _write(folder, key, value)
    return value
