"""What the plan-progress notebook (02) shows: tables and sentences built from ``plan``'s figures.

Every function returns something a notebook displays as is (an HTML fragment or a sentence); every figure a
reader sees goes through ``fmt``, fragments are autoescaped (:mod:`cchc_analysis.present.display`), and every
figure that rests on the (illustrative) progress updates carries its marker.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import periods, plan, scoring
from cchc_analysis.domain import provenance as prov
from cchc_analysis.ingest.tables import REPORTED_STATUSES
from cchc_analysis.present import display
from cchc_analysis.present.context import Context, context  # re-exported: notebooks call progress_review.context
from cchc_analysis.present.display import HTML, mark, paragraph, sentence, table

__all__ = [
    "REASONS",
    "Review",
    "alert_summary",
    "alert_table",
    "changes_table",
    "context",
    "cover",
    "field_table",
    "headline",
    "occurrence_table",
    "progress_provenance",
    "review",
    "rules_note",
    "schedule_provenance",
    "stake_table",
    "start_note",
    "unit_table",
]


@dataclass(frozen=True)
class Review:
    """Everything notebook 02 shows, computed once."""

    ctx: Context
    picture: plan.Picture
    stake: pd.DataFrame
    alerts: pd.DataFrame
    changes: pd.DataFrame

    @property
    def period(self) -> periods.Period:
        return self.picture.period


def review(ctx: Context) -> Review:
    """Compute the status picture of the context's period and what follows from it."""
    pic = plan.picture(ctx.ds, ctx.agency_id, ctx.period, ctx.as_of)
    stake = plan.points_at_stake(ctx.ds, pic)
    return Review(ctx, pic, stake, plan.alerts(ctx.ds, pic, stake), plan.changes(ctx.ds, pic))


def _label(status: object) -> str:
    return plan.STATUSES.get(status, "–") if isinstance(status, str) else "Chưa có nhiệm vụ"


def _date(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return fmt.date(pd.Timestamp(value).date())


def progress_provenance(rv: Review) -> str:
    """How official the period's statuses are: as official as the progress updates they are judged from."""
    rows = rv.ctx.ds.progress
    rows = rows[rows["task_id"].isin(rv.picture.tasks["task_id"])]
    return prov.weakest(rows["provenance"]) if not rows.empty else prov.OFFICIAL


def cover(rv: Review) -> HTML:
    """Title block: agency, period, the data's date, which figures are illustrative, and the legend."""
    pic = rv.picture
    parts = []
    kind = progress_provenance(rv)
    if kind != prov.OFFICIAL:
        parts.append(sentence("Tiến độ thực hiện nhiệm vụ là số liệu <strong>{}</strong>", display.label(kind)))
    parts.append(HTML("nhiệm vụ, đơn vị chủ trì và tiêu chí thành phần liên quan lấy từ kế hoạch của cơ quan"))
    if not rv.stake.empty:
        year = int(rv.stake["results_year"].iloc[0])
        lost = scoring.lost_points(rv.ctx.ds, rv.ctx.agency_id, year)
        split = prov.weakest(lost["provenance"])
        parts.append(
            sentence(
                "danh sách tiêu chí thành phần bị trừ điểm năm {} là số liệu chính thức, điểm từng tiêu chí thành phần "
                "là số liệu {}",
                year,
                display.label(split),
            )
        )
    note = sentence("{}. {}", display.join(parts, "; "), start_note(pic))
    return display.cover(
        kicker="Theo dõi kế hoạch cải thiện Chỉ số CCHC",
        title=rv.ctx.agency_name,
        period=f"{pic.period.label} · số liệu đến ngày {fmt.date(pic.as_of)} · cập nhật của {pic.reporting_quarter.label}",
        note=note,
    )


def start_note(pic: plan.Picture) -> HTML:
    """The plan's start date and its basis: nothing is due before it."""
    return sentence(
        "Kế hoạch bắt đầu từ ngày {} ({}: {}); không nhiệm vụ nào đến hạn trước ngày này.",
        mark(fmt.date(pic.plan.start), pic.plan.provenance),
        display.label(pic.plan.provenance),
        pic.plan.note,
    )


def _count_phrase(counts: pd.Series) -> str:
    parts = [f"{int(counts[s])} {plan.STATUSES[s].lower()}" for s in plan.STATUSES if counts.get(s, 0)]
    return ", ".join(parts)


def headline(rv: Review) -> HTML:
    """The opening sentences: how many tasks, in which status, and what needs leadership's attention."""
    pic = rv.picture
    p = progress_provenance(rv)
    counts = pic.tasks["status"].value_counts()
    total = len(pic.tasks)
    fine = int(pic.tasks["status"].isin(plan.FINE).sum())
    text = sentence(
        "Đến ngày {}, kế hoạch năm {} có <strong>{}</strong> nhiệm vụ: {}. Có {} nhiệm vụ ({}) không cần xử lý thêm "
        "trong kỳ.",
        fmt.date(pic.as_of),
        pic.period.year,
        total,
        mark(_count_phrase(counts), p),
        mark(f"{fine}/{total}", p),
        mark(fmt.percent(fine / total, 0), p),
    )
    late = plan.occurrence_counts(pic)["done_late"]
    if late:
        text = sentence(
            "{} Trong {}, {} lần thực hiện hoàn thành trễ hạn.", text, pic.period.label.lower(), mark(int(late), p)
        )
    uncovered = rv.stake.drop_duplicates("code")
    uncovered = uncovered[~uncovered["covered"]]
    if not uncovered.empty:
        lost = scoring.lost_points(rv.ctx.ds, rv.ctx.agency_id, int(uncovered["results_year"].iloc[0]))
        lost_p = prov.weakest(lost[lost["code"].isin(uncovered["code"])]["provenance"])
        text = sentence(
            "{} Các tiêu chí thành phần bị trừ điểm năm {} chưa có nhiệm vụ đúng tiến độ: <strong>{}</strong> ({} điểm "
            "đã bị trừ).",
            text,
            int(uncovered["results_year"].iloc[0]),
            ", ".join(uncovered["code"]),
            mark(fmt.number(float(uncovered["lost"].sum())), lost_p),
        )
    else:
        text = sentence(
            "{} Mọi tiêu chí thành phần bị trừ điểm năm trước đều có nhiệm vụ hoàn thành hoặc đúng tiến độ.", text
        )
    missing = len(pic.missing_updates)
    if missing:
        text = sentence("{} Còn <strong>{}</strong> cập nhật tiến độ chưa được gửi.", text, missing)
    return paragraph(text, "cchc-headline")


def _grid_table(grid: pd.DataFrame, first: str, provenance: str) -> HTML:
    shown = [s for s in plan.STATUSES if grid[s].sum() > 0]
    frame = pd.DataFrame({first: [str(i) for i in grid.index]})
    for status in shown:
        frame[plan.STATUSES[status]] = [fmt.number(v) for v in grid[status]]
    frame["Tổng số"] = [fmt.number(v) for v in grid["total"]]
    return table(frame, numeric=tuple(frame.columns[1:]), marks=dict.fromkeys(frame.columns[1:-1], provenance))


def unit_table(rv: Review) -> HTML:
    """Number of tasks in each status per unit."""
    return _grid_table(plan.by_unit(rv.picture), "Đơn vị", progress_provenance(rv))


def field_table(rv: Review) -> HTML:
    """Number of tasks in each status per field, with the field's name."""
    grid = plan.by_field(rv.picture)
    names = rv.ctx.ds.framework_for(rv.period.year).set_index("code")["name"]
    grid.index = [f"{code}. {names.get(code, '')}" for code in grid.index]
    return _grid_table(grid, "Lĩnh vực", progress_provenance(rv))


def stake_table(rv: Review) -> HTML:
    """Points at stake: each sub-criterion that lost points, the tasks addressing it, their owner and status."""
    stake = rv.stake
    year = int(stake["results_year"].iloc[0]) if not stake.empty else None
    points_column = f"Điểm năm {year}" if year else "Điểm"
    lost = (
        scoring.lost_points(rv.ctx.ds, rv.ctx.agency_id, year).set_index("code")["provenance"]
        if year
        else pd.Series(dtype=object)
    )
    frame = pd.DataFrame(
        {
            "Tiêu chí": stake["code"],
            "Nội dung": stake["name"],
            points_column: [fmt.points(p, m) for p, m in zip(stake["points"], stake["max_points"])],
            "Bị trừ": stake["lost"].map(fmt.number),
            "Nhiệm vụ": stake["task_id"].fillna("–"),
            "Liên kết": stake["link"].map(lambda link: plan.LINKS.get(link, "–") if isinstance(link, str) else "–"),
            "Đơn vị chủ trì": stake["unit_name"].fillna("–"),
            "Trạng thái": stake["status"].map(_label),
            "Thời hạn kế tiếp": stake["next_due"].map(_date),
        }
    )
    split = list(stake["code"].map(lost).fillna(prov.ILLUSTRATIVE))
    progress = progress_provenance(rv)
    due = [prov.combine(s, progress) if s else progress for s in schedule_provenance(rv, stake["task_id"])]
    marks = {points_column: split, "Bị trừ": split, "Trạng thái": progress, "Thời hạn kế tiếp": due}
    return table(frame, numeric=(points_column, "Bị trừ"), marks=marks)


REASONS = {**{code: label.lower() for code, label in plan.STATUSES.items()}, "not_started": "chưa bắt đầu"}


def _reported(detail: dict) -> str:
    if not detail["reported"]:
        return "chưa có cập nhật"
    text = REPORTED_STATUSES.get(detail["reported"], detail["reported"]).lower()
    percent = detail.get("percent")
    if isinstance(percent, float) and not pd.isna(percent):
        text += f", {fmt.number(percent)}\u00a0%"
    return text


def _alert_text(row) -> str:
    detail = row.detail
    if row.kind == "uncovered":
        tasks = "; ".join(
            f"{t} ({REASONS.get(reason, reason)}{', liên kết suy ra' if link == 'inferred' else ''})"
            for t, reason, link in detail["tasks"]
        )
        return (
            f"{detail['name']} — bị trừ {fmt.number(detail['lost'])} điểm; nhiệm vụ: {tasks or 'chưa có nhiệm vụ nào'}"
        )
    which = f" (kỳ: {', '.join(detail['occurrences'])})" if detail.get("occurrences") else ""
    if row.kind == "blocked":
        return f"hạn {_date(row.due_date)}{which}; vướng mắc: {detail['blocker'] or 'đơn vị chưa ghi nguyên nhân'}"
    if row.kind in ("overdue", "at_risk"):
        source = (
            f"cập nhật {periods.parse(row.quarter).label}"
            if isinstance(row.quarter, str) and row.quarter
            else "cập nhật"
        )
        return f"hạn {_date(row.due_date)}{which}; {source}: {_reported(detail)}"
    if row.kind == "missing":
        quarter = periods.parse(row.quarter)
        return f"{detail['occurrence']}: chưa có cập nhật {quarter.label} (hạn gửi {_date(row.due_date)})"
    occurrence = f" ({detail['occurrence']})" if detail.get("occurrence") else ""
    return f"đến hạn {_date(row.due_date)}{occurrence}; hiện: {_label(row.status).lower()}"


def alert_table(rv: Review) -> HTML:
    """The alert list, most urgent first; a short sentence when there is nothing to flag."""
    if rv.alerts.empty:
        return paragraph("Không có cảnh báo nào trong kỳ.", "cchc-note")
    frame = pd.DataFrame(
        {
            "Cảnh báo": rv.alerts["kind"].map(plan.ALERT_KINDS),
            "Tiêu chí / nhiệm vụ": rv.alerts["subject"],
            "Đơn vị": rv.alerts["unit_name"].fillna("–"),
            "Chi tiết": [_alert_text(row) for row in rv.alerts.itertuples(index=False)],
        }
    )
    return table(frame, marks={"Cảnh báo": progress_provenance(rv)})


def alert_summary(rv: Review) -> HTML:
    """One sentence counting the alerts of each kind."""
    if rv.alerts.empty:
        return paragraph("Không có cảnh báo nào trong kỳ.")
    counts = rv.alerts["kind"].value_counts()
    parts = [f"{plan.ALERT_KINDS[k].lower()}: {int(counts[k])}" for k in plan.ALERT_KINDS if counts.get(k, 0)]
    p = progress_provenance(rv)
    return paragraph(
        sentence("Danh sách cảnh báo gồm {} mục — {}.", mark(len(rv.alerts), p), mark("; ".join(parts), p))
    )


def changes_table(rv: Review) -> HTML:
    """What changed since the previous period of the same kind."""
    previous = periods.previous(rv.period)
    if previous.year != rv.period.year:
        return paragraph(
            sentence(
                "{} là kỳ đầu tiên của kế hoạch năm {} nên không có kỳ trước để so sánh.",
                rv.period.label,
                rv.period.year,
            )
        )
    if rv.changes.empty:
        return paragraph(sentence("Không nhiệm vụ nào đổi trạng thái so với {}.", previous.label))
    better = int(rv.changes["better"].sum())
    worse = len(rv.changes) - better
    p = progress_provenance(rv)
    intro = paragraph(
        sentence(
            "So với {}, có {} nhiệm vụ đổi trạng thái: {} nhiệm vụ có tiến triển, {} nhiệm vụ chậm lại.",
            previous.label,
            mark(len(rv.changes), p),
            mark(better, p),
            mark(worse, p),
        )
    )
    frame = pd.DataFrame(
        {
            "Nhiệm vụ": rv.changes["task_id"],
            "Đơn vị": rv.changes["unit_name"],
            f"{previous.label}": rv.changes["before"].map(_label),
            f"{rv.period.label}": rv.changes["after"].map(_label),
            "Diễn biến": rv.changes["better"].map({True: "Có tiến triển", False: "Chậm lại"}),
        }
    )
    return HTML(intro + table(frame, marks={f"{rv.period.label}": p}))


def occurrence_table(rv: Review) -> HTML:
    """Every occurrence the period shows: what was due, by whom, its status on the date, when it was done and
    what blocks it."""
    view = rv.picture.view
    tasks = rv.picture.tasks.set_index("task_id")
    frame = pd.DataFrame(
        {
            "Nhiệm vụ": view["task_id"],
            "Lần thực hiện": view["label"],
            "Đơn vị": view["task_id"].map(tasks["unit_name"]),
            "Hạn": view["due_date"].map(_date),
            "Trạng thái": view["status"].map(_label),
            "Ngày hoàn thành": view["completed_on"].map(_date),
            "Vướng mắc": view["blocker"].fillna("").replace("", "–"),
        }
    )
    progress = progress_provenance(rv)
    marks = {
        "Hạn": schedule_provenance(rv, view["task_id"]),
        "Trạng thái": progress,
        "Ngày hoàn thành": progress,
        "Vướng mắc": progress,
    }
    return table(frame, marks=marks)


def schedule_provenance(rv: Review, task_ids: pd.Series) -> list[str]:
    """The provenance of each task's due date or frequency (the seed states almost none of them)."""
    tasks = rv.ctx.ds.tasks.set_index("task_id")
    schedule = tasks["schedule_provenance"].where(tasks["schedule_provenance"].notna(), tasks["provenance"])
    return [str(schedule.get(task_id, prov.ILLUSTRATIVE)) if isinstance(task_id, str) else "" for task_id in task_ids]


def rules_note() -> HTML:
    """A short reminder of how statuses are computed, for the reader."""
    return display.HTML(
        '<p class="cchc-note">Mỗi nhiệm vụ được xét theo từng lần thực hiện (một lần; hằng tháng, quý, sáu tháng, '
        "năm; việc thường xuyên theo từng quý) từ ngày bắt đầu của kế hoạch, dựa trên cập nhật mới nhất của đơn vị "
        "đến ngày số liệu: trạng thái, ngày hoàn thành, vướng mắc và (với việc một lần, hằng năm) phần trăm hoàn "
        "thành. Hoàn thành sau hạn là <strong>Hoàn thành trễ hạn</strong>; vướng mắc đơn vị báo cáo là "
        "<strong>Gặp vướng mắc</strong> (cần Lãnh đạo Ban chỉ đạo); thiếu cập nhật không bao giờ được tính là đạt. "
        f"Chậm hơn tiến độ thời gian quá {fmt.number(plan.TOLERANCE)} điểm phần trăm là Chậm tiến độ "
        "(Có nguy cơ trễ hạn nếu hạn còn dưới một tháng). Mọi kỳ xem cùng một ngày số liệu cho cùng một trạng thái; "
        "kỳ chỉ chọn các lần thực hiện được liệt kê.</p>"
    )
