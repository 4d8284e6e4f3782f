"""A hand-made Dataset small enough to check ties, not-applicable criteria, framework changes and
the projection arithmetic by hand (imported explicitly by test modules).

Framework 2021 = 2022 (appraisal 60, survey 40):
  1 (40): 1.1 (20) = 1.1.1 (10) + 1.1.2 (10); 1.2 (20, a leaf criterion)
  2 (20): 2.1 (20) = 2.1.1 (10) + 2.1.2 (10)
Framework 2023: 2.1.2 removed, 2.1.3 (15) added, so field 2's maximum grows 20 -> 25 (appraisal 65).

2022 (leaves 1.1.1, 1.1.2, 1.2, 2.1.1, 2.1.2; survey):
  a: 10, 5, 20, 10, 0 (self 10, 10, 20, 10, 5); survey 30/40 -> 75/100, index 75, rank 2 (tie)
  b: 10, 10, 20, 10, 10; survey 15/40 -> 75/100, index 75, rank 2 (tie)
  c: 10, 10, 15, n/a, 10; survey 36/40 -> 81/90, index 90, rank 1 (2.1.1 does not apply)
  d: 5, 5, 10, 5, 5; survey 20/40 -> 50/100, index 50, rank 4
2021: a 10, 5, 20, 5, 0 + 28 (index 68); b 10, 10, 20, 10, 10 + 10; c and d as in 2022.
Targets of a for 2023: total > 80, rank <= 1/4, field 1 >= 40 (field 2 has none).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cchc_analysis.ingest.dataset import Dataset

_F2022 = [
    ("1", None, "field", "Lĩnh vực một", 40),
    ("1.1", "1", "criterion", "Tiêu chí 1.1", 20),
    ("1.1.1", "1.1", "sub_criterion", "Tiêu chí 1.1.1", 10),
    ("1.1.2", "1.1", "sub_criterion", "Tiêu chí 1.1.2", 10),
    ("1.2", "1", "criterion", "Tiêu chí 1.2", 20),
    ("2", None, "field", "Lĩnh vực hai", 20),
    ("2.1", "2", "criterion", "Tiêu chí 2.1", 20),
    ("2.1.1", "2.1", "sub_criterion", "Tiêu chí 2.1.1", 10),
    ("2.1.2", "2.1", "sub_criterion", "Tiêu chí 2.1.2", 10),
]
_F2023 = [row for row in _F2022 if row[0] != "2.1.2"]
_F2023 = [(c, p, lv, n, 25 if c == "2" else 25 if c == "2.1" else m) for c, p, lv, n, m in _F2023]
_F2023.append(("2.1.3", "2.1", "sub_criterion", "Tiêu chí 2.1.3", 15))

LEAVES = ["1.1.1", "1.1.2", "1.2", "2.1.1", "2.1.2"]
_POINTS = {
    2022: {"a": [10, 5, 20, 10, 0], "b": [10, 10, 20, 10, 10], "c": [10, 10, 15, None, 10], "d": [5, 5, 10, 5, 5]},
    2021: {"a": [10, 5, 20, 5, 0], "b": [10, 10, 20, 10, 10], "c": [10, 10, 15, None, 10], "d": [5, 5, 10, 5, 5]},
}
_SELF = {("a", 2022): [10, 10, 20, 10, 5]}
_SURVEY = {2022: {"a": 30, "b": 15, "c": 36, "d": 20}, 2021: {"a": 28, "b": 10, "c": 36, "d": 20}}


def _with_source(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame.insert(0, "_row", range(2, len(frame) + 2))
    frame.insert(0, "_file", f"tiny/{name}.csv")
    return frame


def tiny_dataset() -> Dataset:
    framework = pd.DataFrame(
        [
            (year, *row, "illustrative")
            for year, rows in ((2021, _F2022), (2022, _F2022), (2023, _F2023))
            for row in rows
        ],
        columns=["year", "code", "parent_code", "level", "name", "max_points", "provenance"],
    ).astype({"max_points": float})
    scores = pd.DataFrame(
        [
            (agency, year, code, (_SELF.get((agency, year)) or points)[i], points[i], points[i] is None, "illustrative")
            for year, table in _POINTS.items()
            for agency, points in table.items()
            for i, code in enumerate(LEAVES)
        ],
        columns=["agency_id", "year", "code", "self_points", "appraised_points", "not_applicable", "provenance"],
    )
    scores = scores.astype({"self_points": float, "appraised_points": float})
    survey = pd.DataFrame(
        [(a, y, float(p), 40.0, "illustrative") for y, t in _SURVEY.items() for a, p in t.items()],
        columns=["agency_id", "year", "survey_points", "survey_max", "provenance"],
    )
    published = pd.DataFrame(
        [
            ("a", 2022, "total", 75.0, 100.0, 2, 4),
            ("b", 2022, "total", 75.0, 100.0, 2, 4),
            ("c", 2022, "total", 90.0, 100.0, 1, 4),
            ("d", 2022, "total", 50.0, 100.0, 3, 4),  # d: computed rank is 4
            ("b", 2022, "1", 39.0, 40.0, 1, 4),  # b: computed 40 points
            ("e", 2022, "total", 60.0, 100.0, None, None),  # no scores for e
        ],
        columns=["agency_id", "year", "scope", "points", "max_points", "rank", "n_ranked"],
    )
    published = published.astype({"rank": "Int64", "n_ranked": "Int64"}).assign(source="", provenance="illustrative")
    targets = pd.DataFrame(
        [
            ("a", 2023, "total", "points", ">", 80.0, None),
            ("a", 2023, "total", "rank", "<=", 1.0, 4),
            ("a", 2023, "1", "points", ">=", 40.0, None),
        ],
        columns=["agency_id", "year", "scope", "metric", "comparator", "value", "out_of"],
    ).astype({"out_of": "Int64"})
    targets["provenance"] = "illustrative"
    bands = pd.DataFrame(
        [
            (2022, "tot", "Tốt", 0.9),
            (2022, "kha", "Khá", 0.8),
            (2022, "trung-binh", "Trung bình", 0.65),
            (2022, "yeu", "Yếu", 0.0),
        ],
        columns=["year", "band_id", "label", "min_share"],
    )
    bands["provenance"] = "illustrative"
    agencies = pd.DataFrame(
        [(a, f"Cơ quan {a.upper()}", f"CQ {a.upper()}", "illustrative") for a in "abcde"],
        columns=["agency_id", "name", "short_name", "provenance"],
    )
    empty = pd.DataFrame()
    return Dataset(
        data_dir=Path("tiny"),
        agencies=_with_source(agencies, "agencies"),
        units=empty,
        framework=_with_source(framework, "framework"),
        scores=_with_source(scores, "scores"),
        survey=_with_source(survey, "survey"),
        published=_with_source(published, "published"),
        plans=empty,
        tasks=empty,
        targets=_with_source(targets, "targets"),
        progress=empty,
        bands=_with_source(bands, "bands"),
    )
