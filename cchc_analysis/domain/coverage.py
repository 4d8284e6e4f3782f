"""Which reporting periods the data can support, and the refusal of the others.

A period's reports look back on the latest results before its year and follow the plan of its year. A year
is supported when the data holds a plan for it, or when it is the year right after the latest results (a
briefing can open the year before the plan is entered). Any other year would print a briefing that has
neither a plan nor the results it claims to look back on ("Quý I/2030" on 2022 results), so it is refused
with the list of valid periods.
"""

from __future__ import annotations

from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["check_period", "refusal", "supported_periods", "supported_years"]


def supported_years(ds: Dataset) -> list[int]:
    """Years with a plan in the data, and the year after the latest results."""
    years = {int(y) for y in ds.tasks["plan_year"].unique()} if not ds.tasks.empty else set()
    if ds.result_years:
        years.add(max(ds.result_years) + 1)
    return sorted(years)


def supported_periods(ds: Dataset) -> list[periods.Period]:
    """Every quarter, half and whole year of the supported years, in reading order."""
    found = []
    for year in supported_years(ds):
        found += [periods.quarter(year, i) for i in range(1, 5)]
        found += [periods.half(year, 1), periods.half(year, 2), periods.year_period(year)]
    return found


def refusal(ds: Dataset, period: periods.Period | str) -> str | None:
    """The Vietnamese message refusing a period the data cannot support, or None when it is supported."""
    chosen = periods.parse(period) if not isinstance(period, periods.Period) else period
    if chosen.year in supported_years(ds):
        return None
    valid = ", ".join(p.id for p in supported_periods(ds)) or "không có"
    return (
        f"Dữ liệu không có kế hoạch năm {chosen.year} và không có kết quả năm {chosen.year - 1} để báo cáo "
        f"{chosen.label}. Các kỳ hợp lệ: {valid}"
    )


def check_period(ds: Dataset, period: periods.Period | str) -> periods.Period:
    """The period, or CchcParameterError (exit 2) with the list of valid periods."""
    message = refusal(ds, period)
    if message:
        raise CchcParameterError(message)
    return periods.parse(period) if not isinstance(period, periods.Period) else period
