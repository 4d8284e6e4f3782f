"""Reading tables from CSV or XLSX files into raw text cells.

Nothing here interprets a value: that is the schema's job. A file that cannot
be read at all becomes a RawTable whose ``problem`` says why.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from cchc_analysis.errors import Problem, ProblemCode
from cchc_analysis.ingest import xlsx
from cchc_analysis.ingest.parsing import clean_text

__all__ = [
    "EXTENSIONS",
    "MAX_FIELD_CHARACTERS",
    "RawTable",
    "cell_text",
    "decode",
    "display_path",
    "locate_table",
    "percent_text",
    "read_table",
    "sha256",
]

EXTENSIONS = (".csv", ".xlsx")
_SEP_LINE = re.compile(r"^\ufeff?sep=([,;\t|])\r?$", re.IGNORECASE)
#: The csv module's own limit on one field (131 072 characters); a longer cell is refused with its row.
MAX_FIELD_CHARACTERS = csv.field_size_limit()


@dataclass
class RawTable:
    """The cells of one table as text; ``rows`` holds (spreadsheet row number, cells).

    ``formulas`` maps (spreadsheet row number, column index) to the formula of every formula cell of an
    XLSX file: its cell text is only the value Excel cached (stale or absent), so the schema refuses it.
    """

    path: Path
    display: str
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    problem: Problem | None = None
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)  # rows hidden in Excel (reported, never read unseen)


def display_path(path: Path, base: Path | None) -> str:
    """A path as the user would recognise it: relative to the data folder's parent when possible."""
    path = Path(path)
    if base is not None:
        try:
            return path.resolve().relative_to(Path(base).resolve().parent).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def read_table(path: Path, display: str | None = None) -> RawTable:
    """Read a .csv or .xlsx file into text cells; empty rows are skipped but keep their numbering."""
    path = Path(path)
    display = display or path.as_posix()
    formulas: dict[tuple[int, int], str] = {}
    hidden: set[int] = set()
    try:
        if path.suffix.lower() == ".xlsx":
            matrix, sheet = _read_xlsx(path)
            formulas, hidden = sheet.formulas, sheet.hidden_rows
        else:
            matrix = _read_csv(path.read_bytes())
    except _Unreadable as error:
        return RawTable(path, display, problem=Problem(display, error.row, None, None, str(error), error.code))
    except OSError as error:
        return RawTable(
            path,
            display,
            problem=Problem(
                display,
                None,
                None,
                None,
                f"không đọc được tệp ({error.strerror or error})",
                ProblemCode.UNREADABLE_FILE,
            ),
        )
    if not formulas and (not matrix or all(not any(clean_text(cell) for cell in row) for row in matrix)):
        return RawTable(
            path,
            display,
            problem=Problem(display, None, None, None, "tệp rỗng: cần dòng tiêu đề và dữ liệu", ProblemCode.EMPTY_FILE),
        )
    header = [clean_text(cell) for cell in matrix[0]]
    while (
        header
        and not header[-1]
        and all(len(row) < len(header) or not clean_text(row[len(header) - 1]) for row in matrix[1:])
    ):
        header.pop()
    formula_rows = {row for row, _ in formulas}
    rows = [
        (number, [str(cell) for cell in row])
        for number, row in enumerate(matrix[1:], start=2)
        if any(cell and not str(cell).isspace() for cell in row)
        or number in formula_rows  # a formula without a cached value
    ]
    return RawTable(path, display, header, rows, formulas=formulas, hidden_rows=hidden & {n for n, _ in rows})


class _Unreadable(Exception):
    def __init__(self, message: str, code: ProblemCode, row: int | None = None):
        super().__init__(message)
        self.code = code
        self.row = row


def _utf16_without_bom(data: bytes) -> str | None:
    """The byte order of UTF-16 text saved without a BOM: every other byte NUL (Latin text), the others never."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.5 * len(zeros) and others.count(0) == 0:
            return codec
    return None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the bytes show it), else the
    Vietnamese Windows code page 1258."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data and (codec := _utf16_without_bom(data)):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise _Unreadable(
            "không nhận ra bảng mã của tệp; hãy lưu lại dưới dạng CSV UTF-8", ProblemCode.BAD_ENCODING
        ) from None


def _read_csv(data: bytes) -> list[list[str]]:
    if (
        b"\x00" in data
        and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"))
        and not _utf16_without_bom(data)
    ):
        raise _Unreadable(
            "tệp không phải là văn bản CSV (có byte NUL); nếu là Excel, hãy đặt đuôi .xlsx", ProblemCode.NOT_CSV
        )
    delimiter, _, text = split_sep_line(decode(data))
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _Unreadable(
                f"có một ô dài hơn {MAX_FIELD_CHARACTERS:,} ký tự".replace(",", ".")
                + '; không có cột nào cần dài như vậy: có thể một dấu ngoặc kép (") chưa được đóng '
                "hoặc một trang văn bản bị dán nhầm vào ô",
                ProblemCode.TEXT_TOO_LONG,
                row=len(rows) + 1,
            ) from None
        raise _Unreadable(
            f"tệp CSV bị lỗi định dạng ({error}); kiểm tra dấu ngoặc kép",
            ProblemCode.BAD_CSV,
            row=len(rows) + 1,
        ) from None
    return rows


def split_sep_line(text: str) -> tuple[str, str, str]:
    """(delimiter, Excel's "sep=;" line with its line end or "", the text after it): the delimiter is the one the
    sep line names, else the most frequent of , ; and tab in the first line."""
    first_line = text.split("\n", 1)[0]
    hint = _SEP_LINE.match(first_line)
    if hint:  # Excel's "sep=;" line names the delimiter; it is not the header
        rest = text.split("\n", 1)[1] if "\n" in text else ""
        return hint.group(1), text[: len(text) - len(rest)], rest
    return max((",", ";", "\t"), key=first_line.count), "", text


def cell_text(value: object) -> str:
    """The text of a spreadsheet cell as every XLSX reader of the toolkit sees it (dates ISO, whole floats as ints)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)  # the shortest text that reads back as the same float…
        return format(decimal.Decimal(text), "f") if "e" in text else text  # …without an exponent (1e-05)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[list[str]], xlsx.Sheet]:
    """The cells of the sheet meant for the table, read only after a bounded scan found it sound."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = xlsx.scan(path)
    except xlsx.XlsxRefused as error:
        raise _Unreadable(str(error), error.code) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        matrix = [[cell_text(cell) for cell in row] for row in rows]
    except Exception as error:  # calamine raises its own types for corrupt files
        raise _Unreadable(f"không mở được tệp Excel ({type(error).__name__}: {error})", ProblemCode.BAD_XLSX) from None
    for row, column in sheet.percent_cells:  # 0,8 shown as 80 % is the 80 % a person typed and saw
        if row <= len(matrix) and column < len(matrix[row - 1]) and matrix[row - 1][column]:
            matrix[row - 1][column] = percent_text(matrix[row - 1][column])
    return matrix, sheet


def percent_text(text: str) -> str:
    """The text of a number shown with a percent format: '0.8' -> '80%', '0.155' -> '15.5%'."""
    try:
        shown = decimal.Decimal(text) * 100
    except decimal.InvalidOperation:
        return text
    return format(shown.normalize(), "f") + "%"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate_table(data_dir: Path, path: str, missing: str | None) -> tuple[list[Path], list[Problem]]:
    """The files of a table: ``path`` is relative to ``data_dir`` and has no extension (``plan/tasks``), or ends in
    ``*`` for a folder of one file per year (``framework/*``); each file is a ``.csv`` or an ``.xlsx``.

    Two files of one name (``tasks.csv`` and ``tasks.xlsx``) are refused. When no file is there the problem says
    ``missing``; ``None`` means the table may be absent (no problem).
    """
    folder, stem = (data_dir / path).parent, Path(path).name
    shown = display_path(data_dir / path, data_dir)
    if stem == "*":
        paths = sorted(
            p for p in folder.glob("*") if p.suffix.lower() in EXTENSIONS and not p.name.startswith((".", "~$"))
        )
        by_stem: dict[str, Path] = {}
        problems = []
        for found in paths:
            if found.stem in by_stem:
                expected = f"có cả {by_stem[found.stem].name} và {found.name}; chỉ giữ một tệp"
                problems.append(
                    Problem(display_path(found, data_dir), None, None, None, expected, ProblemCode.AMBIGUOUS_FILE)
                )
            by_stem[found.stem] = found
        if not paths and missing is not None:
            problems.append(Problem(shown, None, None, None, missing, ProblemCode.MISSING_FILE))
        return [p for p in paths if by_stem[p.stem] == p], problems
    found = [folder / f"{stem}{ext}" for ext in EXTENSIONS if (folder / f"{stem}{ext}").exists()]
    if len(found) > 1:
        expected = f"có cả {stem}.csv và {stem}.xlsx; chỉ giữ một tệp"
        return [], [Problem(shown, None, None, None, expected, ProblemCode.AMBIGUOUS_FILE)]
    if not found and missing is not None:
        return [], [Problem(shown + ".csv", None, None, None, missing, ProblemCode.MISSING_FILE)]
    return found, []
