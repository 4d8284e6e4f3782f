"""Reporting periods: quarters (2023-Q2), six months (2023-H1) and years (2023)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cchc_analysis.exceptions import CchcParameterError
from cchc_analysis.schema import parse_period

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; ordered by end date, then by length (a quarter before the half-year it closes)."""

    end: dt.date
    start: dt.date
    kind: str  # "quarter", "half" or "year"
    year: int
    index: int  # quarter 1..4, half 1..2, year 1

    @property
    def id(self) -> str:
        return {"quarter": f"{self.year}-Q{self.index}", "half": f"{self.year}-H{self.index}"}.get(self.kind, str(self.year))

    @property
    def label(self) -> str:
        """Vietnamese label as documents write it: 'Quý II/2023', '6 tháng đầu năm 2023', 'Năm 2023'."""
        if self.kind == "quarter":
            return f"Quý {_ROMAN[self.index]}/{self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def quarters(self) -> list[Period]:
        """The quarters this period covers."""
        return [q for q in (quarter(self.year, i) for i in range(1, 5)) if self.start <= q.start and q.end <= self.end]

    def __str__(self) -> str:
        return self.id


def quarter(year: int, index: int) -> Period:
    start = dt.date(year, 3 * index - 2, 1)
    end = (dt.date(year, 3 * index + 1, 1) if index < 4 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
    return Period(end, start, "quarter", year, index)


def parse(value: object) -> Period:
    """Parse '2023-Q2', '2023-H1', '2023' (and 'Quý 2/2023'); a clear CchcParameterError otherwise."""
    try:
        text = parse_period(value)
    except ValueError as error:
        raise CchcParameterError(f'Kỳ báo cáo "{value}" không hợp lệ: {error}') from None
    year = int(text[:4])
    if len(text) == 4:
        return Period(dt.date(year, 12, 31), dt.date(year, 1, 1), "year", year, 1)
    kind, index = text[5], int(text[6])
    if kind == "Q":
        return quarter(year, index)
    start = dt.date(year, 1 if index == 1 else 7, 1)
    end = dt.date(year, 6, 30) if index == 1 else dt.date(year, 12, 31)
    return Period(end, start, "half", year, index)
