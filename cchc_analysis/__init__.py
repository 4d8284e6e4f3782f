"""cchc_analysis: analyse the PAR index (Chỉ số CCHC) of an agency and brief its leadership.

The analyst's entry points are here at the top (docs/analyst.md has recipes)::

    import cchc_analysis as cchc
    ds = cchc.load_data()
    cchc.scorecard(ds, "ban-dan-toc", 2022)

They are loaded on first use, so ``import cchc_analysis`` (and the ``cchc`` command) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from cchc_analysis.errors import CchcDataError, CchcError, CchcParameterError, CchcReportError, Problem

__version__ = "0.1.0"

#: name → the module that defines it (imported on first use).
_LAZY = {
    # data and validated parameters
    "load_data": "cchc_analysis.ingest.dataset",
    "Dataset": "cchc_analysis.ingest.dataset",
    "context": "cchc_analysis.present.context",
    "Context": "cchc_analysis.present.context",
    # scores and ranks
    "scorecard": "cchc_analysis.domain.scoring",
    "field_scores": "cchc_analysis.domain.scoring",
    "total_scores": "cchc_analysis.domain.scoring",
    "agency_summary": "cchc_analysis.domain.scoring",
    "lost_points": "cchc_analysis.domain.scoring",
    "ranking": "cchc_analysis.domain.scoring",
    "rank_gaps": "cchc_analysis.domain.scoring",
    "history": "cchc_analysis.domain.scoring",
    "year_over_year": "cchc_analysis.domain.scoring",
    # targets and the projection
    "targets_for": "cchc_analysis.domain.targets",
    "target_gaps": "cchc_analysis.domain.targets",
    "project": "cchc_analysis.domain.targets",
    # plan status
    "picture": "cchc_analysis.domain.plan",
    "points_at_stake": "cchc_analysis.domain.plan",
    "alerts": "cchc_analysis.domain.plan",
    # charts (each returns a matplotlib Figure)
    "field_points": "cchc_analysis.present.charts.scores",
    "peer_ranking": "cchc_analysis.present.charts.scores",
    "loss_pareto": "cchc_analysis.present.charts.scores",
    "change_waterfall": "cchc_analysis.present.charts.scores",
    "share_heatmap": "cchc_analysis.present.charts.scores",
    "status_by_unit": "cchc_analysis.present.charts.plan",
    "status_by_field": "cchc_analysis.present.charts.plan",
    "deadline_timeline": "cchc_analysis.present.charts.plan",
}

__all__ = [
    "CchcDataError",
    "CchcError",
    "CchcParameterError",
    "CchcReportError",
    "Problem",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cchc_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
