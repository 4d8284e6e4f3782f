"""The status rules one by one (docs/plan_status.md), occurrences, and each wrong case of the plan-tracking issue
reproduced with the seed's task ids.

Scenario tests run the real plan (data/plan) against a hand-written progress table in a copy of the data folder,
so every expected status follows from the rows written here and the rules, not from the function under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

from cchc_analysis.domain import plan
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.ingest.tables import PROGRESS

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2023, 2, 22)  # the review meeting the plan was built from (data/plan/plans.csv)


def judged(**values) -> pd.Series:
    """One occurrence judged at 31/03/2023; defaults: a one-off due 30/06 in progress at 50 %, a third elapsed."""
    row = {
        "applicable": True,
        "reported": "in_progress",
        "completed_on": None,
        "update_required": True,
        "has_required_update": True,
        "percent": 50.0,
        "expected": 30.0,
        "window_start": "2023-02-22",
        "due_date": "2023-06-30",
        "as_of": "2023-03-31",
    }
    row.update(values)
    frame = pd.DataFrame([row])
    for column in ("completed_on", "window_start", "due_date", "as_of"):
        frame[column] = pd.to_datetime(frame[column])
    return plan.apply_rules(frame).iloc[0]


# --- the rules, in the order of docs/plan_status.md; each test fails when its rule is flipped ---------------


def test_rule_1_not_applicable_before_the_plan_existed():
    result = judged(applicable=False, reported="", has_required_update=False)
    assert (result["rule"], result["status"]) == (1, "not_applicable")


def test_rule_1_not_applicable_when_the_unit_says_so():
    assert judged(reported="not_applicable")["status"] == "not_applicable"


def test_rule_2_done_on_time():
    result = judged(reported="done", completed_on="2023-03-20", due_date="2023-03-31")
    assert (result["rule"], result["status"]) == (2, "done")


def test_rule_3_done_late():
    result = judged(reported="done", completed_on="2023-03-20", due_date="2023-02-28")
    assert (result["rule"], result["status"]) == (3, "done_late")


def test_done_needs_no_further_update():
    assert judged(reported="done", completed_on="2023-03-20", has_required_update=False)["status"] == "done"


def test_rule_4_not_due_before_the_window_begins():
    result = judged(reported="", window_start="2023-04-01", has_required_update=False, update_required=False)
    assert (result["rule"], result["status"]) == (4, "not_due")


def test_rule_5_missing_update():
    result = judged(reported="in_progress", has_required_update=False)
    assert (result["rule"], result["status"]) == (5, "missing")


def test_rule_6_blocked_even_past_the_due_date():
    result = judged(reported="blocked", due_date="2023-02-28")
    assert (result["rule"], result["status"]) == (6, "blocked")


def test_rule_7_overdue():
    result = judged(due_date="2023-03-15")
    assert (result["rule"], result["status"]) == (7, "overdue")


def test_rule_7_due_on_the_as_of_date_is_not_yet_overdue():
    assert judged(due_date="2023-03-31", percent=90, expected=100)["status"] == "on_track"


def test_rule_8_at_risk_when_far_behind_and_due_within_a_month():
    result = judged(percent=40, expected=95, due_date="2023-04-15")
    assert (result["rule"], result["status"]) == (8, "at_risk")


def test_rule_9_behind_when_the_due_date_is_further():
    result = judged(percent=10, expected=60, due_date="2023-06-30")
    assert (result["rule"], result["status"]) == (9, "behind")


def test_rule_9_within_the_tolerance_is_on_track():
    assert judged(percent=60 - plan.TOLERANCE, expected=60)["status"] == "on_track"


def test_rule_10_on_track():
    result = judged()
    assert (result["rule"], result["status"]) == (10, "on_track")


def test_a_delivery_without_percent_is_on_track_unless_not_started():
    assert judged(percent=float("nan"), expected=90)["status"] == "on_track"
    assert judged(percent=0.0, reported="not_started", expected=90, due_date="2023-04-15")["status"] == "at_risk"


def test_the_documented_table_is_the_rule_table():
    text = (ROOT / "docs" / "plan_status.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (\w+) \| .+ \| .+ \(`(\w+)`\) \|$", text, re.M)
    assert [(int(n), name, status) for n, name, status in rows] == [(r.number, r.name, r.status) for r in plan.RULES]
    for status, label in plan.STATUSES.items():
        assert f"| `{status}` | {label} |" in text


def test_every_rule_has_a_docstring():
    assert all(rule.doc for rule in plan.RULES)


@pytest.mark.parametrize(
    "statuses, expected",
    [
        (["not_applicable", "done", "not_due"], "on_track"),
        (["done", "done_late"], "done_late"),
        (["done", "done"], "done"),
        (["not_due", "not_due"], "not_due"),
        (["done", "blocked", "overdue"], "overdue"),
        (["missing", "overdue"], "missing"),
        (["not_applicable"], "not_applicable"),
    ],
)
def test_a_tasks_status_from_its_occurrences(statuses, expected):
    assert plan.task_status(pd.Series(statuses)) == expected


# --- scenarios on the real plan ------------------------------------------------------------------------------


def write_progress(folder: Path, rows: list[dict]) -> Path:
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    with (data / "progress" / "progress.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, PROGRESS.column_names)
        writer.writeheader()
        for row in rows:
            writer.writerow({"provenance": "illustrative", "period": "2023-Q1", **row})
    return data


def update(task_id, occurrence, period, status, updated_on, **extra) -> dict:
    return {
        "task_id": task_id,
        "occurrence": occurrence,
        "period": period,
        "status": status,
        "updated_on": updated_on,
        **extra,
    }


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    """Hand-written updates telling the issue's cases."""
    rows = [
        # T7-05: continuous, blocked by the seed's own cause in Q1 and Q2.
        update("T7-05", "2023-Q1", "2023-Q1", "blocked", "2023-03-25", blocker="bình chọn người có uy tín vào quý IV"),
        update("T7-05", "2023-Q2", "2023-Q2", "blocked", "2023-06-25", blocker="bình chọn người có uy tín vào quý IV"),
        # T7-03 (inferred link to 7.2.1/7.2.2): delivered every quarter.
        update("T7-03", "2023-Q1", "2023-Q1", "done", "2023-03-25", completed_on="2023-03-24"),
        update("T7-03", "2023-Q2", "2023-Q2", "done", "2023-06-25", completed_on="2023-06-24"),
        # T2-04 due 28/02, done on 20/03, reported on 22/03.
        update("T2-04", "once", "2023-Q1", "done", "2023-03-22", percent_done="100", completed_on="2023-03-20"),
        # T1-05 at 40 % on its due date 31/03, done on 18/04.
        update("T1-05", "once", "2023-Q1", "in_progress", "2023-03-28", percent_done="40"),
        update("T1-05", "once", "2023-Q2", "done", "2023-04-20", percent_done="100", completed_on="2023-04-18"),
        # T5-05 (yearly): in progress at 20 % in Q1.
        update("T5-05", "2023", "2023-Q1", "in_progress", "2023-03-28", percent_done="20"),
        # T5-04 done in Q2; no update in Q3.
        update("T5-04", "once", "2023-Q1", "in_progress", "2023-03-28", percent_done="30"),
        update("T5-04", "once", "2023-Q2", "done", "2023-06-20", percent_done="100", completed_on="2023-06-19"),
        # T6-03b (monthly): April delivered, May not.
        update("T6-03b", "2023-M04", "2023-Q2", "done", "2023-06-25", completed_on="2023-04-28"),
        update("T6-03b", "2023-M05", "2023-Q2", "not_started", "2023-06-25"),
    ]
    return write_progress(tmp_path_factory.mktemp("story"), rows)


@pytest.fixture(scope="module")
def story_ds(story):
    return load_data(story)


def occurrence(pic, task_id, occ):
    found = pic.occurrences[(pic.occurrences["task_id"] == task_id) & (pic.occurrences["occurrence"] == occ)]
    assert len(found) == 1, (task_id, occ)
    return found.iloc[0]


def test_the_plan_starts_on_the_review_meeting_a_derived_field_of_the_plan(dataset):
    info = plan.plan_info(dataset, "ban-dan-toc", 2023)
    assert (info.start, info.provenance) == (START, "derived") and "22/02/2023" in info.note


def test_nothing_is_due_before_the_plans_start(story_ds):
    pic = plan.picture(story_ds, "ban-dan-toc", "2023-Q1")
    before = pic.occurrences[pic.occurrences["due_date"] < pd.Timestamp(START)]
    assert set(before["status"]) == {"not_applicable"}
    assert occurrence(pic, "T6-03b", "2023-M01")["status"] == "not_applicable"  # January report: no plan yet
    assert (pic.occurrences.loc[pic.occurrences["applicable"], "window_start"] >= pd.Timestamp(START)).all()


def test_t7_05_is_blocked_not_overdue_since_january(story_ds):
    pic = plan.picture(story_ds, "ban-dan-toc", "2023-Q1")
    t705 = pic.tasks.set_index("task_id").loc["T7-05"]
    assert t705["status"] == "blocked" and "quý IV" in t705["blocker"]
    kinds = plan.alerts(story_ds, pic).set_index("subject")
    assert kinds.at["T7-05", "kind"] == "blocked"


def test_a_recurring_task_is_tracked_per_occurrence_not_by_one_percent(story_ds):
    pic = plan.picture(story_ds, "ban-dan-toc", "2023-Q2")
    assert occurrence(pic, "T6-03b", "2023-M04")["status"] == "done"
    assert occurrence(pic, "T6-03b", "2023-M05")["status"] == "overdue"  # reported not started, due 31/05
    assert occurrence(pic, "T6-03b", "2023-M06")["status"] == "missing"  # June has no update


def test_late_completion_stays_visible(story_ds):
    for period in ("2023-Q1", "2023-Q3", "2023"):
        pic = plan.picture(story_ds, "ban-dan-toc", period)
        assert pic.tasks.set_index("task_id").at["T2-04", "status"] == "done_late", period
        assert occurrence(pic, "T2-04", "once")["completed_on"] == pd.Timestamp(2023, 3, 20)
    year = plan.picture(story_ds, "ban-dan-toc", "2023")
    assert {"T2-04", "T1-05"} <= set(year.view.loc[year.view["status"] == "done_late", "task_id"])
    q3 = plan.picture(story_ds, "ban-dan-toc", "2023-Q3")
    assert "T2-04" in set(q3.view["task_id"])  # shown in a later quarter


def test_t1_05_at_40_percent_on_its_due_date_then_done_late(story_ds):
    on_due = plan.picture(story_ds, "ban-dan-toc", "2023-Q1")
    assert on_due.tasks.set_index("task_id").at["T1-05", "status"] == "at_risk"
    later = plan.picture(story_ds, "ban-dan-toc", "2023-Q2")
    assert later.tasks.set_index("task_id").at["T1-05", "status"] == "done_late"


def test_a_yearly_task_is_not_done_in_q1(story_ds):
    pic = plan.picture(story_ds, "ban-dan-toc", "2023-Q1")
    assert pic.tasks.set_index("task_id").at["T5-05", "status"] == "on_track"


def test_a_finished_one_off_task_needs_no_further_update(story_ds):
    q3 = plan.picture(story_ds, "ban-dan-toc", "2023-Q3")
    assert q3.tasks.set_index("task_id").at["T5-04", "status"] == "done"
    assert "T5-04" not in set(q3.missing_updates["task_id"])


def test_linked_codes_are_a_list_with_their_provenance(dataset):
    tasks = plan.plan_tasks(dataset, "ban-dan-toc", 2023).set_index("task_id")
    assert tasks.at["T2-02", "links"] == {"2.1.1.1": "inferred"}
    assert tasks.at["T3-01", "links"] == {"1.2.2": "inferred"}
    assert tasks.at["T7-03", "codes"] == ("7.2.1", "7.2.2") and tasks.at["T7-06", "codes"] == ("7.2.1", "7.2.2")
    assert tasks.at["T7-05", "links"] == {"7.2.1": "stated", "7.2.2": "stated"}


def test_a_lost_sub_criterion_is_covered_by_an_inferred_link(story_ds):
    pic = plan.picture(story_ds, "ban-dan-toc", "2023-Q2")
    stake = plan.points_at_stake(story_ds, pic)
    online = stake[stake["code"] == "7.2.1"].set_index("task_id")
    assert online.at["T7-03", "link"] == "inferred" and online.at["T7-03", "status"] == "on_track"
    assert bool(online["covered"].iloc[0])


def test_an_uncovered_alert_says_why(story_ds):
    pic = plan.picture(story_ds, "ban-dan-toc", "2023-Q1")
    found = plan.alerts(story_ds, pic).set_index("subject")
    # 2.1.1.1: T2-04 done late, T2-02 with no update (missing): no task on track.
    reasons = {t: reason for t, reason, _ in found.at["2.1.1.1", "detail"]["tasks"]}
    assert reasons == {"T2-02": "missing", "T2-04": "done_late"}


def test_merged_commitments_are_separate_tasks(dataset):
    tasks = plan.plan_tasks(dataset, "ban-dan-toc", 2023).set_index("task_id")
    assert (tasks.at["T6-03", "kind"], tasks.at["T6-03b", "frequency"]) == ("one_off", "monthly")
    assert (tasks.at["T5-01", "kind"], tasks.at["T5-01b", "kind"]) == ("continuous", "one_off")
    assert tasks.at["T5-03", "due_date"] < tasks.at["T5-03b", "due_date"]
    assert "Chỉ thị 02" in tasks.at["T6-03", "part"] and "hằng tháng" in tasks.at["T6-03b", "part"]


# --- one answer per date ------------------------------------------------------------------------------------


def test_every_view_of_one_date_gives_the_same_statuses(dataset):
    q4 = plan.picture(dataset, "ban-dan-toc", "2023-Q4", "2023-12-31")
    year = plan.picture(dataset, "ban-dan-toc", "2023", "2023-12-31")
    h2 = plan.picture(dataset, "ban-dan-toc", "2023-H2", "2023-12-31")
    for other in (year, h2):
        assert q4.tasks.set_index("task_id")["status"].equals(other.tasks.set_index("task_id")["status"])
        shared = q4.view.merge(other.view, on=["task_id", "occurrence"])
        assert len(shared) == len(q4.view) and (shared["status_x"] == shared["status_y"]).all()
    stake_q4 = plan.points_at_stake(dataset, q4)[["code", "covered"]].drop_duplicates()
    stake_year = plan.points_at_stake(dataset, year)[["code", "covered"]].drop_duplicates()
    assert stake_q4.equals(stake_year)


def test_cchc_status_csv_agrees_between_the_quarter_and_the_year():
    def run(period):
        out = subprocess.run(
            [sys.executable, "-m", "cchc_analysis.cli", "status", period, "--as-of", "2023-12-31", "--format", "csv"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        return list(csv.DictReader(out.splitlines()))

    q4, year = run("2023-Q4"), run("2023")
    assert {"task_id", "occurrence", "unit", "codes", "status", "due", "completed_on"} <= set(q4[0])
    by_key = {(r["task_id"], r["occurrence"]): r["status"] for r in year}
    assert all(by_key[(r["task_id"], r["occurrence"])] == r["status"] for r in q4)
    assert len(year) > len(q4)


# --- the embedded illustrative year -------------------------------------------------------------------------


def test_the_illustrative_year_tells_the_documented_story(dataset):
    q4 = plan.picture(dataset, "ban-dan-toc", "2023")
    status = q4.tasks.set_index("task_id")["status"]
    assert {t for t in status.index if status[t] == "done_late"} >= {"T1-05", "T2-03", "T3-03", "T2-04", "T2-02"}
    assert (status["T7-05"], status["T2-07"], status["T6-02"], status["T7-07"]) == (
        "blocked",
        "overdue",
        "missing",
        "at_risk",
    )
    q1 = plan.picture(dataset, "ban-dan-toc", "2023-Q1").tasks.set_index("task_id")["status"]
    yearly = ["T2-06", "T2-08", "T5-05", "T6-01", "T7-01", "T7-07"]
    assert not q1[yearly].isin(["done", "done_late"]).any()
    assert list(q4.missing_updates[["task_id", "occurrence"]].itertuples(index=False, name=None)) == [
        ("T6-02", "2023-Q4")
    ]


def test_summaries_count_tasks_by_unit_field_and_sub_criterion(dataset):
    pic = plan.picture(dataset, "ban-dan-toc", "2023-Q2")
    assert plan.by_unit(pic)["total"].sum() == plan.by_field(pic)["total"].sum() == 51
    assert sorted(plan.by_sub_criterion(pic).index) == sorted(
        ["1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"]
    )


def test_changes_since_the_previous_quarter(dataset):
    moved = plan.changes(dataset, plan.picture(dataset, "ban-dan-toc", "2023-Q2")).set_index("task_id")
    assert moved.loc["T1-05", ["before", "after"]].tolist() == ["at_risk", "done_late"]
    assert plan.changes(dataset, plan.picture(dataset, "ban-dan-toc", "2023-Q1")).empty  # no 2022 plan


def test_the_2023_view_at_the_end_of_june_counts_done_tasks_as_the_data_says():
    """Hardening v2: a task is done only when every applicable occurrence is; a task whose begun occurrences are
    done and whose later ones are not yet due is on track. Oracle: the data files read with plain csv — on
    30/06/2023 only one-off work can be finished (every recurring task has an occurrence due later in the year),
    and a one-off task is done when its latest update by then says done with a completion date by then (late when
    that date is after its due date)."""
    with (DATA / "plan" / "tasks.csv").open(encoding="utf-8", newline="") as handle:
        tasks = [r for r in csv.DictReader(handle) if (r["agency_id"], r["plan_year"]) == ("ban-dan-toc", "2023")]
    with (DATA / "progress" / "progress.csv").open(encoding="utf-8", newline="") as handle:
        updates = [r for r in csv.DictReader(handle) if r["period"] <= "2023-Q2" and r["updated_on"] <= "2023-06-30"]
    expected = {"done": set(), "done_late": set()}
    for task in tasks:
        if task["kind"] != "one_off":
            continue
        mine = sorted(
            (r for r in updates if r["task_id"] == task["task_id"]), key=lambda r: (r["period"], r["updated_on"])
        )
        if mine and mine[-1]["status"] == "done" and mine[-1]["completed_on"] <= "2023-06-30":
            late = mine[-1]["completed_on"] > task["due_date"]
            expected["done_late" if late else "done"].add(task["task_id"])
    pic = plan.picture(load_data(DATA), "ban-dan-toc", "2023", "2023-06-30")
    shown = {status: set(pic.tasks.loc[pic.tasks["status"] == status, "task_id"]) for status in expected}
    assert shown == expected
    assert (len(expected["done"]), len(expected["done_late"])) == (9, 6)
