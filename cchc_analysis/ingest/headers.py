"""The Vietnamese names a column header may have instead of its code name.

Offices type headers in Vietnamese, and the units' workbook prints its own ("Mã nhiệm vụ", "% hoàn thành"): a
table whose header says "Mã cơ quan" is the table whose header says ``agency_id``. Headers are compared folded
(case, diacritics, spacing and NFC/NFD do not matter). data/README.md ("Vietnamese column names") lists the same
names, and tests/test_docs.py keeps the two in step.
"""

from __future__ import annotations

from cchc_analysis.ingest.parsing import fold

__all__ = ["ALIASES", "TABLE_ALIASES", "aliases", "header_key"]

#: column -> the Vietnamese headers accepted for it in every table that has the column.
ALIASES: dict[str, tuple[str, ...]] = {
    "agency_id": ("Mã cơ quan",),
    "short_name": ("Tên ngắn", "Tên viết tắt"),
    "provenance": ("Nguồn số liệu", "Nguồn gốc số liệu"),
    "unit_id": ("Mã đơn vị", "Đơn vị chủ trì"),
    "code": ("Mã tiêu chí",),
    "parent_code": ("Mã tiêu chí cha",),
    "level": ("Cấp tiêu chí", "Cấp"),
    "max_points": ("Điểm tối đa",),
    "year": ("Năm", "Năm đánh giá"),
    "self_points": ("Điểm tự đánh giá", "Tự đánh giá"),
    "appraised_points": ("Điểm thẩm định", "Thẩm định"),
    "not_applicable": ("Không áp dụng",),
    "survey_points": ("Điểm điều tra xã hội học", "Điểm điều tra"),
    "survey_max": ("Điểm tối đa điều tra xã hội học", "Điểm tối đa điều tra"),
    "scope": ("Phạm vi",),
    "points": ("Điểm", "Điểm đạt được"),
    "rank": ("Thứ hạng", "Xếp hạng", "Vị thứ"),
    "n_ranked": ("Số cơ quan được xếp hạng", "Số cơ quan xếp hạng"),
    "source": ("Văn bản công bố",),
    "task_id": ("Mã nhiệm vụ",),
    "plan_year": ("Năm kế hoạch", "Năm của kế hoạch"),
    "field_code": ("Mã lĩnh vực", "Lĩnh vực"),
    "description": ("Nội dung nhiệm vụ", "Nhiệm vụ"),
    "sub_criteria": ("Tiêu chí thành phần", "Tiêu chí bị trừ điểm"),
    "kind": ("Loại nhiệm vụ",),
    "frequency": ("Tần suất",),
    "due_date": ("Hạn hoàn thành", "Thời hạn"),
    "seed_ref": ("Vị trí trong kế hoạch",),
    "note": ("Ghi chú",),
    "metric": ("Loại chỉ tiêu",),
    "comparator": ("So sánh",),
    "value": ("Giá trị chỉ tiêu", "Giá trị"),
    "out_of": ("Trên tổng số",),
    "period": ("Kỳ báo cáo", "Kỳ"),
    "status": ("Trạng thái", "Tình trạng"),
    "percent_done": ("% hoàn thành", "Phần trăm hoàn thành", "Tỷ lệ hoàn thành"),
    "updated_on": ("Ngày cập nhật",),
    "occurrence": ("Lần thực hiện", "Mã lần thực hiện"),
    "completed_on": ("Ngày hoàn thành",),
    "blocker": ("Vướng mắc", "Nguyên nhân vướng mắc"),
    "updated_by": ("Người cập nhật",),
    "part": ("Phần việc",),
    "inferred_codes": ("Tiêu chí liên quan suy ra",),
    "schedule_provenance": ("Nguồn của thời hạn",),
    "start_date": ("Ngày bắt đầu",),
    "band_id": ("Mã xếp loại",),
    "label": ("Xếp loại", "Tên xếp loại"),
    "min_share": ("Tỷ lệ tối thiểu",),
    "document": ("Loại văn bản",),
    "position": ("Thứ tự", "STT"),
    "recipient": ("Nơi nhận",),
    "role": ("Vai trò",),
    "lead": ("Từ mở đầu",),
    "text": ("Nội dung căn cứ",),
    "codes": ("Các tiêu chí", "Tiêu chí liên quan"),
    "cause": ("Nguyên nhân",),
    "parent_body": ("Cơ quan chủ quản",),
    "issuer": ("Cơ quan ban hành",),
    "place": ("Địa danh",),
    "code_suffix": ("Ký hiệu cơ quan", "Chữ viết tắt"),
    "signer_title": ("Chức vụ người ký",),
    "signer_name": ("Họ tên người ký", "Người ký"),
}
#: ``name`` means a different thing in each table: (table, column) -> headers.
TABLE_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("agencies", "name"): ("Tên cơ quan", "Tên đầy đủ"),
    ("units", "name"): ("Tên đơn vị",),
    ("framework", "name"): ("Tên tiêu chí", "Nội dung tiêu chí"),
}


def header_key(name: str) -> str:
    """How a header is compared: folded, spaces as underscores ("Mã  Cơ quan" and "ma_co_quan" are alike)."""
    return fold(name).replace(" ", "_")


def aliases(table: str, column: str) -> tuple[str, ...]:
    """The Vietnamese headers accepted for ``column`` of ``table``."""
    return TABLE_ALIASES.get((table, column), ()) + ALIASES.get(column, ())
