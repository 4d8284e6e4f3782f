"""The layout of the units' progress workbook, shared by its export and its import: the format tag, the
sheets, the rows and columns, and which cells are inputs."""

from __future__ import annotations

from cchc_analysis.domain import periods
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError

__all__ = [
    "COLUMNS",
    "FIRST_ROW",
    "FORMAT",
    "HEADER_ROW",
    "INPUT_COLUMNS",
    "LATE_DAYS",
    "META_SHEET",
    "PERIOD_CELL",
    "VERSION",
    "WIDTHS",
    "quarter_of",
]

FORMAT = "cchc-progress-workbook"
#: Version 2: one row per task occurrence, with completion date, blocker and who updated. Version 1 (one row per
#: task and quarter, a percent for recurring tasks) is refused on import.
VERSION = 2
META_SHEET = "_cchc"
FIRST_ROW = 5  # data rows start here; row 4 holds the headers
HEADER_ROW = 4
PERIOD_CELL = "B2"
#: (column letter, header, key) — the first eight are protected keys and context, the last seven are inputs.
COLUMNS = (
    ("A", "Mã nhiệm vụ", "task_id"),
    ("B", "Mã lần thực hiện", "occurrence"),
    ("C", "Lần thực hiện", "label"),
    ("D", "Lĩnh vực", "field_code"),
    ("E", "Nội dung nhiệm vụ", "description"),
    ("F", "Tiêu chí thành phần", "codes"),
    ("G", "Loại nhiệm vụ", "kind"),
    ("H", "Hạn", "due_date"),
    ("I", "Trạng thái", "status"),
    ("J", "% hoàn thành (việc một lần, hằng năm)", "percent_done"),
    ("K", "Ngày hoàn thành (dd/mm/yyyy)", "completed_on"),
    ("L", "Vướng mắc, nguyên nhân", "blocker"),
    ("M", "Ngày cập nhật (dd/mm/yyyy)", "updated_on"),
    ("N", "Người cập nhật", "updated_by"),
    ("O", "Ghi chú", "note"),
)
INPUT_COLUMNS = {
    "I": "status",
    "J": "percent_done",
    "K": "completed_on",
    "L": "blocker",
    "M": "updated_on",
    "N": "updated_by",
    "O": "note",
}
WIDTHS = {
    "A": 10,
    "B": 11,
    "C": 22,
    "D": 8,
    "E": 60,
    "F": 13,
    "G": 18,
    "H": 12,
    "I": 18,
    "J": 13,
    "K": 14,
    "L": 34,
    "M": 14,
    "N": 18,
    "O": 34,
}
#: Days after the end of the quarter during which an update can still be dated (a late update).
LATE_DAYS = 31


def quarter_of(period: Period | str) -> Period:
    chosen = periods.parse(period) if not isinstance(period, Period) else period
    if chosen.kind != "quarter":
        raise CchcParameterError(
            f"Sổ cập nhật tiến độ lập theo quý (ví dụ {chosen.year}-Q2), không theo {chosen.label}: "
            "tiến độ được ghi cho từng nhiệm vụ và từng quý."
        )
    return chosen
