"""Validation of a data folder: one small mistake per rule, each reported once, at its exact place.

Every test copies the embedded ``data/`` folder into ``tmp_path`` and changes
one thing (a cell, a header, a file), then checks the problem that
``validate_data`` reports: its code, file, spreadsheet row (header = 1),
column, and that its Vietnamese message names the bad value and what was
expected. Unless a test says otherwise, it is the only problem reported.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import encode_cp1258

from cchc_analysis import cli, fmt
from cchc_analysis.config import PROJECT_DIR
from cchc_analysis.errors import CchcDataError, Problem
from cchc_analysis.ingest import contracts, parsing, readers, tables
from cchc_analysis.ingest.dataset import load_data, validate_data

DATA = PROJECT_DIR / "data"


# ---------------------------------------------------------------------------
# Shared fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A fresh copy of the embedded data folder, named data/ so problems read "data/…"."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="module")
def original():
    """The embedded data, loaded once."""
    return load_data(DATA)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def find_row(path: Path, **where: str) -> int:
    """The spreadsheet row (header = 1) of the only record whose cells equal ``where``."""
    header, rows = read_csv(path)
    found = [
        number
        for number, row in enumerate(rows, start=2)
        if all(row[header.index(column)] == value for column, value in where.items())
    ]
    assert len(found) == 1, f"{path.name}: {len(found)} rows match {where}"
    return found[0]


def cell(path: Path, row: int, column: str) -> str:
    header, rows = read_csv(path)
    return rows[row - 2][header.index(column)]


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    header, rows = read_csv(path)
    rows[row - 2][header.index(column)] = value
    write_csv(path, header, rows)


def append_row(path: Path, **values: str) -> int:
    """Append a record (missing columns empty); return its spreadsheet row."""
    header, rows = read_csv(path)
    assert set(values) <= set(header)
    rows.append([values.get(column, "") for column in header])
    write_csv(path, header, rows)
    return len(rows) + 1


def delete_row(path: Path, row: int) -> None:
    header, rows = read_csv(path)
    del rows[row - 2]
    write_csv(path, header, rows)


def rename_column(path: Path, old: str, new: str) -> None:
    header, rows = read_csv(path)
    header[header.index(old)] = new
    write_csv(path, header, rows)


def drop_column(path: Path, name: str) -> None:
    header, rows = read_csv(path)
    index = header.index(name)
    write_csv(
        path,
        [h for i, h in enumerate(header) if i != index],
        [[c for i, c in enumerate(r) if i != index] for r in rows],
    )


def add_column(path: Path, name: str, fill: str, position: int | None = None) -> None:
    header, rows = read_csv(path)
    position = len(header) if position is None else position
    header.insert(position, name)
    for row in rows:
        row.insert(position, fill)
    write_csv(path, header, rows)


def csv_to_xlsx(csv_path: Path, spec: contracts.TableSpec) -> Path:
    """Save a CSV table as .xlsx the way a person would have typed it: numbers as numbers, dates as dates."""
    header, rows = read_csv(csv_path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        values: list[object] = []
        for name, text in zip(header, row):
            column = spec.by_name[name]
            parse = {"float64": parsing.parse_number, "Int64": parsing.parse_integer}.get(column.dtype)
            if column.parse is parsing.parse_date:
                parse = parsing.parse_date
            try:
                values.append(None if text == "" else parse(text) if parse else text)
            except ValueError:
                values.append(text)  # a mistake typed into the spreadsheet stays as typed
        sheet.append(values)
    target = csv_path.with_suffix(".xlsx")
    workbook.save(target)
    return target


def listing(problems: list[Problem]) -> str:
    return "\n".join(f"{p.code}: {p}" for p in problems) or "(no problem)"


def load_clean(data_dir: Path):
    """load_data, failing the test with every problem listed if the folder is not valid."""
    try:
        return load_data(data_dir)
    except CchcDataError as error:
        pytest.fail(listing(error.problems))


def only_problem(data_dir: Path) -> Problem:
    problems = validate_data(data_dir)
    assert len(problems) == 1, listing(problems)
    return problems[0]


def check(
    problem: Problem,
    code: str,
    file: str,
    row: int | None,
    column: str | None,
    *in_message: str,
    value: str | None = None,
) -> None:
    """The problem's place and code, that its value is shown, and that its message says what was expected."""
    assert (problem.code, problem.file, problem.row, problem.column) == (code, file, row, column), (
        f"{problem.code}: {problem}"
    )
    message = str(problem)
    if value is not None:
        assert problem.value == value
        assert f'giá trị "{value}"' in message, message
    for fragment in in_message:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert message.endswith(f"[{code}]")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def frames_equal(loaded: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same rows and values; a parsed table leads with ``_file``/``_row``, a loaded one keeps them last."""
    assert sorted(loaded.columns) == sorted(expected.columns)
    loaded = loaded[list(expected.columns)]
    pd.testing.assert_frame_equal(loaded.drop(columns="_file"), expected.drop(columns="_file"))


SCORES = "results/scores.csv"
SURVEY = "results/survey.csv"
PUBLISHED = "results/published.csv"
TASKS = "plan/tasks.csv"
TARGETS = "plan/targets.csv"
PROGRESS = "progress/progress.csv"
FRAMEWORK_2023 = "framework/2023.csv"
FRAMEWORK_2021 = "framework/2021.csv"


def test_the_embedded_data_is_valid_and_validation_never_modifies_it():
    before = tree_hashes(DATA)
    assert len(before) >= 12
    assert validate_data(DATA) == []
    assert tree_hashes(DATA) == before


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def test_missing_file(data):
    (data / SURVEY).unlink()
    check(
        only_problem(data),
        "missing_file",
        "data/results/survey.csv",
        None,
        None,
        "không tìm thấy tệp",
        "điểm điều tra xã hội học",
        ".csv hoặc .xlsx",
    )


def test_missing_file_every_framework_year(data):
    for path in (data / "framework").iterdir():
        path.unlink()
    check(only_problem(data), "missing_file", "data/framework/*", None, None, "không tìm thấy tệp nào", "bộ tiêu chí")


def test_missing_data_folder(tmp_path):
    check(
        only_problem(tmp_path / "nowhere"),
        "missing_folder",
        (tmp_path / "nowhere").as_posix(),
        None,
        None,
        "thư mục dữ liệu không tồn tại",
    )


def test_progress_is_optional(data):
    (data / PROGRESS).write_text(
        "task_id,occurrence,period,status,percent_done,completed_on,blocker,updated_on,updated_by,note,provenance\n",
        encoding="utf-8",
    )
    assert validate_data(data) == []
    (data / PROGRESS).unlink()
    assert validate_data(data) == []


def test_empty_file_zero_bytes(data):
    (data / SURVEY).write_bytes(b"")
    check(only_problem(data), "empty_file", "data/results/survey.csv", None, None, "tệp rỗng", "tiêu đề")


def test_empty_file_header_only(data):
    (data / "config/bands.csv").write_text("year,band_id,label,min_share,provenance\n", encoding="utf-8")
    check(
        only_problem(data),
        "empty_file",
        "data/config/bands.csv",
        None,
        None,
        "ngưỡng xếp loại",
        "không có dòng dữ liệu nào",
    )


def test_empty_scores_file_is_reported_not_a_crash(data):
    # An empty scores table used to crash check_scores (KeyError 'agency_id').
    (data / SCORES).write_bytes(b"")
    check(only_problem(data), "empty_file", "data/results/scores.csv", None, None, "tệp rỗng")


def test_ambiguous_file(data):
    csv_to_xlsx(data / SCORES, tables.SCORES)
    check(
        only_problem(data),
        "ambiguous_file",
        "data/results/scores",
        None,
        None,
        "scores.csv",
        "scores.xlsx",
        "chỉ giữ một tệp",
    )


def test_ambiguous_framework_year(data):
    csv_to_xlsx(data / FRAMEWORK_2023, tables.FRAMEWORK)
    check(
        only_problem(data),
        "ambiguous_file",
        "data/framework/2023.xlsx",
        None,
        None,
        "2023.csv",
        "2023.xlsx",
        "chỉ giữ một tệp",
    )


def test_bad_file_name(data):
    shutil.copy(data / FRAMEWORK_2023, data / "framework/abc.csv")
    check(
        only_problem(data),
        "bad_file_name",
        "data/framework/abc.csv",
        None,
        None,
        "tên tệp phải là năm",
        "framework/2023.csv",
        value="abc",
    )


def test_unreadable_reference_table_is_reported_once(data):
    # agencies.csv and units.csv are referenced by thousands of rows: one problem, not one per reference.
    (data / "agencies.csv").unlink()
    (data / "units.csv").write_bytes(b"")
    problems = validate_data(data)
    assert sorted((p.code, p.file) for p in problems) == [
        ("empty_file", "data/units.csv"),
        ("missing_file", "data/agencies.csv"),
    ], listing(problems)


# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------


def test_unknown_column(data):
    add_column(data / "units.csv", "ghi_chu", "x")
    check(
        only_problem(data),
        "unknown_column",
        "data/units.csv",
        1,
        "ghi_chu",
        'cột "ghi_chu"',
        "cột không có trong mẫu bảng",
        "unit_id, name, provenance",
    )


def test_unknown_unnamed_column_with_data(data):
    add_column(data / "units.csv", "", "x", position=1)
    check(
        only_problem(data), "unknown_column", "data/units.csv", 1, "(cột 2 không có tên)", "unit_id, name, provenance"
    )


def test_empty_unnamed_columns_are_ignored(data, original):
    add_column(data / "units.csv", "", "\u00a0", position=1)  # only a non-breaking space in each cell
    add_column(data / "units.csv", "", " ")
    frame, problems = contracts.parse_table(readers.read_table(data / "units.csv", "data/units.csv"), tables.UNITS)
    assert problems == []
    frames_equal(frame, original.units)


def test_misspelled_column(data):
    rename_column(data / FRAMEWORK_2023, "max_points", "max_point")
    check(
        only_problem(data),
        "misspelled_column",
        "data/framework/2023.csv",
        1,
        "max_point",
        'cột "max_point"',
        'cần "max_points"',
    )


def test_headers_match_without_regard_to_case_spaces_or_diacritics(data, original):
    rename_column(data / "agencies.csv", "agency_id", " Agency ID ")
    rename_column(data / "agencies.csv", "short_name", "Short\u00a0Name")
    frame, problems = contracts.parse_table(
        readers.read_table(data / "agencies.csv", "data/agencies.csv"), tables.AGENCIES
    )
    assert problems == []
    frames_equal(frame, original.agencies)


def test_missing_column(data):
    drop_column(data / "units.csv", "provenance")
    check(only_problem(data), "missing_column", "data/units.csv", 1, "provenance", 'thiếu cột bắt buộc "provenance"')


def test_duplicate_column(data):
    add_column(data / "units.csv", "name", "Tên khác")
    check(only_problem(data), "duplicate_column", "data/units.csv", 1, "name", "cột bị lặp lại")


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def test_missing_value(data):
    row = find_row(data / "agencies.csv", agency_id="co-quan-02")
    set_cell(data / "agencies.csv", row, "name", " ")
    check(
        only_problem(data), "missing_value", "data/agencies.csv", row, "name", "thiếu giá trị", "Tên đầy đủ của cơ quan"
    )


def test_missing_appraised_points(data):
    row = find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2")
    set_cell(data / SCORES, row, "appraised_points", "")
    check(
        only_problem(data),
        "missing_value",
        "data/results/scores.csv",
        row,
        "appraised_points",
        "thiếu điểm thẩm định",
        "không áp dụng",
    )


def test_missing_due_date_of_a_one_off_task(data):
    row = find_row(data / TASKS, task_id="T1-01")
    assert cell(data / TASKS, row, "kind") == "one_off"
    set_cell(data / TASKS, row, "due_date", "")
    check(
        only_problem(data),
        "missing_value",
        "data/plan/tasks.csv",
        row,
        "due_date",
        "nhiệm vụ một lần cần hạn hoàn thành",
    )


def test_missing_frequency_of_a_recurring_task(data):
    row = find_row(data / TASKS, task_id="T1-03")
    assert cell(data / TASKS, row, "kind") == "recurring"
    set_cell(data / TASKS, row, "frequency", "")
    check(only_problem(data), "missing_value", "data/plan/tasks.csv", row, "frequency", "nhiệm vụ định kỳ cần tần suất")


def test_missing_out_of_of_a_rank_target(data):
    row = find_row(data / TARGETS, agency_id="ban-dan-toc", year="2023", scope="total", metric="rank")
    set_cell(data / TARGETS, row, "out_of", "")
    check(only_problem(data), "missing_value", "data/plan/targets.csv", row, "out_of", "số cơ quan được xếp hạng")


@pytest.mark.parametrize(
    ("relative", "where", "column", "typed", "code"),
    [
        (TASKS, {"task_id": "T1-02"}, "frequency", "weekly", "bad_value"),
        (
            TARGETS,
            {"agency_id": "ban-dan-toc", "year": "2023", "scope": "total", "metric": "rank"},
            "out_of",
            "hai mươi",
            "not_an_integer",
        ),
        (
            SCORES,
            {"agency_id": "co-quan-05", "year": "2021", "code": "3.3.2"},
            "not_applicable",
            "maybe",
            "not_a_boolean",
        ),
    ],
    ids=["frequency", "out_of", "not_applicable"],
)
def test_a_bad_cell_is_not_reported_again_as_missing(data, relative, where, column, typed, code):
    # These cells are required only in some rows (a recurring task's frequency, a rank target's out_of, the
    # appraised points of an applicable criterion); the cell left empty by the parse error is not "missing".
    row = find_row(data / relative, **where)
    set_cell(data / relative, row, column, typed)
    check(only_problem(data), code, f"data/{relative}", row, column, value=typed)


def test_not_a_number(data):
    # Also: the empty appraised points left by the bad cell are not reported again as missing.
    row = find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2")
    set_cell(data / SCORES, row, "appraised_points", "mười")
    check(
        only_problem(data),
        "not_a_number",
        "data/results/scores.csv",
        row,
        "appraised_points",
        "cần một số",
        "11,5",
        value="mười",
    )


def test_decimal_comma_is_accepted(data):
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="3")
    assert float(cell(data / PUBLISHED, row, "max_points")) >= 11.5
    set_cell(data / PUBLISHED, row, "points", "11,5")
    assert '"11,5"' in (data / PUBLISHED).read_text(encoding="utf-8")  # quoted in a comma-separated file
    published = load_clean(data).published
    assert published.loc[published["_row"] == row, "points"].item() == 11.5


def test_not_an_integer(data):
    # Also: the empty n_ranked left by the bad cell is not reported again as an incomplete rank.
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="total")
    set_cell(data / PUBLISHED, row, "n_ranked", "20,5")
    check(
        only_problem(data),
        "not_an_integer",
        "data/results/published.csv",
        row,
        "n_ranked",
        "cần một số nguyên",
        value="20,5",
    )


def test_bad_date(data):
    # Also: the empty due date left by the bad cell is not reported again as missing.
    row = find_row(data / TASKS, task_id="T1-01")
    set_cell(data / TASKS, row, "due_date", "31/02/2023")
    check(
        only_problem(data),
        "bad_date",
        "data/plan/tasks.csv",
        row,
        "due_date",
        "ngày không tồn tại",
        "dd/mm/yyyy",
        value="31/02/2023",
    )


def test_bad_date_format(data):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, row, "updated_on", "2023/13/01")
    check(
        only_problem(data),
        "bad_date",
        "data/progress/progress.csv",
        row,
        "updated_on",
        "dd/mm/yyyy",
        value="2023/13/01",
    )


def test_not_a_boolean(data):
    row = find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2")
    set_cell(data / SCORES, row, "not_applicable", "maybe")
    check(
        only_problem(data), "not_a_boolean", "data/results/scores.csv", row, "not_applicable", "có/không", value="maybe"
    )


def test_bad_value(data):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, row, "status", "paused")
    check(
        only_problem(data),
        "bad_value",
        "data/progress/progress.csv",
        row,
        "status",
        "cần một trong các giá trị",
        "not_started",
        "in_progress",
        "done",
        "blocked",
        value="paused",
    )


def test_vietnamese_labels_are_accepted_for_choices_and_periods(data, original):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q2")
    assert cell(data / PROGRESS, row, "status") == "in_progress"
    set_cell(data / PROGRESS, row, "status", "Đang thực hiện")
    set_cell(data / PROGRESS, row, "period", "Quý II/2023")
    frames_equal(load_clean(data).progress, original.progress)


def test_bad_code(data):
    row = find_row(data / TASKS, task_id="T1-01")
    set_cell(data / TASKS, row, "field_code", "1.a")
    check(
        only_problem(data), "bad_code", "data/plan/tasks.csv", row, "field_code", "mã tiêu chí dạng 1.2.2", value="1.a"
    )


def test_bad_code_in_a_list_of_codes(data):
    row = find_row(data / TASKS, task_id="T1-04")
    assert cell(data / TASKS, row, "sub_criteria") == "1.2.2"
    set_cell(data / TASKS, row, "sub_criteria", "1.2.x")
    check(
        only_problem(data),
        "bad_code",
        "data/plan/tasks.csv",
        row,
        "sub_criteria",
        "mã tiêu chí dạng 1.2.2",
        value="1.2.x",
    )


def test_bad_code_of_a_score_also_leaves_its_criterion_unscored(data):
    row = find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2")
    set_cell(data / SCORES, row, "code", "1.a")
    bad_code, missing = validate_data(data)
    check(bad_code, "bad_code", "data/results/scores.csv", row, "code", "mã tiêu chí dạng 1.2.2", value="1.a")
    check(
        missing, "missing_score", "data/results/scores.csv", None, "code", "ban-dan-toc", "2021", "1 tiêu chí lá: 1.1.2"
    )


def test_negative_points(data):
    row = find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2")
    set_cell(data / SCORES, row, "self_points", "-0,5")
    check(
        only_problem(data),
        "below_minimum",
        "data/results/scores.csv",
        row,
        "self_points",
        "không nhỏ hơn 0",
        value="-0,5",
    )


def test_percent_done_above_100(data):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, row, "percent_done", "150")
    check(
        only_problem(data),
        "above_maximum",
        "data/progress/progress.csv",
        row,
        "percent_done",
        "không lớn hơn 100",
        value="150",
    )


def test_duplicate_key(data):
    row = append_row(data / "units.csv", unit_id="van-phong", name="Văn phòng Ban (lặp)", provenance="official")
    first = find_row(data / "units.csv", name="Văn phòng Ban")
    check(
        only_problem(data),
        "duplicate_key",
        "data/units.csv",
        row,
        "unit_id",
        f"trùng với dòng {first}",
        value="van-phong",
    )


def test_duplicate_composite_key_after_parsing(data):
    # "Quý I/2023" is the same period as "2023-Q1": the key repeats once parsed.
    first = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q2")
    set_cell(data / PROGRESS, row, "period", "Quý I/2023")
    check(
        only_problem(data),
        "duplicate_key",
        "data/progress/progress.csv",
        row,
        "task_id, occurrence, period",
        "khoá (task_id, occurrence, period)",
        f"trùng với dòng {first}",
        value="T1-01 / once / 2023-Q1",
    )


# ---------------------------------------------------------------------------
# References between tables
# ---------------------------------------------------------------------------


def test_unknown_code(data):
    row = append_row(
        data / SCORES,
        agency_id="ban-dan-toc",
        year="2021",
        code="1.1.9",
        self_points="0,5",
        appraised_points="0,5",
        not_applicable="không",
        provenance="illustrative",
    )
    check(
        only_problem(data),
        "unknown_code",
        "data/results/scores.csv",
        row,
        "code",
        "không có trong bộ tiêu chí năm 2021",
        value="1.1.9",
    )


def test_not_a_leaf(data):
    row = append_row(
        data / SCORES,
        agency_id="ban-dan-toc",
        year="2021",
        code="1.1",
        self_points="2",
        appraised_points="2",
        not_applicable="không",
        provenance="illustrative",
    )
    check(
        only_problem(data),
        "not_a_leaf",
        "data/results/scores.csv",
        row,
        "code",
        "chỉ chấm điểm tiêu chí lá",
        value="1.1",
    )


def test_unknown_agency(data):
    row = find_row(data / SURVEY, agency_id="co-quan-01", year="2021")
    set_cell(data / SURVEY, row, "agency_id", "co-quan-99")
    check(
        only_problem(data),
        "unknown_agency",
        "data/results/survey.csv",
        row,
        "agency_id",
        "không có trong agencies",
        value="co-quan-99",
    )


def test_unknown_unit(data):
    row = find_row(data / TASKS, task_id="T1-01")
    set_cell(data / TASKS, row, "unit_id", "phong-x")
    check(
        only_problem(data),
        "unknown_unit",
        "data/plan/tasks.csv",
        row,
        "unit_id",
        "không có trong units",
        "cac-phong, thanh-tra, van-phong",
        value="phong-x",
    )


def test_unknown_task(data):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, row, "task_id", "T9-99")
    check(
        only_problem(data),
        "unknown_task",
        "data/progress/progress.csv",
        row,
        "task_id",
        "không có trong plan/tasks",
        value="T9-99",
    )


def test_unknown_year(data):
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="total")
    set_cell(data / PUBLISHED, row, "year", "2019")
    check(
        only_problem(data),
        "unknown_year",
        "data/results/published.csv",
        row,
        "year",
        "không có bộ tiêu chí cho năm này",
        "2021, 2022, 2023",
        value="2019",
    )


def test_unknown_scope(data):
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="1")
    set_cell(data / PUBLISHED, row, "scope", "9")
    check(
        only_problem(data), "unknown_scope", "data/results/published.csv", row, "scope", "total", "lĩnh vực", value="9"
    )


# ---------------------------------------------------------------------------
# Maxima and consistency
# ---------------------------------------------------------------------------


def _max_points(data: Path, framework: str, code: str) -> str:
    path = data / framework
    return fmt.number(parsing.parse_number(cell(path, find_row(path, code=code), "max_points")))


def test_above_maximum_score(data):
    maximum = _max_points(data, FRAMEWORK_2021, "1.1.2")
    row = find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2")
    set_cell(data / SCORES, row, "self_points", "2")
    check(
        only_problem(data),
        "above_maximum",
        "data/results/scores.csv",
        row,
        "self_points",
        f"điểm vượt quá điểm tối đa {maximum} của tiêu chí 1.1.2",
        value="2",
    )


def test_above_maximum_survey(data):
    row = find_row(data / SURVEY, agency_id="co-quan-01", year="2021")
    maximum = fmt.number(parsing.parse_number(cell(data / SURVEY, row, "survey_max")))
    set_cell(data / SURVEY, row, "survey_points", "35")
    check(
        only_problem(data),
        "above_maximum",
        "data/results/survey.csv",
        row,
        "survey_points",
        f"vượt quá điểm tối đa {maximum}",
        value="35",
    )


def test_above_maximum_published(data):
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="1")
    maximum = fmt.number(parsing.parse_number(cell(data / PUBLISHED, row, "max_points")))
    set_cell(data / PUBLISHED, row, "points", "11")
    check(
        only_problem(data),
        "above_maximum",
        "data/results/published.csv",
        row,
        "points",
        f"vượt quá điểm tối đa {maximum}",
        value="11",
    )


def test_above_maximum_target(data):
    maximum = _max_points(data, FRAMEWORK_2023, "1")
    row = find_row(data / TARGETS, agency_id="ban-dan-toc", year="2023", scope="1", metric="points")
    set_cell(data / TARGETS, row, "value", "11")
    check(
        only_problem(data),
        "above_maximum",
        "data/plan/targets.csv",
        row,
        "value",
        f"chỉ tiêu vượt quá điểm tối đa {maximum}",
        value="11",
    )


def test_points_on_not_applicable(data):
    row = find_row(data / SCORES, agency_id="co-quan-05", year="2021", code="3.3.2")
    assert parsing.parse_bool(cell(data / SCORES, row, "not_applicable"))
    set_cell(data / SCORES, row, "appraised_points", "0,5")
    check(
        only_problem(data),
        "points_on_not_applicable",
        "data/results/scores.csv",
        row,
        "appraised_points",
        "tiêu chí không áp dụng thì để trống điểm",
        value="0,5",
    )


def test_sum_mismatch(data):
    path = data / FRAMEWORK_2023
    set_cell(path, find_row(path, code="1.1.2"), "max_points", "1,25")
    parent = find_row(path, code="1.1")
    check(
        only_problem(data),
        "sum_mismatch",
        "data/framework/2023.csv",
        parent,
        "max_points",
        "(1.1.1, 1.1.2)",
        "là 1,75",
        "phải bằng điểm tối đa của 1.1",
        value="2",
    )


def test_duplicate_criterion_is_not_counted_twice_in_its_parents_sum(data):
    path = data / FRAMEWORK_2023
    first = find_row(path, code="1.1.1")
    row = append_row(
        path,
        code="1.1.1",
        parent_code="1.1",
        level="sub_criterion",
        name="Lặp lại",
        max_points=cell(path, first, "max_points"),
        provenance="illustrative",
    )
    check(
        only_problem(data),
        "duplicate_key",
        "data/framework/2023.csv",
        row,
        "code",
        f"trùng với dòng {first}",
        value="1.1.1",
    )


def test_bad_level(data):
    path = data / FRAMEWORK_2023
    row = find_row(path, code="1.1.1")
    set_cell(path, row, "level", "criterion")
    check(
        only_problem(data),
        "bad_level",
        "data/framework/2023.csv",
        row,
        "level",
        "mã 1.1.1 có 3 cấp nên cấp phải là sub_criterion",
        value="criterion",
    )


def test_bad_parent(data):
    # Also: 1.1.1 still counts in 1.1's sum (its code says so), so no sum_mismatch follows.
    path = data / FRAMEWORK_2023
    row = find_row(path, code="1.1.1")
    set_cell(path, row, "parent_code", "1.2")
    check(
        only_problem(data),
        "bad_parent",
        "data/framework/2023.csv",
        row,
        "parent_code",
        "tiêu chí cha phải là 1.1",
        value="1.2",
    )


def test_unknown_parent(data):
    row = append_row(
        data / FRAMEWORK_2023,
        code="1.9.1",
        parent_code="1.9",
        level="sub_criterion",
        name="Thử",
        max_points="0",
        provenance="illustrative",
    )
    check(
        only_problem(data),
        "unknown_parent",
        "data/framework/2023.csv",
        row,
        "parent_code",
        "không có tiêu chí 1.9 trong bộ tiêu chí năm 2023",
        value="1.9",
    )


def test_missing_score(data):
    delete_row(data / SCORES, find_row(data / SCORES, agency_id="ban-dan-toc", year="2021", code="1.1.2"))
    check(
        only_problem(data),
        "missing_score",
        "data/results/scores.csv",
        None,
        "code",
        "cơ quan ban-dan-toc năm 2021 thiếu điểm của 1 tiêu chí lá: 1.1.2",
    )


def test_rank_out_of_range(data):
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="1")
    n_ranked = cell(data / PUBLISHED, row, "n_ranked")
    set_cell(data / PUBLISHED, row, "rank", str(int(n_ranked) + 1))
    check(
        only_problem(data),
        "rank_out_of_range",
        "data/results/published.csv",
        row,
        "rank",
        f"không thể lớn hơn số cơ quan được xếp hạng ({n_ranked})",
        value=str(int(n_ranked) + 1),
    )


def test_rank_target_out_of_range(data):
    row = find_row(data / TARGETS, agency_id="ban-dan-toc", year="2023", scope="total", metric="rank")
    out_of = cell(data / TARGETS, row, "out_of")
    set_cell(data / TARGETS, row, "value", "25")
    check(
        only_problem(data),
        "rank_out_of_range",
        "data/plan/targets.csv",
        row,
        "value",
        f"thứ hạng phải là số nguyên từ 1 đến {out_of}",
        value="25",
    )


@pytest.mark.parametrize("emptied", ["n_ranked", "rank"])
def test_incomplete_rank(data, emptied):
    # The problem points at the empty cell.
    row = find_row(data / PUBLISHED, agency_id="co-quan-01", year="2021", scope="1")
    set_cell(data / PUBLISHED, row, emptied, "")
    check(
        only_problem(data),
        "incomplete_rank",
        "data/results/published.csv",
        row,
        emptied,
        "phải cùng có hoặc cùng để trống",
    )


def test_period_outside_plan(data):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, row, "period", "2022-Q1")
    check(
        only_problem(data),
        "period_outside_plan",
        "data/progress/progress.csv",
        row,
        "period",
        "phải thuộc năm của kế hoạch (2023)",
        value="2022-Q1",
    )


def test_inconsistent_status(data):
    row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q4")
    assert cell(data / PROGRESS, row, "status") == "done"
    set_cell(data / PROGRESS, row, "percent_done", "90")
    check(
        only_problem(data),
        "inconsistent_status",
        "data/progress/progress.csv",
        row,
        "percent_done",
        "đã hoàn thành thì phần trăm hoàn thành phải là 100",
        value="90",
    )


def test_every_problem_is_reported_not_only_the_first(data):
    survey_row = find_row(data / SURVEY, agency_id="co-quan-01", year="2021")
    set_cell(data / SURVEY, survey_row, "survey_points", "mười")
    progress_row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, progress_row, "status", "paused")
    rename_column(data / "units.csv", "name", "ten")
    with pytest.raises(CchcDataError) as error:
        load_data(data)
    problems = error.value.problems
    assert [(p.code, p.file, p.row) for p in problems] == [
        ("unknown_column", "data/units.csv", 1),
        ("missing_column", "data/units.csv", 1),
        ("not_a_number", "data/results/survey.csv", survey_row),
        ("bad_value", "data/progress/progress.csv", progress_row),
    ], listing(problems)
    assert error.value.codes == [p.code for p in problems]
    assert str(error.value).splitlines() == ["Dữ liệu có 4 lỗi:", *(f"- {p}" for p in problems)]
    assert error.value.exit_code == 2


# ---------------------------------------------------------------------------
# Encodings, delimiters and Excel
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1258"])
def test_encodings(data, original, encoding):
    path = data / "agencies.csv"
    text = path.read_text(encoding="utf-8")
    data_bytes = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    if encoding == "utf-8-sig":
        assert data_bytes.startswith(codecs.BOM_UTF8)
    else:
        with pytest.raises(UnicodeDecodeError):
            data_bytes.decode("utf-8")  # the file really is not UTF-8
    path.write_bytes(data_bytes)
    agencies = load_clean(data).agencies
    names = [unicodedata.normalize("NFC", row[1]) for row in read_csv(DATA / "agencies.csv")[1]]
    assert list(agencies["name"]) == names
    assert names[0] == "Ban Dân tộc tỉnh Quảng Ngãi"
    frames_equal(agencies, original.agencies)


def test_semicolon_delimited_csv_with_decimal_commas(data, original):
    # What Excel writes in a Vietnamese locale: ';' between cells, ',' in decimals.
    header, rows = read_csv(data / SURVEY)
    number_columns = [header.index("survey_points"), header.index("survey_max")]
    for row in rows:
        for index in number_columns:
            row[index] = row[index].replace(".", ",")
    write_csv(data / SURVEY, header, rows, delimiter=";")
    assert (data / SURVEY).read_text(encoding="utf-8").splitlines()[1].count(";") == len(header) - 1
    frames_equal(load_clean(data).survey, original.survey)


@pytest.mark.parametrize(
    ("relative", "spec"),
    [(TASKS, tables.TASKS), (PROGRESS, tables.PROGRESS), (PUBLISHED, tables.PUBLISHED)],
    ids=["tasks", "progress", "published"],
)
def test_xlsx_loads_identically_to_csv(data, original, relative, spec):
    csv_path = data / relative
    xlsx = csv_to_xlsx(csv_path, spec)
    csv_path.unlink()
    loaded = getattr(load_clean(data), spec.name)
    assert set(loaded["_file"]) == {f"data/{Path(relative).with_suffix('.xlsx').as_posix()}"}
    frames_equal(loaded, getattr(original, spec.name))
    assert xlsx.exists()


def test_xlsx_bad_cell_is_reported_at_its_row_and_column(data):
    path = data / PROGRESS
    row = find_row(path, task_id="T1-02", period="2023-Q3")
    set_cell(path, row, "percent_done", "mười")
    csv_to_xlsx(path, tables.PROGRESS)
    path.unlink()
    check(
        only_problem(data),
        "not_a_number",
        "data/progress/progress.xlsx",
        row,
        "percent_done",
        "cần một số",
        value="mười",
    )


# ---------------------------------------------------------------------------
# Validation leaves the data alone; the command line
# ---------------------------------------------------------------------------


def _broken(data: Path) -> tuple[str, str]:
    """Two mistakes in two files; returns the start of the line each problem prints."""
    survey_row = find_row(data / SURVEY, agency_id="co-quan-01", year="2021")
    set_cell(data / SURVEY, survey_row, "survey_points", "mười")
    progress_row = find_row(data / PROGRESS, task_id="T1-01", period="2023-Q1")
    set_cell(data / PROGRESS, progress_row, "status", "paused")
    return (
        f'data/results/survey.csv, dòng {survey_row}, cột "survey_points": giá trị "mười" không hợp lệ; cần một số',
        f'data/progress/progress.csv, dòng {progress_row}, cột "status": giá trị "paused" không hợp lệ; cần một trong',
    )


def test_cli_validate_ok(capsys):
    before = tree_hashes(DATA)
    assert cli.main(["validate", str(DATA)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Dữ liệu hợp lệ:") and str(DATA) in out and err == ""
    assert tree_hashes(DATA) == before


def test_cli_validate_reports_every_problem(data, capsys):
    first, second = _broken(data)
    before = tree_hashes(data)
    assert cli.main(["validate", str(data)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Dữ liệu có 2 lỗi:\n")
    assert f"- {first}" in err and "[not_a_number]" in err
    assert f"- {second}" in err and "[bad_value]" in err
    assert "Traceback" not in out + err
    assert tree_hashes(data) == before  # validation never modifies the data folder


def test_cli_validate_missing_folder(tmp_path, capsys):
    assert cli.main(["validate", str(tmp_path / "nowhere")]) == 2
    out, err = capsys.readouterr()
    assert "thư mục dữ liệu không tồn tại" in err and "[missing_folder]" in err and "Traceback" not in out + err


def test_installed_cchc_command(data):
    command = Path(sys.executable).parent / "cchc"
    if not command.exists():
        pytest.skip(f"{command} is not installed (pip install -e .)")
    first, second = _broken(data)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([str(command), "validate", str(data)], capture_output=True, env=env, timeout=120)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert err.startswith("Dữ liệu có 2 lỗi:")
    assert first in err and second in err
    assert "Traceback" not in out + err


def test_an_old_format_progress_table_is_refused_with_what_changed(data):
    (data / PROGRESS).write_text(
        "task_id,period,status,percent_done,updated_on,note,provenance\n"
        "T1-02,2023-Q2,in_progress,35,2023-06-25,,illustrative\n",
        encoding="utf-8",
    )
    check(
        only_problem(data), "old_format", "data/progress/progress.csv", 1, None, "mẫu cũ", "occurrence", "completed_on"
    )


@pytest.mark.parametrize("period", ["2023-H1", "2023", "6 tháng đầu năm 2023"])
def test_progress_is_updated_per_quarter(tmp_path, period):
    """A six-month or year row in the progress table would be ignored by every status: it is refused."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "progress" / "progress.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1].split(",")
    first[2] = f'"{period}"'
    path.write_text("\n".join([header, ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    [problem] = validate_data(data)
    assert (problem.code, problem.file, problem.row, problem.column) == (
        "period_not_quarter",
        "data/progress/progress.csv",
        2,
        "period",
    )
    assert "cần một quý, ví dụ 2023-Q2" in str(problem)


# ---------------------------------------------------------------------------
# Progress per occurrence: the rules between cells and against the plan
# ---------------------------------------------------------------------------


def test_done_needs_a_completion_date(data):
    row = find_row(data / PROGRESS, task_id="T5-04", occurrence="once", period="2023-Q2")
    set_cell(data / PROGRESS, row, "completed_on", "")
    check(only_problem(data), "missing_value", "data/progress/progress.csv", row, "completed_on", "ngày hoàn thành")


def test_a_completion_date_after_the_update_is_refused(data):
    row = find_row(data / PROGRESS, task_id="T5-04", occurrence="once", period="2023-Q2")
    set_cell(data / PROGRESS, row, "completed_on", "2023-06-30")
    check(only_problem(data), "bad_date", "data/progress/progress.csv", row, "completed_on", "sau ngày cập nhật")


def test_blocked_needs_its_cause(data):
    row = find_row(data / PROGRESS, task_id="T7-05", occurrence="2023-Q2", period="2023-Q2")
    set_cell(data / PROGRESS, row, "blocker", "")
    check(only_problem(data), "missing_value", "data/progress/progress.csv", row, "blocker", "nguyên nhân")


def test_a_percent_on_a_monthly_report_is_refused(data):
    row = find_row(data / PROGRESS, task_id="T6-03b", occurrence="2023-M04", period="2023-Q2")
    set_cell(data / PROGRESS, row, "percent_done", "100")
    check(only_problem(data), "percent_on_recurring", "data/progress/progress.csv", row, "percent_done", "từng lần")


def test_an_occurrence_the_task_does_not_have(data):
    row = find_row(data / PROGRESS, task_id="T5-05", occurrence="2023", period="2023-Q1")
    set_cell(data / PROGRESS, row, "occurrence", "2023-M03")
    check(only_problem(data), "unknown_occurrence", "data/progress/progress.csv", row, "occurrence", "2023")


def test_an_occurrence_reported_before_it_begins(data):
    row = find_row(data / PROGRESS, task_id="T1-02", occurrence="2023-Q1", period="2023-Q1")
    set_cell(data / PROGRESS, row, "occurrence", "2023-Q3")
    check(only_problem(data), "occurrence_not_begun", "data/progress/progress.csv", row, "occurrence", "bắt đầu sau")


def test_a_one_off_task_due_before_the_plans_start(data):
    row = find_row(data / TASKS, task_id="T2-04")
    set_cell(data / TASKS, row, "due_date", "2023-02-15")
    check(only_problem(data), "due_before_plan_start", "data/plan/tasks.csv", row, "due_date", "22/02/2023")


def test_tasks_of_a_plan_without_a_start_date(data):
    (data / "plan" / "plans.csv").write_text(
        "agency_id,plan_year,title,start_date,note,provenance\nban-dan-toc,2022,Kế hoạch 2022,2022-02-01,,derived\n",
        encoding="utf-8",
    )
    problems = validate_data(data)
    assert [(p.code, p.file, p.row, p.column) for p in problems] == [
        ("missing_plan", "data/plan/tasks.csv", 2, "plan_year")
    ]
