"""The occurrence vocabulary of a task (ids, labels, windows), shared by the progress table's checks and the
plan model (``domain.occurrences``): pure date arithmetic, so that the ingest layer can check an occurrence id
without importing the domain.

* a one-off task has one occurrence, ``once``, due on its due date;
* a recurring task has one per window of its frequency: monthly ``2023-M04`` (Tháng 4/2023), quarterly
  ``2023-Q2`` (Quý II/2023), six-monthly ``2023-H1``, yearly ``2023``, each due on the window's last day;
* a continuous duty is confirmed once per quarter (``2023-Q2``).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["NO_PERCENT", "ONCE", "judged_without_percent", "windows"]

ONCE = "once"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: Frequencies (and the continuous kind) whose occurrences are delivered or not, with no percent.
NO_PERCENT = frozenset({"monthly", "quarterly", "continuous"})


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def windows(
    kind: str, frequency: object, year: int, due_date: dt.date | None
) -> list[tuple[str, str, dt.date, dt.date]]:
    """(id, Vietnamese label, first day, due date) of every occurrence of a task in ``year`` (a one-off task
    without its due date, as when only the ids are wanted, is given the year's last day)."""
    if kind == "one_off":
        return [(ONCE, "Một lần", dt.date(year, 1, 1), due_date or dt.date(year, 12, 31))]
    if kind == "continuous" or frequency == "quarterly":
        return [
            (f"{year}-Q{q}", f"Quý {_ROMAN[q]}/{year}", dt.date(year, 3 * q - 2, 1), _last_day(year, 3 * q))
            for q in range(1, 5)
        ]
    if frequency == "monthly":
        return [
            (f"{year}-M{m:02d}", f"Tháng {m}/{year}", dt.date(year, m, 1), _last_day(year, m)) for m in range(1, 13)
        ]
    if frequency == "six_monthly":
        return [
            (f"{year}-H1", f"6 tháng đầu năm {year}", dt.date(year, 1, 1), dt.date(year, 6, 30)),
            (f"{year}-H2", f"6 tháng cuối năm {year}", dt.date(year, 7, 1), dt.date(year, 12, 31)),
        ]
    return [(str(year), f"Năm {year}", dt.date(year, 1, 1), dt.date(year, 12, 31))]


def judged_without_percent(kind: str, frequency: object) -> bool:
    """Whether a task's occurrences are delivered or not, with no percent (monthly, quarterly, continuous)."""
    return kind == "continuous" or frequency in NO_PERCENT
