"""Validated notebook parameters: the agency, the period, the date of the data and the years they refer to.

The one place a notebook validates its parameters (the cell after the ``parameters`` cell calls
:func:`context`). Every parameter is checked and every bad one is reported at once, in one
:class:`~cchc_analysis.errors.CchcParameterError` whose Vietnamese message a notebook shows without a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cchc_analysis.config import DEFAULT_AGENCY
from cchc_analysis.domain import coverage, periods
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import Dataset, load_data

__all__ = ["Context", "context", "latest_period"]


def latest_period(ds: Dataset) -> periods.Period:
    """The latest quarter with progress updates, else the quarter after the latest results."""
    if not ds.progress.empty:
        return max(periods.parse(p) for p in ds.progress["period"].unique())
    return periods.quarter(max(ds.result_years) + 1, 1)


@dataclass(frozen=True)
class Context:
    """Validated parameters of one briefing and the data they refer to."""

    ds: Dataset
    agency_id: str
    period: periods.Period
    as_of: dt.date
    results_year: int  # the latest published results before the period's year

    @property
    def agency_name(self) -> str:
        return self.ds.agency_name(self.agency_id)


#: A period that holds every date, to check the form of an "as of" date when the period itself is bad.
_ALL_TIME = periods.Period(dt.date.max, dt.date.min, "year", dt.date.min.year, 1)


def _year(value: object, known: list[int]) -> int:
    """A results year from a notebook parameter: an int, or text of one (papermill's ``-r``/``-p year abc``)."""
    listed = ", ".join(map(str, known))
    text = str(value).strip()
    if isinstance(value, bool) or not (isinstance(value, int) or (text.isascii() and text.isdigit())):
        raise CchcParameterError(
            f'Năm "{value}" không hợp lệ: cần một năm có kết quả chấm điểm, ví dụ {known[-1]}; các năm có kết quả: {listed}'
        )
    year = int(text)
    if year not in known:
        raise CchcParameterError(f"Không có kết quả chấm điểm năm {year}; các năm có kết quả: {listed}")
    return year


def _plan_years(ds: Dataset, agency_id: str) -> list[int]:
    tasks = ds.tasks.loc[ds.tasks["agency_id"] == agency_id, "plan_year"].dropna()
    return sorted({int(y) for y in tasks})


def context(
    *,
    period: str = "",
    agency: str = "",
    as_of: str = "",
    data_dir: str = "",
    year: int | str | None = None,
    needs_plan: bool = False,
) -> Context:
    """Validate a notebook's parameters and load the data; raises CchcParameterError or CchcDataError.

    ``year`` picks the results year to review (it must have scores; 0 is the latest); without it, the results
    year is the latest one before the period's year. ``needs_plan`` (the plan progress notebook) also asks that the agency has an
    improvement plan for the period's year. Every bad parameter is named in the one error raised.
    """
    ds = load_data(Path(data_dir) if str(data_dir).strip() else None)
    if not ds.result_years:
        raise CchcParameterError("Dữ liệu chưa có kết quả chấm điểm của năm nào")
    known = sorted(ds.result_years)
    messages: list[str] = []

    def check(step, *args):
        try:
            return step(*args)
        except CchcParameterError as error:
            messages.extend(error.messages)
            return None

    agency_id = check(ds.resolve_agency, str(agency).strip() or DEFAULT_AGENCY)
    has_year = year is not None and str(year).strip() != ""
    if has_year and str(year).strip() == "0":  # the score review's default: the latest year with results
        year = known[-1]
    results_year = check(_year, year, known) if has_year else None
    if str(period).strip():
        chosen = check(periods.parse, period)
    elif has_year:
        chosen = periods.quarter(results_year + 1, 4) if results_year is not None else None
    else:
        chosen = latest_period(ds)
    if chosen is not None:
        day = check(periods.resolve_as_of, chosen, as_of)
    else:  # no period to hold the date against: still say when the date itself is not one
        day = None
        check(periods.resolve_as_of, _ALL_TIME, as_of)
    said = len(messages)
    if chosen is not None and not has_year:
        results_year = check(periods.results_year_before, known, chosen)
    if str(period).strip() and chosen is not None and len(messages) == said:
        check(coverage.check_period, ds, chosen)  # a period with no plan and no results to look back on is refused
    if needs_plan and agency_id is not None and chosen is not None and chosen.year not in _plan_years(ds, agency_id):
        planned = ", ".join(map(str, _plan_years(ds, agency_id))) or "không có"
        messages.append(
            f"{ds.agency_name(agency_id)} không có kế hoạch cải thiện Chỉ số CCHC năm {chosen.year} trong dữ liệu, "
            f"nên không có tiến độ để theo dõi (các năm có kế hoạch: {planned}); "
            "chọn cơ quan có kế hoạch, ví dụ ban-dan-toc, hoặc xem kết quả chấm điểm ở notebook 01_score_review"
        )
    if messages:
        raise CchcParameterError(messages)
    assert agency_id is not None and chosen is not None and day is not None and results_year is not None
    return Context(ds, agency_id, chosen, day, results_year)
