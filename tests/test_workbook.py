"""The units' Excel workbook: export, fill in programmatically, import; every bad workbook refused with nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, libreoffice_convert, needs_soffice

from cchc_analysis import workbook
from cchc_analysis.cli import main
from cchc_analysis.errors import CchcDataError, CchcParameterError
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.workbook import layout

VP = "Văn phòng Ban"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> tuple[Path, Path]:
    """A data folder and its 2023-Q3 workbook, shared by tests that never write (refused imports, export checks)."""
    folder = tmp_path_factory.mktemp("shared")
    shutil.copytree(DATA, folder / "data")
    return folder / "data", workbook.export_workbook(load_data(folder / "data"), "2023-Q3", folder / "tien_do_q3.xlsx")


@pytest.fixture
def data(tmp_path) -> Path:
    """A fresh copy of the embedded data, for tests that write."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def q3(shared, tmp_path) -> Path:
    """The 2023-Q3 workbook of the embedded data, copied for this test."""
    return Path(shutil.copy(shared[1], tmp_path / "tien_do_q3.xlsx"))


@pytest.fixture
def same(shared) -> Path:
    """The shared data folder: only for imports that must be refused (``refused`` checks nothing changed)."""
    return shared[0]


TT, CP = "Thanh tra Ban", "Các phòng thuộc Ban"
# Input columns of layout version 2.
STATUS, PERCENT, COMPLETED, BLOCKER, UPDATED, WHO, NOTE = "I", "J", "K", "L", "M", "N", "O"


def row_of(sheet, task_id: str, occurrence: str) -> int:
    return next(
        r
        for r in range(layout.FIRST_ROW, sheet.max_row + 1)
        if (sheet[f"A{r}"].value, sheet[f"B{r}"].value) == (task_id, occurrence)
    )


def fill(source: Path, target: Path, edits: dict[tuple[str, str, str, str], object]) -> Path:
    """Copy a workbook with edits {(sheet, task_id, occurrence, column letter): value}, as a unit would type them."""
    book = openpyxl.load_workbook(source)
    for (sheet, task_id, occurrence, letter), value in edits.items():
        book[sheet][f"{letter}{row_of(book[sheet], task_id, occurrence)}"] = value
    book.save(target)
    return target


def progress_lines(data: Path) -> list[str]:
    return (data / "progress" / "progress.csv").read_text(encoding="utf-8").splitlines()


# --- export ----------------------------------------------------------------------------------------


def test_export_has_one_row_per_occurrence_on_a_protected_sheet_per_unit(q3):
    book = openpyxl.load_workbook(q3)
    assert book.sheetnames == ["_cchc", "Văn phòng Ban", "Thanh tra Ban", "Các phòng thuộc Ban"]
    assert book["_cchc"].sheet_state == "hidden"
    assert [book["_cchc"][f"B{r}"].value for r in (1, 2, 3, 4)] == [
        "cchc-progress-workbook",
        "3",
        "2023-Q3",
        "ban-dan-toc",
    ]
    sheet = book[VP]
    assert [c.value for c in sheet[layout.HEADER_ROW]][:15] == [header for _, header, _ in layout.COLUMNS]
    assert sheet["B2"].value == "2023-Q3" and sheet["C2"].value == "Quý III/2023"
    assert sheet.protection.sheet
    row = row_of(sheet, "T1-04", "2023-Q3")
    assert sheet[f"A{row}"].protection.locked and sheet[f"B{row}"].protection.locked
    assert all(not sheet[f"{c}{row}"].protection.locked for c in "IJKLMNO")
    dropdown = next(v for v in sheet.data_validations.dataValidation if v.type == "list")
    assert dropdown.formula1 == '"Chưa bắt đầu,Đang thực hiện,Hoàn thành,Gặp vướng mắc,Không áp dụng"'
    assert f"I{row}" in dropdown.sqref
    # Monthly reports: one row per month of the quarter; a blocked earlier occurrence stays until it is closed.
    cp = book[CP]
    assert [cp[f"B{r}"].value for r in range(5, cp.max_row + 1) if cp[f"A{r}"].value == "T6-03b"] == [
        "2023-M07",
        "2023-M08",
        "2023-M09",
    ]
    assert [sheet[f"B{r}"].value for r in range(5, sheet.max_row + 1) if sheet[f"A{r}"].value == "T7-05"] == [
        "2023-Q2",
        "2023-Q3",
    ]
    # One-off work finished before the quarter (T5-04, done in Q2) is not asked for again.
    assert "T5-04" not in {sheet[f"A{r}"].value for r in range(5, sheet.max_row + 1)}


def test_export_prefills_the_latest_update(q3):
    sheet = openpyxl.load_workbook(q3)[VP]
    t705 = row_of(sheet, "T7-05", "2023-Q2")  # blocked in Q2, no Q3 update: Q2's values, no date
    values = [sheet[f"{c}{t705}"].value for c in (STATUS, BLOCKER, UPDATED)]
    assert values[0] == "Gặp vướng mắc" and "người có uy tín" in values[1] and values[2] is None
    t101 = row_of(sheet, "T1-01", "once")  # Q3 update exists: its values and date
    assert [sheet[f"{c}{t101}"].value for c in (STATUS, PERCENT)] == ["Đang thực hiện", 60]
    assert sheet[f"{UPDATED}{t101}"].value is not None


def test_text_from_data_that_looks_like_a_formula_is_written_as_text(data, tmp_path):
    tasks = data / "plan" / "tasks.csv"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace(
            'T1-02,ban-dan-toc,2023,1,van-phong,"Thường', 'T1-02,ban-dan-toc,2023,1,van-phong,"=HYPERLINK(1) Thường'
        ),
        encoding="utf-8",
    )
    progress = data / "progress" / "progress.csv"
    text = progress.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("T1-03,2023-Q2,2023-Q2,"))
    progress.write_text(text.replace(line, line.replace("Đã thực hiện trong quý", "+84 gọi lại")), encoding="utf-8")
    path = workbook.export_workbook(load_data(data), "2023-Q3", tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(path)[VP]
    description = sheet[f"E{row_of(sheet, 'T1-02', '2023-Q3')}"]
    assert description.data_type == "s" and description.value.startswith("=HYPERLINK(1)")
    workbook.import_workbooks([path], data)  # and such a workbook imports cleanly


def test_export_refuses_a_half_year_and_an_existing_file(dataset, q3):
    with pytest.raises(CchcParameterError, match="theo quý"):
        workbook.export_workbook(dataset, "2023-H1", q3.with_name("h1.xlsx"))
    with pytest.raises(CchcParameterError, match="đã có"):
        workbook.export_workbook(dataset, "2023-Q3", q3)


# --- round trip --------------------------------------------------------------------------------------


def test_round_trip_writes_the_new_values_and_leaves_every_other_row_unchanged(data, q3, tmp_path):
    filled = fill(
        q3,
        tmp_path / "filled.xlsx",
        {
            (VP, "T7-05", "2023-Q2", STATUS): "Không áp dụng",
            (VP, "T7-05", "2023-Q2", BLOCKER): None,
            (VP, "T7-05", "2023-Q2", UPDATED): dt.date(2023, 9, 29),
            (VP, "T7-05", "2023-Q2", NOTE): "Không phát sinh hồ sơ trong quý II",
            (VP, "T1-01", "once", PERCENT): 65,
            (VP, "T1-01", "once", UPDATED): "26/09/2023",
            (VP, "T1-01", "once", WHO): "Nguyễn Văn A",
        },
    )
    before, workbook_hash = progress_lines(data), hashlib.sha256(filled.read_bytes()).hexdigest()
    result = workbook.import_workbooks([filled], data)
    assert (result.added, result.changed) == (["T7-05 2023-Q2 2023-Q3"], ["T1-01 once 2023-Q3"])
    after = progress_lines(data)
    added = (
        "T7-05,2023-Q2,2023-Q3,not_applicable,,,,2023-09-29,Văn phòng Ban,Không phát sinh hồ sơ trong quý II,official"
    )
    assert added in after
    assert (
        after.index(added) == after.index(next(line for line in after if line.startswith("T7-05,2023-Q2,2023-Q2"))) + 1
    )
    assert "T1-01,once,2023-Q3,in_progress,65,,,2023-09-26,Nguyễn Văn A,Đang triển khai theo kế hoạch,official" in after
    assert [line for line in before if not line.startswith("T1-01,once,2023-Q3")] == [
        line for line in after if not line.startswith(("T1-01,once,2023-Q3", "T7-05,2023-Q2,2023-Q3"))
    ]
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == workbook_hash  # the unit's file is untouched
    assert load_data(data).progress.shape[0] == len(before)  # one row added (the header is not a row)


def test_rows_without_a_date_are_not_updates(data, q3):
    before = progress_lines(data)
    result = workbook.import_workbooks([q3], data)  # exported as is: T7-05's Q2 occurrence has no Q3 date
    assert result.skipped == ["T7-05 2023-Q2"] and not result.added and not result.changed
    assert progress_lines(data) == before


@needs_soffice
def test_a_workbook_resaved_by_libreoffice_imports_cleanly(data, q3, tmp_path):
    filled = fill(
        q3,
        tmp_path / "filled.xlsx",
        {
            (VP, "T7-05", "2023-Q2", STATUS): "Hoàn thành",
            (VP, "T7-05", "2023-Q2", COMPLETED): dt.date(2023, 9, 18),
            (VP, "T7-05", "2023-Q2", BLOCKER): None,
            (VP, "T7-05", "2023-Q2", UPDATED): dt.date(2023, 9, 21),
            (TT, "T2-01", "2023-Q3", NOTE): "Đã rà soát 3 văn bản",
            (TT, "T2-01", "2023-Q3", UPDATED): dt.date(2023, 9, 28),
        },
    )
    out = tmp_path / "libreoffice"
    completed = libreoffice_convert([filled], "xlsx", out, tmp_path / "lo-profile", timeout=180)
    resaved = out / "filled.xlsx"
    assert completed.returncode == 0 and resaved.exists(), completed.stderr
    assert resaved.read_bytes() != filled.read_bytes()
    result = workbook.import_workbooks([resaved], data)
    assert result.added == ["T7-05 2023-Q2 2023-Q3"] and result.changed == ["T2-01 2023-Q3 2023-Q3"]
    lines = progress_lines(data)
    assert any(line.startswith("T7-05,2023-Q2,2023-Q3,done,,2023-09-18,,2023-09-21,") for line in lines)
    assert any(
        line.startswith("T2-01,2023-Q3,2023-Q3,done,,") and "Đã rà soát 3 văn bản,official" in line for line in lines
    )


# --- bad workbooks: every problem named by sheet and cell, nothing written -----------------------------


def refused(data: Path, paths: list[Path], **kwargs) -> CchcDataError:
    before = snapshot(data)
    hashes = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    with pytest.raises(CchcDataError) as caught:
        workbook.import_workbooks(paths, data, **kwargs)
    assert snapshot(data) == before
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths] == hashes
    return caught.value


def only(error: CchcDataError, code: str, where: str) -> None:
    assert error.codes == [code], str(error)
    assert where in str(error.problems[0]) and where in str(error)


def test_an_old_workbook_is_refused_with_what_changed(same, q3, tmp_path):
    book = openpyxl.load_workbook(q3)
    book["_cchc"]["B2"] = 1
    book.save(tmp_path / "old.xlsx")
    error = refused(same, [tmp_path / "old.xlsx"])
    only(error, "old_format", "_cchc!B2")
    assert "mẫu cũ" in str(error) and "xuất lại sổ" in str(error)


def test_unknown_task_id(same, q3, tmp_path):
    book = openpyxl.load_workbook(q3)
    book[VP]["A5"] = "T9-99"
    book.save(tmp_path / "bad.xlsx")
    error = refused(same, [tmp_path / "bad.xlsx"])
    assert sorted(error.codes) == ["key_changed", "unknown_task"]
    assert all(f"{VP}!A5" in str(p) for p in error.problems)


def test_edited_protected_key(same, q3, tmp_path):
    book = openpyxl.load_workbook(q3)
    sheet = book[TT]
    sheet["A5"], sheet["A6"] = sheet["A6"].value, sheet["A5"].value  # two real tasks swapped
    book.save(tmp_path / "bad.xlsx")
    error = refused(same, [tmp_path / "bad.xlsx"])
    assert error.codes == ["key_changed", "key_changed"]
    assert f"{TT}!A5" in str(error) and f"{TT}!A6" in str(error)


def test_edited_occurrence_key(same, q3, tmp_path):
    book = openpyxl.load_workbook(q3)
    book[TT]["B5"] = "2023-Q4"
    book.save(tmp_path / "bad.xlsx")
    only(refused(same, [tmp_path / "bad.xlsx"]), "key_changed", f"{TT}!B5")


def test_status_outside_the_list(same, q3, tmp_path):
    bad = fill(
        q3,
        tmp_path / "bad.xlsx",
        {(TT, "T2-01", "2023-Q3", STATUS): "Xong rồi", (TT, "T2-01", "2023-Q3", UPDATED): dt.date(2023, 9, 20)},
    )
    only(refused(same, [bad]), "bad_value", f"{TT}!I5")


@pytest.mark.parametrize("percent, code", [(150, "above_maximum"), (-5, "below_minimum"), ("100,5", "above_maximum")])
def test_percent_outside_0_to_100(same, q3, tmp_path, percent, code):
    bad = fill(q3, tmp_path / "bad.xlsx", {(CP, "T2-07", "once", PERCENT): percent})
    row = row_of(openpyxl.load_workbook(bad)[CP], "T2-07", "once")
    only(refused(same, [bad]), code, f"{CP}!J{row}")


def test_a_percent_on_a_continuous_duty_is_refused(same, q3, tmp_path):
    bad = fill(q3, tmp_path / "bad.xlsx", {(TT, "T2-01", "2023-Q3", PERCENT): 100})
    only(refused(same, [bad]), "percent_on_recurring", f"{TT}!J5")


def test_done_without_a_completion_date_and_blocked_without_a_cause(same, q3, tmp_path):
    bad = fill(
        q3,
        tmp_path / "bad.xlsx",
        {
            (TT, "T2-01", "2023-Q3", COMPLETED): None,
            (TT, "T2-03b", "2023-Q3", STATUS): "Gặp vướng mắc",
            (TT, "T2-03b", "2023-Q3", COMPLETED): None,
            (TT, "T2-03b", "2023-Q3", BLOCKER): None,
        },
    )
    error = refused(same, [bad])
    assert error.codes == ["missing_value", "missing_value"]
    assert f"{TT}!K5" in str(error) and f"{TT}!L6" in str(error)


def test_bad_date(same, q3, tmp_path):
    bad = fill(q3, tmp_path / "bad.xlsx", {(TT, "T2-01", "2023-Q3", UPDATED): "31/02/2023"})
    only(refused(same, [bad]), "bad_date", f"{TT}!M5")


def test_date_outside_the_quarter(same, q3, tmp_path):
    bad = fill(q3, tmp_path / "bad.xlsx", {(TT, "T2-01", "2023-Q3", UPDATED): dt.date(2023, 3, 1)})
    only(refused(same, [bad]), "bad_date", f"{TT}!M5")


def test_workbook_for_another_period(same, q3):
    error = refused(same, [q3], period="2023-Q2")
    assert error.codes == ["wrong_period"] * 3
    assert "Văn phòng Ban!B2" in str(error) and "Quý III/2023" in str(error)


def test_workbooks_of_two_periods_in_one_import(same, q3, tmp_path):
    q2 = workbook.export_workbook(load_data(same), "2023-Q2", tmp_path / "q2.xlsx")
    error = refused(same, [q3, q2])
    assert error.codes == ["wrong_period"] * 3
    assert all(p.file.endswith("q2.xlsx") and p.cell == "B2" for p in error.problems)


def test_a_sheet_relabelled_for_another_period(same, q3, tmp_path):
    book = openpyxl.load_workbook(q3)
    book[CP]["B2"] = "2023-Q4"
    book.save(tmp_path / "bad.xlsx")
    only(refused(same, [tmp_path / "bad.xlsx"]), "wrong_period", f"{CP}!B2")


def test_formula_where_a_value_belongs(same, q3, tmp_path):
    bad = fill(q3, tmp_path / "bad.xlsx", {(TT, "T2-01", "2023-Q3", NOTE): "=50+50"})
    only(refused(same, [bad]), "formula", f"{TT}!O5")


def test_every_problem_is_named_at_once(same, q3, tmp_path):
    bad = fill(
        q3,
        tmp_path / "bad.xlsx",
        {
            (CP, "T2-07", "once", PERCENT): -5,
            (TT, "T2-03b", "2023-Q3", STATUS): "??",
            (VP, "T1-01", "once", NOTE): "=A1",
            (CP, "T1-07", "2023-Q3", UPDATED): "hôm qua",
        },
    )
    error = refused(same, [bad])
    assert sorted(error.codes) == ["bad_date", "bad_value", "below_minimum", "formula"]
    assert len(str(error).splitlines()) == 5


def test_not_a_cchc_workbook(same, tmp_path):
    book = openpyxl.Workbook()
    book.save(tmp_path / "other.xlsx")
    assert refused(same, [tmp_path / "other.xlsx"]).codes == ["not_a_cchc_workbook"]


# --- the command line -------------------------------------------------------------------------------


def test_cli_export_then_import(data, tmp_path, capsys):
    out = tmp_path / "q2.xlsx"
    assert main(["workbook", "export", "2023-Q2", "--data", str(data), "--out", str(out)]) == 0
    before = progress_lines(data)
    assert main(["workbook", "import", str(out), "--data", str(data), "--period", "2023-Q2"]) == 0
    assert "0 cập nhật mới, 0 cập nhật sửa" in capsys.readouterr().out
    assert progress_lines(data) == before


def test_cli_refused_import_exits_2_and_names_the_cell(same, q3, tmp_path, capsys):
    bad = fill(q3, tmp_path / "bad.xlsx", {(CP, "T2-07", "once", PERCENT): 101})
    row = row_of(openpyxl.load_workbook(bad)[CP], "T2-07", "once")
    before = snapshot(same)
    assert main(["workbook", "import", str(bad), "--data", str(same)]) == 2
    assert f"{CP}!J{row}" in capsys.readouterr().err
    assert snapshot(same) == before


def test_cli_export_of_a_year_exits_2(tmp_path, capsys):
    assert main(["workbook", "export", "2023", "--data", str(DATA), "--out", str(tmp_path / "y.xlsx")]) == 2
    assert "theo quý" in capsys.readouterr().err


@pytest.mark.parametrize(
    "percent, status, code",
    [
        ("150", "in_progress", "above_maximum"),
        ("-5", "in_progress", "below_minimum"),
        ("60", "Xong rồi", "bad_value"),
        ("60", "done", "inconsistent_status"),
    ],
)
def test_a_progress_row_is_refused_with_the_same_code_in_the_table_and_in_the_workbook(
    same, data, q3, tmp_path, percent, status, code
):
    # One rule, one place: the workbook reads its cells through the progress table's contract and checks.
    # T1-01 is one-off work with a percent; done keeps its completion date in both places.
    bad = fill(
        q3,
        tmp_path / "bad.xlsx",
        {
            (VP, "T1-01", "once", PERCENT): percent,
            (VP, "T1-01", "once", STATUS): status,
            (VP, "T1-01", "once", COMPLETED): dt.date(2023, 9, 20),
        }
        if status == "done"
        else {(VP, "T1-01", "once", PERCENT): percent, (VP, "T1-01", "once", STATUS): status},
    )
    only(refused(same, [bad]), code, f"{VP}!")
    progress = data / "progress" / "progress.csv"
    with progress.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0].update(percent_done=percent, status=status, completed_on="2023-03-20" if status == "done" else "")
    with progress.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(CchcDataError) as caught:
        load_data(data)
    assert caught.value.codes == [code]
