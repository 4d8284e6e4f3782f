"""Score review: the sentences and tables of notebook 01 are built from the figures, written as the seed writes them;
and the notebook itself runs under papermill for two agencies and two years."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from cchc_analysis.present import score_review

SEED_FIELD_ITEMS = [
    "Công tác chỉ đạo, điều hành cải cách hành chính (9,5/10,5 điểm, xếp vị thứ 7/20)",
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật (6/6,5 điểm, xếp vị thứ 19/20)",
    "Cải cách thủ tục hành chính (11,5/12,5 điểm, xếp vị thứ 13/20)",
    "Cải cách tổ chức bộ máy hành chính (8/8 điểm, xếp vị thứ 1/20)",
    "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức (10/10 điểm, xếp vị thứ 1/20)",
    "Cải cách tài chính công (8/8 điểm, xếp vị thứ 1/20)",
    "Hiện đại hoá hành chính (8,5/11 điểm, xếp vị thứ 19/20)",
]
SEED_LOST = ["1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"]
PEER = "co-quan-12"  # illustrative, with two not-applicable sub-criteria


@pytest.fixture(scope="module")
def ctx():
    return score_review.context(agency="Ban Dân tộc tỉnh Quảng Ngãi", year=2022, data_dir=str(DATA))


@pytest.fixture(scope="module")
def peer():
    return score_review.context(agency=PEER, year=2022, data_dir=str(DATA))


def _text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


def test_headline_is_the_seeds_sentence_from_computed_figures(ctx):
    assert _text(score_review.headline(ctx)) == (
        "Năm 2022, Chỉ số CCHC của Ban Dân tộc tỉnh Quảng Ngãi đạt 82,91/100 điểm, cao hơn so với năm 2021 là "
        "4,18 điểm, xếp vị thứ 13/20 cơ quan, đơn vị."
    )


def test_composition_splits_appraisal_and_survey(ctx):
    text = _text(score_review.composition(ctx))
    assert "Điểm thẩm định 61,5/66,5 điểm" in text and "điểm điều tra xã hội học 21,41/33,5 điểm" in text
    assert "Xếp loại: Khá (ngưỡng minh hoạ năm 2022" in text


def test_field_list_is_the_seeds_list_in_code_order(ctx):
    items = re.findall(r"<li>(.*?)</li>", score_review.field_list(ctx))
    assert items == SEED_FIELD_ITEMS


def test_field_table_shows_points_ranks_and_the_points_to_the_next_rank(ctx):
    html = score_review.field_table(ctx)
    assert '<td class="num">11,5/12,5</td><td class="num">92,0\u00a0%</td><td class="num">13/20</td>' in html
    assert '<td class="num">8,5/11</td>' in html and '<td class="num">2,5</td>' in html  # field 7 lost 2,5


def test_lost_summary_names_the_seven_codes_and_the_points_per_field(ctx):
    text = _text(score_review.lost_summary(ctx))
    assert f"bị trừ 5 điểm thẩm định ở 07 tiêu chí thành phần ({', '.join(SEED_LOST)})" in text
    assert (
        "lĩnh vực 7 bị trừ 2,5 điểm; lĩnh vực 1 bị trừ 1 điểm; lĩnh vực 3 bị trừ 1 điểm; lĩnh vực 2 bị trừ 0,5 điểm"
    ) in text


def test_lost_table_marks_the_losses_repeated_since_2021(ctx):
    html = score_review.lost_table(ctx)
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    assert [re.search(r'<td class="text">([\d.]+)</td>', r).group(1) for r in rows] == [
        "7.2.1",
        "7.2.2",
        "1.2.2",
        "1.5.1",
        "2.1.1.1",
        "3.1.2",
        "3.1.3",
    ]
    repeated = {re.search(r'<td class="text">([\d.]+)</td>', r).group(1) for r in rows if "2021–2022" in r}
    assert repeated == {"7.2.1", "7.2.2", "1.5.1", "2.1.1.1", "3.1.2"}


def test_rank_summary_gives_the_points_to_the_next_and_the_target_rank(ctx, dataset):
    from cchc_analysis.domain import scoring

    others = scoring.total_scores(dataset, 2022).set_index("agency_id")["index"].drop("ban-dan-toc")
    ordered = others.sort_values(ascending=False)
    text = _text(score_review.rank_summary(ctx))
    from cchc_analysis import fmt

    assert f"Cần thêm {fmt.number(ordered.iloc[11] - 82.91)} điểm để bằng cơ quan liền trên (vị thứ 12/20)" in text
    assert "Chỉ tiêu năm 2023 là trong tốp 10/20" in text
    assert f"cần thêm {fmt.number(ordered.iloc[9] - 82.91)} điểm" in text


def test_framework_note_flags_the_2023_change(ctx):
    text = _text(score_review.framework_note(ctx))
    assert "điểm tối đa lĩnh vực 7 từ 11 lên 11,5 điểm" in text
    assert "bỏ tiêu chí thành phần 7.2.3" in text
    assert "thêm tiêu chí thành phần 7.2.4" in text and "thêm tiêu chí 7.5 " in text and "7.5.1" in text


def test_targets_table_and_projection_of_2023(ctx):
    targets = _text(score_review.targets_table(ctx))
    assert "82,91/100 điểmtrên 85/100 điểmtrên 2,09 điểm" in targets
    assert "13/20trong tốp 10/20lên 3 bậc" in targets
    assert "8,5/11 điểmđạt 11,5/11,5 điểm3 điểm" in targets
    text = _text(score_review.projection_summary(ctx))
    assert "điểm thẩm định là 67/67 điểm" in text
    assert "giữ tỷ lệ năm 2022 (63,91\u00a0%, tức 21,09/33 điểm)" in text
    assert "dự kiến đạt 88,09/100 điểm (+5,18 điểm so với năm 2022), đạt chỉ tiêu trên 85 điểm" in text
    assert "xếp vị thứ 10/20 nếu các cơ quan khác giữ nguyên kết quả năm 2022 (đạt chỉ tiêu tốp 10/20)" in text
    assert "tương ứng 0,33 điểm chỉ số" in text
    assert "chỉ cần trên 54,55\u00a0% (trên 18/33 điểm)" in text
    assumptions = _text(score_review.assumptions_table(ctx))
    assert "100 − 67 = 33 điểm" in assumptions and "21,41/33,5 điểm, tức 63,91\u00a0%" in assumptions


def test_reconciliation_of_2022_matches(ctx):
    assert "160/160" in _text(score_review.reconciliation(ctx))


def test_reconciliation_lists_a_mismatch(ctx):
    import dataclasses

    pub = ctx.ds.published.copy()
    pub.loc[(pub["agency_id"] == "ban-dan-toc") & (pub["year"] == 2022) & (pub["scope"] == "3"), "points"] = 12.0
    broken = dataclasses.replace(ctx, ds=dataclasses.replace(ctx.ds, published=pub))
    html = score_review.reconciliation(broken)
    assert "Cảnh báo:" in html and "1/160" in html
    assert (
        '<td class="text">Lĩnh vực 3</td><td class="num">12 · hạng 13/20</td><td class="num">11,5 · hạng 13/20</td>'
        in html
    )


def test_provenance_says_what_is_official_and_what_illustrative(ctx, peer):
    own = _text(score_review.provenance_table(ctx))
    assert "Tổng điểm năm 2022Chính thức" in own and "Kết quả của các cơ quan khácMinh hoạ" in own
    assert "Điểm điều tra xã hội học năm 2022Suy ra từ số liệu chính thức" in own
    assert "chính thức" in score_review.cover(ctx)
    assert "minh hoạ" in score_review.cover(peer)
    assert "Tổng điểm năm 2022Minh hoạ" in _text(score_review.provenance_table(peer))


def test_a_peer_gets_its_own_figures_and_no_projection(peer, dataset):
    from cchc_analysis import fmt
    from cchc_analysis.domain import scoring

    mine = scoring.agency_summary(dataset, PEER, 2022)
    assert f"đạt {fmt.points(mine['index'], 100)} điểm" in _text(score_review.headline(peer))
    assert f"xếp vị thứ {fmt.rank(mine['rank'], 20)}" in _text(score_review.headline(peer))
    assert "87,61/97 điểm trên điểm tối đa của cơ quan" in _text(score_review.composition(peer))
    assert "không dự báo" in _text(score_review.projection_summary(peer))
    assert score_review.assumptions_table(peer) == ""
    assert (
        '<td class="text">6.2</td><td class="text">Giải ngân vốn đầu tư công</td><td class="num">Không áp dụng</td>'
        in (score_review.criteria_table(peer))
    )


def test_data_text_is_escaped(ctx):
    import dataclasses

    agencies = ctx.ds.agencies.copy()
    agencies.loc[agencies["agency_id"] == "ban-dan-toc", "name"] = "<b>Ban</b>"
    hostile = dataclasses.replace(ctx, ds=dataclasses.replace(ctx.ds, agencies=agencies))
    assert "&lt;b&gt;Ban&lt;/b&gt;" in score_review.headline(hostile) and "<b>Ban</b>" not in score_review.cover(
        hostile
    )


# --------------------------------------------------------------------------
# Notebook 01 under papermill
# --------------------------------------------------------------------------

NOTEBOOK = ROOT / "notebooks" / "01_score_review.ipynb"


def _outputs(path: Path) -> str:
    """Every text/html and text/plain output of an executed notebook, tags stripped."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(
                "[chart]" if "image/png" in data else "".join(data.get("text/html", data.get("text/plain", "")))
            )
            parts.append("".join(output.get("text", "")))
            assert output.get("output_type") != "error", output
    return _text("\n".join(parts))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    from cchc_analysis import render

    runs: dict[tuple[str, int], str] = {}

    def run(agency: str, year: int) -> str:
        if (agency, year) not in runs:
            out = tmp_path_factory.mktemp("score_review") / f"{agency}_{year}.ipynb"
            render.execute_notebook(NOTEBOOK, out, {"agency": agency, "year": year, "data_dir": str(DATA)}, timeout=300)
            runs[(agency, year)] = _outputs(out)
        return runs[(agency, year)]

    return run


def test_notebook_shows_the_seeds_2022_figures(executed):
    text = executed("ban-dan-toc", 2022)
    assert "đạt 82,91/100 điểm, cao hơn so với năm 2021 là 4,18 điểm, xếp vị thứ 13/20" in text
    for item in SEED_FIELD_ITEMS:
        assert item in text
    assert "61,5/66,5" in text and "21,41/33,5" in text
    assert f"({', '.join(SEED_LOST)})" in text
    assert "dự kiến đạt 88,09/100 điểm" in text and "Giả định của dự báo" in text
    assert "100 − 67 = 33 điểm" in text and "chỉ cần trên 54,55\u00a0%" in text
    assert "điểm tối đa lĩnh vực 7 từ 11 lên 11,5 điểm" in text
    assert "Chính thức" in text and "Minh hoạ" in text
    assert text.count("[chart]") == 6  # history, fields, Pareto, ranking, heat map, waterfall


def test_notebook_runs_for_2021(executed):
    text = executed("ban-dan-toc", 2021)
    assert "Năm 2021, Chỉ số CCHC của Ban Dân tộc tỉnh Quảng Ngãi đạt 78,73/100 điểm" in text
    assert "Chưa có kết quả năm trước năm 2021" in text
    assert "không dự báo" in text


@pytest.mark.parametrize("year", [2021, 2022])
def test_notebook_runs_for_an_illustrative_peer(executed, dataset, year):
    from cchc_analysis import fmt
    from cchc_analysis.domain import scoring

    text = executed(PEER, year)
    mine = scoring.agency_summary(dataset, PEER, year)
    assert f"Chỉ số CCHC của Cơ quan 12 (ẩn danh) đạt {fmt.points(mine['index'], 100)} điểm" in text
    assert f"xếp vị thứ {fmt.rank(mine['rank'], mine['n_ranked'])}" in text
    assert "là số liệu minh hoạ do bộ sinh dữ liệu tạo ra" in text
    assert "82,91/100" not in text
