"""Charts of plan progress: tasks by status per unit and per field, and a timeline of deadlines."""

from __future__ import annotations

from typing import cast

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from cchc_analysis import fmt
from cchc_analysis.domain import plan
from cchc_analysis.present.charts import FONT, PALETTE, finish


def _stacked(grid: pd.DataFrame, title: str) -> Figure:
    shown = [s for s in plan.STATUSES if grid[s].sum() > 0]
    figure, axes = plt.subplots(figsize=(8, 0.55 * len(grid) + 1.6), dpi=110)
    labels = [str(i) for i in grid.index][::-1]
    left = pd.Series(0, index=grid.index[::-1], dtype=float)
    for status in shown:
        values = grid[status][::-1].astype(float)
        bars = axes.barh(
            labels,
            values,
            left=left,
            color=PALETTE[status],
            label=plan.STATUSES[status],
            edgecolor="white",
            linewidth=0.6,
        )
        for bar, value in zip(bars, values):
            if value > 0:
                dark = status in ("done", "overdue", "missing", "at_risk")
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    fmt.number(value),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else PALETTE["text"],
                    fontfamily=FONT,
                )
        left = left + values
    axes.set_xlabel("Số nhiệm vụ", fontfamily=FONT)
    axes.set_title(title, fontfamily=FONT, loc="left")
    axes.legend(
        frameon=False,
        ncols=min(4, len(shown)),
        loc="upper left",
        bbox_to_anchor=(0, -0.18 - 0.02 * len(grid)),
        prop={"family": FONT, "size": 8},
    )
    cast(MaxNLocator, axes.xaxis.get_major_locator()).set_params(integer=True)
    return finish(figure)


def status_by_unit(picture: plan.Picture) -> Figure:
    """Tasks of each unit by status (stacked bars, status colours of the palette)."""
    return _stacked(plan.by_unit(picture), f"Trạng thái nhiệm vụ theo đơn vị – {picture.period.label}")


def status_by_field(picture: plan.Picture) -> Figure:
    """Tasks of each field by status."""
    grid = plan.by_field(picture)
    grid.index = [f"Lĩnh vực {code}" for code in grid.index]
    return _stacked(grid, f"Trạng thái nhiệm vụ theo lĩnh vực – {picture.period.label}")


def deadline_timeline(picture: plan.Picture) -> Figure:
    """The deadlines of the plan's one-off tasks and of its six-monthly and yearly occurrences in the period,
    coloured by status, with the period shaded and the "as of" date marked."""
    occ = picture.occurrences
    tasks = picture.tasks.set_index("task_id")
    long = occ[(occ["kind"] == "one_off") | ~occ["frequency"].isin(plan.SHORT_FREQUENCIES)]
    long = long.sort_values(["due_date", "task_id"], ascending=[False, False]).reset_index(drop=True)
    figure, axes = plt.subplots(figsize=(8, 0.24 * len(long) + 1.6), dpi=110)
    labels = [
        f"{row.task_id} · {tasks.at[row.task_id, 'unit_name']}" + (f" · {row.occurrence}" if row.occurrence else "")
        for row in long.itertuples(index=False)
    ]
    axes.axvspan(
        pd.Timestamp(picture.period.start), pd.Timestamp(picture.period.end), color=PALETTE["max"], alpha=0.6, zorder=0
    )
    axes.scatter(
        long["due_date"],
        range(len(long)),
        c=[PALETTE[s] for s in long["status"]],
        s=42,
        zorder=3,
        edgecolors=PALETTE["text"],
        linewidths=0.4,
    )
    axes.axvline(pd.Timestamp(picture.as_of), color=PALETTE["agency"], linewidth=1.2, linestyle="--", zorder=2)
    axes.text(
        pd.Timestamp(picture.as_of),
        len(long) - 0.3,
        f" ngày số liệu {fmt.date(picture.as_of)}",
        fontsize=8,
        color=PALETTE["agency"],
        va="bottom",
        fontfamily=FONT,
    )
    axes.set_yticks(range(len(long)), labels, fontsize=7)
    axes.xaxis.set_major_locator(mdates.MonthLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    for label in axes.get_xticklabels():
        label.set_fontsize(7)
        label.set_rotation(45)
    axes.set_xlim(pd.Timestamp(picture.period.year, 1, 1), pd.Timestamp(picture.period.year, 12, 31))
    shown = [s for s in plan.STATUSES if s in set(long["status"])]
    axes.legend(
        handles=[Patch(color=PALETTE[s], label=plan.STATUSES[s]) for s in shown],
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        prop={"family": FONT, "size": 8},
    )
    axes.set_title(f"Hạn hoàn thành các nhiệm vụ – {picture.period.label}", fontfamily=FONT, loc="left")
    return finish(figure)
