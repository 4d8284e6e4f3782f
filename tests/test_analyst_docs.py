"""docs/analyst.md: ten recipes an analyst runs in JupyterLab. Each one runs on its own, and gives the seed's figures.

Every ```python block is executed in a fresh namespace, in a temporary working directory (the recipes that write a
PNG or an Excel file write there, not into the repository), with matplotlib's Agg backend. A ```text block right
after a recipe is exactly what the recipe prints. The expected figures come from the seed (the 2022 results and the
2023 plan of Ban Dân tộc tỉnh, data/seed/) or from hand computation over the data files, never from the functions
the recipes call.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import matplotlib
import pytest
from conftest import SEED_FIELDS_2022

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "analyst.md"
AGENCY = "ban-dan-toc"

SEED_FIELDS = SEED_FIELDS_2022  # the seed, section I.2
SEED_TOTAL, SEED_RANK, SEED_AGENCIES = 82.91, 13, 20
#: The plan's 2023 overall targets (II.2.1 b): above 85 points and the top 10 of 20; field 7's maximum is 11,5 in
#: 2023 (the other fields keep theirs), so the 2023 appraisal maximum is 67 and the survey's 33.
TARGET_POINTS, TARGET_RANK = 85.0, 10
MAX_2023 = {**{code: maximum for code, (_, maximum, _) in SEED_FIELDS.items()}, "7": 11.5}


def _recipes() -> list[tuple[str, str | None]]:
    """Each ```python block of the doc with the ```text block that follows it (None when none does)."""
    text = DOC.read_text(encoding="utf-8")
    blocks = list(re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.S | re.M))
    recipes: list[tuple[str, str | None]] = []
    previous_end = 0
    for block in blocks:
        kind, body = block.group(1), block.group(2)
        if kind == "python":
            recipes.append((body, None))
        elif kind == "text" and recipes and recipes[-1][1] is None:
            between = text[previous_end : block.start()]
            assert not between.strip(), "an output block follows its recipe directly"
            recipes[-1] = (recipes[-1][0], body)
        else:
            raise AssertionError(f"docs/analyst.md: a ```{kind} block that is neither a recipe nor its output")
        previous_end = block.end()
    return recipes


RECIPES = _recipes()


def test_the_doc_has_exactly_ten_recipes_and_the_readme_links_it():
    assert len(RECIPES) == 10
    assert len(re.findall(r"^## \d+\. ", DOC.read_text(encoding="utf-8"), re.M)) == 10
    assert "](docs/analyst.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> dict[int, tuple[dict, str, Path]]:
    """Every recipe run once: its namespace (with ``__error__`` when it raised), what it printed, its folder."""
    matplotlib.use("Agg")
    results = {}
    for number, (code, _) in enumerate(RECIPES, start=1):
        folder = tmp_path_factory.mktemp(f"recipe{number}")
        namespace: dict = {"__name__": "__main__"}
        printed = io.StringIO()
        with contextlib.chdir(folder), contextlib.redirect_stdout(printed):
            try:
                exec(compile(code, f"docs/analyst.md recipe {number}", "exec"), namespace)
            except Exception as error:  # reported by the recipe's own test
                namespace["__error__"] = error
        results[number] = (namespace, printed.getvalue(), folder)
    return results


@pytest.mark.parametrize("number", range(1, 11))
def test_every_recipe_runs_and_prints_what_the_doc_shows(ran, number):
    namespace, printed, folder = ran[number]
    assert "__error__" not in namespace, f"recipe {number} raised {namespace['__error__']!r}"
    assert "cchc" in namespace
    expected = RECIPES[number - 1][1]
    if expected is not None:
        assert printed == expected
    assert not any(p for p in folder.iterdir() if p.suffix not in (".png", ".xlsx"))


def test_recipe_1_the_scorecard_is_the_seeds(ran):
    namespace, printed, _ = ran[1]
    summary, fields = namespace["summary"], namespace["fields"]
    assert round(float(summary["index"]), 2) == SEED_TOTAL
    assert (int(summary["rank"]), int(summary["n_ranked"])) == (SEED_RANK, SEED_AGENCIES)
    got = {row.code: (row.points, row.max_points, int(row.rank)) for row in fields.itertuples()}
    assert got == SEED_FIELDS
    assert "82,91/100" in printed and "13/20" in printed  # decimal comma, rank as published


def test_recipe_2_compares_the_shares_of_the_maximum(ran):
    comparison = ran[2][0]["comparison"]
    assert list(comparison.index) == list(SEED_FIELDS)
    for code, (points, maximum, _) in SEED_FIELDS.items():
        assert comparison.at[code, AGENCY] == pytest.approx(points / maximum)
    best = ran[2][0]["best"]
    assert best != AGENCY
    assert (comparison["gap"] == comparison[best] - comparison[AGENCY]).all()


def test_recipe_3_follows_field_7_to_2022(ran):
    field7 = ran[3][0]["field7"].set_index("year")
    assert list(field7.index) == [2021, 2022]
    assert (field7.at[2022, "points"], field7.at[2022, "max_points"], field7.at[2022, "rank"]) == (8.5, 11.0, 19)


def test_recipe_4_the_losses_add_up_to_the_seeds(ran):
    losses = ran[4][0]["losses"]
    # 66,5 appraisal points possible, 61,5 won (the seed's field results): 5 points lost
    lost_by_field = {code: maximum - points for code, (points, maximum, _) in SEED_FIELDS.items() if maximum > points}
    assert losses.groupby("field_code")["lost"].sum().to_dict() == pytest.approx(lost_by_field)
    assert losses["lost"].sum() == pytest.approx(5.0) and losses["cumulative"].iloc[-1] == pytest.approx(5.0)
    assert losses["lost"].is_monotonic_decreasing
    # the seed names these lost sub-criteria (I.3 and II.2)
    assert {"1.2.2", "1.5.1", "2.1.1.1"} <= set(losses["code"])


def test_recipe_5_the_online_service_tasks_protect_field_7s_lost_points(ran):
    by_task = ran[5][0]["by_task"].droplevel("unit_name")
    # T7-05 names 7.2.1 and 7.2.2 (II.2 g): field 7 lost 11 − 8,5 = 2,5 points in 2022
    assert by_task["T7-05"] == pytest.approx(2.5)
    assert by_task.iloc[0] == pytest.approx(2.5)
    # T1-06 names 1.5.1 (the initiatives), which lost 0,5 of field 1's 1 point
    assert 0 < by_task["T1-06"] <= 1.0


def test_recipe_6_status_follows_the_updates_on_record(ran):
    # data/progress/progress.csv: T1-06 done on 28/06/2023; T7-05's second quarter reported blocked on 26/06/2023
    printed = ran[6][1].splitlines()
    assert printed[1] == "30/06/2023: T1-06 Hoàn thành; T7-05 quý II Gặp vướng mắc"
    assert "Hoàn thành" not in printed[0] and "vướng mắc" not in printed[0]
    units = ran[6][0]["units"]
    assert set(units.index) == {"Văn phòng Ban", "Thanh tra Ban", "Các phòng thuộc Ban"}


def _tenth_index_among_peers_2022() -> float:
    """The 10th best 2022 total of the 19 other departments, read from the published table by hand."""
    with (ROOT / "data/results/published.csv").open(encoding="utf-8") as handle:
        totals = [
            float(row["points"].replace(",", "."))
            for row in csv.DictReader(handle)
            if row["year"] == "2022" and row["scope"] == "total" and row["agency_id"] != AGENCY
        ]
    assert len(totals) == SEED_AGENCIES - 1
    return sorted(totals, reverse=True)[TARGET_RANK - 1]


def test_recipe_7_the_rank_target_binds(ran):
    namespace = ran[7][0]
    overall, need = namespace["overall"], namespace["need"]
    assert overall.at["points", "gap"] == pytest.approx(TARGET_POINTS - SEED_TOTAL)  # 2,09
    assert overall.at["rank", "gap"] == SEED_RANK - TARGET_RANK  # 3 places
    tenth = _tenth_index_among_peers_2022()
    assert need.at["rank", "index_needed"] == pytest.approx(tenth)
    assert tenth > TARGET_POINTS  # so the rank target is the harder one
    assert bool(need.at["rank", "binding"]) and not bool(need.at["points", "binding"])


def test_recipe_8_winning_back_the_online_service_points(ran):
    namespace = ran[8][0]
    w = namespace["w"]
    # by hand: fields 1–6 keep their 2022 points (same maxima), field 7 keeps its share of 11,5 and wins back
    # 7.2.1 and 7.2.2 (2,5 points); the survey keeps its 2022 share (21,41 of 33,5) of 33 points
    fields = sum(points for code, (points, _, _) in SEED_FIELDS.items() if code != "7")
    field7 = 8.5 / 11.0 * MAX_2023["7"] + 2.5
    survey = 21.41 / 33.5 * (100 - sum(MAX_2023.values()))
    assert w.index == pytest.approx(round(fields + field7 + survey, 2))  # 85,48
    assert w.meets_total and not w.meets_rank
    assert w.index < _tenth_index_among_peers_2022()
    table = namespace["table"].set_index("scenario")
    every_target = sum(MAX_2023.values()) + survey  # every field target is its 2023 maximum: 67 + 21,09
    assert table.at["targets_met", "index"] == pytest.approx(round(every_target, 2))  # 88,09


def test_recipe_9_saves_the_chart_as_png(ran):
    namespace, _, folder = ran[9]
    png = folder / "diem_bi_tru_2022.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "7.2.1" in namespace["chart"].alt and "5 điểm" in namespace["chart"].alt


def test_recipe_10_the_excel_round_trip_keeps_the_table(ran):
    namespace, _, folder = ran[10]
    lost, back = namespace["lost"], namespace["back"]
    assert (folder / "diem_bi_tru_2022.xlsx").is_file()
    assert list(back.columns) == list(lost.columns)
    assert list(back["code"]) == list(lost["code"]) and "2.1.1.1" in set(back["code"])
    assert back["lost"].sum() == pytest.approx(5.0)
