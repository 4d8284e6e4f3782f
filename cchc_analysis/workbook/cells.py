"""What every workbook the toolkit writes does with its cells and sheet names: data is written as text (a value
that starts like a formula never becomes one, and a text longer than an Excel cell holds is refused rather than
cut), and sheet names are unique, legal and at most 31 characters."""

from __future__ import annotations

import re

from cchc_analysis.errors import CchcParameterError

__all__ = ["FORMULA_LIKE", "set_text", "unique_sheet_name"]

#: A text starting with one of these would be read by Excel as a formula.
FORMULA_LIKE = ("=", "+", "-", "@")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_LENGTH = 31
#: The longest text an Excel cell holds: Excel cuts a longer one when it opens the file.
EXCEL_MAX_TEXT = 32767


def unique_sheet_name(name: str, taken: set[str], *, reserved: str = "", fallback: str = "Trang") -> str:
    """A sheet name for ``name``: characters Excel forbids replaced, at most 31 characters, not ``reserved`` and
    unique against ``taken`` (compared without case; the name is added to it), numbered " (2)", " (3)" … if needed."""
    base = _SHEET_FORBIDDEN.sub("-", name).strip("'")[:_SHEET_LENGTH] or fallback
    candidate, number = base, 2
    while candidate.casefold() in taken or candidate == reserved:
        suffix = f" ({number})"
        candidate, number = base[: _SHEET_LENGTH - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def set_text(cell, value: object) -> None:
    """Write data as text: a value starting with = + - @ stays text (never a formula) and shows as typed."""
    text = "" if value is None else str(value)
    if len(text) > EXCEL_MAX_TEXT:
        raise CchcParameterError(
            f"Không xuất được sổ: ô {cell.parent.title}!{cell.coordinate} cần chứa một văn bản dài "
            f"{len(text):,} ký tự".replace(",", ".")
            + f", quá giới hạn {EXCEL_MAX_TEXT:,} ký tự của một ô Excel".replace(",", ".")
            + f' (Excel sẽ cắt bớt); văn bản bắt đầu bằng: "{text[:60]}…". Hãy rút gọn văn bản này trong dữ liệu '
            "rồi xuất lại."
        )
    cell.value = text if text else None
    if text:
        cell.data_type = "s"
        if text.startswith(FORMULA_LIKE):
            cell.quotePrefix = True
