"""The hand-maintained files the generator reads: validated by the tables' contracts and cross-checked, every
problem named by file, row and column before anything is generated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from cchc_analysis.cli import main
from cchc_analysis.errors import CchcDataError
from cchc_analysis.sample_data.sources import SEED_TABLES, load_sources

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(data: Path) -> list[str]:
    with pytest.raises(CchcDataError) as error:
        load_sources(data)
    return [str(problem) for problem in error.value.problems]


def test_the_embedded_sources_are_the_seeds():
    sources = load_sources(DATA)
    assert sources.agency == {
        "agency_id": "ban-dan-toc",
        "name": "Ban Dân tộc tỉnh Quảng Ngãi",
        "short_name": "Ban Dân tộc tỉnh",
        "provenance": "official",
    }
    assert (sources.result_years, sources.ranked_year, sources.n_ranked) == ((2021, 2022), 2022, 20)
    assert (sources.total(2021), sources.total(2022)) == (78.73, 82.91)  # 82,91 − 4,18 and 82,91
    assert sources.ranks(2022) == {"total": 13, "1": 7, "2": 19, "3": 13, "4": 1, "5": 1, "6": 1, "7": 19}
    # The seven sub-criteria the seed names as having lost points in 2022; the points add up to the fields' losses.
    assert sources.lost[2022] == {
        "1.2.2": 0.5,
        "1.5.1": 0.5,
        "2.1.1.1": 0.5,
        "3.1.2": 0.5,
        "3.1.3": 0.5,
        "7.2.1": 1.5,
        "7.2.2": 1.0,
    }
    assert sources.lost_provenance == {2021: "illustrative", 2022: "derived"}
    assert sources.plan_years == (2023,) and len(sources.tasks) == 51


def test_a_lost_point_on_a_criterion_that_has_children_is_refused(data):
    edit(data / "seed" / "lost_points.csv", "ban-dan-toc,2022,7.2.1,1.5,", "ban-dan-toc,2022,7.2,1.5,")
    assert problems_of(data) == [
        'data/seed/lost_points.csv, dòng 17, cột "code": giá trị "7.2" không hợp lệ; '
        "cần mã một tiêu chí lá của bộ tiêu chí năm 2022 [not_a_leaf]"
    ]


def test_published_field_points_must_be_the_maximum_minus_the_lost_points(data):
    edit(data / "seed" / "published.csv", "ban-dan-toc,2022,7,8.5,11,", "ban-dan-toc,2022,7,9,11,")
    assert problems_of(data) == [
        'data/seed/published.csv, dòng 10, cột "points": giá trị "9" không hợp lệ; '
        "seed/lost_points.csv cho lĩnh vực 7 năm 2022 8,5 điểm [sum_mismatch]"
    ]


def test_a_full_mark_field_cannot_be_ranked_below_first(data):
    edit(data / "seed" / "published.csv", "ban-dan-toc,2022,4,8,8,1,20,", "ban-dan-toc,2022,4,8,8,5,20,")
    assert [p.rsplit("[", 1)[1] for p in problems_of(data)] == ["impossible_rank]"]


def test_the_seed_folder_names_exactly_one_agency(data):
    with (data / "seed" / "agencies.csv").open("a", encoding="utf-8") as handle:
        handle.write("so-noi-vu,Sở Nội vụ,Sở Nội vụ,official\n")
    assert problems_of(data) == [
        "data/seed/agencies.csv: cần đúng một dòng (cơ quan của Kế hoạch), có 2 [one_agency]",
    ]


def test_a_missing_transcription_is_named(data):
    (data / "plan" / "targets.csv").unlink()
    problems = problems_of(data)
    assert len(problems) == 1 and problems[0].startswith("data/plan/targets.csv: không tìm thấy tệp")


def test_cli_names_a_bad_cell_of_a_transcription_and_exits_2(data, monkeypatch, capsys):
    edit(
        data / "plan" / "tasks.csv", "2023-11-30,illustrative,II.2.a1", "30/11/2023,illustrative,II.2.a1"
    )  # typed: fine
    edit(data / "plan" / "tasks.csv", ",one_off,,", ",sometimes,,")
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    before = (data / "results" / "scores.csv").read_bytes()
    assert main(["generate-data"]) == 2
    message = capsys.readouterr().err
    assert 'data/plan/tasks.csv, dòng 2, cột "kind": giá trị "sometimes" không hợp lệ' in message
    assert len(message.strip().splitlines()) == 2  # the heading and the one problem
    assert (data / "results" / "scores.csv").read_bytes() == before


def test_data_readme_documents_every_column_of_the_seed_tables():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for spec in SEED_TABLES:
        section = re.search(rf"### `{re.escape(spec.path)}\.csv`(.*?)(?=\n### |\Z)", text, re.S)
        assert section, f"data/README.md has no section for {spec.path}.csv"
        documented = set(re.findall(r"^\| `([a-z_]+)` \|", section.group(1), re.M))
        assert documented == set(spec.column_names), (spec.name, documented ^ set(spec.column_names))
