"""The what-if computation, its static table, the display objects' text form and scoped style, and the notebook
rendered by `cchc report --notebook 04_what_if`.

Expected values by hand from the seed: 2022 appraisal 61,5/66,5 (field 7: 8,5/11, 2,5 lost at 7.2.1 and 7.2.2),
survey 21,41/33,5 (63,91 %); 2023 field 7's maximum is 11,5 and the survey's 33, so the total's maximum is 100.
The peers are the illustrative 2022 totals (the 10th best is 87,62).
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest_render import needs_chromium, offline_page

from cchc_analysis import cli
from cchc_analysis.domain import scenarios
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.present import display, what_if
from cchc_analysis.present.context import context

AGENCY = "ban-dan-toc"
SHARE = 21.41 / 33.5
GOALS = {"1": 10.5, "2": 6.5, "3": 12.5, "4": 8.0, "5": 10.0, "6": 8.0, "7": 11.5}


def test_targets_met_with_the_last_survey_share(dataset):
    w = scenarios.what_if(dataset, AGENCY, 2022, field_points=GOALS)
    assert w.index == round(67 + 33 * SHARE, 2) == 88.09
    assert (w.rank, w.n_ranked) == (10, 20)
    assert w.margin_total == 3.09 and w.margin_rank == pytest.approx(88.09 - 87.62)
    assert w.gap_total == 0 and w.gap_rank == 0 and w.missed == ()
    assert w.binding == "rank"  # both met; the rank has less to spare
    assert (w.provenance, w.rank_provenance) == ("derived", "illustrative")


def test_7_2_1_and_7_2_2_lost_again(dataset):
    w = scenarios.what_if(dataset, AGENCY, 2022, field_points=GOALS, lost_again=("7.2.1", "7.2.2"))
    assert w.index == round(64.5 + 33 * SHARE, 2) == 85.59
    assert w.rank == 13 and w.meets_total and w.missed == ("rank",)
    assert w.gap_rank == round(87.62 - 85.59, 2) == 2.03 and w.binding == "rank"
    assert w.provenance == "illustrative"  # the split of the 2,5 points between the two is not in the seed


def test_last_results_hold_each_fields_share_and_winning_back_adds_the_lost_points(dataset):
    last = scenarios.what_if(dataset, AGENCY, 2022)
    held = 61.5 - 8.5 + 8.5 / 11 * 11.5  # field 7 keeps its 2022 share of a larger maximum
    assert last.index == round(held + 33 * SHARE, 2) == 82.98
    assert last.gap_total == round(85.01 - 82.98, 2) == 2.03  # "trên 85": 85,01 at two decimals
    assert last.gap_rank == round(87.62 - 82.98, 2) and last.binding == "rank" and last.missed == ("points", "rank")
    back = scenarios.what_if(dataset, AGENCY, 2022, won_back=("7.2.1", "7.2.2"))
    assert back.index == round(held + 2.5 + 33 * SHARE, 2) == 85.48
    survey = scenarios.what_if(dataset, AGENCY, 2022, field_points=GOALS, survey_share=0.7)
    pub = dataset.published
    peers = pub[(pub["year"] == 2022) & (pub["scope"] == "total") & (pub["agency_id"] != AGENCY)]["points"]
    assert survey.index == round(67 + 33 * 0.7, 2) == 90.1 and survey.rank == int((peers > 90.1).sum()) + 1 == 6


def test_with_these_peers_the_rank_binds_whatever_the_choices(dataset):
    """The 10th peer (87,62) is above 85: whatever the index, the rank has less to spare or misses by more."""
    for share in (0.0, 0.5, SHARE, 1.0):
        w = scenarios.what_if(dataset, AGENCY, 2022, field_points=GOALS, survey_share=share)
        assert w.binding == "rank" and w.margin_total - w.margin_rank == pytest.approx(87.62 - 85, abs=0.011)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"won_back": ("9.9.9",)},
        {"won_back": ("7.2.1",), "lost_again": ("7.2.1",)},
        {"field_points": {"8": 1.0}},
        {"field_points": {"1": 11.0}},
        {"survey_share": 1.2},
    ],
)
def test_impossible_choices_are_refused_in_vietnamese(dataset, kwargs):
    with pytest.raises(CchcParameterError) as error:
        scenarios.what_if(dataset, AGENCY, 2022, **kwargs)
    assert re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", str(error.value))


def test_the_briefings_scenarios_are_what_ifs(dataset):
    table = scenarios.scenarios(dataset, AGENCY, 2022).set_index("scenario")
    again = scenarios.what_if(dataset, AGENCY, 2022, field_points=GOALS, lost_again=("7.2.1", "7.2.2"))
    assert table.at["losses_repeat", "index"] == again.index and table.at["losses_repeat", "binding"] == "rank"
    assert scenarios.target_points(dataset, AGENCY, 2022) == GOALS


@pytest.fixture(scope="module")
def ctx():
    return context(agency=AGENCY, year=2022)


def test_static_table_has_the_presets_with_markers(ctx):
    text = display.plain(what_if.scenario_table(ctx))
    lines = text.splitlines()
    assert lines[1] == "Kịch bản | Tổng điểm | Thứ hạng | Tổng điểm trên 85 | Tốp 10/20 | Chỉ tiêu quyết định"
    assert "| 82,98/100† | 13/20* | Thiếu 2,03† điểm | Thiếu 4,64* điểm | Chỉ tiêu thứ hạng (thiếu nhiều hơn)" in text
    assert "| 88,09/100† | 10/20* | Đạt (dư 3,09† điểm) | Đạt (dư 0,47* điểm) | Chỉ tiêu thứ hạng (dư ít hơn)" in text
    assert "7.2.1, 7.2.2 lại bị trừ điểm như năm 2022 | 85,59/100* | 13/20* | Đạt (dư 0,59* điểm) | Thiếu 2,03*" in text
    assert "| 86,44/100† | 12/20* |" in text
    assert "kết quả minh hoạ của các cơ quan khác" in text


def test_cards_name_total_rank_gaps_and_binding_target(ctx):
    w = scenarios.what_if(ctx.ds, AGENCY, 2022, field_points=GOALS)
    text = display.plain(what_if.cards(ctx, w))
    assert "Tổng điểm dự kiến năm 2023: 88,09/100†" in text and "Thứ hạng dự kiến: 10/20*" in text
    assert "Chỉ tiêu: Tổng điểm trên 85: Đạt (dư 3,09† điểm)" in text
    assert "Chỉ tiêu quyết định: Chỉ tiêu thứ hạng (dư ít hơn)" in text


def test_explorer_without_frontend_is_the_static_table_only(ctx):
    bundle = what_if.Explorer(ctx)._repr_mimebundle_()  # no kernel here: no frontend
    assert set(bundle) == {"text/html", "text/plain"} and "<script" not in bundle["text/html"]
    live = what_if.Explorer(ctx, interactive=True)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in live and live["text/html"] == bundle["text/html"]


def test_widgets_recompute_through_what_if(ctx):
    box = what_if.build_widgets(ctx)
    preset, result = box.children[0], box.children[1]
    assert "82,98/100" in result.value
    preset.value = "targets_met"
    assert "88,09/100" in result.value and "10/20" in result.value
    preset.value = "losses_repeat"
    assert "85,59/100" in result.value


# --------------------------------------------------------------------------
# Display objects: text form and scoped style
# --------------------------------------------------------------------------


def pretty(fragment: display.HTML) -> str:
    """What IPython's plain-text formatter prints: the object's ``_repr_pretty_`` output."""
    printed: list[str] = []
    fragment._repr_pretty_(type("Printer", (), {"text": lambda self, t: printed.append(t)})(), False)
    return "".join(printed)


def test_display_objects_read_as_text():
    frame = pd.DataFrame({"Mã": ["1"], "Điểm": ["10,5/10,5"]})
    fragment = display.table(frame, numeric=("Điểm",), caption="Bảng", marks={"Điểm": "derived"})
    assert pretty(fragment) == "Bảng\nMã | Điểm\n1 | 10,5/10,5†"
    assert pretty(display.cards([("Tổng điểm", "82,91/100", "ghi chú"), ("Thứ hạng", "13/20", "")])) == (
        "Tổng điểm: 82,91/100 (ghi chú)\nThứ hạng: 13/20"
    )
    assert pretty(display.bullets(["một", "hai <b>"])) == "• một\n• hai <b>"


def test_display_objects_carry_a_scoped_style_inert_on_the_rendered_page():
    html = display.cards([("a", "b", "c")])._repr_html_()
    style = re.match(r"<style>(.*?)</style>", html, re.S)
    assert style, html[:80]
    rules = re.findall(r"([^{}]+)\{", style.group(1))
    assert rules and all(
        all(part.strip().startswith("body:not(.cchc-report) ") for part in rule.split(",")) for rule in rules
    )
    assert "url(" not in style.group(1) and "@import" not in style.group(1) and "<script" not in html
    assert display.HTML("plain")._repr_html_() == "plain"  # nothing to style: no style


# --------------------------------------------------------------------------
# The notebook through `cchc report`
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("what_if")
    assert cli.main(["report", "2023-Q2", "--notebook", "04_what_if", "--out", str(out), "--no-pdf"]) == 0
    return out / "2023-Q2" / AGENCY


def test_report_renders_the_what_if_statically(rendered):
    executed = json.loads((rendered / "executed" / "04_what_if.ipynb").read_text(encoding="utf-8"))
    kinds = {k for c in executed["cells"] for o in c.get("outputs", []) for k in o.get("data", {})}
    assert kinds == {"text/html", "text/plain"}  # no widget view, no script under papermill
    assert "widgets" not in executed["metadata"]
    html = (rendered / "04_what_if.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S)))
    assert "Kịch bản năm 2023" in text and "88,09/100 †" in text and "85,59/100 *" in text


def test_the_what_if_is_rendered_only_when_asked_for():
    from cchc_analysis import report

    assert "04_what_if" not in report.NOTEBOOKS and "04_what_if" in report.SELECTABLE


@needs_chromium
def test_rendered_page_keeps_the_report_style_and_loads_nothing(rendered):
    with offline_page(rendered / "04_what_if.html") as (page, attempted):
        columns = page.evaluate("getComputedStyle(document.querySelector('table.cchc-table td.text')).textAlign")
        grid = page.evaluate("getComputedStyle(document.querySelector('.cchc-cover')).borderBottomWidth")
    assert attempted == [] and columns == "left" and grid == "3px"
