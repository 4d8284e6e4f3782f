"""The hand-maintained files the generator reads and never writes, validated by the tables' contracts.

Two kinds, both in the data folder (``data/README.md`` says which file is which):

* the tables that are transcriptions of the seed document, read by the toolkit like any other table:
  ``units.csv``, ``framework/<year>.csv``, ``plan/plans.csv``, ``plan/tasks.csv``, ``plan/targets.csv``. The generator copies them
  byte for byte into a folder it writes (when that is not the folder it reads them from);
* ``seed/``: the agency's own rows of the tables that the generator fills with illustrative peers —
  ``seed/agencies.csv`` (contract of ``agencies``), ``seed/published.csv`` (contract of ``results/published``)
  and ``seed/lost_points.csv`` (the sub-criteria on which the agency lost points, ``LOST_POINTS`` below).
  The toolkit's analyses never read ``seed/``; the generator puts its rows into the tables they read.

Every file goes through ``contracts.parse_table``, then through the cross-checks the generator relies on
(the lost points add up to the published field points, the published field maxima are the framework's, a
rank fits the number of agencies ranked). Every problem is collected and raised as one CchcDataError.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from cchc_analysis import fmt
from cchc_analysis.errors import CchcDataError, Problem, ProblemCode
from cchc_analysis.ingest import readers
from cchc_analysis.ingest.checks import TOLERANCE, check_framework, check_published
from cchc_analysis.ingest.contracts import TableSpec, code, ident, number, text, year
from cchc_analysis.ingest.dataset import read_spec_files
from cchc_analysis.ingest.tables import AGENCIES, FRAMEWORK, PLANS, PUBLISHED, TARGETS, TASKS, UNITS, provenance

__all__ = [
    "COPIED",
    "LOST_POINTS",
    "Node",
    "Published",
    "SEED_AGENCY",
    "SEED_PUBLISHED",
    "SEED_TABLES",
    "Sources",
    "TOTAL_MAX",
    "load_sources",
]

#: Transcriptions that are tables of the data folder themselves (the framework trees come on top).
COPIED: tuple[TableSpec, ...] = (UNITS, PLANS, TASKS, TARGETS)

SEED_AGENCY = dataclasses.replace(AGENCIES, name="seed_agency", path="seed/agencies", title="cơ quan của Kế hoạch")
SEED_PUBLISHED = dataclasses.replace(
    PUBLISHED, name="seed_published", path="seed/published", title="kết quả đã công bố của cơ quan"
)
LOST_POINTS = TableSpec(
    "lost_points",
    "seed/lost_points",
    "điểm bị trừ của cơ quan theo tiêu chí",
    (
        ident("agency_id", "Mã cơ quan (xem seed/agencies)"),
        year(),
        code("code", "Mã tiêu chí lá bị trừ điểm trong bộ tiêu chí của năm, ví dụ 7.2.1"),
        number("points_lost", "Số điểm bị trừ, ví dụ 1,5"),
        text("note", "Căn cứ trong Kế hoạch, hoặc giả định", required=False),
        provenance(),
    ),
    ("agency_id", "year", "code"),
)
SEED_TABLES: tuple[TableSpec, ...] = (SEED_AGENCY, SEED_PUBLISHED, LOST_POINTS)
TOTAL_MAX = 100.0
_STRENGTH = {"official": 0, "derived": 1, "illustrative": 2}


class Node(NamedTuple):
    """One row of a criteria tree."""

    code: str
    parent_code: str
    level: str
    name: str
    max_points: float
    provenance: str


class Published(NamedTuple):
    """One published figure of the agency, as the seed states it."""

    year: int
    scope: str
    points: float
    max_points: float
    rank: int | None
    n_ranked: int | None
    source: str
    provenance: str


@dataclass(frozen=True)
class Sources:
    """Everything the generator reads: the copied files, the parsed trees, tasks and the agency's seed rows."""

    data_dir: Path
    copies: dict[str, bytes]  # relative path -> content of every transcription table (framework files included)
    frameworks: dict[int, tuple[Node, ...]]  # year -> tree, in file order
    agency: dict[str, str]  # agency_id, name, short_name, provenance
    published: tuple[Published, ...]  # in file order
    lost: dict[int, dict[str, float]]  # year -> leaf code -> points lost
    lost_provenance: dict[int, str]  # year -> the weakest provenance of that year's lost points
    tasks: pd.DataFrame  # typed, in file order
    plans: pd.DataFrame  # typed: each plan's start date
    units: pd.DataFrame  # typed: the agency's units

    @property
    def agency_id(self) -> str:
        return self.agency["agency_id"]

    @property
    def result_years(self) -> tuple[int, ...]:
        """Years for which the seed states the agency's total."""
        return tuple(sorted({row.year for row in self.published if row.scope == "total"}))

    def total(self, year: int) -> float:
        return next(row.points for row in self.published if row.year == year and row.scope == "total")

    @property
    def ranked_year(self) -> int | None:
        """The year whose published ranks the generated peer table must reproduce (the latest ranked one)."""
        years = [row.year for row in self.published if row.scope == "total" and row.rank is not None]
        return max(years) if years else None

    def ranks(self, year: int) -> dict[str, int]:
        """{scope: rank} of a year: 'total' and the field codes."""
        return {row.scope: row.rank for row in self.published if row.year == year and row.rank is not None}

    @property
    def n_ranked(self) -> int:
        """How many agencies the seed's ranks are among (20): the agency and its anonymised peers."""
        year = self.ranked_year
        if not year:
            return 20
        return int(next(r.n_ranked for r in self.published if r.year == year and r.scope == "total") or 0)

    @property
    def plan_years(self) -> tuple[int, ...]:
        return tuple(sorted({int(y) for y in self.tasks["plan_year"]}))


def _find(data_dir: Path, stem: str) -> tuple[list[Path], list[Problem]]:
    """The file of a table stem (``plan/tasks``): its .csv or .xlsx, or every file of a ``framework/*`` folder."""
    if stem.endswith("*"):
        return readers.locate_table(data_dir, stem, "không tìm thấy tệp nào")
    missing = "không tìm thấy tệp (.csv hoặc .xlsx) mà bộ sinh dữ liệu cần đọc; tệp này được duy trì bằng tay"
    return readers.locate_table(data_dir, stem, missing)


def _read(data_dir: Path, spec: TableSpec, copies: dict[str, bytes] | None) -> tuple[pd.DataFrame, list[Problem]]:
    paths, problems = _find(data_dir, spec.path)

    def keep(path: Path, shown: str) -> None:
        if copies is not None:
            copies[path.relative_to(data_dir).as_posix()] = path.read_bytes()

    frame, found, _ = read_spec_files(data_dir, spec, paths, on_file=keep)
    return frame, problems + found


def _at(record: pd.Series, column: str | None, value: object, expected: str, error_code: ProblemCode) -> Problem:
    shown = None if value is None else fmt.number(value) if isinstance(value, float) else str(value)
    return Problem(str(record["_file"]), int(record["_row"]), column, shown, expected, error_code)


def _cross_checks(
    framework: pd.DataFrame, agencies: pd.DataFrame, published: pd.DataFrame, lost: pd.DataFrame
) -> list[Problem]:
    """What the generator needs to hold between the seed rows and the framework trees."""
    problems: list[Problem] = []
    if len(agencies) != 1:
        problems.append(
            Problem(
                agencies["_file"].iloc[0] if len(agencies) else "seed/agencies.csv",
                None,
                None,
                None,
                f"cần đúng một dòng (cơ quan của Kế hoạch), có {len(agencies)}",
                ProblemCode.ONE_AGENCY,
            )
        )
    agency_ids = set(agencies["agency_id"])
    years = {int(y) for y in framework["year"].dropna()}
    fields = {(int(r.year), r.code) for r in framework.itertuples() if r.level == "field"}
    maxima = {(int(r.year), r.code): float(r.max_points) for r in framework.itertuples()}
    parents = {(int(r.year), r.parent_code) for r in framework.itertuples() if isinstance(r.parent_code, str)}
    problems += check_published(published, agency_ids, years, fields, years)
    for _, record in lost.iterrows():
        key = (int(record["year"]), record["code"])
        if record["agency_id"] not in agency_ids:
            problems.append(
                _at(
                    record,
                    "agency_id",
                    record["agency_id"],
                    "cần mã cơ quan của seed/agencies",
                    ProblemCode.UNKNOWN_AGENCY,
                )
            )
        if key[0] not in years:
            problems.append(_at(record, "year", key[0], "không có bộ tiêu chí của năm này", ProblemCode.UNKNOWN_YEAR))
        elif key not in maxima or key in parents:
            problems.append(
                _at(
                    record,
                    "code",
                    key[1],
                    f"cần mã một tiêu chí lá của bộ tiêu chí năm {key[0]}",
                    ProblemCode.NOT_A_LEAF,
                )
            )
        elif record["points_lost"] > maxima[key] + TOLERANCE:
            expected = f"không thể bị trừ quá điểm tối đa {fmt.number(maxima[key])} của tiêu chí {key[1]}"
            problems.append(
                _at(record, "points_lost", float(record["points_lost"]), expected, ProblemCode.ABOVE_MAXIMUM)
            )
    lost_by = lost.assign(field=lost["code"].str.split(".").str[0]).groupby(["year", "field"])["points_lost"].sum()
    lost_years = {int(y) for y in lost["year"]}
    for _, record in published.iterrows():
        row_year, scope = int(record["year"]), record["scope"]
        if record["agency_id"] not in agency_ids:
            continue  # reported by check_published
        if scope != "total" and (row_year, scope) in fields:
            field_max = maxima[(row_year, scope)]
            if abs(record["max_points"] - field_max) > TOLERANCE:
                expected = f"cần bằng điểm tối đa {fmt.number(field_max)} của lĩnh vực {scope} trong bộ tiêu chí"
                problems.append(
                    _at(record, "max_points", float(record["max_points"]), expected, ProblemCode.SUM_MISMATCH)
                )
            got = field_max - float(lost_by.get((row_year, scope), 0.0))
            if row_year in lost_years and abs(record["points"] - got) > TOLERANCE:
                expected = f"seed/lost_points.csv cho lĩnh vực {scope} năm {row_year} {fmt.number(got)} điểm"
                problems.append(_at(record, "points", float(record["points"]), expected, ProblemCode.SUM_MISMATCH))
            if pd.notna(record["rank"]) and got >= field_max - TOLERANCE and record["rank"] != 1:
                expected = "lĩnh vực đạt điểm tối đa thì đứng thứ 1 (đồng hạng)"
                problems.append(_at(record, "rank", int(record["rank"]), expected, ProblemCode.IMPOSSIBLE_RANK))
        if scope == "total" and row_year in years and row_year not in lost_years:
            expected = f"seed/lost_points.csv không có điểm bị trừ của năm {row_year}"
            problems.append(_at(record, "year", row_year, expected, ProblemCode.MISSING_LOST_POINTS))
        elif scope == "total" and row_year in years:
            tree = framework[framework["year"] == row_year]
            leaves = tree[~tree["code"].isin(tree["parent_code"].dropna())]
            appraisal = float(leaves["max_points"].sum()) - float(lost[lost["year"] == row_year]["points_lost"].sum())
            survey, survey_max = record["points"] - appraisal, TOTAL_MAX - float(leaves["max_points"].sum())
            if not -TOLERANCE <= survey <= survey_max + TOLERANCE:
                expected = (
                    f"tổng điểm trừ điểm thẩm định ({fmt.number(appraisal)}) phải là điểm điều tra xã hội học "
                    f"từ 0 đến {fmt.number(survey_max)}"
                )
                problems.append(_at(record, "points", float(record["points"]), expected, ProblemCode.IMPOSSIBLE_TOTAL))
    return problems


def load_sources(data_dir: str | Path) -> Sources:
    """Read and check every hand-maintained file the generator needs; raise CchcDataError listing every problem."""
    data_dir = Path(data_dir)
    copies: dict[str, bytes] = {}
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for spec in (*COPIED, FRAMEWORK):
        tables[spec.name], found = _read(data_dir, spec, copies)
        problems += found
    for spec in SEED_TABLES:
        tables[spec.name], found = _read(data_dir, spec, None)
        problems += found
    if problems:  # a table that did not parse cannot be cross-checked
        raise CchcDataError(problems)
    framework = tables["framework"]
    problems += check_framework(framework)
    problems += _cross_checks(framework, tables["seed_agency"], tables["seed_published"], tables["lost_points"])
    if problems:
        raise CchcDataError(problems)

    frameworks: dict[int, tuple[Node, ...]] = {}
    for row in framework.itertuples():
        parent = row.parent_code if isinstance(row.parent_code, str) else ""
        node = Node(row.code, parent, row.level, row.name, float(row.max_points), row.provenance)
        frameworks.setdefault(int(row.year), ())
        frameworks[int(row.year)] += (node,)
    lost: dict[int, dict[str, float]] = {}
    lost_provenance: dict[int, str] = {}
    for row in tables["lost_points"].itertuples():
        lost.setdefault(int(row.year), {})[row.code] = float(row.points_lost)
        weakest = max(lost_provenance.get(int(row.year), "official"), row.provenance, key=_STRENGTH.__getitem__)
        lost_provenance[int(row.year)] = weakest
    published = tuple(
        Published(
            int(row.year),
            row.scope,
            float(row.points),
            float(row.max_points),
            None if pd.isna(row.rank) else int(row.rank),
            None if pd.isna(row.n_ranked) else int(row.n_ranked),
            row.source,
            row.provenance,
        )
        for row in tables["seed_published"].itertuples()
    )
    agency = tables["seed_agency"].iloc[0]
    return Sources(
        data_dir=data_dir,
        copies=copies,
        frameworks=dict(sorted(frameworks.items())),
        agency={column: str(agency[column]) for column in SEED_AGENCY.column_names},
        published=published,
        lost=lost,
        lost_provenance=lost_provenance,
        tasks=tables["tasks"],
        plans=tables["plans"],
        units=tables["units"],
    )
