"""Scores computed from sub-criterion points: totals, fields, ranks, points lost.

Pure functions of a Dataset. The index of an agency is its points as a share
of its own maximum (a not-applicable sub-criterion leaves that maximum) on a
scale of 100; ranks are competition ranks (ties share a rank: 1, 1, 1, 4, …),
as the province publishes them.
"""

from __future__ import annotations

import pandas as pd

from cchc_analysis.dataset import Dataset
from cchc_analysis.exceptions import CchcParameterError

TOTAL_MAX = 100.0
RANK_DECIMALS = 6  # shares are compared after rounding, so 0.1 + 0.2 ties with 0.3


def competition_rank(values: pd.Series) -> pd.Series:
    """Competition ranking, highest first: ties share the best rank and the next rank skips (1, 1, 3)."""
    return values.round(RANK_DECIMALS).rank(method="min", ascending=False).astype("Int64")


def _year_scores(ds: Dataset, year: int) -> pd.DataFrame:
    scores = ds.scores[ds.scores["year"] == int(year)]
    if scores.empty:
        years = ", ".join(map(str, ds.result_years))
        raise CchcParameterError(f"Không có kết quả chấm điểm năm {year}; các năm có kết quả: {years}")
    framework = ds.framework_for(year)[["code", "max_points"]]
    table = scores.merge(framework, on="code", how="left", validate="many_to_one")
    table["field_code"] = table["code"].str.split(".").str[0]
    table["own_max"] = table["max_points"].where(~table["not_applicable"], 0.0)
    table["points"] = table["appraised_points"].fillna(0.0)
    table["self"] = table["self_points"]
    return table


def field_scores(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per agency and field: points, own maximum, share of it, rank among agencies."""
    table = _year_scores(ds, year)
    fields = (
        table.groupby(["agency_id", "field_code"], as_index=False)
        .agg(points=("points", "sum"), max_points=("own_max", "sum"), self_points=("self", "sum"))
    )
    fields["share"] = fields["points"] / fields["max_points"]
    fields["rank"] = fields.groupby("field_code")["share"].transform(competition_rank).astype("Int64")
    fields["n_ranked"] = fields.groupby("field_code")["agency_id"].transform("count")
    fields["year"] = int(year)
    order = fields["field_code"].astype(int)
    return fields.assign(_order=order).sort_values(["agency_id", "_order"]).drop(columns="_order").reset_index(drop=True)


def total_scores(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per agency: appraisal and survey points, total, own maximum, index on 100, rank."""
    table = _year_scores(ds, year)
    appraisal = table.groupby("agency_id").agg(appraisal_points=("points", "sum"), appraisal_max=("own_max", "sum"),
                                               self_points=("self", "sum"))
    survey = ds.survey[ds.survey["year"] == int(year)].set_index("agency_id")[["survey_points", "survey_max"]]
    totals = appraisal.join(survey, how="left")
    totals["total_points"] = totals["appraisal_points"] + totals["survey_points"]
    totals["max_points"] = totals["appraisal_max"] + totals["survey_max"]
    totals["index"] = (totals["total_points"] / totals["max_points"] * TOTAL_MAX).round(2)
    totals["rank"] = competition_rank(totals["index"])
    totals["n_ranked"] = len(totals)
    totals["year"] = int(year)
    return totals.reset_index().sort_values(["rank", "agency_id"]).reset_index(drop=True)


def lost_points(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """Leaf criteria where the agency lost appraisal points, largest loss first, with their names."""
    table = _year_scores(ds, year)
    mine = table[(table["agency_id"] == agency_id) & ~table["not_applicable"]].copy()
    mine["lost"] = mine["max_points"] - mine["points"]
    mine = mine[mine["lost"] > 1e-9]
    names = ds.framework_for(year).set_index("code")["name"]
    mine["name"] = mine["code"].map(names)
    key = mine["code"].map(lambda code: tuple(int(part) for part in code.split(".")))
    mine = mine.assign(_key=key).sort_values(["lost", "_key"], ascending=[False, True], kind="stable")
    return mine[["code", "field_code", "name", "max_points", "points", "lost"]].reset_index(drop=True)


def published(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """The agency's figures as published (total and fields), indexed by scope."""
    rows = ds.published[(ds.published["agency_id"] == agency_id) & (ds.published["year"] == int(year))]
    return rows.set_index("scope").drop(columns=["_file", "_row"])
