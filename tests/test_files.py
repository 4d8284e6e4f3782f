"""Atomic writes: a target is replaced whole or not at all, and no temporary is left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc_analysis import files


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------
# atomic_path
# ---------------------------------------------------------------------------


def _leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


def test_atomic_path_replaces_target_on_success(tmp_path):
    target = write(tmp_path / "report.html", "old")
    with files.atomic_path(target) as temporary:
        assert temporary.parent == target.parent and temporary != target
        temporary.write_text("new", encoding="utf-8")
        assert target.read_text(encoding="utf-8") == "old"  # not replaced before the body ends
    assert target.read_text(encoding="utf-8") == "new"
    assert _leftovers(tmp_path, target) == []


def test_atomic_path_leaves_target_untouched_when_the_body_raises(tmp_path):
    target = write(tmp_path / "report.html", "old")
    before = (target.read_bytes(), target.stat().st_mtime_ns)
    with pytest.raises(RuntimeError, match="boom"), files.atomic_path(target) as temporary:
        temporary.write_text("half-written", encoding="utf-8")
        raise RuntimeError("boom")
    assert (target.read_bytes(), target.stat().st_mtime_ns) == before
    assert _leftovers(tmp_path, target) == []  # the temporary file is gone


def test_atomic_path_creates_nothing_when_the_body_raises(tmp_path):
    target = tmp_path / "sub" / "report.pdf"
    with pytest.raises(KeyboardInterrupt), files.atomic_path(target) as temporary:
        temporary.write_bytes(b"%PDF")
        raise KeyboardInterrupt
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_write_text_atomic(tmp_path):
    target = tmp_path / "out" / "a.csv"
    files.write_text_atomic(target, "a,b\r\nđ,1\n")
    assert target.read_bytes() == "a,b\r\nđ,1\n".encode()  # utf-8, newlines untouched
    assert _leftovers(target.parent, target) == []
