"""The one adapter from the plan-tracking model to what a periodic report counts.

``domain.plan`` computes each task's status on a date from all its occurrences (done, done late, on track,
behind, at risk, overdue, blocked, missing update, not yet due, not applicable). A report to UBND tỉnh counts
tasks differently: done, done late, in progress, overdue, blocked (with the unit's stated cause), not started,
not yet due, no update. This module is the only place in ``documents`` that reads the plan model.

"Done late" and "blocked" are the model's own statuses (completion dates and blockers are recorded per
occurrence); "not started" is a task the model finds behind or at risk whose latest update says not started.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cchc_analysis.domain import periods, plan, provenance
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["CATEGORIES", "COLUMNS", "has_plan", "no_action_share", "task_statuses"]

CATEGORIES: dict[str, str] = {
    "done": "hoàn thành",
    "done_late": "hoàn thành nhưng chậm so với thời hạn",
    "in_progress": "đang thực hiện",
    "overdue": "quá hạn nhưng chưa hoàn thành",
    "blocked": "gặp vướng mắc",
    "not_started": "chưa triển khai",
    "not_due": "chưa đến thời hạn thực hiện",
    "no_update": "chưa có báo cáo tiến độ",
    "not_applicable": "không áp dụng",
}
_FROM_MODEL = {
    "done": "done",
    "done_late": "done_late",
    "on_track": "in_progress",
    "behind": "in_progress",
    "at_risk": "in_progress",
    "overdue": "overdue",
    "blocked": "blocked",
    "not_due": "not_due",
    "missing": "no_update",
    "not_applicable": "not_applicable",
}
COLUMNS = [
    "task_id",
    "field_code",
    "unit_id",
    "unit_name",
    "description",
    "sub_criteria",
    "kind",
    "frequency",
    "due_date",
    "next_due",
    "seed_ref",
    "task_provenance",
    "model_status",
    "category",
    "cause",
    "occurrences_due",
    "occurrences_delivered",
    "progress_provenance",
]


def task_statuses(ds: Dataset, agency_id: str, period: periods.Period, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per task of the agency's plan for the period's year, with its report category (COLUMNS)."""
    pic = plan.picture(ds, agency_id, period, as_of)
    updates = ds.progress[ds.progress["updated_on"].map(lambda d: d is not None and d <= pic.as_of)]
    provenance = updates.groupby("task_id")["provenance"].agg(_weakest)
    occ = pic.view
    due = occ[occ["applicable"] & (occ["due_date"] <= pd.Timestamp(min(pic.as_of, pic.period.end)))]
    rows = []
    for task in pic.tasks.itertuples(index=False):
        category = _FROM_MODEL[task.status]
        if category == "in_progress" and task.reported == "not_started":
            category = "not_started"
        mine = due[due["task_id"] == task.task_id]
        rows.append(
            {
                "task_id": task.task_id,
                "field_code": task.field_code,
                "unit_id": task.unit_id,
                "unit_name": task.unit_name,
                "description": task.title,
                "sub_criteria": task.codes,
                "kind": task.kind,
                "frequency": task.frequency,
                "due_date": task.due_date,
                "next_due": None if pd.isna(task.next_due) else task.next_due.date(),
                "seed_ref": task.seed_ref,
                "task_provenance": task.provenance,
                "model_status": task.status,
                "category": category,
                "cause": str(task.blocker or "") if category == "blocked" else "",
                "occurrences_due": len(mine),
                "occurrences_delivered": int(mine["status"].isin(["done", "done_late"]).sum()),
                "progress_provenance": provenance.get(task.task_id, ""),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def no_action_share(statuses: pd.DataFrame) -> tuple[int, int]:
    """(tasks that need no further action, tasks): the briefing's plan card, by the same count."""
    counts = plan.no_action_counts(statuses["model_status"])
    return counts["fine"], counts["total"]


def _weakest(values: pd.Series) -> str:
    """The combined provenance of the known values (domain.provenance's rule); empty when none is known."""
    known = [v for v in values if v in provenance.ORDER]
    return provenance.combine(*known) if known else ""


def has_plan(ds: Dataset, agency_id: str, year: int) -> bool:
    """Whether the data holds the agency's plan for ``year`` (only such an agency gets a periodic report)."""
    return plan.has_plan(ds, agency_id, year)
