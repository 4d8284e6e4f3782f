"""Targets: the gap from the last results to each target, and a projection of the next total and rank.

Pure functions of a Dataset. The projection answers "if every field reaches its target, where do we
land?" under assumptions that are returned as data (``Projection.assumptions``), never hidden:

- every field with a points target scores exactly its target in the target year; a field without a
  target keeps its last share of its maximum;
- the survey keeps the agency's last share of its maximum; the survey's maximum in the target year is
  100 minus the appraisal maximum of that year's framework (unless the survey table already has it);
- a sub-criterion that did not apply to the agency still does not apply, where its code still exists;
- the other agencies keep their last index (their last published-scale total), which places the
  projected index among them for the projected rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import scoring
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["Projection", "has_targets", "meets", "overall_target", "project", "target_gaps", "targets_for"]

_COMPARE = {
    ">": lambda value, target: value > target + 1e-9,
    ">=": lambda value, target: value >= target - 1e-9,
    "<=": lambda value, target: value <= target + 1e-9,
}


def meets(value: float, comparator: str, target: float) -> bool:
    """Whether ``value`` satisfies a target written as ``comparator target`` (``>``, ``>=``, ``<=``)."""
    if comparator not in _COMPARE:
        raise CchcParameterError(f'Phép so sánh của chỉ tiêu "{comparator}" không hợp lệ (>, >=, <=)')
    return bool(_COMPARE[comparator](float(value), float(target)))


def targets_for(ds: Dataset, agency_id: str, year: int) -> pd.DataFrame:
    """The agency's targets for ``year`` (scope, metric, comparator, value, out_of, provenance)."""
    rows = ds.targets[(ds.targets["agency_id"] == agency_id) & (ds.targets["year"] == int(year))]
    return rows.drop(columns=["_file", "_row"]).reset_index(drop=True)


def overall_target(ds: Dataset, agency_id: str, year: int, metric: str) -> pd.Series | None:
    """The agency's overall target of ``year`` for ``metric`` (``points``: the total; ``rank``: the rank among
    peers), as a row of :func:`targets_for`, or None when the plan sets none."""
    rows = targets_for(ds, agency_id, year)
    rows = rows[(rows["scope"] == "total") & (rows["metric"] == metric)]
    return rows.iloc[0] if not rows.empty else None


def has_targets(ds: Dataset, agency_id: str, year: int) -> bool:
    return not targets_for(ds, agency_id, year).empty


def _own_field_max(ds: Dataset, agency_id: str, base_year: int, target_year: int) -> pd.Series:
    """Each field's maximum in the target year, less the leaves that did not apply in the base year."""
    framework = ds.framework_for(target_year)
    leaves = framework[framework["code"].isin(scoring.leaf_codes(framework))]
    base = ds.scores[(ds.scores["agency_id"] == agency_id) & (ds.scores["year"] == int(base_year))]
    not_applicable = set(base.loc[base["not_applicable"], "code"])
    applicable = leaves[~leaves["code"].isin(not_applicable)]
    return applicable.groupby(applicable["code"].str.split(".").str[0])["max_points"].sum()


def target_gaps(ds: Dataset, agency_id: str, base_year: int, target_year: int | None = None) -> pd.DataFrame:
    """Every target of ``target_year`` (default: the year after) against the ``base_year`` results.

    One row per target: scope (``total`` or a field code), metric (``points`` or ``rank``), comparator,
    target, the last value (field points, the index on 100, or the rank), the base-year and target-year
    maxima, ``gap`` (points still to gain, or ranks still to climb; 0 when already met) and ``met``.
    """
    target_year = int(target_year or int(base_year) + 1)
    targets = targets_for(ds, agency_id, target_year)
    columns = [
        "scope",
        "name",
        "metric",
        "comparator",
        "target",
        "out_of",
        "last",
        "last_max",
        "target_max",
        "gap",
        "met",
        "provenance",
    ]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    summary = scoring.agency_summary(ds, agency_id, base_year)
    fields = scoring.field_scores(ds, base_year)
    fields = fields[fields["agency_id"] == agency_id].set_index("field_code")
    names = ds.framework_for(target_year).set_index("code")["name"]
    target_max = _own_field_max(ds, agency_id, base_year, target_year)
    rows = []
    for t in targets.itertuples():
        if t.metric == "rank":
            last, last_max, new_max = int(summary["rank"]), int(summary["n_ranked"]), t.out_of
            gap = max(0, last - int(t.value))
        elif t.scope == "total":
            last, last_max, new_max = float(summary["index"]), scoring.TOTAL_MAX, scoring.TOTAL_MAX
            gap = max(0.0, round(float(t.value) - last, 6))
        else:
            last, last_max = float(fields.at[t.scope, "points"]), float(fields.at[t.scope, "max_points"])
            new_max = float(target_max.get(t.scope, float("nan")))
            gap = max(0.0, round(float(t.value) - last, 6))
        rows.append(
            {
                "scope": t.scope,
                "name": "Tổng điểm" if t.scope == "total" else names.get(t.scope, t.scope),
                "metric": t.metric,
                "comparator": t.comparator,
                "target": t.value,
                "out_of": t.out_of,
                "last": last,
                "last_max": last_max,
                "target_max": new_max,
                "gap": gap,
                "met": meets(last, t.comparator, t.value),
                "provenance": t.provenance,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    order = frame["scope"].map(lambda s: (0,) if s == "total" else scoring.code_key(s))
    return (
        frame.assign(_key=order, _metric=frame["metric"] != "points")
        .sort_values(["_key", "_metric"])
        .drop(columns=["_key", "_metric"])
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class Projection:
    """The projected total and rank of ``target_year`` if every field target is met.

    Points are on the agency's own scale; ``index`` is on 100. ``survey_points_per_pp`` is how many
    index points one percentage point of the survey share is worth; ``min_survey_share`` is the
    smallest survey share that still clears the overall points target (strictly above it when the
    target says ``>``: see ``min_survey_strict``); ``None`` when there is no overall points target.
    """

    agency_id: str
    base_year: int
    target_year: int
    fields: pd.DataFrame  # field_code, name, last_points, last_max, points, max_points, basis
    appraisal_points: float
    appraisal_max: float
    survey_share: float
    survey_points: float
    survey_max: float
    total_points: float
    total_max: float
    index: float
    last_index: float
    rank: int
    n_ranked: int
    total_target: float | None
    total_comparator: str | None
    rank_target: int | None
    meets_total_target: bool | None
    meets_rank_target: bool | None
    survey_points_per_pp: float
    min_survey_share: float | None
    min_survey_strict: bool
    min_survey_reachable: bool
    peers: pd.DataFrame  # agency_id, short_name, index (last year) and the projected agency, ranked
    assumptions: pd.DataFrame  # assumption (English id), value, description (Vietnamese)


def project(ds: Dataset, agency_id: str, base_year: int, target_year: int | None = None) -> Projection:
    """Project ``target_year`` (default: the year after ``base_year``) if every field target is met.

    Raises CchcParameterError when the agency has no field targets for that year.
    """
    base_year = int(base_year)
    target_year = int(target_year or base_year + 1)
    targets = targets_for(ds, agency_id, target_year)
    field_targets = targets[(targets["metric"] == "points") & (targets["scope"] != "total")].set_index("scope")
    if field_targets.empty:
        raise CchcParameterError(
            f'Cơ quan "{agency_id}" chưa có chỉ tiêu điểm theo lĩnh vực cho năm {target_year}: không thể dự báo'
        )
    summary = scoring.agency_summary(ds, agency_id, base_year)
    last = scoring.field_scores(ds, base_year)
    last = last[last["agency_id"] == agency_id].set_index("field_code")
    framework = ds.framework_for(target_year)
    field_rows = framework[framework["level"] == "field"].set_index("code")
    own_max = _own_field_max(ds, agency_id, base_year, target_year)

    fields = pd.DataFrame({"field_code": sorted(field_rows.index, key=scoring.code_key)})
    fields["name"] = fields["field_code"].map(field_rows["name"])
    fields["last_points"] = fields["field_code"].map(last["points"])
    fields["last_max"] = fields["field_code"].map(last["max_points"])
    fields["max_points"] = fields["field_code"].map(own_max).fillna(0.0)
    has_target = fields["field_code"].isin(field_targets.index)
    held = (fields["last_points"] / fields["last_max"]).fillna(1.0) * fields["max_points"]
    fields["points"] = (
        fields["field_code"]
        .map(field_targets["value"])
        .where(has_target, held)
        .clip(upper=fields["max_points"])
        .round(4)
    )
    fields["basis"] = has_target.map({True: "target", False: "held_share"})

    appraisal_points = float(fields["points"].sum())
    appraisal_max = float(fields["max_points"].sum())
    full_appraisal_max = float(field_rows["max_points"].sum())
    survey_rows = ds.survey[(ds.survey["agency_id"] == agency_id) & (ds.survey["year"] == target_year)]
    survey_max = (
        float(survey_rows["survey_max"].iloc[0]) if not survey_rows.empty else scoring.TOTAL_MAX - full_appraisal_max
    )
    survey_share = float(summary["survey_points"] / summary["survey_max"])
    survey_points = round(survey_share * survey_max, 4)
    total_points = appraisal_points + survey_points
    total_max = appraisal_max + survey_max
    index = round(total_points / total_max * scoring.TOTAL_MAX, 2)

    peers = scoring.total_scores(ds, base_year)
    peers = peers[peers["agency_id"] != agency_id][["agency_id", "index"]]
    peers = pd.concat([peers, pd.DataFrame([{"agency_id": agency_id, "index": index}])], ignore_index=True)
    peers["rank"] = scoring.competition_rank(peers["index"])
    peers["projected"] = peers["agency_id"] == agency_id
    peers["short_name"] = peers["agency_id"].map(ds.agencies.set_index("agency_id")["short_name"])
    peers = peers.sort_values(["rank", "projected"], ascending=[True, False]).reset_index(drop=True)
    rank = int(peers.loc[peers["projected"], "rank"].iloc[0])

    total_target = overall_target(ds, agency_id, target_year, "points")
    rank_target = overall_target(ds, agency_id, target_year, "rank")
    target_value = float(total_target["value"]) if total_target is not None else None
    comparator = str(total_target["comparator"]) if total_target is not None else None
    rank_value = int(rank_target["value"]) if rank_target is not None else None

    per_pp = survey_max / total_max * scoring.TOTAL_MAX / 100  # index points per survey percentage point
    min_share = None
    reachable = True
    if target_value is not None:
        needed = target_value / scoring.TOTAL_MAX * total_max - appraisal_points
        min_share = max(0.0, needed / survey_max)
        reachable = min_share < 1 or (min_share == 1 and comparator != ">")

    assumptions = _assumptions(
        ds,
        agency_id,
        base_year,
        target_year,
        fields,
        appraisal_points,
        appraisal_max,
        survey_share,
        summary,
        survey_max,
        survey_rows.empty,
        full_appraisal_max,
        len(peers) - 1,
    )
    return Projection(
        agency_id=agency_id,
        base_year=base_year,
        target_year=target_year,
        fields=fields,
        appraisal_points=appraisal_points,
        appraisal_max=appraisal_max,
        survey_share=survey_share,
        survey_points=survey_points,
        survey_max=survey_max,
        total_points=round(total_points, 4),
        total_max=total_max,
        index=index,
        last_index=float(summary["index"]),
        rank=rank,
        n_ranked=len(peers),
        total_target=target_value,
        total_comparator=comparator,
        rank_target=rank_value,
        meets_total_target=meets(index, cast(str, comparator), target_value) if target_value is not None else None,
        meets_rank_target=(rank <= rank_value) if rank_value is not None else None,
        survey_points_per_pp=round(per_pp, 6),
        min_survey_share=min_share,
        min_survey_strict=comparator == ">",
        min_survey_reachable=reachable,
        peers=peers,
        assumptions=assumptions,
    )


def _assumptions(
    ds: Dataset,
    agency_id: str,
    base_year: int,
    target_year: int,
    fields: pd.DataFrame,
    appraisal_points: float,
    appraisal_max: float,
    survey_share: float,
    summary: pd.Series,
    survey_max: float,
    survey_max_assumed: bool,
    full_appraisal_max: float,
    n_peers: int,
) -> pd.DataFrame:
    """The projection's assumptions as rows: a stable English id, the value used, a Vietnamese sentence."""
    with_target = fields[fields["basis"] == "target"]
    held = fields[fields["basis"] == "held_share"]
    rows = [
        {
            "assumption": "field_targets_met",
            "value": appraisal_points,
            "description": (
                f"Mọi lĩnh vực có chỉ tiêu đạt đúng chỉ tiêu năm {target_year} ("
                + "; ".join(
                    f"lĩnh vực {c}: {fmt.points(p, m)}"
                    for c, p, m in zip(with_target["field_code"], with_target["points"], with_target["max_points"])
                )
                + f"), tức điểm thẩm định {fmt.points(appraisal_points, appraisal_max)}."
            ),
        }
    ]
    if not held.empty:
        rows.append(
            {
                "assumption": "fields_without_target_hold_share",
                "value": float(held["points"].sum()),
                "description": "Các lĩnh vực chưa có chỉ tiêu giữ tỷ lệ điểm của năm "
                f"{base_year}: "
                + "; ".join(
                    f"lĩnh vực {c}: {fmt.points(p, m)}"
                    for c, p, m in zip(held["field_code"], held["points"], held["max_points"])
                )
                + ".",
            }
        )
    rows.append(
        {
            "assumption": "survey_share_held",
            "value": survey_share,
            "description": (
                f"Điểm điều tra xã hội học giữ tỷ lệ của năm {base_year}: "
                f"{fmt.points(summary['survey_points'], summary['survey_max'])} điểm, tức {fmt.percent(survey_share, 2)} "
                "điểm tối đa."
            ),
        }
    )
    if survey_max_assumed:
        rows.append(
            {
                "assumption": "survey_max_from_framework",
                "value": survey_max,
                "description": (
                    f"Điểm tối đa phần điều tra xã hội học năm {target_year} bằng 100 trừ điểm thẩm định tối đa của bộ "
                    f"tiêu chí năm {target_year}: 100 − {fmt.number(full_appraisal_max)} = {fmt.number(survey_max)} điểm."
                ),
            }
        )
    if appraisal_max < full_appraisal_max:
        rows.append(
            {
                "assumption": "not_applicable_carried",
                "value": full_appraisal_max - appraisal_max,
                "description": (
                    f"Các tiêu chí không áp dụng với cơ quan năm {base_year} vẫn không áp dụng năm {target_year} "
                    f"({fmt.number(full_appraisal_max - appraisal_max)} điểm được trừ khỏi điểm tối đa)."
                ),
            }
        )
    peer_rows = ds.survey[(ds.survey["year"] == int(base_year)) & (ds.survey["agency_id"] != agency_id)]
    illustrative = bool((peer_rows["provenance"] == "illustrative").any())
    rows.append(
        {
            "assumption": "peers_hold_last_total",
            "value": float(n_peers),
            "description": (
                f"Thứ hạng dự báo được xếp so với chỉ số năm {base_year} của {n_peers} cơ quan còn lại, giả định các cơ "
                "quan này giữ nguyên kết quả"
                + ("; kết quả của các cơ quan khác là số liệu minh hoạ." if illustrative else ".")
            ),
        }
    )
    return pd.DataFrame(rows, columns=["assumption", "value", "description"])
