"""The validated parameters of a notebook use the one rule of domain/periods for the as-of date and the results
year, so the briefing's cards, its stake table and the batch agree (issue "Architecture v2", §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DATA as DATA_DIR

from cchc_analysis import report
from cchc_analysis.domain import periods, plan
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.present import context

BEFORE_Q3 = "Ngày số liệu 30/06/2023 ở trước kỳ Quý III/2023 (từ 01/07/2023 đến 30/09/2023)"


@pytest.fixture(scope="module")
def ds():
    return load_data(DATA_DIR)


def test_an_as_of_before_the_period_is_refused_everywhere_with_the_same_message(ds):
    with pytest.raises(CchcParameterError) as by_context:
        context.context(period="2023-Q3", as_of="30/06/2023", data_dir=str(DATA_DIR))
    with pytest.raises(CchcParameterError) as by_plan:
        plan.picture(ds, "ban-dan-toc", "2023-Q3", "30/06/2023")
    assert str(by_context.value) == str(by_plan.value) == BEFORE_Q3


def test_an_as_of_after_the_period_is_accepted_by_both(ds):
    ctx = context.context(period="2023-Q3", as_of="10/10/2023", data_dir=str(DATA_DIR))
    assert ctx.as_of == dt.date(2023, 10, 10)
    assert plan.picture(ds, "ban-dan-toc", "2023-Q3", ctx.as_of).as_of == dt.date(2023, 10, 10)


def test_the_cards_the_stake_table_and_the_batch_name_the_same_results_year(ds, tmp_path):
    ctx = context.context(period="2023-Q2", data_dir=str(DATA_DIR))
    stake = plan.points_at_stake(ds, plan.picture(ds, ctx.agency_id, ctx.period, ctx.as_of))
    jobs = report.plan_jobs(ds, ctx.period, [ctx.agency_id], tmp_path, ("01_score_review",))
    assert ctx.results_year == 2022 == set(stake["results_year"]).pop() == jobs[0].parameters["year"]


def test_a_period_with_no_earlier_results_is_refused_by_the_cards_the_stake_table_and_the_batch(ds, tmp_path):
    # The data holds results for 2021 and 2022: a 2021 period has nothing to look back on. The old context rule
    # showed 2022 on the cards while the stake table refused.
    with pytest.raises(CchcParameterError, match="trước năm 2021") as by_context:
        context.context(period="2021-Q4", data_dir=str(DATA_DIR))
    with pytest.raises(CchcParameterError) as by_batch:
        report.plan_jobs(ds, periods.parse("2021-Q4"), ["ban-dan-toc"], tmp_path, ("03_briefing",))
    assert str(by_context.value) == str(by_batch.value)
