"""Export one quarter's update workbook: one sheet per unit with Vietnamese headers, the unit's tasks in
protected key columns, four input cells per task (status from a dropdown of the Vietnamese labels, percent
done, date of the update, note) pre-filled with the previous quarter's values, and a hidden sheet ``_cchc``
recording the format, the period, the agency and which task sits in which row. Text that comes from data is
always written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cchc_analysis.config import DEFAULT_AGENCY
from cchc_analysis.domain import periods
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.files import atomic_path
from cchc_analysis.ingest import tables
from cchc_analysis.ingest.dataset import Dataset
from cchc_analysis.workbook.layout import (
    _FORMULA_LIKE,
    _SHEET_FORBIDDEN,
    COLUMNS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    INPUT_COLUMNS,
    LATE_DAYS,
    META_SHEET,
    PERIOD_CELL,
    VERSION,
    WIDTHS,
    quarter_of,
)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", name).strip("'")[:31] or "Đơn vị"
    candidate, number = base, 2
    while candidate.casefold() in taken or candidate == META_SHEET:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def _set_text(cell, value: object) -> None:
    """Write data as text: a value starting with = + - @ stays text (never a formula) and shows as typed."""
    text = "" if value is None else str(value)
    cell.value = text if text else None
    if text:
        cell.data_type = "s"
        if text.startswith(_FORMULA_LIKE):
            cell.quotePrefix = True


def _kind_label(task) -> str:
    if task.kind == "one_off":
        return "Một lần"
    return f"Định kỳ, {tables.FREQUENCIES.get(task.frequency, task.frequency)}"


def export_workbook(
    ds: Dataset, period: Period | str, out: str | Path, *, agency: str = "", overwrite: bool = False
) -> Path:
    """Write the units' update workbook of one quarter to ``out`` (atomically) and return its path.

    The input cells hold this quarter's update where one exists, else the previous quarter's status,
    percent and note with an empty date (the unit confirms by dating its update).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    quarter = quarter_of(period)
    agency_id = ds.resolve_agency(agency or DEFAULT_AGENCY)
    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        raise CchcParameterError(f'Tệp sổ cập nhật phải có đuôi .xlsx: "{target}"')
    if target.exists() and not overwrite:
        raise CchcParameterError(f'Tệp "{target}" đã có; chọn tên khác (không ghi đè tệp đơn vị đã gửi).')
    tasks = ds.tasks[(ds.tasks["agency_id"] == agency_id) & (ds.tasks["plan_year"] == quarter.year)]
    if tasks.empty:
        raise CchcParameterError(f"Không có nhiệm vụ nào của kế hoạch năm {quarter.year} cho cơ quan {agency_id}")
    progress = {(r["task_id"], r["period"]): r for r in ds.progress.to_dict("records")}
    previous = periods.previous(quarter)
    units = ds.units.set_index("unit_id")["name"]

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new Workbook always has its one sheet active
    meta = book.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(
        (
            ("format", FORMAT),
            ("version", VERSION),
            ("period", quarter.id),
            ("agency_id", agency_id),
            ("exported_on", dt.date.today().isoformat()),
        ),
        1,
    ):
        meta.cell(row, 1, key)
        _set_text(meta.cell(row, 2), value)
    meta.append([])
    meta.append(["sheet", "unit_id", "row", "task_id"])
    statuses = list(tables.REPORTED_STATUSES.values())
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="FFF4CC")
    taken: set[str] = set()
    for unit_id in [u for u in ds.units["unit_id"] if u in set(tasks["unit_id"])]:
        mine = tasks[tasks["unit_id"] == unit_id]
        sheet = book.create_sheet(_sheet_name(units[unit_id], taken))
        sheet["A1"] = "Cập nhật tiến độ kế hoạch cải thiện Chỉ số CCHC"
        sheet["A1"].font = Font(bold=True, size=13)
        _set_text(sheet["C1"], ds.agency_name(agency_id))
        sheet["A2"] = "Kỳ báo cáo"
        _set_text(sheet[PERIOD_CELL], quarter.id)
        sheet["C2"] = quarter.label
        sheet["E2"] = "Hạn gửi"
        sheet["F2"] = periods.reporting_date(quarter)
        sheet["F2"].number_format = "DD/MM/YYYY"
        sheet["A3"] = "Đơn vị"
        _set_text(sheet["B3"], units[unit_id])
        sheet["D3"] = (
            "Chỉ nhập các cột Trạng thái, % hoàn thành, Ngày cập nhật, Ghi chú. Với nhiệm vụ định kỳ, "
            "% hoàn thành là tỷ lệ số lần đã thực hiện trong quý. Dòng không có ngày cập nhật "
            "được coi là chưa báo cáo."
        )
        for letter, header, _ in COLUMNS:
            cell = sheet[f"{letter}{HEADER_ROW}"]
            cell.value, cell.font, cell.alignment = header, bold, wrap
            sheet.column_dimensions[letter].width = WIDTHS[letter]
        status_list = DataValidation(
            type="list",
            formula1='"' + ",".join(statuses) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Trạng thái không hợp lệ",
            error="Chọn một trạng thái trong danh sách: " + ", ".join(statuses),
        )
        percent_check = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="% hoàn thành",
            error="Nhập một số từ 0 đến 100",
        )
        date_check = DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({quarter.start.year},{quarter.start.month},{quarter.start.day})",
            formula2=_excel_date(quarter.end + dt.timedelta(days=LATE_DAYS)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ngày cập nhật",
            error=f"Nhập một ngày trong {quarter.label} (dd/mm/yyyy)",
        )
        for validation in (status_list, percent_check, date_check):
            sheet.add_data_validation(validation)
        for offset, task in enumerate(mine.itertuples(index=False)):
            row = FIRST_ROW + offset
            _set_text(sheet[f"A{row}"], task.task_id)
            _set_text(sheet[f"B{row}"], task.field_code)
            _set_text(sheet[f"C{row}"], task.description)
            _set_text(sheet[f"D{row}"], "; ".join(task.sub_criteria or ()))
            _set_text(sheet[f"E{row}"], _kind_label(task))
            if task.due_date is not None and not (isinstance(task.due_date, float)):
                sheet[f"F{row}"] = task.due_date
                sheet[f"F{row}"].number_format = "DD/MM/YYYY"
            current = progress.get((task.task_id, quarter.id))
            earlier = progress.get((task.task_id, previous.id))
            source = current or earlier
            if source is not None:
                _set_text(sheet[f"G{row}"], tables.REPORTED_STATUSES[source["status"]])
                sheet[f"H{row}"] = float(source["percent_done"])
                _set_text(sheet[f"J{row}"], source["note"])
            if current is not None:
                sheet[f"I{row}"] = current["updated_on"]
            sheet[f"I{row}"].number_format = "DD/MM/YYYY"
            for letter in "ABCDEFGHIJ":
                sheet[f"{letter}{row}"].alignment = wrap
            for letter in INPUT_COLUMNS:
                sheet[f"{letter}{row}"].protection = Protection(locked=False)
                sheet[f"{letter}{row}"].fill = fill
            status_list.add(f"G{row}")
            percent_check.add(f"H{row}")
            date_check.add(f"I{row}")
            meta_row = (
                meta.max_row + 1
            )  # the sheet's title is a unit's name and task ids are free text: text, never formulas
            for column, value in ((1, sheet.title), (2, unit_id), (4, task.task_id)):
                _set_text(meta.cell(meta_row, column), value)
            meta.cell(meta_row, 3, row)
        sheet.freeze_panes = f"C{FIRST_ROW}"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    meta.sheet_state = "hidden"
    book.active = 1
    with atomic_path(target) as temporary:
        book.save(temporary)
    return target


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"
