"""Plan tracking: the status picture of a plan on a date, the views of a period, summaries, points at stake,
alerts and changes.

Everything here is pure: functions take the Dataset (or tables) and return DataFrames with English column names
and status *codes*; ``progress_review`` turns them into Vietnamese tables and sentences.

One answer per date: every occurrence of every task of the plan year is judged once on the "as of" date
(``plan_rules``); a task's status is computed from all its occurrences on that date. A period (quarter, six
months, year) only **selects which occurrences are shown**: those whose window overlaps the period, and earlier
ones that are still open or were done late (a late completion stays visible). So the 2023-Q4 and the 2023 views
on 31/12/2023 give every task and every shared occurrence the same status.

Why this module is long: the picture, its views and everything computed from the same picture (summaries,
points at stake, alerts, changes, the rows of ``cchc status``) share the task table's columns; splitting them
would scatter one vocabulary over several modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from cchc_analysis.domain import occurrences as occ_model
from cchc_analysis.domain import periods, scoring
from cchc_analysis.domain.periods import Period
from cchc_analysis.domain.plan_rules import (  # re-exported: the plan's vocabulary lives here
    CLOSED,
    FINE,
    RULE_INPUTS,
    RULES,
    SEVERITY,
    STATUSES,
    TOLERANCE,
    apply_rules,
    judge,
    task_status,
)
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.contracts import code_key
from cchc_analysis.ingest.dataset import Dataset

__all__ = [
    "ALERT_KINDS",
    "CLOSED",
    "FINE",
    "LINKS",
    "Picture",
    "PlanInfo",
    "RULES",
    "RULE_INPUTS",
    "SEVERITY",
    "STATUSES",
    "TOLERANCE",
    "alerts",
    "apply_rules",
    "by_field",
    "by_sub_criterion",
    "by_unit",
    "changes",
    "counts",
    "due_next",
    "has_plan",
    "judge",
    "no_action_counts",
    "occurrence_counts",
    "picture",
    "plan_info",
    "plan_tasks",
    "points_at_stake",
    "shown_in",
    "status_rows",
    "task_status",
]

#: Link provenance of a task to a sub-criterion: named by the task's bullet, or inferred (the note says why).
LINKS = {"stated": "Kế hoạch nêu mã", "inferred": "suy ra"}


# ---------------------------------------------------------------------------
# The plan and its tasks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInfo:
    """A plan's own fields: its title and start date, with the start date's provenance and basis."""

    agency_id: str
    year: int
    title: str
    start: dt.date
    provenance: str
    note: str


def has_plan(ds: Dataset, agency_id: str, year: int) -> bool:
    """Whether the data holds an improvement plan of the agency for ``year``."""
    return bool(((ds.tasks["agency_id"] == agency_id) & (ds.tasks["plan_year"] == int(year))).any())


def plan_info(ds: Dataset, agency_id: str, year: int) -> PlanInfo:
    """The plan's row of plan/plans (its start date); refused when the data holds no such plan."""
    rows = ds.plans[(ds.plans["agency_id"] == agency_id) & (ds.plans["plan_year"] == int(year))]
    if rows.empty:
        raise CchcParameterError(
            f"Không có kế hoạch năm {year} của cơ quan {agency_id} trong plan/plans (cần ngày bắt đầu của kế hoạch)"
        )
    row = rows.iloc[0]
    return PlanInfo(
        agency_id, int(year), str(row["title"]), row["start_date"], str(row["provenance"]), str(row["note"])
    )


def _codes(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple) else ()


def plan_tasks(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """The tasks of the agency's plan for ``year``, in plan order, with the unit's name, ``title`` (the part a
    row tracks, else the bullet), ``codes`` (every linked sub-criterion, code order) and ``links``
    (code -> "stated" or "inferred")."""
    tasks = ds.tasks[(ds.tasks["agency_id"] == agency_id) & (ds.tasks["plan_year"] == int(year))]
    if tasks.empty:
        years = sorted({int(y) for y in ds.tasks.loc[ds.tasks["agency_id"] == agency_id, "plan_year"].dropna()})
        raise CchcParameterError(
            f"Không có kế hoạch năm {year} của cơ quan {agency_id}; "
            f"các năm có kế hoạch: {', '.join(map(str, years)) or 'không có'}"
        )
    units = ds.units.set_index("unit_id")["name"]
    tasks = tasks.drop(columns=["_file", "_row"]).reset_index(drop=True)
    tasks["unit_name"] = tasks["unit_id"].map(units)
    tasks["sub_criteria"] = tasks["sub_criteria"].map(_codes)
    tasks["inferred_codes"] = tasks["inferred_codes"].map(_codes)
    tasks["links"] = [
        {**{c: "inferred" for c in inferred}, **{c: "stated" for c in stated}}
        for stated, inferred in zip(tasks["sub_criteria"], tasks["inferred_codes"])
    ]
    tasks["codes"] = tasks["links"].map(lambda links: tuple(sorted(links, key=code_key)))
    tasks["title"] = [
        part if isinstance(part, str) and part else description
        for part, description in zip(tasks["part"], tasks["description"])
    ]
    return tasks


# ---------------------------------------------------------------------------
# The picture on a date, and the view of a period
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """Every occurrence and task of the agency's plan judged on one date, viewed through one period."""

    agency_id: str
    period: Period
    as_of: dt.date
    plan: PlanInfo
    occurrences: pd.DataFrame  # every occurrence of the plan year, with status, rule and ``shown``
    tasks: pd.DataFrame  # one row per task, with its status on the date (the same in every view)
    missing_updates: pd.DataFrame  # shown occurrences whose update was due and is absent

    @property
    def view(self) -> pd.DataFrame:
        """The occurrences the period shows."""
        return self.occurrences[self.occurrences["shown"]].reset_index(drop=True)

    @property
    def reporting_quarter(self) -> Period:
        return periods.reporting_quarter(self.period, self.as_of)


def shown_in(frame: pd.DataFrame, period: Period) -> pd.Series:
    """Which judged occurrences a period shows: those whose window overlaps it, and earlier ones still open
    (overdue, blocked, missing an update) or done late."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    overlaps = (frame["window_start"] <= end) & (frame["due_date"] >= start) | (
        ~frame["applicable"] & (frame["due_date"] >= start) & (frame["due_date"] <= end)
    )
    earlier = (frame["due_date"] < start) & ~frame["status"].isin(["done", "not_applicable"])
    return (overlaps | earlier).astype(bool)


def _focus(group: pd.DataFrame, status: str) -> pd.Series:
    """The occurrence a task's status rests on: the earliest with that status, else the latest begun."""
    same = group[group["status"] == status]
    if not same.empty:
        return same.iloc[0]
    begun = group[~group["status"].isin(["not_due", "not_applicable"])]
    return (begun if not begun.empty else group).iloc[-1]


def picture(ds: Dataset, agency_id: str, period: Period | str, as_of: dt.date | str | None = None) -> Picture:
    """Judge the agency's plan of the period's year on ``as_of`` (the period's end by default)."""
    period = periods.parse(period) if not isinstance(period, Period) else period
    day = periods.resolve_as_of(period, as_of or "")
    info = plan_info(ds, agency_id, period.year)
    tasks = plan_tasks(ds, agency_id, period.year)
    occ = occ_model.occurrences(tasks, {(agency_id, period.year): info.start})
    occ = judge(occ, ds.progress, day).sort_values(["due_date"], kind="stable")
    order = {task_id: index for index, task_id in enumerate(tasks["task_id"])}
    occ = occ.assign(_o=occ["task_id"].map(order)).sort_values(["_o", "due_date"], kind="stable").drop(columns="_o")
    occ["shown"] = shown_in(occ, period)
    occ = occ.reset_index(drop=True)
    table = tasks.copy()
    status = occ.groupby("task_id", sort=False)["status"].agg(task_status)
    table["status"] = table["task_id"].map(status)
    focus = {task_id: _focus(group, status[task_id]) for task_id, group in occ.groupby("task_id", sort=False)}
    for column in ("occurrence", "label", "reported", "reported_percent", "completed_on", "blocker", "updated_on"):
        table[column if column != "label" else "occurrence_label"] = table["task_id"].map(
            {task_id: row[column] for task_id, row in focus.items()}
        )
    table["update_note"] = table["task_id"].map({task_id: row["note"] for task_id, row in focus.items()})
    open_occ = occ[occ["applicable"] & ~occ["status"].isin(CLOSED)]
    table["next_due"] = table["task_id"].map(open_occ.groupby("task_id")["due_date"].min())
    table["occurrences"] = table["task_id"].map(occ[occ["applicable"]].groupby("task_id").size()).fillna(0).astype(int)
    table["shown_occurrences"] = table["task_id"].map(occ[occ["shown"]].groupby("task_id").size()).fillna(0)
    missing = occ[occ["shown"] & (occ["status"] == "missing")]
    units = table.set_index("task_id")[["unit_id", "unit_name"]]
    missing_frame = pd.DataFrame(
        {
            "task_id": missing["task_id"],
            "occurrence": missing["occurrence"],
            "label": missing["label"],
            "unit_id": missing["task_id"].map(units["unit_id"]),
            "unit_name": missing["task_id"].map(units["unit_name"]),
            "quarter": missing["required_quarter"],
            "due_on": [periods.reporting_date(periods.parse(q)) for q in missing["required_quarter"]],
        }
    ).reset_index(drop=True)
    return Picture(agency_id, period, day, info, occ, table, missing_frame)


def status_rows(pic: Picture) -> pd.DataFrame:
    """The rows of ``cchc status``: every occurrence the period shows, with its status on the date."""
    view = pic.view
    tasks = pic.tasks.set_index("task_id")
    return pd.DataFrame(
        {
            "task_id": view["task_id"],
            "occurrence": view["occurrence"],
            "label": view["label"],
            "unit": view["task_id"].map(tasks["unit_id"]),
            "codes": view["task_id"].map(tasks["codes"]).map(";".join),
            "status": view["status"],
            "due": view["due_date"].dt.date,
            "completed_on": [None if pd.isna(d) else d.date() for d in view["completed_on"]],
            "reported": view["reported"],
            "blocker": view["blocker"],
            "updated_on": view["updated_on"],
            "rule": view["rule"],
        }
    )


# ---------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------


def counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Number of rows in each status (columns in STATUSES order) per value of ``by``, with a ``total`` column."""
    grid = pd.crosstab(table[by], table["status"]).reindex(columns=list(STATUSES), fill_value=0)
    grid.columns.name = None
    grid["total"] = grid.sum(axis=1)
    return grid


def by_unit(pic: Picture) -> pd.DataFrame:
    """Task counts per status for each unit (units in plan order), indexed by unit name."""
    grid = counts(pic.tasks, "unit_id")
    names = pic.tasks.drop_duplicates("unit_id").set_index("unit_id")["unit_name"]
    grid = grid.reindex(list(pic.tasks["unit_id"].drop_duplicates()))
    grid.index = [names[u] for u in grid.index]
    return grid


def by_field(pic: Picture) -> pd.DataFrame:
    """Task counts per status for each field code (1…7)."""
    grid = counts(pic.tasks, "field_code")
    return grid.loc[sorted(grid.index, key=int)]


def by_sub_criterion(pic: Picture) -> pd.DataFrame:
    """Task counts per status for each sub-criterion a task serves (stated or inferred link)."""
    linked = pic.tasks.explode("codes").dropna(subset=["codes"])
    grid = counts(linked, "codes")
    return grid.loc[sorted(grid.index, key=code_key)]


def occurrence_counts(pic: Picture) -> pd.Series:
    """How many of the shown occurrences are in each status (STATUSES order, zeros kept): the period's (or
    the year's) summary of deliveries, where late completions are counted apart."""
    return pic.view["status"].value_counts().reindex(list(STATUSES), fill_value=0)


def points_at_stake(ds: Dataset, pic: Picture, year: int | None = None) -> pd.DataFrame:
    """For each sub-criterion that lost points in the last published results (largest loss first), every task
    linked to it (stated or inferred) and its status; a sub-criterion with no task gets one row with an empty
    task_id. ``covered`` says whether one of its tasks is fine (done, on track or not yet due)."""
    year = year or periods.results_year_before(ds.result_years, pic.period)
    lost = scoring.lost_points(ds, pic.agency_id, year)
    linked = pic.tasks.explode("codes")
    rows = []
    for item in lost.itertuples(index=False):
        tasks = linked[linked["codes"] == item.code]
        covered = bool(tasks["status"].isin(FINE).any())
        base = {
            "code": item.code,
            "name": item.name,
            "max_points": item.max_points,
            "points": item.points,
            "lost": item.lost,
            "results_year": year,
            "covered": covered,
        }
        if tasks.empty:
            rows.append({**base, "task_id": None, "unit_name": None, "status": None, "link": None, "next_due": pd.NaT})
        for task in tasks.itertuples(index=False):
            rows.append(
                {
                    **base,
                    "task_id": task.task_id,
                    "unit_name": task.unit_name,
                    "status": task.status,
                    "link": task.links[item.code],
                    "next_due": task.next_due,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "code",
            "name",
            "max_points",
            "points",
            "lost",
            "results_year",
            "covered",
            "task_id",
            "unit_name",
            "status",
            "link",
            "next_due",
        ],
    )


ALERT_KINDS: dict[str, str] = {
    "uncovered": "Tiêu chí bị trừ điểm chưa có nhiệm vụ đúng tiến độ",
    "blocked": "Nhiệm vụ gặp vướng mắc, cần Lãnh đạo Ban chỉ đạo",
    "overdue": "Nhiệm vụ quá hạn",
    "at_risk": "Nhiệm vụ có nguy cơ trễ hạn",
    "missing": "Thiếu cập nhật",
    "due_next": "Đến hạn trong kỳ tới",
}


def due_next(pic: Picture) -> pd.DataFrame:
    """Deliveries due in the next period of the same kind and not yet done: one-off tasks and the six-monthly
    and yearly occurrences (monthly, quarterly and continuous deliveries fall due every period)."""
    following = periods.following(pic.period)
    occ = pic.occurrences
    long = occ["kind"].eq("one_off") | occ["frequency"].isin(["six_monthly", "yearly"])
    start, end = pd.Timestamp(following.start), pd.Timestamp(following.end)
    chosen = occ[long & occ["applicable"] & (occ["due_date"] >= start) & (occ["due_date"] <= end)]
    chosen = chosen[~chosen["status"].isin(CLOSED) & (chosen["due_date"] > pd.Timestamp(pic.period.end))]
    names = pic.tasks.set_index("task_id")["unit_name"]
    return pd.DataFrame(
        {
            "task_id": chosen["task_id"],
            "unit_name": chosen["task_id"].map(names),
            "occurrence": chosen["label"].where(chosen["kind"] != "one_off", ""),
            "due_date": chosen["due_date"],
            "status": chosen["status"],
        }
    ).reset_index(drop=True)


def _reason(task) -> str:
    """Why a task does not cover its sub-criterion: its status, or "not started" when the unit says so."""
    if task.status in ("behind", "at_risk", "missing") and task.reported == "not_started":
        return "not_started"
    return task.status


def alerts(ds: Dataset, pic: Picture, stake: pd.DataFrame | None = None) -> pd.DataFrame:
    """The alert list, most urgent first: lost sub-criteria with no task fine (and why), blocked tasks (a
    decision for leadership), overdue tasks, tasks at risk, missing updates, deadlines in the next period.
    Columns: kind, subject, unit_name, due_date, status, quarter, detail (codes and dates; ``progress_review``
    writes the Vietnamese sentence)."""
    stake = points_at_stake(ds, pic) if stake is None else stake
    tasks = pic.tasks.set_index("task_id", drop=False)
    rows: list[dict] = []
    for code, group in stake.groupby("code", sort=False):
        if group["covered"].iloc[0]:
            continue
        linked = group.dropna(subset=["task_id"])
        rows.append(
            {
                "kind": "uncovered",
                "subject": code,
                "unit_name": "; ".join(dict.fromkeys(linked["unit_name"])) or None,
                "due_date": pd.NaT,
                "status": "; ".join(linked["status"]) or None,
                "quarter": None,
                "detail": {
                    "name": group["name"].iloc[0],
                    "lost": float(group["lost"].iloc[0]),
                    "tasks": [(t, _reason(tasks.loc[t]), link) for t, link in zip(linked["task_id"], linked["link"])],
                },
            }
        )
    for kind in ("blocked", "overdue", "at_risk"):
        for task in pic.tasks[pic.tasks["status"] == kind].itertuples(index=False):
            late = pic.occurrences[(pic.occurrences["task_id"] == task.task_id) & (pic.occurrences["status"] == kind)]
            rows.append(
                {
                    "kind": kind,
                    "subject": task.task_id,
                    "unit_name": task.unit_name,
                    "due_date": late["due_date"].min(),
                    "status": kind,
                    "quarter": late["update_period"].iloc[0] or None,
                    "detail": {
                        "occurrences": [label for label, k in zip(late["label"], late["kind"]) if k != "one_off"],
                        "reported": late["reported"].iloc[0],
                        "percent": late["reported_percent"].iloc[0],
                        "blocker": late["blocker"].iloc[0],
                        "codes": list(task.codes),
                    },
                }
            )
    for item in pic.missing_updates.itertuples(index=False):
        rows.append(
            {
                "kind": "missing",
                "subject": item.task_id,
                "unit_name": item.unit_name,
                "due_date": pd.Timestamp(item.due_on),
                "status": "missing",
                "quarter": item.quarter,
                "detail": {"occurrence": item.label},
            }
        )
    for item in due_next(pic).itertuples(index=False):
        rows.append(
            {
                "kind": "due_next",
                "subject": item.task_id,
                "unit_name": item.unit_name,
                "due_date": item.due_date,
                "status": item.status,
                "quarter": None,
                "detail": {"occurrence": item.occurrence},
            }
        )
    return pd.DataFrame(rows, columns=["kind", "subject", "unit_name", "due_date", "status", "quarter", "detail"])


def changes(ds: Dataset, pic: Picture) -> pd.DataFrame:
    """Tasks whose status differs from the end of the previous period of the same kind.

    Empty when the previous period lies outside the plan's year (nothing to compare). Columns: task_id,
    unit_name, before, after, better (True when the new status is less severe)."""
    previous = periods.previous(pic.period)
    columns = ["task_id", "unit_name", "before", "after", "better"]
    if previous.year != pic.period.year:
        return pd.DataFrame(columns=columns)
    before = picture(ds, pic.agency_id, previous, previous.end).tasks.set_index("task_id")["status"]
    now = pic.tasks.set_index("task_id")
    rank = {status: index for index, status in enumerate(SEVERITY)}
    rows = [
        (task_id, now.at[task_id, "unit_name"], before[task_id], row.status, rank[row.status] > rank[before[task_id]])
        for task_id, row in now.iterrows()
        if task_id in before.index and before[task_id] != row.status
    ]
    return pd.DataFrame(rows, columns=columns)


def no_action_counts(statuses: pd.Series) -> dict[str, int]:
    """How many tasks need no further action on a date, counted for what they are (the briefing's plan card and the
    periodic report use this one count): done (late completions included, and counted apart), not yet due or on
    track, and the rest, which need action. A task none of whose occurrences has begun is left out."""
    statuses = statuses[statuses != "not_applicable"]
    done = statuses.isin(["done", "done_late"])
    fine = statuses.isin(FINE) | done
    return {
        "total": len(statuses),
        "fine": int(fine.sum()),
        "done": int(done.sum()),
        "late": int((statuses == "done_late").sum()),
        "pending": int((fine & ~done).sum()),
        "action": int((~fine).sum()),
    }
