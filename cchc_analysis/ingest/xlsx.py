"""A bounded look inside an .xlsx file before any reader trusts it.

An .xlsx is a zip of XML parts. Before python-calamine reads the values, this module streams the one sheet meant
for the table and learns, within fixed bounds of memory and time:

* which sheet that is: the visible sheet named like the file (``bands`` for bands.xlsx), else the first visible
  one — a hidden sheet is never read as the table;
* the extent of the cells: one value at XFD1048576 would make the reader allocate a dense grid of 17 billion
  cells (512 GB), so a sheet wider than ``MAX_COLUMNS`` or larger than ``MAX_CELLS`` is refused first;
* its uncompressed size: a few MB of zip may hold gigabytes of XML (a zip bomb), so no part is inflated beyond
  ``MAX_UNCOMPRESSED`` bytes, whatever its header claims;
* the formula of every formula cell, the rows hidden in Excel, and the cells shown as a percentage (0,8 shown as
  80 % is the 80 % a person typed).

Every refusal is an :class:`XlsxRefused` with a Vietnamese message and a problem code.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from cchc_analysis.errors import ProblemCode
from cchc_analysis.ingest.parsing import fold

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_UNCOMPRESSED", "Sheet", "XlsxRefused", "column_index", "scan"]

#: The most XML an .xlsx table may inflate to (all its parts together); a real table is a few MB.
MAX_UNCOMPRESSED = 200 * 2**20
#: The widest sheet and the most cells (rows × columns of the used area) a table may span.
MAX_COLUMNS = 200
MAX_CELLS = 3_000_000
#: Excel's built-in number formats that show a percentage.
_PERCENT_FORMATS = {9, 10}
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


class XlsxRefused(Exception):
    """The file cannot be read as a table; the message is Vietnamese, ``code`` a ProblemCode."""

    def __init__(self, message: str, code: ProblemCode):
        super().__init__(message)
        self.code = code


@dataclass
class Sheet:
    """What the scan learned about the sheet to read."""

    name: str
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column index) -> formula
    hidden_rows: set[int] = field(default_factory=set)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column index)


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f}".replace(",", ".") + " MB"


class _Bounded(io.RawIOBase):
    """A read-only stream that refuses to yield more than ``limit`` bytes of its source."""

    def __init__(self, source, limit: int, name: str):
        self.source, self.left, self.name = source, limit, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise XlsxRefused(
                f"tệp Excel giải nén ra hơn {_megabytes(MAX_UNCOMPRESSED)} dữ liệu ({self.name}); một bảng dữ liệu "
                "chỉ vài MB: có thể tệp bị hỏng hoặc cố ý làm phình to (zip bomb)",
                ProblemCode.TOO_LARGE,
            )
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def column_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26, 'XFD' -> 16383."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _parse(archive: zipfile.ZipFile, name: str, budget: list[int]) -> ElementTree.Element | None:
    """A small part (workbook, relationships, styles), read within the remaining budget."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    with archive.open(info) as source:
        stream = _Bounded(source, budget[0], name)
        data = stream.read()
    budget[0] -= len(data)
    return ElementTree.fromstring(data)


def _choose_sheet(archive: zipfile.ZipFile, stem: str, budget: list[int]) -> tuple[str, str]:
    """(name, part) of the visible sheet named like ``stem``, else of the first visible sheet."""
    book = _parse(archive, "xl/workbook.xml", budget)
    rels = _parse(archive, "xl/_rels/workbook.xml.rels", budget)
    if book is None or rels is None:
        raise XlsxRefused("không mở được tệp Excel (thiếu xl/workbook.xml)", ProblemCode.BAD_XLSX)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PACKAGE_RELS}}}Relationship")}
    sheets = []
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_RELS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        sheets.append((sheet.get("name", ""), part, sheet.get("state", "visible") == "visible"))
    visible = [(name, part) for name, part, shown in sheets if shown]
    if not sheets:
        raise XlsxRefused("tệp Excel không có trang tính nào", ProblemCode.EMPTY_FILE)
    if not visible:
        raise XlsxRefused(
            "mọi trang tính của tệp Excel đều bị ẩn; hãy hiện (Unhide) trang chứa bảng dữ liệu", ProblemCode.EMPTY_FILE
        )
    for name, part in visible:
        if fold(name).replace(" ", "_") == fold(stem).replace(" ", "_"):
            return name, part
    return visible[0]


def _percent_styles(archive: zipfile.ZipFile, budget: list[int]) -> set[int]:
    """Indices of the cell styles whose number format shows a percentage."""
    styles = _parse(archive, "xl/styles.xml", budget)
    if styles is None:
        return set()
    custom = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in styles.iter(f"{{{_MAIN}}}numFmt")
        if fmt.get("numFmtId", "").isdigit()
    }
    percent = set()
    cell_xfs = styles.find(f"{{{_MAIN}}}cellXfs")
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
        format_id = int(xf.get("numFmtId", "0")) if xf.get("numFmtId", "0").isdigit() else 0
        code = re.sub(r'"[^"]*"|\\.', "", custom.get(format_id, ""))  # a literal "%" in quotes is not a percent
        if format_id in _PERCENT_FORMATS or "%" in code:
            percent.add(index)
    return percent


def scan(path: Path) -> Sheet:
    """Choose the sheet, check its size and extent, and collect formulas, hidden rows and percent cells."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > MAX_UNCOMPRESSED:
                raise XlsxRefused(
                    f"tệp Excel giải nén ra {_megabytes(declared)}, quá giới hạn {_megabytes(MAX_UNCOMPRESSED)} "
                    "của một bảng dữ liệu; có thể tệp bị hỏng hoặc cố ý làm phình to (zip bomb)",
                    ProblemCode.TOO_LARGE,
                )
            budget = [MAX_UNCOMPRESSED]  # what is read counts, whatever the headers say
            name, part = _choose_sheet(archive, Path(path).stem, budget)
            percent_styles = _percent_styles(archive, budget)
            sheet = Sheet(name)
            try:
                info = archive.getinfo(part)
            except KeyError:
                raise XlsxRefused(f"không mở được tệp Excel (thiếu trang {part})", ProblemCode.BAD_XLSX) from None
            with archive.open(info) as source:
                _scan_sheet(io.BufferedReader(_Bounded(source, budget[0], part)), sheet, percent_styles)
            return sheet
    except XlsxRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, EOFError, ValueError) as error:
        raise XlsxRefused(f"không mở được tệp Excel ({type(error).__name__}: {error})", ProblemCode.BAD_XLSX) from None


def _scan_sheet(stream, sheet: Sheet, percent_styles: set[int]) -> None:
    cell_tag, row_tag, formula_tag, value_tag, data_tag = (
        f"{{{_MAIN}}}{tag}" for tag in ("c", "row", "f", "v", "sheetData")
    )
    max_row = max_column = 0
    row, column, sheet_data = 0, -1, None
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if event == "start":
            if element.tag == row_tag:  # a row without r follows the previous one, as Excel reads it
                row, column = int(element.get("r") or row + 1), -1
            elif element.tag == data_tag:
                sheet_data = element
            continue
        if element.tag == cell_tag:
            reference = _CELL_REF.match(element.get("r", ""))
            column = column_index(reference.group(1)) if reference else column + 1
            has_value = element.find(value_tag) is not None or element.get("t") == "inlineStr"
            formula = element.find(formula_tag)
            if has_value or formula is not None:
                max_row, max_column = max(max_row, row), max(max_column, column + 1)
                if max_column > MAX_COLUMNS or max_row * max_column > MAX_CELLS:
                    where = reference.group(0) if reference else f"cột {column + 1}, dòng {row}"
                    raise XlsxRefused(
                        f"trang tính có dữ liệu ở ô {where}, ngoài vùng một bảng dữ liệu có thể dùng "
                        f"(tối đa {MAX_COLUMNS} cột và {f'{MAX_CELLS:,}'.replace(',', '.')} ô)"
                        "; xoá các ô thừa nằm xa bảng (Ctrl+End để tìm ô cuối) rồi lưu lại",
                        ProblemCode.TOO_LARGE,
                    )
            if formula is not None:
                sheet.formulas[(row, column)] = "=" + (formula.text or "").lstrip("=")
            elif has_value and element.get("t", "n") == "n" and int(element.get("s") or 0) in percent_styles:
                sheet.percent_cells.add((row, column))
        elif element.tag == row_tag:
            if element.get("hidden") in ("1", "true"):
                sheet.hidden_rows.add(row)
            if sheet_data is not None:
                sheet_data.clear()  # keep memory flat: nothing of a read row is needed again
