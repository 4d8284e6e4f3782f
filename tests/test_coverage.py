"""Periods the data cannot support are refused with the list of valid ones (README: exit 2)."""

from __future__ import annotations

import dataclasses

import pytest

from cchc_analysis.domain import coverage
from cchc_analysis.errors import CchcParameterError

VALID_2023 = ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2023-H1", "2023-H2", "2023"]


def test_the_embedded_data_supports_exactly_2023(dataset):
    assert coverage.supported_years(dataset) == [2023]  # the 2023 plan, and the year after the 2022 results
    assert [p.id for p in coverage.supported_periods(dataset)] == VALID_2023


@pytest.mark.parametrize("period", ["2030-Q1", "2022", "2024-Q1", "2021-H2"])
def test_a_period_with_no_plan_and_no_results_to_look_back_on_is_refused(dataset, period):
    with pytest.raises(CchcParameterError) as refused:
        coverage.check_period(dataset, period)
    message = str(refused.value)
    assert "Các kỳ hợp lệ: " + ", ".join(VALID_2023) in message
    assert message.startswith("Dữ liệu không có kế hoạch năm")


@pytest.mark.parametrize("period", VALID_2023 + ["Quý 2/2023"])
def test_supported_periods_pass(dataset, period):
    assert coverage.refusal(dataset, period) is None
    assert coverage.check_period(dataset, period).year == 2023


def test_without_a_plan_the_year_after_the_latest_results_is_still_supported(dataset):
    no_plan = dataclasses.replace(dataset, tasks=dataset.tasks.iloc[0:0])
    assert coverage.supported_years(no_plan) == [2023]
    later = dataclasses.replace(dataset, scores=dataset.scores.assign(year=dataset.scores["year"] + 1))
    assert coverage.refusal(later, "2023-Q4") is None and coverage.refusal(later, "2024-Q1") is None


@pytest.mark.parametrize("period", ["2030-Q1", "2022"])
def test_cchc_report_refuses_a_period_the_data_cannot_support(period, tmp_path, capsys):
    from cchc_analysis.cli import main

    code = main(["report", period, "--out", str(tmp_path / "out"), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2
    assert "2023-Q1" in err and "2023-H2" in err  # the valid periods are listed
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


def test_a_notebook_context_refuses_the_same_period():
    from cchc_analysis.errors import CchcParameterError
    from cchc_analysis.present.context import context

    with pytest.raises(CchcParameterError, match="2023-Q4"):
        context(period="2030-Q1")
    assert context(period="2023-Q2").period.id == "2023-Q2"
    assert context(year=2021).results_year == 2021  # the score review of an earlier year needs no period
