"""Charts of scores: fields against maximum and target, peers, points lost, years.

Bars run sideways wherever labels are long or many (fields, peers, losses, the waterfall): the labels get a line of
their own and the values sit at the end of each bar, clear of the other marks, at any page width.
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from cchc_analysis import fmt
from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring, targets
from cchc_analysis.present.charts import FONT, PALETTE, SMALL, TEXT, Chart, finish, legend_below, new_figure, title
from cchc_analysis.present.context import Context
from cchc_analysis.present.display import WITHHELD, mark_text, withhold

__all__ = ["change_waterfall", "field_points", "history", "loss_pareto", "peer_ranking", "share_heatmap"]


def _is_real(ctx: Context) -> bool:
    rows = ctx.ds.agencies[ctx.ds.agencies["agency_id"] == ctx.agency_id]
    return bool((rows["provenance"] == prov.OFFICIAL).any())


def _label(axes, x: float, y: float, text: str, **kwargs) -> None:
    """A value label beside a bar end (left-aligned, vertically centred)."""
    options = {"ha": "left", "va": "center", "fontsize": SMALL, "color": PALETTE["text"], "fontfamily": FONT}
    axes.text(x, y, text, **(options | kwargs))


def _vietnamese_ticks(axis, percent: bool = False) -> None:
    """Tick labels with a decimal comma (1,5 rather than 1.5); shares in [0, 1] as percentages."""
    from matplotlib.ticker import FuncFormatter

    if percent:
        axis.set_major_formatter(FuncFormatter(lambda value, _: fmt.number(value * 100, 0)))
    else:
        axis.set_major_formatter(FuncFormatter(lambda value, _: fmt.number(value)))


def _message(text: str, height: float, heading: str = "") -> Figure:
    """A chart that only says why there is nothing to draw."""
    figure, axes = new_figure(height)
    if heading:
        title(axes, heading)
    centre = {"ha": "center", "va": "center", "transform": axes.transAxes}
    axes.text(0.5, 0.5, text, **centre, fontfamily=FONT, fontsize=TEXT, color=PALETTE["text"])
    axes.set_axis_off()
    return figure


def _sentence(text: str) -> str:
    """``text`` with its first letter in capitals (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _field_alt_list(codes, points, maxima, provenances) -> str:
    return "; ".join(
        f"lĩnh vực {c}: {mark_text(fmt.points(p, m), pr)}" for c, p, m, pr in zip(codes, points, maxima, provenances)
    )


def field_points(ctx: Context, year: int | None = None) -> Chart:
    """Each field's points against its maximum (one row per field), with next year's target marked."""
    year = year or ctx.results_year
    fields = scoring.field_scores(ctx.ds, year)
    mine = fields[fields["agency_id"] == ctx.agency_id].sort_values("field_code", key=lambda s: s.astype(int))
    field_targets = ctx.ds.targets[
        (ctx.ds.targets["agency_id"] == ctx.agency_id)
        & (ctx.ds.targets["year"] == year + 1)
        & (ctx.ds.targets["metric"] == "points")
    ].set_index("scope")["value"]
    figure, axes = new_figure(0.42 * len(mine) + 1.5)
    rows = list(range(len(mine)))
    axes.barh(rows, mine["max_points"], height=0.72, color=PALETTE["max"], label="Điểm tối đa")
    axes.barh(rows, mine["points"], height=0.42, color=PALETTE["agency"], label=f"Điểm đạt {year}")
    right = 0.0
    fields_of = zip(mine["field_code"], mine["points"], mine["max_points"], mine["provenance"])
    for y, (code, points, maximum, provenance) in enumerate(fields_of):
        end = float(maximum)
        if code in field_targets.index:
            target = float(field_targets[code])
            axes.plot([target, target], [y - 0.4, y + 0.4], color=PALETTE["target"], linewidth=2.2)
            end = max(end, target)
        _label(axes, end + 0.25, y, mark_text(fmt.points(points, maximum), provenance))
        right = max(right, end)
    axes.set_yticks(rows, [f"LV {code}" for code in mine["field_code"]], fontsize=TEXT)
    axes.invert_yaxis()
    axes.set_xlim(0, right * 1.32)
    axes.set_xlabel("Điểm", fontfamily=FONT, fontsize=TEXT)
    _vietnamese_ticks(axes.xaxis)
    title(axes, f"Điểm theo lĩnh vực năm {year}")
    handles: list[Artist] = [Patch(color=PALETTE["max"]), Patch(color=PALETTE["agency"])]
    labels = ["Điểm tối đa", f"Điểm đạt {year}"]
    if len(field_targets):
        handles.append(Line2D([], [], color=PALETTE["target"], linewidth=2.2))
        labels.append(f"Chỉ tiêu {year + 1}")
    legend_below(figure, handles, labels)
    alt = (
        f"Biểu đồ thanh: điểm đạt năm {year} của {ctx.agency_name} theo từng lĩnh vực so với điểm tối đa"
        + (f" và vạch chỉ tiêu năm {year + 1}" if len(field_targets) else "")
        + ". "
        + _sentence(_field_alt_list(mine["field_code"], mine["points"], mine["max_points"], mine["provenance"]))
        + "."
    )
    return finish(figure, alt)


def _target_rank(ctx: Context, year: int) -> int | None:
    """The overall rank target of the year after ``year`` (e.g. the top 10), if the plan sets one."""
    target = targets.overall_target(ctx.ds, ctx.agency_id, year + 1, "rank")
    return None if target is None else int(target["value"])


def peer_ranking(ctx: Context, year: int | None = None) -> Chart:
    """Every agency's index on 100, best first, with the agency highlighted and the target rank marked."""
    year = year or ctx.results_year
    ranked = scoring.ranking(ctx.ds, year)
    figure, axes = new_figure(0.3 * len(ranked) + 1.4)
    positions = list(range(len(ranked)))
    mine = (ranked["agency_id"] == ctx.agency_id).tolist()
    colors = [PALETTE["agency"] if m else PALETTE["peer"] for m in mine]
    axes.barh(positions, ranked["value"], color=colors, height=0.7)
    labels = [f"{int(r)}. {name}" for r, name in zip(ranked["rank"], ranked["short_name"])]
    axes.set_yticks(positions, labels, fontsize=TEXT)
    for tick, m in zip(axes.get_yticklabels(), mine):
        if m:
            tick.set_color(PALETTE["agency"])
            tick.set_fontweight("bold")
    for y, value, provenance in zip(positions, ranked["value"], ranked["provenance"]):
        _label(axes, value + 0.3, y, mark_text(fmt.number(value, 2), provenance))
    target = _target_rank(ctx, year)
    if target is not None and target < len(ranked):
        axes.axhline(
            target - 0.5,
            color=PALETTE["target"],
            linestyle="--",
            linewidth=1.2,
            label=f"Chỉ tiêu {year + 1}: tốp {target}/{len(ranked)}",
        )
        legend_below(figure, ncols=1)
    axes.invert_yaxis()
    low = float(ranked["value"].min())
    axes.set_xlim(max(0.0, low - 10), 100)
    axes.set_xlabel("Chỉ số (điểm trên thang 100)", fontfamily=FONT, fontsize=TEXT)
    _vietnamese_ticks(axes.xaxis)
    title(axes, f"Xếp hạng {len(ranked)} cơ quan năm {year}")
    alt = (
        f"Biểu đồ thanh: Chỉ số CCHC năm {year} của {len(ranked)} cơ quan, xếp từ cao xuống thấp, "
        f"từ {fmt.number(ranked['value'].max(), 2)} xuống {fmt.number(low, 2)} điểm."
    )
    if any(mine):
        row = ranked[ranked["agency_id"] == ctx.agency_id].iloc[0]
        alt += f" {ctx.agency_name} xếp thứ {int(row['rank'])} với {fmt.number(row['value'], 2)} điểm."
    if target is not None and target < len(ranked):
        alt += f" Đường nét đứt đánh dấu chỉ tiêu năm {year + 1}: tốp {target}."
    return finish(figure, alt)


def loss_pareto(ctx: Context, year: int | None = None) -> Chart:
    """Points lost by sub-criterion, largest first, each with the running share of all points lost."""
    year = year or ctx.results_year
    lost = scoring.pareto_losses(ctx.ds, ctx.agency_id, year)
    if lost.empty:
        figure = _message(
            "Không bị trừ điểm ở tiêu chí nào", 1.2, heading=f"Điểm bị trừ theo tiêu chí thành phần năm {year}"
        )
        return finish(figure, f"Năm {year}, {ctx.agency_name} không bị trừ điểm ở tiêu chí thành phần nào.")
    figure, axes = new_figure(0.36 * len(lost) + 1.3)
    rows = list(range(len(lost)))
    axes.barh(rows, lost["lost"], color=PALETTE["agency"], height=0.6, label="Điểm bị trừ")
    pad = float(lost["lost"].max()) * 0.03
    for y, value, share, provenance in zip(rows, lost["lost"], lost["cumulative_share"], lost["provenance"]):
        _label(axes, value + pad, y, f"{mark_text(fmt.number(value), provenance)} · luỹ kế {fmt.percent(share, 0)}")
    axes.set_yticks(rows, lost["code"].tolist(), fontsize=TEXT)
    axes.invert_yaxis()
    axes.set_xlim(0, float(lost["lost"].max()) * 1.9)
    axes.set_xlabel("Điểm bị trừ (luỹ kế: % tổng điểm bị trừ)", fontfamily=FONT, fontsize=TEXT)
    _vietnamese_ticks(axes.xaxis)
    title(axes, f"Điểm bị trừ theo tiêu chí thành phần năm {year}")
    items = "; ".join(
        f"{code}: {mark_text(fmt.number(value), provenance)} điểm"
        for code, value, provenance in zip(lost["code"], lost["lost"], lost["provenance"])
    )
    alt = (
        f"Biểu đồ thanh: điểm bị trừ năm {year} theo tiêu chí thành phần, từ nhiều đến ít, "
        f"tổng cộng {fmt.number(lost['lost'].sum())} điểm ở {len(lost)} tiêu chí. {items}."
    )
    return finish(figure, alt)


def _label_place(values: list[float], i: int) -> tuple[tuple[int, int], str, str]:
    """Where the label of point ``i`` of a line goes so that the line does not cross it: (offset in points,
    horizontal and vertical alignment). Below a valley, up and to the left of a rise, up and to the right of a
    fall, above a peak."""
    higher_before = i > 0 and values[i - 1] > values[i]
    higher_after = i + 1 < len(values) and values[i + 1] > values[i]
    if higher_before and higher_after:
        return (0, -9), "center", "top"
    if higher_after:
        return (-5, 7), "right", "bottom"
    if higher_before:
        return (5, 7), "left", "bottom"
    return (0, 9), "center", "bottom"


def history(ctx: Context) -> Chart:
    """The agency's index on 100 and its rank in every year with results."""
    years = scoring.history(ctx.ds, ctx.agency_id)
    figure, axes = new_figure(3.0)
    axes.plot(years["year"], years["index"], color=PALETTE["agency"], marker="o", linewidth=2, label="Chỉ số")
    real = _is_real(ctx)
    values = [float(v) for v in years["index"]]
    labels = []
    for index, rank, n, provenance, rank_provenance in zip(
        years["index"], years["rank"], years["n_ranked"], years["provenance"], years["rank_provenance"]
    ):
        hidden = withhold(real, rank_provenance)
        shown_rank = "–" if hidden else mark_text(fmt.rank(rank, n), rank_provenance)
        labels.append((mark_text(fmt.number(index), provenance), shown_rank, hidden))
    for i, (year, index) in enumerate(zip(years["year"], years["index"])):
        offset, ha, va = _label_place(values, i)
        axes.annotate(
            f"{labels[i][0]}\nhạng {labels[i][1]}",
            (year, index),
            textcoords="offset points",
            xytext=offset,
            ha=ha,
            va=va,
            fontsize=SMALL,
            color=PALETTE["text"],
            fontfamily=FONT,
            linespacing=1.1,
        )
    axes.set_xticks(years["year"].tolist(), [str(y) for y in years["year"]], fontsize=TEXT)
    low, high = min(values), max(values)
    axes.set_ylim(max(0.0, low - 6), min(100.0, high + 6))
    axes.set_xlim(years["year"].min() - 0.6, years["year"].max() + 0.6)
    axes.set_ylabel("Chỉ số (thang 100)", fontfamily=FONT, fontsize=TEXT)
    _vietnamese_ticks(axes.yaxis)
    heading = "Chỉ số và thứ hạng qua các năm"
    if any(hidden for _, _, hidden in labels):
        heading += f"\n(hạng –: {WITHHELD})"
    title(axes, heading)
    items = "; ".join(
        f"năm {y}: {points} điểm, hạng {WITHHELD if hidden else rank}"
        for y, (points, rank, hidden) in zip(years["year"], labels)
    )
    alt = f"Biểu đồ đường: Chỉ số CCHC (thang 100) và thứ hạng của {ctx.agency_name} qua các năm. {_sentence(items)}."
    return finish(figure, alt)


def change_waterfall(ctx: Context, year_from: int | None = None, year_to: int | None = None) -> Chart:
    """How the total moved from one year to the next: the change of each field and of the survey (points),
    one row each between the two totals.

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
                message = f"Điểm từng lĩnh vực năm {max(earlier)} {WITHHELD}:\nkhông so sánh theo lĩnh vực"
                earlier = []
        if not earlier:
            figure = _message(message, 1.0)
            said = message.replace(":\n", ": ")
            return finish(figure, f"Biểu đồ thay đổi điểm theo lĩnh vực không được vẽ: {said[:1].lower()}{said[1:]}.")
        year_from = max(earlier)
    change = scoring.year_over_year(ctx.ds, ctx.agency_id, year_from, year_to).set_index("scope")
    start = scoring.agency_summary(ctx.ds, ctx.agency_id, year_from)
    end = scoring.agency_summary(ctx.ds, ctx.agency_id, year_to)
    fields = [s for s in change.index if s != "total"]
    steps = [(f"LV {code}", float(change.at[code, "change_points"])) for code in fields]
    steps.append(("Điều tra XHH", round(float(end["survey_points"] - start["survey_points"]), 6)))
    labels = [f"Tổng {year_from}", *[label for label, _ in steps], f"Tổng {year_to}"]
    figure, axes = new_figure(0.36 * len(labels) + 1.2)
    axes.barh(0, start["total_points"], color=PALETTE["agency"], height=0.6)
    level = float(start["total_points"])
    for y, (_, delta) in enumerate(steps, start=1):
        color = PALETTE["on_track"] if delta > 0 else PALETTE["at_risk"] if delta < 0 else PALETTE["peer"]
        axes.barh(y, delta if delta else 0.05, left=level if delta >= 0 else level + delta, color=color, height=0.6)
        _label(axes, max(level, level + delta) + 0.2, y, fmt.signed(delta))
        level += delta
    axes.barh(len(steps) + 1, end["total_points"], color=PALETTE["agency"], height=0.6)
    for y, value in ((0, start["total_points"]), (len(steps) + 1, end["total_points"])):
        _label(axes, float(value) + 0.2, y, fmt.number(value))
    axes.set_yticks(range(len(labels)), labels, fontsize=TEXT)
    axes.invert_yaxis()
    low = min(float(start["total_points"]), float(end["total_points"]), level)
    high = max(float(start["total_points"]), float(end["total_points"]), level)
    axes.set_xlim(max(0.0, low - 6), high + 3)
    axes.set_xlabel("Điểm", fontfamily=FONT, fontsize=TEXT)
    _vietnamese_ticks(axes.xaxis)
    changed = bool(change["framework_changed"].any())
    notes = ["bộ tiêu chí có thay đổi"] if changed else []
    if float(start["max_points"]) != scoring.TOTAL_MAX or float(end["max_points"]) != scoring.TOTAL_MAX:
        notes.append(f"điểm tối đa của cơ quan: {fmt.number(start['max_points'])} → {fmt.number(end['max_points'])}")
    title(axes, f"Thay đổi điểm, {year_from} → {year_to}")
    if notes:
        axes.text(
            0,
            1.02,
            "(" + "; ".join(notes) + ")",
            transform=axes.transAxes,
            fontsize=SMALL,
            fontfamily=FONT,
            color=PALETTE["text"],
            va="bottom",
        )
    items = "; ".join(
        f"{label.replace('LV', 'lĩnh vực')}: {fmt.signed(delta) if delta else 'không đổi'}" for label, delta in steps
    )
    alt = (
        f"Biểu đồ thác nước: tổng điểm của {ctx.agency_name} từ {fmt.number(start['total_points'])} năm {year_from} "
        f"đến {fmt.number(end['total_points'])} năm {year_to}, thay đổi theo từng lĩnh vực và điểm điều tra xã hội "
        f"học: {items.replace('Điều tra XHH', 'điều tra xã hội học')}."
        + (f" Lưu ý: {'; '.join(notes)}." if notes else "")
    )
    return finish(figure, alt)


def share_heatmap(ctx: Context, year: int | None = None) -> Chart:
    """Share of the maximum per field (columns) and agency (rows, best total first); the agency's row framed.

    Every cell prints its percentage, so the shading needs no colour bar (which would narrow the cells)."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    year = year or ctx.results_year
    order = scoring.ranking(ctx.ds, year)
    fields = scoring.field_scores(ctx.ds, year)
    matrix = fields.pivot(index="agency_id", columns="field_code", values="share")
    matrix = matrix.loc[order["agency_id"], sorted(matrix.columns, key=scoring.code_key)]
    figure, axes = new_figure(0.3 * len(matrix) + 1.4)
    colormap = LinearSegmentedColormap.from_list("cchc_share", ["#ffffff", PALETTE["target"]])
    low = float(min(0.5, matrix.min().min()))
    axes.imshow(matrix.to_numpy(dtype=float), cmap=colormap, vmin=low, vmax=1.0, aspect="auto")
    for row, agency in enumerate(matrix.index):
        for col, code in enumerate(matrix.columns):
            value = matrix.at[agency, code]
            axes.text(
                col,
                row,
                fmt.percent(value, 0).replace("\u00a0%", ""),
                ha="center",
                va="center",
                fontsize=SMALL,
                color="#ffffff" if value > (low + 1) / 2 + 0.15 else PALETTE["text"],
                fontfamily=FONT,
            )
    axes.set_xticks(range(len(matrix.columns)), [f"LV {code}" for code in matrix.columns], fontsize=TEXT)
    axes.set_yticks(range(len(matrix.index)), order["short_name"].tolist(), fontsize=TEXT)
    mine = order["agency_id"].tolist().index(ctx.agency_id) if ctx.agency_id in set(order["agency_id"]) else None
    if mine is not None:
        axes.get_yticklabels()[mine].set_color(PALETTE["agency"])
        axes.get_yticklabels()[mine].set_fontweight("bold")
        axes.add_patch(
            Rectangle((-0.5, mine - 0.5), len(matrix.columns), 1, fill=False, edgecolor=PALETTE["agency"], linewidth=2)
        )
    axes.xaxis.tick_top()
    axes.tick_params(length=0)
    axes.spines[:].set_visible(False)
    others = fields[fields["agency_id"] != ctx.agency_id]["provenance"]
    illustrative_peers = prov.weakest(others) == prov.ILLUSTRATIVE if len(others) else False
    note = "Các cơ quan khác: số liệu minh hoạ*" if illustrative_peers else ""
    title(axes, f"Tỷ lệ điểm đạt theo lĩnh vực năm {year} (%)" + (f"\n{note}" if note else ""))
    alt = (
        f"Bản đồ nhiệt: tỷ lệ điểm đạt so với điểm tối đa của {len(matrix)} cơ quan (hàng, xếp theo tổng điểm) ở "
        f"{len(matrix.columns)} lĩnh vực (cột) năm {year}; ô càng đậm, tỷ lệ càng cao." + (f" {note}." if note else "")
    )
    if mine is not None:
        shares = "; ".join(
            f"lĩnh vực {code}: {fmt.percent(matrix.iat[mine, i], 0)}" for i, code in enumerate(matrix.columns)
        )
        alt += f" Hàng của {ctx.agency_name} (thứ {mine + 1}) được đóng khung: {shares}."
    return finish(figure, alt)
