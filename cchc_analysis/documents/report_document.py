"""The periodic report on the CCHC tasks (quarter, six months, year) that seed III.2 obliges Văn phòng Ban to send
to UBND tỉnh and Sở Nội vụ: I. leadership and direction, II. results per field and for the sub-criteria that lost
points, III. general assessment, IV. priorities of the next period, V. proposals.

Every count comes from ``status.task_statuses`` (the same plan model as the briefing of the same period and date);
assessments, causes beyond the units' own notes, and proposals are highlighted blanks.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.documents import figures, model, status
from cchc_analysis.documents.model import Blank, Note, para
from cchc_analysis.documents.plan_document import LETTERS
from cchc_analysis.documents.sources import DocumentData
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import Dataset
from cchc_analysis.ingest.tables import FREQUENCIES

__all__ = ["ROUTINE", "build", "period_phrase"]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
#: Frequencies whose occurrences fall due every period: listed as a count in IV, not one by one.
ROUTINE = ("monthly", "quarterly")


def period_phrase(period: periods.Period) -> str:
    """'quý II năm 2023', '6 tháng đầu năm 2023', 'năm 2023' (as a report's subject writes it)."""
    if period.kind == "quarter":
        return f"quý {_ROMAN[period.index]} năm {period.year}"
    if period.kind == "half":
        return f"6 tháng {'đầu' if period.index == 1 else 'cuối'} năm {period.year}"
    return f"năm {period.year}"


def _count_sentence(frame: pd.DataFrame) -> str:
    counts = frame["category"].value_counts()
    parts = [f"{int(counts[c]):02d} nhiệm vụ {label}" for c, label in status.CATEGORIES.items() if counts.get(c, 0)]
    return "; ".join(parts)


def _recurring_sentence(frame: pd.DataFrame) -> str:
    recurring = frame[frame["kind"] == "recurring"]
    due, delivered = int(recurring["occurrences_due"].sum()), int(recurring["occurrences_delivered"].sum())
    if not due:
        return ""
    return f"Các nhiệm vụ định kỳ đã thực hiện {delivered}/{due} lượt đến hạn trong kỳ."


def _task_line(task, *, with_status: bool = True) -> model.Paragraph:
    text = f"- {str(task.description).strip().rstrip('.')} ({task.unit_name}"
    if with_status:
        text += f": {status.CATEGORIES[task.category]}"
    text += ")"
    if task.category == "blocked":
        cause = task.cause or "đơn vị chưa nêu nguyên nhân"
        return para(text, f"; vướng mắc do đơn vị báo cáo: {cause}.", style="item")
    return para(text + ".", style="item")


def _results_by_field(ds: Dataset, frame: pd.DataFrame, year: int) -> list[model.Paragraph]:
    out = [para("2. Kết quả theo từng lĩnh vực", style="subheading")]
    framework = ds.framework_for(year)
    fields = framework[framework["level"] == "field"].sort_values("code", key=lambda s: s.astype(int))
    for index, field in enumerate(fields.itertuples(index=False)):
        mine = frame[frame["field_code"] == field.code]
        letter = LETTERS[index] if index < len(LETTERS) else str(index + 1)
        out.append(para(f"{letter}) {field.name}", style="subheading"))
        if mine.empty:
            out.append(para("Kế hoạch không có nhiệm vụ thuộc lĩnh vực này."))
            continue
        out.append(para(f"Có {len(mine):02d} nhiệm vụ: {_count_sentence(mine)}. {_recurring_sentence(mine)}".strip()))
        for task in mine[mine["category"].isin(["blocked", "overdue", "done_late", "no_update"])].itertuples(
            index=False
        ):
            out.append(_task_line(task))
    return out


def _lost_section(frame: pd.DataFrame, res: figures.YearResults) -> list[model.Paragraph]:
    out = [para(f"3. Kết quả khắc phục các tiêu chí thành phần bị trừ điểm năm {res.year}", style="subheading")]
    if res.lost.empty:
        return [*out, para(f"Năm {res.year}, cơ quan không bị trừ điểm ở tiêu chí thành phần nào.")]
    linked = frame.explode("sub_criteria")
    for item in res.lost.itertuples(index=False):
        tasks = linked[linked["sub_criteria"] == item.code]
        if tasks.empty:
            out.append(
                para(
                    f"- Tiêu chí {item.code} ({item.name}): chưa có nhiệm vụ khắc phục trong kế hoạch; ",
                    Blank("biện pháp đã thực hiện"),
                    style="item",
                )
            )
            continue
        done = ", ".join(
            f"{t.task_id} – {t.unit_name}: {status.CATEGORIES[t.category]}"
            + (f" ({t.cause})" if t.category == "blocked" and t.cause else "")
            for t in tasks.itertuples(index=False)
        )
        out.append(para(f"- Tiêu chí {item.code} ({item.name}): {done}.", style="item"))
    return out


def _priorities(frame: pd.DataFrame, period: periods.Period) -> list[model.Paragraph]:
    following = periods.following(period)
    out = [para(f"IV. NHIỆM VỤ TRỌNG TÂM {period_phrase(following).upper()}", style="heading")]
    open_tasks = frame[~frame["category"].isin(["done", "done_late"])]
    listed = 0
    for task in open_tasks.itertuples(index=False):
        if task.kind == "continuous" or (task.kind == "recurring" and task.frequency in ROUTINE):
            continue
        due = task.next_due or task.due_date
        if due is None or (task.kind == "recurring" and due > following.end):
            continue
        when = (
            f"thời hạn: {fmt.date(due)}"
            if task.kind == "one_off"
            else f"{FREQUENCIES[task.frequency]}, đến hạn {fmt.date(due)}"
        )
        out.append(para(f"- {str(task.description).strip().rstrip('.')} ({task.unit_name}; {when}).", style="item"))
        listed += 1
    continuous = frame["kind"] == "continuous"
    routine = frame[((frame["kind"] == "recurring") & frame["frequency"].isin(ROUTINE)) | continuous]
    if not routine.empty:
        counts = routine["frequency"].where(~continuous, "continuous").value_counts()
        names = {**FREQUENCIES, "continuous": "thường xuyên"}
        kinds = " và ".join(
            f"{int(counts[f]):02d} nhiệm vụ {names[f]}" for f in (*ROUTINE, "continuous") if counts.get(f, 0)
        )
        out.append(para(f"- Tiếp tục thực hiện {kinds} theo Kế hoạch.", style="item"))
    if not listed and routine.empty:
        out.append(para(Blank("nhiệm vụ trọng tâm kỳ tới")))
    return out


def _proposals(frame: pd.DataFrame) -> list[model.Paragraph]:
    out = [para("V. ĐỀ XUẤT, KIẾN NGHỊ", style="heading")]
    blocked = frame[frame["category"] == "blocked"]
    if blocked.empty:
        return [
            *out,
            para(
                "Trong kỳ, các đơn vị không báo cáo vướng mắc cần kiến nghị. ",
                Blank("đề xuất, kiến nghị khác (nếu có)"),
            ),
        ]
    for task in blocked.itertuples(index=False):
        cause = task.cause or "đơn vị chưa nêu nguyên nhân"
        out.append(
            para(
                f"- Nhiệm vụ {task.task_id} ({task.unit_name}) gặp vướng mắc: {cause.rstrip('.')}. Kiến nghị: ",
                Blank("nội dung đề xuất với UBND tỉnh, Sở Nội vụ"),
                style="item",
            )
        )
    return out


def build(ds: Dataset, docs: DocumentData, agency_id: str, period: periods.Period, as_of: dt.date) -> model.Document:
    """The draft report of ``period`` for the agency, with figures as of ``as_of``."""
    letterhead = docs.letterhead_for(agency_id)
    short_name = str(ds.agencies.set_index("agency_id").at[agency_id, "short_name"])
    frame = status.task_statuses(ds, agency_id, period, as_of)
    results_years = [y for y in ds.result_years if y < period.year]
    if not results_years:
        raise CchcParameterError(f"Chưa có kết quả Chỉ số CCHC nào trước năm {period.year} để đối chiếu")
    res = figures.year_results(ds, agency_id, results_years[-1])
    phrase = period_phrase(period)
    fine, due = status.no_action_share(frame)
    body: list[model.Paragraph] = []
    body.append(
        para(
            f"Thực hiện Kế hoạch thực hiện nhiệm vụ, giải pháp trọng tâm nhằm cải thiện và nâng cao Chỉ số cải cách "
            f"hành chính năm {period.year}, {short_name} báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính (CCHC) "
            f"{phrase} (số liệu đến ngày {fmt.date(as_of)}) như sau:"
        )
    )
    provenance = figures.weakest(*[p for p in frame["progress_provenance"] if p])
    if provenance == "illustrative":
        body.append(
            para(
                Note(
                    "Lưu ý dự thảo: tiến độ nhiệm vụ trong dữ liệu là số liệu minh hoạ, không phải báo cáo thật của "
                    "các đơn vị; thay bằng số liệu cập nhật của các đơn vị trước khi trình ký"
                ),
                style="note",
            )
        )
    body.append(para("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", style="heading"))
    body.append(
        para(
            f"Lãnh đạo {short_name} chỉ đạo các đơn vị triển khai {len(frame):02d} nhiệm vụ của Kế hoạch năm "
            f"{period.year}, trong đó {int(frame['sub_criteria'].map(bool).sum()):02d} nhiệm vụ khắc phục các tiêu chí "
            f"thành phần bị trừ điểm năm {res.year}. ",
            Blank(
                "các văn bản chỉ đạo, điều hành CCHC đã ban hành trong kỳ (số, ngày, trích yếu) và công tác kiểm tra"
            ),
        )
    )
    body.append(para("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", style="heading"))
    body.append(para("1. Kết quả chung", style="subheading"))
    late_note: tuple[model.Part, ...] = ()
    if (frame["category"] == "done_late").any():
        late_note = (
            " ",
            Note(
                "“chậm so với thời hạn” được xác định theo ngày của báo cáo tiến độ đầu tiên ghi hoàn thành; "
                "cần đối chiếu ngày hoàn thành thực tế"
            ),
        )
    body.append(
        para(
            f"Kế hoạch có {len(frame):02d} nhiệm vụ. Đến ngày {fmt.date(as_of)}: {_count_sentence(frame)}.", *late_note
        )
    )
    if due:
        body.append(
            para(
                f"Số nhiệm vụ không cần xử lý thêm (đã hoàn thành, hoặc chưa đến hạn và đang đúng tiến độ): "
                f"{fine}/{due} nhiệm vụ "
                f"({fmt.percent(fine / due, 0)}). {_recurring_sentence(frame)}".strip()
            )
        )
    body += _results_by_field(ds, frame, period.year)
    body += _lost_section(frame, res)
    body.append(para("III. ĐÁNH GIÁ CHUNG", style="heading"))
    done = int(frame["category"].isin(["done", "done_late"]).sum())
    late = int(frame["category"].isin(["overdue", "blocked", "no_update"]).sum())
    body.append(para("1. Ưu điểm", style="subheading"))
    body.append(para(f"Đã hoàn thành {done:02d}/{len(frame):02d} nhiệm vụ của Kế hoạch. ", Blank("đánh giá ưu điểm")))
    body.append(para("2. Hạn chế", style="subheading"))
    body.append(
        para(
            f"Còn {late:02d} nhiệm vụ quá hạn, gặp vướng mắc hoặc chưa có báo cáo tiến độ. ", Blank("đánh giá hạn chế")
        )
    )
    body.append(para("3. Nguyên nhân", style="subheading"))
    causes = frame[(frame["category"] == "blocked") & (frame["cause"] != "")]
    for task in causes.itertuples(index=False):
        body.append(
            para(
                f"- {task.unit_name} nêu vướng mắc của nhiệm vụ {task.task_id}: {task.cause.rstrip('.')}.", style="item"
            )
        )
    body.append(para(Blank("nguyên nhân khách quan và chủ quan, do Lãnh đạo đánh giá")))
    body += _priorities(frame, period)
    body += _proposals(frame)
    body.append(para(f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ CCHC {phrase} của {short_name}./."))
    header = model.Header(
        letterhead.parent_body, letterhead.issuer, letterhead.place, f"Số: …/BC-{letterhead.code_suffix}", as_of.year
    )
    return model.Document(
        header=header,
        kind="BÁO CÁO",
        subject=(f"Kết quả thực hiện nhiệm vụ cải cách hành chính {phrase}",),
        body=tuple(body),
        signer_title=letterhead.signer_title,
        signer_name=letterhead.signer_name,
        recipients=tuple(docs.recipients_for(agency_id, "report")) or ("Lưu: VT",),
        metadata={
            "subject": f"Báo cáo CCHC {period.id}",
            "keywords": f"CCHC; {period.id}; {agency_id}",
            "comments": f"Số liệu đến ngày {fmt.date(as_of)}; tiến độ: {provenance or 'không có'}",
        },
    )
