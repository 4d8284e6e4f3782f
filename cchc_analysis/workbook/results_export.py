"""Export one year's results workbook (layout: :mod:`.results_layout`): the published table of every agency, the
year's criteria tree (or the previous year's, editable, as a starting point) and one criteria sheet per agency
exported. Cells are filled with the data folder's figures of that year when it has them (to correct a year, then
import with ``--replace``); the kind of figures (``B4`` of the published sheet) is always left for the person who
types them to choose. Text that comes from data is written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from cchc_analysis.errors import CchcParameterError
from cchc_analysis.files import atomic_path
from cchc_analysis.ingest.contracts import code_key
from cchc_analysis.ingest.dataset import Dataset
from cchc_analysis.workbook import results_layout as L
from cchc_analysis.workbook.cells import set_text

__all__ = ["export_results_workbook"]


def _tree(ds: Dataset, year: int) -> tuple[pd.DataFrame, str, int]:
    """The tree to show, its mode and the year it comes from."""
    if year in ds.years:
        return ds.framework_for(year), L.LOCKED, year
    earlier = [y for y in ds.years if y < year]
    if not earlier:
        raise CchcParameterError(
            f"Không có bộ tiêu chí của năm {year} hay của năm nào trước đó để làm mẫu; "
            f"các năm có bộ tiêu chí: {', '.join(map(str, ds.years))}"
        )
    return ds.framework_for(max(earlier)), L.NEW, max(earlier)


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {
        "bold": Font(bold=True),
        "title": Font(bold=True, size=13),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "input": PatternFill("solid", fgColor="FFF4CC"),
        "subtotal": PatternFill("solid", fgColor="F2F2F2"),
        "open": Protection(locked=False),
    }


def _number(cell, value: Any) -> None:
    if value is not None and not pd.isna(value):
        cell.value = float(value)


def _protect(sheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _published_sheet(book, ds: Dataset, year: int, fields: list[str], agencies: list[str], style) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(L.PUBLISHED_SHEET)
    sheet["A1"] = f"Kết quả Chỉ số cải cách hành chính năm {year} (như quyết định công bố)"
    sheet["A1"].font = style["title"]
    sheet["A2"], sheet[L.YEAR_CELL] = "Năm", year
    sheet["A3"] = "Văn bản công bố"
    sheet["A4"] = "Loại số liệu"
    sheet["C3"] = "Số, ngày và cơ quan ban hành quyết định công bố kết quả (bắt buộc)"
    sheet["C4"] = (
        "Chính thức: gõ từ quyết định công bố; Minh hoạ: số liệu giả định để thử; mọi dòng nhập từ sổ này mang nguồn đó"
    )
    sheet["A5"] = (
        "Chỉ nhập các ô nền vàng. Tổng điểm = điểm thẩm định + điểm điều tra XHH; Chỉ số CCHC = tổng điểm trên điểm "
        "tối đa của cơ quan (thang 100); xếp hạng cạnh tranh: đồng điểm đồng hạng (1, 1, 3, …)."
    )
    published = ds.published[ds.published["year"] == year].set_index(["agency_id", "scope"])
    survey = ds.survey[ds.survey["year"] == year].set_index("agency_id")
    if not published.empty:
        set_text(
            sheet[L.SOURCE_CELL], str(published["source"].dropna().iloc[0]) if published["source"].notna().any() else ""
        )
    provenance = DataValidation(
        type="list", formula1='"' + ",".join(L.PROVENANCE_CHOICES.values()) + '"', allow_blank=False
    )
    points = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    ranks = DataValidation(
        type="whole", operator="between", formula1="1", formula2=str(len(agencies)), allow_blank=True
    )
    for validation in (provenance, points, ranks):
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    provenance.add(L.PROVENANCE_CELL)
    for address in (L.SOURCE_CELL, L.PROVENANCE_CELL):
        sheet[address].protection, sheet[address].fill = style["open"], style["input"]
    columns = L.field_columns(fields)
    names = ds.framework_for(year if year in ds.years else max(y for y in ds.years if y < year)).set_index("code")[
        "name"
    ]
    headers = dict(L.PUBLISHED_HEADERS)
    for code, (points_letter, rank_letter) in columns.items():
        sheet[f"{points_letter}6"] = f"Lĩnh vực {code}: {names.get(code, '')}"
        sheet[f"{points_letter}6"].alignment = style["wrap"]
        sheet.merge_cells(f"{points_letter}6:{rank_letter}6")
        headers[points_letter], headers[rank_letter] = f"Điểm LV{code}", f"Hạng LV{code}"
    for column, header in headers.items():
        cell = sheet[f"{column}{L.PUBLISHED_HEADER_ROW}"]
        cell.value, cell.font, cell.alignment = header, style["bold"], style["wrap"]
        sheet.column_dimensions[column].width = 11
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 14, 30
    full_names = ds.agencies.set_index("agency_id")["name"]
    for offset, agency_id in enumerate(agencies):
        row = L.PUBLISHED_FIRST_ROW + offset
        set_text(sheet[f"A{row}"], agency_id)
        set_text(sheet[f"B{row}"], full_names[agency_id])
        inputs = ["C", "D", "E", "F", "G"] + [c for pair in columns.values() for c in pair]
        for column in inputs:
            sheet[f"{column}{row}"].protection, sheet[f"{column}{row}"].fill = style["open"], style["input"]
            (ranks if column == "G" or column in {r for _, r in columns.values()} else points).add(f"{column}{row}")
        if (agency_id, "total") in published.index:
            total = published.loc[(agency_id, "total")]
            _number(sheet[f"F{row}"], total["points"])
            _number(sheet[f"G{row}"], total["rank"])
            appraisal = sum(
                float(published.loc[(agency_id, code), "points"])
                for code in fields
                if (agency_id, code) in published.index
            )
            sheet[f"C{row}"] = round(appraisal, 4)
            if agency_id in survey.index:
                _number(sheet[f"D{row}"], survey.at[agency_id, "survey_points"])
                sheet[f"E{row}"] = round(appraisal + float(survey.at[agency_id, "survey_points"]), 4)
        for code, (points_letter, rank_letter) in columns.items():
            if (agency_id, code) in published.index:
                _number(sheet[f"{points_letter}{row}"], published.loc[(agency_id, code), "points"])
                _number(sheet[f"{rank_letter}{row}"], published.loc[(agency_id, code), "rank"])
    sheet.freeze_panes = f"C{L.PUBLISHED_FIRST_ROW}"
    _protect(sheet)


def _framework_sheet(book, tree: pd.DataFrame, year: int, mode: str, base_year: int, style) -> None:
    sheet = book.create_sheet(L.FRAMEWORK_SHEET)
    sheet["A1"] = f"Bộ tiêu chí đánh giá Chỉ số CCHC năm {year}"
    sheet["A1"].font = style["title"]
    sheet["A2"], sheet[L.YEAR_CELL] = "Năm", year
    if mode == L.NEW:
        sheet["A3"] = (
            f"Năm {year} chưa có bộ tiêu chí: đây là bộ tiêu chí năm {base_year} làm mẫu. Sửa mã, tên, điểm tối đa "
            "theo quyết định năm nay; thêm tiêu chí ở các dòng trống cuối bảng; bỏ một tiêu chí bằng cách xoá cả dòng "
            "(mã, tên, điểm). Điểm tối đa của tiêu chí cha phải bằng tổng các tiêu chí con. Sửa tương ứng cột Mã tiêu "
            "chí ở các trang điểm."
        )
    else:
        sheet["A3"] = f"Bộ tiêu chí năm {year} trong dữ liệu (chỉ để xem; không sửa)."
    for column, header in L.FRAMEWORK_HEADERS.items():
        cell = sheet[f"{column}{L.HEADER_ROW}"]
        cell.value, cell.font = header, style["bold"]
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width, sheet.column_dimensions["C"].width = (
        12,
        80,
        12,
    )
    rows = list(tree.itertuples(index=False))
    for offset in range(len(rows) + (L.SPARE_ROWS if mode == L.NEW else 0)):
        row = L.FIRST_ROW + offset
        if offset < len(rows):
            node = rows[offset]
            set_text(sheet[f"A{row}"], node.code)
            set_text(sheet[f"B{row}"], node.name)
            sheet[f"C{row}"] = float(node.max_points)
            if node.level in ("field", "criterion"):
                for column in "ABC":
                    sheet[f"{column}{row}"].font = style["bold"]
        if mode == L.NEW:
            for column in "ABC":
                sheet[f"{column}{row}"].protection, sheet[f"{column}{row}"].fill = style["open"], style["input"]
    _protect(sheet)


def _score_sheet(book, ds: Dataset, tree: pd.DataFrame, year: int, mode: str, agency_id: str, name: str, style) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(name)
    sheet["A1"] = f"Điểm theo tiêu chí năm {year} (phụ lục kết quả thẩm định)"
    sheet["A1"].font = style["title"]
    sheet["A2"], sheet[L.YEAR_CELL] = "Năm", year
    sheet["A3"] = "Cơ quan"
    set_text(sheet["B3"], ds.agency_name(agency_id))
    sheet["D2"] = (
        "Nhập điểm ở các dòng tiêu chí lá (nền vàng); dòng tiêu chí cha (nền xám) có thể bỏ trống hoặc ghi tổng điểm "
        "của các tiêu chí con để đối chiếu. Tiêu chí không áp dụng: chọn Có và để trống điểm."
    )
    for column, header in L.SCORE_HEADERS.items():
        cell = sheet[f"{column}{L.HEADER_ROW}"]
        cell.value, cell.font, cell.alignment = header, style["bold"], style["wrap"]
    for column, width in zip("ABCDEFG", (12, 70, 10, 12, 12, 12, 30)):
        sheet.column_dimensions[column].width = width
    not_applicable = DataValidation(
        type="list", formula1='"' + ",".join(L.NOT_APPLICABLE_CHOICES) + '"', allow_blank=True
    )
    points = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    for validation in (not_applicable, points):
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    scores = ds.scores[(ds.scores["year"] == year) & (ds.scores["agency_id"] == agency_id)].set_index("code")
    parents = set(tree["parent_code"].dropna())
    rows = list(tree.itertuples(index=False))
    for offset in range(len(rows) + (L.SPARE_ROWS if mode == L.NEW else 0)):
        row = L.FIRST_ROW + offset
        inputs = ["D", "E", "G"] + (["A", "F"] if mode == L.NEW else [])
        if offset < len(rows):
            node = rows[offset]
            leaf = node.code not in parents
            set_text(sheet[f"A{row}"], node.code)
            set_text(sheet[f"B{row}"], node.name)
            sheet[f"B{row}"].alignment = Alignment(indent=node.code.count("."), wrap_text=True, vertical="top")
            sheet[f"C{row}"] = float(node.max_points)
            if leaf:
                inputs.append("F")
                if node.code in scores.index:
                    _number(sheet[f"D{row}"], scores.at[node.code, "self_points"])
                    _number(sheet[f"E{row}"], scores.at[node.code, "appraised_points"])
                    if scores.at[node.code, "not_applicable"]:
                        sheet[f"F{row}"] = L.NOT_APPLICABLE_CHOICES[0]
            else:
                for column in "ABC":
                    sheet[f"{column}{row}"].font = style["bold"]
        for column in dict.fromkeys(inputs):
            cell = sheet[f"{column}{row}"]
            cell.protection = style["open"]
            cell.fill = style["input"] if offset >= len(rows) or rows[offset].code not in parents else style["subtotal"]
        not_applicable.add(f"F{row}")
        points.add(f"D{row}")
        points.add(f"E{row}")
    sheet.freeze_panes = f"D{L.FIRST_ROW}"
    _protect(sheet)


def export_results_workbook(
    ds: Dataset, year: int, out: str | Path, *, agency: str = "", overwrite: bool = False
) -> Path:
    """Write the results workbook of ``year`` to ``out`` (atomically) and return its path.

    With ``agency`` (an id or a name) the workbook holds that agency's criteria sheet; without it, one criteria
    sheet per agency (the full annex of the decision). The published sheet always lists every agency.
    """
    from openpyxl import Workbook

    year = int(year)
    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        raise CchcParameterError(f'Tệp sổ kết quả phải có đuôi .xlsx: "{target}"')
    if target.exists() and not overwrite:
        raise CchcParameterError(f'Tệp "{target}" đã có; chọn tên khác hoặc dùng --force để ghi đè.')
    tree, mode, base_year = _tree(ds, year)
    tree = tree.sort_values("code", key=lambda s: s.map(code_key), kind="stable").reset_index(drop=True)
    fields = [c for c in tree.loc[tree["level"] == "field", "code"]]
    everyone = list(ds.agencies["agency_id"])
    chosen = [ds.resolve_agency(agency)] if agency else everyone
    style = _styles()

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new Workbook always has its one sheet active
    meta = book.create_sheet(L.META_SHEET)
    for key, value in (
        ("format", L.FORMAT),
        ("version", L.VERSION),
        ("year", year),
        ("tree", mode),
        ("base_year", base_year),
        ("fields", ";".join(fields)),
        ("exported_on", dt.date.today().isoformat()),
    ):
        meta.append([key])
        set_text(meta.cell(meta.max_row, 2), value)
    meta.append([])
    meta.append(["sheet", "agency_id"])
    _published_sheet(book, ds, year, fields, everyone, style)
    _framework_sheet(book, tree, year, mode, base_year, style)
    short = ds.agencies.set_index("agency_id")["short_name"]
    taken = {L.PUBLISHED_SHEET.casefold(), L.FRAMEWORK_SHEET.casefold(), L.META_SHEET.casefold()}
    for agency_id in chosen:
        name = L.score_sheet_name(str(short[agency_id]), taken)
        _score_sheet(book, ds, tree, year, mode, agency_id, name, style)
        meta.append([None])
        set_text(meta.cell(meta.max_row, 1), name)
        set_text(meta.cell(meta.max_row, 2), agency_id)
    meta.sheet_state = "hidden"
    book.active = 1
    with atomic_path(target) as temporary:
        book.save(temporary)
    return target
