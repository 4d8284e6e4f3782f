"""Periods: parsing, ordering, reporting dates, neighbours and the "as of" date."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcParameterError


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2023-Q1", dt.date(2023, 1, 1), dt.date(2023, 3, 31), "Quý I/2023"),
        ("Quý 3/2023", dt.date(2023, 7, 1), dt.date(2023, 9, 30), "Quý III/2023"),
        ("2023-H1", dt.date(2023, 1, 1), dt.date(2023, 6, 30), "6 tháng đầu năm 2023"),
        ("2023-H2", dt.date(2023, 7, 1), dt.date(2023, 12, 31), "6 tháng cuối năm 2023"),
        ("2023", dt.date(2023, 1, 1), dt.date(2023, 12, 31), "Năm 2023"),
    ],
)
def test_parse_gives_start_end_label_and_reporting_date(text, start, end, label):
    period = periods.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert periods.reporting_date(period) == end  # REPORTING_LAG_DAYS = 0: due on the last day


@pytest.mark.parametrize("text", ["2023-Q5", "2023-H3", "Q1", "23-Q1", ""])
def test_bad_periods_are_clear_errors(text):
    with pytest.raises(CchcParameterError, match="2023-Q2"):
        periods.parse(text)


def test_ordering_puts_a_quarter_before_the_half_and_year_it_closes():
    shuffled = [periods.parse(p) for p in ("2023", "2023-Q4", "2023-H2", "2023-Q1", "2023-H1", "2023-Q2", "2023-Q3")]
    assert [p.id for p in sorted(shuffled)] == [
        "2023-Q1",
        "2023-Q2",
        "2023-H1",
        "2023-Q3",
        "2023-Q4",
        "2023-H2",
        "2023",
    ]


@pytest.mark.parametrize(
    "text, before, after",
    [
        ("2023-Q1", "2022-Q4", "2023-Q2"),
        ("2023-Q4", "2023-Q3", "2024-Q1"),
        ("2023-H1", "2022-H2", "2023-H2"),
        ("2023-H2", "2023-H1", "2024-H1"),
        ("2023", "2022", "2024"),
    ],
)
def test_previous_and_following_keep_the_kind(text, before, after):
    period = periods.parse(text)
    assert periods.previous(period).id == before
    assert periods.following(period).id == after


def test_half_and_year_cover_their_quarters_and_months():
    assert [q.id for q in periods.parse("2023-H2").quarters()] == ["2023-Q3", "2023-Q4"]
    assert len(periods.parse("2023").quarters()) == 4
    assert periods.months(periods.parse("2023-Q1"))[1] == (dt.date(2023, 2, 1), dt.date(2023, 2, 28))


def test_as_of_defaults_to_the_end_and_accepts_both_date_forms():
    q3 = periods.parse("2023-Q3")
    assert periods.resolve_as_of(q3, "") == dt.date(2023, 9, 30)
    assert periods.resolve_as_of(q3, "15/08/2023") == periods.resolve_as_of(q3, "2023-08-15") == dt.date(2023, 8, 15)
    assert periods.resolve_as_of(q3, "2023-10-10") == dt.date(2023, 10, 10)  # a late meeting looks back


@pytest.mark.parametrize(
    "value, message", [("2023-06-30", "trước kỳ"), ("31/09/2023", "không tồn tại"), ("mai", "dd/mm/yyyy")]
)
def test_bad_as_of_is_a_clear_error(value, message):
    with pytest.raises(CchcParameterError, match=message):
        periods.resolve_as_of(periods.parse("2023-Q3"), value)


def test_reporting_quarter_is_the_last_quarter_begun():
    year = periods.parse("2023")
    assert periods.reporting_quarter(year, dt.date(2023, 12, 31)).id == "2023-Q4"
    assert periods.reporting_quarter(year, dt.date(2023, 8, 15)).id == "2023-Q3"
    assert periods.reporting_quarter(periods.parse("2023-H1"), dt.date(2023, 9, 1)).id == "2023-Q2"


# --- the results year a period looks back on: one rule for the cards, the stake table and the batch ----------


@pytest.mark.parametrize(
    "period, years, expected",
    [
        ("2023-Q2", [2021, 2022], 2022),  # the seed: the 2023 plan looks back on the 2022 results
        ("2023", [2022, 2021, 2022], 2022),
        ("2022-Q4", [2021, 2022], 2021),  # a 2022 period cannot look back on results published in 2023
        ("2025-H1", [2019, 2021], 2021),  # a gap: the latest earlier year there is
    ],
)
def test_results_year_is_the_latest_before_the_period_year(period, years, expected):
    assert periods.results_year_before(years, periods.parse(period)) == expected


def test_a_period_with_no_earlier_results_is_refused_not_compared_with_later_ones():
    # The old context rule fell back to the latest year (2022) for a 2021 period, while the stake table refused:
    # the briefing's cards and its stake table named different years.
    with pytest.raises(CchcParameterError, match=r"trước năm 2021 .*Quý II/2021.*2021, 2022"):
        periods.results_year_before([2021, 2022], periods.parse("2021-Q2"))
    with pytest.raises(CchcParameterError, match="chưa có kết quả"):
        periods.results_year_before([], periods.parse("2023-Q2"))
