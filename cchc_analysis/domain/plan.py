"""Plan tracking per period: occurrences of tasks, the status rules, summaries, points at stake and alerts.

Everything here is pure: functions take the Dataset (or tables) and return DataFrames with English column
names and status *codes*; ``progress_review`` turns them into Vietnamese tables and sentences.

How one quarterly update judges a period (documented in docs/plan_status.md):

* The progress table holds one update per task and **quarter**. A six-month or yearly period is judged from
  the updates of the quarters it covers.
* A **one-off** task has one occurrence: its window runs from 1 January of the plan year to its due date. It is
  judged from the update of the *reporting quarter* (the last quarter of the period begun by the "as of" date),
  because a one-off task's update is cumulative.
* A **recurring** task has one occurrence per window of its frequency that overlaps the period (monthly: every
  month; quarterly: every quarter; six-monthly: H1/H2; yearly: the year), each due on the window's last day.
  A monthly or quarterly occurrence is judged from the update of the quarter that contains its due date, whose
  ``percent_done`` is read as the share of that quarter's occurrences delivered, earliest first: 70 % of three
  monthly reports means the first two delivered (100 %), the third 10 % done. A six-monthly or yearly
  occurrence spans several quarters and is judged, like a one-off task, from the latest update up to its due
  quarter (cumulative progress).
* An update dated after the "as of" date is not yet known. When the judging quarter's update is absent but not
  yet due (the period is still running), a one-off or long occurrence falls back on the latest earlier update.

Why this module is long: the status rules, the occurrences they judge and the summaries built on them are one
model that the plan-tracking rebuild (occurrences, completion dates, blockers) replaces as a whole; splitting it
before that would only move code twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cchc_analysis.domain import periods, scoring
from cchc_analysis.domain.periods import Period
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.contracts import code_key
from cchc_analysis.ingest.dataset import Dataset

#: Computed statuses, in the order tables and charts show them, with their Vietnamese labels.
STATUSES: dict[str, str] = {
    "done": "Hoàn thành",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm tiến độ",
    "at_risk": "Có nguy cơ",
    "overdue": "Quá hạn",
    "not_started": "Chưa bắt đầu",
    "not_due": "Chưa đến hạn",
    "missing": "Thiếu cập nhật",
}
#: Worst first: a task's status is the worst status of its occurrences in the period.
SEVERITY: tuple[str, ...] = ("missing", "overdue", "at_risk", "behind", "not_started", "on_track", "not_due", "done")
#: Statuses that need no action: a sub-criterion at stake is covered when one of its tasks has one of them.
FINE: frozenset[str] = frozenset({"done", "on_track", "not_due"})
#: Percentage points of slack before a task counts as behind its elapsed share of time.
TOLERANCE = 25.0
#: Frequencies whose occurrences fit inside one quarter (their quarterly update counts deliveries).
SHORT_FREQUENCIES = frozenset({"monthly", "quarterly"})


# ---------------------------------------------------------------------------
# The status rules: one ordered table, first match wins
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One status rule: ``when`` takes the judging frame and returns a boolean Series."""

    number: int
    name: str
    status: str
    when: Callable[[pd.DataFrame], pd.Series]

    @property
    def doc(self) -> str:
        return (self.when.__doc__ or "").strip()


def _missing(f: pd.DataFrame) -> pd.Series:
    """No update for the judging quarter, and either that update was due by the "as of" date
    or the occurrence's due date has already passed. Never counted as fine."""
    return ~f["has_update"] & (f["update_due"] | (f["due_date"] < f["as_of"]))


def _done(f: pd.DataFrame) -> pd.Series:
    """The update reports the occurrence delivered: status done (100 %), or, for a monthly or quarterly
    occurrence, the update's share of the quarter's occurrences covers this one."""
    return f["delivered"]


def _overdue(f: pd.DataFrame) -> pd.Series:
    """Not delivered and the due date is before the "as of" date."""
    return f["due_date"] < f["as_of"]


def _blocked(f: pd.DataFrame) -> pd.Series:
    """The unit reports a blocker (Gặp vướng mắc)."""
    return f["reported"] == "blocked"


def _not_due(f: pd.DataFrame) -> pd.Series:
    """Nothing started yet, and nothing is expected yet: the due date is after the period's end,
    or the occurrence's window has not begun by the "as of" date."""
    idle = f["reported"].isin(["not_started", ""])
    return idle & ((f["due_date"] > f["period_end"]) | (f["window_start"] > f["as_of"]))


def _not_started(f: pd.DataFrame) -> pd.Series:
    """Reported not started (or nothing reported yet) although the occurrence is due within the period."""
    return f["reported"].isin(["not_started", ""])


def _late_in_period(f: pd.DataFrame) -> pd.Series:
    """Due within the period and the percent done is more than TOLERANCE points below the elapsed
    share of its window: the deadline is close and the work is far from done."""
    return (f["due_date"] <= f["period_end"]) & (f["percent"] < f["expected"] - TOLERANCE)


def _behind(f: pd.DataFrame) -> pd.Series:
    """Due after the period and the percent done is more than TOLERANCE points below the elapsed share."""
    return f["percent"] < f["expected"] - TOLERANCE


def _on_track(f: pd.DataFrame) -> pd.Series:
    """Everything else: in progress at least as fast as time elapses, less TOLERANCE."""
    return pd.Series(True, index=f.index)


RULES: tuple[Rule, ...] = (
    Rule(1, "missing", "missing", _missing),
    Rule(2, "done", "done", _done),
    Rule(3, "overdue", "overdue", _overdue),
    Rule(4, "blocked", "at_risk", _blocked),
    Rule(5, "not_due", "not_due", _not_due),
    Rule(6, "not_started", "not_started", _not_started),
    Rule(7, "late_in_period", "at_risk", _late_in_period),
    Rule(8, "behind", "behind", _behind),
    Rule(9, "on_track", "on_track", _on_track),
)
#: Columns the rules read (see ``apply_rules``).
RULE_INPUTS = (
    "has_update",
    "update_due",
    "delivered",
    "reported",
    "percent",
    "expected",
    "due_date",
    "window_start",
    "as_of",
    "period_end",
)


def apply_rules(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``status`` and ``rule`` (the number of the first rule that matched) to a judging frame.

    The frame needs RULE_INPUTS: ``has_update``/``update_due``/``delivered`` (bool), ``reported`` (the reported
    status code, "" when nothing is reported), ``percent`` and ``expected`` (0–100), and the dates
    ``due_date``, ``window_start``, ``as_of``, ``period_end`` (datetime64).
    """
    frame = frame.copy()
    if frame.empty:
        frame["status"] = pd.Series(dtype="str")
        frame["rule"] = pd.Series(dtype="int64")
        return frame
    conditions = [rule.when(frame).fillna(False).to_numpy(dtype=bool) for rule in RULES]
    frame["status"] = np.select(conditions, [rule.status for rule in RULES], default="on_track")
    frame["rule"] = np.select(conditions, [rule.number for rule in RULES], default=RULES[-1].number)
    return frame


def expected_percent(window_start: pd.Series, due_date: pd.Series, as_of: pd.Series) -> pd.Series:
    """The elapsed share of each window at the "as of" date, 0–100 (a window of one day counts as elapsed at its end)."""
    length = (due_date - window_start).dt.days.clip(lower=1)
    elapsed = (as_of - window_start).dt.days
    return (elapsed / length * 100).clip(0, 100)


# ---------------------------------------------------------------------------
# Occurrences and the judging frame
# ---------------------------------------------------------------------------


def _windows(frequency: str, year: int) -> list[tuple[str, dt.date, dt.date]]:
    """(label, first day, due date) of every occurrence of a recurring task in ``year``."""
    if frequency == "monthly":
        return [(f"Tháng {start.month}/{year}", start, end) for start, end in periods.months(periods.year_period(year))]
    if frequency == "quarterly":
        return [(q.label, q.start, q.end) for q in periods.year_period(year).quarters()]
    if frequency == "six_monthly":
        return [(h.label, h.start, h.end) for h in (periods.half(year, 1), periods.half(year, 2))]
    return [(f"Năm {year}", dt.date(year, 1, 1), dt.date(year, 12, 31))]


def has_plan(ds: Dataset, agency_id: str, year: int) -> bool:
    """Whether the data holds an improvement plan of the agency for ``year``."""
    return bool(((ds.tasks["agency_id"] == agency_id) & (ds.tasks["plan_year"] == int(year))).any())


def plan_tasks(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """The tasks of the agency's plan for ``year``, in plan order, with the unit's name."""
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
    tasks["sub_criteria"] = tasks["sub_criteria"].map(lambda codes: tuple(codes) if isinstance(codes, tuple) else ())
    return tasks


def occurrences(tasks: pd.DataFrame, period: Period) -> pd.DataFrame:
    """One row per occurrence of each task in ``period``: a one-off task once, a recurring task once per
    window of its frequency that overlaps the period. Columns: task_id, occurrence, window_start, due_date."""
    rows = []
    for task in tasks.itertuples(index=False):
        if task.kind == "one_off":
            rows.append((task.task_id, "", dt.date(int(task.plan_year), 1, 1), task.due_date))
            continue
        for label, start, due in _windows(task.frequency, int(task.plan_year)):
            if start <= period.end and due >= period.start:
                rows.append((task.task_id, label, start, due))
    frame = pd.DataFrame(rows, columns=["task_id", "occurrence", "window_start", "due_date"])
    for column in ("window_start", "due_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _updates(ds: Dataset, as_of: dt.date) -> dict[str, dict[str, dict]]:
    """{task_id: {quarter id: update}} of the updates known at ``as_of``."""
    known: dict[str, dict[str, dict]] = {}
    for record in ds.progress.to_dict("records"):
        if record["updated_on"] is not None and record["updated_on"] <= as_of:
            known.setdefault(record["task_id"], {})[record["period"]] = record
    return known


def judging_frame(ds: Dataset, tasks: pd.DataFrame, period: Period, as_of: dt.date) -> pd.DataFrame:
    """Occurrences of the period with everything the rules read (RULE_INPUTS) and the update they rest on."""
    occ = occurrences(tasks, period).merge(tasks[["task_id", "kind", "frequency"]], on="task_id", how="left")
    updates = _updates(ds, as_of)
    current = periods.reporting_quarter(period, as_of)
    records = []
    for row in occ.itertuples(index=False):
        due_quarter = periods.quarter_of(row.due_date.date())
        short = row.kind == "recurring" and row.frequency in SHORT_FREQUENCIES
        if row.kind == "one_off":
            judge = current
        elif short:
            judge = due_quarter if due_quarter <= current else None
        else:
            judge = min(due_quarter, current)
        own = updates.get(row.task_id, {})
        update = own.get(judge.id) if judge is not None else None
        update_due = judge is not None and as_of >= periods.reporting_date(judge)
        carried = False
        if update is None and judge is not None and not update_due and not short:
            earlier = [own[q] for q in sorted(own) if periods.parse(q) < judge]
            if earlier:
                update, carried = earlier[-1], True
        records.append(
            {
                "judge_quarter": judge.id if judge is not None else "",
                "has_update": update is not None,
                "update_due": update_due,
                "carried": carried,
                "reported": update["status"] if update is not None else "",
                "update_percent": float(update["percent_done"]) if update is not None else 0.0,
                "updated_on": update["updated_on"] if update is not None else None,
                "note": update["note"] if update is not None else "",
            }
        )
    frame = pd.concat(
        [
            occ,
            pd.DataFrame(
                records,
                index=occ.index,
                columns=[
                    "judge_quarter",
                    "has_update",
                    "update_due",
                    "carried",
                    "reported",
                    "update_percent",
                    "updated_on",
                    "note",
                ],
            ),
        ],
        axis=1,
    )
    frame["has_update"] = frame["has_update"].astype(bool)
    frame["update_due"] = frame["update_due"].astype(bool)
    # Share of a quarter's short occurrences: the k-th (earliest first) of n gets clip(p * n / 100 - k, 0, 1).
    short = (frame["kind"] == "recurring") & frame["frequency"].isin(SHORT_FREQUENCIES)
    group = frame.groupby(["task_id", "judge_quarter"], sort=False)
    n = group["due_date"].transform("size").astype(float)
    k = group["due_date"].rank(method="first").astype(float) - 1
    share = (frame["update_percent"] * n / 100 - k).clip(0, 1) * 100
    frame["percent"] = np.where(short, share, frame["update_percent"])
    frame["delivered"] = (frame["reported"] == "done") | (short & frame["has_update"] & (frame["percent"] >= 100))
    frame["as_of"] = pd.Timestamp(as_of)
    frame["period_end"] = pd.Timestamp(period.end)
    frame["expected"] = expected_percent(frame["window_start"], frame["due_date"], frame["as_of"])
    return frame


# ---------------------------------------------------------------------------
# The status picture of a period
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """The status of every task of the agency's plan in one period, at one "as of" date."""

    agency_id: str
    period: Period
    as_of: dt.date
    occurrences: pd.DataFrame  # one row per occurrence, with status and rule
    tasks: pd.DataFrame  # one row per task, with its status in the period
    missing_updates: pd.DataFrame  # (task_id, quarter) pairs whose update was due and is absent

    @property
    def reporting_quarter(self) -> Period:
        return periods.reporting_quarter(self.period, self.as_of)


def task_status(occ: pd.DataFrame) -> pd.Series:
    """A task's status from its occurrences: all delivered -> done; delivered and not yet due only -> on track;
    otherwise the worst status (SEVERITY order)."""
    rank = {status: index for index, status in enumerate(SEVERITY)}

    def combine(statuses: pd.Series) -> str:
        found = set(statuses)
        if found == {"done"}:
            return "done"
        if found == {"done", "not_due"}:
            return "on_track"
        return min(found, key=rank.__getitem__)

    return occ.groupby("task_id", sort=False)["status"].agg(combine)


def picture(ds: Dataset, agency_id: str, period: Period | str, as_of: dt.date | str | None = None) -> Picture:
    """Compute the status picture of ``period`` for the agency's plan of the period's year."""
    period = periods.parse(period) if not isinstance(period, Period) else period
    day = periods.resolve_as_of(period, as_of or "")
    tasks = plan_tasks(ds, agency_id, period.year)
    occ = apply_rules(judging_frame(ds, tasks, period, day))
    status = task_status(occ)
    latest = occ.sort_values("due_date").groupby("task_id", sort=False).last()
    open_occ = occ[occ["status"] != "done"].sort_values("due_date").groupby("task_id", sort=False)["due_date"].first()
    table = tasks.copy()
    table["status"] = table["task_id"].map(status)
    table["occurrences"] = table["task_id"].map(occ.groupby("task_id").size()).fillna(0).astype(int)
    table["next_due"] = table["task_id"].map(open_occ)
    for column in ("reported", "update_percent", "updated_on", "note", "judge_quarter"):
        table[column] = table["task_id"].map(latest[column])
    table = table.rename(columns={"note": "update_note"})
    return Picture(agency_id, period, day, occ.reset_index(drop=True), table, missing_updates(ds, tasks, period, day))


def missing_updates(ds: Dataset, tasks: pd.DataFrame, period: Period, as_of: dt.date) -> pd.DataFrame:
    """Every (task, quarter) of the period whose update was due by ``as_of`` and is absent (or dated later)."""
    updates = _updates(ds, as_of)
    due = [q for q in period.quarters() if periods.reporting_date(q) <= as_of]
    rows = [
        (task.task_id, task.unit_id, task.unit_name, q.id, q.label, periods.reporting_date(q))
        for q in due
        for task in tasks.itertuples(index=False)
        if q.id not in updates.get(task.task_id, {})
    ]
    frame = pd.DataFrame(rows, columns=["task_id", "unit_id", "unit_name", "quarter", "quarter_label", "due_on"])
    order = {task_id: index for index, task_id in enumerate(tasks["task_id"])}
    return (
        frame.assign(_o=frame["task_id"].map(order))
        .sort_values(["quarter", "_o"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


# ---------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------


def counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Number of tasks in each status (columns in STATUSES order) per value of ``by``, with a ``total`` column."""
    grid = pd.crosstab(table[by], table["status"]).reindex(columns=list(STATUSES), fill_value=0)
    grid.columns.name = None
    grid["total"] = grid.sum(axis=1)
    return grid


def by_unit(pic: Picture) -> pd.DataFrame:
    """Task counts per status for each unit (units in the order of units.csv), indexed by unit name."""
    grid = counts(pic.tasks, "unit_id")
    names = pic.tasks.drop_duplicates("unit_id").set_index("unit_id")["unit_name"]
    order = [u for u in pic.tasks["unit_id"].drop_duplicates()]
    grid = grid.reindex(order)
    grid.index = [names[u] for u in grid.index]
    return grid


def by_field(pic: Picture) -> pd.DataFrame:
    """Task counts per status for each field code (1…7)."""
    grid = counts(pic.tasks, "field_code")
    return grid.loc[sorted(grid.index, key=int)]


def by_sub_criterion(pic: Picture) -> pd.DataFrame:
    """Task counts per status for each sub-criterion a task addresses."""
    linked = pic.tasks.explode("sub_criteria").dropna(subset=["sub_criteria"])
    grid = counts(linked, "sub_criteria")
    return grid.loc[sorted(grid.index, key=code_key)]


def points_at_stake(ds: Dataset, pic: Picture, year: int | None = None) -> pd.DataFrame:
    """For each sub-criterion that lost points in the last published results (largest loss first), the tasks
    that address it and their status; a sub-criterion with no task gets one row with an empty task_id.
    ``covered`` says whether one of its tasks is fine (done, on track or not yet due)."""
    year = year or periods.results_year_before(ds.result_years, pic.period)
    lost = scoring.lost_points(ds, pic.agency_id, year)
    linked = pic.tasks.explode("sub_criteria")
    rows = []
    for item in lost.itertuples(index=False):
        tasks = linked[linked["sub_criteria"] == item.code]
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
            rows.append({**base, "task_id": None, "unit_name": None, "status": None, "next_due": pd.NaT})
        for task in tasks.itertuples(index=False):
            rows.append(
                {
                    **base,
                    "task_id": task.task_id,
                    "unit_name": task.unit_name,
                    "status": task.status,
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
            "next_due",
        ],
    )


ALERT_KINDS: dict[str, str] = {
    "uncovered": "Tiêu chí bị trừ điểm chưa có nhiệm vụ đúng tiến độ",
    "overdue": "Nhiệm vụ quá hạn",
    "at_risk": "Nhiệm vụ có nguy cơ không hoàn thành",
    "missing": "Thiếu cập nhật",
    "due_next": "Đến hạn trong kỳ tới",
}


def due_next(pic: Picture) -> pd.DataFrame:
    """Deadlines in the next period of the same kind, not yet delivered: one-off tasks, and the six-monthly and
    yearly occurrences (monthly and quarterly reports fall due every period and are left out)."""
    following = periods.following(pic.period)
    tasks = pic.tasks
    rows = []
    for task in tasks.itertuples(index=False):
        if task.kind == "one_off":
            if following.contains(task.due_date) and task.status != "done":
                rows.append((task.task_id, task.unit_name, "", pd.Timestamp(task.due_date), task.status))
            continue
        if task.frequency in SHORT_FREQUENCIES:
            continue
        for label, _start, due in _windows(task.frequency, int(task.plan_year)):
            if following.contains(due) and due > pic.period.end:
                mine = pic.occurrences[
                    (pic.occurrences["task_id"] == task.task_id) & (pic.occurrences["due_date"] == pd.Timestamp(due))
                ]
                if mine.empty or mine["status"].iloc[0] != "done":
                    rows.append((task.task_id, task.unit_name, label, pd.Timestamp(due), task.status))
    return pd.DataFrame(rows, columns=["task_id", "unit_name", "occurrence", "due_date", "status"])


def alerts(ds: Dataset, pic: Picture, stake: pd.DataFrame | None = None) -> pd.DataFrame:
    """The alert list, most urgent first: sub-criteria at stake with no task fine, overdue tasks, tasks at
    risk, missing updates, deadlines in the next period. Columns: kind, subject, unit_name, due_date, status,
    quarter, detail (codes and dates; ``progress_review`` writes the Vietnamese sentence)."""
    stake = points_at_stake(ds, pic) if stake is None else stake
    rows: list[dict] = []
    for code, group in stake.groupby("code", sort=False):
        if not group["covered"].iloc[0]:
            tasks = group.dropna(subset=["task_id"])
            rows.append(
                {
                    "kind": "uncovered",
                    "subject": code,
                    "unit_name": "; ".join(tasks["unit_name"]) or None,
                    "due_date": pd.NaT,
                    "status": "; ".join(tasks["status"]) or None,
                    "quarter": None,
                    "detail": {
                        "name": group["name"].iloc[0],
                        "lost": float(group["lost"].iloc[0]),
                        "tasks": list(zip(tasks["task_id"], tasks["status"])),
                    },
                }
            )
    for kind in ("overdue", "at_risk"):
        for task in pic.tasks[pic.tasks["status"] == kind].itertuples(index=False):
            late = pic.occurrences[(pic.occurrences["task_id"] == task.task_id) & (pic.occurrences["status"] == kind)]
            first = late.sort_values("due_date").iloc[0]
            rows.append(
                {
                    "kind": kind,
                    "subject": task.task_id,
                    "unit_name": task.unit_name,
                    "due_date": late["due_date"].min(),
                    "status": kind,
                    "quarter": first["judge_quarter"] or None,
                    "detail": {
                        "occurrences": [o for o in late["occurrence"] if o],
                        "reported": first["reported"],
                        "percent": float(first["update_percent"]),
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
                "detail": {},
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
    """Tasks whose status differs from the previous period of the same kind (judged at its end).

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
