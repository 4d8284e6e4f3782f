"""The layout of the units' progress workbook, shared by its export and its import: the format tag, the
sheets, the rows and columns, and which cells are inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from cchc_analysis.domain import periods
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.readers import cell_text

__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "EXTRA_ROWS",
    "FIRST_ROW",
    "FORMAT",
    "HEADER_ROW",
    "INPUT_COLUMNS",
    "KEY_COLUMNS",
    "LATE_DAYS",
    "META_COLUMNS",
    "META_HEADER_ROW",
    "META_SHEET",
    "PERIOD_CELL",
    "VERSION",
    "WIDTHS",
    "cell_key",
    "quarter_of",
    "row_digest",
]

FORMAT = "cchc-progress-workbook"
#: Version 3: the hidden sheet records the value every input cell was exported with, so that an import applies
#: only what a unit changed. Version 2 (one row per task occurrence, without those values) and version 1 (one row
#: per task and quarter) are refused on import with a message to export again.
VERSION = 3
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
#: The protected key and context columns (A–H); a digest of them per row tells an edited key from a sorted row.
KEY_COLUMNS = tuple(letter for letter, _, _ in COLUMNS if letter not in INPUT_COLUMNS)
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
#: The hidden sheet's table of exported rows: where each occurrence was written and its input cells' values.
META_HEADER_ROW = 7
META_COLUMNS = ("sheet", "unit_id", "row", "task_id", "occurrence", *INPUT_COLUMNS)
#: Rows and columns a returned sheet may span beyond what was exported (blank rows a person inserted, a stray
#: note to the right); a value further out (say at J1048576) is refused before any cell is read.
EXTRA_ROWS = 1000
EXTRA_COLUMNS = 50

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


def cell_key(value: object) -> str:
    """The value of a cell as compared between export and import: dates as yyyy-mm-dd (a time of day kept),
    numbers in their shortest exact form (33.333 stays 33.333, 40.0 is 40), text in NFC with line breaks as
    ``\\n`` — so a cell a program or LibreOffice saved again reads as the same value."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell_text(float(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return cell_text(value)


def row_digest(values: list[object]) -> str:
    """A digest of a row's key and context cells (A–H, in order): a row moved by a sort keeps it, a row whose key
    cell was typed over does not."""
    text = "\x1f".join(cell_key(value) for value in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
