"""Next year's improvement plan, drafted from the previous year's results in the seed's own structure.

Bases (from ``data/documents/bases.csv``) → I. the results of the year (total, change, rank, the fields with
points/maximum/rank, the sub-criteria that lost points and the causes the agency recorded) → II. purpose and
requirements, the targets (overall and per field, from the targets table, or proposed as full marks), the tasks
per field grouped by unit (from the plan table of that year; when the data holds none, carried over from the
previous plan: tasks on sub-criteria still losing points, and recurring duties) → III. organisation (the plan's
section-III tasks: who monitors, the reporting cadence).

The general wording of II.1 (purpose, requirements) is the seed's, with its years as parameters; a province
adapts it in PURPOSES and REQUIREMENTS. Judgements (how leadership directed the work, causes without a record,
an overall target nobody set) are highlighted blanks, never invented.
"""

from __future__ import annotations

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.documents import figures, model
from cchc_analysis.documents.model import Blank, Note, para
from cchc_analysis.documents.sources import DocumentData
from cchc_analysis.domain import scoring, targets
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["LETTERS", "ORGANISATION_REF", "PURPOSES", "REQUIREMENTS", "TARGET_DECIMALS", "build", "plan_tasks"]

#: Points of a field are written with one decimal in a plan's targets (10,5/10,5; 8,0/8,0), as the seed does.
TARGET_DECIMALS = 1
#: Letters of the field sections, as Vietnamese documents enumerate (a, b, c, d, đ, e, g, h, i, k …).
LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n")
ORGANISATION_REF = "III."

PURPOSES = (
    "Khắc phục các tiêu chí, tiêu chí thành phần xác định Chỉ số CCHC bị trừ điểm trong năm {previous}; tiếp tục "
    "phát huy những kết quả đạt được trong thực hiện công tác CCHC năm {previous} nhằm thực hiện tốt công tác CCHC "
    "của cơ quan năm {year}, nâng chỉ số CCHC cao hơn trong năm.",
    "Triển khai đồng bộ và có hiệu quả các mục tiêu, nhiệm vụ trọng tâm được quy định tại Chương trình tổng thể cải "
    "cách hành chính nhà nước giai đoạn 2021 - 2030 của Chính phủ và Kế hoạch cải cách hành chính của tỉnh, góp "
    "phần đạt mục tiêu cải cách hành chính của tỉnh.",
    "Nâng cao nhận thức, trách nhiệm đội ngũ công chức và người lao động trong cơ quan đối với công tác cải cách "
    "hành chính (CCHC); từ đó chủ động tham mưu và triển khai thực hiện hiệu quả, chất lượng các mục tiêu, chỉ "
    "tiêu, nhiệm vụ về công tác CCHC, góp phần cải thiện và nâng cao chỉ số CCHC của tỉnh.",
)
REQUIREMENTS = (
    "Triển khai thực hiện nhiệm vụ CCHC phải bảo đảm nghiêm túc, đầy đủ, hiệu quả, đúng thời gian và bám sát sự chỉ "
    "đạo của UBND tỉnh; đổi mới công tác chỉ đạo, điều hành, tổ chức thực hiện nhiệm vụ CCHC, nhất là nâng cao vai "
    "trò trách nhiệm của người đứng đầu trong chỉ đạo, tổ chức thực hiện các nhiệm vụ về CCHC tại cơ quan.",
    "Các nhiệm vụ CCHC phải được tiến hành đồng bộ, thống nhất, có trọng tâm, trọng điểm, phù hợp với điều kiện "
    "thực tiễn của cơ quan.",
    "Có giải pháp, biện pháp cụ thể nhằm khắc phục những tiêu chí thành phần chưa đạt qua chấm điểm CCHC; chủ động "
    "nghiên cứu, sáng tạo, quyết liệt áp dụng những giải pháp mới để đẩy mạnh công tác CCHC tại cơ quan.",
)


def _n(value: float) -> str:
    return fmt.number(value, TARGET_DECIMALS)


def _illustrative(provenance: str, what: str) -> tuple[model.Paragraph, ...]:
    if provenance != "illustrative":
        return ()
    return (
        para(
            Note(
                f"Lưu ý dự thảo: {what} trong dữ liệu là số liệu minh hoạ, không phải số liệu chính thức; thay bằng "
                "số liệu đã công bố trước khi trình ký"
            ),
            style="note",
        ),
    )


def _bases(docs: DocumentData, agency_id: str, year: int, short_name: str) -> list[model.Paragraph]:
    closing = (
        f", {short_name} xây dựng kế hoạch thực hiện nhiệm vụ, giải pháp trọng tâm nhằm cải thiện và nâng cao chỉ số "
        f"cải cách hành chính (CCHC) năm {year} như sau:"
    )
    bases = docs.bases_for(agency_id, year)
    if bases.empty:
        return [
            para(
                Blank("Căn cứ …: các quyết định, kế hoạch, thông báo kết luận làm căn cứ (số, ngày, cơ quan ban hành)")
            ),
            para(Blank("Trên cơ sở …: cuộc họp đánh giá kết quả Chỉ số CCHC (ngày họp)"), closing.lstrip(",").strip()),
        ]
    rows = list(bases.itertuples(index=False))
    out = [para(f"{row.lead} {row.text};") for row in rows[:-1]]
    out.append(para(f"{rows[-1].lead} {rows[-1].text}{closing}"))
    return out


def _results(ds: Dataset, docs: DocumentData, res: figures.YearResults, short_name: str) -> list[model.Paragraph]:
    year = res.year
    out = [para(f"I. Kết quả đánh giá chỉ số CCHC năm {year}", style="heading")]
    out.append(para("1. Công tác chỉ đạo, điều hành", style="subheading"))
    out.append(
        para(
            Blank(
                f"Đánh giá của Lãnh đạo về công tác chỉ đạo, điều hành CCHC năm {year}: các văn bản đã ban hành, "
                "kết quả nổi bật (nội dung do cơ quan tự đánh giá)"
            )
        )
    )
    out.append(para("2. Kết quả đánh giá, chấm điểm chỉ số CCHC", style="subheading"))
    out.extend(_illustrative(res.provenance, f"kết quả Chỉ số CCHC năm {year}"))
    total = res.total
    sentence = f"Kết quả Chỉ số CCHC năm {year} của {short_name} đạt {fmt.points(total.points, total.max_points)} điểm"
    if res.change is not None:
        if res.change > 0:
            sentence += f", cao hơn so với năm {res.previous_year} là {fmt.number(res.change)} điểm"
        elif res.change < 0:
            sentence += f", thấp hơn so với năm {res.previous_year} là {fmt.number(-res.change)} điểm"
        else:
            sentence += f", bằng năm {res.previous_year}"
    if total.rank is not None:
        sentence += f", xếp vị thứ {fmt.rank(total.rank, total.n_ranked)} cơ quan, đơn vị"
    out.append(para(sentence + f". Cụ thể điểm đánh giá của {len(res.fields):02d} lĩnh vực như sau:"))
    for index, field in enumerate(res.fields, start=1):
        rank = f", xếp vị thứ {fmt.rank(field.rank, field.n_ranked)}" if field.rank is not None else ""
        end = "." if index == len(res.fields) else ";"
        out.append(
            para(f"({index}) {field.name} ({fmt.points(field.points, field.max_points)} điểm{rank}){end}", style="item")
        )
    out.append(para("3. Những tồn tại và nguyên nhân", style="subheading"))
    lost = res.lost
    if lost.empty:
        out.append(para(f"Năm {year}, cơ quan không bị trừ điểm ở tiêu chí thành phần nào của phần thẩm định."))
    else:
        out.append(para(f"Các tiêu chí thành phần bị trừ điểm trong năm {year} ({len(lost):02d} tiêu chí):"))
        by_field = {f.code: f for f in res.fields}
        for code in sorted(lost["field_code"].unique(), key=int):
            rows = lost[lost["field_code"] == code].sort_values("code", key=lambda s: s.map(scoring.code_key))
            field = by_field.get(code)
            head = f"- Lĩnh vực {field.name}" if field else f"- Lĩnh vực {code}"
            if field is not None:
                head += f" (bị trừ {fmt.number(field.max_points - field.points)} điểm)"
            items = "; ".join(f"{r.code}: {r.name}" for r in rows.itertuples(index=False))
            out.append(para(f"{head}: {items};", style="item"))
    causes = docs.causes_for(res.agency_id, year)
    if causes.empty:
        out.append(para(Blank(f"Nguyên nhân bị trừ điểm năm {year}, như cơ quan đã phân tích tại cuộc họp đánh giá")))
    for row in causes.itertuples(index=False):
        out.append(para(f"- {row.cause}", style="item"))
    return out


def _target_sentence(ds: Dataset, agency_id: str, year: int, short_name: str) -> list[model.Part]:
    points = targets.overall_target(ds, agency_id, year, "points")
    rank = targets.overall_target(ds, agency_id, year, "rank")
    parts: list[model.Part] = [f"Năm {year}, phấn đấu cải thiện và nâng cao chỉ số CCHC của {short_name} đạt "]
    if points is None:
        parts.append(Blank("chỉ tiêu tổng điểm do Lãnh đạo quyết định"))
    else:
        word = {">": "trên", ">=": "từ", "<=": "không quá"}[points["comparator"]]
        parts.append(f"{word} {fmt.number(points['value'])}/100 điểm (tính cả điểm điều tra xã hội học)")
    parts.append(", xếp vị thứ ")
    if rank is None:
        parts.append(Blank("chỉ tiêu thứ hạng do Lãnh đạo quyết định"))
    else:
        parts.append(f"trong tốp {int(rank['value'])}/{int(rank['out_of'])} các sở, ban ngành")
    parts.append(".")
    return parts


def _field_target(
    ds: Dataset, agency_id: str, year: int, code: str, field_max: float, full_before: bool
) -> list[model.Part]:
    rows = targets.targets_for(ds, agency_id, year)
    mine = rows[(rows["scope"] == code) & (rows["metric"] == "points")]
    again = "tiếp tục " if full_before else ""
    if mine.empty:
        return [
            f"Phấn đấu {again}đạt chỉ số điểm {_n(field_max)}/{_n(field_max)} điểm. ",
            Note("Chỉ tiêu đề xuất: điểm tối đa của lĩnh vực; dữ liệu chưa có chỉ tiêu đã được Lãnh đạo phê duyệt"),
        ]
    return [f"Phấn đấu {again}đạt chỉ số điểm {_n(mine['value'].iloc[0])}/{_n(field_max)} điểm."]


def _schedule(task) -> list[model.Part]:
    """The deadline or frequency of a task, always as a highlighted proposal: the plan table records them, but
    the seed's text states none, and the data does not say which were decided (its notes call most assumptions)."""
    if task.kind == "one_off":
        if task.due_date is None or pd.isna(task.due_date):
            return [" ", Blank("thời hạn hoàn thành")]
        text = f"thời hạn: {fmt.date(task.due_date)}"
    else:
        from cchc_analysis.ingest.tables import FREQUENCIES

        text = f"thực hiện {FREQUENCIES.get(task.frequency, '')}"
    return [" ", Note(f"đề xuất {text}, cần xác nhận")]


def plan_tasks(ds: Dataset, agency_id: str, year: int, results: figures.YearResults) -> tuple[pd.DataFrame, str]:
    """The tasks of the plan for ``year`` and where they come from: the data's own plan of that year, else a
    carry-over of the latest earlier plan (tasks on sub-criteria still losing points, and recurring duties)."""
    tasks = ds.tasks[ds.tasks["agency_id"] == agency_id].drop(columns=["_file", "_row"])
    units = ds.units.set_index("unit_id")["name"]
    tasks = tasks.assign(unit_name=tasks["unit_id"].map(units))
    tasks["sub_criteria"] = tasks["sub_criteria"].map(lambda c: tuple(c) if isinstance(c, tuple) else ())
    own = tasks[tasks["plan_year"] == int(year)]
    if not own.empty:
        return own.reset_index(drop=True), ""
    earlier = sorted(int(y) for y in tasks["plan_year"].unique() if int(y) < int(year))
    if not earlier:
        return own.reset_index(drop=True), ""
    source = earlier[-1]
    previous = tasks[tasks["plan_year"] == source]
    still_lost = set(results.lost["code"])
    keep = previous["sub_criteria"].map(lambda codes: bool(set(codes) & still_lost)) | (previous["kind"] == "recurring")
    carried = previous[keep].copy()
    carried["sub_criteria"] = carried["sub_criteria"].map(lambda codes: tuple(c for c in codes if c in still_lost))
    carried["due_date"] = None
    carried["provenance"] = "derived"
    return carried.reset_index(drop=True), str(source)


def _tasks_section(
    ds: Dataset, agency_id: str, year: int, res: figures.YearResults, tasks: pd.DataFrame, carried_from: str
) -> list[model.Paragraph]:
    out = [para("2.2. Nhiệm vụ, giải pháp và chỉ tiêu cụ thể", style="subheading")]
    if carried_from:
        out.append(
            para(
                Note(
                    f"Lưu ý dự thảo: dữ liệu chưa có kế hoạch năm {year}; các nhiệm vụ dưới đây chuyển tiếp từ kế "
                    f"hoạch năm {carried_from} (nhiệm vụ định kỳ và nhiệm vụ gắn với tiêu chí còn bị trừ điểm năm "
                    f"{res.year}); Lãnh đạo xem xét, bổ sung"
                ),
                style="note",
            )
        )
    framework = ds.framework_for(year)
    fields = framework[framework["level"] == "field"].sort_values("code", key=lambda s: s.astype(int))
    before = {f.code: f for f in res.fields}
    body = tasks[~tasks["seed_ref"].astype(str).str.startswith(ORGANISATION_REF)]
    for index, field in enumerate(fields.itertuples(index=False)):
        letter = LETTERS[index] if index < len(LETTERS) else f"{index + 1}"
        out.append(para(f"{letter}) {field.name}:", style="subheading"))
        out.append(para(f"{letter}1) Nhiệm vụ và giải pháp:"))
        mine = body[body["field_code"] == field.code]
        for unit in mine["unit_name"].drop_duplicates():
            out.append(para(f"- {unit}:", style="item"))
            for task in mine[mine["unit_name"] == unit].itertuples(index=False):
                text = str(task.description).rstrip()
                out.append(para(f"+ {text.rstrip('.')}", *_schedule(task), ".", style="item"))
        lost_here = res.lost[res.lost["field_code"] == field.code]
        covered = {code for codes in mine["sub_criteria"] for code in codes}
        for item in lost_here.itertuples(index=False):
            if item.code not in covered:
                out.append(
                    para(
                        f"+ Đối với Tiêu chí thành phần “{item.code}: {item.name}” bị trừ điểm trong năm {res.year}: ",
                        Blank("nhiệm vụ khắc phục, đơn vị chủ trì, thời hạn"),
                        style="item",
                    )
                )
        if mine.empty and lost_here.empty:
            out.append(para(Blank("nhiệm vụ, giải pháp của lĩnh vực, đơn vị chủ trì"), style="item"))
        previous = before.get(field.code)
        full_before = previous is not None and abs(previous.points - previous.max_points) < 1e-9
        target = _field_target(ds, agency_id, year, field.code, float(field.max_points), full_before)
        out.append(para(f"{letter}2) Chỉ tiêu cụ thể: ", *target))
    return out


def build(ds: Dataset, docs: DocumentData, agency_id: str, year: int) -> model.Document:
    """The draft plan of ``year`` for the agency, from the results of the latest earlier year with scores."""
    letterhead = docs.letterhead_for(agency_id)
    short_name = str(ds.agencies.set_index("agency_id").at[agency_id, "short_name"])
    results_years = [y for y in ds.result_years if y < int(year)]
    if not results_years:
        from cchc_analysis.errors import CchcParameterError

        raise CchcParameterError(
            f"Chưa có kết quả Chỉ số CCHC của năm nào trước năm {year} để xây dựng kế hoạch; "
            f"các năm có kết quả: {', '.join(map(str, ds.result_years)) or 'không có'}"
        )
    res = figures.year_results(ds, agency_id, results_years[-1])
    ds.framework_for(year)  # the plan's targets and fields need the framework of its year: a clear error otherwise
    tasks, carried_from = plan_tasks(ds, agency_id, year, res)
    body: list[model.Paragraph] = []
    body += _bases(docs, agency_id, year, short_name)
    body += _results(ds, docs, res, short_name)
    body.append(para(f"II. Kế hoạch cải thiện và nâng cao chỉ số CCHC năm {year}", style="heading"))
    body.append(para("1. Mục đích, yêu cầu", style="subheading"))
    body.append(para("1.1. Mục đích", style="subheading"))
    body += [para(f"- {text.format(year=year, previous=res.year)}", style="item") for text in PURPOSES]
    body.append(para("1.2. Yêu cầu", style="subheading"))
    body += [para(f"- {text.format(year=year, previous=res.year)}", style="item") for text in REQUIREMENTS]
    body.append(para("2. Nhiệm vụ, giải pháp trọng tâm", style="subheading"))
    body.append(para("2.1. Nhiệm vụ và chỉ tiêu chung", style="subheading"))
    annual = docs.bases_for(agency_id, year)
    annual = annual[annual["role"] == "annual_plan"]
    if annual.empty:
        body.append(
            para(
                "a) Nhiệm vụ: Tập trung triển khai thực hiện có hiệu quả ",
                Blank("kế hoạch CCHC năm của cơ quan (số, ngày)"),
                ".",
            )
        )
    else:
        body.append(
            para(
                f"a) Nhiệm vụ: Tập trung triển khai thực hiện có hiệu quả {annual['text'].iloc[0]}. Nắm rõ các nội "
                "dung, nhiệm vụ công tác CCHC, nhất là cải cách TTHC để chủ động, linh hoạt, sáng tạo giải quyết những "
                "vấn đề liên quan đến việc thực hiện nhiệm vụ được giao."
            )
        )
    body.append(para("b) Chỉ tiêu: ", *_target_sentence(ds, agency_id, year, short_name)))
    body += _tasks_section(ds, agency_id, year, res, tasks, carried_from)
    body.append(para("III. TỔ CHỨC THỰC HIỆN", style="heading"))
    organisation = tasks[tasks["seed_ref"].astype(str).str.startswith(ORGANISATION_REF)]
    if organisation.empty:
        body.append(para(Blank("đơn vị theo dõi, đôn đốc thực hiện kế hoạch và chế độ báo cáo định kỳ")))
    for number, task in enumerate(organisation.itertuples(index=False), start=1):
        body.append(para(f"{number}. {str(task.description).strip()}"))
    body.append(
        para(
            "Trong quá trình thực hiện Kế hoạch này nếu có vướng mắc phát sinh, các đơn vị kịp thời báo cáo Lãnh đạo "
            "để chỉ đạo, giải quyết./."
        )
    )
    header = model.Header(
        letterhead.parent_body, letterhead.issuer, letterhead.place, f"Số: …/KH-{letterhead.code_suffix}", int(year)
    )
    return model.Document(
        header=header,
        kind="KẾ HOẠCH",
        subject=(
            "Thực hiện nhiệm vụ, giải pháp trọng tâm nhằm cải thiện và nâng cao Chỉ số "
            f"cải cách hành chính năm {year} của {short_name}",
        ),
        body=tuple(body),
        signer_title=letterhead.signer_title,
        signer_name=letterhead.signer_name,
        recipients=tuple(docs.recipients_for(agency_id, "plan")) or ("Lưu: VT",),
        metadata={
            "subject": f"Kế hoạch cải thiện Chỉ số CCHC năm {year}",
            "keywords": f"CCHC; {year}; {agency_id}",
            "comments": f"Dự thảo từ kết quả năm {res.year}; số liệu: {res.provenance}",
        },
    )
