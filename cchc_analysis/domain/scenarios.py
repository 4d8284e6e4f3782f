"""What the survey must bring for each overall target, and a few scenarios of the target year.

Pure functions of a Dataset, built on :func:`cchc_analysis.domain.targets.project` (every field target met,
the survey's maximum of the target year, the other agencies frozen at their last results). The overall
target is two targets at once — a total above a threshold *and* a rank in the top N — so every answer here
is given for each of them, with the one that binds named, never for the easier one alone.

A threshold or scenario that places the agency among the other agencies is as official as their figures
(:mod:`cchc_analysis.domain.provenance`): illustrative while the peers are illustrative.
"""

from __future__ import annotations

import pandas as pd

from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring, targets
from cchc_analysis.ingest.dataset import Dataset

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


def scenarios(
    ds: Dataset,
    agency_id: str,
    base_year: int,
    target_year: int | None = None,
    *,
    repeat: tuple[str, ...] | None = None,
    survey_drop: float = SURVEY_DROP,
) -> pd.DataFrame:
    """Three scenarios of the target year, each with its total, rank and the targets it misses.

    - ``targets_met``: every field target met, the survey share as in the base year (the projection);
    - ``losses_repeat``: the same, except that the sub-criteria in ``repeat`` (default: those of the base
      year's largest field loss) lose again what they lost in the base year;
    - ``survey_down``: every field target met, the survey share ``survey_drop`` below the base year's.

    Columns: scenario, repeated (codes), lost_again (points), appraisal_points, survey_share, survey_points,
    index, the :func:`place` columns, meets_total, meets_rank, missed (``points``/``rank`` ids), provenance
    (of the index) and rank_provenance (illustrative while the peers are).
    """
    p = targets.project(ds, agency_id, base_year, target_year)
    repeat = largest_loss(ds, agency_id, p.base_year, p.target_year) if repeat is None else tuple(repeat)
    lost = scoring.lost_points(ds, agency_id, p.base_year).set_index("code")
    lost_again = round(float(sum(lost["lost"].get(code, 0.0) for code in repeat)), 4)
    repeat_provenance = prov.weakest(lost.loc[[c for c in repeat if c in lost.index], "provenance"]) if repeat else None
    peers = _peers(ds, agency_id, p.base_year)
    base = _base_provenance(p, ds, agency_id)
    peer_provenance = prov.weakest(peers["provenance"])
    cases = [
        ("targets_met", (), 0.0, p.survey_share, base),
        ("losses_repeat", repeat, lost_again, p.survey_share, prov.combine(base, repeat_provenance or base)),
        ("survey_down", (), 0.0, max(0.0, p.survey_share - survey_drop), base),
    ]
    rows = []
    for scenario, codes, minus, share, provenance in cases:
        appraisal = round(p.appraisal_points - minus, 4)
        survey = round(share * p.survey_max, 4)
        index = round((appraisal + survey) / p.total_max * scoring.TOTAL_MAX, 2)
        where = place(index, peers)
        meets_total = (
            targets.meets(index, p.total_comparator, p.total_target)
            if p.total_target is not None and p.total_comparator is not None
            else None
        )
        meets_rank = where["rank"] <= p.rank_target if p.rank_target is not None else None
        missed = [name for name, ok in (("points", meets_total), ("rank", meets_rank)) if ok is False]
        rows.append(
            {
                "scenario": scenario,
                "repeated": codes,
                "lost_again": minus,
                "appraisal_points": appraisal,
                "appraisal_max": p.appraisal_max,
                "survey_share": share,
                "survey_points": survey,
                "survey_max": p.survey_max,
                "index": index,
                **where,
                "meets_total": meets_total,
                "meets_rank": meets_rank,
                "missed": tuple(missed),
                "provenance": provenance,
                "rank_provenance": prov.combine(provenance, peer_provenance),
            }
        )
    return pd.DataFrame(rows)
