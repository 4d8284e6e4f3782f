"""Where the generator may write: never over a file whose content it did not produce, never into progress/ unasked.

A data folder holds files a user maintains (the transcriptions, the progress store that workbook imports
update, a table replaced by the province's official figures). The generator compares each file it would write
with the file already there and refuses — writing nothing at all — when any differs, naming each one and the
flag that forces it. ``progress/`` is left out unless asked for. The files are staged beside their targets
and renamed into place only once every one is staged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cchc_analysis.errors import CchcParameterError
from cchc_analysis.files import temporary_sibling, unlink_quietly

__all__ = ["Comparison", "OverwriteRefused", "PROGRESS_DIR", "compare", "write"]

PROGRESS_DIR = "progress/"


class OverwriteRefused(CchcParameterError):
    """Files in the target folder differ from what the generator would write; nothing was written."""

    def __init__(self, folder: Path, changed: list[str]):
        self.folder = Path(folder)
        self.changed = list(changed)
        listed = "\n".join(f"- {name}" for name in self.changed)
        super().__init__(
            f"Không ghi tệp nào vào {self.folder}: {len(self.changed)} tệp đã có khác với dữ liệu mà bộ sinh sẽ ghi "
            "(có thể là dữ liệu đã được cập nhật, ví dụ tiến độ nhập từ sổ cập nhật của các đơn vị, hoặc số liệu "
            f"chính thức thay cho số liệu minh hoạ):\n{listed}\n"
            "Nếu chắc chắn muốn thay các tệp này bằng dữ liệu sinh ra, chạy lại lệnh với --force."
        )


@dataclass
class Comparison:
    """Each file the generator would write, by what is in the target folder now."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def compare(out_dir: Path, files: dict[str, bytes], *, with_progress: bool = False) -> Comparison:
    """Compare ``files`` with ``out_dir``; the files under progress/ only ``with_progress``."""
    comparison = Comparison()
    for relative, content in sorted(files.items()):
        if relative.startswith(PROGRESS_DIR) and not with_progress:
            continue
        target = Path(out_dir) / relative
        if not target.exists():
            comparison.new.append(relative)
        elif target.read_bytes() != content:
            comparison.changed.append(relative)
        else:
            comparison.unchanged.append(relative)
    return comparison


def write(out_dir: Path, files: dict[str, bytes], *, with_progress: bool = False, force: bool = False) -> Comparison:
    """Write the new and changed files under ``out_dir``, all or none; refuse a changed one unless ``force``.

    The files under progress/ are written only ``with_progress`` (and a changed one still needs ``force``).
    """
    comparison = compare(out_dir, files, with_progress=with_progress)
    if comparison.changed and not force:
        raise OverwriteRefused(out_dir, comparison.changed)
    staged: list[tuple[Path, Path]] = []
    try:
        for relative in comparison.new + comparison.changed:
            target = Path(out_dir) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = temporary_sibling(target)
            staged.append((temporary, target))
            with open(temporary, "xb") as handle:
                handle.write(files[relative])
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            unlink_quietly(temporary)
    return comparison
