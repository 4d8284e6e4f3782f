"""Illustrative progress of the plan: one update per occurrence and reporting quarter, telling a plausible year.

Routine deliveries are made near their due date (quarterly reports and continuous duties confirmed each quarter,
monthly reports each month, yearly work finished in December, one-off work ramping up to its due date); a few
scripted stories show what the status model must tell apart (data/README.md lists them):

* late: T2-04 and T2-02 (the plan on monitoring law enforcement, 2.1.1.1, due 28/02) done on 20/03; T1-05,
  T2-03 and T3-03 at 40 % on 31/03, done in April–May; T7-04b done on 14/04; T1-04's first quarterly report
  (1.2.2) sent on 05/04; T3-08's second-quarter publication done in July; T6-03b's May report on 06/06;
* blocked: T7-05 (7.2.1/7.2.2) in the second and third quarters, with the seed's own cause (the vote on
  prestigious persons happens in the fourth quarter, so no online dossier arises before); T2-06 in the third
  quarter, waiting for the Department of Justice;
* still open on 31/12: T2-07 (systematisation period 2019–2023, 80 %) and T7-07 (ISO 9001 review, 70 %);
* one missing update: T6-02's fourth-quarter report.

Dates of updates and of routine completions are drawn from the generator's seeded stream, so the same seed gives
the same file.
"""

from __future__ import annotations

import datetime as dt
import random

from cchc_analysis.ingest import schedule
from cchc_analysis.sample_data.sources import Sources

__all__ = ["COLUMNS", "ILLUSTRATIVE", "SEED_CAUSE", "STORIES", "Step", "progress_rows"]

COLUMNS = [
    "task_id",
    "occurrence",
    "period",
    "status",
    "percent_done",
    "completed_on",
    "blocker",
    "updated_on",
    "updated_by",
    "note",
    "provenance",
]
ILLUSTRATIVE = "illustrative"
SEED_CAUSE = (
    "Chưa phát sinh hồ sơ trực tuyến: việc rà soát, bình chọn, công nhận người có uy tín thực hiện trong quý IV "
    "(khoản 1 Điều 6 Quyết định số 12/2018/QĐ-TTg), hồ sơ trực tuyến chỉ phát sinh từ tháng 12"
)
#: (quarter, status, percent, completed on, blocker, note) steps of a scripted occurrence.
Step = tuple[int, str, float | None, str | None, str, str]
STORIES: dict[tuple[str, str], list[Step]] = {
    ("T2-04", "once"): [
        (
            1,
            "done",
            100,
            "2023-03-20",
            "",
            "Đã ban hành Kế hoạch theo dõi tình hình thi hành pháp luật năm 2023, chậm so với hạn",
        ),
    ],
    ("T2-02", "once"): [
        (1, "done", 100, "2023-03-20", "", "Đã ban hành cùng Kế hoạch theo dõi thi hành pháp luật, chậm so với hạn"),
    ],
    ("T1-05", "once"): [
        (1, "in_progress", 40, None, "", "Chậm so với hạn; các phòng đang hoàn thiện kế hoạch"),
        (2, "done", 100, "2023-04-18", "", "Đã hoàn thành, trễ hạn"),
    ],
    ("T2-03", "once"): [
        (1, "in_progress", 40, None, "", "Chậm so với hạn; đang lấy ý kiến các phòng"),
        (2, "done", 100, "2023-05-10", "", "Đã ban hành kế hoạch thanh tra, kiểm tra, trễ hạn"),
    ],
    ("T3-03", "once"): [
        (1, "in_progress", 40, None, "", "Chậm so với hạn; đang thiết kế bảng thông báo"),
        (2, "done", 100, "2023-04-12", "", "Đã niêm yết, đăng tải, trễ hạn"),
    ],
    ("T7-04b", "once"): [
        (1, "in_progress", 60, None, "", "Dự thảo đang trình Lãnh đạo Ban"),
        (2, "done", 100, "2023-04-14", "", "Đã ban hành, trễ hạn"),
    ],
    ("T2-07", "once"): [
        (1, "in_progress", 10, None, "", "Đang rà soát văn bản"),
        (2, "in_progress", 30, None, "", "Đang rà soát văn bản"),
        (3, "in_progress", 55, None, "", "Đang tổng hợp kết quả rà soát"),
        (4, "in_progress", 80, None, "", "Kỳ hệ thống hóa kết thúc 31/12/2023; đang tổng hợp kết quả"),
    ],
    ("T7-05", "2023-Q1"): [
        (1, "done", None, "2023-03-24", "", "Đã hướng dẫn tiếp nhận hồ sơ trực tuyến; chưa phát sinh hồ sơ"),
    ],
    ("T7-05", "2023-Q2"): [(2, "blocked", None, None, SEED_CAUSE, "Đã báo cáo Lãnh đạo Ban")],
    ("T7-05", "2023-Q3"): [(3, "blocked", None, None, SEED_CAUSE, "Đã báo cáo Lãnh đạo Ban")],
    ("T7-05", "2023-Q4"): [
        (4, "done", None, "2023-12-15", "", "Đã phát sinh và giải quyết hồ sơ trực tuyến đúng hạn"),
    ],
    ("T2-06", "2023"): [
        (1, "in_progress", 15, None, "", "Đang rà soát nhu cầu xây dựng văn bản"),
        (2, "in_progress", 35, None, "", "Đang xây dựng dự thảo"),
        (3, "blocked", 50, None, "Chờ Sở Tư pháp góp ý dự thảo văn bản QPPL", "Đã gửi dự thảo xin ý kiến"),
        (4, "done", 100, "2023-12-20", "", "Đã trình ban hành"),
    ],
    ("T7-07", "2023"): [
        (1, "in_progress", 15, None, "", "Đang duy trì hệ thống"),
        (2, "in_progress", 35, None, "", "Đang cập nhật quy trình"),
        (3, "in_progress", 55, None, "", "Đang cập nhật quy trình"),
        (4, "in_progress", 70, None, "", "Chưa hoàn thành đánh giá nội bộ ISO năm 2023"),
    ],
    ("T3-08", "2023-Q2"): [
        (2, "in_progress", None, None, "", "Chưa công khai kết quả đánh giá quý II"),
        (3, "done", None, "2023-07-12", "", "Đã công khai kết quả đánh giá quý II, trễ hạn"),
    ],
    ("T1-04", "2023-Q1"): [
        (1, "in_progress", None, None, "", "Đang tổng hợp báo cáo kiểm soát TTHC quý I"),
        (2, "done", None, "2023-04-05", "", "Đã gửi báo cáo quý I, trễ hạn"),
    ],
    ("T6-03b", "2023-M05"): [(2, "done", None, "2023-06-06", "", "Đã báo cáo tiến độ tháng 5, trễ hạn")],
    ("T6-02", "2023-Q4"): [],  # the missing update: the tools must flag it
}


def _quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _quarter_end(year: int, index: int) -> dt.date:
    return (dt.date(year, 3 * index + 1, 1) if index < 4 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)


def _routine(rng: random.Random, task, first: dt.date, due: dt.date, start: dt.date) -> list[Step]:
    """Steps of an occurrence without a story: delivered near its due date, with a percent ramp for work that
    spans quarters (one-off, six-monthly, yearly)."""
    if schedule.judged_without_percent(task.kind, task.frequency):
        low = 1 if task.frequency == "monthly" else 3
        done = max(due - dt.timedelta(days=rng.randint(low, low + 8)), max(first, start))
        note = "Đã gửi báo cáo" if task.kind == "recurring" else "Đã thực hiện trong quý"
        return [(_quarter_of(due), "done", None, done.isoformat(), "", note)]
    if task.kind == "one_off":
        done = max(due - dt.timedelta(days=rng.randint(2, 10)), start + dt.timedelta(days=3))
    else:
        done = due - dt.timedelta(days=rng.randint(8, 22))
    first_q, last_q = _quarter_of(max(first, start)), _quarter_of(done)
    steps: list[Step] = []
    for q in range(first_q, last_q):
        share = (q - first_q + 1) / (last_q - first_q + 1)
        percent = min(90, max(10, int(round(share * 80 / 5.0)) * 5))
        steps.append((q, "in_progress", float(percent), None, "", "Đang triển khai theo kế hoạch"))
    steps.append((last_q, "done", 100.0, done.isoformat(), "", "Đã hoàn thành"))
    return steps


def progress_rows(rng: random.Random, sources: Sources) -> list[list[object]]:
    """Every illustrative update, in plan order, then occurrence and quarter."""
    starts = {(r.agency_id, int(r.plan_year)): r.start_date for r in sources.plans.itertuples()}
    units = dict(zip(sources.units["unit_id"], sources.units["name"]))
    rows: list[list[object]] = []
    for task in sources.tasks.itertuples():
        year = int(task.plan_year)
        start = starts[(task.agency_id, year)]
        days = {q: _quarter_end(year, q) - dt.timedelta(days=rng.randint(3, 9)) for q in range(1, 5)}
        for occurrence, _label, first, due in schedule.windows(task.kind, task.frequency, year, task.due_date):
            if due < start:
                continue  # before the plan existed: not applicable, nothing to report
            steps = STORIES.get((task.task_id, occurrence))
            if steps is None:
                steps = _routine(rng, task, first, due, start)
            for q, status, percent, completed, blocker, note in steps:
                updated = days[q]
                if completed is not None:
                    updated = max(updated, dt.date.fromisoformat(completed))
                rows.append(
                    [
                        task.task_id,
                        occurrence,
                        f"{year}-Q{q}",
                        status,
                        None if percent is None else float(percent),
                        completed,
                        blocker,
                        updated.isoformat(),
                        units.get(task.unit_id, task.unit_id),
                        note,
                        ILLUSTRATIVE,
                    ]
                )
    return rows
