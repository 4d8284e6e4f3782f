"""Import (:func:`import_workbooks`) reads every workbook with openpyxl (formulas kept, so that a formula where a
value belongs is caught), validates *everything* — the period, the sheets, every key cell, every input cell —
and raises one :class:`CchcDataError` naming every problem by workbook, sheet and cell before anything is
written. Only then are the updates merged into ``progress/progress.csv`` of the data folder (:mod:`.store`:
under a lock, in the file's own dialect), written to a temporary file, validated again as a whole table, and
moved over the old file in one rename. The workbooks themselves are never modified.

Each row is one occurrence of a task (a month of a monthly report, a quarter of a continuous duty, a one-off
task); the progress table's key is (task, occurrence, quarter of the update). Rows are matched by that key
wherever they are on their sheet (sorting rows changes nothing); a row whose key was not exported on that sheet is
refused (a unit does not add tasks), and a row whose key or task context (columns A–H) no longer matches what was
exported is refused as an edited key.

Only what a unit changed is applied: the hidden sheet records the value each input cell was exported with, and a
cell still holding it is not a change — so a copy returned by one unit never reverts another unit's updates
imported earlier, and two copies of one export can be imported together when they change different rows. A
cell changed in the workbook *and* in the store since the export (to different values) is refused as a
conflict, naming the three values. A row with a change is validated as a whole (its unchanged cells as the store
has them now); a row whose date of update is empty is not an update (skipped and counted). Workbooks of an
earlier format (version 1, or version 2 without the exported values) are refused with a message to export again.

Why this module is long: reading and checking every cell of a returned workbook — matching rows by key, telling
a unit's change from a pre-filled value and from a later change in the store — is one pass that shares the
reader's cell bookkeeping; the store's merge, dialect and lock live in :mod:`.store`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from cchc_analysis import fmt
from cchc_analysis.config import default_data_dir
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcDataError, CchcParameterError, Problem, ProblemCode
from cchc_analysis.files import atomic_path
from cchc_analysis.ingest import contracts, parsing, readers, tables, xlsx
from cchc_analysis.ingest.checks import check_progress, occurrence_problem, row_problems
from cchc_analysis.ingest.dataset import Dataset, load_data
from cchc_analysis.workbook.export import prefill, updates_by_occurrence
from cchc_analysis.workbook.layout import (
    COLUMNS,
    EXTRA_COLUMNS,
    EXTRA_ROWS,
    FIRST_ROW,
    FORMAT,
    INPUT_COLUMNS,
    KEY_COLUMNS,
    LATE_DAYS,
    META_COLUMNS,
    META_HEADER_ROW,
    META_SHEET,
    PERIOD_CELL,
    VERSION,
    cell_key,
    quarter_of,
    row_digest,
)
from cchc_analysis.workbook.store import ImportResult, Update, merge, read_store, store_lock

__all__ = ["CELL_OF", "INPUTS", "ImportResult", "Update", "import_workbooks"]


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


def _read_meta(reader: _Reader, book) -> tuple[dict[str, str], list[_Exported]] | None:
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
    version = info.get("version")
    if version != str(VERSION):
        if version == "2":
            expected = (
                "sổ xuất theo mẫu phiên bản 2, không ghi lại giá trị ban đầu của các ô nhập, nên không phân biệt "
                "được ô đơn vị đã sửa với ô được điền sẵn: nhập sổ này có thể ghi đè cập nhật của đơn vị khác đã "
                f"nhập sau khi xuất sổ. Hãy xuất lại sổ (mẫu phiên bản {VERSION}) bằng cchc workbook export, chép "
                "các cập nhật của đơn vị sang sổ mới rồi nhập sổ mới"
            )
        else:
            expected = (
                f"sổ theo mẫu cũ (phiên bản {version or '?'}: một dòng cho mỗi nhiệm vụ và quý, một phần "
                f"trăm cho cả nhiệm vụ định kỳ); mẫu phiên bản {VERSION} có một dòng cho mỗi lần thực hiện, cột ngày "
                "hoàn thành, vướng mắc và người cập nhật. Hãy xuất lại sổ bằng cchc workbook export và nhập lại số liệu"
            )
        reader.problem(META_SHEET, info.get("version@", "B2"), version, expected, ProblemCode.OLD_FORMAT)
        return None
    rows: list[_Exported] = []
    keys: set[tuple[str, str, str]] = set()
    count = len(reader.problems)
    width = len(META_COLUMNS) + 1  # the exported values, then the digest of the row's key and context
    for r in range(META_HEADER_ROW + 1, meta.max_row + 1):
        cells = [meta.cell(r, c).value for c in range(1, width + 1)]
        sheet, unit, row, task, occurrence = cells[:5]
        if sheet is None and task is None:
            continue
        try:
            exported = _Exported(
                _text(sheet),
                _text(unit),
                int(row),  # a bad value is a ValueError or a TypeError
                _text(task),
                _text(occurrence),
                {letter: "" if v is None else str(v) for letter, v in zip(INPUT_COLUMNS, cells[5:-1])},
                _text(cells[-1]),
            )
        except (TypeError, ValueError):
            reader.problem(META_SHEET, f"C{r}", row, "trang ẩn _cchc bị sửa; hãy xuất lại sổ", ProblemCode.BAD_META)
            continue
        key = (exported.sheet, exported.task_id, exported.occurrence)
        if not exported.digest or key in keys:
            reader.problem(
                META_SHEET, f"A{r}", exported.sheet, "trang ẩn _cchc bị sửa; hãy xuất lại sổ", ProblemCode.BAD_META
            )
            continue
        keys.add(key)
        rows.append(exported)
    if len(reader.problems) > count:
        return None  # the rows cannot be told apart without the hidden sheet: nothing else is said
    return info, rows


def _canonical(letter: str, value: object) -> str:
    """An input cell's value as compared between the export, the workbook and the store: a status by its code, a
    percent and a date by their value (0,8 shown as 80 % is 80; "26/09/2023" is the date), text as typed."""
    text = readers.cell_text(value.date() if isinstance(value, dt.datetime) and value.time() == dt.time() else value)
    if not parsing.clean_text(text):
        return ""
    try:
        if INPUT_COLUMNS[letter] in ("status", "percent_done", "completed_on", "updated_on"):
            return cell_key(tables.PROGRESS.by_name[INPUT_COLUMNS[letter]].parse(text))
    except ValueError:
        pass
    return cell_key(value)


def _cell_value(cell) -> object:
    """A cell's value; a number shown as a percentage (0,8 formatted 0 %) is the percent a person saw (80 %)."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return readers.percent_text(readers.cell_text(float(value)))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _extent_problem(reader: _Reader, sheet, name: str, exported_rows: int) -> bool:
    """A value far outside the sheet's table (say at J1048576) is refused before any cell is read: reading up to
    it would create a million empty cells (52 s and 2,5 GB for a 17 KB file)."""
    last_row = FIRST_ROW + exported_rows + EXTRA_ROWS
    last_column = len(COLUMNS) + EXTRA_COLUMNS
    if sheet.max_row <= last_row and sheet.max_column <= last_column:
        return False
    far = _far_cell(sheet, last_row, last_column)
    reader.problem(
        name,
        far,
        None,
        f"trang tính có dữ liệu ở ô {far}, quá xa bảng của sổ (tối đa {fmt.number(last_row)} dòng và "
        f"{last_column} cột cho trang này); xoá các ô thừa nằm xa bảng (Ctrl+End để tìm ô cuối) rồi lưu lại",
        ProblemCode.TOO_LARGE,
    )
    return True


def _far_cell(sheet, last_row: int, last_column: int) -> str:
    """The address of a value beyond the bounds, looking at one row or one column only (never the whole extent)."""
    from openpyxl.utils import get_column_letter

    if sheet.max_row > last_row:
        row = sheet.max_row
        cells = next(sheet.iter_rows(min_row=row, max_row=row, max_col=min(sheet.max_column, last_column)))
        filled = [cell.column for cell in cells if cell.value is not None]
        return f"{get_column_letter(filled[-1] if filled else sheet.max_column)}{row}"
    column = sheet.max_column
    cells = next(sheet.iter_cols(min_col=column, max_col=column, max_row=min(sheet.max_row, last_row)))
    filled = [cell.row for cell in cells if cell.value is not None]
    return f"{get_column_letter(column)}{filled[-1] if filled else sheet.max_row}"


@dataclass(frozen=True)
class _Exported:
    """One row of the hidden sheet: where an occurrence was exported and what its cells held."""

    sheet: str
    unit_id: str
    row: int
    task_id: str
    occurrence: str
    values: dict[str, str]  # input column letter -> the cell's value when exported (layout.cell_key)
    digest: str  # of the row's key and context cells (A–H) when exported


@dataclass
class _Context:
    """What every workbook of one import is checked against: the data as it is under the store's lock."""

    ds: Dataset
    quarter: Period
    owner: dict[str, str]
    task_rows: dict[str, dict]
    history: dict[tuple[str, str], list[dict]]
    seen: dict[tuple[str, str], str]  # changed occurrences -> where they were changed


def _read_workbook(
    path: Path, ds: Dataset, expected_period: Period | None, seen: dict[tuple[str, str], str]
) -> tuple[Period | None, list[Update], list[str], list[Problem]]:
    from openpyxl import load_workbook

    reader = _Reader(path)
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > xlsx.MAX_UNCOMPRESSED:
            reader.problem(
                None,
                None,
                None,
                f"tệp Excel giải nén ra {fmt.number(inflated // 2**20)} MB, quá giới hạn "
                f"{fmt.number(xlsx.MAX_UNCOMPRESSED // 2**20)} MB của một sổ cập nhật",
                ProblemCode.TOO_LARGE,
            )
            return None, [], [], reader.problems
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
        for sheet in dict.fromkeys(e.sheet for e in layout):
            reader.problem(
                sheet,
                PERIOD_CELL,
                quarter.id,
                f"sổ này của {quarter.label}, không phải của kỳ đang nhập {expected_period.label}; "
                "mỗi lần nhập chỉ nhận sổ của một quý",
                ProblemCode.WRONG_PERIOD,
            )
        return quarter, [], [], reader.problems
    context = _Context(
        ds,
        quarter,
        dict(zip(tasks["task_id"], tasks["unit_id"])),
        {record["task_id"]: record for record in tasks.to_dict("records")},
        updates_by_occurrence(ds, quarter),
        seen,
    )
    updates: list[Update] = []
    skipped: list[str] = []
    by_sheet: dict[str, list[_Exported]] = {}
    for exported in layout:
        by_sheet.setdefault(exported.sheet, []).append(exported)
    for sheet_name, exported_rows in by_sheet.items():
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
        if _extent_problem(reader, sheet, sheet_name, len(exported_rows)):
            continue
        _read_sheet(reader, context, sheet, sheet_name, exported_rows, updates, skipped)
    return quarter, updates, skipped, reader.problems


def _read_sheet(
    reader: _Reader,
    context: _Context,
    sheet,
    name: str,
    exported_rows: list[_Exported],
    updates: list[Update],
    skipped: list[str],
) -> None:
    """Match every row of one unit's sheet to its exported occurrence by key, and read the rows a unit changed."""
    expected = {(e.task_id, e.occurrence): e for e in exported_rows}
    at_row = {e.row: e for e in exported_rows}
    unit = exported_rows[0].unit_id
    units = context.ds.units.set_index("unit_id")["name"]
    placed: dict[tuple[str, str], int] = {}
    strangers: list[tuple[int, str, str]] = []
    matched: list[tuple[int, dict, _Exported]] = []
    for row in range(FIRST_ROW, sheet.max_row + 1):
        cells = {letter: sheet[f"{letter}{row}"] for letter, _, _ in COLUMNS}
        formulas = [(letter, cell) for letter, cell in cells.items() if _is_formula(cell)]
        for letter, cell in formulas:
            reader.problem(
                name,
                f"{letter}{row}",
                cell.value,
                "ô chứa công thức; chỉ nhập giá trị (gõ số, chữ hoặc ngày)",
                ProblemCode.FORMULA,
            )
        if formulas:
            continue
        key, occurrence = _text(cells["A"].value), _text(cells["B"].value)
        if not key and not occurrence:
            if any(cells[letter].value not in (None, "") for letter in INPUT_COLUMNS):
                reader.problem(
                    name,
                    f"A{row}",
                    None,
                    "dòng có số liệu nhưng không có mã nhiệm vụ; không thêm dòng vào sổ",
                    ProblemCode.MISSING_KEY,
                )
            continue
        if (key, occurrence) in placed:
            reader.problem(
                name,
                f"A{row}",
                f"{key} {occurrence}",
                f"lần thực hiện này đã có ở dòng {placed[(key, occurrence)]} của trang; mỗi lần thực hiện chỉ một "
                "dòng (xoá dòng chép thêm)",
                ProblemCode.DUPLICATE_TASK,
            )
            continue
        placed[(key, occurrence)] = row
        if (key, occurrence) in expected:
            matched.append((row, cells, expected[(key, occurrence)]))
        else:
            strangers.append((row, key, occurrence))
    for row, key, occurrence in strangers:
        was = at_row.get(row)
        if was is not None and (was.task_id, was.occurrence) not in placed:  # the key cell itself was edited
            letter, exported = ("A", was.task_id) if key != was.task_id else ("B", was.occurrence)
            reader.problem(
                name,
                f"{letter}{row}",
                (key if letter == "A" else occurrence) or None,
                f"ô khoá bị sửa: dòng này được xuất cho {'nhiệm vụ' if letter == 'A' else 'lần thực hiện'} "
                f"{exported or '(không có)'}; không sửa cột Mã nhiệm vụ, Mã lần thực hiện, hãy xuất lại sổ",
                ProblemCode.KEY_CHANGED,
            )
            if key in context.owner:
                continue
        if key not in context.owner:
            reader.problem(
                name,
                f"A{row}",
                key,
                f"mã nhiệm vụ không có trong kế hoạch năm {context.quarter.year}",
                ProblemCode.UNKNOWN_TASK,
            )
        elif context.owner[key] != unit:
            reader.problem(
                name,
                f"A{row}",
                key,
                f"nhiệm vụ {key} do {units.get(context.owner[key], context.owner[key])} chủ trì, không thuộc trang này",
                ProblemCode.WRONG_UNIT,
            )
        else:
            reader.problem(
                name,
                f"A{row}",
                f"{key} {occurrence}",
                "dòng này được thêm vào sổ: lần thực hiện này không có trong sổ khi xuất. Đơn vị không thêm nhiệm vụ "
                "hay lần thực hiện vào sổ; hãy xoá dòng này, hoặc đề nghị văn phòng xuất lại sổ nếu cần báo cáo nó",
                ProblemCode.ADDED_ROW,
            )
    for row, cells, exported in matched:
        if row_digest([cells[letter].value for letter in KEY_COLUMNS]) != exported.digest:
            reader.problem(
                name,
                f"A{row}",
                exported.task_id,
                f"ô khoá bị sửa: nội dung các cột A–H của dòng không còn khớp với dòng đã xuất cho nhiệm vụ "
                f"{exported.task_id} ({exported.occurrence}); không sửa các cột này, hãy xuất lại sổ",
                ProblemCode.KEY_CHANGED,
            )
            continue
        found = _changed_row(reader, context, name, row, cells, exported)
        if found == "skipped":
            skipped.append(f"{exported.task_id} {exported.occurrence}")
        elif isinstance(found, Update):
            updates.append(found)


def _changed_row(
    reader: _Reader, context: _Context, name: str, row: int, cells: dict, exported: _Exported
) -> Update | str | None:
    """One matched row: which input cells the unit changed, a conflict with a later change in the store, and the
    row's values (changed cells from the workbook, the others as the store has them now) checked as a whole."""
    key, occurrence = exported.task_id, exported.occurrence
    task = context.task_rows[key]
    now = prefill(context.history.get((key, occurrence), []), context.quarter)
    given = {letter: _cell_value(cells[letter]) for letter in INPUT_COLUMNS}
    changed = [
        letter
        for letter in INPUT_COLUMNS
        if _canonical(letter, given[letter]) != _canonical(letter, exported.values[letter])
    ]
    values = {letter: given[letter] if letter in changed else now[letter] for letter in INPUT_COLUMNS}
    if not changed:
        return None if values["M"] not in (None, "") else "skipped"
    count = len(reader.problems)
    for letter in changed:
        before, current, typed = (
            _canonical(letter, exported.values[letter]),
            _canonical(letter, now[letter]),
            _canonical(letter, given[letter]),
        )
        if current != before and current != typed:
            reader.problem(
                name,
                f"{letter}{row}",
                given[letter],
                f"xung đột: sau khi xuất sổ, ô này đã được cập nhật ở nơi khác; lúc xuất sổ là "
                f"{_quoted(letter, exported.values[letter])}, dữ liệu hiện nay là {_quoted(letter, now[letter])}, "
                f"sổ này ghi {_quoted(letter, given[letter])}. Hãy thống nhất giá trị đúng rồi xuất lại sổ",
                ProblemCode.CONFLICTING_UPDATE,
            )
    twice = (key, occurrence) in context.seen
    if twice:
        reader.problem(
            name,
            f"A{row}",
            f"{key} {occurrence}",
            f"lần thực hiện này cũng được sửa ở {context.seen[(key, occurrence)]}; mỗi lần thực hiện chỉ được sửa "
            "ở một sổ trong một lần nhập",
            ProblemCode.DUPLICATE_TASK,
        )
    where = f"{reader.path.name}: {name}!A{row}"
    context.seen.setdefault((key, occurrence), where)
    problem = occurrence_problem(occurrence, context.quarter.id, task)
    if problem is not None:
        reader.problem(name, f"B{row}", occurrence, *problem)
        return None
    if twice or len(reader.problems) > count:
        return None
    if values["M"] in (None, ""):
        return "skipped"
    found = _read_inputs(reader, name, row, values, task, occurrence, context.quarter)
    if isinstance(found, Update):
        return dataclasses.replace(found, where=where, changed=frozenset(INPUT_COLUMNS[letter] for letter in changed))
    return found


def _quoted(letter: str, value: object) -> str:
    """A value in a conflict message as a person reads it: dates dd/mm/yyyy, numbers with a decimal comma."""
    if value in (None, ""):
        return "(trống)"
    if letter in ("K", "M"):
        try:
            return f'"{fmt.date(parsing.parse_date(readers.cell_text(value)))}"'
        except ValueError:
            pass
    if letter == "J":
        try:
            return f'"{fmt.number(parsing.parse_number(readers.cell_text(value)))}"'
        except ValueError:
            pass
    if letter == "I":
        try:
            status = str(tables.PROGRESS.by_name["status"].parse(readers.cell_text(value)))
            return f'"{tables.REPORTED_STATUSES[status]}"'
        except (ValueError, KeyError):
            pass
    return f'"{_show(value)}"'


#: The input cells read by the progress table's contract (the name and the note, N and O, are free text).
INPUTS = {letter: name for letter, name in INPUT_COLUMNS.items() if name not in ("updated_by", "note")}
CELL_OF = {name: letter for letter, name in INPUTS.items()}


def _read_inputs(
    reader: _Reader, sheet: str, row: int, cells: dict[str, object], task: dict, occurrence: str, quarter: Period
) -> Update | str | None:
    """One row's inputs, by the rules of the progress table's contract (``tables.PROGRESS`` and
    ``checks.row_problems``): a cell the table would refuse is refused here with the same code. Only the window
    of the date of update is the workbook's own rule (an update of the workbook's quarter). ``cells``: the row's
    input values by column letter."""
    raw_date = cells["M"]
    if raw_date in (None, ""):
        return "skipped"
    count = len(reader.problems)
    values: dict[str, object] = {}
    for letter, name in INPUTS.items():
        column = tables.PROGRESS.by_name[name]
        raw = cells[letter]
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
            reader.problem(sheet, f"{letter}{row}", cells[letter], expected, code)
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
        _text(cells["N"]),
        _lines(cells["O"]),
        "",
    )


def _lines(value: object) -> str:
    """A note as typed: each line cleaned, the line breaks kept (a multi-line note stays multi-line)."""
    text = readers.cell_text(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [parsing.clean_text(line) for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


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


def import_workbooks(
    paths: Iterable[str | Path], data_dir: str | Path | None = None, *, period: Period | str | None = None
) -> ImportResult:
    """Validate every workbook, then merge the changes they carry into progress/progress.csv atomically.

    Raises CchcDataError with every problem (workbook, sheet, cell) and writes nothing when any workbook has
    one; ``period`` (optional) is the quarter being collected — a workbook of another quarter is refused, and
    so is a set of workbooks of different quarters. The whole import holds the progress store's lock: the data
    is read, checked and written while no other import can write it. Nothing to change: the file is not written.
    """
    expected = quarter_of(period) if period else None
    files = [Path(p) for p in paths]
    if not files:
        raise CchcParameterError("Cần ít nhất một tệp sổ cập nhật (.xlsx)")
    folder = Path(data_dir) if data_dir else default_data_dir()
    if not folder.is_dir():
        load_data(folder)  # says the folder is missing, in the data's own words
    with store_lock(folder / "progress") as removed:
        ds = load_data(folder)
        problems: list[Problem] = []
        updates: list[Update] = []
        skipped: list[str] = []
        seen: dict[tuple[str, str], str] = {}
        first: tuple[Path, Period] | None = None
        for path in files:
            if not path.is_file():
                problems.append(
                    Problem(path.as_posix(), None, None, None, "không tìm thấy tệp", ProblemCode.MISSING_FILE)
                )
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
        result = ImportResult(
            target, first[1].id if first else "", skipped=list(dict.fromkeys(skipped)), removed_temporaries=removed
        )
        store = read_store(target)
        order = {task_id: index for index, task_id in enumerate(ds.tasks["task_id"])}
        if not merge(store, updates, order, result):
            return result
        with atomic_path(target) as temporary:
            temporary.write_bytes(store.content())
            raw = readers.read_table(temporary, readers.display_path(target, ds.data_dir))
            frame, found_problems = contracts.parse_table(raw, tables.PROGRESS)
            found_problems += check_progress(frame, ds.tasks)
            if found_problems:
                raise CchcDataError(found_problems)
        return result
