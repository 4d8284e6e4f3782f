"""Scores computed from sub-criterion points: totals, fields, ranks, points lost.

Pure functions of a Dataset. The index of an agency is its points as a share
of its own maximum (a not-applicable sub-criterion leaves that maximum) on a
scale of 100; ranks are competition ranks (ties share a rank: 1, 1, 1, 4, …),
as the province publishes them.

Why this module is long: every score figure (totals, fields, ranks, points lost, year-over-year, reconciliation)
derives from the same scorecard frame; one module keeps one definition of each.
"""

from __future__ import annotations

import pandas as pd

from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain.memo import per_dataset
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.contracts import code_key  # re-exported: scoring.code_key is the same function
from cchc_analysis.ingest.dataset import Dataset

__all__ = [
    "LEVELS",
    "MATCH_TOLERANCE",
    "RANK_DECIMALS",
    "SELF_PROVENANCE_DEFAULT",
    "TOTAL_MAX",
    "agency_summary",
    "classify_bands",
    "code_key",
    "competition_rank",
    "field_framework_flags",
    "field_scores",
    "framework_changes",
    "history",
    "leaf_codes",
    "lost_points",
    "pareto_losses",
    "points_to_rank",
    "published",
    "rank_gaps",
    "ranking",
    "reconcile",
    "repeated_losses",
    "scorecard",
    "self_assessment_gaps",
    "total_scores",
    "year_over_year",
]

TOTAL_MAX = 100.0
RANK_DECIMALS = 6  # shares are compared after rounding, so 0.1 + 0.2 ties with 0.3
MATCH_TOLERANCE = 0.005  # published figures carry two decimals
#: Self-assessed points are not in the seed: generated unless the scores table says otherwise in a
#: ``self_provenance`` column (data/README.md lists them as illustrative).
SELF_PROVENANCE_DEFAULT = prov.ILLUSTRATIVE


def competition_rank(values: pd.Series) -> pd.Series:
    """Competition ranking, highest first: ties share the best rank and the next rank skips (1, 1, 3)."""
    return values.round(RANK_DECIMALS).rank(method="min", ascending=False).astype("Int64")


def _no_results(ds: Dataset, year: int) -> CchcParameterError:
    years = ", ".join(map(str, ds.result_years))
    return CchcParameterError(f"Không có kết quả chấm điểm năm {year}; các năm có kết quả: {years}")


def _leaves(ds: Dataset, scores: pd.DataFrame) -> pd.DataFrame:
    """The scored leaves (rows of ``scores``, of one year or several) with their maximum that year, field and
    provenance, and the provenances as :func:`~cchc_analysis.domain.provenance.ranks` (``leaf_rank``,
    ``self_rank``) for grouping."""
    years = sorted({int(year) for year in scores["year"].unique()})
    framework = pd.concat([ds.framework_for(year) for year in years]) if years else ds.framework.iloc[:0]
    framework = framework[["year", "code", "max_points", "provenance"]].rename(columns={"provenance": "max_provenance"})
    table = scores.merge(framework, on=["year", "code"], how="left", validate="many_to_one")
    codes = table["code"]
    table["field_code"] = codes.map({code: code.split(".")[0] for code in codes.unique()})
    table["own_max"] = table["max_points"].where(~table["not_applicable"], 0.0)
    table["points"] = table["appraised_points"].fillna(0.0)
    table["self"] = table["self_points"]
    # A leaf's points are read against its maximum: as official as the weaker of the two.
    table["leaf_provenance"] = prov.combine_columns(table["provenance"], table["max_provenance"])
    if "self_provenance" not in table.columns:
        table["self_provenance"] = SELF_PROVENANCE_DEFAULT
    table["leaf_rank"] = prov.ranks(table["leaf_provenance"])
    table["self_rank"] = prov.ranks(table["self_provenance"])
    return table


@per_dataset
def _year_scores(ds: Dataset, year: int) -> pd.DataFrame:
    """Every agency's scored leaves of a year (what ranks and totals are computed from)."""
    scores = ds.scores[ds.scores["year"] == int(year)]
    if scores.empty:
        raise _no_results(ds, year)
    return _leaves(ds, scores)


@per_dataset
def _agency_history(ds: Dataset, agency_id: str) -> pd.DataFrame:
    """One agency's scored leaves, every year it was scored, computed at once: what its own losses and
    scorecard need, without scoring every agency (a briefing reads ten years of losses; scoring all 200 agencies
    of the scale set for each year was most of its cost)."""
    return _leaves(ds, ds.scores[ds.scores["agency_id"] == agency_id])


def _agency_scores(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """One agency's scored leaves of a year (none if it was not scored that year; refused if nobody was)."""
    history = _agency_history(ds, agency_id)
    mine = history[history["year"] == int(year)].reset_index(drop=True)
    if mine.empty and int(year) not in ds.result_years:
        raise _no_results(ds, year)
    return mine


def _published_rows(ds: Dataset, year: int) -> pd.DataFrame:
    """The year's published figures keyed by agency and scope, with the columns the overrides need."""
    rows = ds.published[ds.published["year"] == int(year)]
    return rows[["agency_id", "scope", "points", "rank", "provenance"]].rename(
        columns={"points": "published_points", "rank": "published_rank", "provenance": "published_provenance"}
    )


def _apply_published(frame: pd.DataFrame, ds: Dataset, year: int, scope: pd.Series, value: str) -> pd.DataFrame:
    """Set ``provenance`` and ``rank_provenance`` from the published figures a computed figure equals.

    A computed figure is as official as its weakest input, except that one equal to a figure the province
    published is as official as that publication. A rank is computed among every agency, so without a
    published rank to match it is as official as the least official agency's figure.
    """
    keyed = frame.assign(_scope=scope.values).merge(
        _published_rows(ds, year), left_on=["agency_id", "_scope"], right_on=["agency_id", "scope"], how="left"
    )
    keyed.index = frame.index
    points_match = (keyed["published_points"] - keyed[value]).abs() <= MATCH_TOLERANCE
    frame["provenance"] = frame["provenance"].where(~points_match, keyed["published_provenance"])
    group = scope.values
    frame["rank_provenance"] = prov.group_weakest(frame["provenance"], group, transform=True)
    rank_match = keyed["published_rank"].notna() & (keyed["published_rank"] == frame["rank"]).fillna(False)
    frame["rank_provenance"] = frame["rank_provenance"].where(~rank_match.astype(bool), keyed["published_provenance"])
    return frame


@per_dataset
def field_scores(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per agency and field: points, own maximum, share of it, rank among agencies.

    ``provenance`` is that of the points (and share); ``rank_provenance`` that of the rank.
    """
    table = _year_scores(ds, year)
    fields = table.groupby(["agency_id", "field_code"], as_index=False).agg(
        points=("points", "sum"),
        max_points=("own_max", "sum"),
        self_points=("self", "sum"),
        provenance=("leaf_rank", "max"),
        self_provenance=("self_rank", "max"),
    )
    fields["provenance"] = prov.from_ranks(fields["provenance"])
    fields["self_provenance"] = prov.from_ranks(fields["self_provenance"])
    fields["share"] = fields["points"] / fields["max_points"]
    fields["rank"] = fields.groupby("field_code")["share"].transform(competition_rank).astype("Int64")
    fields["n_ranked"] = fields.groupby("field_code")["agency_id"].transform("count")
    fields["year"] = int(year)
    fields = _apply_published(fields, ds, year, fields["field_code"], "points")
    order = fields["field_code"].astype(int)
    return (
        fields.assign(_order=order).sort_values(["agency_id", "_order"]).drop(columns="_order").reset_index(drop=True)
    )


@per_dataset
def total_scores(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per agency: appraisal and survey points, total, own maximum, index on 100, rank.

    Provenance columns: ``appraisal_provenance`` (the weakest of the agency's fields), ``survey_provenance``,
    ``provenance`` (of the index) and ``rank_provenance``.
    """
    table = _year_scores(ds, year)
    appraisal = table.groupby("agency_id").agg(
        appraisal_points=("points", "sum"),
        appraisal_max=("own_max", "sum"),
        self_points=("self", "sum"),
        self_provenance=("self_rank", "max"),
    )
    appraisal["self_provenance"] = prov.from_ranks(appraisal["self_provenance"])
    fields = field_scores(ds, year)
    appraisal["appraisal_provenance"] = prov.group_weakest(fields["provenance"], fields["agency_id"])
    survey = ds.survey[ds.survey["year"] == int(year)].set_index("agency_id")[
        ["survey_points", "survey_max", "provenance"]
    ]
    totals = appraisal.join(survey.rename(columns={"provenance": "survey_provenance"}), how="left")
    totals["survey_provenance"] = totals["survey_provenance"].fillna(prov.ILLUSTRATIVE)
    totals["total_points"] = totals["appraisal_points"] + totals["survey_points"]
    totals["max_points"] = totals["appraisal_max"] + totals["survey_max"]
    totals["index"] = (totals["total_points"] / totals["max_points"] * TOTAL_MAX).round(2)
    totals["rank"] = competition_rank(totals["index"])
    totals["n_ranked"] = len(totals)
    totals["year"] = int(year)
    totals = totals.reset_index()
    totals["provenance"] = prov.combine_columns(totals["appraisal_provenance"], totals["survey_provenance"])
    totals = _apply_published(totals, ds, year, pd.Series("total", index=totals.index), "index")
    return totals.sort_values(["rank", "agency_id"]).reset_index(drop=True)


@per_dataset
def lost_points(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """Leaf criteria where the agency lost appraisal points, largest loss first, with their names."""
    table = _agency_scores(ds, agency_id, year)
    mine = table[~table["not_applicable"]].copy()
    mine["lost"] = mine["max_points"] - mine["points"]
    mine = mine[mine["lost"] > 1e-9]
    names = ds.framework_for(year).set_index("code")["name"]
    mine["name"] = mine["code"].map(names)
    key = mine["code"].map(code_key)
    mine = mine.assign(_key=key).sort_values(["lost", "_key"], ascending=[False, True], kind="stable")
    mine["provenance"] = mine["leaf_provenance"]
    return mine[["code", "field_code", "name", "max_points", "points", "lost", "provenance"]].reset_index(drop=True)


def published(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """The agency's figures as published (total and fields), indexed by scope."""
    rows = ds.published[(ds.published["agency_id"] == agency_id) & (ds.published["year"] == int(year))]
    return rows.set_index("scope").drop(columns=["_file", "_row"])


# --------------------------------------------------------------------------
# The framework tree: scorecard per level, self against appraised points
# --------------------------------------------------------------------------

LEVELS = ("field", "criterion", "sub_criterion", "detail")


def _sort_codes(frame: pd.DataFrame, column: str = "code") -> pd.DataFrame:
    return frame.sort_values(column, key=lambda s: s.map(code_key), kind="stable").reset_index(drop=True)


def leaf_codes(framework: pd.DataFrame) -> pd.Series:
    """Codes of the framework's leaves (nodes without children): the ones points are given for."""
    return framework.loc[~framework["code"].isin(framework["parent_code"]), "code"]


def _ancestor_links(framework: pd.DataFrame) -> pd.DataFrame:
    """One row per (leaf, node on the path from its field down to itself)."""
    leaves = leaf_codes(framework)
    parts = leaves.str.split(".")
    links = pd.DataFrame({"leaf": leaves.values, "depth": parts.map(len).values, "parts": parts.values})
    links = links.loc[links.index.repeat(links["depth"])].copy()
    links["level_index"] = links.groupby("leaf").cumcount() + 1
    links["code"] = [".".join(p[:n]) for p, n in zip(links["parts"], links["level_index"])]
    return links[["leaf", "code"]].reset_index(drop=True)


def scorecard(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """Every node of the year's framework for one agency: points, own maximum, share, points lost,
    self-assessed points and the gap to the appraisal.

    A node's own maximum is the sum of its applicable leaves (a not-applicable sub-criterion leaves it);
    ``share`` is NaN where nothing applies. ``provenance`` is the least official provenance of the node's
    leaves (their points and maxima), except that a field whose points equal the published ones takes the
    published provenance; ``self_provenance`` is that of the self-assessed points. Rows are in code order
    (1, 1.1, 1.1.1, …, 2, …).
    """
    mine = _agency_scores(ds, agency_id, year)
    if mine.empty:
        raise CchcParameterError(f'Không có kết quả chấm điểm năm {year} của cơ quan "{agency_id}"')
    framework = ds.framework_for(year)
    leaves = mine.rename(columns={"code": "leaf"})[
        ["leaf", "points", "own_max", "self", "not_applicable", "leaf_rank", "self_rank"]
    ]
    linked = _ancestor_links(framework).merge(leaves, on="leaf", how="inner", validate="many_to_one")
    grouped = linked.groupby("code")
    nodes = pd.DataFrame(
        {
            "points": grouped["points"].sum(),
            "max_points": grouped["own_max"].sum(),
            "self_points": grouped["self"].sum(min_count=1),
            "n_leaves": grouped["leaf"].count(),
            "n_not_applicable": grouped["not_applicable"].sum(),
            "provenance": prov.from_ranks(grouped["leaf_rank"].max()),
            "self_provenance": prov.from_ranks(grouped["self_rank"].max()),
        }
    ).reset_index()
    card = (
        framework[["code", "parent_code", "level", "name", "max_points"]]
        .rename(columns={"max_points": "framework_max"})
        .merge(nodes, on="code", how="inner", validate="one_to_one")
    )
    card["field_code"] = card["code"].str.split(".").str[0]
    card["not_applicable"] = card["n_not_applicable"] == card["n_leaves"]
    card["share"] = (card["points"] / card["max_points"]).where(card["max_points"] > 0)
    card["lost"] = (card["max_points"] - card["points"]).round(RANK_DECIMALS)
    card["self_gap"] = (card["self_points"] - card["points"]).round(RANK_DECIMALS)
    card["is_leaf"] = ~card["code"].isin(framework["parent_code"])
    card["agency_id"] = agency_id
    card["year"] = int(year)
    fields = field_scores(ds, year)
    fields = fields[fields["agency_id"] == agency_id].set_index("field_code")["provenance"]
    is_field = card["level"] == "field"
    card.loc[is_field, "provenance"] = card.loc[is_field, "code"].map(fields)
    return _sort_codes(card)


def self_assessment_gaps(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """Leaves where the self-assessed points differ from the appraised points, largest overstatement first."""
    card = scorecard(ds, agency_id, year)
    gaps = card[card["is_leaf"] & card["self_points"].notna() & (card["self_gap"].abs() > 1e-9)]
    gaps = gaps.assign(_key=gaps["code"].map(code_key)).sort_values(["self_gap", "_key"], ascending=[False, True])
    gaps["gap_provenance"] = prov.combine_columns(gaps["self_provenance"], gaps["provenance"])
    columns = ["code", "field_code", "name", "max_points", "self_points", "points", "self_gap"]
    columns += ["provenance", "self_provenance", "gap_provenance"]
    return gaps[columns].reset_index(drop=True)


# --------------------------------------------------------------------------
# Summary, survey and bands
# --------------------------------------------------------------------------


def classify_bands(ds: Dataset, year: int, shares: pd.Series) -> pd.Series:
    """The band label (from ``ds.bands`` of that year) of each share of the maximum (0–1).

    A share belongs to the band with the highest ``min_share`` it reaches. Empty (None) where the
    year has no bands configured.
    """
    bands = ds.bands[ds.bands["year"] == int(year)].sort_values("min_share")
    if bands.empty:
        return pd.Series([None] * len(shares), index=shares.index, dtype="object")
    edges = [*bands["min_share"].tolist(), float("inf")]
    edges[0] = min(edges[0], 0.0)
    labels = pd.cut(shares.round(RANK_DECIMALS), bins=edges, labels=bands["label"].tolist(), right=False, ordered=False)
    return labels.astype("object").where(labels.notna(), None)


def agency_summary(ds: Dataset, agency_id: str, year: int) -> pd.Series:
    """The agency's headline figures of a year: appraisal, survey, total, index, rank, band, survey rank,
    each with its provenance (``provenance`` is the index's; see :func:`total_scores`)."""
    totals = _summaries(ds, year)
    mine = totals[totals["agency_id"] == agency_id]
    if mine.empty:
        raise CchcParameterError(f'Không có kết quả chấm điểm năm {year} của cơ quan "{agency_id}"')
    return mine.iloc[0]


@per_dataset
def _summaries(ds: Dataset, year: int) -> pd.DataFrame:
    """Every agency's :func:`agency_summary` of a year, as one frame."""
    totals = total_scores(ds, year)
    totals["survey_share"] = totals["survey_points"] / totals["survey_max"]
    totals["survey_rank"] = competition_rank(totals["survey_share"])
    totals["appraisal_share"] = totals["appraisal_points"] / totals["appraisal_max"]
    totals["appraisal_rank"] = competition_rank(totals["appraisal_share"])
    totals["band"] = classify_bands(ds, year, totals["index"] / TOTAL_MAX)
    totals["survey_rank_provenance"] = prov.weakest(totals["survey_provenance"])
    totals["appraisal_rank_provenance"] = prov.weakest(totals["appraisal_provenance"])
    bands = ds.bands[ds.bands["year"] == int(year)]["provenance"]
    totals["band_provenance"] = (
        prov.combine_columns(totals["provenance"], prov.weakest(bands)) if not bands.empty else totals["provenance"]
    )
    return totals


# --------------------------------------------------------------------------
# Points lost: Pareto and repeated losses
# --------------------------------------------------------------------------


def pareto_losses(ds: Dataset, agency_id: str, year: int, by: str = "leaf") -> pd.DataFrame:
    """Points lost, largest first, with the running total and its share of all points lost.

    ``by="leaf"`` lists the sub-criteria (the leaves of the framework); ``by="field"`` sums them per field
    (a field's loss is as official as the field's points: its split between sub-criteria may not be).
    """
    lost = lost_points(ds, agency_id, year)
    if by == "field":
        names = ds.framework_for(year).set_index("code")["name"]
        lost = lost.groupby("field_code", as_index=False).agg(lost=("lost", "sum"), n_criteria=("code", "count"))
        fields = field_scores(ds, year)
        field_provenance = fields[fields["agency_id"] == agency_id].set_index("field_code")["provenance"]
        lost["provenance"] = lost["field_code"].map(field_provenance)
        lost["code"] = lost["field_code"]
        lost["name"] = lost["code"].map(names)
        lost = lost.assign(_key=lost["code"].map(code_key)).sort_values(["lost", "_key"], ascending=[False, True])
        lost = lost.drop(columns="_key").reset_index(drop=True)
    elif by != "leaf":
        raise CchcParameterError(f'pareto_losses: by phải là "leaf" hoặc "field", không phải "{by}"')
    total = lost["lost"].sum()
    lost["cumulative"] = lost["lost"].cumsum().round(RANK_DECIMALS)
    lost["cumulative_share"] = lost["cumulative"] / total if total else 0.0
    return lost


def repeated_losses(ds: Dataset, agency_id: str, year: int, min_years: int = 2) -> pd.DataFrame:
    """Sub-criteria that lost points in ``min_years`` or more consecutive years up to ``year``.

    Codes are matched across years (a framework change can reuse a code: ``renamed`` says when the
    name differs). One row per run of consecutive years: first and last year, number of years,
    points lost over the run, and whether the run reaches ``year`` (``ongoing``).
    """
    scored = set(_agency_history(ds, agency_id)["year"].tolist())  # the years it was scored
    frames = [lost_points(ds, agency_id, y).assign(year=y) for y in ds.result_years if y <= int(year) and y in scored]
    columns = [
        "code",
        "field_code",
        "name",
        "first_year",
        "last_year",
        "n_years",
        "lost",
        "lost_last_year",
        "ongoing",
        "renamed",
        "provenance",
    ]
    if not frames:
        return pd.DataFrame(columns=columns)
    lost = pd.concat(frames, ignore_index=True).sort_values(["code", "year"])
    lost["provenance"] = prov.ranks(lost["provenance"])  # the weakest of a run is the largest rank
    lost["run"] = lost["year"] - lost.groupby("code").cumcount()  # constant within a run of consecutive years
    runs = lost.groupby(["code", "run"], as_index=False).agg(
        field_code=("field_code", "first"),
        name=("name", "last"),
        first_year=("year", "min"),
        last_year=("year", "max"),
        n_years=("year", "count"),
        lost=("lost", "sum"),
        lost_last_year=("lost", "last"),
        n_names=("name", "nunique"),
        provenance=("provenance", "max"),
    )
    runs["provenance"] = prov.from_ranks(runs["provenance"])
    runs = runs[runs["n_years"] >= min_years].copy()
    runs["ongoing"] = runs["last_year"] == int(year)
    runs["renamed"] = runs["n_names"] > 1
    runs = runs.assign(_key=runs["code"].map(code_key)).sort_values(
        ["ongoing", "n_years", "lost", "_key"], ascending=[False, False, False, True]
    )
    return runs[columns].reset_index(drop=True)


# --------------------------------------------------------------------------
# Ranks among peers
# --------------------------------------------------------------------------


def ranking(ds: Dataset, year: int, scope: str = "total") -> pd.DataFrame:
    """Every agency ranked on one scope: ``total`` (the index on 100) or a field code (share of its maximum).

    Columns: agency_id, short_name, points, max_points, value (what is ranked), rank, n_ranked, provenance (of
    the value), rank_provenance; best first.
    """
    return _ranking_from(ds, year, scope, total_scores(ds, year), field_scores(ds, year))


def _ranking_from(ds: Dataset, year: int, scope: str, totals: pd.DataFrame, fields: pd.DataFrame) -> pd.DataFrame:
    """:func:`ranking` on the year's totals and field scores computed once (``rank_gaps`` ranks every scope)."""
    if scope == "total":
        table = totals.assign(points=totals["total_points"], value=totals["index"])
    else:
        table = fields[fields["field_code"] == str(scope)]
        if table.empty:
            raise CchcParameterError(f'Không có lĩnh vực "{scope}" trong kết quả năm {year}')
        table = table.assign(value=table["share"])
    names = ds.agencies.set_index("agency_id")["short_name"]
    table = table.assign(short_name=table["agency_id"].map(names))
    columns = ["agency_id", "short_name", "points", "max_points", "value", "rank", "n_ranked"]
    table = table[[*columns, "provenance", "rank_provenance"]]
    return table.sort_values(["rank", "agency_id"]).reset_index(drop=True)


def points_to_rank(values: pd.Series, agency_id: str, rank: int) -> float:
    """How much ``agency_id``'s value must rise to reach ``rank`` (competition ranking, highest first).

    ``values`` is indexed by agency. Ties share a rank, so equalling the agency now at ``rank`` among
    the others is enough. 0 when the agency already holds that rank or better.
    """
    if int(rank) < 1:
        raise CchcParameterError(f"Thứ hạng phải từ 1 trở lên, không phải {rank}")
    mine = float(values.loc[agency_id])
    others = values.drop(index=agency_id).round(RANK_DECIMALS).sort_values(ascending=False)
    if int(rank) > len(others):
        return 0.0
    return round(max(0.0, float(others.iloc[int(rank) - 1]) - mine), RANK_DECIMALS)


def rank_gaps(ds: Dataset, agency_id: str, year: int, target_rank: int | None = None) -> pd.DataFrame:
    """Rank of the agency overall and per field, and the points it needed for the next rank and the target.

    ``points_to_next`` is what equals the nearest agency above (on the total: points of the index on 100;
    on a field: the field's points); ``next_rank`` is the rank that gives. ``points_to_target`` is set on
    the total row when ``target_rank`` is given. ``provenance`` and ``rank_provenance`` are those of the
    agency's points and rank; ``gap_provenance`` that of the points to a rank, which rest on every agency's
    figures (illustrative peers make them illustrative).
    """
    totals, fields = total_scores(ds, year), field_scores(ds, year)
    scopes = ["total", *sorted(fields["field_code"].unique(), key=code_key)]
    rows = []
    for scope in scopes:
        table = _ranking_from(ds, year, scope, totals, fields).set_index("agency_id")
        if agency_id not in table.index:
            raise CchcParameterError(f'Không có kết quả chấm điểm năm {year} của cơ quan "{agency_id}"')
        mine = table.loc[agency_id]
        values = table["value"].round(RANK_DECIMALS)
        unit = 1.0 if scope == "total" else float(mine["max_points"])  # value gap -> points
        better = values[values > values[agency_id]]
        row = {
            "scope": scope,
            "points": mine["points"],
            "max_points": mine["max_points"],
            "value": mine["value"],
            "rank": int(mine["rank"]),
            "n_ranked": int(mine["n_ranked"]),
            "next_rank": pd.NA,
            "points_to_next": float("nan"),
            "target_rank": pd.NA,
            "points_to_target": float("nan"),
            "provenance": mine["provenance"],
            "rank_provenance": mine["rank_provenance"],
            "gap_provenance": prov.weakest(table["provenance"]),
        }
        if not better.empty:
            nearest = better.min()
            row["next_rank"] = int((values.drop(index=agency_id) > nearest).sum() + 1)
            row["points_to_next"] = round((nearest - values[agency_id]) * unit, 4)
        if scope == "total" and target_rank is not None:
            row["target_rank"] = int(target_rank)
            row["points_to_target"] = round(points_to_rank(values, agency_id, int(target_rank)) * unit, 4)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("next_rank", "target_rank"):
        frame[column] = frame[column].astype("Int64")
    return frame


# --------------------------------------------------------------------------
# Years: framework changes and the share of the maximum over time
# --------------------------------------------------------------------------


def framework_changes(ds: Dataset, year_from: int, year_to: int) -> pd.DataFrame:
    """What changed in the criteria tree between two years: one row per code and kind of change.

    ``change`` is ``added``, ``removed``, ``max_changed`` or ``renamed`` (a code can be both
    ``max_changed`` and ``renamed``). Empty when the two frameworks are the same.
    """
    old = ds.framework_for(year_from)[["code", "level", "name", "max_points"]]
    new = ds.framework_for(year_to)[["code", "level", "name", "max_points"]]
    both = old.merge(new, on="code", how="outer", suffixes=("_from", "_to"), indicator=True)
    both["level"] = both["level_to"].fillna(both["level_from"])
    both["field_code"] = both["code"].str.split(".").str[0]
    kinds = {
        "added": both["_merge"] == "right_only",
        "removed": both["_merge"] == "left_only",
        "max_changed": (both["_merge"] == "both") & ((both["max_points_from"] - both["max_points_to"]).abs() > 1e-9),
        "renamed": (both["_merge"] == "both") & (both["name_from"] != both["name_to"]),
    }
    frames = [both[mask].assign(change=kind) for kind, mask in kinds.items()]
    changes = pd.concat(frames, ignore_index=True)
    changes["year_from"], changes["year_to"] = int(year_from), int(year_to)
    columns = [
        "code",
        "field_code",
        "level",
        "change",
        "name_from",
        "name_to",
        "max_points_from",
        "max_points_to",
        "year_from",
        "year_to",
    ]
    order = {kind: i for i, kind in enumerate(kinds)}
    changes = changes.assign(_key=changes["code"].map(code_key), _kind=changes["change"].map(order))
    return changes.sort_values(["_key", "_kind"])[columns].reset_index(drop=True)


def field_framework_flags(ds: Dataset, year_from: int, year_to: int) -> pd.DataFrame:
    """Per field: did its maximum change, which codes were added or removed under it, was it renamed."""
    changes = framework_changes(ds, year_from, year_to)
    fields = pd.concat([ds.framework_for(year_from), ds.framework_for(year_to)])
    codes = sorted(fields.loc[fields["level"] == "field", "code"].unique(), key=code_key)
    flags = pd.DataFrame({"field_code": codes})
    by_field = changes.groupby(["field_code", "change"])["code"].agg(lambda c: sorted(c, key=code_key))
    for kind in ("added", "removed"):
        flags[kind] = [by_field.get((code, kind), []) for code in codes]
    field_rows = changes[changes["level"] == "field"]
    flags["max_changed"] = flags["field_code"].isin(field_rows.loc[field_rows["change"] == "max_changed", "code"])
    flags["renamed"] = flags["field_code"].isin(field_rows.loc[field_rows["change"] == "renamed", "code"])
    flags["framework_changed"] = flags["max_changed"] | flags["added"].map(bool) | flags["removed"].map(bool)
    return flags


def year_over_year(ds: Dataset, agency_id: str, year_from: int, year_to: int) -> pd.DataFrame:
    """The agency's fields and total in two years, compared on the share of the maximum.

    One row per field (``scope`` = the field code) and a ``total`` row (the index on 100, as a share).
    ``change_share`` is in share units (0.05 = 5 percentage points); ``provenance_from``/``_to``,
    ``rank_provenance_from``/``_to`` and the combined ``change_provenance``/``change_rank_provenance`` say how
    official each figure is; framework flags come from
    :func:`field_framework_flags` (the total is flagged when any field is).
    """

    def pick(year: int) -> pd.DataFrame:
        fields = field_scores(ds, year)
        fields = fields[fields["agency_id"] == agency_id][
            ["field_code", "points", "max_points", "share", "rank", "provenance", "rank_provenance"]
        ]
        total = total_scores(ds, year).set_index("agency_id")
        if agency_id not in total.index:
            raise CchcParameterError(f'Không có kết quả chấm điểm năm {year} của cơ quan "{agency_id}"')
        row = total.loc[agency_id]
        total_row = pd.DataFrame(
            [
                {
                    "field_code": "total",
                    "points": row["total_points"],
                    "max_points": row["max_points"],
                    "share": row["index"] / TOTAL_MAX,
                    "rank": row["rank"],
                    "provenance": row["provenance"],
                    "rank_provenance": row["rank_provenance"],
                }
            ]
        )
        return pd.concat([fields, total_row], ignore_index=True).rename(columns={"field_code": "scope"})

    first, second = pick(year_from), pick(year_to)
    both = first.merge(second, on="scope", how="outer", suffixes=("_from", "_to"))
    both["change_points"] = (both["points_to"] - both["points_from"]).round(RANK_DECIMALS)
    both["change_share"] = (both["share_to"] - both["share_from"]).round(RANK_DECIMALS)
    for column in ("rank_from", "rank_to"):
        both[column] = both[column].astype("Int64")
    both["change_rank"] = both["rank_from"] - both["rank_to"]  # positive: climbed
    both["change_provenance"] = prov.combine_columns(both["provenance_from"], both["provenance_to"])
    both["change_rank_provenance"] = prov.combine_columns(both["rank_provenance_from"], both["rank_provenance_to"])
    flags = field_framework_flags(ds, year_from, year_to).rename(columns={"field_code": "scope"})
    total_flags: dict[str, object] = {
        "scope": "total",
        "added": sum(flags["added"], []),
        "removed": sum(flags["removed"], []),
        "max_changed": bool(flags["max_changed"].any()),
        "renamed": bool(flags["renamed"].any()),
        "framework_changed": bool(flags["framework_changed"].any()),
    }
    flags = pd.concat([flags, pd.DataFrame([total_flags])], ignore_index=True)
    both = both.merge(flags, on="scope", how="left")
    names = ds.framework_for(year_to).set_index("code")["name"]
    both["name"] = both["scope"].map(names).fillna("Tổng điểm")
    both["year_from"], both["year_to"] = int(year_from), int(year_to)
    both = both.assign(_key=both["scope"].map(lambda s: (999,) if s == "total" else code_key(s)))
    return both.sort_values("_key").drop(columns="_key").reset_index(drop=True)


def history(ds: Dataset, agency_id: str) -> pd.DataFrame:
    """The agency's index on 100, rank and band in every year with results, with the provenance of the index
    (``provenance``) and of the rank (``rank_provenance``)."""
    rows = []
    for year in ds.result_years:
        totals = total_scores(ds, year)
        if agency_id in set(totals["agency_id"]):
            rows.append(agency_summary(ds, agency_id, year))
    columns = ["year", "total_points", "max_points", "index", "rank", "n_ranked", "band", "provenance"]
    columns.append("rank_provenance")
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)[columns].reset_index(drop=True)
    return frame.astype({"year": int, "rank": "Int64", "n_ranked": "Int64"})


# --------------------------------------------------------------------------
# Reconciliation with the published figures
# --------------------------------------------------------------------------


def reconcile(ds: Dataset, year: int) -> pd.DataFrame:
    """Computed totals (index) and field points and ranks against every published row of a year.

    ``status``: ``match``, ``points_differ``, ``rank_differ``, ``both_differ`` or ``not_computed``
    (a published agency or field with no scores). Published rows without a rank are compared on points only.
    ``reconciled`` is true for the rows that were really published (provenance official); the others are
    illustrative figures the generator wrote and are no evidence that the scores are right.
    """
    published_rows = ds.published[ds.published["year"] == int(year)][
        ["agency_id", "scope", "points", "rank", "n_ranked", "provenance"]
    ]
    totals = total_scores(ds, year)
    computed = pd.concat(
        [
            totals.assign(scope="total")[["agency_id", "scope", "index", "rank", "n_ranked"]].rename(
                columns={"index": "points"}
            ),
            field_scores(ds, year).rename(columns={"field_code": "scope"})[
                ["agency_id", "scope", "points", "rank", "n_ranked"]
            ],
        ],
        ignore_index=True,
    )
    both = published_rows.merge(computed, on=["agency_id", "scope"], how="left", suffixes=("_published", "_computed"))
    computed_missing = both["points_computed"].isna()
    points_ok = (both["points_published"] - both["points_computed"]).abs() <= MATCH_TOLERANCE
    rank_ok = both["rank_published"].isna() | (both["rank_published"] == both["rank_computed"]).fillna(False)
    rank_ok = rank_ok.astype(bool)
    both["status"] = "match"
    both.loc[~points_ok & rank_ok, "status"] = "points_differ"
    both.loc[points_ok & ~rank_ok, "status"] = "rank_differ"
    both.loc[~points_ok & ~rank_ok, "status"] = "both_differ"
    both.loc[computed_missing, "status"] = "not_computed"
    both["matches"] = both["status"] == "match"
    # Only figures the province really published reconcile anything: a generated "published" figure checked
    # against the generator's own scores is a self-check of the generator, not a reconciliation.
    both["reconciled"] = both["provenance"] == prov.OFFICIAL
    both["year"] = int(year)
    return both.reset_index(drop=True)
