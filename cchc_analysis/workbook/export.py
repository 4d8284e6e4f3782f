"""Export one quarter's update workbook: one sheet per unit with Vietnamese headers, one row per task
occurrence to report in the quarter (each month of a monthly task, the quarter of a quarterly or continuous one,
a one-off or yearly task while open, and earlier occurrences still open), the task and occurrence in protected
key columns, seven input cells (status from a dropdown of the Vietnamese labels, percent for one-off and yearly
work, completion date, blocker, date of the update, who, note) pre-filled with the latest earlier update, and a
hidden sheet ``_cchc`` recording the format and version, the period, the agency, which occurrence was written
in which row and the value each of its input cells was exported with (the import applies only what a unit
changed). Text that comes from data is always written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd

from cchc_analysis.config import DEFAULT_AGENCY
from cchc_analysis.domain import periods, plan
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.files import atomic_path, disk_error
from cchc_analysis.ingest import tables
from cchc_analysis.ingest.dataset import Dataset
from cchc_analysis.workbook.cells import set_text, unique_sheet_name
from cchc_analysis.workbook.layout import (
    COLUMNS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    INPUT_COLUMNS,
    KEY_COLUMNS,
    LATE_DAYS,
    META_COLUMNS,
    META_SHEET,
    PERIOD_CELL,
    VERSION,
    WIDTHS,
    cell_key,
    quarter_of,
    row_digest,
)

__all__ = ["export_workbook", "prefill", "rows_to_report", "updates_by_occurrence"]


def _sheet_name(name: str, taken: set[str]) -> str:
    return unique_sheet_name(name, taken, reserved=META_SHEET, fallback="Đơn vị")


def _kind_label(task) -> str:
    if task.kind == "one_off":
        return "Một lần"
    if task.kind == "continuous":
        return "Thường xuyên, xác nhận hằng quý"
    return f"Định kỳ, {tables.FREQUENCIES.get(task.frequency, task.frequency)}"


def rows_to_report(ds: Dataset, agency_id: str, quarter: Period) -> pd.DataFrame:
    """The occurrences a unit reports on in ``quarter``: applicable, begun by its end, and not closed before it
    began (done earlier, or reported not applicable in an earlier quarter)."""
    pic = plan.picture(ds, agency_id, quarter, quarter.end)
    occ = pic.occurrences
    start = pd.Timestamp(quarter.start)
    done_before = occ["status"].isin(["done", "done_late"]) & (occ["completed_on"] < start)
    dropped_before = (occ["reported"] == "not_applicable") & (occ["update_period"] < quarter.id)
    keep = occ["applicable"] & (occ["window_start"] <= pd.Timestamp(quarter.end)) & ~done_before & ~dropped_before
    return occ[keep].reset_index(drop=True)


def updates_by_occurrence(ds: Dataset, quarter: Period) -> dict[tuple[str, str], list[dict]]:
    """Every update of each (task, occurrence) up to ``quarter``, oldest first."""
    history: dict[tuple[str, str], list[dict]] = {}
    for record in ds.progress.to_dict("records"):
        if record["period"] <= quarter.id:
            history.setdefault((record["task_id"], record["occurrence"]), []).append(record)
    for updates in history.values():
        updates.sort(key=lambda r: (r["period"], r["updated_on"]))
    return history


def prefill(updates: list[dict], quarter: Period) -> dict[str, object]:
    """The input cells of one occurrence's row (column letter -> value as written): this quarter's update where
    one exists, else the latest earlier update with an empty date of update (the unit confirms by dating it).
    The import computes it again from the store as it is then, to tell a unit's change from a later one."""
    values: dict[str, object] = dict.fromkeys(INPUT_COLUMNS)
    current = [u for u in updates if u["period"] == quarter.id]
    latest = current or updates
    if latest:
        source = latest[-1]
        values["I"] = tables.REPORTED_STATUSES[source["status"]]
        if source["percent_done"] is not None and not pd.isna(source["percent_done"]):
            values["J"] = float(source["percent_done"])
        if source["completed_on"] is not None and not pd.isna(source["completed_on"]):
            values["K"] = source["completed_on"]
        for letter, name in (("L", "blocker"), ("N", "updated_by"), ("O", "note")):
            values[letter] = source[name] if isinstance(source[name], str) and source[name] else None
    if current:
        values["M"] = current[-1]["updated_on"]
    return values


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
    if not plan.has_plan(ds, agency_id, quarter.year):
        raise CchcParameterError(f"Không có nhiệm vụ nào của kế hoạch năm {quarter.year} cho cơ quan {agency_id}")
    tasks = plan.plan_tasks(ds, agency_id, quarter.year)
    report = rows_to_report(ds, agency_id, quarter)
    history = updates_by_occurrence(ds, quarter)
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
        set_text(meta.cell(row, 2), value)
    meta.append([])
    meta.append([*META_COLUMNS, "digest"])
    statuses = list(tables.REPORTED_STATUSES.values())
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="FFF4CC")
    taken: set[str] = set()
    for unit_id in [u for u in ds.units["unit_id"] if u in set(tasks["unit_id"])]:
        sheet = book.create_sheet(_sheet_name(units[unit_id], taken))
        sheet["A1"] = "Cập nhật tiến độ kế hoạch cải thiện Chỉ số CCHC"
        sheet["A1"].font = Font(bold=True, size=13)
        set_text(sheet["C1"], ds.agency_name(agency_id))
        sheet["A2"] = "Kỳ báo cáo"
        set_text(sheet[PERIOD_CELL], quarter.id)
        sheet["C2"] = quarter.label
        sheet["E2"] = "Hạn gửi"
        sheet["F2"] = periods.reporting_date(quarter)
        sheet["F2"].number_format = "DD/MM/YYYY"
        sheet["A3"] = "Đơn vị"
        set_text(sheet["B3"], units[unit_id])
        sheet["E3"] = (
            "Mỗi dòng là một lần thực hiện. Chỉ nhập các cột từ Trạng thái đến Ghi chú. Hoàn thành thì ghi ngày "
            "hoàn thành; gặp vướng mắc thì ghi vướng mắc và nguyên nhân; % hoàn thành chỉ ghi cho việc một lần, "
            "hằng năm hoặc sáu tháng. Dòng không có ngày cập nhật được coi là chưa báo cáo."
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
            formula1=_excel_date(dt.date(quarter.year, 1, 1)),
            formula2=_excel_date(quarter.end + dt.timedelta(days=LATE_DAYS)),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ngày",
            error=f"Nhập một ngày của năm {quarter.year}, đến hết hạn gửi (dd/mm/yyyy)",
        )
        for validation in (status_list, percent_check, date_check):
            sheet.add_data_validation(validation)
        mine = report[report["task_id"].map(tasks.set_index("task_id")["unit_id"]) == unit_id]
        by_id = tasks.set_index("task_id")
        for offset, occ in enumerate(mine.itertuples(index=False)):
            row = FIRST_ROW + offset
            task = by_id.loc[occ.task_id]
            set_text(sheet[f"A{row}"], occ.task_id)
            set_text(sheet[f"B{row}"], occ.occurrence)
            set_text(sheet[f"C{row}"], occ.label)
            set_text(sheet[f"D{row}"], task["field_code"])
            set_text(sheet[f"E{row}"], task["title"])
            set_text(sheet[f"F{row}"], "; ".join(task["codes"]))
            set_text(sheet[f"G{row}"], _kind_label(task))
            sheet[f"H{row}"] = occ.due_date.date()
            sheet[f"H{row}"].number_format = "DD/MM/YYYY"
            values = prefill(history.get((occ.task_id, occ.occurrence), []), quarter)
            for letter, value in values.items():
                if letter in ("I", "L", "N", "O"):
                    set_text(sheet[f"{letter}{row}"], value)
                else:
                    sheet[f"{letter}{row}"] = value
            for letter in ("K", "M"):
                sheet[f"{letter}{row}"].number_format = "DD/MM/YYYY"
            for letter, _, _ in COLUMNS:
                sheet[f"{letter}{row}"].alignment = wrap
            for letter in INPUT_COLUMNS:
                sheet[f"{letter}{row}"].protection = Protection(locked=False)
                sheet[f"{letter}{row}"].fill = fill
            status_list.add(f"I{row}")
            percent_check.add(f"J{row}")
            date_check.add(f"K{row}")
            date_check.add(f"M{row}")
            meta_row = meta.max_row + 1  # sheet titles and ids are free text: text, never formulas
            for column, value in ((1, sheet.title), (2, unit_id), (4, occ.task_id), (5, occ.occurrence)):
                set_text(meta.cell(meta_row, column), value)
            meta.cell(meta_row, 3, row)
            for column, letter in enumerate(INPUT_COLUMNS, 6):  # what each input cell held when exported
                set_text(meta.cell(meta_row, column), cell_key(values[letter]))
            digest = row_digest([sheet[f"{letter}{row}"].value for letter in KEY_COLUMNS])
            set_text(meta.cell(meta_row, len(META_COLUMNS) + 1), digest)
        sheet.freeze_panes = f"D{FIRST_ROW}"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    meta.sheet_state = "hidden"
    book.active = 1
    try:
        content = io.BytesIO()
        book.save(content)  # in memory: a full disk then fails on one plain write, never inside the zip writer
        with atomic_path(target) as temporary:
            temporary.write_bytes(content.getvalue())
    except OSError as error:
        raise disk_error(error, target.parent, "thư mục ghi sổ cập nhật") from error
    return target


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"
