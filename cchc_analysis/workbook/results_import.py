"""Import a results workbook (:mod:`.results_layout`) into a data folder: validate everything, then add the year.

The cells are read with openpyxl (formulas kept, so a formula where a value belongs is refused) into the same
tables the data folder holds, parsed by the same contracts (``ingest.tables``) and checked by the same rules
(``ingest.checks``: framework sums, points within maxima, not-applicable without points, published maxima and
ranks; plus the workbook's own sums: subtotals, appraisal = Σ fields, total = appraisal + survey). Every problem
names the workbook, the sheet and the cell. Then the new tables are written into a scratch copy of the data folder,
loaded and validated as a whole, and the computed figures reconciled with the published ones (a field's points,
the index, each rank); only when nothing is wrong are the files of the year replaced in the data folder, all of
them or none (``files.write_texts_together``). The workbook is never modified.

Why this module is long: reading every sheet, relocating each table problem to its cell, the cross-sheet sums and
the one write are one transaction; splitting it would pass the cell bookkeeping between modules.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import scoring
from cchc_analysis.errors import CchcDataError, Problem, ProblemCode
from cchc_analysis.files import write_texts_together
from cchc_analysis.ingest import checks, contracts, parsing, readers, tables
from cchc_analysis.ingest.contracts import code_key
from cchc_analysis.ingest.dataset import Dataset, load_data
from cchc_analysis.ingest.readers import RawTable
from cchc_analysis.workbook import results_layout as L

__all__ = ["ResultsImport", "TOLERANCE", "import_results_workbook"]

TOLERANCE = 0.005  # published figures carry two decimals


@dataclass
class ResultsImport:
    """What an import wrote."""

    year: int
    provenance: str
    files: list[Path] = field(default_factory=list)
    agencies_scored: list[str] = field(default_factory=list)
    agencies_published: list[str] = field(default_factory=list)
    framework_written: bool = False


class _Book:
    """The problems of one workbook; table problems are relocated to a sheet and cell through a tag per table."""

    def __init__(self, path: Path):
        self.path = path
        self.display = path.as_posix()
        self.problems: list[Problem] = []
        self.tags: dict[str, tuple[str, dict[str, str]]] = {}

    def problem(self, sheet: str, cell: str | None, value: object, expected: str, code: ProblemCode) -> None:
        row = int("".join(ch for ch in cell.split(":")[0] if ch.isdigit())) if cell else None
        shown = None if value is None else (fmt.number(value) if isinstance(value, float) else str(value))
        self.problems.append(Problem(self.display, row, None, shown, expected, code, sheet=sheet, cell=cell))

    def tag(self, sheet: str, letters: dict[str, str], scope: str = "") -> str:
        tag = f"{sheet}\x1f{scope}"
        self.tags[tag] = (sheet, letters)
        return tag

    def relocate(self, problems: list[Problem]) -> None:
        for p in problems:
            sheet, letters = self.tags[p.file]
            column = letters.get(p.column or "")
            cell = f"{column}{p.row}" if column and p.row else None
            self.problems.append(
                Problem(self.display, p.row, None, p.value, p.expected, p.code, sheet=sheet, cell=cell)
            )


def _is_formula(cell) -> bool:
    return cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula")


def _raw(book: _Book, tag: str, spec: contracts.TableSpec, rows: list[tuple[int, dict[str, Any]]]) -> RawTable:
    """A RawTable of ``spec`` from sheet cells: {column name: openpyxl cell or a plain value}."""
    raw = RawTable(book.path, tag, header=spec.column_names)
    for row, values in rows:
        cells = []
        for index, name in enumerate(spec.column_names):
            value = values.get(name, "")
            if hasattr(value, "data_type"):
                if _is_formula(value):
                    raw.formulas[(row, index)] = str(value.value)
                value = value.value
            cells.append(readers.cell_text(value))
        raw.rows.append((row, cells))
    return raw


def _meta(book: _Book, workbook) -> dict[str, str] | None:
    if L.META_SHEET not in workbook.sheetnames:
        book.problem(
            L.PUBLISHED_SHEET,
            None,
            None,
            f"không phải sổ kết quả do cchc xuất ra (thiếu trang {L.META_SHEET}); "
            "hãy dùng cchc workbook results-export để lấy mẫu",
            ProblemCode.NOT_A_CCHC_WORKBOOK,
        )
        return None
    meta = workbook[L.META_SHEET]
    info = {}
    for row in range(1, meta.max_row + 1):
        key, value = meta.cell(row, 1).value, meta.cell(row, 2).value
        if key == "sheet":
            break
        if key:
            info[str(key)] = readers.cell_text(value)
    if info.get("format") != L.FORMAT:
        book.problem(L.META_SHEET, "B1", info.get("format"), f"cần {L.FORMAT}", ProblemCode.NOT_A_CCHC_WORKBOOK)
        return None
    try:
        info["year"] = str(contracts.parse_period(info.get("year", "")))
        int(info["year"])
    except ValueError:
        book.problem(
            L.META_SHEET, "B3", info.get("year"), "trang ẩn _cchc bị sửa; hãy xuất lại sổ", ProblemCode.BAD_META
        )
        return None
    sheets = []
    for row in range(1, meta.max_row + 1):
        if meta.cell(row, 1).value == "sheet":
            for r in range(row + 1, meta.max_row + 1):
                name, agency = meta.cell(r, 1).value, meta.cell(r, 2).value
                if name:
                    sheets.append((str(name), str(agency or "")))
    info["sheets"] = sheets  # type: ignore[assignment]
    return info


def _framework(book: _Book, workbook, info: dict, ds: Dataset, year: int, provenance: str) -> pd.DataFrame:
    """The workbook's tree (mode ``new``), parsed and checked, or the data folder's (mode ``locked``)."""
    if info.get("tree") != L.NEW:
        if year not in ds.years:
            book.problem(
                L.META_SHEET, "B4", info.get("tree"), "trang ẩn _cchc bị sửa; hãy xuất lại sổ", ProblemCode.BAD_META
            )
            return pd.DataFrame(columns=["code", "parent_code", "level", "name", "max_points", "year"])
        tree = ds.framework_for(year)
        return tree.sort_values("code", key=lambda s: s.map(code_key), kind="stable").reset_index(drop=True)
    if L.FRAMEWORK_SHEET not in workbook.sheetnames:
        book.problem(
            L.FRAMEWORK_SHEET, None, None, "thiếu trang Bộ tiêu chí (bị xoá hoặc đổi tên)", ProblemCode.MISSING_SHEET
        )
        return pd.DataFrame(columns=["code", "parent_code", "level", "name", "max_points", "year"])
    sheet = workbook[L.FRAMEWORK_SHEET]
    letters = {"code": "A", "parent_code": "A", "level": "A", "name": "B", "max_points": "C", "code, year": "A"}
    tag = book.tag(L.FRAMEWORK_SHEET, letters)
    rows = []
    for row in range(L.FIRST_ROW, sheet.max_row + 1):
        code_cell, name_cell, max_cell = sheet[f"A{row}"], sheet[f"B{row}"], sheet[f"C{row}"]
        if all(c.value in (None, "") for c in (code_cell, name_cell, max_cell)):
            continue
        try:
            code = contracts.parse_code(code_cell.value) if not _is_formula(code_cell) else ""
        except ValueError:
            code = ""
        depth = code.count(".") + 1 if code else 1
        rows.append(
            (
                row,
                {
                    "code": code_cell,
                    "parent_code": code.rsplit(".", 1)[0] if depth > 1 else "",
                    "level": checks.LEVEL_BY_DEPTH.get(depth, "detail"),
                    "name": name_cell,
                    "max_points": max_cell,
                    "provenance": provenance,
                },
            )
        )
    spec = tables.FRAMEWORK
    frame, found = contracts.parse_table(_raw(book, tag, spec, rows), spec)
    book.relocate(found)
    frame["year"] = pd.array([year] * len(frame), dtype="Int64")
    book.relocate(checks.check_framework(frame))
    fields = [c for c in frame.loc[frame["level"] == "field", "code"].dropna()]
    exported = [f for f in str(info.get("fields", "")).split(";") if f]
    if sorted(fields, key=code_key) != exported:
        book.problem(
            L.FRAMEWORK_SHEET,
            f"A{L.FIRST_ROW}",
            ", ".join(fields),
            f"các lĩnh vực phải giữ như khi xuất sổ ({', '.join(exported)}): trang Kết quả công bố có một cặp cột "
            "cho mỗi lĩnh vực",
            ProblemCode.KEY_CHANGED,
        )
    return frame.dropna(subset=["code"]).drop_duplicates("code")


def _scores(
    book: _Book, workbook, info: dict, ds: Dataset, year: int, tree: pd.DataFrame, provenance: str
) -> pd.DataFrame:
    """Every criteria sheet's leaf rows as the scores table, checked against the tree; subtotals checked."""
    spec = tables.SCORES
    letters = dict(L.SCORE_COLUMNS)
    letters["agency_id, year, code"] = "A"
    maxima = {(year, r.code): float(r.max_points) for r in tree.itertuples() if pd.notna(r.max_points)}
    parents = {(year, p) for p in tree["parent_code"].dropna() if p}
    expected_codes = list(tree["code"]) if info.get("tree") != L.NEW else None
    frames = []
    known = set(ds.agencies["agency_id"])
    for name, agency_id in info["sheets"]:
        if agency_id not in known:
            book.problem(
                L.META_SHEET,
                None,
                agency_id,
                "trang ẩn _cchc bị sửa: mã cơ quan không có trong agencies",
                ProblemCode.BAD_META,
            )
            continue
        if name not in workbook.sheetnames:
            book.problem(
                name, None, None, "thiếu trang điểm của cơ quan (bị xoá hoặc đổi tên)", ProblemCode.MISSING_SHEET
            )
            continue
        sheet = workbook[name]
        tag = book.tag(name, letters)
        rows = []
        last = max(sheet.max_row, L.FIRST_ROW + len(expected_codes or []) - 1)
        for row in range(L.FIRST_ROW, last + 1):
            cells = {key: sheet[f"{column}{row}"] for key, column in L.SCORE_COLUMNS.items()}
            key_text = parsing.clean_text(readers.cell_text(cells["code"].value))
            if expected_codes is not None:
                exported = expected_codes[row - L.FIRST_ROW] if row - L.FIRST_ROW < len(expected_codes) else ""
                if key_text != exported and not _is_formula(cells["code"]):
                    book.problem(
                        name,
                        f"A{row}",
                        key_text or None,
                        f"ô khoá bị sửa: dòng này được xuất cho tiêu chí {exported or '(không có)'}; "
                        "không sửa cột Mã tiêu chí, hãy xuất lại sổ",
                        ProblemCode.KEY_CHANGED,
                    )
                    continue
            inputs = [cells[k] for k in ("self_points", "appraised_points", "not_applicable")]
            if not key_text and not _is_formula(cells["code"]):
                if any(c.value not in (None, "") for c in inputs):
                    book.problem(
                        name, f"A{row}", None, "dòng có điểm nhưng không có mã tiêu chí", ProblemCode.MISSING_KEY
                    )
                continue
            values = {k: cells[k] for k in ("code", "self_points", "appraised_points", "not_applicable")}
            values.update({"agency_id": agency_id, "year": year, "provenance": provenance})
            rows.append((row, values))
        frame, found = contracts.parse_table(_raw(book, tag, spec, rows), spec)
        book.relocate(found)
        is_parent = frame["code"].map(lambda c: (year, c) in parents)
        _subtotals(book, name, frame, is_parent, tree)
        leaves = frame[~is_parent]
        book.relocate(checks.check_scores(leaves, known, {year}, maxima, parents, {year}))
        frames.append(leaves)
    if not frames:
        return contracts._empty(spec)
    return pd.concat(frames, ignore_index=True)


def _subtotals(book: _Book, sheet: str, frame: pd.DataFrame, is_parent: pd.Series, tree: pd.DataFrame) -> None:
    """A parent row's typed points must be the sum of its leaves' (a not-applicable leaf counts 0)."""
    leaves = frame[~is_parent]
    for record in frame[is_parent].to_dict("records"):
        code, row = record["code"], int(record["_row"])
        if record["not_applicable"]:
            book.problem(
                sheet,
                f"F{row}",
                "Có",
                f"{code} có tiêu chí con: chỉ đánh dấu không áp dụng ở tiêu chí lá",
                ProblemCode.NOT_A_LEAF,
            )
        below = leaves[leaves["code"].map(lambda c, p=code: str(c).startswith(p + "."))]
        for column, letter in (("self_points", "D"), ("appraised_points", "E")):
            typed = record[column]
            if pd.isna(typed):
                continue
            total = float(below[column].fillna(0.0).sum())
            if abs(float(typed) - total) > TOLERANCE:
                book.problem(
                    sheet,
                    f"{letter}{row}",
                    float(typed),
                    f"điểm của {code} phải bằng tổng điểm các tiêu chí con ({fmt.number(total)}); "
                    "để trống ô này nếu không cần đối chiếu",
                    ProblemCode.POINTS_MISMATCH,
                )


def _number_cell(book: _Book, sheet, address: str, column: contracts.Column) -> float | None:
    cell = sheet[address]
    if _is_formula(cell):
        book.problem(sheet.title, address, cell.value, contracts.FORMULA, ProblemCode.FORMULA)
        return None
    text = readers.cell_text(cell.value)
    if not parsing.clean_text(text):
        book.problem(sheet.title, address, None, contracts.missing_message(column), ProblemCode.MISSING_VALUE)
        return None
    try:
        return float(column.parse(text))  # type: ignore[arg-type]
    except ValueError as error:
        book.problem(sheet.title, address, cell.value, str(error), contracts.problem_code(column, error))
        return None


def _published(
    book: _Book, workbook, info: dict, ds: Dataset, year: int, tree: pd.DataFrame, scores: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, str, dict[tuple[str, str], str]]:
    """The published and survey tables of the sheet, the provenance chosen, and {(agency, scope|rank): cell}."""
    sheet = workbook[L.PUBLISHED_SHEET]
    name = L.PUBLISHED_SHEET
    spec = tables.PUBLISHED
    source = parsing.clean_text(readers.cell_text(sheet[L.SOURCE_CELL].value))
    if not source:
        book.problem(
            name, L.SOURCE_CELL, None, "cần số, ngày và cơ quan ban hành của văn bản công bố", ProblemCode.MISSING_VALUE
        )
    fields = [f for f in str(info.get("fields", "")).split(";") if f]
    columns = L.field_columns(fields)
    field_max = tree.set_index("code")["max_points"]
    appraisal_max = float(sum(field_max.get(f, 0.0) for f in fields))
    survey_max = round(scoring.TOTAL_MAX - appraisal_max, 4)
    own_na = _not_applicable_max(ds, year, tree, scores)
    known = list(ds.agencies["agency_id"])
    points_column = spec.by_name["points"]
    survey_column = tables.SURVEY.by_name["survey_points"]
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = {scope: [] for scope in ["total", *fields]}
    survey_rows = []
    cells: dict[tuple[str, str], str] = {}
    seen: dict[str, int] = {}
    last = max(sheet.max_row, L.PUBLISHED_FIRST_ROW + len(known) - 1)
    for row in range(L.PUBLISHED_FIRST_ROW, last + 1):
        key_cell = sheet[f"A{row}"]
        agency = parsing.clean_text(readers.cell_text(key_cell.value)).lower()
        if not agency:
            if any(sheet.cell(row, c).value not in (None, "") for c in range(3, 8 + 2 * len(fields))):
                book.problem(
                    name, f"A{row}", None, "dòng có số liệu nhưng không có mã cơ quan", ProblemCode.MISSING_KEY
                )
            continue
        if agency not in known:
            book.problem(name, f"A{row}", agency, "mã cơ quan không có trong agencies", ProblemCode.UNKNOWN_AGENCY)
            continue
        if agency in seen:
            book.problem(name, f"A{row}", agency, f"cơ quan đã có ở dòng {seen[agency]}", ProblemCode.DUPLICATE_KEY)
            continue
        seen[agency] = row
        appraisal = _number_cell(book, sheet, f"C{row}", points_column)
        survey = _number_cell(book, sheet, f"D{row}", survey_column)
        total = _number_cell(book, sheet, f"E{row}", points_column)
        field_points = []
        for scope, (points_letter, rank_letter) in [("total", ("F", "G")), *columns.items()]:
            own_max = 100.0 if scope == "total" else float(field_max.get(scope, 0.0)) - own_na.get((agency, scope), 0.0)
            values = {
                "agency_id": agency,
                "year": year,
                "scope": scope,
                "points": sheet[f"{points_letter}{row}"],
                "max_points": round(own_max, 4),
                "rank": sheet[f"{rank_letter}{row}"],
                "source": source,
                "provenance": "official",
            }
            rows[scope].append((row, values))
            cells[(agency, scope)] = f"{points_letter}{row}"
            cells[(agency, f"rank {scope}")] = f"{rank_letter}{row}"
            if scope != "total":
                value = sheet[f"{points_letter}{row}"].value
                field_points.append(value if isinstance(value, (int, float)) and not isinstance(value, bool) else None)
        if survey is not None and survey > survey_max + checks.TOLERANCE:
            book.problem(
                name,
                f"D{row}",
                survey,
                f"điểm vượt quá điểm tối đa {fmt.number(survey_max)} của phần điều tra "
                f"(100 − {fmt.number(appraisal_max)} điểm thẩm định tối đa)",
                ProblemCode.ABOVE_MAXIMUM,
            )
        if appraisal is not None and all(p is not None for p in field_points):
            summed = float(sum(field_points))  # type: ignore[arg-type]
            if abs(appraisal - summed) > TOLERANCE:
                book.problem(
                    name,
                    f"C{row}",
                    appraisal,
                    f"điểm thẩm định phải bằng tổng điểm các lĩnh vực ({fmt.number(summed)})",
                    ProblemCode.POINTS_MISMATCH,
                )
        if (
            total is not None
            and appraisal is not None
            and survey is not None
            and abs(total - (appraisal + survey)) > TOLERANCE
        ):
            book.problem(
                name,
                f"E{row}",
                total,
                f"tổng điểm phải bằng điểm thẩm định + điểm điều tra XHH ({fmt.number(appraisal + survey)})",
                ProblemCode.POINTS_MISMATCH,
            )
        survey_rows.append({"agency_id": agency, "year": year, "survey_points": survey, "survey_max": survey_max})
    missing = [a for a in known if a not in seen]
    if missing:
        first, end = L.PUBLISHED_FIRST_ROW, L.PUBLISHED_FIRST_ROW + len(known) - 1
        book.problem(
            name,
            f"A{first}:A{end}",
            None,
            f"thiếu {len(missing)} cơ quan trong bảng kết quả công bố: {', '.join(missing)}; "
            "mỗi cơ quan trong agencies cần một dòng (thứ hạng tính trên toàn bộ các cơ quan)",
            ProblemCode.MISSING_AGENCY,
        )
    frames = []
    for scope, scope_rows in rows.items():
        points_letter, rank_letter = ("F", "G") if scope == "total" else columns[scope]
        ranked = sum(1 for _, values in scope_rows if values["rank"].value not in (None, ""))
        for _, values in scope_rows:
            values["n_ranked"] = ranked if values["rank"].value not in (None, "") else ""
        letters = {"points": points_letter, "rank": rank_letter, "max_points": points_letter, "n_ranked": rank_letter}
        frame, found = contracts.parse_table(_raw(book, book.tag(name, letters, scope), spec, scope_rows), spec)
        book.relocate([p for p in found if p.code is not ProblemCode.DUPLICATE_KEY])
        frames.append(frame)
    published = pd.concat(frames, ignore_index=True)
    fields_of_year = {(year, f) for f in fields}
    book.relocate(checks.check_published(published, set(known), {year}, fields_of_year, {year}))
    book.relocate(checks.check_published_ranks(published))
    return published, pd.DataFrame(survey_rows), source, cells


def _not_applicable_max(
    ds: Dataset, year: int, tree: pd.DataFrame, scores: pd.DataFrame
) -> dict[tuple[str, str], float]:
    """{(agency, field): the maximum its not-applicable leaves remove}, from the workbook or else the data."""
    maxima = tree.set_index("code")["max_points"]
    kept = ds.scores[(ds.scores["year"] == year) & ~ds.scores["agency_id"].isin(set(scores["agency_id"]))]
    removed: dict[tuple[str, str], float] = {}
    for frame in (scores, kept):
        for record in frame[frame["not_applicable"]].to_dict("records"):
            key = (record["agency_id"], str(record["code"]).split(".")[0])
            removed[key] = removed.get(key, 0.0) + float(maxima.get(record["code"], 0.0))
    return removed


def _provenance(book: _Book, workbook) -> str:
    sheet = workbook[L.PUBLISHED_SHEET]
    cell = sheet[L.PROVENANCE_CELL]
    column = tables.SCORES.by_name["provenance"]
    choices = ", ".join(L.PROVENANCE_CHOICES.values())
    if _is_formula(cell):
        book.problem(L.PUBLISHED_SHEET, L.PROVENANCE_CELL, cell.value, contracts.FORMULA, ProblemCode.FORMULA)
        return "illustrative"
    text = parsing.clean_text(readers.cell_text(cell.value))
    lookup = {parsing.fold(label): code for code, label in L.PROVENANCE_CHOICES.items()}
    if not text:
        book.problem(
            L.PUBLISHED_SHEET, L.PROVENANCE_CELL, None, f"chọn loại số liệu: {choices}", ProblemCode.MISSING_VALUE
        )
        return "illustrative"
    if parsing.fold(text) in lookup:
        return lookup[parsing.fold(text)]
    try:
        return str(column.parse(text))
    except ValueError:
        book.problem(L.PUBLISHED_SHEET, L.PROVENANCE_CELL, text, f"chọn một trong: {choices}", ProblemCode.BAD_VALUE)
        return "illustrative"


# --------------------------------------------------------------------------
# Writing: the year's rows appended (or replaced) in each CSV, other rows kept byte for byte
# --------------------------------------------------------------------------


def _number_text(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    number = round(float(value), 4)
    return str(int(number)) if number.is_integer() else repr(number)


def _rewrite(path: Path, drop, new_rows: list[dict[str, str]]) -> str:
    """The new text of a CSV table: records for which ``drop(cells)`` is true removed, ``new_rows`` appended in the
    file's own column order, delimiter, line ending and byte-order mark; every other record kept as it was."""
    data = path.read_bytes()
    text = readers.decode(data)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    first = lines[0] if lines else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    ending = "\r\n" if first.endswith("\r\n") else "\n"
    reader = csv.reader(iter(lines), delimiter=delimiter)
    header = next(reader)
    position = {parsing.fold(name).replace(" ", "_"): index for index, name in enumerate(header)}
    kept, start = [], reader.line_num
    kept.extend(lines[:start])
    for cells in reader:
        end = reader.line_num
        record = {name: cells[index] if index < len(cells) else "" for name, index in position.items()}
        if cells and not drop(record):
            kept.extend(lines[start:end])
        start = end
    if kept and not kept[-1].endswith(("\n", "\r")):
        kept[-1] += ending
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
    for row in new_rows:
        writer.writerow([row.get(parsing.fold(name).replace(" ", "_"), "") for name in header])
    return bom + "".join(kept) + buffer.getvalue()


def _year_of(record: dict[str, str]) -> int | None:
    try:
        return parsing.parse_integer(record.get("year", ""))
    except ValueError:
        return None


def _new_texts(
    ds: Dataset,
    year: int,
    tree: pd.DataFrame | None,
    scores: pd.DataFrame,
    published: pd.DataFrame,
    survey: pd.DataFrame,
    provenance: str,
) -> dict[str, str]:
    """{path relative to the data folder: new text} of every table the import changes."""
    folder = ds.data_dir
    scored = set(scores["agency_id"])
    texts = {}
    score_rows = [
        {
            "agency_id": r["agency_id"],
            "year": str(year),
            "code": r["code"],
            "self_points": _number_text(r["self_points"]),
            "appraised_points": _number_text(r["appraised_points"]),
            "not_applicable": "có" if r["not_applicable"] else "không",
            "provenance": provenance,
        }
        for r in scores.assign(_key=scores["code"].map(code_key))
        .sort_values(["_key"], kind="stable")
        .to_dict("records")
    ]
    order = {a: i for i, a in enumerate(ds.agencies["agency_id"])}
    score_rows.sort(key=lambda r: order[r["agency_id"]])
    texts["results/scores.csv"] = _rewrite(
        folder / "results/scores.csv",
        lambda r: _year_of(r) == year and r.get("agency_id", "").strip() in scored,
        score_rows,
    )
    survey_rows = [
        {
            "agency_id": r["agency_id"],
            "year": str(year),
            "survey_points": _number_text(r["survey_points"]),
            "survey_max": _number_text(r["survey_max"]),
            "provenance": provenance,
        }
        for r in survey.to_dict("records")
    ]
    texts["results/survey.csv"] = _rewrite(folder / "results/survey.csv", lambda r: _year_of(r) == year, survey_rows)
    scope_order = {
        "total": 0,
        **{f: i + 1 for i, f in enumerate(sorted(set(published["scope"]) - {"total"}, key=code_key))},
    }
    published_rows = [
        {
            "agency_id": r["agency_id"],
            "year": str(year),
            "scope": r["scope"],
            "points": _number_text(r["points"]),
            "max_points": _number_text(r["max_points"]),
            "rank": "" if pd.isna(r["rank"]) else str(int(r["rank"])),
            "n_ranked": "" if pd.isna(r["n_ranked"]) else str(int(r["n_ranked"])),
            "source": r["source"],
            "provenance": provenance,
        }
        for r in published.to_dict("records")
    ]
    published_rows.sort(key=lambda r: (order[r["agency_id"]], scope_order[r["scope"]]))
    texts["results/published.csv"] = _rewrite(
        folder / "results/published.csv", lambda r: _year_of(r) == year, published_rows
    )
    if tree is not None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(tables.FRAMEWORK.column_names)
        for r in tree.assign(_key=tree["code"].map(code_key)).sort_values("_key").to_dict("records"):
            writer.writerow(
                [
                    r["code"],
                    r["parent_code"] if isinstance(r["parent_code"], str) else "",
                    r["level"],
                    r["name"],
                    _number_text(r["max_points"]),
                    provenance,
                ]
            )
        texts[f"framework/{year}.csv"] = buffer.getvalue()
    return texts


def _targets_problems(ds: Dataset, book: _Book, year: int, new_tree: bool, replace: bool) -> None:
    """Refuse an xlsx table (only CSV is written) and a year already present (unless replacing)."""
    for name in ("scores", "survey", "published"):
        if (ds.data_dir / "results" / f"{name}.xlsx").exists():
            book.problem(
                L.PUBLISHED_SHEET,
                L.YEAR_CELL,
                None,
                f"nhập sổ kết quả chỉ ghi được vào results/{name}.csv; hãy chuyển bảng sang CSV",
                ProblemCode.RESULTS_NOT_CSV,
            )
    if new_tree and (ds.data_dir / "framework" / f"{year}.xlsx").exists():
        book.problem(
            L.FRAMEWORK_SHEET,
            L.YEAR_CELL,
            None,
            f"nhập sổ kết quả chỉ ghi được vào framework/{year}.csv; hãy chuyển bảng sang CSV",
            ProblemCode.RESULTS_NOT_CSV,
        )
    present = [
        table
        for table, frame in (("scores", ds.scores), ("survey", ds.survey), ("published", ds.published))
        if (frame["year"] == year).any()
    ]
    if new_tree and year in ds.years:
        present.append(f"framework/{year}")
    if present and not replace:
        book.problem(
            L.PUBLISHED_SHEET,
            L.YEAR_CELL,
            year,
            f"dữ liệu đã có kết quả năm {year} ({', '.join(present)}); muốn thay kết quả năm này thì nhập lại với "
            "--replace (chỉ các dòng của năm này bị thay)",
            ProblemCode.YEAR_PRESENT,
        )


def _reconcile(book: _Book, merged: Dataset, year: int, cells: dict[tuple[str, str], str]) -> None:
    """Computed figures (from the criteria points and the survey) against every published cell of the year."""
    for row in scoring.reconcile(merged, year).to_dict("records"):
        agency, scope = row["agency_id"], row["scope"]
        if row["status"] in ("points_differ", "both_differ"):
            what = "chỉ số CCHC" if scope == "total" else f"điểm lĩnh vực {scope}"
            book.problem(
                L.PUBLISHED_SHEET,
                cells[(agency, scope)],
                float(row["points_published"]),
                f"{what} tính từ điểm theo tiêu chí và điểm điều tra là {fmt.number(round(row['points_computed'], 4))}",
                ProblemCode.PUBLISHED_MISMATCH,
            )
        if row["status"] in ("rank_differ", "both_differ"):
            book.problem(
                L.PUBLISHED_SHEET,
                cells[(agency, f"rank {scope}")],
                int(row["rank_published"]),
                f"thứ hạng tính từ điểm theo tiêu chí là {int(row['rank_computed'])}/{int(row['n_ranked_computed'])}",
                ProblemCode.RANK_MISMATCH,
            )


def import_results_workbook(
    path: str | Path, data_dir: str | Path | None = None, *, replace: bool = False
) -> ResultsImport:
    """Validate a results workbook completely, then add its year to the data folder (all files or none).

    Raises CchcDataError naming every problem by workbook, sheet and cell, and writes nothing, when any is found.
    """
    from openpyxl import load_workbook

    ds = load_data(data_dir)
    path = Path(path)
    book = _Book(path)
    if not path.is_file():
        raise CchcDataError(Problem(path.as_posix(), None, None, None, "không tìm thấy tệp", ProblemCode.MISSING_FILE))
    try:
        workbook = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise CchcDataError(
            Problem(
                book.display,
                None,
                None,
                None,
                f"không mở được tệp Excel ({type(error).__name__}); cần tệp .xlsx",
                ProblemCode.BAD_XLSX,
            )
        ) from None
    info = _meta(book, workbook)
    if info is None or L.PUBLISHED_SHEET not in workbook.sheetnames:
        if info is not None:
            book.problem(
                L.PUBLISHED_SHEET,
                None,
                None,
                "thiếu trang Kết quả công bố (bị xoá hoặc đổi tên)",
                ProblemCode.MISSING_SHEET,
            )
        raise CchcDataError(book.problems)
    year = int(info["year"])
    shown = workbook[L.PUBLISHED_SHEET][L.YEAR_CELL].value
    if readers.cell_text(shown) != str(year):
        book.problem(
            L.PUBLISHED_SHEET, L.YEAR_CELL, shown, f"sổ này là của năm {year}; không sửa ô năm", ProblemCode.KEY_CHANGED
        )
    new_tree = info.get("tree") == L.NEW
    provenance = _provenance(book, workbook)
    tree = _framework(book, workbook, info, ds, year, provenance)
    scores = _scores(book, workbook, info, ds, year, tree, provenance)
    published, survey, _, cells = _published(book, workbook, info, ds, year, tree, scores)
    _targets_problems(ds, book, year, new_tree, replace)
    scored = set(scores["agency_id"]) | (
        set(ds.scores.loc[ds.scores["year"] == year, "agency_id"]) if replace and not new_tree else set()
    )
    for agency in dict.fromkeys(published["agency_id"].dropna()):
        if agency not in scored:
            book.problem(
                L.PUBLISHED_SHEET,
                cells[(agency, "total")].replace("F", "A"),
                agency,
                f"cơ quan không có điểm theo tiêu chí năm {year} (không có trang điểm trong sổ, cũng không có trong "
                "dữ liệu): chỉ số và thứ hạng được tính từ điểm theo tiêu chí của mọi cơ quan; hãy xuất sổ không kèm "
                "--agency để có trang điểm của mọi cơ quan",
                ProblemCode.MISSING_AGENCY_SCORES,
            )
    if book.problems:
        raise CchcDataError(book.problems)
    published = published.assign(provenance=provenance)
    survey = survey.assign(provenance=provenance)
    texts = _new_texts(ds, year, tree if new_tree else None, scores, published, survey, provenance)
    with tempfile.TemporaryDirectory(prefix="cchc-results-") as scratch:
        copy = Path(scratch) / ds.data_dir.name
        shutil.copytree(ds.data_dir, copy)
        for relative, text in texts.items():
            (copy / relative).write_text(text, encoding="utf-8", newline="")
        merged = load_data(copy)  # the whole folder as it will be: every table and cross-table rule
        _reconcile(book, merged, year, cells)
    if book.problems:
        raise CchcDataError(book.problems)
    targets = {ds.data_dir / relative: text for relative, text in texts.items()}
    write_texts_together(targets)
    return ResultsImport(
        year=year,
        provenance=provenance,
        files=list(targets),
        agencies_scored=list(dict.fromkeys(scores["agency_id"])),
        agencies_published=list(dict.fromkeys(published["agency_id"])),
        framework_written=new_tree,
    )
