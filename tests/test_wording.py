"""The briefing as leaders read it (notebook 03 under papermill, 2023-Q2 and 2023-Q4): every wrong statement the
truthful-briefing issue quoted stays gone, the advice weighs both targets, and the register holds
(docs/glossary.md)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from cchc_analysis.present import score_review

NOTEBOOK = ROOT / "notebooks" / "03_briefing.ipynb"
PERIODS = ("2023-Q2", "2023-Q4")
AVOID = (
    "hạt giống",
    "bộ sinh dữ liệu",
    "Điểm cần lấy lại",
    "tốt lên",
    "xấu đi",
    "Hạn gần nhất chưa xong",
    "đã đến kỳ",
    "Đôn đốc Các phòng",
    "số liệu đã công bố",
    "lên 6 bậc",
    "hạng 19/20",
    "19 → 7",
    "19 → 13",
    "nhiều năm liền:",
    "điểm yếu lặp lại",
    "chỉ cần trên 54,55",
    "160/160",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """{period: the HTML of every output of the executed briefing}."""
    from cchc_analysis import render

    folder = tmp_path_factory.mktemp("briefing")
    found = {}
    for period in PERIODS:
        out = folder / f"03_{period}.ipynb"
        render.execute_notebook(
            NOTEBOOK, out, {"period": period, "agency": "ban-dan-toc", "as_of": "", "data_dir": str(DATA)}, timeout=300
        )
        cells = json.loads(Path(out).read_text(encoding="utf-8"))["cells"]
        found[period] = "\n".join(
            "".join(output.get("data", {}).get("text/html", "")) for cell in cells for output in cell.get("outputs", [])
        )
    return found


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("period", PERIODS)
def test_no_wrong_statement_comes_back(pages, period):
    text = _text(pages[period])
    for wrong in AVOID:
        assert wrong not in text, wrong


@pytest.mark.parametrize("period", PERIODS)
def test_the_advice_names_both_thresholds_and_the_scenarios(pages, period):
    text = _text(pages[period])
    assert (
        "trên 54,55\u00a0%†" in text
        and "từ 62,48\u00a0%*" in text
        and "Ràng buộc chặt hơn là chỉ tiêu thứ hạng" in text
    )
    assert "Kịch bản năm 2023" in text and "Không đạt chỉ tiêu thứ hạng" in text
    assert "chưa có số liệu chính thức" in text  # the 2021 rank is withheld, not invented
    assert text.count("Ký hiệu:") == 1  # one legend per page


@pytest.mark.parametrize("period", PERIODS)
def test_every_non_official_figure_of_the_cards_is_marked(pages, period):
    cards = re.findall(r'<div class="cchc-card-value">(.*?)</div>', pages[period])
    assert "88,09/100" in cards[4] and "cchc-mark-derived" in cards[4]  # the projection
    assert "cchc-mark-illustrative" in cards[5]  # the survey share the rank target needs
    assert "cchc-mark-illustrative" in cards[6]  # the plan's statuses rest on illustrative progress
    assert "cchc-mark" not in cards[0] and "cchc-mark" not in cards[1]  # 82,91/100 and 13/20 are official


@pytest.mark.parametrize("period", PERIODS)
def test_no_sentence_starts_with_a_digit(pages, period):
    paragraphs = re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", pages[period], flags=re.S)
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=[.!?])\s+", _text(paragraph).strip()):
            assert not sentence[:1].isdigit(), sentence


def test_the_pages_use_each_years_field_names(dataset):
    """The code reads the names of each framework year; the seed's wording is the data's job (2022 field 7:
    "Hiện đại hoá hành chính"; 2023: "Xây dựng và phát triển chính quyền điện tử, hướng tới chính quyền số")."""
    ctx = score_review.context(agency="ban-dan-toc", year=2022, data_dir=str(DATA))
    framework = ctx.ds.framework.copy()
    framework.loc[(framework["year"] == 2022) & (framework["code"] == "4"), "name"] = "Cải cách tổ chức bộ máy"
    renamed = dataclasses.replace(ctx, ds=dataclasses.replace(ctx.ds, framework=framework))
    assert "<li>Cải cách tổ chức bộ máy (8/8 điểm, xếp vị thứ 1/20)</li>" in score_review.field_list(renamed)
    note = _text(score_review.targets_table(ctx))
    assert "lĩnh vực 7: năm 2022 là “Hiện đại hoá hành chính”, năm 2023 là “" in note  # said once, where both show


SEED_FIELDS_2022 = {
    "1": "Công tác chỉ đạo điều hành",
    "2": "Xây dựng và thực hiện văn bản quy phạm pháp luật",
    "3": "Cải cách thủ tục hành chính",
    "4": "Cải cách tổ chức bộ máy",
    "5": "Xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức",
    "6": "Cải cách tài chính công",
    "7": "Hiện đại hoá hành chính",
}


SEED_FIELDS_2023 = {
    **SEED_FIELDS_2022,
    "1": "Công tác chỉ đạo điều hành CCHC",
    "2": "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật (QPPL)",
    "3": "Cải cách thủ tục hành chính (TTHC)",
    "7": "Xây dựng và phát triển chính quyền điện tử, hướng tới chính quyền số",
}


def test_the_embedded_field_names_are_the_seeds(dataset):
    """2022's names as section I.2 writes them, 2023's as the headings of section II.2."""
    for year, expected in ((2022, SEED_FIELDS_2022), (2023, SEED_FIELDS_2023)):
        names = dataset.framework_for(year).query("level == 'field'").set_index("code")["name"].to_dict()
        assert names == expected, year
    seed = (Path(__file__).resolve().parents[1] / "data" / "seed" / "ke_hoach_2023.txt").read_text(encoding="utf-8")
    flat = " ".join(seed.split())
    for name in {*SEED_FIELDS_2022.values(), *SEED_FIELDS_2023.values()}:
        assert name in flat, name
