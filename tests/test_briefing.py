"""The briefing's sentences and tables are built from the data, written the way the seed writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc_analysis import briefing
from cchc_analysis.exceptions import CchcParameterError

from conftest import DATA


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


def test_headline_is_the_seeds_sentence(ctx):
    assert briefing.headline(ctx) == (
        '<p class="cchc-headline">Năm 2022, Chỉ số CCHC của Ban Dân tộc tỉnh Quảng Ngãi đạt <strong>82,91/100</strong> điểm, '
        "cao hơn so với năm 2021 là 4,18 điểm, xếp vị thứ <strong>13/20</strong>.</p>"
    )


def test_field_table_rows(ctx):
    html = briefing.field_table(ctx)
    assert '<td class="num">11,5/12,5</td><td class="num">92,0\u00a0%</td><td class="num">13/20</td><td class="num">12,5</td>' in html
    assert '<td class="num">8,5/11</td>' in html and '<td class="num">11,5</td>' in html


def test_lost_table_lists_the_seven_sub_criteria_largest_first(ctx):
    html = briefing.lost_table(ctx)
    codes = [code for code in ("7.2.1", "7.2.2", "1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3")]
    positions = [html.index(f'<td class="text">{code}</td>') for code in codes]
    assert positions == sorted(positions)


def test_text_from_data_is_escaped():
    frame = __import__("pandas").DataFrame({"Nội dung": ["<script>alert(1)</script>"]})
    assert "<script>" not in briefing.table(frame) and "&lt;script&gt;" in briefing.table(frame)


@pytest.mark.parametrize("kwargs, message", [
    ({"agency": "không có"}, "ban-dan-toc"),
    ({"period": "2023-Q7"}, "2023-Q2"),
    ({"as_of": "31/02/2023"}, "không tồn tại"),
])
def test_bad_parameters_are_clear_errors(kwargs, message):
    with pytest.raises(CchcParameterError, match=message):
        briefing.context(data_dir=str(DATA), **kwargs)
