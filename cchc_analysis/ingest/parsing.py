"""Parsing of values typed by people: numbers with a decimal comma or dot, dates, yes/no, names.

Every parser returns the parsed value or raises ValueError with a Vietnamese
description of what was expected; the schema layer turns that into a Problem
that names the file, row and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

__all__ = [
    "EXPECTED_BOOL",
    "EXPECTED_DATE",
    "EXPECTED_INTEGER",
    "EXPECTED_NUMBER",
    "MAX_INTEGER",
    "TOO_LARGE",
    "clean_text",
    "fold",
    "parse_bool",
    "parse_date",
    "parse_integer",
    "parse_number",
]

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")

EXPECTED_NUMBER = "cần một số, ví dụ 11,5 hoặc 11.5"
EXPECTED_INTEGER = "cần một số nguyên, ví dụ 2023"
EXPECTED_DATE = "cần một ngày dạng dd/mm/yyyy (ví dụ 31/03/2023) hoặc yyyy-mm-dd"
EXPECTED_BOOL = "cần có/không (có, không, x, 1, 0, true, false)"
TOO_LARGE = "số quá lớn"
#: Integers beyond this are not exact as floats (and overflow a table's 64-bit integer column).
MAX_INTEGER = 2**53


def clean_text(value: object) -> str:
    """Strip, fold every kind of space (incl. non-breaking) to one, and normalise to NFC."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable() and "  " not in text and text.strip() == text:
        return text  # the usual cell: nothing to fold or normalise (a third of the cost of a load)
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def fold(value: object) -> str:
    """A key for matching names without regard to case, diacritics or spacing.

    'Ban Dân tộc tỉnh', 'ban dan toc tinh' and the NFD form all fold alike.
    """
    text = unicodedata.normalize("NFD", clean_text(value).casefold())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    # Removing a stray mark can leave a space at an end or two spaces together; fold them again.
    return _SPACES.sub(" ", text.replace("đ", "d")).strip()


def parse_number(value: object) -> float:
    """Parse '11,5', '11.5', '1.234,5', '1,234.5', ' 8 ' (non-breaking spaces allowed)."""
    text = clean_text(value).replace(" ", "")
    if not text:
        raise ValueError(EXPECTED_NUMBER)
    if _PLAIN.match(text):
        number = float(text.replace(",", "."))
    elif _THOUSANDS_DOT.match(text):
        number = float(text.replace(".", "").replace(",", "."))
    elif _THOUSANDS_COMMA.match(text):
        number = float(text.replace(",", ""))
    else:
        raise ValueError(EXPECTED_NUMBER)
    if not math.isfinite(number):  # hundreds of digits overflow to inf: never let inf into a table
        raise ValueError(f"{TOO_LARGE}; {EXPECTED_NUMBER}")
    return number + 0.0  # -0 becomes 0


def parse_integer(value: object) -> int:
    """Parse a whole number; '2023', '2023.0' (a spreadsheet float) are accepted, '2023,5' is not."""
    try:
        number = parse_number(value)
    except ValueError as error:
        too_large = str(error).startswith(TOO_LARGE)
        raise ValueError(f"{TOO_LARGE}; {EXPECTED_INTEGER}" if too_large else EXPECTED_INTEGER) from None
    if not number.is_integer():
        raise ValueError(EXPECTED_INTEGER)
    if abs(number) > MAX_INTEGER:
        raise ValueError(f"{TOO_LARGE}; {EXPECTED_INTEGER}")
    return int(number)


_TIME = r"(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?"
_DMY = re.compile(rf"^([0-9]{{1,2}})[/.-]([0-9]{{1,2}})[/.-]([0-9]{{4}}|[0-9]{{2}}){_TIME}$")
_YMD = re.compile(rf"^([0-9]{{4}})[/.-]([0-9]{{1,2}})[/.-]([0-9]{{1,2}}){_TIME}$")


def parse_date(value: object) -> dt.date:
    """Parse dd/mm/yyyy (also with '.' or '-', or a two-digit year 27/03/23 = 2023) or yyyy-mm-dd (also
    yyyy/mm/dd); a time of day after the date (27/03/2023 08:30, an Excel date-time cell) is read and dropped."""
    text = clean_text(value)
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups()[:3])
        if len(match.group(3)) == 2:
            year += 2000  # the toolkit's years are 2000–2100
    else:
        match = _YMD.match(text)
        if not match:
            raise ValueError(EXPECTED_DATE)
        year, month, day = (int(g) for g in match.groups()[:3])
    hour, minute, second = (int(g or 0) for g in match.groups()[3:])
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"giờ không hợp lệ; {EXPECTED_DATE}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"ngày không tồn tại; {EXPECTED_DATE}") from None


_TRUE = {"co", "x", "1", "true", "yes", "dung", "c"}
_FALSE = {"khong", "0", "false", "no", "sai", "k", ""}


def parse_bool(value: object) -> bool:
    """Parse yes/no the way people type it in Vietnamese or English; empty means no."""
    key = fold(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(EXPECTED_BOOL)
