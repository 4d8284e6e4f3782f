"""The presentation context: every summary a page shows, computed once per notebook context.

Cells of a notebook each call a builder with the same :class:`~cchc_analysis.present.context.Context`;
:func:`figures` returns one :class:`Figures` per context, whose properties compute a summary on first use and
keep it (``agency_summary`` used to be recomputed by several cells). A context that is replaced (for example
by ``dataclasses.replace`` with other data) gets its own figures.
"""

from __future__ import annotations

import weakref
from functools import cached_property

import pandas as pd

from cchc_analysis.domain import provenance as prov
from cchc_analysis.domain import scenarios, scoring, targets
from cchc_analysis.present.context import Context

__all__ = ["Figures", "figures"]

_CACHE: dict[int, Figures] = {}


class Figures:
    """Computed figures of one context: the agency's results, the year before, ranks, targets, scenarios."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def ds(self):
        return self.ctx.ds

    @property
    def year(self) -> int:
        return self.ctx.results_year

    @cached_property
    def is_real(self) -> bool:
        """The agency is a real institution (its row in agencies.csv is official), so a statement about it
        that rests only on illustrative data is withheld."""
        rows = self.ds.agencies[self.ds.agencies["agency_id"] == self.ctx.agency_id]
        return bool((rows["provenance"] == prov.OFFICIAL).any())

    @cached_property
    def summary(self) -> pd.Series:
        return scoring.agency_summary(self.ds, self.ctx.agency_id, self.year)

    @cached_property
    def previous_year(self) -> int | None:
        """The latest earlier year in which the agency has results."""
        scores = self.ds.scores
        earlier = [
            y
            for y in self.ds.result_years
            if y < self.year and not scores[(scores["year"] == y) & (scores["agency_id"] == self.ctx.agency_id)].empty
        ]
        return max(earlier) if earlier else None

    @cached_property
    def previous_summary(self) -> pd.Series | None:
        if self.previous_year is None:
            return None
        return scoring.agency_summary(self.ds, self.ctx.agency_id, self.previous_year)

    @cached_property
    def fields(self) -> pd.DataFrame:
        """The agency's fields of the year, with their names in that year's framework."""
        fields = scoring.field_scores(self.ds, self.year)
        names = self.ds.framework_for(self.year).set_index("code")["name"]
        mine = fields[fields["agency_id"] == self.ctx.agency_id].copy()
        mine["name"] = mine["field_code"].map(names)
        return mine.sort_values("field_code", key=lambda s: s.map(scoring.code_key)).reset_index(drop=True)

    @cached_property
    def card(self) -> pd.DataFrame:
        return scoring.scorecard(self.ds, self.ctx.agency_id, self.year)

    @cached_property
    def rank_target(self) -> pd.Series | None:
        return targets.overall_target(self.ds, self.ctx.agency_id, self.year + 1, "rank")

    @cached_property
    def rank_gaps(self) -> pd.DataFrame:
        target = None if self.rank_target is None else int(self.rank_target["value"])
        return scoring.rank_gaps(self.ds, self.ctx.agency_id, self.year, target_rank=target)

    @cached_property
    def losses(self) -> pd.DataFrame:
        return scoring.pareto_losses(self.ds, self.ctx.agency_id, self.year)

    @cached_property
    def field_losses(self) -> pd.DataFrame:
        return scoring.pareto_losses(self.ds, self.ctx.agency_id, self.year, by="field")

    @cached_property
    def repeated(self) -> pd.DataFrame:
        return scoring.repeated_losses(self.ds, self.ctx.agency_id, self.year)

    @cached_property
    def change(self) -> pd.DataFrame | None:
        if self.previous_year is None:
            return None
        return scoring.year_over_year(self.ds, self.ctx.agency_id, self.previous_year, self.year)

    def target_gaps(self, target_year: int | None = None) -> pd.DataFrame:
        return self._target_gaps(int(target_year or self.year + 1))

    def _target_gaps(self, target_year: int) -> pd.DataFrame:
        cache: dict[object, pd.DataFrame] = self.__dict__.setdefault("_target_gaps_cache", {})
        if target_year not in cache:
            cache[target_year] = targets.target_gaps(self.ds, self.ctx.agency_id, self.year, target_year)
        return cache[target_year]

    @cached_property
    def can_project(self) -> bool:
        rows = targets.targets_for(self.ds, self.ctx.agency_id, self.year + 1)
        return not rows[(rows["metric"] == "points") & (rows["scope"] != "total")].empty

    @cached_property
    def projection(self) -> targets.Projection | None:
        return targets.project(self.ds, self.ctx.agency_id, self.year) if self.can_project else None

    @cached_property
    def thresholds(self) -> pd.DataFrame:
        if not self.can_project:
            return pd.DataFrame()
        return scenarios.survey_thresholds(self.ds, self.ctx.agency_id, self.year)

    @cached_property
    def scenarios(self) -> pd.DataFrame:
        if not self.can_project:
            return pd.DataFrame()
        return scenarios.scenarios(self.ds, self.ctx.agency_id, self.year)

    @cached_property
    def projection_provenance(self) -> str:
        """The projected index rests on the targets, the last survey share and stated assumptions."""
        rows = self.scenarios
        return str(rows["provenance"].iloc[0]) if not rows.empty else prov.DERIVED

    @cached_property
    def projection_rank_provenance(self) -> str:
        rows = self.scenarios
        return str(rows["rank_provenance"].iloc[0]) if not rows.empty else prov.ILLUSTRATIVE


def figures(ctx: Context) -> Figures:
    """The figures of a context, computed once (kept as long as the context lives)."""
    key = id(ctx)
    found = _CACHE.get(key)
    if found is None or found.ctx is not ctx:
        found = Figures(ctx)
        _CACHE[key] = found
        weakref.finalize(ctx, _CACHE.pop, key, None)
    return found
