"""The progress store, ``progress/progress.csv``, as a workbook import writes it.

One writer at a time: :func:`store_lock` holds ``progress/.cchc-progress.lock`` (:func:`cchc_analysis.files.locked`:
no symlink or hard link followed, waits for the other writer) for the whole import — the data is read, the
workbooks are checked against it and the new file is written under the lock, so two imports at once never lose
one side's updates. Holding the lock, the import also removes the temporaries of progress.csv that a killed
import left (``progress/.progress.<12 hex>.tmp.csv``).

The file keeps its dialect (:class:`StoreFile`): its encoding (UTF-8 with or without a BOM, UTF-16, Windows-1258
when every character of the new rows has a Windows-1258 form, else UTF-8 with a BOM), its delimiter, an Excel
``sep=`` line, its line endings and its decimal separator. A row the import does not change is written back as
the very bytes it was read as; a changed row keeps every cell the unit did not change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cchc_analysis.domain import periods
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.files import disk_error, locked, remove_stale_temporaries
from cchc_analysis.ingest import contracts, headers, parsing, readers, tables

__all__ = ["LOCK_NAME", "ImportResult", "StoreFile", "Update", "merge", "read_store", "store_lock"]

LOCK_NAME = ".cchc-progress.lock"
#: The data folder the user should check when a write is refused.
DATA_FOLDER = "thư mục dữ liệu (progress/)"


@dataclass(frozen=True)
class Update:
    """One validated, changed row of a workbook: the row's values, and the names of the columns the unit changed
    (only those are written over a row the store already has)."""

    task_id: str
    occurrence: str
    period: str
    status: str
    percent_done: float | None
    completed_on: dt.date | None
    blocker: str
    updated_on: dt.date
    updated_by: str
    note: str
    where: str  # "file: sheet!A5"
    changed: frozenset[str] = frozenset()


@dataclass
class ImportResult:
    """What an import wrote: the progress file, and how many updates were added, changed or left as they were."""

    progress_file: Path
    period: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows without a date: not reported
    removed_temporaries: int = 0  # temporaries a killed import left, removed under the lock


@contextmanager
def store_lock(folder: Path) -> Iterator[int]:
    """Hold the progress store's lock (waiting for another import to finish) and yield how many stale temporaries
    of progress.csv were removed; a refused write (read-only or full folder) is one clear message."""
    holder = f"cchc workbook import, pid {os.getpid()}, bắt đầu {dt.datetime.now():%d/%m/%Y %H:%M:%S}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with locked(folder / LOCK_NAME, owner="`cchc workbook import`", holder=holder):
            yield remove_stale_temporaries(folder, folder / "progress.csv")
    except OSError as error:
        raise disk_error(error, folder, DATA_FOLDER) from error


@dataclass
class StoreFile:
    """progress.csv as read: its dialect, its header and each record with the exact text it was read from."""

    encoding: str = "utf-8"
    delimiter: str = ","
    newline: str = "\n"
    decimal_comma: bool = False
    sep_line: str = ""
    header: list[str] = field(default_factory=lambda: list(tables.PROGRESS.column_names))
    header_text: str | None = None
    records: list[tuple[list[str], str | None]] = field(default_factory=list)  # (cells, text; None: to write)

    def render(self, cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline).writerow(cells)
        return buffer.getvalue()

    def number(self, value: float) -> str:
        text = readers.cell_text(float(value))
        return text.replace(".", ",") if self.decimal_comma else text

    def content(self) -> bytes:
        header = self.header_text if self.header_text is not None else self.render(self.header)
        parts = [self.sep_line, header]
        for cells, text in self.records:
            parts.append(text if text is not None else self.render(cells))
        if parts[-1] and not parts[-1].endswith(("\n", "\r")):
            parts[-1] += self.newline  # the last record was read without a line end; one is added before a new one
        text = "".join(parts)
        if self.encoding == "cp1258":
            try:
                return text.encode("cp1258")
            except UnicodeEncodeError:
                return text.encode("utf-8-sig")  # a character Windows-1258 cannot hold: UTF-8 with a BOM
        return text.encode(self.encoding)


def _encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def read_store(path: Path) -> StoreFile:
    """progress.csv with its dialect (a file not there yet: the default one, UTF-8, ``,``, LF).

    Called under the lock after the data folder was loaded and validated, so the file reads cleanly."""
    if not path.exists():
        return StoreFile()
    data = path.read_bytes()
    encoding = _encoding(data)
    text = readers.decode(data)
    delimiter, sep_line, body = readers.split_sep_line(text)
    first = body.split("\n", 1)[0]
    newline = "\r\n" if first.endswith("\r") else ("\n" if "\n" in body or "\r" not in body else "\r")
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in body.splitlines(keepends=True):
            consumed.append(line)
            yield line

    found: list[tuple[list[str], str]] = []
    for cells in csv.reader(lines(), delimiter=delimiter):
        found.append((cells, "".join(consumed)))
        consumed.clear()
    if not found:
        return StoreFile(encoding, delimiter, newline, delimiter == ";", sep_line)
    (header, header_text), records = found[0], found[1:]
    header = [parsing.clean_text(name) for name in header]
    store = StoreFile(encoding, delimiter, newline, False, sep_line, header, header_text, list(records))
    percent = _columns(store.header).get("percent_done")
    shown = [cells[percent] for cells, _ in records if percent is not None and percent < len(cells)]
    store.decimal_comma = any("," in cell for cell in shown) or (
        delimiter == ";" and not any("." in cell for cell in shown)
    )
    return store


def _columns(header: list[str]) -> dict[str, int]:
    """The column of each progress field in the file's header (code names or the workbook's Vietnamese headers)."""
    expected = {headers.header_key(name): name for name in tables.PROGRESS.column_names}
    for name in tables.PROGRESS.column_names:
        expected.update({headers.header_key(alias): name for alias in headers.aliases("progress", name)})
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        if (column := expected.get(headers.header_key(name))) is not None:
            found.setdefault(column, index)
    return found


def _cell(store: StoreFile, column: str, value: object) -> str:
    if column == "percent_done":
        return "" if value is None else store.number(float(value))  # type: ignore[arg-type]  # a parsed percent
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def merge(store: StoreFile, updates: list[Update], order: dict[str, int], result: ImportResult) -> bool:
    """Apply the updates to ``store``'s records; returns whether anything changed.

    A row the store has for the same (task, occurrence, quarter) gets the changed cells only (and the provenance
    ``official``: a unit reported it); an occurrence without a row of the quarter gets a new row after the same
    task's earlier quarters."""
    column = _columns(store.header)
    width = len(store.header)

    def key(cells: list[str]) -> tuple[str, str, str]:
        task = cells[column["task_id"]].strip() if column["task_id"] < len(cells) else ""
        raw_occurrence = cells[column["occurrence"]] if column["occurrence"] < len(cells) else ""
        raw_period = cells[column["period"]] if column["period"] < len(cells) else ""
        try:
            occurrence = contracts.parse_occurrence(raw_occurrence)
        except ValueError:
            occurrence = raw_occurrence
        try:
            return task, occurrence, contracts.parse_period(raw_period)
        except ValueError:
            return task, occurrence, raw_period

    touched = False
    keys = [key(cells) for cells, _ in store.records]  # kept in step with the records below
    for update in updates:
        values = {
            "task_id": update.task_id,
            "occurrence": update.occurrence,
            "period": update.period,
            "status": update.status,
            "percent_done": update.percent_done,
            "completed_on": update.completed_on,
            "blocker": update.blocker,
            "updated_on": update.updated_on,
            "updated_by": update.updated_by,
            "note": update.note,
            "provenance": "official",
        }
        label = f"{update.task_id} {update.occurrence} {update.period}"
        wanted = (update.task_id, update.occurrence, update.period)
        if wanted in keys:
            index = keys.index(wanted)
            old = store.records[index][0] + [""] * (width - len(store.records[index][0]))
            names = [name for name in update.changed if name in column]
            if all(_same(name, old[column[name]], _cell(store, name, values[name])) for name in names):
                result.unchanged.append(label)
                continue
            new = list(old)
            for name in [*names, "provenance"]:
                if name in column:
                    new[column[name]] = _cell(store, name, values[name])
            store.records[index] = (new, None)
            result.changed.append(label)
            touched = True
            continue
        new = [""] * width
        for name, value in values.items():
            if name in column:
                new[column[name]] = _cell(store, name, value)
        result.added.append(label)
        at = _insertion_point(keys, update, order)
        store.records.insert(at, (new, None))
        keys.insert(at, wanted)
        touched = True
    return touched


def _same(name: str, old: str, new: str) -> bool:
    if name in ("percent_done", "updated_on", "completed_on"):
        if not old.strip() or not new.strip():
            return old.strip() == new.strip()
        parse = parsing.parse_number if name == "percent_done" else parsing.parse_date
        try:
            return parse(old) == parse(new)
        except ValueError:
            return False
    if name == "status":
        try:
            return tables.PROGRESS.by_name["status"].parse(old) == new
        except ValueError:
            return False
    return parsing.clean_text(old) == parsing.clean_text(new) and old.count("\n") == new.count("\n")


def _insertion_point(keys: list[tuple[str, str, str]], update: Update, order: dict[str, int]) -> int:
    quarter = periods.parse(update.period)
    same = [
        i for i, (task, occurrence, _) in enumerate(keys) if (task, occurrence) == (update.task_id, update.occurrence)
    ]
    if same:
        earlier = [i for i in same if _before(keys[i][2], quarter)]
        return (earlier[-1] + 1) if earlier else same[0]
    task_rows = [i for i, (task, _, _) in enumerate(keys) if task == update.task_id]
    if task_rows:
        return task_rows[-1] + 1
    rank = order.get(update.task_id, len(order))
    later = [i for i, (task, _, _) in enumerate(keys) if order.get(task, len(order)) > rank]
    return later[0] if later else len(keys)


def _before(period: str, quarter: Period) -> bool:
    try:
        return periods.parse(period) < quarter
    except CchcParameterError:
        return False
