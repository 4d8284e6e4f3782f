"""Hostile data folders built from the embedded data: many bad cells, duplicated rows, pages of garbage.

Used by tests/test_bounds.py (small sizes) and benchmarks/bench_load.py --hostile (the sizes of the issue).
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

SCORES = "results/scores.csv"


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def bad_cells(source: Path, target: Path, copies: int = 1) -> int:
    """``copies`` × every agency, each with every score row and four unreadable cells a row (points "x", "y",
    not-applicable "z", provenance "bad"); returns the number of bad cells (9 920 per copy)."""
    shutil.copytree(source, target)
    agencies, scores = _rows(source / "agencies.csv"), _rows(source / SCORES)
    agency_rows, score_rows, bad = [agencies[0]], [scores[0]], 0
    for copy in range(copies):
        suffix = f"-x{copy}" if copy else ""
        agency_rows += [[row[0] + suffix, *row[1:]] for row in agencies[1:]]
        for row in scores[1:]:
            score_rows.append([row[0] + suffix, row[1], row[2], "x", "y", "z", "bad"])
            bad += 4
    _write(target / "agencies.csv", agency_rows)
    _write(target / SCORES, score_rows)
    return bad


def duplicated_rows(source: Path, target: Path, times: int) -> int:
    """Every score row ``times`` times; returns the number of rows that repeat an earlier key."""
    shutil.copytree(source, target)
    lines = (source / SCORES).read_text(encoding="utf-8").splitlines()
    (target / SCORES).write_text("\n".join([lines[0], *lines[1:] * times]) + "\n", encoding="utf-8")
    return (len(lines) - 1) * (times - 1)


def garbage(source: Path, target: Path, megabytes: float, seed: int = 1) -> int:
    """The score table's valid header over ``megabytes`` of random printable lines; returns the line count."""
    shutil.copytree(source, target)
    rng = random.Random(seed)
    header = (source / SCORES).read_text(encoding="utf-8").splitlines()[0]
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,;-"
    size, count, lines = 0, 0, [header]
    while size < megabytes * 2**20:
        line = "".join(rng.choices(alphabet, k=rng.randint(20, 120)))
        lines.append(line)
        size, count = size + len(line) + 1, count + 1
    (target / SCORES).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count
