"""Returned workbooks and the progress store: only what a unit changed is applied, whatever order the copies of one
export come back in and however a unit sorts its rows; the store is written by one import at a time, in its own
dialect, and a round trip without edits changes nothing (Hardening v2, items 2, 3, 4, 5, 6, 12, 14, 16, 19)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, ROOT

from cchc_analysis import workbook
from cchc_analysis.cli import main
from cchc_analysis.errors import CchcDataError, CchcParameterError
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.workbook import layout, store

VP, TT, CP = "Văn phòng Ban", "Thanh tra Ban", "Các phòng thuộc Ban"
STATUS, PERCENT, COMPLETED, BLOCKER, UPDATED, WHO, NOTE = "I", "J", "K", "L", "M", "N", "O"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_mount = pytest.mark.skipif(not IS_ROOT, reason="mounting a read-only or tiny folder needs root")

# Unit A (Văn phòng Ban) and unit B (Thanh tra Ban) each fill their own sheet of one export.
A_EDITS = {
    (VP, "T1-01", "once", PERCENT): 65,
    (VP, "T1-01", "once", UPDATED): dt.date(2023, 9, 28),
    (VP, "T1-01", "once", WHO): "Nguyễn Văn A",
}
B_EDITS = {
    (TT, "T2-01", "2023-Q3", NOTE): "Đã rà soát 3 văn bản",
    (TT, "T2-01", "2023-Q3", UPDATED): dt.date(2023, 9, 29),
}
A_LINE = "T1-01,once,2023-Q3,in_progress,65,,,2023-09-28,Nguyễn Văn A,Đang triển khai theo kế hoạch,official"
B_LINE = "T2-01,2023-Q3,2023-Q3,done,,2023-09-22,,2023-09-29,Thanh tra Ban,Đã rà soát 3 văn bản,official"


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def export(data: Path, out: Path, period: str = "2023-Q3") -> Path:
    return workbook.export_workbook(load_data(data), period, out)


def row_of(sheet, task_id: str, occurrence: str) -> int:
    return next(
        r
        for r in range(layout.FIRST_ROW, sheet.max_row + 1)
        if (sheet[f"A{r}"].value, sheet[f"B{r}"].value) == (task_id, occurrence)
    )


def fill(source: Path, target: Path, edits: dict, formats: dict | None = None) -> Path:
    book = openpyxl.load_workbook(source)
    for (sheet, task_id, occurrence, letter), value in edits.items():
        cell = book[sheet][f"{letter}{row_of(book[sheet], task_id, occurrence)}"]
        cell.value = value
        if formats and (sheet, task_id, occurrence, letter) in formats:
            cell.number_format = formats[(sheet, task_id, occurrence, letter)]
    book.save(target)
    return target


def progress(data: Path) -> Path:
    return data / "progress" / "progress.csv"


def lines(data: Path) -> list[str]:
    return progress(data).read_text(encoding="utf-8").splitlines()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(data: Path, paths: list[Path]) -> CchcDataError:
    before = digest(progress(data))
    with pytest.raises(CchcDataError) as caught:
        workbook.import_workbooks(paths, data)
    assert digest(progress(data)) == before
    return caught.value


# --- item 2: only what a unit changed is applied ------------------------------------------------------------


def test_importing_one_units_copy_keeps_another_units_updates(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    a = fill(sent, tmp_path / "a.xlsx", A_EDITS)
    b = fill(sent, tmp_path / "b.xlsx", B_EDITS)  # B's copy still holds the pre-filled 60 % of T1-01
    first = workbook.import_workbooks([a], data)
    assert first.changed == ["T1-01 once 2023-Q3"] and not first.added
    second = workbook.import_workbooks([b], data)
    assert second.changed == ["T2-01 2023-Q3 2023-Q3"] and not second.added
    after = lines(data)
    assert A_LINE in after and B_LINE in after  # B did not revert A's 65 %


def test_two_copies_of_one_export_import_together_when_they_change_different_rows(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    a = fill(sent, tmp_path / "a.xlsx", A_EDITS)
    b = fill(sent, tmp_path / "b.xlsx", B_EDITS)
    result = workbook.import_workbooks([a, b], data)  # was refused: one duplicate_task per row of both copies
    assert sorted(result.changed) == ["T1-01 once 2023-Q3", "T2-01 2023-Q3 2023-Q3"]
    assert A_LINE in lines(data) and B_LINE in lines(data)


def test_the_same_row_changed_in_two_workbooks_of_one_import_is_refused(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    a = fill(sent, tmp_path / "a.xlsx", A_EDITS)
    other = fill(sent, tmp_path / "other.xlsx", {**A_EDITS, (VP, "T1-01", "once", PERCENT): 70})
    error = refused(data, [a, other])
    assert error.codes == ["duplicate_task"]
    assert "other.xlsx" in str(error) and "cũng được sửa ở a.xlsx" in str(error)


def test_a_change_that_conflicts_with_a_later_import_is_refused_with_the_three_values(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    workbook.import_workbooks([fill(sent, tmp_path / "a.xlsx", A_EDITS)], data)
    late = fill(sent, tmp_path / "late.xlsx", {**A_EDITS, (VP, "T1-01", "once", PERCENT): 70})
    error = refused(data, [late])
    assert error.codes == ["conflicting_update"]
    text = str(error)
    assert f"{VP}!J" in text and 'lúc xuất sổ là "60"' in text and 'dữ liệu hiện nay là "65"' in text
    assert 'sổ này ghi "70"' in text
    # The same value typed on both sides is no conflict, and nothing changes.
    again = fill(sent, tmp_path / "again.xlsx", A_EDITS)
    result = workbook.import_workbooks([again], data)
    assert result.unchanged == ["T1-01 once 2023-Q3"] and not result.changed


def test_a_version_2_workbook_is_refused_with_a_message_to_export_again(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    book = openpyxl.load_workbook(sent)
    book["_cchc"]["B2"] = "2"
    book.save(tmp_path / "v2.xlsx")
    error = refused(data, [tmp_path / "v2.xlsx"])
    assert error.codes == ["old_format"]
    assert (
        "phiên bản 2" in str(error) and "xuất lại sổ" in str(error) and "ghi đè cập nhật của đơn vị khác" in str(error)
    )


@pytest.mark.parametrize("edit", ["value", "row", "digest"])
def test_an_edited_hidden_sheet_is_refused(data, tmp_path, edit):
    book = openpyxl.load_workbook(export(data, tmp_path / "q3.xlsx"))
    meta = book["_cchc"]
    first = layout.META_HEADER_ROW + 1
    if edit == "row":
        meta[f"C{first}"] = "dòng năm"
    elif edit == "digest":
        meta.cell(first, len(layout.META_COLUMNS) + 1).value = None
    else:
        meta[f"A{first + 1}"], meta[f"D{first + 1}"], meta[f"E{first + 1}"] = (
            meta[f"A{first}"].value,
            meta[f"D{first}"].value,
            meta[f"E{first}"].value,
        )
    book.save(tmp_path / "bad.xlsx")
    error = refused(data, [tmp_path / "bad.xlsx"])
    assert set(error.codes) == {"bad_meta"} and "_cchc!" in str(error) and "xuất lại sổ" in str(error)


# --- item 19: rows are matched by their key -----------------------------------------------------------------


def _reverse_rows(path: Path, sheet_name: str, target: Path) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    rows = list(range(layout.FIRST_ROW, sheet.max_row + 1))
    values = [[sheet[f"{letter}{r}"].value for letter, _, _ in layout.COLUMNS] for r in rows]
    for r, row_values in zip(rows, reversed(values)):
        for (letter, _, _), value in zip(layout.COLUMNS, row_values):
            sheet[f"{letter}{r}"] = value
    book.save(target)
    return target


def test_sorting_rows_changes_nothing(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    before = digest(progress(data))
    sorted_copy = _reverse_rows(sent, VP, tmp_path / "sorted.xlsx")
    result = workbook.import_workbooks([sorted_copy], data)  # was one key_changed per row
    assert not result.added and not result.changed and digest(progress(data)) == before
    edited = _reverse_rows(fill(sent, tmp_path / "a.xlsx", A_EDITS), VP, tmp_path / "a_sorted.xlsx")
    assert workbook.import_workbooks([edited], data).changed == ["T1-01 once 2023-Q3"]
    assert A_LINE in lines(data)


def test_an_added_row_is_refused_plainly(data, tmp_path):
    book = openpyxl.load_workbook(export(data, tmp_path / "q3.xlsx"))
    sheet = book[VP]
    last = sheet.max_row + 1
    # T5-04 is Văn phòng Ban's own task (done in Q2, so not exported for Q3): it used to say "wrong_unit".
    for letter, value in (("A", "T5-04"), ("B", "once"), (STATUS, "Hoàn thành"), (UPDATED, dt.date(2023, 9, 1))):
        sheet[f"{letter}{last}"] = value
    book.save(tmp_path / "added.xlsx")
    error = refused(data, [tmp_path / "added.xlsx"])
    assert error.codes == ["added_row"]
    assert f"{VP}!A{last}" in str(error) and "dòng này được thêm vào sổ" in str(error)
    assert "không thêm nhiệm vụ" in str(error) and "chủ trì" not in str(error)


def test_a_row_copied_twice_on_a_sheet_is_a_duplicate(data, tmp_path):
    book = openpyxl.load_workbook(export(data, tmp_path / "q3.xlsx"))
    sheet = book[VP]
    source, last = row_of(sheet, "T1-01", "once"), sheet.max_row + 1
    for letter, _, _ in layout.COLUMNS:
        sheet[f"{letter}{last}"] = sheet[f"{letter}{source}"].value
    book.save(tmp_path / "twice.xlsx")
    error = refused(data, [tmp_path / "twice.xlsx"])
    assert error.codes == ["duplicate_task"] and f"đã có ở dòng {source}" in str(error)


def test_values_without_a_task_id_are_refused(data, tmp_path):
    book = openpyxl.load_workbook(export(data, tmp_path / "q3.xlsx"))
    sheet = book[TT]
    last = sheet.max_row + 2
    sheet[f"{NOTE}{last}"] = "Ghi chú thêm"
    book.save(tmp_path / "nokey.xlsx")
    error = refused(data, [tmp_path / "nokey.xlsx"])
    assert error.codes == ["missing_key"] and f"{TT}!A{last}" in str(error)


def test_a_task_of_another_unit_is_refused_with_its_unit(data, tmp_path):
    book = openpyxl.load_workbook(export(data, tmp_path / "q3.xlsx"))
    sheet = book[TT]
    last = sheet.max_row + 1
    for letter, value in (("A", "T1-01"), ("B", "once"), (NOTE, "x")):
        sheet[f"{letter}{last}"] = value
    book.save(tmp_path / "other_unit.xlsx")
    error = refused(data, [tmp_path / "other_unit.xlsx"])
    assert error.codes == ["wrong_unit"] and f"do {VP} chủ trì" in str(error)


# --- item 4: a round trip with no edits changes nothing -----------------------------------------------------


def _awkward_store(data: Path) -> None:
    """A Q3 row with a percent of three decimals and a multi-line note, the provenance left as it is."""
    path = progress(data)
    text = path.read_text(encoding="utf-8")
    old = "T1-01,once,2023-Q3,in_progress,60,,,2023-09-26,Văn phòng Ban,Đang triển khai theo kế hoạch,illustrative"
    new = 'T1-01,once,2023-Q3,in_progress,33.333,,,2023-09-26,Văn phòng Ban,"Dòng một\nDòng hai",illustrative'
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_round_trip_without_edits_changes_nothing(data, tmp_path, capsys):
    _awkward_store(data)
    sent = export(data, tmp_path / "q3.xlsx")
    before = progress(data).read_bytes()
    assert main(["workbook", "import", str(sent), "--data", str(data)]) == 0
    assert "0 thay đổi" in capsys.readouterr().out
    assert progress(data).read_bytes() == before  # 33.333, the two lines and "illustrative" kept byte for byte


def test_a_changed_row_keeps_the_cells_the_unit_did_not_change(data, tmp_path):
    _awkward_store(data)
    sent = export(data, tmp_path / "q3.xlsx")
    edited = fill(sent, tmp_path / "a.xlsx", {(VP, "T1-01", "once", WHO): "Nguyễn Văn A"})
    assert workbook.import_workbooks([edited], data).changed == ["T1-01 once 2023-Q3"]
    assert 'T1-01,once,2023-Q3,in_progress,33.333,,,2023-09-26,Nguyễn Văn A,"Dòng một\nDòng hai",official' in progress(
        data
    ).read_text(encoding="utf-8")
    typed = fill(sent, tmp_path / "b.xlsx", {(VP, "T1-01", "once", PERCENT): 12.345})
    workbook.import_workbooks([typed], data)  # a percent typed with three decimals keeps them
    assert "T1-01,once,2023-Q3,in_progress,12.345,,,2023-09-26,Nguyễn Văn A," in progress(data).read_text(
        encoding="utf-8"
    )


def test_a_multi_line_note_typed_in_the_workbook_stays_multi_line(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    edited = fill(sent, tmp_path / "a.xlsx", {(TT, "T2-01", "2023-Q3", NOTE): "Việc 1\nViệc 2"})
    workbook.import_workbooks([edited], data)
    assert '"Việc 1\nViệc 2",official' in progress(data).read_text(encoding="utf-8")


def test_a_text_longer_than_an_excel_cell_is_refused_at_export(tmp_path):
    ds = load_data(DATA)
    index = ds.progress.index[(ds.progress["task_id"] == "T1-01") & (ds.progress["period"] == "2023-Q3")][0]
    ds.progress.loc[index, "note"] = "Ghi chú rất dài. " * 2000  # 34 000 characters: Excel would cut it
    with pytest.raises(CchcParameterError) as caught:
        workbook.export_workbook(ds, "2023-Q3", tmp_path / "q3.xlsx")
    assert "34.000 ký tự" in str(caught.value) and "32.767" in str(caught.value) and f"{VP}!O" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# --- item 5: progress.csv keeps its dialect -----------------------------------------------------------------


def test_rewriting_progress_keeps_bom_semicolons_crlf_and_decimal_commas(data, tmp_path):
    with progress(data).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][4] = "20,5"  # T1-01 once 2023-Q1: a decimal comma
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)  # as Excel saves it in Vietnamese
    progress(data).write_bytes(buffer.getvalue().encode("utf-8-sig"))
    excel = buffer.getvalue().split("\r\n")[:-1]
    sent = export(data, tmp_path / "q3.xlsx")
    edited = fill(sent, tmp_path / "a.xlsx", {**A_EDITS, (VP, "T1-01", "once", PERCENT): 65.5, **B_EDITS})
    result = workbook.import_workbooks([edited], data)
    assert sorted(result.changed) == ["T1-01 once 2023-Q3", "T2-01 2023-Q3 2023-Q3"]
    raw = progress(data).read_bytes()
    assert (
        raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == len(excel) and b"\n" not in raw.replace(b"\r\n", b"")
    )
    after = raw.decode("utf-8-sig").split("\r\n")[:-1]
    assert (
        "T1-01;once;2023-Q3;in_progress;65,5;;;2023-09-28;Nguyễn Văn A;Đang triển khai theo kế hoạch;official" in after
    )
    changed = {i for i, line in enumerate(after) if line.startswith(("T1-01;once;2023-Q3", "T2-01;2023-Q3;2023-Q3"))}
    assert [line for i, line in enumerate(after) if i not in changed] == [
        line for i, line in enumerate(excel) if i not in changed
    ]  # every other row byte for byte
    assert load_data(data).progress.shape[0] == len(excel) - 1


# --- item 6: percent cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, number_format, expected",
    [(0.8, "0%", "80"), ("20%", None, "20"), ("20 %", None, "20"), (0.655, "0.0%", "65.5")],
)
def test_a_percent_cell_is_read_as_the_percent_shown(data, tmp_path, value, number_format, expected):
    key = (VP, "T1-01", "once", PERCENT)
    edits = {**A_EDITS, key: value}
    edited = fill(
        export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", edits, {key: number_format} if number_format else None
    )
    workbook.import_workbooks([edited], data)
    assert any(line.startswith(f"T1-01,once,2023-Q3,in_progress,{expected},") for line in lines(data))


def test_a_done_row_at_100_percent_formatted_as_percent_is_done(data, tmp_path):
    key = (VP, "T1-01", "once", PERCENT)
    edits = {
        **A_EDITS,
        key: 1,
        (VP, "T1-01", "once", STATUS): "Hoàn thành",
        (VP, "T1-01", "once", COMPLETED): dt.date(2023, 9, 25),
    }
    edited = fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", edits, {key: "0%"})
    workbook.import_workbooks([edited], data)  # was "1, phải là 100"
    assert any(line.startswith("T1-01,once,2023-Q3,done,100,2023-09-25,") for line in lines(data))


@pytest.mark.parametrize("value, code", [(90, "inconsistent_status"), ("nhiều", "not_a_number"), ("%", "not_a_number")])
def test_done_below_100_percent_and_a_percent_that_is_not_a_number_are_refused(data, tmp_path, value, code):
    edits = {**A_EDITS, (VP, "T1-01", "once", PERCENT): value}
    if code == "inconsistent_status":  # done needs 100 % when a percent is given
        edits[(VP, "T1-01", "once", STATUS)] = "Hoàn thành"
        edits[(VP, "T1-01", "once", COMPLETED)] = dt.date(2023, 9, 25)
    error = refused(data, [fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "bad.xlsx", edits)])
    assert error.codes == [code] and f"{VP}!J" in str(error)


def test_an_emptied_percent_is_stored_empty(data, tmp_path):
    edits = {**A_EDITS, (VP, "T1-01", "once", PERCENT): None}
    workbook.import_workbooks([fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", edits)], data)
    assert any(line.startswith("T1-01,once,2023-Q3,in_progress,,,,2023-09-28,") for line in lines(data))


# --- the late-update window -----------------------------------------------------------------------------------


def test_an_update_dated_within_the_late_window_is_accepted_and_after_it_refused(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    # The window is 31 days after the quarter: 15/10/2023 is a late update of Q3, 01/11/2023 is too late.
    late = fill(sent, tmp_path / "late.xlsx", {**A_EDITS, (VP, "T1-01", "once", UPDATED): dt.date(2023, 10, 15)})
    workbook.import_workbooks([late], data)
    assert any(line.startswith("T1-01,once,2023-Q3,in_progress,65,,,2023-10-15,") for line in lines(data))
    too_late = fill(
        sent, tmp_path / "too_late.xlsx", {**B_EDITS, (TT, "T2-01", "2023-Q3", UPDATED): dt.date(2023, 11, 1)}
    )
    error = refused(data, [too_late])
    assert error.codes == ["bad_date"] and "đến 31/10/2023" in str(error)


# --- item 12: a stray value far down the sheet ------------------------------------------------------------------


def test_a_value_at_j1048576_is_refused_before_the_rows_are_read(data, tmp_path):
    book = openpyxl.load_workbook(export(data, tmp_path / "q3.xlsx"))
    book[VP]["J1048576"] = 5
    book.save(tmp_path / "stray.xlsx")
    assert (tmp_path / "stray.xlsx").stat().st_size < 40_000
    started = time.monotonic()
    error = refused(data, [tmp_path / "stray.xlsx"])
    elapsed = time.monotonic() - started
    assert error.codes == ["too_large"]
    assert f"{VP}!J1048576" in str(error) and "Ctrl+End" in str(error)
    assert elapsed < 20  # it took 52 s and 2,5 GB; now about a second (docs/hardening.md)


def test_a_corrupt_workbook_is_refused(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(sent.read_bytes()[:3000])
    error = refused(data, [cut])
    assert error.codes == ["bad_xlsx"] and "không mở được tệp Excel" in str(error)


# --- item 3: one writer at a time -----------------------------------------------------------------------------


def _cli_import(data: Path, path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "cchc_analysis.cli", "workbook", "import", str(path), "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_imports_at_once_keep_both_sides(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    a = fill(sent, tmp_path / "a.xlsx", A_EDITS)
    b = fill(sent, tmp_path / "b.xlsx", B_EDITS)
    original = progress(data).read_bytes()
    for _ in range(3):
        progress(data).write_bytes(original)
        runs = [_cli_import(data, a), _cli_import(data, b)]
        outputs = [run.communicate(timeout=300) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        after = lines(data)
        assert A_LINE in after and B_LINE in after
        assert not list((data / "progress").glob(".*"))  # no lock, no temporary left


def test_imports_from_threads_are_serialised(data, tmp_path):
    sent = export(data, tmp_path / "q3.xlsx")
    copies = [fill(sent, tmp_path / "a.xlsx", A_EDITS), fill(sent, tmp_path / "b.xlsx", B_EDITS)]
    failures: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            workbook.import_workbooks([path], data)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=run, args=(path,)) for path in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures and A_LINE in lines(data) and B_LINE in lines(data)


def test_a_symlinked_store_lock_is_refused_and_its_target_untouched(data, tmp_path):
    important = tmp_path / "important.txt"
    important.write_text("quan trọng", encoding="utf-8")
    (data / "progress" / store.LOCK_NAME).symlink_to(important)
    edited = fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", A_EDITS)
    before = digest(progress(data))
    with pytest.raises(CchcParameterError) as caught:
        workbook.import_workbooks([edited], data)
    assert "là một liên kết (symlink)" in str(caught.value) and "cchc workbook import" in str(caught.value)
    assert important.read_text(encoding="utf-8") == "quan trọng" and digest(progress(data)) == before


# --- item 16: temporaries of a killed import ------------------------------------------------------------------


def test_a_killed_imports_temporaries_are_removed_by_the_next_import(data, tmp_path, capsys):
    folder = data / "progress"
    stale = [folder / ".progress.0123456789ab.tmp.csv", folder / ".progress.ba9876543210.tmp.csv"]
    for path in stale:
        path.write_text("task_id,occurrence\nT1-01,on", encoding="utf-8")  # cut short by kill -9
    others = [folder / ".tasks.0123456789ab.tmp.csv", folder / "ghi_chu.txt", folder / ".progress.xyz.tmp.csv"]
    for path in others:
        path.write_text("giữ nguyên", encoding="utf-8")
    edited = fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", A_EDITS)
    assert main(["workbook", "import", str(edited), "--data", str(data)]) == 0
    assert "Đã xoá 2 tệp tạm còn sót lại từ một lần nhập bị dừng giữa chừng." in capsys.readouterr().out
    assert not any(path.exists() for path in stale) and all(path.exists() for path in others)


def test_a_killed_import_leaves_the_store_whole_and_the_next_one_cleans_up(data, tmp_path):
    """kill -9 while an import holds the lock: the file is the old one or the new one, and the lock is free."""
    edited = fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", A_EDITS)
    before = progress(data).read_bytes()
    run = _cli_import(data, edited)
    deadline = time.monotonic() + 120
    while not (data / "progress" / store.LOCK_NAME).exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.01)
    run.kill()
    run.communicate(timeout=60)
    after = progress(data).read_bytes()
    assert after == before or A_LINE in lines(data)  # the old file or the new one, never half of one
    load_data(data)
    workbook.import_workbooks([edited], data)  # the lock of the killed process is free again
    assert A_LINE in lines(data)


# --- item 14: a read-only or full folder ------------------------------------------------------------------------


def _mount(args: list[str]) -> None:
    subprocess.run(["mount", *args], check=True)


@needs_mount
def test_export_to_a_read_only_folder_and_import_into_a_read_only_data_folder(data, tmp_path, capsys):
    edited = fill(export(data, tmp_path / "q3.xlsx"), tmp_path / "a.xlsx", A_EDITS)
    target = tmp_path / "readonly"
    target.mkdir()
    _mount(["--bind", str(data), str(target)])
    try:
        _mount(["-o", "remount,bind,ro", str(target)])
        before = digest(target / "progress" / "progress.csv")
        export_code = main(["workbook", "export", "2023-Q3", "--data", str(data), "--out", str(target / "q3.xlsx")])
        export_err = capsys.readouterr().err
        import_code = main(["workbook", "import", str(edited), "--data", str(target)])
        import_err = capsys.readouterr().err
        after = digest(target / "progress" / "progress.csv")
    finally:
        subprocess.run(["umount", str(target)], check=True)
    assert export_code != 0 and import_code != 0
    for err in (export_err, import_err):
        assert "Không ghi được vào" in err and "Read-only file system" in err and "Traceback" not in err
    assert "thư mục dữ liệu" in import_err
    assert before == after and not (data / "q3.xlsx").exists()


@needs_mount
def test_export_and_import_on_a_full_disk(tmp_path, capsys):
    target = tmp_path / "tiny"
    target.mkdir()
    _mount(["-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(target)])
    try:
        shutil.copytree(DATA, target / "data")
        sent = export(target / "data", tmp_path / "q3.xlsx")
        edited = fill(sent, tmp_path / "a.xlsx", A_EDITS)
        filler = target / "filler"
        filler.write_bytes(b"\0" * max(0, shutil.disk_usage(target).free - 8 * 1024))
        before = digest(target / "data" / "progress" / "progress.csv")
        export_code = main(
            ["workbook", "export", "2023-Q3", "--data", str(target / "data"), "--out", str(target / "q3.xlsx")]
        )
        export_err = capsys.readouterr().err
        import_code = main(["workbook", "import", str(edited), "--data", str(target / "data")])
        import_err = capsys.readouterr().err
        after = digest(target / "data" / "progress" / "progress.csv")
        left = sorted(p.name for p in target.rglob(".*"))
    finally:
        subprocess.run(["umount", str(target)], check=True)
    assert export_code != 0 and import_code != 0
    for err in (export_err, import_err):
        assert "Không ghi được vào" in err and "No space left on device" in err and "Traceback" not in err
    assert before == after and left == []
