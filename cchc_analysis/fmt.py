"""Vietnamese formatting for everything a reader sees: decimal comma, dd/mm/yyyy dates."""

from __future__ import annotations

import datetime as dt
import math

__all__ = ["date", "number", "percent", "points", "rank", "signed"]


def number(value: float | int | None, decimals: int | None = None, *, empty: str = "–") -> str:
    """Format a number the way Vietnamese official documents do: 82,91; 1.234,5; 8.

    ``decimals=None`` keeps up to two decimals and drops trailing zeros
    (11,5 rather than 11,50; 8 rather than 8,00).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    if decimals is None:
        text = f"{round(float(value), 2):,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{float(value):,.{decimals}f}"
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    # Swap separators: 1,234.5 -> 1.234,5
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def points(value: float | None, maximum: float | None = None) -> str:
    """Points, optionally against a maximum: '11,5/12,5'."""
    if maximum is None:
        return number(value)
    return f"{number(value)}/{number(maximum)}"


def percent(share: float | None, decimals: int = 1) -> str:
    """A share in [0, 1] as a Vietnamese percentage: 0.639 -> '63,9\u00a0%'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{number(share * 100, decimals)}\u00a0%"  # no-break space: never wraps in a table cell


def signed(value: float | None, decimals: int | None = None) -> str:
    """A change with its sign: +4,18 or −0,5 (true minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = number(abs(value), decimals)
    if round(value, 6) > 0:
        return f"+{text}"
    if round(value, 6) < 0:
        return f"\u2212{text}"
    return text


def rank(position: int | None, out_of: int | None) -> str:
    """A rank the way the province publishes it: '13/20'."""
    if position is None or out_of is None:
        return "–"
    return f"{int(position)}/{int(out_of)}"


def date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy."""
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y")
