"""The layout of the results workbook (one year's scores as the results decision gives them), shared by its export
(:mod:`.results_export`) and its import (:mod:`.results_import`).

Sheets, in order:

- ``Kết quả công bố`` — the published table of every agency, one row each: appraisal points, survey points, total,
  index (Chỉ số CCHC) and rank, then each field's points and rank. Above it, the year, the publishing document
  (``B3``) and the kind of figures (``B4``: Chính thức / Minh hoạ / Suy ra từ số liệu chính thức — the provenance
  every row imported from this workbook gets).
- ``Bộ tiêu chí`` — the year's criteria tree (code, name, maximum). Protected when the data folder has the year's
  framework; editable, with spare rows, when the tree is the previous year's given as a starting point.
- ``Điểm <agency>`` — one per agency exported: the tree with self-assessed points, appraised points, not-applicable
  and a note. Only the points, not-applicable and note cells of the rows are inputs (and the code column when the
  tree is editable). A parent row's points are an optional subtotal: when typed, it must equal its leaves' sum.
- ``_cchc`` (hidden) — format, year, whether the tree is editable, the fields and which sheet is whose.
"""

from __future__ import annotations

from cchc_analysis.workbook.cells import unique_sheet_name

__all__ = [
    "FIRST_ROW",
    "FORMAT",
    "FRAMEWORK_COLUMNS",
    "FRAMEWORK_HEADERS",
    "FRAMEWORK_SHEET",
    "HEADER_ROW",
    "LOCKED",
    "META_SHEET",
    "NEW",
    "NOT_APPLICABLE_CHOICES",
    "PROVENANCE_CELL",
    "PROVENANCE_CHOICES",
    "PUBLISHED_FIRST_ROW",
    "PUBLISHED_FIXED",
    "PUBLISHED_HEADERS",
    "PUBLISHED_HEADER_ROW",
    "PUBLISHED_SHEET",
    "SCORE_COLUMNS",
    "SCORE_HEADERS",
    "SCORE_INPUTS",
    "SCORE_PREFIX",
    "SOURCE_CELL",
    "SPARE_ROWS",
    "VERSION",
    "YEAR_CELL",
    "field_columns",
    "letter",
    "score_sheet_name",
]

FORMAT = "cchc-results-workbook"
VERSION = 1
META_SHEET = "_cchc"
PUBLISHED_SHEET = "Kết quả công bố"
FRAMEWORK_SHEET = "Bộ tiêu chí"
SCORE_PREFIX = "Điểm "
YEAR_CELL = "B2"
SOURCE_CELL = "B3"
PROVENANCE_CELL = "B4"
HEADER_ROW = 4  # criteria and framework sheets: headers in row 4, data from row 5
FIRST_ROW = 5
PUBLISHED_HEADER_ROW = 7  # the published sheet: field names in row 6, headers in row 7, data from row 8
PUBLISHED_FIRST_ROW = 8
SPARE_ROWS = 30  # empty, editable rows below an editable tree (a criterion added this year)
#: The tree's mode in the hidden sheet: ``locked`` (the data's framework of the year) or ``new`` (a tree to edit).
LOCKED, NEW = "locked", "new"

FRAMEWORK_COLUMNS = {"code": "A", "name": "B", "max_points": "C"}
FRAMEWORK_HEADERS = {"A": "Mã tiêu chí", "B": "Tên tiêu chí", "C": "Điểm tối đa"}
SCORE_COLUMNS = {
    "code": "A",
    "name": "B",
    "max_points": "C",
    "self_points": "D",
    "appraised_points": "E",
    "not_applicable": "F",
    "note": "G",
}
SCORE_HEADERS = {
    "A": "Mã tiêu chí",
    "B": "Tên tiêu chí",
    "C": "Điểm tối đa",
    "D": "Điểm tự đánh giá",
    "E": "Điểm thẩm định",
    "F": "Không áp dụng",
    "G": "Ghi chú (chỉ để theo dõi, không nhập vào dữ liệu)",
}
SCORE_INPUTS = ("D", "E", "F", "G")
PUBLISHED_FIXED = {
    "agency_id": "A",
    "name": "B",
    "appraisal": "C",
    "survey": "D",
    "total": "E",
    "index": "F",
    "rank": "G",
}
PUBLISHED_HEADERS = {
    "A": "Mã cơ quan",
    "B": "Tên cơ quan",
    "C": "Điểm thẩm định",
    "D": "Điểm điều tra XHH",
    "E": "Tổng điểm",
    "F": "Chỉ số CCHC",
    "G": "Xếp hạng",
}
NOT_APPLICABLE_CHOICES = ("Có", "Không")
PROVENANCE_CHOICES = {"official": "Chính thức", "illustrative": "Minh hoạ", "derived": "Suy ra từ số liệu chính thức"}


def letter(index: int) -> str:
    """The column letter of a 1-based index (1 → A, 27 → AA)."""
    text = ""
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


def field_columns(fields: list[str]) -> dict[str, tuple[str, str]]:
    """{field code: (points letter, rank letter)} of the published sheet: two columns per field after G."""
    return {code: (letter(8 + 2 * i), letter(9 + 2 * i)) for i, code in enumerate(fields)}


def score_sheet_name(short_name: str, taken: set[str]) -> str:
    """A unique sheet name of at most 31 characters for an agency's criteria sheet."""
    return unique_sheet_name(SCORE_PREFIX + short_name, taken, reserved=META_SHEET)
