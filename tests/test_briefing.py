"""The briefing's sentences and tables are built from the data, written the way the seed writes them."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from conftest import DATA

from cchc_analysis.errors import CchcParameterError
from cchc_analysis.present import briefing, display, progress_review


@pytest.fixture(scope="module")
def ctx():
    return briefing.context(period="2023-Q2", agency="ban dan toc tinh", data_dir=str(DATA))


def test_context_resolves_parameters(ctx):
    assert ctx.agency_id == "ban-dan-toc"
    assert ctx.period.id == "2023-Q2"
    assert ctx.as_of == dt.date(2023, 6, 30)
    assert ctx.results_year == 2022


def test_default_period_is_the_latest_quarter_with_progress():
    assert briefing.context(data_dir=str(DATA)).period.id == "2023-Q4"


def _text(fragment: object) -> str:
    return re.sub(r"<[^>]+>", "", str(fragment))


def test_score_cards_are_the_seeds_figures_with_their_markers(ctx):
    cards = [tuple(_text(part) for part in card) for card in briefing.score_cards(ctx)]
    assert cards[:5] == [
        ("Chỉ số CCHC 2022", "82,91/100", "▲ 4,18† so với năm 2021"),
        # Pinned: "▲ lên 6 bậc" compared with a 2021 rank that exists only among illustrative peers.
        ("Xếp hạng 2022", "13/20", "thứ hạng năm 2021 chưa có số liệu chính thức"),
        ("Chỉ tiêu 2023: trên 85 điểm", "+2,09", "cần tăng hơn 2,09 điểm so với năm 2022"),
        ("Chỉ tiêu 2023: tốp 10/20", "3 bậc", "cần lên 3 bậc so với năm 2022"),
        (
            "Dự báo 2023",
            "88,09/100†",
            "hạng 10/20* nếu mọi lĩnh vực đạt chỉ tiêu và các cơ quan khác giữ nguyên kết quả",
        ),
    ]
    label, value, note = cards[5]
    assert label == "Tỷ lệ điều tra xã hội học tối thiểu 2023" and value == "62,48\u00a0%*"
    assert note == (
        "để vào tốp 10/20 (ràng buộc chặt hơn); trên 54,55\u00a0%† để tổng điểm trên 85 điểm; năm 2022: 63,91\u00a0%†"
    )


def test_plan_card_counts_what_it_says(ctx):
    """Q2: 37 done, 4 one-off tasks on track and due only on 30/11/2023 (T1-01, T2-07, T3-06, T4-01), 3 that need
    action (T7-05 overdue, T3-08 and T7-06 at risk). Pinned: "41/44 nhiệm vụ đã đến kỳ" counted the four tasks
    that were not yet due."""
    rv = progress_review.review(ctx)
    label, value, note = (_text(part) for part in briefing.plan_card(rv))
    assert label == "Nhiệm vụ không cần xử lý thêm (Quý II/2023)" and value == "41/44*"
    assert note == "37* nhiệm vụ đã hoàn thành; 4* nhiệm vụ chưa đến hạn, đang đúng tiến độ; 3* nhiệm vụ cần xử lý"
    assert "đã đến kỳ" not in note


def test_recommendations_follow_the_alerts_and_targets():
    ctx = briefing.context(period="2023-Q3", data_dir=str(DATA))
    items = [_text(item) for item in briefing.recommendations(ctx, progress_review.review(ctx))]
    # One line for the task behind the online-service sub-criteria (2,5 points lost in 2022), not one per code.
    assert items[0].startswith("Nhiệm vụ T7-05 (tiêu chí 7.2.1, 7.2.2, đã bị trừ 2,5 điểm năm 2022) của Văn phòng Ban")
    assert sum("7.2.1" in item for item in items) == 1
    assert any("T5-04" in item and "cập nhật" in item for item in items)  # the missing Q3 update
    assert any(item.startswith("Ưu tiên lĩnh vực 7") and "còn thiếu 3 điểm" in item for item in items)
    survey = [item for item in items if "điều tra xã hội học" in item]
    assert survey and "62,48\u00a0%*" in survey[0] and "54,55\u00a0%†" in survey[0] and "63,91\u00a0%†" in survey[0]


def test_a_blocked_task_is_escalated_not_urged(ctx):
    items = [_text(item) for item in briefing.recommendations(ctx, progress_review.review(ctx))]
    blocked = [item for item in items if item.startswith("Nhiệm vụ T7-05")]
    assert len(blocked) == 1 and "gặp vướng mắc" in blocked[0] and "kiến nghị UBND tỉnh" in blocked[0]
    assert "việc bình chọn người có uy tín thực hiện vào quý IV" in blocked[0]  # the unit's own words
    assert not any(item.startswith("Đôn đốc") for item in items)
    assert not any("Đôn đốc Các phòng" in item or " Các phòng thuộc Ban" in item[1:] for item in items)


def test_cover_names_agency_period_date_and_provenance(ctx):
    cover = briefing.cover(ctx)
    assert "<h1>Ban Dân tộc tỉnh Quảng Ngãi</h1>" in cover
    assert "Quý II/2023 · số liệu đến ngày 30/06/2023" in cover
    assert "<strong>chính thức</strong>" in cover and "<strong>minh hoạ</strong>" in cover
    assert "hạt giống" not in cover and "bộ sinh dữ liệu" not in cover  # pinned calque
    assert _text(cover).count("Ký hiệu:") == 1


def test_text_from_data_is_escaped():
    frame = pd.DataFrame({"Nội dung": ["<script>alert(1)</script>"]})
    assert "<script>" not in display.table(frame) and "&lt;script&gt;" in display.table(frame)
    assert "<img" not in display.cards([("<img src=x>", "1", "2")])
    assert "&lt;b&gt;" in display.sentence("Cơ quan {}", "<b>x</b>")  # sentences escape their arguments
    assert display.mark("1,5", "derived").endswith("†</sup>") and display.mark("1,5", "official") == "1,5"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"agency": "không có"}, "ban-dan-toc"),
        ({"period": "2023-Q7"}, "2023-Q2"),
        ({"as_of": "31/02/2023"}, "không tồn tại"),
    ],
)
def test_bad_parameters_are_clear_errors(kwargs, message):
    with pytest.raises(CchcParameterError, match=message):
        briefing.context(data_dir=str(DATA), **kwargs)
