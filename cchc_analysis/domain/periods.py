"""Reporting periods: quarters (2023-Q2), six months (2023-H1) and years (2023)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.contracts import parse_period

__all__ = [
    "Period",
    "REPORTING_LAG_DAYS",
    "following",
    "half",
    "month_end",
    "months",
    "parse",
    "previous",
    "quarter",
    "quarter_of",
    "reporting_date",
    "reporting_quarter",
    "resolve_as_of",
    "results_year_before",
    "year_period",
]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """A reporting period; ordered by end date, then by length (a quarter before the half-year it closes)."""

    end: dt.date
    start: dt.date
    kind: str  # "quarter", "half" or "year"
    year: int
    index: int  # quarter 1..4, half 1..2, year 1

    @property
    def id(self) -> str:
        return {"quarter": f"{self.year}-Q{self.index}", "half": f"{self.year}-H{self.index}"}.get(
            self.kind, str(self.year)
        )

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

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.end, -self.start.toordinal()) < (other.end, -other.start.toordinal())


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
        return year_period(year)
    kind, index = text[5], int(text[6])
    if kind == "Q":
        return quarter(year, index)
    start = dt.date(year, 1 if index == 1 else 7, 1)
    end = dt.date(year, 6, 30) if index == 1 else dt.date(year, 12, 31)
    return Period(end, start, "half", year, index)


# ---------------------------------------------------------------------------
# Reporting dates, neighbours, months and the "as of" date
# ---------------------------------------------------------------------------

#: Days after a period's end by which the units' progress update for it is due. The plan (III.2) says only
#: "định kỳ hằng quý, sáu tháng và hằng năm"; the toolkit takes the period's last day (0 days), so that an
#: update still absent at the end of the period is flagged as missing.
REPORTING_LAG_DAYS = 0


def reporting_date(period: Period) -> dt.date:
    """The date by which the units' update for ``period`` is due (its end plus REPORTING_LAG_DAYS)."""
    return period.end + dt.timedelta(days=REPORTING_LAG_DAYS)


def half(year: int, index: int) -> Period:
    start = dt.date(year, 1 if index == 1 else 7, 1)
    end = dt.date(year, 6, 30) if index == 1 else dt.date(year, 12, 31)
    return Period(end, start, "half", year, index)


def year_period(year: int) -> Period:
    return Period(dt.date(year, 12, 31), dt.date(year, 1, 1), "year", year, 1)


def month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def months(period: Period) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of every month the period covers."""
    return [
        (dt.date(period.year, m, 1), month_end(period.year, m)) for m in range(period.start.month, period.end.month + 1)
    ]


def previous(period: Period) -> Period:
    """The period of the same kind just before: Q1 -> the previous year's Q4, H1 -> the previous H2."""
    if period.kind == "quarter":
        return quarter(period.year, period.index - 1) if period.index > 1 else quarter(period.year - 1, 4)
    if period.kind == "half":
        return half(period.year, 1) if period.index == 2 else half(period.year - 1, 2)
    return year_period(period.year - 1)


def following(period: Period) -> Period:
    """The period of the same kind just after: Q4 -> the next year's Q1."""
    if period.kind == "quarter":
        return quarter(period.year, period.index + 1) if period.index < 4 else quarter(period.year + 1, 1)
    if period.kind == "half":
        return half(period.year, 2) if period.index == 1 else half(period.year + 1, 1)
    return year_period(period.year + 1)


def quarter_of(day: dt.date) -> Period:
    """The quarter that contains ``day``."""
    return quarter(day.year, (day.month - 1) // 3 + 1)


def resolve_as_of(period: Period, value: object = "") -> dt.date:
    """The "as of" date of a status picture: ``value`` (dd/mm/yyyy or ISO), or the period's end when empty.

    A date before the period starts is refused (nothing of the period is known yet); a date after its end is
    accepted (a late meeting looks back at a closed period with the updates that arrived since).
    """
    from cchc_analysis.ingest import parsing

    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif value is None or not str(value).strip():
        return period.end
    else:
        try:
            day = parsing.parse_date(value)
        except ValueError as error:
            raise CchcParameterError(f'Ngày số liệu "{value}" không hợp lệ: {error}') from None
    if day < period.start:
        raise CchcParameterError(
            f"Ngày số liệu {day.strftime('%d/%m/%Y')} ở trước kỳ {period.label} "
            f"(từ {period.start.strftime('%d/%m/%Y')} đến {period.end.strftime('%d/%m/%Y')})"
        )
    return day


def results_year_before(years: Iterable[int], period: Period) -> int:
    """The results year a period's reports look back on: the latest of ``years`` (years with published scores)
    before the period's year. The one rule for the briefing's cards, its points-at-stake table and the batch.

    A period with no earlier results is refused rather than compared with results published after it.
    """
    known = sorted({int(y) for y in years})
    if not known:
        raise CchcParameterError("Dữ liệu chưa có kết quả chấm điểm của năm nào")
    earlier = [y for y in known if y < period.year]
    if not earlier:
        raise CchcParameterError(
            f"Không có kết quả chấm điểm nào trước năm {period.year} để {period.label} so sánh; "
            f"các năm có kết quả: {', '.join(map(str, known))}"
        )
    return earlier[-1]


def reporting_quarter(period: Period, as_of: dt.date) -> Period:
    """The quarter whose update gives the period's current picture: the last quarter of the period begun by ``as_of``."""
    begun = [q for q in period.quarters() if q.start <= as_of]
    return begun[-1] if begun else period.quarters()[0]
