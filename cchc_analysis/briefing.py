"""What the briefing notebook shows: a validated context, and tables and sentences built from the figures.

Every function returns something a notebook displays as is (an HTML
fragment, a DataFrame with Vietnamese headers, a sentence); no figure is typed
by hand anywhere in a notebook. Text that comes from data is HTML-escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from cchc_analysis import fmt, scoring
from cchc_analysis.context import Context, context  # noqa: F401  (notebooks call briefing.context)
from cchc_analysis.display import HTML, table


def cover(ctx: Context) -> HTML:
    """The cover block: agency, period, date of the data, and which figures are official."""
    name = html.escape(ctx.agency_name)
    own = ctx.ds.published[(ctx.ds.published["agency_id"] == ctx.agency_id) & (ctx.ds.published["year"] == ctx.results_year)]
    official = bool((own["provenance"] == "official").any())
    note = (
        f"Kết quả năm {ctx.results_year} của {name} là số liệu <strong>chính thức</strong> đã công bố; "
        if official else f"Kết quả năm {ctx.results_year} của {name} là số liệu <strong>minh hoạ</strong>; "
    )
    note += ("điểm của các cơ quan khác (ẩn danh), điểm chi tiết dưới cấp lĩnh vực và tiến độ nhiệm vụ là "
             "<strong>minh hoạ</strong>, do bộ sinh dữ liệu có hạt giống tạo ra.")
    return HTML(
        '<section class="cchc-cover">'
        f"<p class=\"cchc-kicker\">Báo cáo lãnh đạo · Chỉ số cải cách hành chính</p>"
        f"<h1>{name}</h1>"
        f"<p class=\"cchc-period\">{html.escape(ctx.period.label)} · số liệu đến ngày {fmt.date(ctx.as_of)}</p>"
        f"<p class=\"cchc-provenance\">{note}</p>"
        "</section>"
    )


def headline(ctx: Context) -> HTML:
    """The result sentence of the latest published year, built from the published figures."""
    year = ctx.results_year
    pub = scoring.published(ctx.ds, ctx.agency_id, year)
    total = pub.loc["total"]
    sentence = f"Năm {year}, Chỉ số CCHC của {html.escape(ctx.agency_name)} đạt <strong>{fmt.points(total['points'], total['max_points'])}</strong> điểm"
    previous = scoring.published(ctx.ds, ctx.agency_id, year - 1)
    if "total" in previous.index:
        change = total["points"] - previous.loc["total", "points"]
        direction = "cao hơn" if change > 0 else "thấp hơn" if change < 0 else "bằng"
        sentence += f", {direction} so với năm {year - 1} là {fmt.number(abs(change))} điểm" if change else f", bằng năm {year - 1}"
    if pd.notna(total["rank"]):
        sentence += f", xếp vị thứ <strong>{fmt.rank(total['rank'], total['n_ranked'])}</strong>"
    return HTML(f'<p class="cchc-headline">{sentence}.</p>')


def field_table(ctx: Context, year: int | None = None) -> HTML:
    """The seven fields: points against maximum, share, rank, and the next year's target where set."""
    year = year or ctx.results_year
    framework = ctx.ds.framework_for(year)
    fields = framework[framework["level"] == "field"].set_index("code")
    computed = scoring.field_scores(ctx.ds, year)
    mine = computed[computed["agency_id"] == ctx.agency_id].set_index("field_code")
    targets = ctx.ds.targets[(ctx.ds.targets["agency_id"] == ctx.agency_id) & (ctx.ds.targets["year"] == year + 1)
                             & (ctx.ds.targets["metric"] == "points")].set_index("scope")
    rows = []
    for code in sorted(mine.index, key=int):
        row = mine.loc[code]
        rows.append({
            "Mã": code,
            "Lĩnh vực": fields.at[code, "name"],
            "Điểm": fmt.points(row["points"], row["max_points"]),
            "Tỷ lệ": fmt.percent(row["share"]),
            "Xếp hạng": fmt.rank(row["rank"], row["n_ranked"]),
            f"Chỉ tiêu {year + 1}": fmt.number(targets.at[code, "value"]) if code in targets.index else "–",
        })
    return table(pd.DataFrame(rows), numeric=("Điểm", "Tỷ lệ", "Xếp hạng", f"Chỉ tiêu {year + 1}"))


def lost_table(ctx: Context, year: int | None = None) -> HTML:
    """Sub-criteria that lost points, largest loss first."""
    lost = scoring.lost_points(ctx.ds, ctx.agency_id, year or ctx.results_year)
    frame = pd.DataFrame({
        "Tiêu chí": lost["code"],
        "Nội dung": lost["name"],
        "Điểm đạt": [fmt.points(p, m) for p, m in zip(lost["points"], lost["max_points"])],
        "Bị trừ": lost["lost"].map(fmt.number),
    })
    return table(frame, numeric=("Điểm đạt", "Bị trừ"))


def targets_table(ctx: Context) -> HTML:
    """The targets of the period's year as written in the plan."""
    year = ctx.period.year
    targets = ctx.ds.targets[(ctx.ds.targets["agency_id"] == ctx.agency_id) & (ctx.ds.targets["year"] == year)]
    framework = ctx.ds.framework_for(year).set_index("code")
    words = {">": "trên", ">=": "đạt", "<=": "trong tốp"}
    rows = []
    for target in targets.itertuples():
        scope = "Tổng điểm (tính cả điều tra xã hội học)" if target.scope == "total" else framework.at[target.scope, "name"]
        if target.metric == "rank":
            text = f"{words[target.comparator]} {fmt.rank(target.value, target.out_of)}"
        else:
            maximum = 100 if target.scope == "total" else framework.at[target.scope, "max_points"]
            text = f"{words[target.comparator]} {fmt.points(target.value, maximum)} điểm"
        rows.append({"Phạm vi": scope, "Chỉ tiêu": text})
    return table(pd.DataFrame(rows, columns=["Phạm vi", "Chỉ tiêu"]))
