"""The status of one task occurrence on one date: an ordered table of rules, first match wins.

The status depends only on the occurrence, the updates known on the "as of" date and that date — never on the
period a report is about — so every view over the same date gives every occurrence the same status
(docs/plan_status.md documents the rules in this order, with one worked example each).

What an occurrence's state is on a date: its **latest update dated on or before that date** (the progress table
keeps one update per occurrence and reporting quarter). A unit reports, per occurrence, a status (not started,
in progress, done, blocked, not applicable), a completion date when done, the blocker when blocked, and a
percent only for one-off, six-monthly and yearly work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cchc_analysis.domain import periods

__all__ = [
    "AT_RISK_DAYS",
    "CLOSED",
    "FINE",
    "RULES",
    "RULE_INPUTS",
    "Rule",
    "SEVERITY",
    "STATUSES",
    "TOLERANCE",
    "apply_rules",
    "expected_percent",
    "judge",
    "judging_frame",
    "required_quarter",
    "task_status",
]

#: Computed statuses, in the order tables and charts show them, with their Vietnamese labels.
STATUSES: dict[str, str] = {
    "done": "Hoàn thành",
    "done_late": "Hoàn thành trễ hạn",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm tiến độ",
    "at_risk": "Có nguy cơ trễ hạn",
    "overdue": "Quá hạn",
    "blocked": "Gặp vướng mắc",
    "missing": "Thiếu cập nhật",
    "not_due": "Chưa đến kỳ",
    "not_applicable": "Không áp dụng",
}
#: Worst first: a task's status is the worst status of its occurrences that have begun.
SEVERITY: tuple[str, ...] = (
    "missing",
    "overdue",
    "blocked",
    "at_risk",
    "behind",
    "on_track",
    "done_late",
    "done",
    "not_due",
    "not_applicable",
)
#: Statuses that need no action: a lost sub-criterion is covered when one of its tasks has one of them.
FINE: frozenset[str] = frozenset({"done", "on_track", "not_due"})
#: Statuses after which nothing more is due for an occurrence.
CLOSED: frozenset[str] = frozenset({"done", "done_late", "not_applicable"})
#: Percentage points of slack before work counts as behind its elapsed share of time.
TOLERANCE = 25.0
#: Work behind time whose due date is this close (days) is at risk rather than merely behind.
AT_RISK_DAYS = 31


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


def _not_applicable(f: pd.DataFrame) -> pd.Series:
    """Due before the plan's start date (the plan did not exist yet), or reported as not applicable."""
    return ~f["applicable"] | (f["reported"] == "not_applicable")


def _done(f: pd.DataFrame) -> pd.Series:
    """Reported done, with a completion date on or before the due date. Done is final: no further update is due."""
    return (f["reported"] == "done") & (f["completed_on"] <= f["due_date"])


def _done_late(f: pd.DataFrame) -> pd.Series:
    """Reported done, completed after the due date. Stays visible as late in every later view."""
    return f["reported"] == "done"


def _not_due(f: pd.DataFrame) -> pd.Series:
    """The occurrence's window has not begun on the "as of" date: nothing is expected yet."""
    return f["window_start"] > f["as_of"]


def _missing(f: pd.DataFrame) -> pd.Series:
    """An update was due by the "as of" date (the last reporting date passed while the occurrence was open)
    and none is known for it. Never counted as fine."""
    return f["update_required"] & ~f["has_required_update"]


def _blocked(f: pd.DataFrame) -> pd.Series:
    """The latest update reports a blocker (Gặp vướng mắc, with its cause): a decision for leadership, even
    past the due date."""
    return f["reported"] == "blocked"


def _overdue(f: pd.DataFrame) -> pd.Series:
    """Not done and the due date is before the "as of" date."""
    return f["due_date"] < f["as_of"]


def _at_risk(f: pd.DataFrame) -> pd.Series:
    """Behind its elapsed share of time by more than TOLERANCE points, with the due date within AT_RISK_DAYS."""
    close = (f["due_date"] - f["as_of"]).dt.days <= AT_RISK_DAYS
    return close & (f["percent"] < f["expected"] - TOLERANCE)


def _behind(f: pd.DataFrame) -> pd.Series:
    """Behind its elapsed share of time by more than TOLERANCE points, the due date further away."""
    return f["percent"] < f["expected"] - TOLERANCE


def _on_track(f: pd.DataFrame) -> pd.Series:
    """Everything else: open, not late, and not behind time."""
    return pd.Series(True, index=f.index)


RULES: tuple[Rule, ...] = (
    Rule(1, "not_applicable", "not_applicable", _not_applicable),
    Rule(2, "done", "done", _done),
    Rule(3, "done_late", "done_late", _done_late),
    Rule(4, "not_due", "not_due", _not_due),
    Rule(5, "missing", "missing", _missing),
    Rule(6, "blocked", "blocked", _blocked),
    Rule(7, "overdue", "overdue", _overdue),
    Rule(8, "at_risk", "at_risk", _at_risk),
    Rule(9, "behind", "behind", _behind),
    Rule(10, "on_track", "on_track", _on_track),
)
#: Columns the rules read (see ``apply_rules``).
RULE_INPUTS = (
    "applicable",
    "reported",
    "completed_on",
    "update_required",
    "has_required_update",
    "percent",
    "expected",
    "window_start",
    "due_date",
    "as_of",
)


def apply_rules(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``status`` and ``rule`` (the number of the first rule that matched) to a judging frame.

    The frame needs RULE_INPUTS: ``applicable``, ``update_required``, ``has_required_update`` (bool),
    ``reported`` (the reported status code, "" when nothing is known), ``percent`` (0–100, NaN when the
    occurrence is judged without a percent) and ``expected`` (0–100), and the dates ``completed_on`` (NaT when
    not done), ``window_start``, ``due_date``, ``as_of`` (datetime64).
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


def required_quarter(window_start: dt.date, due_date: dt.date, as_of: dt.date) -> periods.Period | None:
    """The quarter whose update an open occurrence needs on ``as_of``: the last quarter whose reporting date has
    passed, but not after the quarter of the due date; None when no reporting date has passed since the
    occurrence began."""
    passed = [
        q
        for q in periods.year_period(window_start.year).quarters()
        if periods.reporting_date(q) <= as_of and q.end >= window_start
    ]
    if not passed:
        return None
    due_quarter = periods.quarter_of(due_date)
    return min(passed[-1], due_quarter)


def judging_frame(occ: pd.DataFrame, progress: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Occurrences with everything the rules read (RULE_INPUTS) and the update they rest on (the latest update
    of the occurrence dated on or before ``as_of``)."""
    known: dict[tuple[str, str], list[dict]] = {}
    for record in progress.to_dict("records"):
        if record["updated_on"] is not None and record["updated_on"] <= as_of:
            known.setdefault((record["task_id"], record["occurrence"]), []).append(record)
    rows = []
    for row in occ.itertuples(index=False):
        updates = sorted(known.get((row.task_id, row.occurrence), []), key=lambda r: (r["period"], r["updated_on"]))
        latest = updates[-1] if updates else None
        need = required_quarter(row.window_start.date(), row.due_date.date(), as_of) if row.applicable else None
        rows.append(
            {
                "reported": latest["status"] if latest else "",
                "reported_percent": _number(latest["percent_done"]) if latest else np.nan,
                "completed_on": latest["completed_on"] if latest else None,
                "blocker": _text(latest["blocker"]) if latest else "",
                "updated_on": latest["updated_on"] if latest else None,
                "updated_by": _text(latest["updated_by"]) if latest else "",
                "note": _text(latest["note"]) if latest else "",
                "update_period": latest["period"] if latest else "",
                "required_quarter": need.id if need is not None else "",
                "update_required": need is not None,
                "has_required_update": need is not None and any(u["period"] >= need.id for u in updates),
            }
        )
    extra = pd.DataFrame(rows, index=occ.index)
    frame = pd.concat([occ, extra], axis=1) if not occ.empty else occ.assign(**{c: [] for c in extra.columns})
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    frame["update_required"] = frame["update_required"].astype(bool)
    frame["has_required_update"] = frame["has_required_update"].astype(bool)
    frame["as_of"] = pd.Timestamp(as_of)
    frame["expected"] = expected_percent(frame["window_start"], frame["due_date"], frame["as_of"])
    without = frame["kind"].eq("continuous") | frame["frequency"].isin(["monthly", "quarterly"])
    idle = frame["reported"].isin(["", "not_started"])
    # Work judged by percent: the reported percent (0 when nothing started or reported yet). Deliveries judged
    # without a percent count as behind only when not started.
    frame["percent"] = np.where(
        without,
        np.where(frame["reported"] == "not_started", 0.0, np.nan),
        np.where(idle & frame["reported_percent"].isna(), 0.0, frame["reported_percent"]),
    )
    return frame


def _text(value: object) -> str:
    """A text cell: "" for an empty one (None or NaN)."""
    return value if isinstance(value, str) else ""


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return np.nan


def judge(occ: pd.DataFrame, progress: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The status of every occurrence on ``as_of``."""
    return apply_rules(judging_frame(occ, progress, as_of))


def task_status(statuses: pd.Series) -> str:
    """A task's status from all its occurrences on one date: not applicable when none applies; not yet due when
    none has begun; done (or done late, when one was late) when every applicable one is done; otherwise the
    worst status (SEVERITY order) of those begun — a task whose begun occurrences are all done and whose later
    ones are not yet due is on track."""
    found = set(statuses) - {"not_applicable"}
    if not found:
        return "not_applicable"
    if found == {"not_due"}:
        return "not_due"
    if found <= {"done", "done_late"}:
        return "done_late" if "done_late" in found else "done"
    begun = found - {"not_due"}
    if begun <= {"done", "done_late"}:
        return "on_track"
    rank = {status: index for index, status in enumerate(SEVERITY)}
    return min(begun, key=rank.__getitem__)
