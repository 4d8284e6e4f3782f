"""The results of a year as a document cites them: the published figures where the data holds them (official),
else computed from the criterion points (as official as the weakest input), with their provenance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scoring
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["Figure", "YearResults", "weakest", "year_results"]


def weakest(*provenances: str) -> str:
    """The combined provenance of the known values (domain.provenance's rule); illustrative when none is known."""
    known = [p for p in provenances if p in prov.ORDER]
    return prov.combine(*known) if known else prov.ILLUSTRATIVE


@dataclass(frozen=True)
class Figure:
    code: str  # "total" or a field code
    name: str
    points: float
    max_points: float
    rank: int | None
    n_ranked: int | None
    provenance: str


@dataclass(frozen=True)
class YearResults:
    agency_id: str
    year: int
    total: Figure
    fields: tuple[Figure, ...]
    previous_year: int | None
    previous_total: float | None
    previous_provenance: str
    lost: pd.DataFrame  # code, field_code, name, max_points, points, lost (scoring.lost_points)
    lost_provenance: str

    @property
    def change(self) -> float | None:
        return None if self.previous_total is None else round(self.total.points - self.previous_total, 2)

    @property
    def provenance(self) -> str:
        """The weakest provenance of every figure the document cites."""
        return weakest(
            self.total.provenance,
            *(f.provenance for f in self.fields),
            self.previous_provenance if self.previous_total is not None else "official",
            self.lost_provenance,
        )


def _computed(ds: Dataset, agency_id: str, year: int) -> tuple[Figure, dict[str, Figure]]:
    scores = ds.scores[(ds.scores["year"] == int(year))]
    provenance = weakest(*scores.loc[scores["agency_id"] == agency_id, "provenance"])
    peers = weakest(*scores["provenance"])  # a rank among illustrative peers is illustrative
    totals = scoring.total_scores(ds, year).set_index("agency_id")
    row = totals.loc[agency_id]
    total = Figure(
        "total",
        "",
        float(row["index"]),
        scoring.TOTAL_MAX,
        int(row["rank"]),
        int(row["n_ranked"]),
        weakest(provenance, peers),
    )
    names = ds.framework_for(year).set_index("code")["name"]
    fields = {}
    for f in scoring.field_scores(ds, year).query("agency_id == @agency_id").itertuples(index=False):
        fields[f.field_code] = Figure(
            f.field_code,
            str(names[f.field_code]),
            float(f.points),
            float(f.max_points),
            int(f.rank),
            int(f.n_ranked),
            weakest(provenance, peers),
        )
    return total, fields


def year_results(ds: Dataset, agency_id: str, year: int) -> YearResults:
    """The agency's results of ``year``: published rows win over computed ones, scope by scope."""
    total, fields = _computed(ds, agency_id, year)
    published = ds.published[(ds.published["agency_id"] == agency_id) & (ds.published["year"] == int(year))]
    names = ds.framework_for(year).set_index("code")["name"]

    def from_published(scope: str, fallback: Figure) -> Figure:
        rows = published[published["scope"] == scope]
        if rows.empty:
            return fallback
        r = rows.iloc[0]
        rank = None if pd.isna(r["rank"]) else int(r["rank"])
        n_ranked = None if pd.isna(r["n_ranked"]) else int(r["n_ranked"])
        name = "" if scope == "total" else str(names.get(scope, fallback.name))
        return Figure(scope, name, float(r["points"]), float(r["max_points"]), rank, n_ranked, str(r["provenance"]))

    total = from_published("total", total)
    fields = tuple(from_published(code, fields[code]) for code in sorted(fields, key=int))
    earlier = [y for y in ds.result_years if y < int(year)]
    earlier_published = ds.published[
        (ds.published["agency_id"] == agency_id)
        & (ds.published["year"] < int(year))
        & (ds.published["scope"] == "total")
    ]
    previous_year = previous_total = None
    previous_provenance = ""
    candidates = sorted(set(earlier) | {int(y) for y in earlier_published["year"]})
    if candidates:
        previous_year = candidates[-1]
        rows = earlier_published[earlier_published["year"] == previous_year]
        if not rows.empty:
            previous_total, previous_provenance = float(rows["points"].iloc[0]), str(rows["provenance"].iloc[0])
        else:
            before, _ = _computed(ds, agency_id, previous_year)
            previous_total, previous_provenance = before.points, before.provenance
    lost = scoring.lost_points(ds, agency_id, year)
    own = ds.scores[(ds.scores["agency_id"] == agency_id) & (ds.scores["year"] == int(year))]
    lost_provenance = weakest(*own.loc[own["code"].isin(lost["code"]), "provenance"])
    return YearResults(
        agency_id, int(year), total, fields, previous_year, previous_total, previous_provenance, lost, lost_provenance
    )
