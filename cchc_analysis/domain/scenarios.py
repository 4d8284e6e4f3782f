"""What the survey must bring for each overall target, and a few scenarios of the target year.

Pure functions of a Dataset, built on :func:`cchc_analysis.domain.targets.project` (every field target met,
the survey's maximum of the target year, the other agencies frozen at their last results). The overall
target is two targets at once — a total above a threshold *and* a rank in the top N — so every answer here
is given for each of them, with the one that binds named, never for the easier one alone.

A threshold or scenario that places the agency among the other agencies is as official as their figures
(:mod:`cchc_analysis.domain.provenance`): illustrative while the peers are illustrative.

Why this module is long: the survey thresholds, the what-if and the scenario table answer one question (what
reaches the targets) on the same projection; one module keeps one reading of "which target binds".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring, targets
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.ingest.dataset import Dataset

__all__ = [
    "SURVEY_DROP",
    "WhatIf",
    "largest_loss",
    "lost_codes",
    "place",
    "row",
    "scenarios",
    "survey_thresholds",
    "target_points",
    "what_if",
]

SURVEY_DROP = 0.05  # the "survey falls" scenario: five percentage points below the last share


def _peers(ds: Dataset, agency_id: str, base_year: int) -> pd.DataFrame:
    """The other agencies' last indices (best first) with their short names and provenance."""
    totals = scoring.total_scores(ds, base_year)
    others = totals[totals["agency_id"] != agency_id][["agency_id", "index", "provenance"]]
    others = others.assign(short_name=others["agency_id"].map(ds.agencies.set_index("agency_id")["short_name"]))
    return others.sort_values(["index", "agency_id"], ascending=[False, True]).reset_index(drop=True)


def _base_provenance(p: targets.Projection, ds: Dataset, agency_id: str) -> str:
    """Provenance of a projected index: the targets, the last survey share and the assumed survey maximum."""
    rows = targets.targets_for(ds, agency_id, p.target_year)
    summary = scoring.agency_summary(ds, agency_id, p.base_year)
    assumed = prov.DERIVED  # the projection rests on stated assumptions (targets met, survey share held)
    return prov.combine(*rows["provenance"], summary["survey_provenance"], assumed)


def place(index: float, peers: pd.DataFrame) -> dict:
    """Where an index lands among frozen peers: competition rank, the nearest peer below and above, and the
    margins to them (points of the index on 100; NaN when there is no such peer)."""
    values = peers["index"].round(scoring.RANK_DECIMALS)
    mine = round(float(index), scoring.RANK_DECIMALS)
    above, below = peers[values > mine], peers[values <= mine]
    return {
        "rank": int(len(above) + 1),
        "n_ranked": int(len(peers) + 1),
        "peer_above": above["short_name"].iloc[-1] if not above.empty else None,
        "gap_above": round(float(above["index"].iloc[-1]) - mine, 2) if not above.empty else float("nan"),
        "peer_below": below["short_name"].iloc[0] if not below.empty else None,
        "margin_below": round(mine - float(below["index"].iloc[0]), 2) if not below.empty else float("nan"),
    }


def survey_thresholds(ds: Dataset, agency_id: str, base_year: int, target_year: int | None = None) -> pd.DataFrame:
    """The smallest survey share that still meets each overall target when every field target is met.

    One row per overall target (``points``: the total; ``rank``: the top N among the others frozen at their
    last results, where a tie with the N-th is enough). Columns: metric, comparator, target, out_of,
    index_needed, strict (the share must be strictly above ``min_share``), min_share, min_survey_points,
    last_share, margin (last_share − min_share, in share units), reachable, binding (the higher threshold),
    provenance. Empty when the agency has no field targets or no overall target.
    """
    p = targets.project(ds, agency_id, base_year, target_year)
    rows = targets.targets_for(ds, agency_id, p.target_year)
    overall = rows[rows["scope"] == "total"]
    peers = _peers(ds, agency_id, p.base_year)
    base = _base_provenance(p, ds, agency_id)
    found = []
    for t in overall.itertuples():
        if t.metric == "points":
            index_needed = float(t.value)
            strict = t.comparator == ">"
            provenance = base
        else:
            position = int(t.value)
            if position > len(peers):
                index_needed, strict = 0.0, False
            else:
                index_needed, strict = float(peers["index"].iloc[position - 1]), False
            provenance = prov.combine(base, prov.weakest(peers["provenance"]))
        survey_needed = index_needed / scoring.TOTAL_MAX * p.total_max - p.appraisal_points
        min_share = max(0.0, survey_needed / p.survey_max)
        found.append(
            {
                "metric": t.metric,
                "comparator": t.comparator,
                "target": float(t.value),
                "out_of": t.out_of,
                "index_needed": round(index_needed, 2),
                "strict": strict,
                "min_share": min_share,
                "min_survey_points": round(max(0.0, survey_needed), 4),
                "last_share": p.survey_share,
                "margin": p.survey_share - min_share,
                "reachable": min_share < 1 or (min_share == 1 and not strict),
                "provenance": provenance,
            }
        )
    columns = ["metric", "comparator", "target", "out_of", "index_needed", "strict", "min_share"]
    columns += ["min_survey_points", "last_share", "margin", "reachable", "provenance"]
    frame = pd.DataFrame(found, columns=columns)
    frame["binding"] = False
    if not frame.empty:
        frame.loc[frame["min_share"].idxmax(), "binding"] = True
    return frame


def largest_loss(ds: Dataset, agency_id: str, base_year: int, target_year: int) -> tuple[str, ...]:
    """The sub-criteria of the base year's field with the largest loss that still exist in the target year."""
    fields = scoring.pareto_losses(ds, agency_id, base_year, by="field")
    if fields.empty:
        return ()
    leaves = scoring.lost_points(ds, agency_id, base_year)
    codes = leaves[leaves["field_code"] == fields["field_code"].iloc[0]]["code"]
    existing = set(ds.framework_for(target_year)["code"])
    return tuple(sorted((c for c in codes if c in existing), key=scoring.code_key))


@dataclass(frozen=True)
class WhatIf:
    """One what-if of the target year: the total, the rank among frozen peers, the gap to each overall target and
    the target that binds.

    ``fields``: field_code, name, points, max_points (the target year's, less what did not apply), basis
    (``given``: from ``field_points``; ``held_share``: the base year's share of the maximum), adjusted (points won
    back minus points lost again). ``margin_total``/``margin_rank``: index points above (positive) or below
    (negative) what each overall target needs (``None`` without that target); ``gap_total``/``gap_rank``: what is
    still missing (0 when met); ``binding``: ``points`` or ``rank``, the target with the smaller margin (the one
    that fails first, or that is missed by more); ``provenance`` of the index, ``rank_provenance`` of the rank and
    of everything measured against the peers (illustrative while the peers are).
    """

    base_year: int
    target_year: int
    fields: pd.DataFrame
    won_back: tuple[str, ...]
    lost_again: tuple[str, ...]
    appraisal_points: float
    appraisal_max: float
    survey_share: float
    survey_points: float
    survey_max: float
    index: float
    rank: int
    n_ranked: int
    peer_above: str | None
    gap_above: float
    peer_below: str | None
    margin_below: float
    total_target: float | None
    total_comparator: str | None
    rank_target: int | None
    rank_index_needed: float | None  # the index of the peer at the target rank: a tie with it is enough
    meets_total: bool | None
    meets_rank: bool | None
    margin_total: float | None
    margin_rank: float | None
    gap_total: float | None
    gap_rank: float | None
    binding: str | None
    provenance: str
    rank_provenance: str

    @property
    def missed(self) -> tuple[str, ...]:
        """The overall targets missed (``points``, ``rank``), in that order."""
        return tuple(name for name, ok in (("points", self.meets_total), ("rank", self.meets_rank)) if ok is False)


def lost_codes(ds: Dataset, agency_id: str, base_year: int, target_year: int | None = None) -> pd.DataFrame:
    """The sub-criteria that lost points in the base year and still exist in the target year, largest loss first:
    code, field_code, name, lost, provenance. These are what a what-if can win back or lose again."""
    target_year = int(target_year or int(base_year) + 1)
    leaves = scoring.lost_points(ds, agency_id, base_year)
    existing = set(ds.framework_for(target_year)["code"])
    rows = leaves[leaves["code"].isin(existing)]
    return rows[["code", "field_code", "name", "lost", "provenance"]].reset_index(drop=True)


def what_if(
    ds: Dataset,
    agency_id: str,
    base_year: int,
    target_year: int | None = None,
    *,
    won_back: Iterable[str] = (),
    lost_again: Iterable[str] = (),
    field_points: Mapping[str, float] | None = None,
    survey_share: float | None = None,
) -> WhatIf:
    """The target year's total and rank if each field scores ``field_points`` (a field not given keeps the base
    year's share of its maximum, as in :func:`targets.project`), the sub-criteria in ``won_back`` gain and those in
    ``lost_again`` lose what they lost in the base year (on top of their field's points, kept within 0 and the
    field's maximum), and the survey scores ``survey_share`` of its maximum (default: the base year's share).

    The other agencies are frozen at their base-year results. Raises CchcParameterError for a sub-criterion that
    did not lose points in the base year (or no longer exists), for one both won back and lost again, for an
    unknown field, points outside 0 and the field's maximum, or a share outside 0 and 1.
    """
    p = targets.project(ds, agency_id, base_year, target_year)
    won, again = tuple(won_back), tuple(lost_again)
    lost = lost_codes(ds, agency_id, p.base_year, p.target_year).set_index("code")
    unknown = [c for c in (*won, *again) if c not in lost.index]
    if unknown:
        raise CchcParameterError(
            f"Tiêu chí thành phần {', '.join(unknown)} không bị trừ điểm năm {p.base_year} "
            f"(hoặc không còn trong bộ tiêu chí năm {p.target_year}); các tiêu chí bị trừ điểm: "
            f"{', '.join(lost.index) or 'không có'}"
        )
    both = sorted(set(won) & set(again), key=scoring.code_key)
    if both:
        raise CchcParameterError(
            f"Tiêu chí thành phần {', '.join(both)} không thể vừa được lấy lại điểm vừa bị trừ lại"
        )
    fields = p.fields[["field_code", "name", "max_points"]].copy()
    held = (p.fields["last_points"] / p.fields["last_max"]).fillna(1.0) * p.fields["max_points"]
    given = {str(k): float(v) for k, v in (field_points or {}).items()}
    maxima = fields.set_index("field_code")["max_points"]
    for code, value in given.items():
        if code not in maxima.index:
            raise CchcParameterError(f'Không có lĩnh vực "{code}" trong bộ tiêu chí năm {p.target_year}')
        if not 0 <= value <= float(maxima[code]) + 1e-9:
            raise CchcParameterError(
                f"Điểm lĩnh vực {code} phải từ 0 đến {fmt.number(float(maxima[code]))}, không phải {fmt.number(value)}"
            )
    share = p.survey_share if survey_share is None else float(survey_share)
    if not 0 <= share <= 1:
        raise CchcParameterError(f"Tỷ lệ điểm điều tra xã hội học phải từ 0 đến 100 %, không phải {fmt.percent(share)}")
    fields["basis"] = ["given" if c in given else "held_share" for c in fields["field_code"]]
    start = fields["field_code"].map(given).where(fields["basis"] == "given", held)
    delta = pd.Series(0.0, index=fields.index)
    for codes, sign in ((won, 1.0), (again, -1.0)):
        for code in codes:
            delta[fields["field_code"] == lost.at[code, "field_code"]] += sign * float(lost.at[code, "lost"])
    fields["adjusted"] = delta.round(4)
    fields["points"] = (start + delta).clip(lower=0.0, upper=fields["max_points"]).round(4)

    appraisal = round(float(fields["points"].sum()), 4)
    survey = round(share * p.survey_max, 4)
    total_max = p.appraisal_max + p.survey_max
    index = round((appraisal + survey) / total_max * scoring.TOTAL_MAX, 2)
    peers = _peers(ds, agency_id, p.base_year)
    where = place(index, peers)

    summary = scoring.agency_summary(ds, agency_id, p.base_year)
    inputs = [
        prov.DERIVED,
        summary["survey_provenance"],
        *targets.targets_for(ds, agency_id, p.target_year)["provenance"],
    ]
    if (fields["basis"] == "held_share").any():
        inputs.append(summary["appraisal_provenance"])
    inputs += list(lost.loc[list(won + again), "provenance"])
    provenance = prov.combine(*inputs)
    rank_provenance = prov.combine(provenance, prov.weakest(peers["provenance"])) if not peers.empty else provenance

    meets_total = margin_total = gap_total = None
    if p.total_target is not None and p.total_comparator is not None:
        meets_total = targets.meets(index, p.total_comparator, p.total_target)
        margin_total = round(index - p.total_target, 2)
        gap_total = (
            0.0
            if meets_total
            else max(0.01, round(p.total_target - index, 2) + (0.01 if p.total_comparator == ">" else 0.0))
        )
    meets_rank = margin_rank = gap_rank = needed_rank = None
    if p.rank_target is not None:
        meets_rank = where["rank"] <= p.rank_target
        needed_rank = float(peers["index"].iloc[p.rank_target - 1]) if p.rank_target <= len(peers) else 0.0
        margin_rank = round(index - needed_rank, 2)
        gap_rank = 0.0 if meets_rank else round(needed_rank - index, 2)
    margins = {
        name: (value - 0.005 if name == "points" and p.total_comparator == ">" else value)
        for name, value in (("points", margin_total), ("rank", margin_rank))
        if value is not None
    }
    binding = min(margins, key=lambda name: margins[name]) if margins else None
    return WhatIf(
        base_year=p.base_year,
        target_year=p.target_year,
        fields=fields[["field_code", "name", "points", "max_points", "basis", "adjusted"]],
        won_back=won,
        lost_again=again,
        appraisal_points=appraisal,
        appraisal_max=p.appraisal_max,
        survey_share=share,
        survey_points=survey,
        survey_max=p.survey_max,
        index=index,
        rank=where["rank"],
        n_ranked=where["n_ranked"],
        peer_above=where["peer_above"],
        gap_above=where["gap_above"],
        peer_below=where["peer_below"],
        margin_below=where["margin_below"],
        total_target=p.total_target,
        total_comparator=p.total_comparator,
        rank_target=p.rank_target,
        rank_index_needed=needed_rank,
        meets_total=meets_total,
        meets_rank=meets_rank,
        margin_total=margin_total,
        margin_rank=margin_rank,
        gap_total=gap_total,
        gap_rank=gap_rank,
        binding=binding,
        provenance=provenance,
        rank_provenance=rank_provenance,
    )


def target_points(ds: Dataset, agency_id: str, base_year: int, target_year: int | None = None) -> dict[str, float]:
    """Each field's points target of the target year (field code → points), as :func:`what_if` takes them."""
    p = targets.project(ds, agency_id, base_year, target_year)
    rows = p.fields[p.fields["basis"] == "target"]
    return dict(zip(rows["field_code"], rows["points"].astype(float)))


def scenarios(
    ds: Dataset,
    agency_id: str,
    base_year: int,
    target_year: int | None = None,
    *,
    repeat: tuple[str, ...] | None = None,
    survey_drop: float = SURVEY_DROP,
) -> pd.DataFrame:
    """Three scenarios of the target year, each a :func:`what_if`, with its total, rank and the targets it misses.

    - ``targets_met``: every field target met, the survey share as in the base year (the projection);
    - ``losses_repeat``: the same, except that the sub-criteria in ``repeat`` (default: those of the base
      year's largest field loss) lose again what they lost in the base year;
    - ``survey_down``: every field target met, the survey share ``survey_drop`` below the base year's.

    Columns: scenario, repeated (codes), lost_again (points), appraisal_points, survey_share, survey_points,
    index, the :func:`place` columns, meets_total, meets_rank, missed (``points``/``rank`` ids), margin_total,
    margin_rank, binding, provenance (of the index) and rank_provenance (illustrative while the peers are).
    """
    p = targets.project(ds, agency_id, base_year, target_year)
    repeat = largest_loss(ds, agency_id, p.base_year, p.target_year) if repeat is None else tuple(repeat)
    goals = target_points(ds, agency_id, p.base_year, p.target_year)
    cases = [
        ("targets_met", (), p.survey_share),
        ("losses_repeat", repeat, p.survey_share),
        ("survey_down", (), max(0.0, p.survey_share - survey_drop)),
    ]
    rows = []
    for scenario, codes, share in cases:
        w = what_if(ds, agency_id, p.base_year, p.target_year, lost_again=codes, field_points=goals, survey_share=share)
        rows.append(
            {
                "scenario": scenario,
                "repeated": codes,
                "lost_again": round(float(-w.fields["adjusted"].sum()), 4),
                **row(w),
            }
        )
    return pd.DataFrame(rows)


def row(w: WhatIf) -> dict:
    """A what-if as one row of a scenario table (the columns :func:`scenarios` documents, less its first three)."""
    return {
        "appraisal_points": w.appraisal_points,
        "appraisal_max": w.appraisal_max,
        "survey_share": w.survey_share,
        "survey_points": w.survey_points,
        "survey_max": w.survey_max,
        "index": w.index,
        "rank": w.rank,
        "n_ranked": w.n_ranked,
        "peer_above": w.peer_above,
        "gap_above": w.gap_above,
        "peer_below": w.peer_below,
        "margin_below": w.margin_below,
        "meets_total": w.meets_total,
        "meets_rank": w.meets_rank,
        "missed": w.missed,
        "margin_total": w.margin_total,
        "margin_rank": w.margin_rank,
        "binding": w.binding,
        "provenance": w.provenance,
        "rank_provenance": w.rank_provenance,
    }
