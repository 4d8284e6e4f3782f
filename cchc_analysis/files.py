"""Atomic writes: every file the toolkit writes goes to a temporary sibling first and is renamed into place,
so a failed run never leaves a half-written file or replaces an earlier good one.

Temporaries are dot files named ``.<stem>.<12 hex>.tmp<suffix>`` in the target's folder (so the rename never
crosses a file system). They are created with ``open(..., "x")``, so the result gets the usual permissions
(the process umask) without touching the process-wide umask. A temporary left by a killed process is removed by
the next writer of the same folder, and only while it holds that folder's lock (:func:`locked`,
:func:`remove_stale_temporaries`): nobody else can be writing one then.

A lock file is opened without following a link and only when it is a plain file of its own (a symlink or a hard
link planted under its name would make the writer truncate someone else's file), locked with ``flock`` and
removed by its holder when done.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import stat
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cchc_analysis.errors import CchcError, CchcParameterError, CchcReportError, ReportReason

__all__ = [
    "TEMPORARY_NAME",
    "atomic_path",
    "disk_error",
    "locked",
    "remove_stale_temporaries",
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


#: The name of every temporary :func:`temporary_sibling` makes: ``.<stem>.<12 hex>.tmp<suffix>``.
TEMPORARY_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp(\.[A-Za-z0-9]+)?$")


def disk_error(error: OSError, where: Path | str, folder: str = "thư mục kết quả") -> CchcReportError:
    """A write that the system refused (read-only folder, full disk, permissions), said plainly; ``folder`` names
    the folder the user should check ("thư mục kết quả", "thư mục dữ liệu" …)."""
    reason = error.strerror or str(error)
    target = error.filename or where
    return CchcReportError(
        f"Không ghi được vào {target}: {reason} (errno {error.errno}). "
        f"Kiểm tra quyền ghi và dung lượng còn trống của {folder}.",
        reason=ReportReason.OUTPUT_UNWRITABLE,
    )


def remove_stale_temporaries(folder: Path, target: Path | None = None) -> int:
    """Remove the temporaries a killed writer left in ``folder`` (only those of ``target`` when given: named
    ``.<target stem>.<12 hex>.tmp<target suffix>``); call it only while holding the folder's lock, so that no live
    writer owns one. Links and other files are left alone. Returns how many were removed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        if not TEMPORARY_NAME.match(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        if target is not None and not re.fullmatch(
            rf"\.{re.escape(target.stem)}\.[0-9a-f]{{12}}\.tmp{re.escape(target.suffix)}", entry.name
        ):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def _open_lock(path: Path, owner: str) -> int:
    """Open (or create) a lock file without following a link, and only if it is a plain file of its own."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise CchcParameterError(
                f"{path} là một liên kết (symlink), không phải tệp khoá của {owner}; "
                "không ghi qua liên kết: hãy xoá liên kết đó rồi chạy lại."
            ) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise CchcParameterError(
            f"{path} không phải tệp khoá của {owner} (là một "
            f"{'liên kết cứng tới tệp khác' if stat.S_ISREG(info.st_mode) else 'tệp đặc biệt'}); "
            "không ghi đè lên nó: hãy xoá nó rồi chạy lại."
        )
    return fd


@contextmanager
def locked(path: Path, *, owner: str, holder: str, busy: Callable[[str], CchcError] | None = None) -> Iterator[None]:
    """Hold the lock file ``path`` for the length of the block; ``holder`` is written into it.

    ``busy`` given: a lock held by another process raises ``busy(what the holder wrote)`` at once; else this
    waits for it. The file is never truncated unless it is the holder's own plain file (``owner`` names the
    command in the refusal of a link), and it is removed when the block ends, also after a failure; a lock left
    by a killed process is taken over (its holder is gone, and flock locks die with their process).
    An OSError (a read-only or full folder) is raised as it is, for the caller to say in its own words."""
    while True:
        fd = _open_lock(path, owner)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if busy is not None else 0))
        except BlockingIOError:
            found = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "không rõ"
            os.close(fd)
            assert busy is not None
            raise busy(found) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            current = os.lstat(path)
        except FileNotFoundError:
            current = None
        held = os.fstat(fd)
        if current is not None and (current.st_ino, current.st_dev) == (held.st_ino, held.st_dev):
            break
        os.close(fd)  # the holder before removed the file we locked: lock the one that is there now
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)
        yield
    finally:
        try:
            os.unlink(path)  # still ours: it was checked after locking, and nobody else gets it while we hold it
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


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
