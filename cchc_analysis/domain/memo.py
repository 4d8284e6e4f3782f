"""Remember a pure function's result per dataset, so that one briefing computes each year's scores once.

A briefing asks for the same ``field_scores`` / ``total_scores`` of a year dozens of times (the cards, the
projection, each scenario's projection, the survey thresholds …): measured, ~60 recomputations and ~2,5 of the
~2,9 CPU-seconds of the briefing's cells. :func:`per_dataset` keeps each result on the dataset object itself (a
``Dataset`` is frozen; a changed one, as ``scenarios.what_if`` builds with ``dataclasses.replace``, is another
object with its own results), so it lives exactly as long as the dataset and is never shared between two.

Callers get a copy, so changing a returned frame changes nothing remembered. A table replaced on the dataset or
one whose length changed is noticed (the result is computed again); changing a table's values in place is not —
tables of a ``Dataset`` are not to be changed in place (build a changed dataset with ``dataclasses.replace``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["TABLES_READ", "per_dataset"]

F = TypeVar("F", bound=Callable[..., Any])
#: The tables the scores are computed from; a result is kept only while these are the same objects and lengths.
TABLES_READ = ("scores", "framework", "published", "survey", "bands")
_STORE = "_cchc_memo"


def _stamp(ds: Any) -> tuple:
    return tuple((id(table), len(table)) for table in (getattr(ds, name) for name in TABLES_READ))


def per_dataset(function: F) -> F:
    """Cache ``function(ds, *args)`` (hashable ``args``, a DataFrame result) on ``ds``; a copy is returned."""

    @functools.wraps(function)
    def remembered(ds: Any, *args: Any) -> Any:
        store = ds.__dict__.setdefault(_STORE, {})
        key = (function.__name__, *args)
        stamp = _stamp(ds)
        found = store.get(key)
        if found is None or found[0] != stamp:
            found = (stamp, function(ds, *args))
            store[key] = found
        return found[1].copy()

    return remembered  # type: ignore[return-value]
