"""The results workbook: export a year, fill it programmatically (illustrative 2023 figures derived from 2022's rows),
re-save it through LibreOffice, import it, validate, and render the 2023 score review and a 2024-Q1 briefing from
it; every bad cell refused with its sheet and cell, nothing written, the workbook untouched."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import DATA, ROOT, libreoffice_convert, needs_soffice

from cchc_analysis.cli import main
from cchc_analysis.domain import scoring
from cchc_analysis.errors import CchcDataError
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.workbook import results_layout as L
from cchc_analysis.workbook.results_export import export_results_workbook
from cchc_analysis.workbook.results_import import import_results_workbook

AGENCY_SHEET = "Điểm Ban Dân tộc tỉnh"
PUB = L.PUBLISHED_SHEET


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def illustrative_2023(ds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """2023 points of every agency derived from its 2022 rows: the same points on codes kept, full marks on the
    codes 2023 added, and Ban Dân tộc tỉnh regaining 7.2.1 and 1.2.2. Illustrative, and imported as such."""
    tree = ds.framework_for(2023)
    leaves = tree[~tree["code"].isin(tree["parent_code"])]
    old = ds.scores[ds.scores["year"] == 2022].set_index(["agency_id", "code"])
    rows = []
    for agency in ds.agencies["agency_id"]:
        for leaf in leaves.itertuples():
            if (agency, leaf.code) in old.index:
                was = old.loc[(agency, leaf.code)]
                na, self_points, appraised = bool(was["not_applicable"]), was["self_points"], was["appraised_points"]
            else:
                na, self_points, appraised = False, leaf.max_points, leaf.max_points
            if agency == "ban-dan-toc" and leaf.code in ("7.2.1", "1.2.2"):
                self_points = appraised = leaf.max_points
            rows.append((agency, leaf.code, self_points, appraised, na, leaf.max_points))
    scores = pd.DataFrame(rows, columns=["agency_id", "code", "self", "appraised", "na", "max"])
    scores["field"] = scores["code"].str.split(".").str[0]
    scores["own_max"] = scores["max"].where(~scores["na"], 0.0)
    fields = scores.groupby(["agency_id", "field"], as_index=False).agg(
        points=("appraised", lambda s: s.fillna(0).sum()), own_max=("own_max", "sum")
    )
    fields["rank"] = fields.groupby("field")["points"].transform(lambda _: 0)
    for _, group in fields.groupby("field"):
        fields.loc[group.index, "rank"] = scoring.competition_rank(group["points"] / group["own_max"]).to_numpy()
    survey_2022 = ds.survey[ds.survey["year"] == 2022].set_index("agency_id")
    totals = fields.groupby("agency_id").agg(appraisal=("points", "sum"), own_max=("own_max", "sum"))
    totals["survey"] = (survey_2022["survey_points"] / survey_2022["survey_max"] * 33).round(2)
    totals["total"] = totals["appraisal"] + totals["survey"]
    totals["index"] = (totals["total"] / (totals["own_max"] + 33) * 100).round(2)
    totals["rank"] = scoring.competition_rank(totals["index"])
    return scores, fields.merge(totals.reset_index(), on="agency_id", suffixes=("", "_total"))


def fill_2023(source: Path, target: Path, ds) -> Path:
    """Type the illustrative 2023 figures into an exported workbook, as an officer would."""
    scores, published = illustrative_2023(ds)
    book = openpyxl.load_workbook(source)
    meta = book[L.META_SHEET]
    sheets = {}
    for row in range(1, meta.max_row + 1):
        if meta.cell(row, 1).value == "sheet":
            sheets = {meta.cell(r, 2).value: meta.cell(r, 1).value for r in range(row + 1, meta.max_row + 1)}
    for agency, name in sheets.items():
        sheet = book[name]
        rows = {sheet[f"A{r}"].value: r for r in range(L.FIRST_ROW, sheet.max_row + 1)}
        for record in scores[scores["agency_id"] == agency].itertuples():
            row = rows[record.code]
            sheet[f"D{row}"] = None if record.na else float(record.self)
            sheet[f"E{row}"] = None if record.na else float(record.appraised)
            sheet[f"F{row}"] = "Có" if record.na else "Không"
    sheet = book[PUB]
    sheet[L.SOURCE_CELL] = "Số liệu minh hoạ năm 2023 (kiểm thử), suy ra từ năm 2022"
    sheet[L.PROVENANCE_CELL] = "Minh hoạ"
    columns = L.field_columns([str(f) for f in range(1, 8)])
    rows = {sheet[f"A{r}"].value: r for r in range(L.PUBLISHED_FIRST_ROW, sheet.max_row + 1)}
    for agency, group in published.groupby("agency_id"):
        row, first = rows[agency], group.iloc[0]
        sheet[f"C{row}"], sheet[f"D{row}"] = float(first["appraisal"]), float(first["survey"])
        sheet[f"E{row}"], sheet[f"F{row}"] = round(float(first["total"]), 2), float(first["index"])
        sheet[f"G{row}"] = int(first["rank_total"])
        for record in group.itertuples():
            points, rank = columns[record.field]
            sheet[f"{points}{row}"], sheet[f"{rank}{row}"] = float(record.points), int(record.rank)
    book.save(target)
    return target


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A data folder, its 2023 results workbook (every agency) and that workbook filled; shared by tests that
    never write (refusals and export checks)."""
    folder = tmp_path_factory.mktemp("results")
    shutil.copytree(DATA, folder / "data")
    ds = load_data(folder / "data")
    blank = export_results_workbook(ds, 2023, folder / "ket_qua_2023.xlsx")
    return folder / "data", blank, fill_2023(blank, folder / "filled_2023.xlsx", ds)


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def refused(data: Path, workbook: Path, **kwargs) -> CchcDataError:
    before, hashed = snapshot(data), hashlib.sha256(workbook.read_bytes()).hexdigest()
    with pytest.raises(CchcDataError) as caught:
        import_results_workbook(workbook, data, **kwargs)
    assert snapshot(data) == before
    assert hashlib.sha256(workbook.read_bytes()).hexdigest() == hashed
    return caught.value


def edited(source: Path, target: Path, edits: dict[tuple[str, str], object]) -> Path:
    book = openpyxl.load_workbook(source)
    for (sheet, cell), value in edits.items():
        book[sheet][cell] = value
    book.save(target)
    return target


def cell_of(workbook: Path, sheet: str, key: str, column: str, first: int = L.FIRST_ROW) -> str:
    book = openpyxl.load_workbook(workbook, read_only=True)
    rows = book[sheet].iter_rows(min_row=first, max_col=1, values_only=True)
    return f"{column}{next(first + i for i, (value,) in enumerate(rows) if value == key)}"


# --- export -----------------------------------------------------------------------------------------------


def test_export_has_the_published_sheet_the_tree_and_a_protected_criteria_sheet_per_agency(exported):
    book = openpyxl.load_workbook(exported[1])
    assert book.sheetnames[:4] == ["_cchc", PUB, L.FRAMEWORK_SHEET, AGENCY_SHEET]
    assert len(book.sheetnames) == 3 + 20 and book["_cchc"].sheet_state == "hidden"
    sheet = book[AGENCY_SHEET]
    assert [c.value for c in sheet[L.HEADER_ROW]][:7] == list(L.SCORE_HEADERS.values())
    assert sheet.protection.sheet and book[L.FRAMEWORK_SHEET].protection.sheet and book[PUB].protection.sheet
    leaf = int(cell_of(exported[1], AGENCY_SHEET, "7.2.1", "A")[1:])
    parent = int(cell_of(exported[1], AGENCY_SHEET, "7.2", "A")[1:])
    assert [sheet[f"C{leaf}"].value, sheet[f"C{parent}"].value] == [1.5, 4]
    assert sheet[f"A{leaf}"].protection.locked and sheet[f"C{leaf}"].protection.locked
    assert all(not sheet[f"{c}{leaf}"].protection.locked for c in "DEFG")
    assert sheet[f"F{parent}"].protection.locked and not sheet[f"E{parent}"].protection.locked  # optional subtotal
    dropdown = next(v for v in sheet.data_validations.dataValidation if v.type == "list")
    assert dropdown.formula1 == '"Có,Không"' and f"F{leaf}" in dropdown.sqref
    published = book[PUB]
    assert [c.value for c in published[L.PUBLISHED_HEADER_ROW]][:9] == [
        *L.PUBLISHED_HEADERS.values(),
        "Điểm LV1",
        "Hạng LV1",
    ]
    assert [published[f"A{L.PUBLISHED_FIRST_ROW + i}"].value for i in (0, 19)] == ["ban-dan-toc", "co-quan-19"]
    kinds = next(v for v in published.data_validations.dataValidation if v.type == "list")
    assert kinds.formula1 == '"Chính thức,Minh hoạ,Suy ra từ số liệu chính thức"' and "B4" in kinds.sqref
    assert published["B4"].value is None  # the kind of figures is chosen by whoever types them
    assert not published["F8"].protection.locked and published["A8"].protection.locked


def test_export_of_a_year_without_a_tree_gives_the_previous_one_to_edit(exported, tmp_path):
    ds = load_data(exported[0])
    path = export_results_workbook(ds, 2024, tmp_path / "r2024.xlsx", agency="ban dan toc tinh")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["_cchc", PUB, L.FRAMEWORK_SHEET, AGENCY_SHEET]
    tree = book[L.FRAMEWORK_SHEET]
    assert "bộ tiêu chí năm 2023 làm mẫu" in tree["A3"].value
    assert not tree["A5"].protection.locked and not tree["C5"].protection.locked
    last = L.FIRST_ROW + len(ds.framework_for(2023)) + L.SPARE_ROWS - 1
    assert not tree[f"A{last}"].protection.locked and tree[f"A{last}"].value is None
    assert not book[AGENCY_SHEET]["A5"].protection.locked


# --- the real round trip --------------------------------------------------------------------------------------


@needs_soffice
def test_a_2023_workbook_resaved_by_libreoffice_imports_validates_and_renders(exported, data, tmp_path, capsys):
    filled = exported[2]
    out = tmp_path / "libreoffice"
    completed = libreoffice_convert([filled], "xlsx", out, tmp_path / "lo-profile", timeout=240)
    resaved = out / filled.name
    assert completed.returncode == 0 and resaved.exists(), completed.stderr
    assert resaved.read_bytes() != filled.read_bytes()
    before = {
        name: (data / name).read_text(encoding="utf-8") for name in ("results/scores.csv", "results/published.csv")
    }

    assert main(["workbook", "results-import", str(resaved), "--data", str(data)]) == 0
    assert "Đã nhập kết quả năm 2023 (số liệu minh hoạ)" in capsys.readouterr().out
    for name, text in before.items():  # other years' rows kept byte for byte, the year appended
        assert (data / name).read_text(encoding="utf-8").startswith(text)
    assert main(["validate", str(data)]) == 0

    ds = load_data(data)
    assert ds.result_years == [2021, 2022, 2023]
    _, published = illustrative_2023(ds)
    mine = scoring.agency_summary(ds, "ban-dan-toc", 2023)
    expected = published[published["agency_id"] == "ban-dan-toc"].iloc[0]
    assert (round(mine["index"], 2), int(mine["rank"]), int(mine["n_ranked"])) == (
        expected["index"],
        expected["rank_total"],
        20,
    )
    assert set(ds.scores.loc[ds.scores["year"] == 2023, "provenance"]) == {"illustrative"}
    assert scoring.reconcile(ds, 2023)["matches"].all()

    from cchc_analysis import fmt, render

    review = tmp_path / "01_score_review_2023.ipynb"
    render.execute_notebook(
        ROOT / "notebooks" / "01_score_review.ipynb",
        review,
        {"agency": "ban-dan-toc", "year": 2023, "data_dir": str(data)},
        timeout=300,
    )
    text = _outputs(review)
    headline = f"Năm 2023, Chỉ số CCHC của Ban Dân tộc tỉnh Quảng Ngãi đạt {fmt.points(expected['index'], 100)} điểm"
    plain = re.sub(r"[*†]", "", text)  # the imported figures are illustrative: each carries its marker
    assert headline in plain and f"xếp vị thứ {expected['rank_total']}/20" in plain
    assert re.search(re.escape(fmt.points(expected["index"], 100)) + r"\*", text)
    assert "minh hoạ" in text.lower()
    briefing = tmp_path / "03_briefing_2024Q1.ipynb"
    render.execute_notebook(
        ROOT / "notebooks" / "03_briefing.ipynb",
        briefing,
        {"period": "2024-Q1", "agency": "ban-dan-toc", "data_dir": str(data)},
        timeout=300,
    )
    text = _outputs(briefing)
    assert f"{fmt.points(expected['index'], 100)}" in text and "Chỉ số CCHC 2023" in text


def _outputs(path: Path) -> str:
    import re

    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", output
            data = output.get("data", {})
            parts.append("".join(data.get("text/html", data.get("text/plain", ""))) + "".join(output.get("text", "")))
    return re.sub(r"<[^>]+>", "", "\n".join(parts))


def test_a_year_already_present_is_refused_and_replace_changes_only_that_year(exported, data, tmp_path):
    ds = load_data(data)
    blank = export_results_workbook(ds, 2022, tmp_path / "r2022.xlsx")  # filled with the data's own 2022 figures
    workbook = edited(blank, tmp_path / "f2022.xlsx", {(PUB, "B4"): "Minh hoạ"})
    error = refused(data, workbook)
    assert error.codes == ["year_present"] and f"ô {PUB}!B2" in str(error)
    scores_before = (data / "results/scores.csv").read_text(encoding="utf-8").splitlines()
    result = import_results_workbook(workbook, data, replace=True)
    assert result.year == 2022 and not result.framework_written
    after = load_data(data)
    old = ds.scores[ds.scores["year"] == 2022].drop(columns=["_file", "_row", "provenance"]).reset_index(drop=True)
    new = after.scores[after.scores["year"] == 2022].drop(columns=["_file", "_row", "provenance"])
    pd.testing.assert_frame_equal(old, new.reset_index(drop=True))
    lines = (data / "results/scores.csv").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if ",2021," in line] == [line for line in scores_before if ",2021," in line]


def test_a_new_tree_is_written_with_the_year(exported, data, tmp_path):
    """2024 has no framework: the 2023 tree is edited (7.5.1 renamed) and imported with every agency's points."""
    ds = load_data(data)
    blank = export_results_workbook(ds, 2024, tmp_path / "r2024.xlsx")
    book = openpyxl.load_workbook(blank)
    row = int(cell_of(blank, L.FRAMEWORK_SHEET, "7.5.1", "A")[1:])
    book[L.FRAMEWORK_SHEET][f"B{row}"] = "Chỉ số chuyển đổi số (DTI) của cơ quan"
    book.save(tmp_path / "tree.xlsx")
    ds23 = load_data(data)
    # 2023's points, typed for 2024: fill the 2023 figures into the 2024 workbook (same tree, same maxima)
    filled = fill_2023(tmp_path / "tree.xlsx", tmp_path / "f2024.xlsx", ds23)
    result = import_results_workbook(filled, data)
    assert result.framework_written and (data / "framework/2024.csv").exists()
    after = load_data(data)
    assert after.years[-1] == 2024 and after.result_years[-1] == 2024
    names = after.framework_for(2024).set_index("code")["name"]
    assert names["7.5.1"] == "Chỉ số chuyển đổi số (DTI) của cơ quan"
    assert set(after.framework_for(2024)["provenance"]) == {"illustrative"}


# --- refusals: every bad cell named by sheet and cell, nothing written --------------------------------------


def only(error: CchcDataError, code: str, where: str) -> None:
    assert error.codes == [code], str(error)
    assert where in str(error.problems[0]), str(error)


@pytest.mark.parametrize(
    "key, column, value, code, at",
    [
        ("7.2.1", "E", 1.75, "above_maximum", "E"),  # above the sub-criterion's 1,5
        ("7.2.1", "E", "nhiều", "not_a_number", "E"),
        ("7.2.1", "E", "=1+0.5", "formula", "E"),
        ("7.2.1", "E", None, "missing_value", "E"),  # an applicable leaf without appraised points
        ("7.2.1", "F", "Có", "points_on_not_applicable", "D"),  # not applicable, yet points typed
        ("7.2.1", "F", "có lẽ", "not_a_boolean", "F"),
        ("7.2.1", "A", "7.2.9", "key_changed", "A"),
        ("7.2", "E", 3.5, "points_mismatch", "E"),  # a subtotal that is not its children's sum (3)
    ],
)
def test_a_bad_criteria_cell_is_refused_with_its_sheet_and_cell(exported, tmp_path, key, column, value, code, at):
    data, _, filled = exported
    cell = cell_of(filled, AGENCY_SHEET, key, column)
    error = refused(data, edited(filled, tmp_path / "bad.xlsx", {(AGENCY_SHEET, cell): value}))
    mine = [p for p in error.problems if p.sheet == AGENCY_SHEET]
    # The cell's own problem first; what follows from it elsewhere (the published sheet's sums and ranks, the
    # leaf left without points) is reported too, never instead.
    assert mine and mine[0].code == code and mine[0].cell == f"{at}{cell[1:]}", str(error)
    assert f"ô {AGENCY_SHEET}!{at}{cell[1:]}" in str(error)


def test_a_wrong_published_figure_is_refused_with_its_cell(exported, tmp_path):
    data, _, filled = exported
    row = int(cell_of(filled, PUB, "co-quan-05", "A", L.PUBLISHED_FIRST_ROW)[1:])
    book = openpyxl.load_workbook(filled)
    sheet = book[PUB]
    points, rank = L.field_columns([str(f) for f in range(1, 8)])["3"]
    cases = {
        f"E{row}": (sheet[f"E{row}"].value + 1, "points_mismatch"),  # total ≠ appraisal + survey
        f"C{row}": (sheet[f"C{row}"].value + 1, "points_mismatch"),  # appraisal ≠ Σ fields
        f"D{row}": (40.0, "above_maximum"),  # survey above 100 − 67
        f"G{row}": (sheet[f"G{row}"].value % 20 + 1, "rank_mismatch"),  # rank not the points' competition rank
        f"{rank}{row}": (25, "rank_out_of_range"),
    }
    for address, (value, code) in cases.items():
        book = openpyxl.load_workbook(filled)
        book[PUB][address] = value
        book.save(tmp_path / "bad.xlsx")
        error = refused(data, tmp_path / "bad.xlsx")
        assert code in error.codes and any(f"ô {PUB}!{address}" in str(p) for p in error.problems), (address, error)


def test_published_points_that_the_criteria_points_do_not_give_are_refused(exported, tmp_path):
    """The published row adds up and its ranks follow its points, but co-quan-07's criteria sheet gives less."""
    data, _, filled = exported
    sheet_name = "Điểm Cơ quan 07"
    book = openpyxl.load_workbook(filled)
    sheet = book[sheet_name]
    row = next(
        r
        for r in range(L.FIRST_ROW, sheet.max_row + 1)
        if str(sheet[f"A{r}"].value).startswith("2.")
        and isinstance(sheet[f"E{r}"].value, float)
        and sheet[f"E{r}"].value >= 0.25
        and sheet[f"A{r}"].value.count(".") >= 2
    )
    sheet[f"E{row}"] = sheet[f"E{row}"].value - 0.25
    book.save(tmp_path / "bad.xlsx")
    error = refused(data, tmp_path / "bad.xlsx")
    published_row = int(cell_of(filled, PUB, "co-quan-07", "A", L.PUBLISHED_FIRST_ROW)[1:])
    points, _ = L.field_columns([str(f) for f in range(1, 8)])["2"]
    assert "published_mismatch" in error.codes, str(error)
    assert f"ô {PUB}!{points}{published_row}" in str(error) and f"ô {PUB}!F{published_row}" in str(error)


def test_every_agency_must_be_published_and_scored(exported, tmp_path):
    data, _, filled = exported
    row = int(cell_of(filled, PUB, "co-quan-19", "A", L.PUBLISHED_FIRST_ROW)[1:])
    book = openpyxl.load_workbook(filled)
    for column in range(1, 30):
        book[PUB].cell(row, column).value = None
    book.save(tmp_path / "bad.xlsx")
    error = refused(data, tmp_path / "bad.xlsx")
    assert "missing_agency" in error.codes and f"ô {PUB}!A8:A27" in str(error), str(error)
    one = export_results_workbook(load_data(data), 2023, tmp_path / "one.xlsx", agency="ban-dan-toc")
    book = openpyxl.load_workbook(one)
    book[PUB]["B4"] = "Minh hoạ"
    book.save(tmp_path / "one_filled.xlsx")
    error = refused(data, tmp_path / "one_filled.xlsx")
    assert "missing_agency_scores" in error.codes and f"ô {PUB}!A9" in str(error)  # co-quan-01 has no sheet


def test_the_kind_of_figures_and_the_source_must_be_given(exported, tmp_path):
    data, _, filled = exported
    error = refused(data, edited(filled, tmp_path / "bad.xlsx", {(PUB, "B4"): None, (PUB, "B3"): None}))
    assert error.codes == ["missing_value", "missing_value"], str(error)
    assert f"ô {PUB}!B4" in str(error) and f"ô {PUB}!B3" in str(error)
    error = refused(data, edited(filled, tmp_path / "bad2.xlsx", {(PUB, "B4"): "Chắc đúng"}))
    only(error, "bad_value", f"ô {PUB}!B4")


def test_a_progress_workbook_or_a_missing_sheet_is_refused(exported, tmp_path):
    data, _, filled = exported
    book = openpyxl.load_workbook(filled)
    del book[AGENCY_SHEET]
    book.save(tmp_path / "bad.xlsx")
    error = refused(data, tmp_path / "bad.xlsx")
    assert "missing_sheet" in error.codes and AGENCY_SHEET in str(error)
    book = openpyxl.load_workbook(filled)
    del book[L.META_SHEET]
    book.save(tmp_path / "bad2.xlsx")
    only(refused(data, tmp_path / "bad2.xlsx"), "not_a_cchc_workbook", PUB)


def test_an_edited_new_tree_that_does_not_add_up_is_refused(exported, tmp_path):
    data = exported[0]
    blank = export_results_workbook(load_data(data), 2024, tmp_path / "r2024.xlsx", agency="ban-dan-toc")
    row = cell_of(blank, L.FRAMEWORK_SHEET, "7.5.1", "C")
    error = refused(data, edited(blank, tmp_path / "bad.xlsx", {(L.FRAMEWORK_SHEET, row): 1.0}))
    parent = cell_of(blank, L.FRAMEWORK_SHEET, "7.5", "C")
    assert "sum_mismatch" in error.codes and f"ô {L.FRAMEWORK_SHEET}!{parent}" in str(error), str(error)


# --- the shared pieces: the published-rank check and the all-or-nothing write ------------------------------


def test_published_ranks_follow_the_published_points_with_ties_sharing_a_rank(dataset):
    from cchc_analysis.ingest.checks import check_published_ranks

    assert check_published_ranks(dataset.published) == []
    published = dataset.published.copy()
    row = published.index[(published["agency_id"] == "ban-dan-toc") & (published["year"] == 2022)][0]
    published.loc[row, "rank"] = 12  # the seed's 82,91 is 13th
    problems = check_published_ranks(published)
    assert [(p.code, p.column, p.value) for p in problems] == [("rank_mismatch", "rank", "12")]
    assert "phải là 13/20" in problems[0].expected
    field4 = published[(published["year"] == 2022) & (published["scope"] == "4")]
    assert (field4.loc[field4["points"] == 8, "rank"] == 1).all()  # every full mark ranks first, together


def test_several_files_are_written_all_or_none(tmp_path, monkeypatch):
    import os as os_module

    from cchc_analysis import files

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a\n", encoding="utf-8")
    real, calls = os_module.replace, []

    def failing(source, target):
        calls.append(target)
        if Path(target) == second:
            raise OSError("disk full")
        return real(source, target)

    monkeypatch.setattr(files.os, "replace", failing)
    with pytest.raises(OSError):
        files.write_texts_together({first: "new a\n", second: "new b\n"})
    monkeypatch.setattr(files.os, "replace", real)
    assert first.read_text(encoding="utf-8") == "old a\n" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # no temporary or backup left
    files.write_texts_together({first: "new a\n", second: "new b\n"})
    assert [first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")] == ["new a\n", "new b\n"]
