"""Import (:func:`import_workbooks`) reads every workbook with openpyxl (formulas kept, so that a formula where a
value belongs is caught), validates *everything* — the period, the sheets, every key cell, every input cell —
and raises one :class:`CchcDataError` naming every problem by workbook, sheet and cell before anything is
written. Only then are the updates merged into ``progress/progress.csv`` of the data folder, written to a
temporary file, validated again as a whole table, and moved over the old file in one rename. The workbooks
themselves are never modified.

Each row is one occurrence of a task (a month of a monthly report, a quarter of a continuous duty, a one-off
task); the progress table's key is (task, occurrence, quarter of the update). A workbook of the earlier format
(version 1: one row per task and quarter) is refused with a message saying what changed. A row whose date of
update is empty is not an update: the unit has not reported that occurrence this quarter, the row is skipped
(and counted), and the occurrence stays flagged as missing its update.

Why this module is long: reading and checking every cell of a returned workbook and merging the updates are
one transaction (validate everything, then write once); the checks share the reader's cell bookkeeping.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io as _io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from cchc_analysis import fmt
from cchc_analysis.domain import periods
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcDataError, CchcParameterError, Problem, ProblemCode
from cchc_analysis.files import atomic_path
from cchc_analysis.ingest import contracts, parsing, readers, tables
from cchc_analysis.ingest.checks import check_progress, occurrence_problem, row_problems
from cchc_analysis.ingest.dataset import Dataset, load_data
from cchc_analysis.workbook.layout import (
    COLUMNS,
    FIRST_ROW,
    FORMAT,
    INPUT_COLUMNS,
    LATE_DAYS,
    META_SHEET,
    PERIOD_CELL,
    VERSION,
    quarter_of,
)

__all__ = ["CELL_OF", "INPUTS", "ImportResult", "Update", "import_workbooks"]


@dataclass(frozen=True)
class Update:
    """One validated row of a workbook."""

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


@dataclass
class ImportResult:
    """What an import wrote: the progress file, and how many updates were added, changed or left as they were."""

    progress_file: Path
    period: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows without a date: not reported


class _Reader:
    """Collects the problems of one workbook; every problem names the workbook, the sheet and the cell."""

    def __init__(self, path: Path):
        self.path = path
        self.display = path.as_posix()
        self.problems: list[Problem] = []

    def problem(self, sheet: str | None, cell: str | None, value: object, expected: str, code: ProblemCode) -> None:
        row = int(re.sub(r"\D", "", cell)) if cell else None
        shown = None if value is None else _show(value)
        self.problems.append(Problem(self.display, row, None, shown, expected, code, sheet=sheet, cell=cell))


def _show(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return fmt.date(value)
    if isinstance(value, float):
        return fmt.number(value)
    return str(value)


def _is_formula(cell) -> bool:
    return cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return parsing.clean_text(value)


def _read_meta(reader: _Reader, book) -> tuple[dict[str, str], list[tuple[str, str, int, str, str]]] | None:
    if META_SHEET not in book.sheetnames:
        reader.problem(
            None,
            None,
            None,
            f"không phải sổ cập nhật do cchc xuất ra (thiếu trang {META_SHEET}); "
            "hãy dùng cchc workbook export để lấy mẫu",
            ProblemCode.NOT_A_CCHC_WORKBOOK,
        )
        return None
    meta = book[META_SHEET]
    values = {_text(meta.cell(r, 1).value): (meta.cell(r, 2), f"B{r}") for r in range(1, 6)}
    if _text(values.get("format", (meta["B1"],))[0].value) != FORMAT:
        reader.problem(META_SHEET, "B1", meta["B1"].value, f"cần {FORMAT}", ProblemCode.NOT_A_CCHC_WORKBOOK)
        return None
    info = {key: _text(cell.value) for key, (cell, _) in values.items()}
    info.update({f"{key}@": address for key, (_, address) in values.items()})
    if info.get("version") != str(VERSION):
        reader.problem(
            META_SHEET,
            info.get("version@", "B2"),
            info.get("version"),
            f"sổ theo mẫu cũ (phiên bản {info.get('version') or '?'}: một dòng cho mỗi nhiệm vụ và quý, một phần "
            f"trăm cho cả nhiệm vụ định kỳ); mẫu phiên bản {VERSION} có một dòng cho mỗi lần thực hiện, cột ngày "
            "hoàn thành, vướng mắc và người cập nhật. Hãy xuất lại sổ bằng cchc workbook export và nhập lại số liệu",
            ProblemCode.OLD_FORMAT,
        )
        return None
    rows = []
    for r in range(8, meta.max_row + 1):
        sheet, unit, row, task, occurrence = (meta.cell(r, c).value for c in range(1, 6))
        if sheet is None and task is None:
            continue
        try:
            rows.append((_text(sheet), _text(unit), int(row), _text(task), _text(occurrence)))
        except (TypeError, ValueError):
            reader.problem(META_SHEET, f"C{r}", row, "trang ẩn _cchc bị sửa; hãy xuất lại sổ", ProblemCode.BAD_META)
    return info, rows


def _read_workbook(
    path: Path, ds: Dataset, expected_period: Period | None, seen: dict[tuple[str, str], str]
) -> tuple[Period | None, list[Update], list[str], list[Problem]]:
    from openpyxl import load_workbook

    reader = _Reader(path)
    try:
        book = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        reader.problem(
            None, None, None, f"không mở được tệp Excel ({type(error).__name__}); cần tệp .xlsx", ProblemCode.BAD_XLSX
        )
        return None, [], [], reader.problems
    found = _read_meta(reader, book)
    if found is None:
        return None, [], [], reader.problems
    info, layout = found
    period_cell = info.get("period@", "B3")
    try:
        quarter = quarter_of(info.get("period", ""))
    except CchcParameterError as error:
        reader.problem(META_SHEET, period_cell, info.get("period"), str(error), ProblemCode.BAD_PERIOD)
        return None, [], [], reader.problems
    agency_id = info.get("agency_id", "")
    tasks = ds.tasks[(ds.tasks["agency_id"] == agency_id) & (ds.tasks["plan_year"] == quarter.year)]
    if tasks.empty:
        reader.problem(
            META_SHEET,
            info.get("agency_id@", "B4"),
            agency_id,
            f"không có kế hoạch năm {quarter.year} của cơ quan này trong dữ liệu",
            ProblemCode.UNKNOWN_AGENCY,
        )
        return quarter, [], [], reader.problems
    if expected_period is not None and quarter != expected_period:
        for sheet in dict.fromkeys(s for s, *_ in layout):
            reader.problem(
                sheet,
                PERIOD_CELL,
                quarter.id,
                f"sổ này của {quarter.label}, không phải của kỳ đang nhập {expected_period.label}; "
                "mỗi lần nhập chỉ nhận sổ của một quý",
                ProblemCode.WRONG_PERIOD,
            )
        return quarter, [], [], reader.problems
    owner = dict(zip(tasks["task_id"], tasks["unit_id"]))
    task_rows = {record["task_id"]: record for record in tasks.to_dict("records")}
    units = ds.units.set_index("unit_id")["name"]
    updates: list[Update] = []
    skipped: list[str] = []
    by_sheet: dict[str, dict[int, tuple[str, str, str]]] = {}
    for sheet, unit, row, task, occurrence in layout:
        by_sheet.setdefault(sheet, {})[row] = (unit, task, occurrence)
    for sheet_name, expected_rows in by_sheet.items():
        if sheet_name not in book.sheetnames:
            reader.problem(
                sheet_name,
                None,
                None,
                "thiếu trang tính của đơn vị (trang bị xoá hoặc đổi tên)",
                ProblemCode.MISSING_SHEET,
            )
            continue
        sheet = book[sheet_name]
        shown_period = _text(sheet[PERIOD_CELL].value)
        if shown_period != quarter.id:
            reader.problem(
                sheet_name,
                PERIOD_CELL,
                sheet[PERIOD_CELL].value,
                f"trang này của kỳ khác; sổ là của {quarter.label} ({quarter.id})",
                ProblemCode.WRONG_PERIOD,
            )
            continue
        last = max([sheet.max_row, *expected_rows])
        for row in range(FIRST_ROW, last + 1):
            cells = {letter: sheet[f"{letter}{row}"] for letter, _, _ in COLUMNS}
            for letter, cell in cells.items():
                if _is_formula(cell):
                    reader.problem(
                        sheet_name,
                        f"{letter}{row}",
                        cell.value,
                        "ô chứa công thức; chỉ nhập giá trị (gõ số, chữ hoặc ngày)",
                        ProblemCode.FORMULA,
                    )
            if any(_is_formula(cell) for cell in cells.values()):
                continue
            key = _text(cells["A"].value)
            occurrence = _text(cells["B"].value)
            unit, exported, exported_occurrence = expected_rows.get(row, ("", "", ""))
            inputs_empty = all(cells[letter].value in (None, "") for letter in INPUT_COLUMNS)
            if not key and not exported:
                if not inputs_empty:
                    reader.problem(
                        sheet_name,
                        f"A{row}",
                        None,
                        "dòng có số liệu nhưng không có mã nhiệm vụ; không thêm dòng vào sổ",
                        ProblemCode.MISSING_KEY,
                    )
                continue
            if key != exported:
                reader.problem(
                    sheet_name,
                    f"A{row}",
                    key or None,
                    f"ô khoá bị sửa: dòng này được xuất cho nhiệm vụ {exported or '(không có)'}; "
                    "không sửa cột Mã nhiệm vụ, hãy xuất lại sổ",
                    ProblemCode.KEY_CHANGED,
                )
            if key == exported and occurrence != exported_occurrence:
                reader.problem(
                    sheet_name,
                    f"B{row}",
                    occurrence or None,
                    f"ô khoá bị sửa: dòng này được xuất cho lần thực hiện {exported_occurrence or '(không có)'}; "
                    "không sửa cột Mã lần thực hiện, hãy xuất lại sổ",
                    ProblemCode.KEY_CHANGED,
                )
                continue
            if not key:
                continue
            if key not in owner:
                reader.problem(
                    sheet_name,
                    f"A{row}",
                    key,
                    f"mã nhiệm vụ không có trong kế hoạch năm {quarter.year}",
                    ProblemCode.UNKNOWN_TASK,
                )
                continue
            if owner[key] != unit:
                reader.problem(
                    sheet_name,
                    f"A{row}",
                    key,
                    f"nhiệm vụ {key} do {units.get(owner[key], owner[key])} chủ trì, không thuộc trang này",
                    ProblemCode.WRONG_UNIT,
                )
            where = f"{path.name}: {sheet_name}!A{row}"
            found = occurrence_problem(occurrence, quarter.id, task_rows[key])
            if found is not None:
                reader.problem(sheet_name, f"B{row}", occurrence, *found)
                continue
            if (key, occurrence) in seen:
                reader.problem(
                    sheet_name,
                    f"A{row}",
                    f"{key} {occurrence}",
                    f"lần thực hiện đã có ở {seen[(key, occurrence)]}",
                    ProblemCode.DUPLICATE_TASK,
                )
                continue
            seen[(key, occurrence)] = where
            update = _read_inputs(reader, sheet_name, row, cells, task_rows[key], occurrence, quarter)
            if update == "skipped":
                skipped.append(f"{key} {occurrence}")
            elif isinstance(update, Update):
                updates.append(dataclasses.replace(update, where=where))
    return quarter, updates, skipped, reader.problems


INPUTS = {"I": "status", "J": "percent_done", "K": "completed_on", "L": "blocker", "M": "updated_on"}
CELL_OF = {name: letter for letter, name in INPUTS.items()}


def _read_inputs(
    reader: _Reader, sheet: str, row: int, cells: dict, task: dict, occurrence: str, quarter: Period
) -> Update | str | None:
    """One row's inputs, by the rules of the progress table's contract (``tables.PROGRESS`` and
    ``checks.row_problems``): a cell the table would refuse is refused here with the same code. Only the window
    of the date of update is the workbook's own rule (an update of the workbook's quarter)."""
    raw_date = cells["M"].value
    if raw_date in (None, ""):
        return "skipped"
    count = len(reader.problems)
    values: dict[str, object] = {}
    for letter, name in INPUTS.items():
        column = tables.PROGRESS.by_name[name]
        raw = cells[letter].value
        if isinstance(raw, dt.datetime):  # an Excel date cell: its day (a time of day typed with it is dropped)
            raw = raw.date()
        text = readers.cell_text(raw)
        if not parsing.clean_text(text):
            if column.required:
                reader.problem(
                    sheet, f"{letter}{row}", None, contracts.missing_message(column), ProblemCode.MISSING_VALUE
                )
            values[name] = None if name != "blocker" else ""
            continue
        try:
            values[name] = column.parse(text)
        except ValueError as error:
            reader.problem(sheet, f"{letter}{row}", raw, str(error), contracts.problem_code(column, error))
    day = values.get("updated_on")
    latest = quarter.end + dt.timedelta(days=LATE_DAYS)
    if isinstance(day, dt.date) and not quarter.start <= day <= latest:
        reader.problem(
            sheet,
            f"M{row}",
            day,
            f"ngày cập nhật phải trong {quarter.label} (từ {fmt.date(quarter.start)} đến {fmt.date(latest)})",
            ProblemCode.BAD_DATE,
        )
    if len(reader.problems) == count:
        for name, expected, code in row_problems(values, task):
            letter = CELL_OF[name]
            reader.problem(sheet, f"{letter}{row}", cells[letter].value, expected, code)
    if len(reader.problems) > count:
        return None
    percent = values.get("percent_done")
    return Update(
        str(task["task_id"]),
        occurrence,
        quarter.id,
        str(values["status"]),
        None if percent is None else float(cast(float, percent)),
        cast("dt.date | None", values.get("completed_on")),
        str(values.get("blocker") or ""),
        cast(dt.date, values["updated_on"]),
        _text(cells["N"].value),
        _text(cells["O"].value),
        "",
    )


def _progress_path(data_dir: Path) -> tuple[Path, list[Problem]]:
    folder = data_dir / "progress"
    if (folder / "progress.xlsx").exists():
        return folder / "progress.xlsx", [
            Problem(
                readers.display_path(folder / "progress.xlsx", data_dir),
                None,
                None,
                None,
                "nhập sổ cập nhật chỉ ghi được vào progress/progress.csv; hãy chuyển bảng tiến độ sang CSV",
                ProblemCode.PROGRESS_NOT_CSV,
            )
        ]
    return folder / "progress.csv", []


def _csv_cell(column: str, value: object) -> str:
    if column == "percent_done":
        if value is None:
            return ""
        number = round(float(value), 2)  # type: ignore[arg-type]  # a parsed percent: int or float
        return str(int(number)) if number.is_integer() else f"{number:.2f}".rstrip("0")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _merge(path: Path, data_dir: Path, updates: list[Update], ds: Dataset, result: ImportResult) -> str:
    """The new text of progress.csv: existing rows kept as they are, updated rows replaced, new rows placed
    after the same task's earlier quarters (columns in the file's order)."""
    if path.exists():
        raw = readers.read_table(path, readers.display_path(path, data_dir))
        header = raw.header
        rows = [cells[: len(header)] + [""] * (len(header) - len(cells)) for _, cells in raw.rows]
    else:
        header, rows = tables.PROGRESS.column_names, []
    position = {parsing.fold(name).replace(" ", "_"): index for index, name in enumerate(header)}
    column = {name: position[name] for name in tables.PROGRESS.column_names}
    order = {task_id: index for index, task_id in enumerate(ds.tasks["task_id"])}

    def key(cells: list[str]) -> tuple[str, str, str]:
        task = cells[column["task_id"]].strip()
        try:
            occurrence = contracts.parse_occurrence(cells[column["occurrence"]])
        except ValueError:
            occurrence = cells[column["occurrence"]]
        try:
            return task, occurrence, contracts.parse_period(cells[column["period"]])
        except ValueError:
            return task, occurrence, cells[column["period"]]

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
        new = [""] * len(header)
        for name, value in values.items():
            new[column[name]] = _csv_cell(name, value)
        keys = [key(cells) for cells in rows]
        label = f"{update.task_id} {update.occurrence} {update.period}"
        wanted = (update.task_id, update.occurrence, update.period)
        if wanted in keys:
            index = keys.index(wanted)
            old = rows[index]
            same = all(_same(name, old[column[name]], new[column[name]]) for name in values if name != "provenance")
            if same:
                result.unchanged.append(label)
                continue
            rows[index] = new
            result.changed.append(label)
            continue
        result.added.append(label)
        rows.insert(_insertion_point(keys, update, order), new)
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _same(name: str, old: str, new: str) -> bool:
    if name == "percent_done":
        if not old.strip() or not new.strip():
            return old.strip() == new.strip()
        try:
            return parsing.parse_number(old) == parsing.parse_number(new)
        except ValueError:
            return False
    if name in ("updated_on", "completed_on"):
        if not old.strip() or not new.strip():
            return old.strip() == new.strip()
        try:
            return parsing.parse_date(old) == parsing.parse_date(new)
        except ValueError:
            return False
    if name == "status":
        try:
            return tables.PROGRESS.by_name["status"].parse(old) == new
        except ValueError:
            return False
    return parsing.clean_text(old) == parsing.clean_text(new)


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


def import_workbooks(
    paths: Iterable[str | Path], data_dir: str | Path | None = None, *, period: Period | str | None = None
) -> ImportResult:
    """Validate every workbook, then merge their updates into progress/progress.csv atomically.

    Raises CchcDataError with every problem (workbook, sheet, cell) and writes nothing when any workbook has
    one; ``period`` (optional) is the quarter being collected — a workbook of another quarter is refused, and
    so is a set of workbooks of different quarters.
    """
    ds = load_data(data_dir)
    expected = quarter_of(period) if period else None
    files = [Path(p) for p in paths]
    if not files:
        raise CchcParameterError("Cần ít nhất một tệp sổ cập nhật (.xlsx)")
    problems: list[Problem] = []
    updates: list[Update] = []
    skipped: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    first: tuple[Path, Period] | None = None
    for path in files:
        if not path.is_file():
            problems.append(Problem(path.as_posix(), None, None, None, "không tìm thấy tệp", ProblemCode.MISSING_FILE))
            continue
        # Every workbook of one import is for one quarter: --period, else the first workbook's.
        quarter, found, rows_skipped, trouble = _read_workbook(
            path, ds, expected or (first[1] if first else None), seen
        )
        problems.extend(trouble)
        if quarter is not None and first is None:
            first = (path, quarter)
        updates.extend(found)
        skipped.extend(rows_skipped)
    target, trouble = _progress_path(ds.data_dir)
    problems.extend(trouble)
    if problems:
        raise CchcDataError(problems)
    result = ImportResult(target, first[1].id if first else "", skipped=skipped)
    text = _merge(target, ds.data_dir, updates, ds, result)
    if not result.added and not result.changed:
        return result
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="")
        raw = readers.read_table(temporary, readers.display_path(target, ds.data_dir))
        frame, found = contracts.parse_table(raw, tables.PROGRESS)
        found += check_progress(frame, ds.tasks)
        if found:
            raise CchcDataError(found)
    return result
