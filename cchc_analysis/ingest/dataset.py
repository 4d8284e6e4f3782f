"""Load a data folder into typed, validated tables: the one entry point for data.

``load_data()`` reads every table, checks each against its contract, then
checks the tables against each other (codes, agencies, tasks, maxima, sums).
It collects every problem before raising a single CchcDataError, so a user
fixes a whole file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from cchc_analysis.config import default_data_dir
from cchc_analysis.errors import CchcDataError, CchcParameterError, Problem, ProblemCode
from cchc_analysis.ingest import contracts, parsing, readers
from cchc_analysis.ingest.checks import check_dataset
from cchc_analysis.ingest.tables import TABLES

__all__ = ["LISTED_AGENCIES", "Dataset", "load_data", "read_spec_files", "validate_data"]

#: How many valid agencies a "not found" message lists (the scale set has 200).
LISTED_AGENCIES = 20


@dataclass(frozen=True)
class Dataset:
    """Every table of a data folder, typed and validated.

    Each table keeps where each row came from in its last two columns, ``_file`` and ``_row`` (bookkeeping for
    messages that name a file and row), after the table's own columns.
    """

    data_dir: Path
    agencies: pd.DataFrame
    units: pd.DataFrame
    framework: pd.DataFrame  # all years, with a ``year`` column
    scores: pd.DataFrame
    survey: pd.DataFrame
    published: pd.DataFrame
    plans: pd.DataFrame
    tasks: pd.DataFrame
    targets: pd.DataFrame
    progress: pd.DataFrame
    bands: pd.DataFrame
    files: dict[str, str] = field(default_factory=dict)  # display path -> sha256

    @property
    def years(self) -> list[int]:
        """Years with a framework table."""
        return sorted(int(y) for y in self.framework["year"].unique())

    @property
    def result_years(self) -> list[int]:
        """Years with scores."""
        return sorted(int(y) for y in self.scores["year"].unique())

    def framework_for(self, year: int) -> pd.DataFrame:
        table = self.framework[self.framework["year"] == int(year)]
        if table.empty:
            raise CchcParameterError(
                f"Không có bộ tiêu chí của năm {year}; các năm có dữ liệu: {', '.join(map(str, self.years))}"
            )
        return table.reset_index(drop=True)

    def resolve_agency(self, query: str) -> str:
        """The agency id for an id or a name, matched without regard to case, diacritics or spacing."""
        wanted = parsing.fold(query)
        for column in ("agency_id", "name", "short_name"):
            matches = self.agencies[self.agencies[column].map(parsing.fold) == wanted]
            if len(matches) == 1:
                return str(matches["agency_id"].iloc[0])
        rows = list(self.agencies.itertuples())
        valid = "; ".join(f"{row.agency_id} ({row.name})" for row in rows[:LISTED_AGENCIES])
        if len(rows) > LISTED_AGENCIES:  # a message, not a listing of 200 agencies
            valid += f"; … và {len(rows) - LISTED_AGENCIES} cơ quan khác (danh sách đầy đủ trong agencies.csv)"
        raise CchcParameterError(f'Không tìm thấy cơ quan "{query}". Các cơ quan hợp lệ: {valid}')

    def agency_name(self, agency_id: str) -> str:
        return str(self.agencies.set_index("agency_id").at[agency_id, "name"])


def _locate(data_dir: Path, spec: contracts.TableSpec) -> tuple[list[Path], list[Problem]]:
    if spec.path.endswith("*"):
        missing: str | None = f"không tìm thấy tệp nào của bảng {spec.title} (.csv hoặc .xlsx)"
    else:
        missing = None if spec.min_rows == 0 else f"không tìm thấy tệp của bảng {spec.title} (.csv hoặc .xlsx)"
    return readers.locate_table(data_dir, spec.path, missing)


def _file_level(problem: Problem) -> bool:
    """A problem that makes a whole file unusable (unreadable, empty, bad header)."""
    return (problem.row is None or problem.row == 1) and problem.code is not ProblemCode.MORE_PROBLEMS


def read_spec_files(
    data_dir: Path,
    spec: contracts.TableSpec,
    paths: list[Path],
    *,
    on_file: Callable[[Path, str], None] | None = None,
    years: set[int] | None = None,
) -> tuple[pd.DataFrame, list[Problem], bool]:
    """Parse each file of a table against its contract and stack them: the table, its problems, and whether a file
    could not be read at all (its rows are unknown). A table of one file per year (``framework/<year>``) takes the
    year from each file's name (added to ``years``). ``on_file(path, shown)`` is called for every file there."""
    problems: list[Problem] = []
    unreadable = False
    frames = []
    for path in paths:
        display = readers.display_path(path, data_dir)
        raw = readers.read_table(path, display)
        unreadable = unreadable or raw.problem is not None
        if on_file is not None and path.exists():
            on_file(path, display)
        frame, found = contracts.parse_table(raw, spec)
        problems.extend(found)
        if spec.extra_key_from_path:
            try:
                value = parsing.parse_integer(path.stem)
            except ValueError:
                expected = "tên tệp phải là năm của bộ tiêu chí, ví dụ framework/2023.csv"
                problems.append(Problem(display, None, None, path.stem, expected, ProblemCode.BAD_FILE_NAME))
                continue
            if years is not None:
                years.add(value)
            frame.insert(2, spec.extra_key_from_path, pd.array([value] * len(frame), dtype="Int64"))
        frames.append(frame)
    if not frames:
        frame = contracts._empty(spec)
        if spec.extra_key_from_path:
            frame.insert(2, spec.extra_key_from_path, pd.Series(dtype="Int64"))
        return frame, problems, unreadable
    return pd.concat(frames, ignore_index=True), problems, unreadable


def _read_spec(
    data_dir: Path, spec: contracts.TableSpec, files: dict[str, str], years: set[int]
) -> tuple[pd.DataFrame, list[Problem], bool]:
    """The table, its problems, and whether a file of it could not be read at all (its rows are unknown)."""
    paths, problems = _locate(data_dir, spec)

    def remember(path: Path, shown: str) -> None:
        files[shown] = readers.sha256(path)

    frame, found, unreadable = read_spec_files(data_dir, spec, paths, on_file=remember, years=years)
    return frame, problems + found, unreadable


def load_data(data_dir: str | Path | None = None) -> Dataset:
    """Read and validate every table of ``data_dir`` (the embedded data by default).

    Raises CchcDataError listing every problem found, each naming file, row,
    column, value and what was expected. Data that validated before and has not changed since is read back
    from a snapshot instead (:mod:`cchc_analysis.ingest.cache`), so every kernel of a batch loads in milliseconds.
    """
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    if not data_dir.is_dir():
        raise CchcDataError(
            Problem(data_dir.as_posix(), None, None, None, "thư mục dữ liệu không tồn tại", ProblemCode.MISSING_FOLDER)
        )
    from cchc_analysis.ingest.cache import cached  # a validated snapshot of unchanged data (ingest/cache.py)

    found = cached(data_dir, Dataset, lambda: _load(data_dir))
    return found if found.data_dir == data_dir else replace(found, data_dir=data_dir)


def _load(data_dir: Path) -> Dataset:
    """Read and validate every table of ``data_dir`` (no cache)."""
    files: dict[str, str] = {}
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    unreadable: set[str] = set()
    framework_years: set[int] = set()
    for spec in TABLES:
        tables[spec.name], found, broken = _read_spec(data_dir, spec, files, framework_years)
        problems.extend(found)
        if broken or any(_file_level(problem) for problem in found):
            unreadable.add(spec.name)
    problems.extend(contracts.cap_problems(check_dataset(tables, unreadable, framework_years)))
    if problems:
        raise CchcDataError(problems)
    return Dataset(data_dir=data_dir, files=files, **{name: _bookkeeping_last(frame) for name, frame in tables.items()})


def _bookkeeping_last(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with ``_file`` and ``_row`` moved after its own columns: what a reader sees first is the data."""
    bookkeeping = [column for column in ("_file", "_row") if column in frame.columns]
    return frame[[*(column for column in frame.columns if column not in bookkeeping), *bookkeeping]]


def validate_data(data_dir: str | Path | None = None) -> list[Problem]:
    """Every problem of a data folder, as a list (empty when the data is clean)."""
    try:
        load_data(data_dir)
    except CchcDataError as error:
        return error.problems
    return []
