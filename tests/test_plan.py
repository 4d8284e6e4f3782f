"""The status rules one by one (docs/plan_status.md), recurring occurrences, and the embedded plan's figures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from cchc_analysis.domain import plan

ROOT = Path(__file__).resolve().parents[1]
SEVEN = ["7.2.1", "7.2.2", "1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3"]


def judged(**values) -> pd.Series:
    """One occurrence judged at 31/03/2023 in 2023-Q1; defaults: an update in progress, 50 % done, half elapsed."""
    row = {
        "has_update": True,
        "update_due": True,
        "delivered": False,
        "reported": "in_progress",
        "percent": 50.0,
        "expected": 50.0,
        "due_date": "2023-06-30",
        "window_start": "2023-01-01",
        "as_of": "2023-03-31",
        "period_end": "2023-03-31",
    }
    row.update(values)
    frame = pd.DataFrame([row])
    for column in ("due_date", "window_start", "as_of", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    return plan.apply_rules(frame).iloc[0]


# --- the rules, in the order of docs/plan_status.md --------------------------------------------------------


def test_rule_1_missing_when_the_update_was_due():
    result = judged(has_update=False, update_due=True, reported="")
    assert (result["rule"], result["status"]) == (1, "missing")


def test_rule_1_missing_when_the_due_date_passed_even_if_the_update_is_not_yet_due():
    result = judged(has_update=False, update_due=False, reported="", due_date="2023-02-28")
    assert (result["rule"], result["status"]) == (1, "missing")


def test_rule_1_a_missing_update_is_never_counted_as_done():
    assert judged(has_update=False, delivered=True, reported="done", percent=100)["status"] == "missing"


def test_rule_2_done():
    result = judged(delivered=True, reported="done", percent=100, due_date="2023-02-28")
    assert (result["rule"], result["status"]) == (2, "done")


def test_rule_3_overdue():
    result = judged(due_date="2023-03-15", reported="blocked")
    assert (result["rule"], result["status"]) == (3, "overdue")


def test_rule_3_due_on_the_as_of_date_is_not_yet_overdue():
    assert judged(due_date="2023-03-31", percent=90, expected=100)["status"] == "on_track"


def test_rule_4_blocked_is_at_risk():
    result = judged(reported="blocked", percent=60, expected=50)
    assert (result["rule"], result["status"]) == (4, "at_risk")


def test_rule_5_not_due_after_the_period():
    result = judged(reported="not_started", percent=0, expected=50, due_date="2023-11-30")
    assert (result["rule"], result["status"]) == (5, "not_due")


def test_rule_5_not_due_when_the_window_has_not_begun():
    result = judged(
        has_update=False,
        update_due=False,
        reported="",
        percent=0,
        expected=0,
        window_start="2023-03-01",
        due_date="2023-03-31",
        as_of="2023-02-15",
    )
    assert (result["rule"], result["status"]) == (5, "not_due")


def test_rule_6_not_started_though_due_in_the_period():
    result = judged(reported="not_started", percent=0, expected=80, due_date="2023-03-31")
    assert (result["rule"], result["status"]) == (6, "not_started")


def test_rule_7_far_behind_with_the_deadline_in_the_period_is_at_risk():
    result = judged(percent=40, expected=100, due_date="2023-03-31")
    assert (result["rule"], result["status"]) == (7, "at_risk")


def test_rule_8_behind():
    result = judged(percent=20, expected=50, due_date="2023-06-30")
    assert (result["rule"], result["status"]) == (8, "behind")


def test_rule_8_within_the_tolerance_is_on_track():
    assert judged(percent=50 - plan.TOLERANCE, expected=50)["status"] == "on_track"


def test_rule_9_on_track():
    result = judged(percent=30, expected=50)
    assert (result["rule"], result["status"]) == (9, "on_track")


def test_the_documented_table_is_the_rule_table():
    text = (ROOT / "docs" / "plan_status.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d) \| (\w+) \| .+ \| .+ \(`(\w+)`\) \|$", text, re.M)
    assert [(int(n), name, status) for n, name, status in rows] == [(r.number, r.name, r.status) for r in plan.RULES]
    for status, label in plan.STATUSES.items():
        assert f"| `{status}` | {label} |" in text


def test_every_rule_has_a_docstring():
    assert all(rule.doc for rule in plan.RULES)


# --- occurrences of recurring tasks ----------------------------------------------------------------------


def tasks_table(**task) -> pd.DataFrame:
    base = {"task_id": "X-01", "plan_year": 2023, "kind": "recurring", "frequency": "monthly", "due_date": None}
    return pd.DataFrame([{**base, **task}])


@pytest.mark.parametrize(
    "frequency, period, expected",
    [
        ("monthly", "2023-Q2", ["Tháng 4/2023", "Tháng 5/2023", "Tháng 6/2023"]),
        ("monthly", "2023-H1", [f"Tháng {m}/2023" for m in range(1, 7)]),
        ("quarterly", "2023", ["Quý I/2023", "Quý II/2023", "Quý III/2023", "Quý IV/2023"]),
        ("six_monthly", "2023-Q3", ["6 tháng cuối năm 2023"]),
        ("yearly", "2023-Q1", ["Năm 2023"]),
    ],
)
def test_occurrences_of_recurring_tasks(frequency, period, expected):
    from cchc_analysis.domain import periods

    occ = plan.occurrences(tasks_table(frequency=frequency), periods.parse(period))
    assert list(occ["occurrence"]) == expected
    assert (occ["due_date"] >= occ["window_start"]).all()


def test_a_one_off_task_has_one_occurrence_from_new_year_to_its_due_date():
    from cchc_analysis.domain import periods

    occ = plan.occurrences(
        tasks_table(kind="one_off", frequency=None, due_date=dt.date(2023, 6, 30)), periods.parse("2023-Q3")
    )
    assert occ[["window_start", "due_date"]].values.tolist() == [[pd.Timestamp(2023, 1, 1), pd.Timestamp(2023, 6, 30)]]


def test_seventy_percent_of_three_monthly_reports_is_two_delivered_and_one_at_risk(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023-Q2")
    t308 = pic.occurrences[pic.occurrences["task_id"] == "T3-08"]  # reported in progress, 70 %
    assert list(t308["status"]) == ["done", "done", "at_risk"]
    assert t308["percent"].round(6).tolist() == [100, 100, 10]
    assert pic.tasks.set_index("task_id").at["T3-08", "status"] == "at_risk"


def test_the_yearly_view_keeps_the_quarter_each_monthly_report_was_due_in(dataset):
    year = plan.picture(dataset, "ban-dan-toc", "2023").occurrences
    t308 = year[year["task_id"] == "T3-08"].set_index("occurrence")
    assert t308.at["Tháng 6/2023", "judge_quarter"] == "2023-Q2"
    assert t308.at["Tháng 6/2023", "status"] == "overdue"
    assert t308.at["Tháng 12/2023", "status"] == "done"


def test_the_plans_quarterly_six_monthly_and_yearly_report_is_judged_each_quarter(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023")
    t108 = pic.occurrences[pic.occurrences["task_id"] == "T1-08"]  # III.2
    assert list(t108["occurrence"]) == ["Quý I/2023", "Quý II/2023", "Quý III/2023", "Quý IV/2023"]
    assert list(t108["judge_quarter"]) == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]


# --- the embedded plan ---------------------------------------------------------------------------------


def test_missing_updates_of_the_embedded_data(dataset):
    found = {
        p: plan.picture(dataset, "ban-dan-toc", p).missing_updates[["task_id", "quarter"]].values.tolist()
        for p in ("2023-Q1", "2023-Q2", "2023-H1", "2023-Q3", "2023-Q4", "2023-H2", "2023")
    }
    assert found["2023-Q1"] == found["2023-Q2"] == found["2023-H1"] == []
    assert found["2023-Q3"] == [["T5-04", "2023-Q3"]]
    assert found["2023-Q4"] == [["T6-02", "2023-Q4"]]
    assert found["2023-H2"] == found["2023"] == [["T5-04", "2023-Q3"], ["T6-02", "2023-Q4"]]


def test_a_task_missing_its_update_is_flagged_not_fine(dataset):
    q3 = plan.picture(dataset, "ban-dan-toc", "2023-Q3").tasks.set_index("task_id")
    q4 = plan.picture(dataset, "ban-dan-toc", "2023-Q4").tasks.set_index("task_id")
    assert q3.at["T5-04", "status"] == "missing"  # done in Q2, but Q3's update never came
    assert q4.at["T6-02", "status"] == "missing"
    assert "missing" not in plan.FINE


def test_an_update_dated_after_as_of_is_not_known(dataset):
    early = plan.picture(dataset, "ban-dan-toc", "2023-Q3", "2023-09-15").tasks.set_index("task_id")
    # T1-01's Q3 update is dated 25/09/2023: on 15/09 the Q2 update (40 %) is the latest known.
    assert early.at["T1-01", "update_percent"] == 40
    # 40 % against 77 % of its window elapsed (1 January to 30 November): more than 25 points behind.
    assert early.at["T1-01", "status"] == "behind"
    assert (
        plan.picture(dataset, "ban-dan-toc", "2023-Q3").tasks.set_index("task_id").at["T1-01", "status"] == "on_track"
    )


@pytest.mark.parametrize(
    "period, counts",
    [
        ("2023-Q1", {"done": 34, "on_track": 6, "at_risk": 3, "overdue": 1}),
        ("2023-Q2", {"done": 37, "on_track": 4, "at_risk": 2, "overdue": 1}),
        ("2023-Q3", {"done": 38, "on_track": 4, "overdue": 1, "missing": 1}),
        ("2023-Q4", {"done": 43, "missing": 1}),
    ],
)
def test_status_counts_per_quarter(dataset, period, counts):
    pic = plan.picture(dataset, "ban-dan-toc", period)
    assert pic.tasks["status"].value_counts().to_dict() == counts
    assert len(pic.tasks) == 44


def test_summaries_by_unit_field_and_sub_criterion(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023-Q2")
    units = plan.by_unit(pic)
    assert units["total"].to_dict() == {"Văn phòng Ban": 23, "Các phòng thuộc Ban": 17, "Thanh tra Ban": 4}
    assert units.loc["Các phòng thuộc Ban", "at_risk"] == 2
    fields = plan.by_field(pic)
    assert list(fields.index) == ["1", "2", "3", "4", "5", "6", "7"] and fields["total"].sum() == 44
    assert fields.loc["7", "overdue"] == 1
    linked = plan.by_sub_criterion(pic)
    assert sorted(linked.index) == sorted(SEVEN)


def test_points_at_stake_lists_the_seven_sub_criteria_with_their_tasks_and_owners(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023-Q2")
    stake = plan.points_at_stake(dataset, pic)
    assert list(stake["code"]) == SEVEN
    owners = dict(zip(stake["code"], zip(stake["task_id"], stake["unit_name"])))
    assert owners == {
        "1.2.2": ("T1-04", "Văn phòng Ban"),
        "1.5.1": ("T1-06", "Các phòng thuộc Ban"),
        "2.1.1.1": ("T2-04", "Thanh tra Ban"),
        "3.1.2": ("T3-06", "Văn phòng Ban"),
        "3.1.3": ("T3-06", "Văn phòng Ban"),
        "7.2.1": ("T7-05", "Văn phòng Ban"),
        "7.2.2": ("T7-05", "Văn phòng Ban"),
    }
    assert stake.set_index("code")["lost"].to_dict()["7.2.1"] == 1.5
    assert set(stake.loc[~stake["covered"], "code"]) == {"7.2.1", "7.2.2"}  # T7-05 blocked mid-year


def test_alerts_of_the_third_quarter(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023-Q3")
    found = plan.alerts(dataset, pic)
    assert found[["kind", "subject"]].values.tolist() == [
        ["uncovered", "7.2.1"],
        ["uncovered", "7.2.2"],
        ["overdue", "T7-05"],
        ["missing", "T5-04"],
        ["due_next", "T1-01"],
        ["due_next", "T2-07"],
        ["due_next", "T3-06"],
        ["due_next", "T4-01"],
    ]


def test_the_fourth_quarter_covers_every_sub_criterion(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023-Q4")
    assert plan.points_at_stake(dataset, pic)["covered"].all()
    assert plan.alerts(dataset, pic)[["kind", "subject"]].values.tolist() == [["missing", "T6-02"]]


def test_changes_since_the_previous_quarter(dataset):
    q2 = plan.picture(dataset, "ban-dan-toc", "2023-Q2")
    moved = plan.changes(dataset, q2).set_index("task_id")
    assert moved.loc["T1-05", ["before", "after", "better"]].tolist() == ["at_risk", "done", True]
    assert moved.loc["T3-08", ["before", "after", "better"]].tolist() == ["done", "at_risk", False]
    assert plan.changes(dataset, plan.picture(dataset, "ban-dan-toc", "2023-Q1")).empty  # no 2022 plan
