"""The real figures of the seed document, in one place, with where the seed states them.

Seed: "Kế hoạch thực hiện nhiệm vụ, giải pháp trọng tâm nhằm cải thiện và nâng
cao Chỉ số cải cách hành chính năm 2023 của Ban Dân tộc tỉnh" (Quảng Ngãi).
The generator writes these into data/ as rows with provenance "official";
tests read them back from data/ and compare them with literals typed from the
seed, so this module is not the tests' source of truth.
"""

from __future__ import annotations

AGENCY_ID = "ban-dan-toc"
AGENCY_NAME = "Ban Dân tộc tỉnh Quảng Ngãi"
AGENCY_SHORT_NAME = "Ban Dân tộc tỉnh"
N_AGENCIES = 20  # "xếp vị trí thứ 13/20 cơ quan, đơn vị"

# I.2: "điểm trung bình đạt 82,91/100 điểm, cao hơn so với năm 2021 là 4,18 điểm,
# xếp vị trí thứ 13/20". Decision 1832/QĐ-UBND of 30/12/2022 published them.
TOTAL_2022 = 82.91
CHANGE_FROM_2021 = 4.18
TOTAL_2021 = round(TOTAL_2022 - CHANGE_FROM_2021, 2)  # 78,73, implied by the seed
RANK_2022 = 13
PUBLISHED_SOURCE_2022 = "Quyết định số 1832/QĐ-UBND ngày 30/12/2022 (theo Kế hoạch của Ban Dân tộc tỉnh)"
PUBLISHED_SOURCE_2021 = "Suy ra từ Kế hoạch của Ban Dân tộc tỉnh: 82,91 − 4,18"

# I.2, the seven fields as (points, maximum, rank), keyed by field code.
FIELDS_2022: dict[str, tuple[float, float, int]] = {
    "1": (9.5, 10.5, 7),  # (3) Công tác chỉ đạo điều hành
    "2": (6.0, 6.5, 19),  # (4) Xây dựng và thực hiện văn bản QPPL
    "3": (11.5, 12.5, 13),  # (1) Cải cách thủ tục hành chính
    "4": (8.0, 8.0, 1),  # (6) Cải cách tổ chức bộ máy
    "5": (10.0, 10.0, 1),  # (2) Xây dựng và nâng cao chất lượng đội ngũ CCVC
    "6": (8.0, 8.0, 1),  # (5) Cải cách tài chính công
    "7": (8.5, 11.0, 19),  # (7) Hiện đại hoá hành chính
}

# I.3 and II.2: the sub-criteria that lost points in 2022 ("bị trừ điểm trong năm 2022").
# The seed gives the points lost per field (above); how a field's loss splits
# between its two named sub-criteria is an assumption of the embedded data.
LOST_2022: dict[str, float] = {
    "1.2.2": 0.5,
    "1.5.1": 0.5,
    "2.1.1.1": 0.5,
    "3.1.2": 0.5,
    "3.1.3": 0.5,
    "7.2.1": 1.5,  # no online application by the scoring date (I.3)
    "7.2.2": 1.0,
}

# II.2.1 b: "đạt trên 85/100 điểm (tính cả điểm điều tra xã hội học), xếp vị thứ
# trong tốp 10/20 các sở, ban ngành"; a2 … g2: the per-field targets.
TARGET_YEAR = 2023
TARGET_TOTAL = 85.0  # strictly above
TARGET_RANK = 10  # or better
TARGET_FIELDS: dict[str, float] = {
    "1": 10.5,
    "2": 6.5,
    "3": 12.5,
    "4": 8.0,
    "5": 10.0,
    "6": 8.0,
    "7": 11.5,
}

# Units of the agency named by the plan.
UNITS: dict[str, str] = {
    "van-phong": "Văn phòng Ban",
    "thanh-tra": "Thanh tra Ban",
    "cac-phong": "Các phòng thuộc Ban",
}
