"""The seed's 2022 figures, computed from sub-criterion points in data/ and checked against the seed's text."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEED_FIELDS_2022

from cchc_analysis.domain import scoring

AGENCY = "ban-dan-toc"
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
    totals = {
        year: scoring.total_scores(dataset, year).set_index("agency_id").loc[AGENCY, "index"] for year in (2021, 2022)
    }
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
    from cchc_analysis.errors import CchcParameterError

    with pytest.raises(CchcParameterError, match="2019"):
        scoring.total_scores(dataset, 2019)


# --------------------------------------------------------------------------
# Scorecard, losses, ranks, years, bands and reconciliation
# --------------------------------------------------------------------------

from tiny_dataset import tiny_dataset  # noqa: E402

SEED_RANK_GAPS_2022 = {"1": 7, "2": 19, "3": 13, "4": 1, "5": 1, "6": 1, "7": 19}


@pytest.fixture(scope="module")
def tiny():
    return tiny_dataset()


def test_scorecard_sums_the_tree_to_the_seed_figures(dataset):
    card = scoring.scorecard(dataset, AGENCY, 2022).set_index("code")
    fields = card[card["level"] == "field"]
    assert {code: (row.points, row.max_points) for code, row in fields.iterrows()} == {
        code: figures[:2] for code, figures in SEED_FIELDS_2022.items()
    }
    assert (fields["points"].sum(), fields["max_points"].sum()) == (61.5, 66.5)
    assert set(card.index[card["is_leaf"] & (card["lost"] > 0)]) == SEED_LOST_2022
    # a criterion sums its sub-criteria; a detail (2.1.1.1) sits under its sub-criterion
    assert card.loc["7.2", "lost"] == 2.5 and card.loc["2.1.1", "lost"] == 0.5
    assert card.loc["2.1.1.1", ["level", "parent_code", "points", "max_points"]].tolist() == [
        "detail",
        "2.1.1",
        0.0,
        0.5,
    ]
    assert card.loc["3", "share"] == pytest.approx(0.92)
    assert list(card.index[:3]) == ["1", "1.1", "1.1.1"]


def test_scorecard_self_assessment_against_appraisal(dataset):
    card = scoring.scorecard(dataset, AGENCY, 2022).set_index("code")
    assert card.loc["7", ["self_points", "points", "self_gap"]].tolist() == [10.0, 8.5, 1.5]
    gaps = scoring.self_assessment_gaps(dataset, AGENCY, 2022)
    assert gaps["code"].tolist() == ["7.2.1", "1.2.2", "3.1.2"]
    assert gaps["self_gap"].tolist() == [1.5, 0.5, 0.5]


def test_scorecard_removes_not_applicable_from_the_maximum(tiny):
    card = scoring.scorecard(tiny, "c", 2022).set_index("code")
    assert card.loc["2.1.1", "not_applicable"] and pd.isna(card.loc["2.1.1", "share"])
    assert card.loc["2", ["points", "max_points", "framework_max", "share"]].tolist() == [10.0, 10.0, 20.0, 1.0]
    assert card.loc["2", "not_applicable"] == False  # noqa: E712  (one of its leaves still applies)


def test_scorecard_of_an_agency_without_results_is_a_clear_error(tiny):
    from cchc_analysis.errors import CchcParameterError

    with pytest.raises(CchcParameterError, match="e"):
        scoring.scorecard(tiny, "e", 2022)


def test_summary_splits_appraisal_survey_and_band(dataset):
    mine = scoring.agency_summary(dataset, AGENCY, 2022)
    assert (mine["appraisal_points"], mine["appraisal_max"], mine["survey_points"], mine["survey_max"]) == (
        61.5,
        66.5,
        21.41,
        33.5,
    )
    assert mine["survey_share"] == pytest.approx(21.41 / 33.5)
    assert mine["band"] == "Khá"  # 82,91 % within the illustrative bands 80–90 %


def test_bands_use_the_configured_thresholds_with_the_lower_bound_included(tiny):
    shares = pd.Series([0.9, 0.8999, 0.8, 0.65, 0.2, 1.0])
    assert scoring.classify_bands(tiny, 2022, shares).tolist() == ["Tốt", "Khá", "Khá", "Trung bình", "Yếu", "Tốt"]
    assert scoring.classify_bands(tiny, 2021, shares).isna().all()  # no bands configured for 2021
    assert scoring.agency_summary(tiny, "c", 2022)["band"] == "Tốt"


def test_pareto_of_the_seven_sub_criteria_and_of_fields(dataset):
    leaves = scoring.pareto_losses(dataset, AGENCY, 2022)
    assert leaves["code"].tolist() == ["7.2.1", "7.2.2", "1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3"]
    assert leaves["lost"].tolist() == [1.5, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert leaves["cumulative"].iloc[-1] == 5.0 and leaves["cumulative_share"].tolist()[:2] == [0.3, 0.5]
    fields = scoring.pareto_losses(dataset, AGENCY, 2022, by="field")
    assert list(zip(fields["code"], fields["lost"])) == [("7", 2.5), ("1", 1.0), ("3", 1.0), ("2", 0.5)]
    assert fields["cumulative_share"].iloc[-1] == 1.0


def test_repeated_losses_in_consecutive_years(dataset, tiny):
    repeated = scoring.repeated_losses(dataset, AGENCY, 2022)
    assert set(repeated["code"]) == {"7.2.1", "7.2.2", "1.5.1", "2.1.1.1", "3.1.2"}
    assert repeated["ongoing"].all() and (repeated["n_years"] == 2).all()
    assert scoring.repeated_losses(dataset, AGENCY, 2021).empty  # one year only
    mine = scoring.repeated_losses(tiny, "a", 2022).set_index("code")
    assert sorted(mine.index) == ["1.1.2", "2.1.2"]  # 2.1.1 lost in 2021 only
    assert mine.loc["2.1.2", ["lost", "lost_last_year"]].tolist() == [20.0, 10.0]


def test_rank_gaps_of_the_seed(dataset):
    gaps = scoring.rank_gaps(dataset, AGENCY, 2022, target_rank=10).set_index("scope")
    assert (gaps.loc["total", "rank"], gaps.loc["total", "n_ranked"]) == (13, 20)
    assert {code: gaps.loc[code, "rank"] for code in SEED_RANK_GAPS_2022} == SEED_RANK_GAPS_2022
    totals = scoring.total_scores(dataset, 2022).set_index("agency_id")["index"]
    tenth_other = totals.drop(AGENCY).sort_values(ascending=False).iloc[9]
    assert gaps.loc["total", "points_to_target"] == pytest.approx(tenth_other - 82.91)
    twelfth = totals.drop(AGENCY).sort_values(ascending=False).iloc[11]
    assert gaps.loc["total", "points_to_next"] == pytest.approx(twelfth - 82.91)
    assert gaps.loc["total", "next_rank"] == 12
    assert pd.isna(gaps.loc["4", "points_to_next"])  # already first


def test_ranks_and_points_to_rank_with_ties(tiny):
    ranked = scoring.ranking(tiny, 2022)
    assert list(zip(ranked["agency_id"], ranked["rank"])) == [("c", 1), ("a", 2), ("b", 2), ("d", 4)]
    values = ranked.set_index("agency_id")["value"]
    assert scoring.points_to_rank(values, "a", 2) == 0.0  # a tie shares the rank
    assert scoring.points_to_rank(values, "a", 1) == 15.0
    assert scoring.points_to_rank(values, "d", 2) == 25.0  # equalling a and b is enough
    gaps = scoring.rank_gaps(tiny, "d", 2022, target_rank=2).set_index("scope")
    assert (gaps.loc["total", "next_rank"], gaps.loc["total", "points_to_next"]) == (2, 25.0)
    # on a field the gap is in the field's points: d has 20/40 (0,5), the next share above is 0,875 (35/40)
    assert (gaps.loc["1", "next_rank"], gaps.loc["1", "points_to_next"]) == (2, 15.0)


def test_framework_change_between_2022_and_2023(dataset):
    changes = scoring.framework_changes(dataset, 2022, 2023)
    kinds = {(row.code, row.change) for row in changes.itertuples()}
    assert ("7", "max_changed") in kinds and ("7.2.3", "removed") in kinds
    assert {("7.2.4", "added"), ("7.5", "added"), ("7.5.1", "added")} <= kinds
    assert changes.loc[
        (changes["code"] == "7") & (changes["change"] == "max_changed"), ["max_points_from", "max_points_to"]
    ].values.tolist() == [[11.0, 11.5]]
    assert set(changes.loc[changes["change"] != "renamed", "field_code"]) == {"7"}
    # The seed names fields 1, 2, 3 and 7 differently in its 2023 headings (II.2) than in its 2022 results (I.2).
    assert set(changes.loc[changes["change"] == "renamed", "field_code"]) == {"1", "2", "3", "7"}
    flags = scoring.field_framework_flags(dataset, 2022, 2023).set_index("field_code")
    assert flags.loc["7", "added"] == ["7.2.4", "7.5", "7.5.1"] and flags.loc["7", "removed"] == ["7.2.3"]
    assert flags["framework_changed"].tolist() == [False] * 6 + [True]
    assert scoring.framework_changes(dataset, 2021, 2022).empty


def test_year_over_year_on_the_share_of_the_maximum(dataset, tiny):
    change = scoring.year_over_year(dataset, AGENCY, 2021, 2022).set_index("scope")
    assert change.loc["total", "change_points"] == pytest.approx(4.18)
    assert change.loc["total", "change_share"] == pytest.approx(0.0418)
    assert not change["framework_changed"].any()
    tiny_change = scoring.year_over_year(tiny, "a", 2021, 2022).set_index("scope")
    assert tiny_change.loc["2", ["share_from", "share_to", "change_share", "change_rank"]].tolist() == [
        0.25,
        0.5,
        0.25,
        1,
    ]


def test_history_of_the_agency(dataset):
    years = scoring.history(dataset, AGENCY)
    assert years["year"].tolist() == [2021, 2022]
    assert years["index"].tolist() == [78.73, 82.91]
    assert years["rank"].iloc[-1] == 13


def test_reconciliation_reports_every_mismatch(dataset, tiny):
    for year in dataset.result_years:
        assert scoring.reconcile(dataset, year)["matches"].all()
    status = scoring.reconcile(tiny, 2022).set_index(["agency_id", "scope"])["status"]
    assert status[("d", "total")] == "rank_differ"
    assert status[("b", "1")] == "points_differ"
    assert status[("e", "total")] == "not_computed"
    assert (status == "match").sum() == 3
