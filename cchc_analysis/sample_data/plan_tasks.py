"""The tasks of the agency's 2023 PAR-index improvement plan, one per bullet.

Source: the plan "Kế hoạch thực hiện nhiệm vụ, giải pháp trọng tâm nhằm cải
thiện và nâng cao Chỉ số cải cách hành chính năm 2023 của Ban Dân tộc tỉnh"
(Ban Dân tộc tỉnh Quảng Ngãi, drawn up after the review meeting of
22/02/2023). Transcribed are:

* section II, point 2.2 ("Nhiệm vụ, giải pháp và chỉ tiêu cụ thể"), the
  "Nhiệm vụ và giải pháp" part of each of its seven sub-sections a, b, c, d,
  đ, e, g: every "+" bullet under "- Văn phòng Ban:", "- Thanh tra Ban:",
  "- Các phòng thuộc Ban:" and "- Văn phòng Ban tham mưu:", the two bullets
  of d1 that have no unit heading, and the paragraph under a1 "- Các phòng
  thuộc Ban:" that has no "+" (it is a task too). The "Chỉ tiêu cụ thể"
  lines (a2, b2, ...) are targets, not tasks, and are left out;
* section III ("Tổ chức thực hiện"), items 1 and 2. The closing unnumbered
  sentence of III (report difficulties to the leadership via Văn phòng Ban)
  is a standing instruction, not a task, and is left out.

Conventions
-----------
* ``task_id`` is "T<field>-<nn>", numbered in seed order within the field.
  Section III belongs to field 1 (chỉ đạo điều hành) and follows the a1
  bullets, so it gets T1-07 and T1-08.
* ``seed_ref`` is "II.2.<sub-section><1>" (e.g. "II.2.a1", "II.2.đ1": the
  seed's own labels under II.2.2) or "III.1" / "III.2".
* ``unit`` is "van-phong" (Văn phòng Ban; also "Văn phòng Ban tham mưu" in
  e1), "thanh-tra" (Thanh tra Ban) or "cac-phong" (Các phòng thuộc Ban). d1
  names no unit; the unit given there is our assignment
  (``unit_from_seed=False``) and the note says why.
* ``description`` is the seed's Vietnamese text of the bullet without the
  leading "+", line breaks joined and whitespace normalised (also around the
  quotation marks of the sub-criteria). The only wording fix is the PDF
  extraction typo "nhắc nhỡ" -> "nhắc nhở". Possible slips of the original
  document itself ("thuộc phạm quản lý", "Phòng Chính Dân tộc", "Bộ chỉ số
  đánh giá chuyển đổi (DTI)") are kept as written.
* ``sub_criteria`` holds exactly the sub-criterion codes a bullet names; the
  seed names seven (1.2.2, 1.5.1, 2.1.1.1, 3.1.2, 3.1.3, 7.2.1, 7.2.2), each in
  one bullet only, and the 3.1.2/3.1.3 bullet names both.
* ``kind`` / ``frequency`` / ``due_date``: the seed gives no calendar date for
  any task, so every ``due_date`` is an illustrative assumption
  (``due_date_from_seed`` is always False) and the seed states a frequency only
  in e1 ("định kỳ hàng tháng") and III.2 ("định kỳ hằng quý, sáu tháng và
  hằng năm"). The rules applied, consistently:

  - "thường xuyên", "tiếp tục", continuous monitoring, following-up or
    handling as cases arise -> recurring, "monthly";
  - "định kỳ" with no period, and reports to the province (CCHC, kiểm soát
    TTHC, đội ngũ, tài chính công) -> recurring, "quarterly" (the quarterly
    cycle of III.2);
  - duties tied to the budget/appraisal year or an annual review (đánh giá,
    xếp loại công chức; chế độ tự chủ; ISO 9001 maintenance; rà soát văn bản
    CNTT; báo cáo theo dõi thi hành pháp luật; đề xuất xây dựng VBQPPL)
    -> recurring, "yearly";
  - plans and one-time deliverables ("xây dựng/ban hành kế hoạch",
    "đăng ký", "bổ nhiệm", "niêm yết") -> one_off. Plans are due in Q1
    (2023-03-31), the plans on theo dõi thi hành pháp luật (sub-criterion
    2.1.1.1) early (2023-02-28), registrations 2023-06-30 (training needs
    2023-03-15, ahead of the training plan), year-end deliverables
    2023-11-30 (before the index is scored). A bullet that mixes an ongoing
    duty with a named plan is classified by the plan, except e1's
    disbursement bullet whose monthly report the seed states explicitly.

  ``note`` (Vietnamese) gives the reason wherever a choice is an assumption.

This module is sample data: it holds no logic beyond a self-check run with
``python -m cchc_analysis.sample_data.plan_tasks``.

Why this module is long: it is data (the seed's 44 tasks transcribed), not logic; it becomes a data file.
"""

from __future__ import annotations

from typing import NamedTuple


class TaskSpec(NamedTuple):
    task_id: str  # "T<field>-<nn>", numbered in seed order within the field, e.g. "T1-01"
    seed_ref: str  # where in the seed: e.g. "II.2.a1", "II.2.đ1", "III.2"
    field_code: str  # "1".."7" (a=1, b=2, c=3, d=4, đ=5, e=6, g=7; section III belongs to field 1)
    unit: str  # "van-phong", "thanh-tra" or "cac-phong"
    unit_from_seed: bool  # False where the seed names no unit (d1) and the unit is assigned
    description: str  # the Vietnamese text of the bullet, faithful to the seed
    sub_criteria: tuple[str, ...]  # the sub-criterion codes the bullet names, else ()
    kind: str  # "one_off" or "recurring"
    frequency: str  # recurring: "monthly", "quarterly", "six_monthly" or "yearly"; "" for one_off
    due_date: str  # ISO yyyy-mm-dd for one_off tasks (within 2023), "" for recurring
    due_date_from_seed: bool  # True only if the seed itself states the date/deadline
    note: str  # Vietnamese: why kind/frequency/due date/unit were chosen when assumed


UNITS: tuple[str, ...] = ("van-phong", "thanh-tra", "cac-phong")
KINDS: tuple[str, ...] = ("one_off", "recurring")
FREQUENCIES: tuple[str, ...] = ("monthly", "quarterly", "six_monthly", "yearly")

_ASSUMED_DATE = "Hạn hoàn thành là giả định minh hoạ"

TASKS: tuple[TaskSpec, ...] = (
    # ------------------------------------------------------------------
    # a) Công tác chỉ đạo điều hành CCHC (field 1) - a1, then section III
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T1-01",
        seed_ref="II.2.a1",
        field_code="1",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Chủ trì, phối hợp với các phòng thuộc Ban triển khai thực hiện kế hoạch CCHC năm 2023 "
            "của Ban đảm bảo chất lượng, hoàn thành kế hoạch và đúng thời gian quy định."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-11-30",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; sản phẩm là hoàn thành kế hoạch CCHC năm, lấy cuối năm (trước kỳ chấm điểm). "
            "Kế hoạch ghi 'đúng thời gian quy định'."
        ),
    ),
    TaskSpec(
        task_id="T1-02",
        seed_ref="II.2.a1",
        field_code="1",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Thường xuyên theo dõi, đôn đốc, nhắc nhở việc thực hiện CCHC của các phòng; thực hiện kiểm tra "
            "công tác CCHC và kỷ luật kỷ cương hành chính năm 2023 của Ban theo kế hoạch đã đề ra."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Kế hoạch ghi 'thường xuyên'; tần suất hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T1-03",
        seed_ref="II.2.a1",
        field_code="1",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Tham mưu thực hiện kiểm tra đột xuất, định kỳ việc chấp hành kỷ luật, kỷ cương hành chính đối với "
            "các phòng thuộc Ban và công chức, người lao động thuộc Ban Dân tộc tỉnh năm 2023, kịp thời phát hiện "
            "và xử lý nghiêm những công chức có hành vi sai phạm theo quy định của pháp luật."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note="Kế hoạch ghi 'đột xuất, định kỳ' nhưng không nêu kỳ; lấy hằng quý (giả định) cho phần kiểm tra định kỳ.",
    ),
    TaskSpec(
        task_id="T1-04",
        seed_ref="II.2.a1",
        field_code="1",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Đối với Tiêu chí thành phần “1.2.2: Báo cáo về kiểm soát TTHC và việc thực hiện cơ chế một cửa, "
            "một cửa liên thông” bị trừ điểm trong năm 2022, giao Văn phòng Ban phân công cụ thể công chức "
            "thường xuyên theo dõi, đôn đốc, nhắc nhở tham mưu báo cáo theo quy định."
        ),
        sub_criteria=("1.2.2",),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note="Báo cáo kiểm soát TTHC, một cửa là báo cáo định kỳ; lấy hằng quý (giả định), Kế hoạch ghi 'theo quy định'.",
    ),
    TaskSpec(
        task_id="T1-05",
        seed_ref="II.2.a1",
        field_code="1",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Trưởng các phòng thuộc Ban tiếp tục chỉ đạo, tổ chức thực hiện có hiệu quả cao, đảm bảo tiến độ "
            "chất lượng, chỉ đạo xây dựng kế hoạch cụ thể thực hiện nhiệm vụ được giao trong năm 2023 đối với "
            "các nhiệm vụ trong Chương trình công tác của UBND tỉnh năm 2023; Chương trình công tác của Ban Dân "
            "tộc tỉnh năm 2023; nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao cho Ban Dân tộc tỉnh có thời hạn "
            "thuộc lĩnh vực quản lý theo dõi của phòng."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-31",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}. Đoạn không có dấu '+' dưới 'Các phòng thuộc Ban'; gồm cả chỉ đạo thường xuyên "
            "nhưng sản phẩm cụ thể là kế hoạch thực hiện nhiệm vụ năm 2023 của từng phòng, nên xếp một lần, hạn quý I."
        ),
    ),
    TaskSpec(
        task_id="T1-06",
        seed_ref="II.2.a1",
        field_code="1",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Đối với Tiêu chí thành phần “1.5.1: Có từ 03 sáng kiến hoặc giải pháp mới trong cải cách hành "
            "chính” bị trừ điểm trong năm 2022 giao các phòng thuộc Ban đăng ký và triển khai sáng kiến hoặc "
            "giải pháp mới trong cải cách hành chính năm 2023 ít nhất mỗi phòng có 01 sáng kiến."
        ),
        sub_criteria=("1.5.1",),
        kind="one_off",
        frequency="",
        due_date="2023-06-30",
        due_date_from_seed=False,
        note=f"{_ASSUMED_DATE}; hạn đăng ký sáng kiến lấy giữa năm để còn thời gian triển khai trong năm 2023.",
    ),
    TaskSpec(
        task_id="T1-07",
        seed_ref="III.1",
        field_code="1",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Yêu cầu các phòng thuộc Ban được giao tham mưu, chủ trì thực hiện những nhiệm vụ trong Kế hoạch "
            "này có trách nhiệm chủ động phối hợp với các phòng liên quan triển khai thực hiện đảm bảo đúng tiến "
            "độ, chất lượng, hiệu quả."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Trách nhiệm phối hợp liên tục suốt năm; tần suất hằng quý là giả định, gắn với kỳ báo cáo quý "
            "của Văn phòng Ban (III.2)."
        ),
    ),
    TaskSpec(
        task_id="T1-08",
        seed_ref="III.2",
        field_code="1",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Văn phòng Ban chịu trách nhiệm tham mưu Trưởng Ban theo dõi, đôn đốc, kiểm tra việc triển khai "
            "thực hiện Kế hoạch này; định kỳ hằng quý, sáu tháng và hằng năm tổng hợp báo cáo tình hình thực "
            "hiện nhiệm vụ CCHC gửi UBND tỉnh, Sở Nội vụ theo quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Kế hoạch ghi 'định kỳ hằng quý, sáu tháng và hằng năm'; lấy kỳ ngắn nhất là quý "
            "(báo cáo sáu tháng, năm trùng với quý II và quý IV)."
        ),
    ),
    # ------------------------------------------------------------------
    # b) Xây dựng và tổ chức thực hiện văn bản QPPL (field 2) - b1
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T2-01",
        seed_ref="II.2.b1",
        field_code="2",
        unit="thanh-tra",
        unit_from_seed=True,
        description=(
            "Theo dõi, đôn đốc, hướng dẫn các phòng thuộc Ban trong việc nâng cao chất lượng tham mưu soạn "
            "thảo văn bản QPPL đảm bảo đúng trình tự, thủ tục xây dựng văn bản QPPL theo quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Theo dõi, đôn đốc liên tục; tần suất hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T2-02",
        seed_ref="II.2.b1",
        field_code="2",
        unit="thanh-tra",
        unit_from_seed=True,
        description=(
            "Xây dựng, tham mưu ban hành Kế hoạch rà soát, hệ thống hóa văn bản QPPL thuộc phạm vi quản lý của "
            "Ban; kế hoạch theo dõi tình hình thi hành pháp luật đúng thời gian quy định."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-02-28",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; Kế hoạch ghi 'đúng thời gian quy định'. Lấy đầu năm như T2-04 vì gồm cùng kế "
            "hoạch theo dõi thi hành pháp luật (gạch đầu dòng này không nêu mã 2.1.1.1)."
        ),
    ),
    TaskSpec(
        task_id="T2-03",
        seed_ref="II.2.b1",
        field_code="2",
        unit="thanh-tra",
        unit_from_seed=True,
        description=(
            "Xây dựng kế hoạch thanh tra, kiểm tra việc thực hiện chính sách, pháp luật thuộc phạm quản lý của "
            "Ban; tổng hợp báo cáo và kiến nghị xử lý những vấn đề phát hiện sau thanh tra, kiểm tra."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-31",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; xếp theo sản phẩm chính là kế hoạch thanh tra, kiểm tra (quý I); báo cáo, kiến "
            "nghị sau từng cuộc thanh tra phát sinh theo kế hoạch đó."
        ),
    ),
    TaskSpec(
        task_id="T2-04",
        seed_ref="II.2.b1",
        field_code="2",
        unit="thanh-tra",
        unit_from_seed=True,
        description=(
            "Đối với Tiêu chí thành phần “2.1.1.1: Ban hành kế hoạch theo dõi tình hình thi hành pháp luật” bị "
            "trừ điểm trong năm 2022 giao Thanh tra Ban xây dựng kế hoạch theo dõi tình hình thi hành pháp luật "
            "năm 2023 đúng thời gian quy định."
        ),
        sub_criteria=("2.1.1.1",),
        kind="one_off",
        frequency="",
        due_date="2023-02-28",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; Kế hoạch ghi 'đúng thời gian quy định'. Kế hoạch theo dõi thi hành pháp luật "
            "cần ban hành sớm đầu năm."
        ),
    ),
    TaskSpec(
        task_id="T2-05",
        seed_ref="II.2.b1",
        field_code="2",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Thực hiện các hoạt động về theo dõi thi hành pháp luật như: Thu thập thông tin, kiểm tra tình hình "
            "thi hành và xử lý kết quả thi hành pháp luật theo quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Hoạt động theo dõi liên tục; tần suất hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T2-06",
        seed_ref="II.2.b1",
        field_code="2",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Đề xuất, tham mưu xây dựng văn bản QPPL phù hợp với chức năng, nhiệm vụ của Ban và yêu cầu của "
            "thực tiễn theo quy định của pháp luật đảm bảo trình tự, thủ tục xây dựng văn bản QPPL theo quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="yearly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Nhiệm vụ phát sinh theo nhu cầu thực tiễn; lấy hằng năm (giả định), gắn với việc đề xuất danh mục "
            "văn bản QPPL cần xây dựng trong năm."
        ),
    ),
    TaskSpec(
        task_id="T2-07",
        seed_ref="II.2.b1",
        field_code="2",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Phối hợp triển khai thực hiện nhiệm vụ hệ thống hóa văn bản quy phạm pháp luật kỳ 2019 - 2023 (kỳ "
            "thứ 3) thuộc phạm vi quản lý; tổng hợp báo cáo kết quả rà soát theo đúng thời gian quy định và kịp "
            "thời kiến nghị cấp có thẩm quyền xử lý các văn bản QPPL do Ban tham mưu không còn phù hợp với thực "
            "tiễn và quy định của pháp luật."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-11-30",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; kỳ hệ thống hóa 2019 - 2023 là nhiệm vụ một lần, lấy cuối năm. Kỳ kết thúc "
            "31/12/2023 nên việc công bố kết quả thực tế có thể sang năm 2024."
        ),
    ),
    TaskSpec(
        task_id="T2-08",
        seed_ref="II.2.b1",
        field_code="2",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Tổ chức triển khai các văn bản QPPL vào thực tiễn gắn với việc kiểm tra, theo dõi thi hành pháp "
            "luật; tổng hợp báo cáo kết quả theo dõi thi hành pháp luật và kiến nghị xử lý những phát sinh, bất "
            "cập theo quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="yearly",
        due_date="",
        due_date_from_seed=False,
        note="Báo cáo kết quả theo dõi thi hành pháp luật lấy theo kỳ hằng năm (giả định); Kế hoạch ghi 'theo quy định'.",
    ),
    # ------------------------------------------------------------------
    # c) Cải cách thủ tục hành chính (field 3) - c1
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T3-01",
        seed_ref="II.2.c1",
        field_code="3",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Đôn đốc, kiểm tra tình hình thực hiện nhiệm vụ cải cách TTHC, tổng hợp tham mưu Lãnh đạo Ban trình "
            "UBND tỉnh các báo cáo về kiểm soát TTHC đúng quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note="Báo cáo kiểm soát TTHC là báo cáo định kỳ; lấy hằng quý (giả định), Kế hoạch ghi 'đúng quy định'.",
    ),
    TaskSpec(
        task_id="T3-02",
        seed_ref="II.2.c1",
        field_code="3",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Công bố, công khai, minh bạch TTHC thuộc thẩm quyền giải quyết của Ban trên Cổng thông tin điện tử "
            "Ban Dân tộc tỉnh."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note=("Duy trì công khai và cập nhật khi TTHC thay đổi; kiểm tra, cập nhật hằng quý là giả định."),
    ),
    TaskSpec(
        task_id="T3-03",
        seed_ref="II.2.c1",
        field_code="3",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Niêm yết, đăng tải đầy đủ, rõ ràng bảng thông báo hướng dẫn tiếp nhận phản ánh, kiến nghị về quy "
            "định hành chính tại trụ sở cơ quan, Trang thông tin điện tử Ban Dân tộc tỉnh."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-31",
        due_date_from_seed=False,
        note=f"{_ASSUMED_DATE}; niêm yết là việc làm một lần rồi duy trì, lấy hạn quý I.",
    ),
    TaskSpec(
        task_id="T3-04",
        seed_ref="II.2.c1",
        field_code="3",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Tiếp nhận phản ánh, kiến nghị của tổ chức, công dân đối với TTHC thuộc thẩm quyền giải quyết của "
            "Ban, phối hợp với các phòng thuộc Ban tham mưu Trưởng Ban xử lý và trả lời theo quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Xử lý khi phát sinh phản ánh, kiến nghị; kỳ theo dõi hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T3-05",
        seed_ref="II.2.c1",
        field_code="3",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Thường xuyên theo dõi, đôn đốc nhắc nhở các phòng thực hiện việc tiếp nhận, trả kết quả giải quyết "
            "hồ sơ trước hạn, hồ sơ giải quyết đúng hạn theo đúng thời gian quy định, hạn chế số lượng hồ sơ giải "
            "quyết trễ hạn."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Kế hoạch ghi 'thường xuyên'; tần suất hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T3-06",
        seed_ref="II.2.c1",
        field_code="3",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Đối với Tiêu chí thành phần “3.1.2: Mức độ hoàn thành kế hoạch rà soát, đánh giá TTHC” và “3.1.3: "
            "Xử lý các vấn đề phát hiện qua rà soát TTHC” bị trừ điểm trong năm 2022 giao Văn phòng Ban rà soát, "
            "đánh giá quá trình thực hiện cải cách TTHC; xây dựng, tham mưu ban hành và tổ chức thực hiện các văn "
            "bản về kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông."
        ),
        sub_criteria=("3.1.2", "3.1.3"),
        kind="one_off",
        frequency="",
        due_date="2023-11-30",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; 3.1.2 và 3.1.3 chấm mức hoàn thành rà soát và xử lý kết quả trong năm, nên lấy "
            "cuối năm (trước kỳ chấm điểm)."
        ),
    ),
    TaskSpec(
        task_id="T3-07",
        seed_ref="II.2.c1",
        field_code="3",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Thường xuyên theo dõi, đôn đốc, nhắc nhở công chức thực hiện việc tiếp nhận, trả kết quả giải quyết "
            "hồ sơ trước hạn, hồ sơ giải quyết đúng hạn theo đúng thời gian quy định."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Kế hoạch ghi 'thường xuyên'; tần suất hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T3-08",
        seed_ref="II.2.c1",
        field_code="3",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Thực hiện các giải pháp nâng cao chất lượng phục vụ, mức độ hài lòng của người dân, doanh nghiệp và "
            "công khai kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện TTHC, dịch vụ "
            "công theo thời gian thực trên môi trường điện tử trên Hệ thống thông tin giải quyết TTHC tỉnh Quảng "
            "Ngãi theo Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Công khai theo thời gian thực trên hệ thống; kỳ theo dõi hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T3-09",
        seed_ref="II.2.c1",
        field_code="3",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Thường xuyên rà soát, cập nhật tham mưu Trưởng Ban trình Chủ tịch UBND tỉnh quyết định công bố sửa "
            "đổi, bổ sung, bãi bỏ, thay thế TTHC đã được công bố khi có sự thay đổi theo quy định của pháp luật."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Kế hoạch ghi 'thường xuyên', công bố khi văn bản pháp luật thay đổi; rà soát hằng tháng là giả định.",
    ),
    # ------------------------------------------------------------------
    # d) Cải cách tổ chức bộ máy (field 4) - d1, no unit heading in the seed
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T4-01",
        seed_ref="II.2.d1",
        field_code="4",
        unit="van-phong",
        unit_from_seed=False,
        description="Thực hiện công tác bổ nhiệm, bổ nhiệm lại chức vụ trưởng, phó phòng theo đúng quy định.",
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-11-30",
        due_date_from_seed=False,
        note=(
            "Kế hoạch không nêu đơn vị ở mục d1; giao Văn phòng Ban vì tại đ1 Văn phòng Ban được giao 'theo dõi, "
            f"tham mưu quy hoạch, bổ nhiệm' công chức lãnh đạo, quản lý của phòng. {_ASSUMED_DATE}, lấy cuối năm; "
            "thời điểm thực tế tuỳ ngày hết thời hạn giữ chức vụ."
        ),
    ),
    TaskSpec(
        task_id="T4-02",
        seed_ref="II.2.d1",
        field_code="4",
        unit="cac-phong",
        unit_from_seed=False,
        description=(
            "Đổi mới phương thức làm việc; bảo đảm kỷ luật, kỷ cương hành chính, nâng cao hiệu quả, trách nhiệm "
            "trong việc giải quyết công việc của cơ quan."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Kế hoạch không nêu đơn vị ở mục d1; giao các phòng thuộc Ban vì đây là cách làm việc và chấp hành kỷ "
            "luật của từng phòng (như đ1 giao các phòng thực hiện Quyết định 48/2021/QĐ-UBND); Văn phòng Ban kiểm "
            "tra kỷ luật theo T1-02, T1-03. Nhiệm vụ liên tục, kỳ hằng tháng là giả định."
        ),
    ),
    # ------------------------------------------------------------------
    # đ) Xây dựng và nâng cao chất lượng đội ngũ CCVC (field 5) - đ1
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T5-01",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Theo dõi, tham mưu quy hoạch, bổ nhiệm, điều động, luân chuyển công chức lãnh đạo, quản lý của phòng "
            "theo đúng quy định; trình Trưởng ban phê duyệt kế hoạch đào tạo, bồi dưỡng của Ban theo thẩm quyền."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-31",
        due_date_from_seed=False,
        note=(
            f"{_ASSUMED_DATE}; gồm cả việc theo dõi thường xuyên nhưng xếp theo sản phẩm cụ thể là kế hoạch đào "
            "tạo, bồi dưỡng năm, hạn quý I."
        ),
    ),
    TaskSpec(
        task_id="T5-02",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Theo dõi, tổng hợp và báo cáo tình hình thực hiện các nhiệm vụ về xây dựng và nâng cao chất lượng "
            "đội ngũ công chức của Ban."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note="Báo cáo không nêu kỳ; lấy hằng quý (giả định) theo kỳ báo cáo CCHC ở III.2.",
    ),
    TaskSpec(
        task_id="T5-03",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Xây dựng Kế hoạch và thực hiện chuyển đổi vị trí công tác năm 2023 đối với các chức danh theo quy định."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-31",
        due_date_from_seed=False,
        note=f"{_ASSUMED_DATE}; hạn áp cho việc ban hành kế hoạch chuyển đổi vị trí (quý I), việc chuyển đổi thực hiện theo kế hoạch đó.",
    ),
    TaskSpec(
        task_id="T5-04",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Tham mưu Lãnh đạo Ban đăng ký với cơ quan có thẩm quyền để tuyển dụng công chức có chuyên ngành đào "
            "tạo phù hợp với vị trí việc làm theo biên chế được giao trong năm 2023; đăng ký cử công chức dự thi "
            "nâng ngạch theo quy định."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-06-30",
        due_date_from_seed=False,
        note=f"{_ASSUMED_DATE}; việc đăng ký lấy giữa năm, thực tế tuỳ thông báo của Sở Nội vụ.",
    ),
    TaskSpec(
        task_id="T5-05",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="cac-phong",
        unit_from_seed=True,
        description=("Thực hiện nghiêm túc các quy định về nâng ngạch công chức, đánh giá, xếp loại công chức."),
        sub_criteria=(),
        kind="recurring",
        frequency="yearly",
        due_date="",
        due_date_from_seed=False,
        note="Đánh giá, xếp loại công chức thực hiện hằng năm; tần suất hằng năm là giả định.",
    ),
    TaskSpec(
        task_id="T5-06",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="cac-phong",
        unit_from_seed=True,
        description="Đăng ký nhu cầu tham gia các lớp đào tạo, bồi dưỡng chuyên môn, nghiệp vụ theo quy định.",
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-15",
        due_date_from_seed=False,
        note=f"{_ASSUMED_DATE}; đăng ký nhu cầu trước khi Văn phòng Ban trình kế hoạch đào tạo, bồi dưỡng (T5-01).",
    ),
    TaskSpec(
        task_id="T5-07",
        seed_ref="II.2.đ1",
        field_code="5",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Thực hiện nghiêm túc Quyết định số 48/2021/QĐ-UBND ngày 22/9/2021 của Chủ tịch UBND tỉnh Quảng Ngãi "
            "ban hành Quy định một số biện pháp chấn chỉnh kỷ luật, kỷ cương hành chính trong đội ngũ cán bộ, công "
            "chức, viên chức của tỉnh Quảng Ngãi; Chỉ thị 31-CT/TU ngày 13/6/2014 của Ban Thường vụ Tỉnh ủy về chủ "
            "trương không dùng bia, rượu trong buổi trưa của các ngày làm việc."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Chấp hành liên tục; kỳ theo dõi hằng tháng là giả định.",
    ),
    # ------------------------------------------------------------------
    # e) Cải cách tài chính công (field 6) - e1
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T6-01",
        seed_ref="II.2.e1",
        field_code="6",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Triển khai thực hiện các quy định về chế độ tự chủ, tự chịu trách nhiệm về sử dụng biên chế và kinh "
            "phí quản lý hành chính đối với các cơ quan nhà nước theo Nghị định 130/2005/NĐ-CP ngày 17/10/2005 và "
            "Nghị định số 117/2013/NĐ-CP ngày 07/10/2013 của Chính phủ. Sử dụng kinh phí hợp lý, tiết kiệm, đúng "
            "mục đích, phù hợp với yêu cầu nhiệm vụ và sử dụng có hiệu quả nguồn ngân sách nhà nước."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="yearly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Đơn vị theo tiêu đề 'Văn phòng Ban tham mưu'. Chế độ tự chủ gắn với năm ngân sách; tần suất hằng năm "
            "là giả định."
        ),
    ),
    TaskSpec(
        task_id="T6-02",
        seed_ref="II.2.e1",
        field_code="6",
        unit="van-phong",
        unit_from_seed=True,
        description="Theo dõi, tổng hợp và báo cáo tình hình thực hiện các nhiệm vụ về cải cách tài chính công.",
        sub_criteria=(),
        kind="recurring",
        frequency="quarterly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Đơn vị theo tiêu đề 'Văn phòng Ban tham mưu'. Báo cáo không nêu kỳ; lấy hằng quý (giả định) theo kỳ "
            "báo cáo CCHC ở III.2."
        ),
    ),
    TaskSpec(
        task_id="T6-03",
        seed_ref="II.2.e1",
        field_code="6",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Xây dựng kế hoạch tiến độ thực hiện và giải ngân hàng năm theo Chỉ thị 02/CT-UBND ngày 18/01/2023 "
            "của Chủ tịch UBND tỉnh; định kỳ hàng tháng báo cáo tiến độ thực hiện dự án so với kế hoạch đã xây "
            "dựng và có đề xuất kiến nghị, biện pháp tháo gỡ nếu gặp khó khăn vướng mắc trong quá trình thực hiện "
            "dự án (nếu có)."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note=(
            "Tần suất theo Kế hoạch: 'định kỳ hàng tháng báo cáo tiến độ'. Việc xây dựng kế hoạch giải ngân năm "
            "là bước mở đầu của chu kỳ này, không tách thành nhiệm vụ riêng."
        ),
    ),
    # ------------------------------------------------------------------
    # g) Xây dựng và phát triển chính quyền điện tử, số (field 7) - g1
    # ------------------------------------------------------------------
    TaskSpec(
        task_id="T7-01",
        seed_ref="II.2.g1",
        field_code="7",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Tiếp tục rà soát, ban hành các văn bản quản lý nhà nước nhằm thúc đẩy ứng dụng công nghệ thông tin "
            "đảm bảo an toàn, an ninh thông tin tại Ban; thực hiện ứng dụng CNTT gắn với từng khâu trong công tác "
            "CCHC để đảm bảo các hoạt động điều hành tại Ban được thông suốt, đồng bộ."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="yearly",
        due_date="",
        due_date_from_seed=False,
        note="Kế hoạch ghi 'tiếp tục rà soát'; rà soát văn bản về CNTT, an toàn thông tin hằng năm là giả định.",
    ),
    TaskSpec(
        task_id="T7-02",
        seed_ref="II.2.g1",
        field_code="7",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Phối hợp chặt chẽ với Sở Thông tin và Truyền thông, Công an tỉnh để sẵn sàng, chủ động phòng ngừa và "
            "xử lý các tình huống phát sinh trong lĩnh vực an toàn, an ninh cho cơ sở hạ tầng mạng."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Sẵn sàng ứng phó liên tục; kỳ theo dõi hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T7-03",
        seed_ref="II.2.g1",
        field_code="7",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Theo dõi, hướng dẫn các đơn vị (Phòng Chính Dân tộc, các huyện, xã có liên quan) tiếp nhận hồ sơ, "
            "trả kết quả TTHC qua dịch vụ công trực tuyến."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Theo dõi, hướng dẫn liên tục; tần suất hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T7-04",
        seed_ref="II.2.g1",
        field_code="7",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Tham mưu ban hành Kế hoạch triển khai thực hiện Bộ chỉ số đánh giá chuyển đổi (DTI) tại Ban Dân tộc "
            "tỉnh; Kế hoạch chuyển đổi số năm 2023; Kế hoạch phát triển hạ tầng số tỉnh Quảng Ngãi đến năm 2025 và "
            "định hướng đến năm 2030."
        ),
        sub_criteria=(),
        kind="one_off",
        frequency="",
        due_date="2023-03-31",
        due_date_from_seed=False,
        note=f"{_ASSUMED_DATE}; ban hành kế hoạch, lấy hạn quý I.",
    ),
    TaskSpec(
        task_id="T7-05",
        seed_ref="II.2.g1",
        field_code="7",
        unit="van-phong",
        unit_from_seed=True,
        description=(
            "Đối với Tiêu chí thành phần “7.2.1: Số TTHC cung cấp trực tuyến mức độ 3, 4 có phát sinh hồ sơ” và "
            "“7.2.2: Tỷ lệ hồ sơ TTHC được giải quyết trực tuyến mức độ 3 và 4” bị trừ điểm trong năm 2022 giao Văn "
            "phòng Ban làm đầu mối tiếp nhận hồ sơ, giải quyết TTHC qua dịch vụ công trực tuyến trước hạn hoặc đúng "
            "thời hạn quy định."
        ),
        sub_criteria=("7.2.1", "7.2.2"),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Tiếp nhận, giải quyết hồ sơ khi phát sinh; kỳ theo dõi hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T7-06",
        seed_ref="II.2.g1",
        field_code="7",
        unit="cac-phong",
        unit_from_seed=True,
        description="Phối hợp với Văn phòng Ban thực hiện xử lý hồ sơ, giải quyết TTHC qua dịch vụ công trực tuyến.",
        sub_criteria=(),
        kind="recurring",
        frequency="monthly",
        due_date="",
        due_date_from_seed=False,
        note="Xử lý hồ sơ khi phát sinh; kỳ theo dõi hằng tháng là giả định.",
    ),
    TaskSpec(
        task_id="T7-07",
        seed_ref="II.2.g1",
        field_code="7",
        unit="cac-phong",
        unit_from_seed=True,
        description=(
            "Tiếp tục triển khai Kế hoạch xây dựng, áp dụng, duy trì, cải tiến hệ thống quản lý chất lượng theo "
            "Tiêu chuẩn quốc gia ISO 9001:2015 vào hoạt động của các phòng thuộc Ban."
        ),
        sub_criteria=(),
        kind="recurring",
        frequency="yearly",
        due_date="",
        due_date_from_seed=False,
        note="Duy trì, cải tiến ISO 9001:2015 theo chu kỳ đánh giá nội bộ hằng năm (giả định).",
    ),
)

# The sub-criteria the seed names, and the only task (bullet) that names each.
SEED_SUB_CRITERIA: dict[str, frozenset[str]] = {
    "1.2.2": frozenset({"T1-04"}),
    "1.5.1": frozenset({"T1-06"}),
    "2.1.1.1": frozenset({"T2-04"}),
    "3.1.2": frozenset({"T3-06"}),
    "3.1.3": frozenset({"T3-06"}),
    "7.2.1": frozenset({"T7-05"}),
    "7.2.2": frozenset({"T7-05"}),
}

_SECTION_FIELD = {"a": "1", "b": "2", "c": "3", "d": "4", "đ": "5", "e": "6", "g": "7"}


def _check(tasks: tuple[TaskSpec, ...] = TASKS) -> list[str]:
    """Return the inconsistencies found in ``tasks`` (empty when all is well)."""
    import re
    from datetime import date

    errors: list[str] = []
    ids = [t.task_id for t in tasks]
    if len(set(ids)) != len(ids):
        errors.append(f"duplicate task ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    counters: dict[str, int] = {}
    for t in tasks:
        counters[t.field_code] = counters.get(t.field_code, 0) + 1
        expected_id = f"T{t.field_code}-{counters[t.field_code]:02d}"
        if t.task_id != expected_id:
            errors.append(f"{t.task_id}: expected id {expected_id} (seed order within the field)")
        m = re.fullmatch(r"II\.2\.([a-gđ])1|III\.[12]", t.seed_ref)
        if not m:
            errors.append(f"{t.task_id}: bad seed_ref {t.seed_ref!r}")
        elif (_SECTION_FIELD[m.group(1)] if m.group(1) else "1") != t.field_code:
            errors.append(f"{t.task_id}: seed_ref {t.seed_ref} does not match field {t.field_code}")
        if t.unit not in UNITS:
            errors.append(f"{t.task_id}: bad unit {t.unit!r}")
        if not t.unit_from_seed and not t.note:
            errors.append(f"{t.task_id}: assigned unit without a note")
        if t.unit_from_seed == (t.seed_ref == "II.2.d1"):
            errors.append(f"{t.task_id}: unit_from_seed must be False exactly in d1")
        if t.kind not in KINDS:
            errors.append(f"{t.task_id}: bad kind {t.kind!r}")
        if t.kind == "recurring" and (t.frequency not in FREQUENCIES or t.due_date):
            errors.append(f"{t.task_id}: recurring needs a frequency and no due date")
        if t.kind == "one_off":
            if t.frequency:
                errors.append(f"{t.task_id}: one_off must have no frequency")
            try:
                if date.fromisoformat(t.due_date).year != 2023:
                    errors.append(f"{t.task_id}: due date outside 2023")
            except ValueError:
                errors.append(f"{t.task_id}: bad due date {t.due_date!r}")
        if t.due_date_from_seed:
            errors.append(f"{t.task_id}: the seed states no date for any task")
        if not t.description or "\n" in t.description or "  " in t.description:
            errors.append(f"{t.task_id}: description empty or not joined")
        if not t.note:
            errors.append(f"{t.task_id}: empty note")
        named = tuple(re.findall(r"“\s*(\d+(?:\.\d+)+):", t.description))
        if named != t.sub_criteria:
            errors.append(f"{t.task_id}: sub_criteria {t.sub_criteria} but the text names {named}")
    for code, expected in SEED_SUB_CRITERIA.items():
        found = {t.task_id for t in tasks if code in t.sub_criteria}
        if found != expected:
            errors.append(f"sub-criterion {code}: in {sorted(found)}, expected {sorted(expected)}")
    unknown = {c for t in tasks for c in t.sub_criteria} - set(SEED_SUB_CRITERIA)
    if unknown:
        errors.append(f"sub-criteria not named by the seed: {sorted(unknown)}")
    return errors


if __name__ == "__main__":
    from collections import Counter

    by_field = Counter(t.field_code for t in TASKS)
    by_unit = Counter(t.unit for t in TASKS)
    by_field_unit = Counter((t.field_code, t.unit) for t in TASKS)
    print(f"{len(TASKS)} tasks")
    print("per field:", ", ".join(f"{f}: {by_field[f]}" for f in sorted(by_field)))
    print("per unit: ", ", ".join(f"{u}: {by_unit[u]}" for u in UNITS))
    for f in sorted(by_field):
        print(f"  field {f}:", ", ".join(f"{u} {by_field_unit[(f, u)]}" for u in UNITS if by_field_unit[(f, u)]))
    print(
        "kinds:",
        dict(Counter(t.kind for t in TASKS)),
        "frequencies:",
        dict(Counter(t.frequency for t in TASKS if t.frequency)),
    )
    problems = _check()
    for p in problems:
        print("ERROR:", p)
    raise SystemExit(1 if problems else 0)
