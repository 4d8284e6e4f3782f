"""The criteria tree (bộ tiêu chí) used for the embedded data.

Real, from the seed: the seven fields, their maxima (field 7: 11 in 2022,
11,5 in 2023) and the seven sub-criteria the seed names with its wording
(1.2.2, 1.5.1, 2.1.1.1, 3.1.2, 3.1.3, 7.2.1, 7.2.2).

Illustrative: every other criterion and sub-criterion, and every maximum below
field level. They follow the usual shape of a provincial PAR framework for
departments so that each level sums to its parent's maximum; replace them with
the official annex of the province's decision when you have it.

Each entry is (code, Vietnamese name, maximum points). Parent and level follow
from the code: "7" is a field, "7.2" a criterion, "7.2.1" a sub-criterion,
"2.1.1.1" a detail below a sub-criterion.
"""

from __future__ import annotations

# Codes whose names and (field) maxima come from the seed.
SEED_CODES = frozenset(
    {"1", "2", "3", "4", "5", "6", "7", "1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"}
)

FRAMEWORK_2022: tuple[tuple[str, str, float], ...] = (
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", 10.5),
    ("1.1", "Kế hoạch cải cách hành chính năm", 2.0),
    ("1.1.1", "Ban hành kế hoạch cải cách hành chính năm kịp thời, đúng quy định", 0.5),
    ("1.1.2", "Mức độ hoàn thành kế hoạch cải cách hành chính năm", 1.5),
    ("1.2", "Báo cáo cải cách hành chính", 2.0),
    ("1.2.1", "Báo cáo định kỳ về công tác cải cách hành chính", 1.0),
    ("1.2.2", "Báo cáo về kiểm soát TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông", 1.0),
    ("1.3", "Kiểm tra công tác cải cách hành chính", 2.0),
    ("1.3.1", "Mức độ thực hiện kế hoạch kiểm tra cải cách hành chính", 1.0),
    ("1.3.2", "Xử lý các vấn đề phát hiện qua kiểm tra", 1.0),
    ("1.4", "Công tác tuyên truyền cải cách hành chính", 1.5),
    ("1.4.1", "Ban hành kế hoạch tuyên truyền cải cách hành chính", 0.5),
    ("1.4.2", "Mức độ thực hiện kế hoạch tuyên truyền cải cách hành chính", 1.0),
    ("1.5", "Sáng kiến, giải pháp mới trong cải cách hành chính", 1.5),
    ("1.5.1", "Có từ 03 sáng kiến hoặc giải pháp mới trong cải cách hành chính", 1.0),
    ("1.5.2", "Áp dụng sáng kiến, giải pháp mới đã được công nhận", 0.5),
    ("1.6", "Thực hiện nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao", 1.5),
    ("1.6.1", "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn", 1.0),
    ("1.6.2", "Chấp hành kỷ luật, kỷ cương hành chính", 0.5),
    ("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", 6.5),
    ("2.1", "Theo dõi thi hành pháp luật", 2.0),
    ("2.1.1", "Công tác theo dõi tình hình thi hành pháp luật", 2.0),
    ("2.1.1.1", "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật", 0.5),
    ("2.1.1.2", "Mức độ hoàn thành kế hoạch theo dõi tình hình thi hành pháp luật", 1.0),
    ("2.1.1.3", "Xử lý kết quả theo dõi tình hình thi hành pháp luật", 0.5),
    ("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", 2.5),
    ("2.2.1", "Ban hành kế hoạch rà soát, hệ thống hóa văn bản quy phạm pháp luật", 0.5),
    ("2.2.2", "Mức độ hoàn thành kế hoạch rà soát, hệ thống hóa", 1.0),
    ("2.2.3", "Xử lý kết quả rà soát văn bản quy phạm pháp luật", 1.0),
    ("2.3", "Tham mưu xây dựng văn bản quy phạm pháp luật", 2.0),
    ("2.3.1", "Thực hiện đúng trình tự, thủ tục xây dựng văn bản quy phạm pháp luật", 1.0),
    ("2.3.2", "Tỷ lệ văn bản quy phạm pháp luật được tham mưu ban hành đúng tiến độ", 1.0),
    ("3", "Cải cách thủ tục hành chính", 12.5),
    ("3.1", "Rà soát, đánh giá thủ tục hành chính", 3.0),
    ("3.1.1", "Ban hành kế hoạch rà soát, đánh giá TTHC", 0.5),
    ("3.1.2", "Mức độ hoàn thành kế hoạch rà soát, đánh giá TTHC", 1.5),
    ("3.1.3", "Xử lý các vấn đề phát hiện qua rà soát TTHC", 1.0),
    ("3.2", "Công bố, công khai thủ tục hành chính", 3.0),
    ("3.2.1", "Tham mưu công bố TTHC đúng thời hạn quy định", 1.5),
    ("3.2.2", "Công khai TTHC trên Cổng dịch vụ công và Trang thông tin điện tử", 1.5),
    ("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông", 4.5),
    ("3.3.1", "Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn", 2.5),
    ("3.3.2", "Thực hiện việc xin lỗi tổ chức, cá nhân khi giải quyết hồ sơ trễ hạn", 1.0),
    ("3.3.3", "Công khai kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp", 1.0),
    ("3.4", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", 2.0),
    ("3.4.1", "Công khai địa chỉ tiếp nhận phản ánh, kiến nghị", 0.5),
    ("3.4.2", "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn", 1.5),
    ("4", "Cải cách tổ chức bộ máy hành chính", 8.0),
    ("4.1", "Tuân thủ quy định về tổ chức bộ máy", 3.0),
    ("4.1.1", "Thực hiện quy định về cơ cấu tổ chức các phòng", 1.5),
    ("4.1.2", "Kiện toàn tổ chức bộ máy theo quy định", 1.5),
    ("4.2", "Quản lý, sử dụng biên chế", 3.0),
    ("4.2.1", "Sử dụng biên chế được giao đúng quy định", 1.5),
    ("4.2.2", "Thực hiện tinh giản biên chế theo kế hoạch", 1.5),
    ("4.3", "Thực hiện phân cấp, ủy quyền", 2.0),
    ("4.3.1", "Thực hiện các nhiệm vụ được phân cấp, ủy quyền", 1.0),
    ("4.3.2", "Kiểm tra việc thực hiện nhiệm vụ phân cấp, ủy quyền", 1.0),
    ("5", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", 10.0),
    ("5.1", "Vị trí việc làm", 2.0),
    ("5.1.1", "Thực hiện cơ cấu ngạch công chức theo vị trí việc làm", 1.0),
    ("5.1.2", "Bố trí công chức theo đúng vị trí việc làm", 1.0),
    ("5.2", "Tuyển dụng, bổ nhiệm", 2.5),
    ("5.2.1", "Thực hiện quy định về tuyển dụng công chức", 1.0),
    ("5.2.2", "Thực hiện quy định về bổ nhiệm, bổ nhiệm lại", 1.5),
    ("5.3", "Đánh giá, xếp loại công chức", 2.0),
    ("5.3.1", "Thực hiện đánh giá, xếp loại công chức đúng quy định", 1.0),
    ("5.3.2", "Nâng ngạch, thăng hạng công chức đúng quy định", 1.0),
    ("5.4", "Đào tạo, bồi dưỡng", 2.0),
    ("5.4.1", "Ban hành kế hoạch đào tạo, bồi dưỡng", 0.5),
    ("5.4.2", "Mức độ hoàn thành kế hoạch đào tạo, bồi dưỡng", 1.5),
    ("5.5", "Kỷ luật, kỷ cương hành chính", 1.5),
    ("5.5.1", "Thực hiện chuyển đổi vị trí công tác", 0.5),
    ("5.5.2", "Không có công chức bị kỷ luật", 1.0),
    ("6", "Cải cách tài chính công", 8.0),
    ("6.1", "Thực hiện cơ chế tự chủ tài chính", 3.0),
    ("6.1.1", "Ban hành quy chế chi tiêu nội bộ", 1.0),
    ("6.1.2", "Thực hiện cơ chế tự chủ về biên chế và kinh phí quản lý hành chính", 2.0),
    ("6.2", "Giải ngân vốn đầu tư công", 3.0),
    ("6.2.1", "Tỷ lệ giải ngân kế hoạch vốn được giao", 2.0),
    ("6.2.2", "Báo cáo tiến độ giải ngân định kỳ", 1.0),
    ("6.3", "Quản lý, sử dụng tài sản công và công khai ngân sách", 2.0),
    ("6.3.1", "Quản lý, sử dụng tài sản công đúng quy định", 1.0),
    ("6.3.2", "Công khai dự toán, quyết toán ngân sách", 1.0),
    ("7", "Hiện đại hoá hành chính", 11.0),
    ("7.1", "Ứng dụng công nghệ thông tin", 3.0),
    ("7.1.1", "Ban hành kế hoạch ứng dụng công nghệ thông tin", 0.5),
    ("7.1.2", "Xử lý văn bản, hồ sơ công việc trên môi trường mạng", 1.5),
    ("7.1.3", "Bảo đảm an toàn, an ninh thông tin", 1.0),
    ("7.2", "Cung cấp dịch vụ công trực tuyến", 4.0),
    ("7.2.1", "Số TTHC cung cấp trực tuyến mức độ 3, 4 có phát sinh hồ sơ", 1.5),
    ("7.2.2", "Tỷ lệ hồ sơ TTHC được giải quyết trực tuyến mức độ 3 và 4", 1.0),
    ("7.2.3", "Tiếp nhận, trả kết quả qua dịch vụ bưu chính công ích", 1.5),
    ("7.3", "Áp dụng hệ thống quản lý chất lượng ISO 9001:2015", 2.0),
    ("7.3.1", "Công bố hệ thống quản lý chất lượng phù hợp tiêu chuẩn", 1.0),
    ("7.3.2", "Duy trì, cải tiến hệ thống quản lý chất lượng", 1.0),
    ("7.4", "Trang thông tin điện tử", 2.0),
    ("7.4.1", "Cập nhật thông tin trên Trang thông tin điện tử", 1.0),
    ("7.4.2", "Cung cấp dữ liệu mở", 1.0),
)

# 2023: field 7 becomes "xây dựng chính quyền điện tử, chính quyền số" and grows
# from 11 to 11,5 (real). Illustrative: 7.2.3 is replaced by 7.2.4 with the
# same maximum, and a new criterion 7.5 (0,5) scores the digital
# transformation index (DTI), which the seed's plan (g1) prepares for.
_RENAMED_2023 = {"7": ("Xây dựng và phát triển chính quyền điện tử, chính quyền số", 11.5)}
_REMOVED_2023 = {"7.2.3"}
_ADDED_2023: tuple[tuple[str, str, float], ...] = (
    ("7.2.4", "Tỷ lệ TTHC được tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia", 1.5),
    ("7.5", "Chuyển đổi số", 0.5),
    ("7.5.1", "Triển khai Bộ chỉ số đánh giá chuyển đổi số (DTI)", 0.5),
)


def _framework_2023() -> tuple[tuple[str, str, float], ...]:
    rows = []
    for code, name, maximum in FRAMEWORK_2022:
        if code in _REMOVED_2023:
            continue
        name, maximum = _RENAMED_2023.get(code, (name, maximum))
        rows.append((code, name, maximum))
    rows.extend(_ADDED_2023)
    return tuple(sorted(rows, key=lambda row: tuple(int(part) for part in row[0].split("."))))


FRAMEWORK_2023 = _framework_2023()

# 2021 is illustrative: the same tree as 2022.
FRAMEWORKS: dict[int, tuple[tuple[str, str, float], ...]] = {
    2021: FRAMEWORK_2022,
    2022: FRAMEWORK_2022,
    2023: FRAMEWORK_2023,
}
