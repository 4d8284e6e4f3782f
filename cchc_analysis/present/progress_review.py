"""What the plan-progress notebook (02) shows: tables and sentences built from ``plan``'s figures.

Every function returns something a notebook displays as is (an HTML fragment or a sentence); every figure a
reader sees goes through ``fmt`` and every text from data is HTML-escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import periods, plan
from cchc_analysis.ingest.tables import REPORTED_STATUSES
from cchc_analysis.present.context import Context, context  # noqa: F401  (notebooks call progress_review.context)
from cchc_analysis.present.display import HTML, table


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


def cover(rv: Review) -> HTML:
    """Title block: agency, period, the data's date, and which figures are illustrative."""
    name = html.escape(rv.ctx.agency_name)
    pic = rv.picture
    provenance = set(rv.ctx.ds.progress["provenance"])
    note = (
        "Tiến độ nhiệm vụ trong dữ liệu kèm theo là số liệu <strong>minh hoạ</strong> do bộ sinh dữ liệu tạo ra; "
        if "illustrative" in provenance
        else ""
    )
    note += (
        f"nhiệm vụ, đơn vị chủ trì và tiêu chí thành phần liên quan lấy từ kế hoạch của cơ quan; kết quả "
        f"chấm điểm năm {int(rv.stake['results_year'].iloc[0]) if not rv.stake.empty else '–'} là số liệu đã công bố. "
    )
    note += start_note(pic)
    return HTML(
        '<section class="cchc-cover">'
        '<p class="cchc-kicker">Theo dõi kế hoạch cải thiện Chỉ số CCHC</p>'
        f"<h1>{name}</h1>"
        f'<p class="cchc-period">{html.escape(pic.period.label)} · số liệu đến ngày {fmt.date(pic.as_of)} · '
        f"cập nhật của {html.escape(pic.reporting_quarter.label)}</p>"
        f'<p class="cchc-provenance">{note}</p>'
        "</section>"
    )


def start_note(pic: plan.Picture) -> str:
    """The plan's start date and its basis: nothing is due before it."""
    kind = {"official": "theo văn bản", "derived": "suy ra", "illustrative": "minh hoạ"}.get(pic.plan.provenance, "")
    return (
        f"Kế hoạch bắt đầu từ ngày {fmt.date(pic.plan.start)} ({kind}: {html.escape(pic.plan.note)}); "
        "không nhiệm vụ nào đến hạn trước ngày này."
    )


def _count_phrase(counts: pd.Series) -> str:
    parts = [f"{int(counts[s])} {plan.STATUSES[s].lower()}" for s in plan.STATUSES if counts.get(s, 0)]
    return ", ".join(parts)


def headline(rv: Review) -> HTML:
    """The opening sentences: how many tasks, in which status, and what needs leadership's attention."""
    pic = rv.picture
    counts = pic.tasks["status"].value_counts()
    total = len(pic.tasks)
    fine = int(pic.tasks["status"].isin(plan.FINE).sum())
    text = (
        f"Đến ngày {fmt.date(pic.as_of)}, kế hoạch năm {pic.period.year} có <strong>{total}</strong> nhiệm vụ: "
        f"{_count_phrase(counts)}. "
    )
    text += f"{fine}/{total} nhiệm vụ ({fmt.percent(fine / total, 0)}) không cần xử lý thêm."
    late = plan.occurrence_counts(pic)["done_late"]
    if late:
        text += f" Trong {html.escape(pic.period.label.lower())}, {int(late)} lần thực hiện hoàn thành trễ hạn."
    uncovered = rv.stake.drop_duplicates("code")
    uncovered = uncovered[~uncovered["covered"]]
    if not uncovered.empty:
        points = float(uncovered["lost"].sum())
        codes = ", ".join(uncovered["code"])
        text += (
            f" Các tiêu chí thành phần bị trừ điểm năm {int(uncovered['results_year'].iloc[0])} chưa có nhiệm vụ "
            f"đúng tiến độ: <strong>{html.escape(codes)}</strong> ({fmt.number(points)} điểm đã bị trừ)."
        )
    else:
        text += " Mọi tiêu chí thành phần bị trừ điểm năm trước đều có nhiệm vụ hoàn thành hoặc đúng tiến độ."
    missing = len(pic.missing_updates)
    if missing:
        text += f" Còn <strong>{missing}</strong> cập nhật tiến độ chưa được gửi."
    return HTML(f'<p class="cchc-headline">{text}</p>')


def _grid_table(grid: pd.DataFrame, first: str) -> HTML:
    shown = [s for s in plan.STATUSES if grid[s].sum() > 0]
    frame = pd.DataFrame({first: [str(i) for i in grid.index]})
    for status in shown:
        frame[plan.STATUSES[status]] = [fmt.number(v) for v in grid[status]]
    frame["Tổng số"] = [fmt.number(v) for v in grid["total"]]
    return table(frame, numeric=tuple(frame.columns[1:]))


def unit_table(rv: Review) -> HTML:
    """Number of tasks in each status per unit."""
    return _grid_table(plan.by_unit(rv.picture), "Đơn vị")


def field_table(rv: Review) -> HTML:
    """Number of tasks in each status per field, with the field's name."""
    grid = plan.by_field(rv.picture)
    names = rv.ctx.ds.framework_for(rv.period.year).set_index("code")["name"]
    grid.index = [f"{code}. {names.get(code, '')}" for code in grid.index]
    return _grid_table(grid, "Lĩnh vực")


def stake_table(rv: Review) -> HTML:
    """Points at stake: each sub-criterion that lost points, the tasks addressing it, their owner and status."""
    stake = rv.stake
    frame = pd.DataFrame(
        {
            "Tiêu chí": stake["code"],
            "Nội dung": stake["name"],
            f"Điểm năm {int(stake['results_year'].iloc[0])}" if not stake.empty else "Điểm": [
                fmt.points(p, m) for p, m in zip(stake["points"], stake["max_points"])
            ],
            "Bị trừ": stake["lost"].map(fmt.number),
            "Nhiệm vụ": stake["task_id"].fillna("–"),
            "Liên kết": stake["link"].map(lambda link: plan.LINKS.get(link, "–") if isinstance(link, str) else "–"),
            "Đơn vị chủ trì": stake["unit_name"].fillna("–"),
            "Trạng thái": stake["status"].map(_label),
            "Hạn gần nhất chưa xong": stake["next_due"].map(_date),
        }
    )
    return table(frame, numeric=(frame.columns[2], "Bị trừ"))


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
        return HTML('<p class="cchc-note">Không có cảnh báo nào trong kỳ.</p>')
    frame = pd.DataFrame(
        {
            "Cảnh báo": rv.alerts["kind"].map(plan.ALERT_KINDS),
            "Tiêu chí / nhiệm vụ": rv.alerts["subject"],
            "Đơn vị": rv.alerts["unit_name"].fillna("–"),
            "Chi tiết": [_alert_text(row) for row in rv.alerts.itertuples(index=False)],
        }
    )
    return table(frame)


def alert_summary(rv: Review) -> HTML:
    """One sentence counting the alerts of each kind."""
    if rv.alerts.empty:
        return HTML("<p>Không có cảnh báo nào trong kỳ.</p>")
    counts = rv.alerts["kind"].value_counts()
    parts = [f"{plan.ALERT_KINDS[k].lower()}: {int(counts[k])}" for k in plan.ALERT_KINDS if counts.get(k, 0)]
    return HTML(f"<p>Danh sách cảnh báo gồm {len(rv.alerts)} mục — {html.escape('; '.join(parts))}.</p>")


def changes_table(rv: Review) -> HTML:
    """What changed since the previous period of the same kind."""
    previous = periods.previous(rv.period)
    if previous.year != rv.period.year:
        return HTML(
            f"<p>{html.escape(rv.period.label)} là kỳ đầu tiên của kế hoạch năm {rv.period.year} "
            "nên không có kỳ trước để so sánh.</p>"
        )
    if rv.changes.empty:
        return HTML(f"<p>Không nhiệm vụ nào đổi trạng thái so với {html.escape(previous.label)}.</p>")
    better = int(rv.changes["better"].sum())
    worse = len(rv.changes) - better
    intro = (
        f"<p>So với {html.escape(previous.label)}, {len(rv.changes)} nhiệm vụ đổi trạng thái: "
        f"{better} tốt lên, {worse} xấu đi.</p>"
    )
    frame = pd.DataFrame(
        {
            "Nhiệm vụ": rv.changes["task_id"],
            "Đơn vị": rv.changes["unit_name"],
            f"{previous.label}": rv.changes["before"].map(_label),
            f"{rv.period.label}": rv.changes["after"].map(_label),
            "Xu hướng": rv.changes["better"].map({True: "tốt lên", False: "xấu đi"}),
        }
    )
    return HTML(intro + table(frame))


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
    return table(frame)


def rules_note() -> HTML:
    """A short reminder of how statuses are computed, for the reader."""
    return HTML(
        '<p class="cchc-note">Mỗi nhiệm vụ được xét theo từng lần thực hiện (một lần; hằng tháng, quý, sáu tháng, '
        "năm; việc thường xuyên theo từng quý) từ ngày bắt đầu của kế hoạch, dựa trên cập nhật mới nhất của đơn vị "
        "đến ngày số liệu: trạng thái, ngày hoàn thành, vướng mắc và (với việc một lần, hằng năm) phần trăm hoàn "
        "thành. Hoàn thành sau hạn là <strong>Hoàn thành trễ hạn</strong>; vướng mắc đơn vị báo cáo là "
        "<strong>Gặp vướng mắc</strong> (cần Lãnh đạo Ban chỉ đạo); thiếu cập nhật không bao giờ được tính là đạt. "
        f"Chậm hơn tiến độ thời gian quá {fmt.number(plan.TOLERANCE)} điểm phần trăm là Chậm tiến độ "
        "(Có nguy cơ trễ hạn nếu hạn còn dưới một tháng). Mọi kỳ xem cùng một ngày số liệu cho cùng một trạng thái; "
        "kỳ chỉ chọn các lần thực hiện được liệt kê.</p>"
    )
