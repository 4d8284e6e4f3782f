"""The leadership briefing: a cover, headline cards, and recommendations derived from the data.

The sections on scores reuse ``score_review`` and on the plan reuse ``progress_review``; this module
adds only what is particular to the briefing. Every figure is computed; text from data is escaped.
"""

from __future__ import annotations

import html

import pandas as pd
from matplotlib.figure import Figure

from cchc_analysis import fmt
from cchc_analysis.domain import plan, scoring, targets
from cchc_analysis.present import progress_review, score_review
from cchc_analysis.present.charts import plan as plan_charts
from cchc_analysis.present.context import Context, context  # noqa: F401  (notebooks call briefing.context)
from cchc_analysis.present.display import HTML, bullets, cards

PROVENANCE_NOTE = (
    "điểm của các cơ quan khác (ẩn danh), điểm chi tiết dưới cấp lĩnh vực và tiến độ nhiệm vụ là "
    "<strong>minh hoạ</strong>, do bộ sinh dữ liệu có hạt giống tạo ra."
)


def cover(ctx: Context) -> HTML:
    """The cover block: agency, period, date of the data, and which figures are official."""
    name = html.escape(ctx.agency_name)
    own = ctx.ds.published[
        (ctx.ds.published["agency_id"] == ctx.agency_id) & (ctx.ds.published["year"] == ctx.results_year)
    ]
    official = bool((own["provenance"] == "official").any())
    kind = "chính thức" if official else "minh hoạ"
    note = f"Kết quả năm {ctx.results_year} của {name} là số liệu <strong>{kind}</strong>; " + PROVENANCE_NOTE
    return HTML(
        '<section class="cchc-cover">'
        '<p class="cchc-kicker">Báo cáo lãnh đạo · Chỉ số cải cách hành chính</p>'
        f"<h1>{name}</h1>"
        f'<p class="cchc-period">{html.escape(ctx.period.label)} · số liệu đến ngày {fmt.date(ctx.as_of)}</p>'
        f'<p class="cchc-provenance">{note}</p>'
        "</section>"
    )


def _trend(now: float, before: float | None, *, lower_is_better: bool = False) -> str:
    if before is None:
        return ""
    change = round(now - before, 2)
    better = change < 0 if lower_is_better else change > 0
    if change == 0:
        return "= bằng năm trước"
    return f"{'▲' if better else '▼'} {fmt.number(abs(change))} so với năm trước"


def score_cards(ctx: Context) -> list[tuple[str, str, str]]:
    """Cards for the latest score and rank (▲/▼ against the year before), the targets and the projection."""
    year = ctx.results_year
    mine = scoring.agency_summary(ctx.ds, ctx.agency_id, year)
    previous = score_review.previous_year(ctx)
    before = None if previous is None else scoring.agency_summary(ctx.ds, ctx.agency_id, previous)
    items = [
        (
            f"Chỉ số CCHC {year}",
            fmt.points(mine["index"], scoring.TOTAL_MAX),
            _trend(float(mine["index"]), None if before is None else float(before["index"])),
        ),
        (
            f"Xếp hạng {year}",
            fmt.rank(mine["rank"], mine["n_ranked"]),
            _trend(float(mine["rank"]), None if before is None else float(before["rank"]), lower_is_better=True)
            .replace("▲", "▲ lên")
            .replace("▼", "▼ xuống")
            .replace(" so với năm trước", " bậc so với năm trước"),
        ),
    ]
    gaps = targets.target_gaps(ctx.ds, ctx.agency_id, year, ctx.period.year)
    for gap in gaps[gaps["scope"] == "total"].itertuples():
        if gap.metric == "points":
            value = "Đã đạt" if gap.met else f"+{fmt.number(gap.gap)}"
            word = "trên" if gap.comparator == ">" else "đạt"
            need = f"cần tăng {'hơn ' if gap.comparator == '>' else ''}{fmt.number(gap.gap)} điểm so với năm {year}"
            items.append(
                (
                    f"Chỉ tiêu {ctx.period.year}: {word} {fmt.number(gap.target)} điểm",
                    value,
                    need if not gap.met else f"kết quả năm {year} đã đạt",
                )
            )
        else:
            value = "Đã đạt" if gap.met else f"{int(gap.gap)} bậc"
            items.append(
                (
                    f"Chỉ tiêu {ctx.period.year}: tốp {fmt.rank(gap.target, gap.out_of)}",
                    value,
                    f"cần lên {int(gap.gap)} bậc so với năm {year}" if not gap.met else f"thứ hạng năm {year} đã đạt",
                )
            )
    if not targets.targets_for(ctx.ds, ctx.agency_id, ctx.period.year).empty:
        projection = targets.project(ctx.ds, ctx.agency_id, year, ctx.period.year)
        items.append(
            (
                f"Dự báo {projection.target_year}",
                fmt.points(projection.index, scoring.TOTAL_MAX),
                f"hạng {fmt.rank(projection.rank, projection.n_ranked)} nếu mọi lĩnh vực đạt chỉ tiêu",
            )
        )
    return items


def plan_review(ctx: Context) -> progress_review.Review | None:
    """The plan's status picture of the period, or None when the data holds no plan of the agency for that year
    (only the agency under review has one; its peers are scored but their plans are not ours)."""
    if not plan.has_plan(ctx.ds, ctx.agency_id, ctx.period.year):
        return None
    return progress_review.review(ctx)


def _no_plan(ctx: Context) -> HTML:
    return HTML(
        f'<p class="cchc-note">Dữ liệu chưa có kế hoạch cải thiện Chỉ số CCHC năm {ctx.period.year} của '
        f"{html.escape(ctx.agency_name)} (bảng plan/tasks), nên phần này không có số liệu.</p>"
    )


def plan_summary(ctx: Context, rv: progress_review.Review | None) -> HTML:
    """The plan's headline sentence and the status table by unit; a note when there is no plan."""
    if rv is None:
        return _no_plan(ctx)
    return HTML(progress_review.headline(rv) + progress_review.unit_table(rv))


def plan_chart(rv: progress_review.Review | None) -> Figure | None:
    """Status by unit, or nothing when there is no plan."""
    return None if rv is None else plan_charts.status_by_unit(rv.picture)


def stake_table(rv: progress_review.Review | None) -> HTML:
    return HTML("") if rv is None else progress_review.stake_table(rv)


def alert_section(ctx: Context, rv: progress_review.Review | None) -> HTML:
    """The alert count sentence and the alert list; a note when there is no plan."""
    if rv is None:
        return _no_plan(ctx)
    return HTML(progress_review.alert_summary(rv) + progress_review.alert_table(rv))


def plan_card(rv: progress_review.Review) -> tuple[str, str, str]:
    """The share of the plan's tasks due by now that are done or on track."""
    statuses = rv.picture.tasks["status"]
    due = statuses[~statuses.isin(["not_due", "not_applicable"])]
    fine = int(due.isin(["done", "on_track"]).sum())
    share = fine / len(due) if len(due) else 1.0
    return (
        f"Nhiệm vụ đúng tiến độ ({rv.ctx.period.label})",
        fmt.percent(share, 0),
        f"{fine}/{len(due)} nhiệm vụ đã đến kỳ: hoàn thành đúng hạn hoặc đúng tiến độ",
    )


def headline_cards(ctx: Context, rv: progress_review.Review | None = None) -> HTML:
    """Score, rank, targets and projection cards, plus the plan's on-track share when a review is given."""
    items = score_cards(ctx)
    if rv is not None:
        items.append(plan_card(rv))
    return cards(items)


def recommendations(ctx: Context, rv: progress_review.Review | None) -> list[str]:
    """What leadership should ask for, derived from the figures, most urgent first."""
    items: list[str] = []
    alerts = rv.alerts if rv is not None else pd.DataFrame(columns=["kind", "subject", "unit_name", "detail"])
    for alert in alerts[alerts["kind"] == "uncovered"].itertuples(index=False):
        detail = alert.detail
        owners = alert.unit_name or "đơn vị được giao"
        why = "; ".join(f"{t} {progress_review.REASONS.get(r, r)}" for t, r, _ in detail["tasks"])
        items.append(
            f"Tiêu chí {alert.subject} ({detail['name']}) đã bị trừ {fmt.number(detail['lost'])} điểm và chưa "
            f"có nhiệm vụ nào đúng tiến độ ({why or 'chưa có nhiệm vụ'}): yêu cầu {owners} báo cáo giải pháp "
            "và mốc hoàn thành."
        )
    for alert in alerts[alerts["kind"] == "blocked"].itertuples(index=False):
        cause = alert.detail.get("blocker") or "đơn vị chưa ghi nguyên nhân"
        items.append(
            f"Nhiệm vụ {alert.subject} ({alert.unit_name}) gặp vướng mắc: {cause}. Đề nghị Lãnh đạo Ban cho ý "
            "kiến chỉ đạo tháo gỡ (điều chỉnh giải pháp, thời hạn hoặc phối hợp với cơ quan liên quan)."
        )
    overdue = alerts[alerts["kind"] == "overdue"]
    for unit, group in overdue.groupby("unit_name", sort=False):
        items.append(f"Đôn đốc {unit} hoàn thành {len(group)} nhiệm vụ quá hạn: {', '.join(group['subject'])}.")
    missing = alerts[alerts["kind"] == "missing"]
    for unit, group in missing.groupby("unit_name", sort=False):
        items.append(f"Yêu cầu {unit} gửi cập nhật tiến độ còn thiếu của {', '.join(sorted(set(group['subject'])))}.")
    year = ctx.results_year
    gaps = targets.target_gaps(ctx.ds, ctx.agency_id, year, ctx.period.year)
    fields = gaps[(gaps["scope"] != "total") & ~gaps["met"].astype(bool)].sort_values("gap", ascending=False)
    if not fields.empty:
        top = fields.iloc[0]
        items.append(
            f"Ưu tiên lĩnh vực {top['scope']} ({top['name']}): còn thiếu {fmt.number(top['gap'])} điểm so với "
            f"chỉ tiêu {fmt.number(top['target'])} điểm năm {ctx.period.year}."
        )
    if not targets.targets_for(ctx.ds, ctx.agency_id, ctx.period.year).empty:
        projection = targets.project(ctx.ds, ctx.agency_id, year, ctx.period.year)
        if (
            projection.min_survey_share is not None
            and projection.min_survey_reachable
            and projection.min_survey_share > 0
        ):
            items.append(
                f"Giữ mức hài lòng trong điều tra xã hội học: khi mọi lĩnh vực đạt chỉ tiêu, tỷ lệ điểm điều tra "
                f"cần {'trên' if projection.min_survey_strict else 'từ'} "
                f"{fmt.percent(projection.min_survey_share, 2)} (năm {year}: {fmt.percent(projection.survey_share, 2)}) "
                f"để tổng điểm đạt chỉ tiêu."
            )
    if items:
        return items
    if rv is None:
        return ["Chưa có kế hoạch và chỉ tiêu trong dữ liệu nên chưa có kiến nghị."]
    return ["Không có việc cần lãnh đạo chỉ đạo thêm trong kỳ: mọi nhiệm vụ đều đúng tiến độ."]


def recommendation_list(ctx: Context, rv: progress_review.Review | None) -> HTML:
    return bullets(recommendations(ctx, rv))
