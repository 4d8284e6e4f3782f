"""The layout of the units' progress workbook, shared by its export and its import: the format tag, the
sheets, the rows and columns, and which cells are inputs."""

from __future__ import annotations

import re

from cchc_analysis.domain import periods
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError

FORMAT = "cchc-progress-workbook"
VERSION = 1
META_SHEET = "_cchc"
FIRST_ROW = 5  # data rows start here; row 4 holds the headers
HEADER_ROW = 4
PERIOD_CELL = "B2"
#: (column letter, header, key) — the first six are protected keys and context, the last four are inputs.
COLUMNS = (
    ("A", "Mã nhiệm vụ", "task_id"),
    ("B", "Lĩnh vực", "field_code"),
    ("C", "Nội dung nhiệm vụ", "description"),
    ("D", "Tiêu chí thành phần", "sub_criteria"),
    ("E", "Loại nhiệm vụ", "kind"),
    ("F", "Hạn hoàn thành", "due_date"),
    ("G", "Trạng thái", "status"),
    ("H", "% hoàn thành", "percent_done"),
    ("I", "Ngày cập nhật (dd/mm/yyyy)", "updated_on"),
    ("J", "Ghi chú", "note"),
)
INPUT_COLUMNS = {"G": "status", "H": "percent_done", "I": "updated_on", "J": "note"}
WIDTHS = {"A": 11, "B": 9, "C": 70, "D": 14, "E": 20, "F": 14, "G": 18, "H": 13, "I": 16, "J": 40}
#: Days after the end of the quarter during which an update can still be dated (a late update).
LATE_DAYS = 31
_FORMULA_LIKE = ("=", "+", "-", "@")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def quarter_of(period: Period | str) -> Period:
    chosen = periods.parse(period) if not isinstance(period, Period) else period
    if chosen.kind != "quarter":
        raise CchcParameterError(
            f"Sổ cập nhật tiến độ lập theo quý (ví dụ {chosen.year}-Q2), không theo {chosen.label}: "
            "tiến độ được ghi cho từng nhiệm vụ và từng quý."
        )
    return chosen
