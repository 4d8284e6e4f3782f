"""Score charts: each returns a Chart (a Figure and a Vietnamese description) whose bars, labels and description come
from the data, the agency in PALETTE["agency"], no label on top of another mark."""

from __future__ import annotations

import re

import pytest
from conftest import DATA
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cchc_analysis.present import context
from cchc_analysis.present.charts import PALETTE, Chart
from cchc_analysis.present.charts import scores as charts


@pytest.fixture(scope="module")
def ctx():
    return context.context(agency="ban-dan-toc", year=2022, data_dir=str(DATA))


def _bars(axes) -> list[Rectangle]:
    return [p for p in axes.patches if isinstance(p, Rectangle)]


def _texts(axes) -> list[str]:
    return [t.get_text() for t in axes.texts]


def test_peer_ranking_highlights_the_agency_at_13_and_marks_the_top_10(ctx):
    chart = charts.peer_ranking(ctx)
    assert isinstance(chart, Chart) and isinstance(chart.figure, Figure)
    axes = chart.figure.axes[0]
    bars = _bars(axes)
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert len(bars) == len(labels) == 20
    assert labels[12] == "13. Ban Dân tộc tỉnh"
    assert [to_hex(b.get_facecolor()) for b in bars].count(PALETTE["agency"]) == 1
    assert to_hex(bars[12].get_facecolor()) == PALETTE["agency"] and bars[12].get_width() == pytest.approx(82.91)
    assert "82,91" in _texts(axes) and "87,62*" in _texts(axes)  # the peers are illustrative
    target = [line for line in axes.get_lines() if line.get_label().startswith("Chỉ tiêu 2023")]
    assert target and target[0].get_label() == "Chỉ tiêu 2023: tốp 10/20" and target[0].get_ydata()[0] == 9.5
    assert "Ban Dân tộc tỉnh Quảng Ngãi xếp thứ 13 với 82,91 điểm" in chart.alt and "tốp 10" in chart.alt


def test_loss_pareto_lists_the_seven_codes_largest_first(ctx):
    chart = charts.loss_pareto(ctx)
    axes = chart.figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == [
        "7.2.1",
        "7.2.2",
        "1.2.2",
        "1.5.1",
        "2.1.1.1",
        "3.1.2",
        "3.1.3",
    ]
    assert [b.get_width() for b in _bars(axes)] == [1.5, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert all(to_hex(b.get_facecolor()) == PALETTE["agency"] for b in _bars(axes))
    # The split of a field's loss between its sub-criteria is assumed: every bar label carries its marker.
    labels = _texts(axes)
    assert labels[0].startswith("1,5") and labels[1].startswith("1")
    assert all(re.fullmatch(r"[\d,]+[†*] · luỹ kế \d+\u00a0%", text) for text in labels), labels
    assert [text.split(" · ")[1] for text in labels[:2]] == ["luỹ kế 30\u00a0%", "luỹ kế 50\u00a0%"]
    assert "tổng cộng 5 điểm ở 7 tiêu chí" in chart.alt and re.search(r"7\.2\.1: 1,5[†*] điểm", chart.alt)


def test_loss_pareto_without_losses_says_so():
    import datetime as dt

    from tiny_dataset import tiny_dataset

    from cchc_analysis.domain import periods

    full_marks = context.Context(tiny_dataset(), "b", periods.quarter(2023, 4), dt.date(2023, 12, 31), 2022)
    chart = charts.loss_pareto(full_marks)
    axes = chart.figure.axes[0]
    assert _texts(axes) == ["Không bị trừ điểm ở tiêu chí nào"] and not _bars(axes)
    assert "không bị trừ điểm" in chart.alt


def test_history_shows_index_and_rank_each_year(ctx):
    chart = charts.history(ctx)
    axes = chart.figure.axes[0]
    line = axes.get_lines()[0]
    assert list(line.get_xdata()) == [2021, 2022] and list(line.get_ydata()) == [78.73, 82.91]
    assert to_hex(line.get_color()) == PALETTE["agency"]
    assert "82,91\nhạng 13/20" in _texts(axes)
    # 2021: the total is derived (82,91 − 4,18); the rank exists only among illustrative peers, so it is withheld.
    assert "78,73†\nhạng –" in _texts(axes)
    assert "(hạng –: chưa có số liệu chính thức)" in chart.figure.get_suptitle()
    assert not any("19/20" in text for text in _texts(axes)) and "19/20" not in chart.alt
    assert "Năm 2021: 78,73† điểm, hạng chưa có số liệu chính thức; năm 2022: 82,91 điểm, hạng 13/20" in chart.alt


def test_waterfall_of_the_real_agency_withholds_the_illustrative_2021_fields(ctx):
    chart = charts.change_waterfall(ctx)
    axes = chart.figure.axes[0]
    message = "Điểm từng lĩnh vực năm 2021 chưa có số liệu chính thức:\nkhông so sánh theo lĩnh vực"
    assert _texts(axes) == [message]
    assert chart.alt == (
        "Biểu đồ thay đổi điểm theo lĩnh vực không được vẽ: "
        "điểm từng lĩnh vực năm 2021 chưa có số liệu chính thức: không so sánh theo lĩnh vực."
    )
    assert not _bars(axes)


def test_waterfall_from_2021_to_2022_adds_up(ctx):
    chart = charts.change_waterfall(ctx, 2021, 2022)
    axes = chart.figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels[0] == "Tổng 2021" and labels[-1] == "Tổng 2022" and labels[1:8] == [f"LV {i}" for i in range(1, 8)]
    assert labels[8] == "Điều tra XHH"
    bars = _bars(axes)
    assert bars[0].get_width() == pytest.approx(78.73) and bars[-1].get_width() == pytest.approx(82.91)
    assert to_hex(bars[-1].get_facecolor()) == PALETTE["agency"]
    texts = _texts(axes)
    assert "+2,18" in texts and "78,73" in texts and "82,91" in texts  # survey 19,23 -> 21,41
    assert "từ 78,73 năm 2021 đến 82,91 năm 2022" in chart.alt and "lĩnh vực 3: không đổi" in chart.alt


def test_heatmap_frames_the_agency_row(ctx):
    chart = charts.share_heatmap(ctx)
    axes = chart.figure.axes[0]
    rows = [t.get_text() for t in axes.get_yticklabels()]
    assert rows[12] == "Ban Dân tộc tỉnh" and len(rows) == 20
    assert [t.get_text() for t in axes.get_xticklabels()] == [f"LV {i}" for i in range(1, 8)]
    frame = [p for p in axes.patches if isinstance(p, Rectangle) and to_hex(p.get_edgecolor()) == PALETTE["agency"]]
    assert len(frame) == 1 and frame[0].get_y() == pytest.approx(11.5)
    assert to_hex(axes.get_yticklabels()[12].get_color()) == PALETTE["agency"]
    assert "77" in _texts(axes)  # field 7: 8,5/11
    assert "Hàng của Ban Dân tộc tỉnh Quảng Ngãi (thứ 13)" in chart.alt and "lĩnh vực 7: 77\u00a0%" in chart.alt


def test_field_points_keeps_the_agency_colour(ctx):
    chart = charts.field_points(ctx)
    axes = chart.figure.axes[0]
    agency_bars = [b for b in _bars(axes) if to_hex(b.get_facecolor()) == PALETTE["agency"]]
    assert [b.get_width() for b in agency_bars] == [9.5, 6.0, 11.5, 8.0, 10.0, 8.0, 8.5]
    assert "11,5/12,5" in _texts(axes)
    assert "lĩnh vực 7: 8,5/11" in chart.alt and "chỉ tiêu năm 2023" in chart.alt
