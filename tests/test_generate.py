"""The seeded generator: it reproduces the committed data folder byte for byte from the hand-maintained files,
its peers reproduce the agency's published ranks whatever the seed, and the scale mode gives a valid folder."""

from __future__ import annotations

import shutil

import pytest
from conftest import DATA

from cchc_analysis.domain import scoring
from cchc_analysis.ingest.dataset import load_data, validate_data
from cchc_analysis.sample_data import generate, output
from cchc_analysis.sample_data.sources import load_sources

AGENCY = "ban-dan-toc"
# Seed I.2, fields in code order 1..7: "(3) Công tác chỉ đạo điều hành (9,5/10,5 điểm, xếp vị thứ 7/20)", …
SEED_FIELD_RANKS = {"1": 7, "2": 19, "3": 13, "4": 1, "5": 1, "6": 1, "7": 19}
GENERATED = ["agencies.csv", "config/bands.csv", "progress/progress.csv", "results/published.csv"]
GENERATED += ["results/scores.csv", "results/survey.csv"]
MAINTAINED = ["framework/2021.csv", "framework/2022.csv", "framework/2023.csv", "plan/targets.csv", "plan/tasks.csv"]
MAINTAINED += ["units.csv"]


@pytest.fixture(scope="module")
def sources():
    return load_sources(DATA)


@pytest.fixture(scope="module")
def built(sources):
    return generate.build(sources)


def test_committed_data_is_what_the_generator_writes(built):
    comparison = output.compare(DATA, built, with_progress=True)
    assert (comparison.new, comparison.changed) == ([], [])
    assert sorted(comparison.unchanged) == sorted(GENERATED + MAINTAINED)


def test_hand_maintained_files_are_copied_as_they_are_never_regenerated(built):
    for relative in MAINTAINED:
        assert built[relative] == (DATA / relative).read_bytes(), relative
    assert not any(relative.startswith("seed/") for relative in built)  # read by the generator, not data tables


def test_generator_is_deterministic_and_another_seed_still_agrees_with_the_seed(sources, built, tmp_path):
    assert generate.build(sources) == built
    other = generate.build(sources, seed_value=7)
    assert other["results/scores.csv"] != built["results/scores.csv"]
    output.write(tmp_path / "data", other, with_progress=True)
    assert validate_data(tmp_path / "data") == []
    # The agency's own published figures do not depend on the seed.
    mine = [line for line in other["results/published.csv"].decode().splitlines() if line.startswith(f"{AGENCY},")]
    assert mine == [
        line for line in built["results/published.csv"].decode().splitlines() if line.startswith(f"{AGENCY},")
    ]
    # …and the ranks, computed from the generated peer table as the analyses do, are the published ones.
    dataset = load_data(tmp_path / "data")
    totals = scoring.total_scores(dataset, 2022).set_index("agency_id")
    assert (totals.at[AGENCY, "index"], totals.at[AGENCY, "rank"], totals.at[AGENCY, "n_ranked"]) == (82.91, 13, 20)
    fields = scoring.field_scores(dataset, 2022)
    fields = fields[fields["agency_id"] == AGENCY].set_index("field_code")
    assert {code: int(fields.at[code, "rank"]) for code in fields.index} == SEED_FIELD_RANKS


def test_the_generator_reads_the_lost_points_from_the_seed_folder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    lost = data / "seed" / "lost_points.csv"
    text = lost.read_text(encoding="utf-8")
    # Field 1 still loses 1 point in 2022 (9,5/10,5), now split 0,25 + 0,75 instead of 0,5 + 0,5.
    text = text.replace("ban-dan-toc,2022,1.2.2,0.5,", "ban-dan-toc,2022,1.2.2,0.25,")
    text = text.replace("ban-dan-toc,2022,1.5.1,0.5,", "ban-dan-toc,2022,1.5.1,0.75,")
    lost.write_text(text, encoding="utf-8")
    scores = generate.build(load_sources(data))["results/scores.csv"].decode().splitlines()
    mine = {line.split(",")[2]: line for line in scores if line.startswith(f"{AGENCY},2022,")}
    assert mine["1.2.2"].split(",")[4] == "0.75"  # maximum 1 minus 0,25
    assert mine["1.5.1"].split(",")[4] == "0.25"  # maximum 1 minus 0,75
    assert mine["1.1.1"].split(",")[4:] == ["0.5", "không", "derived"]  # not named by the seed: full marks


def test_scale_mode_writes_a_valid_folder_with_the_agencys_real_figures(sources, tmp_path):
    files = generate.build(sources, seed_value=3, scale=generate.Scale(n_agencies=25, n_years=5))
    assert sorted(path for path in files if path.startswith("framework/")) == [
        f"framework/{year}.csv" for year in range(2019, 2024)
    ]
    # A year without its own tree: an illustrative copy of the earliest maintained one (2021).
    copy = files["framework/2019.csv"].decode().splitlines()
    assert copy[1] == "1,,field,Công tác chỉ đạo điều hành,10.5,illustrative"
    assert all(line.endswith(",illustrative") for line in copy[1:])
    output.write(tmp_path / "scale", files, with_progress=True)
    dataset = load_data(tmp_path / "scale")
    assert len(dataset.agencies) == 25 and dataset.result_years == list(range(2019, 2024))
    totals = scoring.total_scores(dataset, 2022).set_index("agency_id")
    assert totals.at[AGENCY, "index"] == 82.91
