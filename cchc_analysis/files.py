"""Atomic writes: every file the toolkit writes goes to a temporary sibling first and is renamed into place,
so a failed run never leaves a half-written file or replaces an earlier good one.

Temporaries are dot files named ``.<stem>.<12 hex>.tmp<suffix>`` in the target's folder (so the rename never
crosses a file system). They are created with ``open(..., "x")``, so the result gets the usual permissions
(the process umask) without touching the process-wide umask.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "atomic_path",
    "temporary_sibling",
    "unlink_quietly",
    "write_bytes_atomic",
    "write_text_atomic",
    "write_texts_together",
]


def temporary_sibling(target: Path, suffix: str | None = None) -> Path:
    """A fresh, unused path in the target's folder (a dot file, so it stays out of listings)."""
    target = Path(target)
    return target.with_name(f".{target.stem}.{uuid.uuid4().hex[:12]}.tmp{target.suffix if suffix is None else suffix}")


def unlink_quietly(path: Path | None) -> None:
    """Remove a file if it is there."""
    if path is None:
        return
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a new, empty temporary file beside ``target``; on success it replaces ``target`` in one rename.

    On any error (or interruption) the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_sibling(target)
    with open(temporary, "xb"):
        pass
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        unlink_quietly(temporary)


def write_bytes_atomic(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(content)


def write_text_atomic(target: Path, content: str) -> None:
    """Write ``content`` as UTF-8 to ``target`` atomically (line ends as given)."""
    with atomic_path(target) as temporary:
        temporary.write_text(content, encoding="utf-8", newline="")


def write_texts_together(contents: dict[Path, str]) -> None:
    """Write several UTF-8 files as one change: all the new files, or none.

    Every temporary is written first (a failure there leaves every target as it was); then each is renamed over
    its target while the old content is kept aside, and if a rename fails the targets already replaced get their
    old content back (a target that did not exist is removed).
    """
    temporaries: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for target, text in contents.items():
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = temporary_sibling(target)
            temporaries[target] = temporary
            with open(temporary, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
        for target in temporaries:
            if target.exists():
                backups[target] = temporary_sibling(target, ".bak")
                shutil.copy2(target, backups[target])
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
            replaced.append(target)
    except BaseException:
        for target in reversed(replaced):
            if target in backups:
                os.replace(backups[target], target)
            else:
                unlink_quietly(target)
        raise
    finally:
        for path in [*temporaries.values(), *backups.values()]:
            unlink_quietly(path)
