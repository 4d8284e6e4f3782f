"""The seed's 2022 figures, computed from sub-criterion points in data/ and checked against the seed's text."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_analysis import scoring

AGENCY = "ban-dan-toc"
# Seed, I.2: (points, maximum, rank) per field code.
SEED_FIELDS_2022 = {
    "1": (9.5, 10.5, 7),
    "2": (6.0, 6.5, 19),
    "3": (11.5, 12.5, 13),
    "4": (8.0, 8.0, 1),
    "5": (10.0, 10.0, 1),
    "6": (8.0, 8.0, 1),
    "7": (8.5, 11.0, 19),
}
SEED_LOST_2022 = {"1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2"}


def test_total_and_rank_2022(dataset):
    totals = scoring.total_scores(dataset, 2022).set_index("agency_id")
    mine = totals.loc[AGENCY]
    assert mine["index"] == pytest.approx(82.91)
    assert (mine["rank"], mine["n_ranked"]) == (13, 20)


def test_split_between_appraisal_and_survey_2022(dataset):
    mine = scoring.total_scores(dataset, 2022).set_index("agency_id").loc[AGENCY]
    assert (mine["appraisal_points"], mine["appraisal_max"]) == (61.5, 66.5)
    assert mine["survey_points"] == pytest.approx(21.41)
    assert mine["survey_max"] == 33.5
    assert mine["total_points"] == pytest.approx(82.91)


def test_change_from_2021(dataset):
    totals = {year: scoring.total_scores(dataset, year).set_index("agency_id").loc[AGENCY, "index"] for year in (2021, 2022)}
    assert totals[2022] - totals[2021] == pytest.approx(4.18)


@pytest.mark.parametrize("field_code", sorted(SEED_FIELDS_2022))
def test_each_field_points_maximum_and_rank_2022(dataset, field_code):
    fields = scoring.field_scores(dataset, 2022)
    row = fields[(fields["agency_id"] == AGENCY) & (fields["field_code"] == field_code)].iloc[0]
    assert (row["points"], row["max_points"], row["rank"], row["n_ranked"]) == (*SEED_FIELDS_2022[field_code], 20)


def test_seven_sub_criteria_lost_points_and_points_lost_per_field(dataset):
    lost = scoring.lost_points(dataset, AGENCY, 2022)
    assert set(lost["code"]) == SEED_LOST_2022
    per_field = lost.groupby("field_code")["lost"].sum().to_dict()
    assert per_field == {"1": 1.0, "2": 0.5, "3": 1.0, "7": 2.5}
    assert lost["lost"].sum() == 5.0
    names = lost.set_index("code")["name"]
    assert names["7.2.1"] == "Số TTHC cung cấp trực tuyến mức độ 3, 4 có phát sinh hồ sơ"
    assert names["1.5.1"] == "Có từ 03 sáng kiến hoặc giải pháp mới trong cải cách hành chính"


def test_computed_figures_reconcile_with_published(dataset):
    """Every agency's computed total, field points and ranks equal the published table, for every year."""
    for year in dataset.result_years:
        published = dataset.published[dataset.published["year"] == year].set_index(["agency_id", "scope"])
        totals = scoring.total_scores(dataset, year).set_index("agency_id")
        fields = scoring.field_scores(dataset, year).set_index(["agency_id", "field_code"])
        for (agency, scope), row in published.iterrows():
            computed = totals.loc[agency] if scope == "total" else fields.loc[(agency, scope)]
            points = computed["index"] if scope == "total" else computed["points"]
            assert points == pytest.approx(row["points"]), (year, agency, scope)
            if pd.notna(row["rank"]):
                assert computed["rank"] == row["rank"], (year, agency, scope)


def test_competition_rank_shares_ties():
    ranks = scoring.competition_rank(pd.Series([8.0, 8.0, 8.0, 7.5, 9.0, 0.1 + 0.2, 0.3]))
    assert ranks.tolist() == [2, 2, 2, 5, 1, 6, 6]


def test_not_applicable_leaves_the_agency_maximum(dataset):
    """co-quan-12 has two not-applicable sub-criteria (6.2.1, 6.2.2: 3 points): its own maximum is 97."""
    totals = scoring.total_scores(dataset, 2022).set_index("agency_id")
    peer = totals.loc["co-quan-12"]
    assert peer["max_points"] == 97.0
    assert peer["index"] == pytest.approx(round(peer["total_points"] / 97.0 * 100, 2))
    fields = scoring.field_scores(dataset, 2022).set_index(["agency_id", "field_code"])
    assert fields.loc[("co-quan-12", "6"), "max_points"] == 5.0


def test_unknown_year_is_a_clear_error(dataset):
    from cchc_analysis.exceptions import CchcParameterError

    with pytest.raises(CchcParameterError, match="2019"):
        scoring.total_scores(dataset, 2019)
