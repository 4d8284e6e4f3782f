"""Validated notebook parameters: the agency, the period, the date of the data and the years they refer to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cchc_analysis.config import DEFAULT_AGENCY
from cchc_analysis.domain import coverage, periods
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import Dataset, load_data


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


def context(
    *, period: str = "", agency: str = "", as_of: str = "", data_dir: str = "", year: int | None = None
) -> Context:
    """Validate a notebook's parameters and load the data; raises CchcParameterError or CchcDataError.

    ``year`` picks the results year to review (it must have scores); without it, the
    results year is the latest one before the period's year.
    """
    ds = load_data(Path(data_dir) if data_dir else None)
    agency_id = ds.resolve_agency(agency or DEFAULT_AGENCY)
    if not ds.result_years:
        raise CchcParameterError("Dữ liệu chưa có kết quả chấm điểm của năm nào")
    if year:
        if int(year) not in ds.result_years:
            years = ", ".join(map(str, ds.result_years))
            raise CchcParameterError(f"Không có kết quả chấm điểm năm {year}; các năm có kết quả: {years}")
        results_year = int(year)
    chosen = (
        periods.parse(period)
        if str(period).strip()
        else (periods.quarter(int(year) + 1, 4) if year else latest_period(ds))
    )
    day = periods.resolve_as_of(chosen, as_of)
    if not year:
        results_year = periods.results_year_before(ds.result_years, chosen)
    if str(period).strip():
        coverage.check_period(ds, chosen)  # a period with no plan and no results to look back on is refused
    return Context(ds, agency_id, chosen, day, results_year)
