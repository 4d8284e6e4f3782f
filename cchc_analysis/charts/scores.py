"""Charts of scores: fields against maximum and target, peers, points lost, years."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from cchc_analysis import fmt, scoring
from cchc_analysis.charts import FONT, PALETTE, finish
from cchc_analysis.context import Context


def field_points(ctx: Context, year: int | None = None) -> Figure:
    """Each field's points against its maximum, with next year's target marked."""
    year = year or ctx.results_year
    fields = scoring.field_scores(ctx.ds, year)
    mine = fields[fields["agency_id"] == ctx.agency_id].sort_values("field_code", key=lambda s: s.astype(int))
    targets = ctx.ds.targets[(ctx.ds.targets["agency_id"] == ctx.agency_id) & (ctx.ds.targets["year"] == year + 1)
                             & (ctx.ds.targets["metric"] == "points")].set_index("scope")["value"]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=110)
    labels = [f"LV {code}" for code in mine["field_code"]]
    positions = range(len(labels))
    axes.bar(positions, mine["max_points"], color=PALETTE["max"], label="Điểm tối đa")
    axes.bar(positions, mine["points"], width=0.55, color=PALETTE["agency"], label=f"Điểm đạt {year}")
    for x, (code, points, maximum) in enumerate(zip(mine["field_code"], mine["points"], mine["max_points"])):
        axes.text(x, maximum + 0.2, fmt.points(points, maximum), ha="center", fontsize=8, color=PALETTE["text"], fontfamily=FONT)
        if code in targets.index:
            axes.plot([x - 0.38, x + 0.38], [targets[code]] * 2, color=PALETTE["target"], linewidth=2,
                      label=f"Chỉ tiêu {year + 1}" if x == 0 else None)
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("Điểm", fontfamily=FONT)
    axes.set_title(f"Điểm theo lĩnh vực năm {year}", fontfamily=FONT, loc="left")
    axes.legend(frameon=False, fontsize=8, loc="upper right", prop={"family": FONT, "size": 8})
    axes.set_ylim(0, mine["max_points"].max() * 1.25)
    return finish(figure)
