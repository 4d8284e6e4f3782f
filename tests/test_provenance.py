"""Provenance propagates: one combining rule, and every analysis table carries the result as a column."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring
from cchc_analysis.errors import CchcParameterError

AGENCY = "ban-dan-toc"


@pytest.mark.parametrize(
    "inputs, expected",
    [
        (("official",), "official"),
        (("official", "official"), "official"),
        (("official", "derived"), "derived"),
        (("derived", "official"), "derived"),
        (("official", "illustrative"), "illustrative"),
        (("derived", "illustrative", "official"), "illustrative"),
    ],
)
def test_a_figure_is_as_official_as_its_weakest_input(inputs, expected):
    assert prov.combine(*inputs) == expected
    assert prov.weakest(list(inputs)) == expected


def test_unknown_or_no_provenance_is_refused():
    with pytest.raises(CchcParameterError, match="không hợp lệ"):
        prov.combine("official", "published")
    with pytest.raises(CchcParameterError):
        prov.combine()


def test_columns_combine_row_by_row():
    left = pd.Series(["official", "official", "derived"])
    right = pd.Series(["official", "derived", "illustrative"])
    assert prov.combine_columns(left, right).tolist() == ["official", "derived", "illustrative"]
    assert prov.combine_columns(left, "derived").tolist() == ["derived", "derived", "derived"]


def test_the_agencys_2022_figures_are_official_and_its_2021_rank_is_illustrative(dataset):
    mine = scoring.agency_summary(dataset, AGENCY, 2022)
    assert (mine["index"], mine["provenance"], mine["rank"], mine["rank_provenance"]) == (
        82.91,
        "official",
        13,
        "official",
    )
    assert mine["appraisal_provenance"] == "official"  # the sum of seven published field points
    assert mine["survey_provenance"] == "derived"  # 82,91 − 61,5
    # Ranks among illustrative peers are illustrative even though the agency's own points are official.
    assert mine["survey_rank_provenance"] == "illustrative" and mine["appraisal_rank_provenance"] == "illustrative"
    assert mine["self_provenance"] == "illustrative"  # the seed gives no self-assessment
    before = scoring.agency_summary(dataset, AGENCY, 2021)
    assert (before["index"], before["provenance"]) == (78.73, "derived")  # 82,91 − 4,18
    assert before["rank_provenance"] == "illustrative"  # the 2021 rank exists only among generated peers


def test_field_points_and_ranks_take_the_published_provenance(dataset):
    fields = scoring.field_scores(dataset, 2022).query("agency_id == @AGENCY")
    assert set(fields["provenance"]) == {"official"} and set(fields["rank_provenance"]) == {"official"}
    old = scoring.field_scores(dataset, 2021).query("agency_id == @AGENCY")
    assert set(old["provenance"]) == {"illustrative"} and set(old["rank_provenance"]) == {"illustrative"}


def _with_published(ds, **changes):
    pub = ds.published.copy()
    row = (pub["agency_id"] == AGENCY) & (pub["year"] == 2022) & (pub["scope"] == "total")
    for column, value in changes.items():
        pub.loc[row, column] = value
    return dataclasses.replace(ds, published=pub)


def test_flipping_the_published_row_flips_the_provenance(dataset):
    """Without the published figure, the total is only as official as its inputs (a derived survey)."""
    mismatch = scoring.agency_summary(_with_published(dataset, points=80.0), AGENCY, 2022)
    assert mismatch["provenance"] == "derived"
    no_rank = scoring.agency_summary(_with_published(dataset, rank=pd.NA), AGENCY, 2022)
    assert no_rank["provenance"] == "official" and no_rank["rank_provenance"] == "illustrative"
    generated = scoring.agency_summary(_with_published(dataset, provenance="illustrative"), AGENCY, 2022)
    assert generated["provenance"] == "illustrative"


def test_a_leaf_is_as_official_as_the_weaker_of_its_points_and_its_maximum(dataset):
    card = scoring.scorecard(dataset, AGENCY, 2022).set_index("code")
    assert card.at["1.2.2", "provenance"] == "illustrative"  # derived points, a maximum the seed does not state
    assert card.at["1.1.1", "provenance"] == "illustrative"  # derived points, illustrative maximum
    assert card.at["1.1", "provenance"] == "illustrative"
    assert card.at["1", "provenance"] == "official"  # the published field points
    framework = dataset.framework.copy()
    framework.loc[(framework["year"] == 2022) & (framework["code"] == "1.2.2"), "provenance"] = "illustrative"
    flipped = scoring.scorecard(dataclasses.replace(dataset, framework=framework), AGENCY, 2022).set_index("code")
    assert flipped.at["1.2.2", "provenance"] == "illustrative"


def test_losses_ranks_gaps_and_years_carry_provenance(dataset):
    leaves = scoring.pareto_losses(dataset, AGENCY, 2022)
    assert set(leaves["provenance"]) <= {"derived", "illustrative"}  # the split inside a field is assumed
    fields = scoring.pareto_losses(dataset, AGENCY, 2022, by="field")
    assert set(fields["provenance"]) == {"official"}  # 2,5 + 1 + 1 + 0,5 per field are the seed's
    repeated = scoring.repeated_losses(dataset, AGENCY, 2022)
    assert not repeated.empty and set(repeated["provenance"]) == {"illustrative"}  # 2021 detail is generated
    gaps = scoring.rank_gaps(dataset, AGENCY, 2022, target_rank=10).set_index("scope")
    assert gaps.at["total", "rank_provenance"] == "official" and gaps.at["total", "gap_provenance"] == "illustrative"
    change = scoring.year_over_year(dataset, AGENCY, 2021, 2022).set_index("scope")
    assert change.at["total", "change_provenance"] == "derived"
    assert change.at["total", "change_rank_provenance"] == "illustrative"
    assert change.at["7", "change_provenance"] == "illustrative"
    history = scoring.history(dataset, AGENCY).set_index("year")
    assert history.loc[2021, ["provenance", "rank_provenance"]].tolist() == ["derived", "illustrative"]


def test_only_really_published_figures_reconcile(dataset):
    rows = scoring.reconcile(dataset, 2022)
    real = rows[rows["reconciled"]]
    assert len(rows) == 160 and len(real) == 8  # the agency's total and seven fields
    assert set(real["agency_id"]) == {AGENCY} and real["matches"].all()


def test_columns_combine_by_index_and_refuse_an_unknown_value_naming_it():
    left = pd.Series(["official", "derived", "official"], index=[10, 11, 12])
    right = pd.Series(["illustrative", "official", "official"], index=[12, 11, 10])  # aligned by index, not order
    assert prov.combine_columns(left, right).to_dict() == {10: "official", 11: "derived", 12: "illustrative"}
    assert prov.combine_columns(pd.Series([], dtype=object)).tolist() == []
    with pytest.raises(CchcParameterError, match='"published" không hợp lệ'):
        prov.combine_columns(left, pd.Series(["official", "published", "official"], index=left.index))
    with pytest.raises(CchcParameterError, match="không hợp lệ"):
        prov.combine_columns(left, pd.Series(["official", None, "official"], index=left.index))


def test_the_weakest_of_each_group_per_group_and_per_row():
    values = pd.Series(["official", "derived", "official", "official", "illustrative", "derived"])
    keys = pd.Series(["a", "a", "b", "b", "c", "c"])
    assert prov.group_weakest(values, keys).to_dict() == {"a": "derived", "b": "official", "c": "illustrative"}
    assert prov.group_weakest(values, keys, transform=True).tolist() == [
        "derived",
        "derived",
        "official",
        "official",
        "illustrative",
        "illustrative",
    ]
    with pytest.raises(CchcParameterError, match='"draft" không hợp lệ'):
        prov.group_weakest(pd.Series(["official", "draft"]), pd.Series(["a", "a"]))


def test_a_field_and_a_run_of_losses_are_as_official_as_their_weakest_leaf(dataset):
    # The embedded leaves are all illustrative, so the weakest-of rule needs mixed ones: every leaf of the agency
    # made official (points and maxima) except one, and no published figure left to match.
    mine = dataset.scores["agency_id"] == AGENCY
    scores = dataset.scores.copy()
    scores.loc[mine, "provenance"] = "official"
    scores.loc[mine & (scores["year"] == 2022) & (scores["code"] == "1.1.1"), "provenance"] = "illustrative"
    framework = dataset.framework.assign(provenance="official")
    published = dataset.published[dataset.published["agency_id"] != AGENCY]
    ds = dataclasses.replace(dataset, scores=scores, framework=framework, published=published)
    fields = scoring.field_scores(ds, 2022).query("agency_id == @AGENCY").set_index("field_code")["provenance"]
    assert fields["1"] == "illustrative" and fields["2"] == "official"
    assert scoring.agency_summary(ds, AGENCY, 2022)["appraisal_provenance"] == "illustrative"
    runs = scoring.repeated_losses(ds, AGENCY, 2022).set_index("code")["provenance"]
    assert runs["7.2.1"] == "official"  # lost in 2021 and 2022, official both years
    scores.loc[mine & (scores["year"] == 2021) & (scores["code"] == "7.2.1"), "provenance"] = "derived"
    runs = scoring.repeated_losses(dataclasses.replace(ds, scores=scores), AGENCY, 2022).set_index("code")
    assert runs.at["7.2.1", "provenance"] == "derived"
