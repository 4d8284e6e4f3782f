"""Occurrences: the separately checkable deliveries of each task in its plan year.

* a **one-off** task has one occurrence, ``once``, due on its ``due_date``;
* a **recurring** task has one per window of its frequency: monthly ``2023-M04`` (Tháng 4/2023), quarterly
  ``2023-Q2``, six-monthly ``2023-H1``, yearly ``2023``, each due on the window's last day;
* a **continuous** duty ("thường xuyên", no frequency stated) is confirmed once per reporting quarter
  (``2023-Q2``): the unit says whether it was carried out in that quarter.

The plan's **start date** (``plan/plans``) bounds everything: an occurrence due before it is not applicable
(the plan did not exist yet), and a window that straddles it starts on it (the expected share of time is
measured from the day the plan exists). A one-off task's window runs from the start date to its due date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cchc_analysis.ingest import schedule

__all__ = ["COLUMNS", "ONCE", "judged_without_percent", "occurrence_ids", "occurrences", "windows"]

ONCE = schedule.ONCE
windows = schedule.windows
judged_without_percent = schedule.judged_without_percent
COLUMNS = [
    "task_id",
    "occurrence",
    "label",
    "kind",
    "frequency",
    "window_start",
    "due_date",
    "plan_start",
    "applicable",
]


def occurrence_ids(kind: str, frequency: object, year: int) -> list[str]:
    """The ids of a task's occurrences (what the progress table's ``occurrence`` column may hold)."""
    return [occurrence for occurrence, *_ in windows(kind, frequency, year, None)]


def occurrences(tasks: pd.DataFrame, starts: dict[tuple[str, int], dt.date]) -> pd.DataFrame:
    """One row per occurrence of each task (COLUMNS). ``starts`` maps (agency_id, plan_year) to the plan's start
    date; ``applicable`` is False for an occurrence due before it."""
    rows = []
    for task in tasks.itertuples(index=False):
        year = int(task.plan_year)
        start = starts[(task.agency_id, year)]
        for occurrence, label, first, due in windows(task.kind, task.frequency, year, task.due_date):
            if task.kind == "one_off":
                label = f"Một lần, hạn {due.strftime('%d/%m/%Y')}"
            rows.append(
                (
                    task.task_id,
                    occurrence,
                    label,
                    task.kind,
                    task.frequency if isinstance(task.frequency, str) else "",
                    max(first, start),
                    due,
                    start,
                    due >= start,
                )
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("window_start", "due_date", "plan_start"):
        frame[column] = pd.to_datetime(frame[column])
    frame["applicable"] = frame["applicable"].astype(bool)
    return frame
