"""The contract machinery: value parsers for ids, codes and periods, columns, table specs, and the parsing
of one raw table against its spec. The specs themselves are in :mod:`cchc_analysis.ingest.tables`.

Why this module is long: the value parsers, the column constructors and ``parse_table`` form one contract
language; ``parse_table`` is the only consumer of the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from cchc_analysis.errors import Problem, ProblemCode
from cchc_analysis.ingest import headers, parsing
from cchc_analysis.ingest.readers import RawTable

__all__ = [
    "Column",
    "FORMULA",
    "HIDDEN",
    "InvalidCells",
    "MAX_ID_LENGTH",
    "MAX_LONG_TEXT",
    "MAX_PROBLEMS_PER_COLUMN",
    "MAX_TEXT",
    "MEMO_SIZE",
    "OutOfRange",
    "PERCENT_UNITS",
    "PERIOD_YEARS",
    "ProblemCap",
    "SHOWN_CHARACTERS",
    "TableSpec",
    "TextTooLong",
    "WINDOWS_RESERVED",
    "boolean",
    "cap_problems",
    "choice",
    "code",
    "code_key",
    "date",
    "duplicate_keys",
    "ident",
    "integer",
    "missing_message",
    "number",
    "parse_code",
    "parse_codes",
    "parse_id",
    "parse_occurrence",
    "parse_period",
    "parse_table",
    "problem_code",
    "text",
    "year",
]

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# ASCII digits only: "\d" also matches Arabic-Indic or full-width digits, which would make a second,
# different spelling of the same code or period (a key that never matches).
_CODE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_PERIOD = re.compile(r"^([0-9]{4})(?:-(Q[1-4]|H[12]))?$")
#: Ids name output files: a name Windows reserves for a device cannot be a file name there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
MAX_ID_LENGTH = 64


def parse_id(value: object) -> str:
    text = parsing.clean_text(value).lower()
    if not _ID.match(text):
        raise ValueError("cần một mã viết thường không dấu, chỉ gồm chữ, số và gạch nối, ví dụ ban-dan-toc")
    if text in WINDOWS_RESERVED:
        raise ValueError(
            f"mã {text} trùng tên thiết bị dành riêng của Windows nên không dùng làm tên tệp được; "
            "hãy chọn mã khác, ví dụ ban-dan-toc"
        )
    if len(text) > MAX_ID_LENGTH:
        raise ValueError(f"mã dài quá {MAX_ID_LENGTH} ký tự; cần một mã ngắn viết thường không dấu, ví dụ ban-dan-toc")
    return text


def parse_code(value: object) -> str:
    """A criterion code such as '2.1.1.1'; stray spaces and a trailing dot are tolerated."""
    text = parsing.clean_text(value).replace(" ", "").rstrip(".")
    if not _CODE.match(text):
        raise ValueError("cần một mã tiêu chí dạng 1.2.2")
    return text


def code_key(code: object) -> tuple[int, ...]:
    """Sort key of a criterion code: '2.1.1.1' -> (2, 1, 1, 1), so 10 sorts after 9. The one sort order of codes
    (checks, scoring, plan and the reviews use it)."""
    return tuple(int(part) for part in str(code).split("."))


def parse_codes(value: object) -> tuple[str, ...]:
    text = parsing.clean_text(value)
    if not text:
        return ()
    return tuple(parse_code(part) for part in re.split(r"[;|]", text) if part.strip())


#: Years a period may name: those of the ``year`` columns (a year 0000 or 9999 breaks date arithmetic).
PERIOD_YEARS = (2000, 2100)


def parse_period(value: object) -> str:
    """A reporting period: '2023-Q2', '2023-H1' or '2023' (also 'Quý 2/2023', '6 tháng đầu năm 2023', 'Năm 2023')."""
    period = _parse_period(value)
    low, high = PERIOD_YEARS
    if not low <= int(period[:4]) <= high:
        raise ValueError(
            f"năm của kỳ báo cáo phải từ {low} đến {high}; "
            "cần một kỳ báo cáo dạng 2023-Q2 (quý), 2023-H1 (sáu tháng) hoặc 2023 (năm)"
        )
    return period


def _parse_period(value: object) -> str:
    text = parsing.clean_text(value)
    folded = parsing.fold(text)
    match = re.match(r"^quy\s*(i{1,3}|iv|[1-4])\s*[/-]\s*(?:nam\s*)?([0-9]{4})$", folded)
    if match:
        roman = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
        return f"{match.group(2)}-Q{roman.get(match.group(1), match.group(1))}"
    match = re.match(r"^6 thang (dau|cuoi) nam\s*([0-9]{4})$", folded)
    if match:
        return f"{match.group(2)}-H{1 if match.group(1) == 'dau' else 2}"
    match = re.match(r"^nam\s*([0-9]{4})$", folded)
    if match:
        return match.group(1)
    text = text.upper().replace(" ", "")
    if not _PERIOD.match(text):
        raise ValueError("cần một kỳ báo cáo dạng 2023-Q2 (quý), 2023-H1 (sáu tháng) hoặc 2023 (năm)")
    return text


_OCCURRENCE = re.compile(r"^([0-9]{4})(?:-(Q[1-4]|H[12]|M(?:0[1-9]|1[0-2])))?$")


def parse_occurrence(value: object) -> str:
    """An occurrence of a task: 'once' (a one-off task), '2023' (yearly), '2023-H1', '2023-Q2' (quarterly or
    continuous), '2023-M04' (monthly; 'Tháng 4/2023' and '2023-M4' are accepted too)."""
    text = parsing.clean_text(value)
    folded = parsing.fold(text)
    if folded in ("once", "mot lan"):
        return "once"
    match = re.match(r"^thang\s*([0-9]{1,2})\s*/\s*([0-9]{4})$", folded) or re.match(
        r"^([0-9]{4})-m([0-9]{1,2})$", folded
    )
    if match:
        first, second = match.groups()
        year, month = (second, first) if len(first) <= 2 else (first, second)
        if 1 <= int(month) <= 12:
            return f"{year}-M{int(month):02d}"
    try:
        period = _parse_period(text)
    except ValueError:
        period = ""
    if period and _OCCURRENCE.match(period):
        return period
    raise ValueError(
        "cần một lần thực hiện dạng once (nhiệm vụ một lần), 2023 (hằng năm), 2023-H1, 2023-Q2 (hằng quý, "
        "thường xuyên) hoặc 2023-M04 (hằng tháng)"
    )


def _choice_parser(choices: dict[str, str]) -> Callable[[object], str]:
    lookup = {parsing.fold(code): code for code in choices}
    lookup.update({parsing.fold(label): code for code, label in choices.items()})
    listed = ", ".join(f"{code} ({label})" for code, label in choices.items())

    def parse(value: object) -> str:
        key = parsing.fold(value).replace("_", " ")
        for candidate in (key, key.replace(" ", "_")):
            if candidate in lookup:
                return lookup[candidate]
        raise ValueError(f"cần một trong các giá trị: {listed}")

    return parse


class OutOfRange(ValueError):
    """A number that parsed but lies outside its column's range; ``code`` is below_minimum or above_maximum."""

    def __init__(self, message: str, code: ProblemCode):
        super().__init__(message)
        self.code = code


def _ranged(parser: Callable[[object], float], low: float | None, high: float | None) -> Callable[[object], float]:
    def parse(value: object) -> float:
        number = parser(value)
        if low is not None and number < low:
            raise OutOfRange(f"cần một số không nhỏ hơn {low:g}".replace(".", ","), ProblemCode.BELOW_MINIMUM)
        if high is not None and number > high:
            raise OutOfRange(f"cần một số không lớn hơn {high:g}".replace(".", ","), ProblemCode.ABOVE_MAXIMUM)
        return number

    return parse


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[object], object]
    description: str
    required: bool = True
    dtype: str = "object"

    def empty_value(self) -> object:
        return {"float64": float("nan"), "Int64": pd.NA, "bool": False}.get(self.dtype)


#: The longest text a column accepts, in characters: names, labels and references are short; descriptions,
#: notes and causes are paragraphs. The longest real ones are 78 (a criterion's name) and 457 (a cause).
MAX_TEXT = 300
MAX_LONG_TEXT = {"description": 3000, "note": 3000, "cause": 3000, "text": 3000, "source": 1000}


class TextTooLong(ValueError):
    code = ProblemCode.TEXT_TOO_LONG


def text(name: str, description: str, *, required: bool = True, max_length: int | None = None) -> Column:
    limit = max_length or MAX_LONG_TEXT.get(name, MAX_TEXT)

    def parse(value: object) -> str:
        cleaned = parsing.clean_text(value)
        if len(cleaned) > limit:
            raise TextTooLong(
                f"văn bản dài {_count(len(cleaned))} ký tự, quá giới hạn {_count(limit)} ký tự của cột này; hãy rút gọn"
            )
        return cleaned

    return Column(name, parse, description, required, "str")


def ident(name: str, description: str, *, required: bool = True) -> Column:
    return Column(name, parse_id, description, required, "str")


def code(name: str, description: str, *, required: bool = True) -> Column:
    return Column(name, parse_code, description, required, "str")


#: Number columns that accept a percent sign, and what "20%" means in them: a percentage (20) or a share (0.2).
#: Elsewhere (points, ranks) a percent sign is refused rather than guessed.
PERCENT_UNITS = {"percent_done": "percent", "min_share": "share"}


def _percent_parser(unit: str | None) -> Callable[[object], float]:
    def parse(value: object) -> float:
        text = parsing.clean_text(value)
        if not text.endswith("%"):
            return parsing.parse_number(text)
        if unit is None:
            raise ValueError(f"cột này không nhận phần trăm; {parsing.EXPECTED_NUMBER}")
        number = parsing.parse_number(text[:-1])
        return number if unit == "percent" else number / 100

    return parse


def number(
    name: str,
    description: str,
    *,
    low: float | None = 0,
    high: float | None = None,
    required: bool = True,
    percent: str | None = None,
) -> Column:
    """A number; ``percent`` ("percent" or "share", by default from PERCENT_UNITS) lets it be typed as "20%"."""
    unit = percent or PERCENT_UNITS.get(name)
    return Column(name, _ranged(_percent_parser(unit), low, high), description, required, "float64")


def integer(
    name: str, description: str, *, low: int | None = None, high: int | None = None, required: bool = True
) -> Column:
    return Column(name, _ranged(parsing.parse_integer, low, high), description, required, "Int64")


def year(name: str = "year", description: str = "Năm đánh giá (ví dụ 2022)") -> Column:
    return integer(name, description, low=2000, high=2100)


def date(name: str, description: str, *, required: bool = True) -> Column:
    return Column(name, parsing.parse_date, description, required, "object")


def boolean(name: str, description: str) -> Column:
    return Column(name, parsing.parse_bool, description, False, "bool")


def choice(name: str, choices: dict[str, str], description: str, *, required: bool = True) -> Column:
    return Column(name, _choice_parser(choices), description, required, "str")


@dataclass(frozen=True)
class TableSpec:
    """The contract of one table: where it lives, its columns and its key."""

    name: str
    path: str  # relative to the data folder, without extension; "*" matches a year
    title: str  # Vietnamese, for messages and docs
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    min_rows: int = 1
    extra_key_from_path: str | None = None  # e.g. "year" for framework/<year>
    notes: str = ""
    #: Recognises a file of an earlier format from its header (the folded column names) and says what changed.
    legacy: Callable[[set[str]], str | None] | None = None
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {column.name: column for column in self.columns})

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _header_key(name: str) -> str:
    return headers.header_key(name)


_EMPTY = object()
_UNSEEN = object()
#: Distinct cells remembered per column (parsed once each); beyond this a cell is parsed each time it occurs.
MEMO_SIZE = 10_000


def _parse_cell(column: Column, cell: str) -> object:
    """The parsed value of one cell, ``_EMPTY``, or a ``_Refused`` saying why not."""
    if column.dtype != "bool" and (not cell or cell.isspace()):
        return _EMPTY
    try:
        return column.parse(cell)
    except ValueError as error:  # keep the message, not the exception and its traceback
        return _Refused(str(error), problem_code(column, error))


HIDDEN = (
    "dòng này bị ẩn trong Excel nên người kiểm tra bảng không nhìn thấy; hãy hiện dòng (Unhide) để kiểm tra, "
    "hoặc xoá dòng nếu không dùng"
)
FORMULA = "ô chứa công thức; chỉ nhập giá trị (trong Excel: sao chép rồi dán đặc biệt, chọn Giá trị)"


def parse_table(raw: RawTable, spec: TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Check the header, parse every cell, and check keys; return the typed table and every problem.

    The typed table has the spec's columns plus ``_file`` and ``_row`` (the
    spreadsheet row of each record), which later checks use to point at the
    exact place of a problem. Cells that could not be parsed are left empty and
    listed as (file, row, column) in ``frame.attrs["invalid_cells"]``, so that
    later checks do not report them a second time as missing. At most ``MAX_PROBLEMS_PER_COLUMN`` problems are
    listed per column, then one ``more_problems`` line counts the rest: the work and the message stay linear in
    the size of the file, however many of its cells are wrong.
    """
    problems: list[Problem] = []
    if raw.problem is not None:
        return _empty(spec), [raw.problem]

    if spec.legacy is not None and (changed := spec.legacy({_header_key(h) for h in raw.header if h})):
        return _empty(spec), [Problem(raw.display, 1, None, None, changed, ProblemCode.OLD_FORMAT)]
    expected = {_header_key(column.name): column.name for column in spec.columns}
    for column in spec.columns:  # the Vietnamese headers an office types (data/README.md lists them)
        expected.update({_header_key(alias): column.name for alias in headers.aliases(spec.name, column.name)})
    named = [header for header in raw.header if header]
    if len(named) == 1 and len(spec.columns) > 1:
        # One header cell holding several column names: the file uses a separator we do not read (| or :).
        parts = [_header_key(part) for part in re.split(r"[^\w\s]", named[0])]
        if sum(part in expected for part in parts) >= 2:
            return _empty(spec), [
                Problem(
                    raw.display,
                    1,
                    named[0],
                    None,
                    "các cột không được tách đúng: dấu phân cách cột phải là dấu phẩy (,), "
                    f"chấm phẩy (;) hoặc tab; các cột cần có: {', '.join(spec.column_names)}",
                    ProblemCode.BAD_DELIMITER,
                )
            ]
    positions: dict[str, int] = {}
    strangers: list[tuple[int, str]] = []
    for index, header in enumerate(raw.header):
        key = _header_key(header)
        if not key and all(not parsing.clean_text(row[index]) for _, row in raw.rows if index < len(row)):
            continue  # an empty column with no header, as spreadsheets leave behind
        if key in expected and expected[key] not in positions:
            positions[expected[key]] = index
        elif key in expected:
            problems.append(Problem(raw.display, 1, header, None, "cột bị lặp lại", ProblemCode.DUPLICATE_COLUMN))
        else:
            strangers.append((index, header))
    missing = {_header_key(c.name): c for c in spec.columns if c.name not in positions}
    for index, header in strangers:
        close = difflib.get_close_matches(_header_key(header), list(missing), n=1, cutoff=0.6)
        if close:
            column = missing.pop(close[0])
            problems.append(
                Problem(
                    raw.display,
                    1,
                    header,
                    None,
                    f'tên cột sai chính tả: cần "{column.name}" ({column.description})',
                    ProblemCode.MISSPELLED_COLUMN,
                )
            )
            continue
        problems.append(
            Problem(
                raw.display,
                1,
                header or f"(cột {index + 1} không có tên)",
                None,
                f"cột không có trong mẫu bảng {spec.title}; các cột hợp lệ: {', '.join(spec.column_names)}",
                ProblemCode.UNKNOWN_COLUMN,
            )
        )
    for column in missing.values():
        problems.append(
            Problem(
                raw.display,
                1,
                column.name,
                None,
                f'thiếu cột bắt buộc "{column.name}" ({column.description})',
                ProblemCode.MISSING_COLUMN,
            )
        )
    if problems:
        return _empty(spec), problems

    values: dict[str, list[object]] = {column.name: [] for column in spec.columns}
    invalid: set[tuple[str, int, str]] = set()
    cap = ProblemCap()
    # Tables repeat the same few values (ids, years, codes, choices): parse each distinct cell once per column
    # (up to MEMO_SIZE distinct cells: a column of unique garbage must not grow a second copy of the file).
    parsed: dict[str, dict[str, object]] = {column.name: {} for column in spec.columns}
    empty = {column.name: column.empty_value() for column in spec.columns}
    for row_number, cells in raw.rows:
        if row_number in raw.hidden_rows and cap.admit(raw.display, None):
            problems.append(Problem(raw.display, row_number, None, None, HIDDEN, ProblemCode.HIDDEN_ROW))
        for column in spec.columns:
            name, index = column.name, positions[column.name]
            cell = cells[index] if index < len(cells) else ""
            formula = raw.formulas.get((row_number, index)) if raw.formulas else None
            if formula is not None:  # its text is only what Excel cached, perhaps stale or nothing
                if cap.admit(raw.display, name):
                    problems.append(
                        Problem(raw.display, row_number, name, _clip(formula), FORMULA, ProblemCode.FORMULA)
                    )
                values[name].append(empty[name])
                invalid.add((raw.display, row_number, name))
                continue
            memo = parsed[name]
            result = memo.get(cell, _UNSEEN)
            if result is _UNSEEN:
                result = _parse_cell(column, cell)
                if len(memo) < MEMO_SIZE:
                    memo[cell] = result
            if result is _EMPTY:
                if column.required and cap.admit(raw.display, name):
                    problems.append(
                        Problem(raw.display, row_number, name, None, missing_message(column), ProblemCode.MISSING_VALUE)
                    )
                values[name].append(empty[name])
            elif isinstance(result, _Refused):
                if cap.admit(raw.display, name):
                    shown = _clip(parsing.clean_text(cell) or str(cell))
                    problems.append(Problem(raw.display, row_number, name, shown, result.message, result.code))
                values[name].append(empty[name])
                invalid.add((raw.display, row_number, name))
            else:
                values[name].append(result)

    if len(raw.rows) < spec.min_rows:
        problems.append(
            Problem(
                raw.display, None, None, None, f"bảng {spec.title} không có dòng dữ liệu nào", ProblemCode.EMPTY_FILE
            )
        )

    frame = pd.DataFrame(
        {"_file": [raw.display] * len(raw.rows), "_row": [number for number, _ in raw.rows], **values},
        columns=["_file", "_row", *spec.column_names],
    )
    for column in spec.columns:
        if column.dtype in ("float64", "Int64", "bool"):
            frame[column.name] = frame[column.name].astype(column.dtype)
    if invalid:
        frame.attrs["invalid_cells"] = InvalidCells(invalid)
    problems.extend(cap.summaries())
    problems.extend(duplicate_keys(frame, spec.key, spec.title))
    return frame, problems


def duplicate_keys(frame: pd.DataFrame, key: tuple[str, ...], title: str) -> list[Problem]:
    """One problem per record whose key repeats an earlier record's (at most ``MAX_PROBLEMS_PER_COLUMN``, then a
    count of the rest); linear in the number of records."""
    if frame.empty or not key:
        return []
    keyed = frame.dropna(subset=list(key))
    first_row = keyed.groupby(list(key), sort=False, dropna=False)["_row"].transform("first")
    duplicated = keyed.duplicated(subset=list(key), keep="first")
    columns = ", ".join(key)
    cap = ProblemCap()
    problems = []
    for record, first in zip(keyed[duplicated].to_dict("records"), first_row[duplicated]):
        if not cap.admit(record["_file"], columns):
            continue
        problems.append(
            Problem(
                record["_file"],
                int(record["_row"]),
                columns,
                " / ".join(_show(record[k]) for k in key),
                f"khoá ({columns}) bị trùng với dòng {int(first)} trong bảng {title}",
                ProblemCode.DUPLICATE_KEY,
            )
        )
    return problems + cap.summaries()


#: A column lists at most this many problems; one more line counts the rest (a pasted page of garbage, a whole
#: column in the wrong format), so the message stays readable and the work linear.
MAX_PROBLEMS_PER_COLUMN = 50


class ProblemCap:
    """Counts the problems of each (file, column) and admits the first ``limit`` of them."""

    def __init__(self, limit: int | None = None):
        self.limit = MAX_PROBLEMS_PER_COLUMN if limit is None else limit
        self.counts: Counter[tuple[str, str | None]] = Counter()

    def admit(self, file: str, column: str | None) -> bool:
        self.counts[(file, column)] += 1
        return self.counts[(file, column)] <= self.limit

    def summaries(self) -> list[Problem]:
        """One ``more_problems`` line per column that had more than ``limit`` problems."""
        return [
            Problem(
                file,
                None,
                column,
                None,
                f"còn {count - self.limit} lỗi khác ở cột này không liệt kê ra (chỉ nêu {self.limit} lỗi đầu tiên "
                "của mỗi cột); sửa các lỗi trên, thường cùng một nguyên nhân, rồi kiểm tra lại",
                ProblemCode.MORE_PROBLEMS,
            )
            for (file, column), count in self.counts.items()
            if count > self.limit
        ]


def cap_problems(problems: Iterable[Problem], limit: int | None = None) -> list[Problem]:
    """The problems with at most ``limit`` per (file, column) of a cell, then one line counting the rest."""
    cap = ProblemCap(limit)
    kept = [problem for problem in problems if problem.row is None or cap.admit(problem.file, problem.column)]
    return kept + cap.summaries()


class InvalidCells(frozenset):
    """The (file, row, column) cells that failed to parse. Immutable, so a copy is the object itself: pandas
    deep-copies ``attrs`` into every frame and row an operation makes, which made validation quadratic."""

    def __copy__(self) -> InvalidCells:
        return self

    def __deepcopy__(self, memo: dict) -> InvalidCells:
        return self


@dataclass(frozen=True)
class _Refused:
    """A cell value a column's parser refused: what it said, and the problem code."""

    message: str
    code: ProblemCode


#: A bad value is quoted in full up to this many characters (a pasted page or a 400-digit number is cut).
SHOWN_CHARACTERS = 80


def _clip(text: str) -> str:
    return text if len(text) <= SHOWN_CHARACTERS else f"{text[:SHOWN_CHARACTERS]}… ({_count(len(text))} ký tự)"


def _count(number: int) -> str:
    """A whole number with Vietnamese thousands dots: 101.999."""
    return f"{number:,}".replace(",", ".")


def _show(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def missing_message(column: Column) -> str:
    """What an empty required cell of ``column`` says (code ``missing_value``)."""
    return f"thiếu giá trị; {column.description}"


def problem_code(column: Column, error: ValueError) -> ProblemCode:
    """The code of a cell of ``column`` that its parser refused with ``error``: the error's own code (a number out
    of range) or the column type's. Every reader of cells (tables and the units' workbook) reports through it."""
    return getattr(error, "code", None) or _type_code(column)


def _type_code(column: Column) -> ProblemCode:
    if column.parse in (parse_code, parse_codes) or column.name.endswith("code"):
        return ProblemCode.BAD_CODE
    return {
        "float64": ProblemCode.NOT_A_NUMBER,
        "Int64": ProblemCode.NOT_AN_INTEGER,
        "bool": ProblemCode.NOT_A_BOOLEAN,
    }.get(column.dtype, ProblemCode.BAD_DATE if column.parse is parsing.parse_date else ProblemCode.BAD_VALUE)


def _empty(spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame({"_file": pd.Series(dtype="str"), "_row": pd.Series(dtype="Int64")})
    for column in spec.columns:
        frame[column.name] = pd.Series(dtype=column.dtype)
    return frame
