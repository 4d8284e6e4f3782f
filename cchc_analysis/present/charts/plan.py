"""Charts of plan progress: tasks by status per unit and per field, and a timeline of deadlines."""

from __future__ import annotations

from typing import cast

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from cchc_analysis import fmt
from cchc_analysis.domain import plan
from cchc_analysis.present.charts import FONT, PALETTE, SMALL, TEXT, Chart, finish, legend_below, new_figure, title

__all__ = ["deadline_timeline", "status_by_field", "status_by_unit"]


def _counts_text(row: pd.Series, shown: list[str]) -> str:
    parts = [f"{int(row[s])} {plan.STATUSES[s].lower()}" for s in shown if row[s] > 0]
    return ", ".join(parts) if parts else "không có nhiệm vụ"


def _stacked(grid: pd.DataFrame, heading: str, what: str) -> Chart:
    shown = [s for s in plan.STATUSES if grid[s].sum() > 0]
    figure, axes = new_figure(0.5 * len(grid) + 1.7)
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
                dark = status in ("done", "overdue", "missing", "at_risk", "blocked")
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    fmt.number(value),
                    ha="center",
                    va="center",
                    fontsize=SMALL,
                    color="white" if dark else PALETTE["text"],
                    fontfamily=FONT,
                )
        left = left + values
    axes.tick_params(labelsize=TEXT)
    axes.set_xlabel("Số nhiệm vụ", fontfamily=FONT, fontsize=TEXT)
    title(axes, heading)
    legend_below(figure, ncols=min(3, len(shown)))
    cast(MaxNLocator, axes.xaxis.get_major_locator()).set_params(integer=True)
    items = "; ".join(f"{name}: {_counts_text(row, shown)}" for name, row in grid.iterrows())
    alt = f"Biểu đồ thanh chồng: số nhiệm vụ theo trạng thái của từng {what}. {items}."
    return finish(figure, alt)


def status_by_unit(picture: plan.Picture) -> Chart:
    """Tasks of each unit by status (stacked bars, status colours of the palette)."""
    return _stacked(
        plan.by_unit(picture),
        f"Trạng thái nhiệm vụ theo đơn vị – {picture.period.label}",
        f"đơn vị chủ trì, {picture.period.label}",
    )


def status_by_field(picture: plan.Picture) -> Chart:
    """Tasks of each field by status."""
    grid = plan.by_field(picture)
    grid.index = [f"Lĩnh vực {code}" for code in grid.index]
    return _stacked(
        grid, f"Trạng thái nhiệm vụ theo lĩnh vực – {picture.period.label}", f"lĩnh vực, {picture.period.label}"
    )


def deadline_timeline(picture: plan.Picture) -> Chart:
    """The deadlines of the plan's one-off tasks and of its six-monthly and yearly occurrences in the period,
    coloured by status, with the period shaded and the "as of" date marked. Rows are labelled by task (and
    occurrence); the tables of the same page name each task's unit."""
    occ = picture.view
    long = occ[occ["applicable"] & ((occ["kind"] == "one_off") | occ["frequency"].isin(["six_monthly", "yearly"]))]
    long = long.sort_values(["due_date", "task_id"], ascending=[False, False]).reset_index(drop=True)
    figure, axes = new_figure(0.22 * len(long) + 1.9)
    labels = [f"{row.task_id}" + (f" · {row.label}" if row.kind != "one_off" else "") for row in long.itertuples()]
    axes.axvspan(
        pd.Timestamp(picture.period.start), pd.Timestamp(picture.period.end), color=PALETTE["max"], alpha=0.6, zorder=0
    )
    axes.scatter(
        long["due_date"],
        range(len(long)),
        c=[PALETTE[s] for s in long["status"]],
        s=36,
        zorder=3,
        edgecolors=PALETTE["text"],
        linewidths=0.4,
        clip_on=False,
    )
    as_of = pd.Timestamp(picture.as_of)
    axes.axvline(as_of, color=PALETTE["agency"], linewidth=1.2, linestyle="--", zorder=2)
    late_in_year = picture.as_of.month > 6
    axes.text(
        as_of,
        len(long) - 0.4,
        f"ngày số liệu {fmt.date(picture.as_of)} ",
        fontsize=SMALL,
        color=PALETTE["agency"],
        ha="right" if late_in_year else "left",
        va="bottom",
        fontfamily=FONT,
    )
    axes.set_yticks(range(len(long)), labels, fontsize=SMALL)
    axes.set_ylim(-0.7, len(long) + 0.6)
    axes.xaxis.set_major_locator(mdates.MonthLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%m"))
    axes.tick_params(axis="x", labelsize=SMALL)
    axes.set_xlabel(f"Tháng (năm {picture.period.year})", fontfamily=FONT, fontsize=TEXT)
    axes.set_xlim(pd.Timestamp(picture.period.year, 1, 1), pd.Timestamp(picture.period.year, 12, 31))
    shown = [s for s in plan.STATUSES if s in set(long["status"])]
    legend_below(
        figure, [Patch(color=PALETTE[s]) for s in shown], [plan.STATUSES[s] for s in shown], ncols=min(3, len(shown))
    )
    title(axes, f"Hạn hoàn thành các nhiệm vụ – {picture.period.label}")
    counts = long["status"].value_counts()
    summary = ", ".join(f"{int(counts[s])} {plan.STATUSES[s].lower()}" for s in shown)
    alt = (
        f"Biểu đồ thời gian: {len(long)} hạn hoàn thành trong năm {picture.period.year} (nhiệm vụ làm một lần và "
        f"các kỳ sáu tháng, cả năm của nhiệm vụ định kỳ), tô màu theo trạng thái ({summary}); vùng tô xám là "
        f"{picture.period.label}, "
        f"đường nét đứt là ngày số liệu {fmt.date(picture.as_of)}."
    )
    late = long[long["status"].isin(["overdue", "at_risk", "behind"])]
    if not late.empty:
        alt += " Cần chú ý: " + "; ".join(
            f"{row.task_id} ({plan.STATUSES[row.status].lower()}, hạn {fmt.date(pd.Timestamp(row.due_date).date())})"
            for row in late.itertuples()
        )
        alt += "."
    return finish(figure, alt)
