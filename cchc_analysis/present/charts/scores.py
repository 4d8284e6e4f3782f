"""Charts of scores: fields against maximum and target, peers, points lost, years."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from cchc_analysis import fmt
from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring
from cchc_analysis.present.charts import FONT, PALETTE, finish
from cchc_analysis.present.context import Context
from cchc_analysis.present.display import WITHHELD, mark_text, withhold


def _is_real(ctx: Context) -> bool:
    rows = ctx.ds.agencies[ctx.ds.agencies["agency_id"] == ctx.agency_id]
    return bool((rows["provenance"] == prov.OFFICIAL).any())


def field_points(ctx: Context, year: int | None = None) -> Figure:
    """Each field's points against its maximum, with next year's target marked."""
    year = year or ctx.results_year
    fields = scoring.field_scores(ctx.ds, year)
    mine = fields[fields["agency_id"] == ctx.agency_id].sort_values("field_code", key=lambda s: s.astype(int))
    targets = ctx.ds.targets[
        (ctx.ds.targets["agency_id"] == ctx.agency_id)
        & (ctx.ds.targets["year"] == year + 1)
        & (ctx.ds.targets["metric"] == "points")
    ].set_index("scope")["value"]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=110)
    labels = [f"LV {code}" for code in mine["field_code"]]
    positions = range(len(labels))
    axes.bar(positions, mine["max_points"], color=PALETTE["max"], label="Điểm tối đa")
    axes.bar(positions, mine["points"], width=0.55, color=PALETTE["agency"], label=f"Điểm đạt {year}")
    rows = zip(mine["field_code"], mine["points"], mine["max_points"], mine["provenance"])
    for x, (code, points, maximum, provenance) in enumerate(rows):
        axes.text(
            x,
            maximum + 0.2,
            mark_text(fmt.points(points, maximum), provenance),
            ha="center",
            fontsize=8,
            color=PALETTE["text"],
            fontfamily=FONT,
        )
        if code in targets.index:
            axes.plot(
                [x - 0.38, x + 0.38],
                [targets[code]] * 2,
                color=PALETTE["target"],
                linewidth=2,
                label=f"Chỉ tiêu {year + 1}" if x == 0 else None,
            )
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel("Điểm", fontfamily=FONT)
    axes.set_title(f"Điểm theo lĩnh vực năm {year}", fontfamily=FONT, loc="left")
    axes.legend(frameon=False, fontsize=8, loc="upper right", prop={"family": FONT, "size": 8})
    axes.set_ylim(0, mine["max_points"].max() * 1.25)
    return finish(figure)


def _target_rank(ctx: Context, year: int) -> int | None:
    """The overall rank target of the year after ``year`` (e.g. the top 10), if the plan sets one."""
    rows = ctx.ds.targets[
        (ctx.ds.targets["agency_id"] == ctx.agency_id)
        & (ctx.ds.targets["year"] == year + 1)
        & (ctx.ds.targets["scope"] == "total")
        & (ctx.ds.targets["metric"] == "rank")
    ]
    return int(rows["value"].iloc[0]) if not rows.empty else None


def _title(axes, text: str) -> None:
    axes.set_title(text, fontfamily=FONT, loc="left")


def _vietnamese_ticks(axis, percent: bool = False) -> None:
    """Tick labels with a decimal comma (1,5 rather than 1.5); shares in [0, 1] as percentages."""
    from matplotlib.ticker import FuncFormatter

    if percent:
        axis.set_major_formatter(FuncFormatter(lambda value, _: fmt.number(value * 100, 0)))
    else:
        axis.set_major_formatter(FuncFormatter(lambda value, _: fmt.number(value)))


def peer_ranking(ctx: Context, year: int | None = None) -> Figure:
    """Every agency's index on 100, best first, with the agency highlighted and the target rank marked."""
    year = year or ctx.results_year
    ranked = scoring.ranking(ctx.ds, year)
    figure, axes = plt.subplots(figsize=(8, 0.28 * len(ranked) + 1.2), dpi=110)
    positions = list(range(len(ranked)))
    mine = (ranked["agency_id"] == ctx.agency_id).tolist()
    colors = [PALETTE["agency"] if m else PALETTE["peer"] for m in mine]
    axes.barh(positions, ranked["value"], color=colors, height=0.7)
    labels = [f"{int(r)}. {name}" for r, name in zip(ranked["rank"], ranked["short_name"])]
    axes.set_yticks(positions, labels)
    for tick, m in zip(axes.get_yticklabels(), mine):
        if m:
            tick.set_color(PALETTE["agency"])
            tick.set_fontweight("bold")
    for y, value, provenance in zip(positions, ranked["value"], ranked["provenance"]):
        label = mark_text(fmt.number(value, 2), provenance)
        axes.text(value + 0.3, y, label, va="center", fontsize=7, color=PALETTE["text"], fontfamily=FONT)
    target = _target_rank(ctx, year)
    if target is not None and target < len(ranked):
        axes.axhline(
            target - 0.5,
            color=PALETTE["target"],
            linestyle="--",
            linewidth=1.2,
            label=f"Chỉ tiêu {year + 1}: tốp {target}/{len(ranked)}",
        )
        axes.legend(frameon=False, loc="lower right", prop={"family": FONT, "size": 8})
    axes.invert_yaxis()
    low = float(ranked["value"].min())
    axes.set_xlim(max(0.0, low - 10), 100)
    axes.set_xlabel("Chỉ số (điểm trên thang 100)", fontfamily=FONT)
    _vietnamese_ticks(axes.xaxis)
    _title(axes, f"Xếp hạng {len(ranked)} cơ quan năm {year}")
    return finish(figure)


def loss_pareto(ctx: Context, year: int | None = None) -> Figure:
    """Points lost by sub-criterion, largest first, with the running share of all points lost."""
    year = year or ctx.results_year
    lost = scoring.pareto_losses(ctx.ds, ctx.agency_id, year)
    figure, axes = plt.subplots(figsize=(8, 3.4), dpi=110)
    _title(axes, f"Điểm bị trừ theo tiêu chí thành phần năm {year}")
    if lost.empty:
        axes.text(
            0.5,
            0.5,
            "Không bị trừ điểm ở tiêu chí nào",
            ha="center",
            va="center",
            transform=axes.transAxes,
            fontfamily=FONT,
            color=PALETTE["text"],
        )
        axes.set_xticks([])
        axes.set_yticks([])
        return finish(figure)
    positions = list(range(len(lost)))
    axes.bar(positions, lost["lost"], color=PALETTE["agency"], width=0.6, label="Điểm bị trừ")
    for x, value, provenance in zip(positions, lost["lost"], lost["provenance"]):
        label = mark_text(fmt.number(value), provenance)
        axes.text(x, value, label, ha="center", va="bottom", fontsize=8, color=PALETTE["text"], fontfamily=FONT)
    axes.set_xticks(positions, lost["code"].tolist())
    axes.set_ylabel("Điểm bị trừ", fontfamily=FONT)
    axes.set_ylim(0, float(lost["lost"].max()) * 1.25)
    _vietnamese_ticks(axes.yaxis)
    share = axes.twinx()
    share.plot(
        positions,
        lost["cumulative_share"] * 100,
        color=PALETTE["text"],
        marker="o",
        markersize=3,
        linewidth=1.2,
        label="Luỹ kế (%)",
    )
    share.set_ylim(0, 105)
    share.set_ylabel("Luỹ kế (% tổng điểm bị trừ)", fontfamily=FONT)
    share.spines[["top"]].set_visible(False)
    return finish(figure)


def history(ctx: Context) -> Figure:
    """The agency's index on 100 and its rank in every year with results."""
    years = scoring.history(ctx.ds, ctx.agency_id)
    figure, axes = plt.subplots(figsize=(8, 3.2), dpi=110)
    axes.plot(years["year"], years["index"], color=PALETTE["agency"], marker="o", linewidth=2, label="Chỉ số")
    real = _is_real(ctx)
    rows = zip(
        years["year"], years["index"], years["rank"], years["n_ranked"], years["provenance"], years["rank_provenance"]
    )
    for year, index, rank, n, provenance, rank_provenance in rows:
        shown_rank = (
            f"hạng {WITHHELD}"
            if withhold(real, rank_provenance)
            else f"hạng {mark_text(fmt.rank(rank, n), rank_provenance)}"
        )
        axes.annotate(
            f"{mark_text(fmt.number(index), provenance)} · {shown_rank}",
            (year, index),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=8,
            color=PALETTE["text"],
            fontfamily=FONT,
        )
    axes.set_xticks(years["year"].tolist(), [str(y) for y in years["year"]])
    low, high = float(years["index"].min()), float(years["index"].max())
    axes.set_ylim(max(0.0, low - 5), min(100.0, high + 5))
    axes.set_xlim(years["year"].min() - 0.5, years["year"].max() + 0.5)
    axes.set_ylabel("Chỉ số (thang 100)", fontfamily=FONT)
    _vietnamese_ticks(axes.yaxis)
    _title(axes, "Chỉ số và thứ hạng qua các năm")
    return finish(figure)


def change_waterfall(ctx: Context, year_from: int | None = None, year_to: int | None = None) -> Figure:
    """How the total moved from one year to the next: the change of each field and of the survey (points).

    By default from the agency's previous year with results to the year reviewed; without one, the
    figure says so.
    """
    year_to = int(year_to or ctx.results_year)
    if year_from is None:
        earlier = [
            y
            for y in ctx.ds.result_years
            if y < year_to
            and not ctx.ds.scores[(ctx.ds.scores["year"] == y) & (ctx.ds.scores["agency_id"] == ctx.agency_id)].empty
        ]
        message = f"Chưa có kết quả năm trước năm {year_to} để so sánh"
        if earlier:
            old = scoring.field_scores(ctx.ds, max(earlier))
            old = old[old["agency_id"] == ctx.agency_id]
            if withhold(_is_real(ctx), prov.weakest(old["provenance"])):
                message = f"Điểm từng lĩnh vực năm {max(earlier)} {WITHHELD}: không so sánh theo lĩnh vực"
                earlier = []
        if not earlier:
            figure, axes = plt.subplots(figsize=(8, 1.2), dpi=110)
            axes.text(
                0.5,
                0.5,
                message,
                ha="center",
                va="center",
                transform=axes.transAxes,
                fontfamily=FONT,
                color=PALETTE["text"],
            )
            axes.set_axis_off()
            return finish(figure)
        year_from = max(earlier)
    change = scoring.year_over_year(ctx.ds, ctx.agency_id, year_from, year_to).set_index("scope")
    start = scoring.agency_summary(ctx.ds, ctx.agency_id, year_from)
    end = scoring.agency_summary(ctx.ds, ctx.agency_id, year_to)
    fields = [s for s in change.index if s != "total"]
    steps = [(f"LV {code}", float(change.at[code, "change_points"])) for code in fields]
    steps.append(("Điều tra\nXHH", round(float(end["survey_points"] - start["survey_points"]), 6)))
    labels = [f"Tổng {year_from}", *[label for label, _ in steps], f"Tổng {year_to}"]
    figure, axes = plt.subplots(figsize=(8, 3.4), dpi=110)
    axes.bar(0, start["total_points"], color=PALETTE["agency"], width=0.6)
    level = float(start["total_points"])
    for x, (_, delta) in enumerate(steps, start=1):
        color = PALETTE["on_track"] if delta > 0 else PALETTE["at_risk"] if delta < 0 else PALETTE["peer"]
        axes.bar(x, delta if delta else 0.05, bottom=level if delta >= 0 else level + delta, color=color, width=0.6)
        axes.text(
            x,
            max(level, level + delta) + 0.2,
            fmt.signed(delta),
            ha="center",
            fontsize=8,
            color=PALETTE["text"],
            fontfamily=FONT,
        )
        level += delta
    axes.bar(len(steps) + 1, end["total_points"], color=PALETTE["agency"], width=0.6)
    for x, value in ((0, start["total_points"]), (len(steps) + 1, end["total_points"])):
        axes.text(x, value + 0.2, fmt.number(value), ha="center", fontsize=8, color=PALETTE["text"], fontfamily=FONT)
    axes.set_xticks(range(len(labels)), labels)
    low = min(float(start["total_points"]), float(end["total_points"]), level)
    axes.set_ylim(max(0.0, low - 8), max(float(start["total_points"]), float(end["total_points"])) + 3)
    axes.set_ylabel("Điểm", fontfamily=FONT)
    _vietnamese_ticks(axes.yaxis)
    changed = bool(change["framework_changed"].any())
    notes = ["bộ tiêu chí có thay đổi"] if changed else []
    if float(start["max_points"]) != scoring.TOTAL_MAX or float(end["max_points"]) != scoring.TOTAL_MAX:
        notes.append(f"điểm tối đa của cơ quan: {fmt.number(start['max_points'])} → {fmt.number(end['max_points'])}")
    _title(axes, f"Thay đổi điểm theo lĩnh vực, {year_from} → {year_to}" + (f" ({'; '.join(notes)})" if notes else ""))
    return finish(figure)


def share_heatmap(ctx: Context, year: int | None = None) -> Figure:
    """Share of the maximum per field (columns) and agency (rows, best total first); the agency's row framed."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    year = year or ctx.results_year
    order = scoring.ranking(ctx.ds, year)
    fields = scoring.field_scores(ctx.ds, year)
    matrix = fields.pivot(index="agency_id", columns="field_code", values="share")
    matrix = matrix.loc[order["agency_id"], sorted(matrix.columns, key=scoring.code_key)]
    figure, axes = plt.subplots(figsize=(8, 0.3 * len(matrix) + 1.4), dpi=110)
    colormap = LinearSegmentedColormap.from_list("cchc_share", ["#ffffff", PALETTE["target"]])
    low = float(min(0.5, matrix.min().min()))
    image = axes.imshow(matrix.to_numpy(dtype=float), cmap=colormap, vmin=low, vmax=1.0, aspect="auto")
    for row, agency in enumerate(matrix.index):
        for col, code in enumerate(matrix.columns):
            value = matrix.at[agency, code]
            axes.text(
                col,
                row,
                fmt.percent(value, 0).replace("\u00a0%", ""),
                ha="center",
                va="center",
                fontsize=7,
                color="#ffffff" if value > (low + 1) / 2 + 0.15 else PALETTE["text"],
                fontfamily=FONT,
            )
    axes.set_xticks(range(len(matrix.columns)), [f"LV {code}" for code in matrix.columns])
    axes.set_yticks(range(len(matrix.index)), order["short_name"].tolist())
    mine = order["agency_id"].tolist().index(ctx.agency_id) if ctx.agency_id in set(order["agency_id"]) else None
    if mine is not None:
        axes.get_yticklabels()[mine].set_color(PALETTE["agency"])
        axes.get_yticklabels()[mine].set_fontweight("bold")
        axes.add_patch(
            Rectangle((-0.5, mine - 0.5), len(matrix.columns), 1, fill=False, edgecolor=PALETTE["agency"], linewidth=2)
        )
    axes.xaxis.tick_top()
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    _vietnamese_ticks(bar.ax.yaxis, percent=True)
    bar.set_label("Tỷ lệ điểm đạt / tối đa (%)", fontfamily=FONT)
    others = fields[fields["agency_id"] != ctx.agency_id]["provenance"]
    suffix = " — các cơ quan khác: số liệu minh hoạ*" if prov.weakest(others) == prov.ILLUSTRATIVE else ""
    _title(axes, f"Tỷ lệ điểm đạt theo lĩnh vực năm {year} (%){suffix}")
    return finish(figure)
