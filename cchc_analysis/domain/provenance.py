"""Provenance of a figure: official, derived or illustrative, and the one rule that combines them.

A computed figure is only as official as its weakest input:

- official ⊕ official → official;
- official ⊕ derived → derived;
- anything ⊕ illustrative → illustrative.

Every analysis table carries its provenance as a column computed with :func:`combine` (or
:func:`weakest` over a group of rows), never as prose; the present layer turns it into a visible marker.
One exception is made on purpose and only in :mod:`cchc_analysis.domain.scoring`: a figure that equals a
figure the province really published is as official as the published one, however it was computed.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cchc_analysis.errors import CchcParameterError

__all__ = ["DERIVED", "ILLUSTRATIVE", "OFFICIAL", "ORDER", "combine", "combine_columns", "is_official", "weakest"]

OFFICIAL = "official"
DERIVED = "derived"
ILLUSTRATIVE = "illustrative"
#: From most to least official; a combination takes the last one present.
ORDER: tuple[str, ...] = (OFFICIAL, DERIVED, ILLUSTRATIVE)
_RANK = {value: i for i, value in enumerate(ORDER)}


def _check(value: object) -> str:
    if value not in _RANK:
        raise CchcParameterError(f'Nguồn số liệu "{value}" không hợp lệ (official, derived, illustrative)')
    return str(value)


def combine(*provenances: str) -> str:
    """The provenance of a figure computed from inputs of these provenances (the least official one)."""
    if not provenances:
        raise CchcParameterError("Không thể xác định nguồn của một số liệu không có dữ liệu đầu vào")
    return ORDER[max(_RANK[_check(p)] for p in provenances)]


def weakest(provenances: Iterable[str]) -> str:
    """:func:`combine` over a collection (a group of rows)."""
    return combine(*list(provenances))


def combine_columns(*columns: pd.Series | str) -> pd.Series:
    """Row by row :func:`combine` of aligned Series (a plain string applies to every row)."""
    series = [c for c in columns if isinstance(c, pd.Series)]
    scalars = [str(c) for c in columns if not isinstance(c, pd.Series)]
    if not series:
        raise CchcParameterError("combine_columns cần ít nhất một cột")
    index = series[0].index
    rows = zip(*(s.reindex(index) for s in series))
    return pd.Series([combine(*row, *scalars) for row in rows], index=index, dtype="object")


def is_official(provenance: str) -> bool:
    return _check(provenance) == OFFICIAL
