"""The contract of every data table: the vocabularies of the coded columns, and one TableSpec per table.

These specs are the documentation's source too: data/README.md describes the same columns, and
tests/test_docs.py checks that it does.

Why this module is long: it is the one place that declares every table (one spec each, with its vocabularies);
splitting the specs would scatter the contract that data/README.md and the loader read as a whole.
"""

from __future__ import annotations

from cchc_analysis.ingest.contracts import (
    Column,
    TableSpec,
    boolean,
    choice,
    code,
    date,
    ident,
    integer,
    number,
    parse_codes,
    parse_occurrence,
    parse_period,
    text,
    year,
)

__all__ = [
    "AGENCIES",
    "BANDS",
    "BASIS_ROLES",
    "COMPARATORS",
    "DOCUMENT_KINDS",
    "DOCUMENT_TABLES",
    "FRAMEWORK",
    "FREQUENCIES",
    "LETTERHEAD",
    "LEVELS",
    "LOSS_CAUSES",
    "METRICS",
    "PLANS",
    "PLAN_BASES",
    "PROGRESS",
    "PROVENANCE",
    "PUBLISHED",
    "RECIPIENTS",
    "REPORTED_STATUSES",
    "SCORES",
    "SURVEY",
    "TABLES",
    "TARGETS",
    "TASKS",
    "TASK_KINDS",
    "UNITS",
    "provenance",
]

PROVENANCE = {
    "official": "chính thức",
    "derived": "suy ra từ số liệu chính thức",
    "illustrative": "minh hoạ",
}
LEVELS = {
    "field": "lĩnh vực",
    "criterion": "tiêu chí",
    "sub_criterion": "tiêu chí thành phần",
    "detail": "nội dung chi tiết",
}
TASK_KINDS = {"one_off": "một lần", "recurring": "định kỳ", "continuous": "thường xuyên"}
FREQUENCIES = {
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "six_monthly": "sáu tháng",
    "yearly": "hằng năm",
}
REPORTED_STATUSES = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "blocked": "Gặp vướng mắc",
    "not_applicable": "Không áp dụng",
}
METRICS = {"points": "điểm", "rank": "thứ hạng"}
COMPARATORS = {">": "lớn hơn", ">=": "lớn hơn hoặc bằng", "<=": "nhỏ hơn hoặc bằng"}


def provenance() -> Column:
    return choice("provenance", PROVENANCE, "Nguồn: official (chính thức), derived (suy ra), illustrative (minh hoạ)")


# ---------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------

AGENCIES = TableSpec(
    "agencies",
    "agencies",
    "cơ quan",
    (
        ident("agency_id", "Mã cơ quan dùng trong tên tệp, ví dụ ban-dan-toc"),
        text("name", "Tên đầy đủ của cơ quan"),
        text("short_name", "Tên ngắn dùng trên biểu đồ"),
        provenance(),
    ),
    ("agency_id",),
)

UNITS = TableSpec(
    "units",
    "units",
    "đơn vị thuộc cơ quan",
    (
        ident("unit_id", "Mã đơn vị, ví dụ van-phong"),
        text("name", "Tên đơn vị, ví dụ Văn phòng Ban"),
        provenance(),
    ),
    ("unit_id",),
)

FRAMEWORK = TableSpec(
    "framework",
    "framework/*",
    "bộ tiêu chí",
    (
        code("code", "Mã tiêu chí, ví dụ 1.2.2"),
        code("parent_code", "Mã tiêu chí cha; để trống với lĩnh vực", required=False),
        choice("level", LEVELS, "Cấp: field, criterion, sub_criterion hoặc detail"),
        text("name", "Tên tiêu chí bằng tiếng Việt"),
        number("max_points", "Điểm tối đa, ví dụ 1,5"),
        provenance(),
    ),
    ("code",),
    extra_key_from_path="year",
    notes="Một tệp cho mỗi năm: framework/2022.csv, framework/2023.csv, …",
)

SCORES = TableSpec(
    "scores",
    "results/scores",
    "điểm theo tiêu chí",
    (
        ident("agency_id", "Mã cơ quan (xem agencies)"),
        year(),
        code("code", "Mã tiêu chí lá trong bộ tiêu chí của năm (không có tiêu chí con)"),
        number("self_points", "Điểm tự đánh giá; để trống nếu không có", required=False),
        number("appraised_points", "Điểm thẩm định (điểm chính thức)", required=False),
        boolean("not_applicable", "Không áp dụng (có/không): tiêu chí bị loại khỏi điểm tối đa của cơ quan"),
        provenance(),
    ),
    ("agency_id", "year", "code"),
)

SURVEY = TableSpec(
    "survey",
    "results/survey",
    "điểm điều tra xã hội học",
    (
        ident("agency_id", "Mã cơ quan"),
        year(),
        number("survey_points", "Điểm điều tra xã hội học đạt được"),
        number("survey_max", "Điểm tối đa của phần điều tra xã hội học"),
        provenance(),
    ),
    ("agency_id", "year"),
)

PUBLISHED = TableSpec(
    "published",
    "results/published",
    "kết quả đã công bố",
    (
        ident("agency_id", "Mã cơ quan"),
        year(),
        text("scope", "total (tổng điểm) hoặc mã lĩnh vực 1…7"),
        number("points", "Điểm đã công bố (tổng: chỉ số trên thang 100)"),
        number("max_points", "Điểm tối đa đã công bố"),
        integer("rank", "Thứ hạng đã công bố; để trống nếu không công bố", low=1, required=False),
        integer("n_ranked", "Số cơ quan được xếp hạng; để trống nếu không công bố", low=1, required=False),
        text("source", "Văn bản công bố", required=False),
        provenance(),
    ),
    ("agency_id", "year", "scope"),
)

TASKS = TableSpec(
    "tasks",
    "plan/tasks",
    "nhiệm vụ của kế hoạch",
    (
        text("task_id", "Mã nhiệm vụ, ví dụ T1-01"),
        ident("agency_id", "Mã cơ quan thực hiện kế hoạch"),
        year("plan_year", "Năm của kế hoạch"),
        code("field_code", "Mã lĩnh vực 1…7"),
        ident("unit_id", "Đơn vị chủ trì (xem units)"),
        text("description", "Nội dung nhiệm vụ (nguyên văn gạch đầu dòng của kế hoạch)"),
        text("part", "Phần việc riêng mà dòng này theo dõi, khi gạch đầu dòng gồm nhiều việc", required=False),
        Column(
            "sub_criteria",
            parse_codes,
            "Các tiêu chí thành phần mà gạch đầu dòng nêu mã, cách nhau bởi dấu ;",
            False,
            "object",
        ),
        Column(
            "inferred_codes",
            parse_codes,
            "Các tiêu chí thành phần khác mà nhiệm vụ phục vụ (suy ra, ghi lý do ở note), cách nhau bởi dấu ;",
            False,
            "object",
        ),
        choice(
            "kind",
            TASK_KINDS,
            "one_off (một lần, có hạn), recurring (định kỳ, có tần suất) hoặc continuous (thường xuyên)",
        ),
        choice(
            "frequency", FREQUENCIES, "Với nhiệm vụ định kỳ: monthly, quarterly, six_monthly, yearly", required=False
        ),
        date("due_date", "Hạn hoàn thành (dd/mm/yyyy) với nhiệm vụ một lần", required=False),
        choice(
            "schedule_provenance",
            PROVENANCE,
            "Nguồn của hạn hoặc tần suất: official (Kế hoạch nêu), derived (suy ra), illustrative (giả định); "
            "để trống là như cột provenance",
            required=False,
        ),
        text("seed_ref", "Vị trí trong văn bản kế hoạch, ví dụ II.2.a1"),
        text("note", "Ghi chú (giả định, nguồn)", required=False),
        provenance(),
    ),
    ("task_id",),
)

TARGETS = TableSpec(
    "targets",
    "plan/targets",
    "chỉ tiêu",
    (
        ident("agency_id", "Mã cơ quan"),
        year(),
        text("scope", "total (tổng điểm) hoặc mã lĩnh vực 1…7"),
        choice("metric", METRICS, "points (điểm) hoặc rank (thứ hạng)"),
        choice("comparator", COMPARATORS, "> (trên), >= (đạt ít nhất) hoặc <= (thứ hạng không thấp hơn)"),
        number("value", "Giá trị chỉ tiêu, ví dụ 85 hoặc 10"),
        integer("out_of", "Với thứ hạng: số cơ quan được xếp hạng", low=1, required=False),
        provenance(),
    ),
    ("agency_id", "year", "scope", "metric"),
)

PLANS = TableSpec(
    "plans",
    "plan/plans",
    "kế hoạch",
    (
        ident("agency_id", "Mã cơ quan có kế hoạch"),
        year("plan_year", "Năm của kế hoạch"),
        text("title", "Tên kế hoạch"),
        date("start_date", "Ngày bắt đầu thực hiện kế hoạch (dd/mm/yyyy): không nhiệm vụ nào đến hạn trước ngày này"),
        text("note", "Căn cứ của ngày bắt đầu", required=False),
        provenance(),
    ),
    ("agency_id", "plan_year"),
)


def _old_progress(header: set[str]) -> str | None:
    """The progress table before per-occurrence tracking had one row per task and quarter."""
    if "occurrence" in header or "period" not in header:
        return None
    return (
        "bảng tiến độ theo mẫu cũ (một dòng cho mỗi nhiệm vụ và quý, một phần trăm cho cả nhiệm vụ định kỳ); "
        "nay tiến độ ghi cho từng lần thực hiện: cần thêm các cột occurrence (lần thực hiện, ví dụ 2023-M04, "
        "2023-Q2, once), completed_on (ngày hoàn thành), blocker (vướng mắc) và updated_by (người cập nhật); "
        "percent_done chỉ ghi cho nhiệm vụ một lần, hằng năm hoặc sáu tháng. Xem data/README.md"
    )


PROGRESS = TableSpec(
    "progress",
    "progress/progress",
    "tiến độ nhiệm vụ",
    (
        text("task_id", "Mã nhiệm vụ (xem plan/tasks)"),
        Column(
            "occurrence",
            parse_occurrence,
            "Lần thực hiện: once (nhiệm vụ một lần), 2023 (hằng năm), 2023-H1, 2023-Q2 (hằng quý, thường xuyên), "
            "2023-M04 (hằng tháng)",
        ),
        Column("period", parse_period, "Quý của lần cập nhật: 2023-Q1 … 2023-Q4"),
        choice(
            "status",
            REPORTED_STATUSES,
            "not_started, in_progress, done, blocked hoặc not_applicable (hoặc nhãn tiếng Việt)",
        ),
        number(
            "percent_done",
            "Phần trăm hoàn thành, từ 0 đến 100 (nhiệm vụ một lần, hằng năm, sáu tháng)",
            low=0,
            high=100,
            required=False,
        ),
        date("completed_on", "Ngày hoàn thành (dd/mm/yyyy), bắt buộc khi đã hoàn thành", required=False),
        text("blocker", "Vướng mắc và nguyên nhân, bắt buộc khi gặp vướng mắc", required=False),
        date("updated_on", "Ngày cập nhật (dd/mm/yyyy)"),
        text("updated_by", "Người hoặc đơn vị cập nhật", required=False),
        text("note", "Ghi chú của đơn vị", required=False),
        provenance(),
    ),
    ("task_id", "occurrence", "period"),
    min_rows=0,
    legacy=_old_progress,
)

BANDS = TableSpec(
    "bands",
    "config/bands",
    "ngưỡng xếp loại",
    (
        year(),
        ident("band_id", "Mã xếp loại, ví dụ tot"),
        text("label", "Tên xếp loại, ví dụ Tốt"),
        number("min_share", "Tỷ lệ tối thiểu so với điểm tối đa, từ 0 đến 1 (ví dụ 0,9)", low=0, high=1),
        provenance(),
    ),
    ("year", "band_id"),
)

TABLES: tuple[TableSpec, ...] = (
    AGENCIES,
    UNITS,
    FRAMEWORK,
    SCORES,
    SURVEY,
    PUBLISHED,
    PLANS,
    TASKS,
    TARGETS,
    PROGRESS,
    BANDS,
)

# ---------------------------------------------------------------------------
# The tables the drafted documents read (cchc_analysis.documents loads them; not part of the Dataset)
# ---------------------------------------------------------------------------

DOCUMENT_KINDS = {"report": "báo cáo", "plan": "kế hoạch"}
BASIS_ROLES = {
    "legal": "văn bản làm căn cứ",
    "results": "quyết định công bố kết quả Chỉ số CCHC",
    "annual_plan": "kế hoạch CCHC năm của cơ quan",
    "instruction": "văn bản chỉ đạo thực hiện",
    "meeting": "cuộc họp của cơ quan",
}

LETTERHEAD = TableSpec(
    "letterhead",
    "documents/letterhead",
    "thông tin trình bày văn bản",
    (
        ident("agency_id", "Mã cơ quan ban hành (xem agencies)"),
        text("parent_body", "Cơ quan chủ quản, ví dụ UBND tỉnh Quảng Ngãi"),
        text("issuer", "Tên cơ quan ban hành trên văn bản, ví dụ Ban Dân tộc"),
        text("place", "Địa danh ghi ở dòng ngày tháng, ví dụ Quảng Ngãi"),
        text("code_suffix", "Chữ viết tắt tên cơ quan trong số ký hiệu, ví dụ BDT (…/KH-BDT)"),
        text("signer_title", "Chức vụ người ký, ví dụ Trưởng Ban"),
        text("signer_name", "Họ tên người ký; để trống thì dự thảo để chỗ trống cần điền", required=False),
        provenance(),
    ),
    ("agency_id",),
)

RECIPIENTS = TableSpec(
    "recipients",
    "documents/recipients",
    "nơi nhận văn bản",
    (
        ident("agency_id", "Mã cơ quan ban hành"),
        choice("document", DOCUMENT_KINDS, "Loại văn bản: report (báo cáo) hoặc plan (kế hoạch)"),
        integer("position", "Thứ tự trong mục Nơi nhận", low=1),
        text("recipient", "Nơi nhận, ví dụ Sở Nội vụ hoặc Lưu: VT, VP"),
        provenance(),
    ),
    ("agency_id", "document", "position"),
)

PLAN_BASES = TableSpec(
    "plan_bases",
    "documents/bases",
    "căn cứ của kế hoạch",
    (
        ident("agency_id", "Mã cơ quan ban hành kế hoạch"),
        year("plan_year", "Năm của kế hoạch"),
        integer("position", "Thứ tự căn cứ trong kế hoạch", low=1),
        choice("role", BASIS_ROLES, "Vai trò: legal, results, annual_plan, instruction hoặc meeting"),
        text("lead", "Từ mở đầu: Căn cứ, Thực hiện, Trên cơ sở"),
        text("text", "Văn bản hoặc sự kiện, có số, ngày và cơ quan ban hành"),
        provenance(),
    ),
    ("agency_id", "plan_year", "position"),
)

LOSS_CAUSES = TableSpec(
    "loss_causes",
    "documents/loss_causes",
    "nguyên nhân bị trừ điểm",
    (
        ident("agency_id", "Mã cơ quan"),
        year(),
        Column(
            "codes",
            parse_codes,
            "Các tiêu chí thành phần liên quan, cách nhau bởi dấu ; (để trống nếu là nguyên nhân chung)",
            False,
            "object",
        ),
        text("cause", "Nguyên nhân như cơ quan đã ghi nhận"),
        provenance(),
    ),
    (),
    min_rows=0,
)

DOCUMENT_TABLES: tuple[TableSpec, ...] = (LETTERHEAD, RECIPIENTS, PLAN_BASES, LOSS_CAUSES)
