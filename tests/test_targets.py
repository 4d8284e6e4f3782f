"""Target gaps and the projection: the seed's 2023 targets against the 2022 results, and hand-checked arithmetic."""

from __future__ import annotations

import pytest
from tiny_dataset import tiny_dataset

from cchc_analysis.domain import targets
from cchc_analysis.errors import CchcParameterError

AGENCY = "ban-dan-toc"
SEED_TARGETS_2023 = {"1": 10.5, "2": 6.5, "3": 12.5, "4": 8.0, "5": 10.0, "6": 8.0, "7": 11.5}


def test_the_seeds_2023_targets_and_their_gaps(dataset):
    gaps = targets.target_gaps(dataset, AGENCY, 2022)
    fields = gaps[gaps["scope"] != "total"].set_index("scope")
    assert fields["target"].to_dict() == SEED_TARGETS_2023
    assert fields["gap"].to_dict() == {"1": 1.0, "2": 0.5, "3": 1.0, "4": 0.0, "5": 0.0, "6": 0.0, "7": 3.0}
    assert fields.loc["7", ["last", "last_max", "target_max"]].tolist() == [8.5, 11.0, 11.5]  # the maximum grows
    total = gaps[(gaps["scope"] == "total")].set_index("metric")
    assert total.loc["points", ["comparator", "target", "last", "met"]].tolist() == [">", 85.0, 82.91, False]
    assert total.loc["points", "gap"] == pytest.approx(2.09)
    assert total.loc["rank", ["comparator", "target", "out_of", "last", "gap"]].tolist() == ["<=", 10.0, 20, 13, 3]


def test_projection_2023_if_every_field_target_is_met(dataset):
    p = targets.project(dataset, AGENCY, 2022)
    assert (p.appraisal_points, p.appraisal_max) == (67.0, 67.0)
    assert p.survey_max == 33.0  # 100 − 67: the survey's maximum in 2023 from the framework
    assert p.survey_share == pytest.approx(21.41 / 33.5)
    assert p.survey_points == pytest.approx(33 * 21.41 / 33.5, abs=1e-4)
    assert p.index == pytest.approx(round(67 + 33 * 21.41 / 33.5, 2)) == pytest.approx(88.09)
    assert p.survey_points_per_pp == pytest.approx(0.33)
    assert p.min_survey_share == pytest.approx((85 - 67) / 33) and p.min_survey_strict
    assert p.meets_total_target is True
    peers = p.peers[~p.peers["projected"]]["index"]
    assert p.rank == int((peers > 88.09).sum()) + 1 == 10 and p.n_ranked == 20
    assert p.meets_rank_target is True
    assert p.assumptions["assumption"].tolist() == [
        "field_targets_met",
        "survey_share_held",
        "survey_max_from_framework",
        "peers_hold_last_total",
    ]
    assert "63,91" in p.assumptions.set_index("assumption").at["survey_share_held", "description"]


def test_projection_arithmetic_by_hand():
    """a (2022: 35/40 + 10/20 + survey 30/40) with a target for field 1 only; field 2's maximum grows to 25."""
    p = targets.project(tiny_dataset(), "a", 2022)
    fields = p.fields.set_index("field_code")
    assert fields.loc["1", ["points", "basis"]].tolist() == [40.0, "target"]
    assert fields.loc["2", ["points", "max_points", "basis"]].tolist() == [12.5, 25.0, "held_share"]  # 0,5 × 25
    assert (p.appraisal_points, p.appraisal_max, p.survey_max) == (52.5, 65.0, 35.0)
    assert p.survey_points == 26.25 and p.index == 78.75  # 52,5 + 0,75 × 35
    assert p.meets_total_target is False  # target: > 80
    assert p.min_survey_share == pytest.approx((80 - 52.5) / 35)
    assert p.survey_points_per_pp == pytest.approx(0.35)
    assert (p.rank, p.n_ranked, p.meets_rank_target) == (2, 4, False)  # behind c's 90
    assert "fields_without_target_hold_share" in set(p.assumptions["assumption"])


def test_target_comparators():
    assert targets.meets(85.0, ">=", 85) and not targets.meets(85.0, ">", 85) and targets.meets(85.01, ">", 85)
    assert targets.meets(10, "<=", 10) and not targets.meets(11, "<=", 10)
    with pytest.raises(CchcParameterError):
        targets.meets(1, "=", 1)


def test_no_targets_means_no_projection(dataset):
    assert targets.target_gaps(dataset, "co-quan-01", 2022).empty
    assert not targets.has_targets(dataset, "co-quan-01", 2023)
    with pytest.raises(CchcParameterError, match="chưa có chỉ tiêu"):
        targets.project(dataset, "co-quan-01", 2022)
