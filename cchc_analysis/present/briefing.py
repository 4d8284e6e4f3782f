"""The leadership briefing: a cover, headline cards, and recommendations derived from the data.

The sections on scores reuse ``score_review`` and on the plan reuse ``progress_review``; this module
adds only what is particular to the briefing. Every figure is computed and carries its provenance marker;
every fragment is autoescaped (:mod:`cchc_analysis.present.display`).

Why this module is long: the cards and the recommendations read the same figures (targets, thresholds, the
plan's troubled tasks) and must word them the same way; they are the briefing's own content.
"""

from __future__ import annotations

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import plan, scoring
from cchc_analysis.domain import provenance as prov
from cchc_analysis.present import display, progress_review, score_review
from cchc_analysis.present.charts import Chart
from cchc_analysis.present.charts import plan as plan_charts
from cchc_analysis.present.context import Context, context  # re-exported: notebooks call briefing.context
from cchc_analysis.present.display import HTML, cards, mark, sentence
from cchc_analysis.present.figures import figures

__all__ = [
    "alert_section",
    "context",
    "cover",
    "headline_cards",
    "illustrative_note",
    "plan_card",
    "plan_chart",
    "plan_counts",
    "plan_review",
    "plan_summary",
    "recommendation_list",
    "recommendations",
    "score_cards",
    "stake_table",
]


def illustrative_note(ctx: Context) -> HTML:
    """Which kinds of figure on the page are illustrative, in the one wording."""
    f = figures(ctx)
    kinds = []
    below = f.card[f.card["level"] != "field"]
    if prov.weakest(below["provenance"]) == prov.ILLUSTRATIVE:
        kinds.append("điểm từng tiêu chí, tiêu chí thành phần")
    others = scoring.total_scores(ctx.ds, f.year)
    others = others[others["agency_id"] != ctx.agency_id]
    if not others.empty and prov.weakest(others["provenance"]) == prov.ILLUSTRATIVE:
        kinds.append("kết quả của các cơ quan khác (ẩn danh)")
    progress = ctx.ds.progress
    if not progress.empty and prov.weakest(progress["provenance"]) == prov.ILLUSTRATIVE:
        kinds.append("tiến độ thực hiện nhiệm vụ")
    if not kinds:
        return HTML("")
    return sentence(" {} là số liệu <strong>minh hoạ</strong>, không phải số liệu thật.", "; ".join(kinds).capitalize())


def cover(ctx: Context) -> HTML:
    """The cover block: agency, period, date of the data, which figures are official, and the legend."""
    return display.cover(
        kicker="Báo cáo lãnh đạo · Chỉ số cải cách hành chính",
        title=ctx.agency_name,
        period=f"{ctx.period.label} · số liệu đến ngày {fmt.date(ctx.as_of)}",
        note=HTML(score_review.official_note(ctx) + illustrative_note(ctx)),
    )


def _trend(change: float, provenance: str, year: int | None, *, unit: str = "", lower_is_better: bool = False) -> HTML:
    if round(change, 2) == 0:
        return sentence("bằng năm {}", year)
    better = change < 0 if lower_is_better else change > 0
    arrow = "▲" if better else "▼"
    word = ("lên " if better else "xuống ") if unit else ""
    return sentence("{} {}{}{} so với năm {}", arrow, word, mark(fmt.number(abs(change)), provenance), unit, year)


def score_cards(ctx: Context) -> list[tuple[object, object, object]]:
    """Cards for the latest score and rank (▲/▼ against the year before, or why not), the targets, the projection
    and the survey share the binding target needs."""
    f = figures(ctx)
    mine, before, year = f.summary, f.previous_summary, f.year
    index_note: object = ""
    rank_note: object = ""
    if before is not None:
        change_p = prov.combine(mine["provenance"], before["provenance"])
        index_note = (
            sentence("kết quả năm {} {}", f.previous_year, display.WITHHELD)
            if display.withhold(f.is_real, change_p)
            else _trend(float(mine["index"] - before["index"]), change_p, f.previous_year)
        )
        rank_p = prov.combine(mine["rank_provenance"], before["rank_provenance"])
        rank_note = (
            sentence("thứ hạng năm {} {}", f.previous_year, display.WITHHELD)
            if display.withhold(f.is_real, rank_p)
            else _trend(
                float(mine["rank"] - before["rank"]), rank_p, f.previous_year, unit=" bậc", lower_is_better=True
            )
        )
    items: list[tuple[object, object, object]] = [
        (f"Chỉ số CCHC {year}", mark(fmt.points(mine["index"], scoring.TOTAL_MAX), mine["provenance"]), index_note),
        (f"Xếp hạng {year}", mark(fmt.rank(mine["rank"], mine["n_ranked"]), mine["rank_provenance"]), rank_note),
    ]
    gaps = f.target_gaps(ctx.period.year)
    for gap in gaps[gaps["scope"] == "total"].itertuples():
        if gap.metric == "points":
            p = prov.combine(mine["provenance"], gap.provenance)
            word = "trên" if gap.comparator == ">" else "đạt"
            items.append(
                (
                    f"Chỉ tiêu {ctx.period.year}: {word} {fmt.number(gap.target)} điểm",
                    "Đã đạt" if gap.met else mark(f"+{fmt.number(gap.gap)}", p),
                    f"kết quả năm {year} đã đạt"
                    if gap.met
                    else sentence(
                        "cần tăng {}{} điểm so với năm {}",
                        "hơn " if gap.comparator == ">" else "",
                        mark(fmt.number(gap.gap), p),
                        year,
                    ),
                )
            )
        else:
            p = prov.combine(mine["rank_provenance"], gap.provenance)
            items.append(
                (
                    f"Chỉ tiêu {ctx.period.year}: tốp {fmt.rank(gap.target, gap.out_of)}",
                    "Đã đạt" if gap.met else mark(f"{int(gap.gap)} bậc", p),
                    f"thứ hạng năm {year} đã đạt"
                    if gap.met
                    else sentence("cần lên {} bậc so với năm {}", mark(int(gap.gap), p), year),
                )
            )
    if f.projection is not None and f.projection.target_year == ctx.period.year:
        p = f.projection
        items.append(
            (
                f"Dự báo {p.target_year}",
                mark(fmt.points(p.index, scoring.TOTAL_MAX), f.projection_provenance),
                sentence(
                    "hạng {} nếu mọi lĩnh vực đạt chỉ tiêu và các cơ quan khác giữ nguyên kết quả",
                    mark(fmt.rank(p.rank, p.n_ranked), f.projection_rank_provenance),
                ),
            )
        )
        items.extend(_survey_card(ctx))
    return items


def _survey_card(ctx: Context) -> list[tuple[object, object, object]]:
    """The survey share the binding overall target needs, the other threshold and last year's share."""
    f = figures(ctx)
    rows = f.thresholds
    if rows.empty or not rows["reachable"].all():
        return []
    projection = f.projection
    assert projection is not None, "survey thresholds exist only with a projection"
    binding = rows[rows["binding"]].iloc[0]
    other = rows[~rows["binding"]]
    word = {"points": "để tổng điểm {} {} điểm", "rank": "để {} {}"}

    def goal(r) -> str:
        if r["metric"] == "points":
            return word["points"].format("trên" if r["strict"] else "đạt", fmt.number(r["target"]))
        return word["rank"].format("vào tốp", fmt.rank(r["target"], r["out_of"]))

    parts = [sentence("{} (ràng buộc chặt hơn)", goal(binding))]
    for r in other.to_dict("records"):
        parts.append(
            sentence(
                "{} {} {}",
                "trên" if r["strict"] else "từ",
                mark(fmt.percent(r["min_share"], 2), r["provenance"]),
                goal(r),
            )
        )
    parts.append(
        sentence("năm {}: {}", f.year, mark(fmt.percent(binding["last_share"], 2), f.summary["survey_provenance"]))
    )
    return [
        (
            f"Tỷ lệ điều tra xã hội học tối thiểu {projection.target_year}",
            mark(("trên " if binding["strict"] else "") + fmt.percent(binding["min_share"], 2), binding["provenance"]),
            display.join(parts, "; "),
        )
    ]


def plan_review(ctx: Context) -> progress_review.Review | None:
    """The plan's status picture of the period, or None when the data holds no plan of the agency for that year
    (only the agency under review has one; its peers are scored but their plans are not ours)."""
    if not plan.has_plan(ctx.ds, ctx.agency_id, ctx.period.year):
        return None
    return progress_review.review(ctx)


def _no_plan(ctx: Context) -> HTML:
    return display.paragraph(
        sentence(
            "Dữ liệu chưa có kế hoạch cải thiện Chỉ số CCHC năm {} của {} (bảng plan/tasks), nên phần này không có "
            "số liệu.",
            ctx.period.year,
            ctx.agency_name,
        ),
        "cchc-note",
    )


def plan_summary(ctx: Context, rv: progress_review.Review | None) -> HTML:
    """The plan's headline sentence and the status table by unit; a note when there is no plan."""
    if rv is None:
        return _no_plan(ctx)
    return HTML(progress_review.headline(rv) + progress_review.unit_table(rv))


def plan_chart(rv: progress_review.Review | None) -> Chart | None:
    """Status by unit, or nothing when there is no plan."""
    return None if rv is None else plan_charts.status_by_unit(rv.picture)


def stake_table(rv: progress_review.Review | None) -> HTML:
    return HTML("") if rv is None else progress_review.stake_table(rv)


def alert_section(ctx: Context, rv: progress_review.Review | None) -> HTML:
    """The alert count sentence and the alert list; a note when there is no plan."""
    if rv is None:
        return _no_plan(ctx)
    return HTML(progress_review.alert_summary(rv) + progress_review.alert_table(rv))


def plan_counts(rv: progress_review.Review) -> dict[str, int]:
    """Tasks done, tasks not yet due and on track (nothing of them is due yet), and tasks that need action."""
    return plan.no_action_counts(rv.picture.tasks["status"])


def plan_card(rv: progress_review.Review) -> tuple[object, object, object]:
    """How many of the plan's tasks need no action in the period, counted for what they are."""
    n = plan_counts(rv)
    p = progress_review.progress_provenance(rv)
    return (
        f"Nhiệm vụ không cần xử lý thêm ({rv.ctx.period.label})",
        mark(f"{n['fine']}/{n['total']}", p),
        sentence(
            "{} nhiệm vụ đã hoàn thành{}; {} nhiệm vụ chưa đến hạn, đang đúng tiến độ; {} nhiệm vụ cần xử lý",
            mark(n["done"], p),
            sentence(" (trong đó {} trễ hạn)", mark(n["late"], p)) if n["late"] else "",
            mark(n["pending"], p),
            mark(n["action"], p),
        ),
    )


def headline_cards(ctx: Context, rv: progress_review.Review | None = None) -> HTML:
    """Score, rank, targets, projection and survey cards, plus the plan's card when a review is given."""
    items = score_cards(ctx)
    if rv is not None:
        items.append(plan_card(rv))
    return cards(items)


# --------------------------------------------------------------------------
# Recommendations: one line per task or cause, saying who decides what
# --------------------------------------------------------------------------


def _task_line(ctx: Context, rv: progress_review.Review, task: pd.Series, codes: list[str], lost: float) -> HTML:
    """One recommendation for one task in trouble: what it addresses, its state, and who does what."""
    unit = display.in_sentence(str(task["unit_name"]))
    p = progress_review.progress_provenance(rv)
    about = (
        sentence(" (tiêu chí {}, đã bị trừ {} điểm năm {})", ", ".join(codes), fmt.number(lost), ctx.results_year)
        if codes
        else ""
    )
    state = mark(plan.STATUSES.get(task["status"], "–").lower(), p)
    if task["status"] == "done_late":
        return sentence(
            "Nhiệm vụ {}{} của {} đã hoàn thành nhưng trễ hạn: tiêu chí có thể tiếp tục bị trừ điểm; Lãnh đạo Ban "
            "chỉ đạo {} rút kinh nghiệm, bảo đảm các lần thực hiện sau đúng hạn.",
            task["task_id"],
            about,
            unit,
            unit,
        )
    if task["status"] == "blocked":
        note = str(task.get("blocker") or task.get("update_note") or "").strip()
        return sentence(
            "Nhiệm vụ {}{} của {} {}{}: đề nghị Trưởng Ban chỉ đạo giải quyết; vướng mắc ngoài thẩm quyền của Ban "
            "thì Văn phòng Ban tham mưu Lãnh đạo Ban kiến nghị UBND tỉnh, Sở Nội vụ xử lý trước thời điểm chấm điểm, "
            "không chỉ đôn đốc đơn vị.",
            task["task_id"],
            about,
            unit,
            state,
            sentence(" ({})", mark(note, p)) if note else "",
        )
    due = task["next_due"]
    when = sentence(", hạn {}", fmt.date(pd.Timestamp(due).date())) if pd.notna(due) else ""
    return sentence(
        "Nhiệm vụ {}{} của {} {}{}: Lãnh đạo Ban yêu cầu {} báo cáo nguyên nhân và mốc hoàn thành.",
        task["task_id"],
        about,
        unit,
        state,
        when,
        unit,
    )


def recommendations(ctx: Context, rv: progress_review.Review | None) -> list[HTML]:
    """What leadership should decide, derived from the figures, most urgent first: one line per task or cause."""
    f = figures(ctx)
    items: list[HTML] = []
    if rv is not None:
        tasks = rv.picture.tasks.set_index("task_id", drop=False)
        stake = rv.stake
        alerts = rv.alerts
        in_trouble = tasks[~tasks["status"].isin({*plan.FINE, "not_applicable"})]
        # Tasks that address lost sub-criteria first (largest loss first), then the others by unit.
        linked = stake.dropna(subset=["task_id"])
        by_task = linked.groupby("task_id", sort=False).agg(codes=("code", list), lost=("lost", "sum"))
        order = [t for t in by_task.index if t in in_trouble.index]
        for task_id in order:
            items.append(
                _task_line(ctx, rv, tasks.loc[task_id], by_task.at[task_id, "codes"], by_task.at[task_id, "lost"])
            )
        uncovered = stake[~stake["covered"] & stake["task_id"].isna()]
        for row in uncovered.itertuples():
            items.append(
                sentence(
                    "Tiêu chí {} ({}) đã bị trừ {} điểm năm {} nhưng chưa có nhiệm vụ khắc phục: Lãnh đạo Ban giao "
                    "đơn vị chủ trì và thời hạn.",
                    row.code,
                    row.name,
                    fmt.number(row.lost),
                    ctx.results_year,
                )
            )
        rest = in_trouble[~in_trouble.index.isin(order) & ~in_trouble["status"].isin(["missing", "done_late"])]
        # A blocked task is a decision for leadership, one line each; the others are grouped by unit and status.
        for task_id in rest.index[rest["status"] == "blocked"]:
            items.append(_task_line(ctx, rv, tasks.loc[task_id], [], 0.0))
        rest = rest[rest["status"] != "blocked"]
        p = progress_review.progress_provenance(rv)
        for (unit, status), group in rest.groupby(["unit_name", "status"], sort=False):
            notes = sorted({str(n) for n in group["update_note"].dropna() if str(n).strip()})
            items.append(
                sentence(
                    "{} có {} nhiệm vụ {} ({}){}: Lãnh đạo Ban yêu cầu {} báo cáo mốc hoàn thành.",
                    unit,
                    mark(len(group), p),
                    plan.STATUSES[status].lower(),
                    ", ".join(group["task_id"]),
                    sentence("; đơn vị nêu: {}", mark("; ".join(notes), p)) if notes else "",
                    display.in_sentence(unit),
                )
            )
        missing = alerts[alerts["kind"] == "missing"]
        for unit, group in missing.groupby("unit_name", sort=False):
            items.append(
                sentence(
                    "Lãnh đạo Ban yêu cầu {} gửi cập nhật tiến độ còn thiếu của {}.",
                    display.in_sentence(unit),
                    ", ".join(sorted(set(group["subject"]))),
                )
            )
    gaps = f.target_gaps(ctx.period.year)
    fields = gaps[(gaps["scope"] != "total") & ~gaps["met"].astype(bool)].sort_values("gap", ascending=False)
    if not fields.empty:
        top = fields.iloc[0]
        items.append(
            sentence(
                "Ưu tiên lĩnh vực {} ({}): còn thiếu {} điểm so với chỉ tiêu {} điểm năm {}.",
                top["scope"],
                top["name"],
                fmt.number(top["gap"]),
                fmt.number(top["target"]),
                ctx.period.year,
            )
        )
    survey = _survey_line(ctx)
    if survey:
        items.append(survey)
    if items:
        return items
    if rv is None:
        return [HTML("Chưa có kế hoạch và chỉ tiêu trong dữ liệu nên chưa có kiến nghị.")]
    return [HTML("Không có việc cần lãnh đạo chỉ đạo thêm trong kỳ: mọi nhiệm vụ đều đúng tiến độ.")]


def _survey_line(ctx: Context) -> HTML | None:
    """The survey advice, weighing both overall targets."""
    f = figures(ctx)
    rows = f.thresholds
    if rows.empty or f.projection is None or f.projection.target_year != ctx.period.year:
        return None
    binding = rows[rows["binding"]].iloc[0]
    if not binding["reachable"] or binding["min_share"] <= 0:
        return None
    others = display.join(
        (
            sentence(
                "{} {} để tổng điểm {} {} điểm",
                "trên" if r["strict"] else "từ",
                mark(fmt.percent(r["min_share"], 2), r["provenance"]),
                "trên" if r["strict"] else "đạt",
                fmt.number(r["target"]),
            )
            for r in rows[~rows["binding"]].to_dict("records")
            if r["metric"] == "points"
        ),
        "; ",
    )
    goal = (
        "vào tốp " + fmt.rank(binding["target"], binding["out_of"]) if binding["metric"] == "rank" else "đạt tổng điểm"
    )
    return sentence(
        "Giữ và nâng mức hài lòng trong điều tra xã hội học: khi mọi lĩnh vực đạt chỉ tiêu, tỷ lệ điểm điều tra cần "
        "{} {} để {} (ràng buộc chặt hơn){}; năm {} đạt {}, chỉ dư {} điểm phần trăm. Văn phòng Ban tham mưu Lãnh "
        "đạo Ban giải pháp nâng chất lượng phục vụ người dân, tổ chức.",
        "trên" if binding["strict"] else "từ",
        mark(fmt.percent(binding["min_share"], 2), binding["provenance"]),
        goal,
        sentence(", {}", others) if others else "",
        f.year,
        mark(fmt.percent(binding["last_share"], 2), f.summary["survey_provenance"]),
        mark(fmt.number(binding["margin"] * 100, 2), binding["provenance"]),
    )


def recommendation_list(ctx: Context, rv: progress_review.Review | None) -> HTML:
    return display.bullets(recommendations(ctx, rv))
