"""Provenance per fact for the plan's tasks: the wording is the seed's, the schedule mostly assumed."""

from __future__ import annotations

import csv
import re

from conftest import DATA

from cchc_analysis.present import progress_review
from cchc_analysis.present.context import context


def _tasks() -> dict[str, dict[str, str]]:
    with open(DATA / "plan" / "tasks.csv", encoding="utf-8") as handle:
        return {row["task_id"]: row for row in csv.DictReader(handle)}


def test_the_seed_states_only_one_schedule_and_every_one_off_due_date_is_assumed():
    tasks = _tasks()
    # II.2.e1: "định kỳ hàng tháng báo cáo tiến độ thực hiện dự án" is the only frequency the seed states.
    assert [t for t, row in tasks.items() if row["schedule_provenance"] == "official"] == ["T6-03b"]
    # The seed gives no deadline: every one-off task's due date is an assumption, whatever its wording's provenance.
    one_off = [row for row in tasks.values() if row["kind"] == "one_off"]
    assert one_off and all(row["schedule_provenance"] == "illustrative" for row in one_off)
    # A continuous duty is confirmed every quarter, following the reporting cadence of III.2: derived.
    assert {row["schedule_provenance"] for row in tasks.values() if row["kind"] == "continuous"} == {"derived"}
    # Recurring tasks whose note says the frequency is assumed keep official wording but an assumed schedule.
    assumed = [t for t, row in tasks.items() if row["provenance"] == "official" and "giả định" in row["note"]]
    assert "T5-05" in assumed and all(tasks[t]["schedule_provenance"] == "illustrative" for t in assumed)


def _marks(html: str, task_id: str, column: int) -> list[str]:
    """The marker of one column in every row of a task in an HTML table ('' when unmarked)."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells and cells[0] == task_id:
            marker = re.search(r'<sup class="cchc-mark[^"]*"[^>]*>(.)</sup>', cells[column])
            found.append(marker.group(1) if marker else "")
    return found


def test_the_occurrence_table_marks_each_due_date_by_its_own_provenance():
    html = str(progress_review.occurrence_table(progress_review.review(context(period="2023-Q2"))))
    due = 3  # Nhiệm vụ, Lần thực hiện, Đơn vị, Hạn
    assert set(_marks(html, "T6-03b", due)) == {""}  # stated by the seed: official, no marker
    assert _marks(html, "T1-01", due) == ["*"]  # a one-off due date: assumed
    assert set(_marks(html, "T1-02", due)) == {"†"}  # a continuous duty's quarter: derived
    assert set(_marks(html, "T1-02", 4)) == {"*"}  # its status comes from illustrative progress
