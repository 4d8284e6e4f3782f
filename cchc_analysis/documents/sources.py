"""The hand-maintained tables the documents read: letterhead, recipients, a plan's bases, causes of lost points.

They live in ``data/documents/`` beside the other tables and are parsed with the same contracts
(``DOCUMENT_TABLES``); every problem names file, row and column, and all of them are raised at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cchc_analysis.errors import CchcDataError, Problem, ProblemCode
from cchc_analysis.ingest import contracts, readers, tables
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["DocumentData", "Letterhead", "load_document_data"]


@dataclass(frozen=True)
class Letterhead:
    """What a document's header and signature print for one agency."""

    agency_id: str
    parent_body: str
    issuer: str
    place: str
    code_suffix: str
    signer_title: str
    signer_name: str  # "" leaves a blank a person fills
    provenance: str


@dataclass(frozen=True)
class DocumentData:
    letterhead: pd.DataFrame
    recipients: pd.DataFrame
    bases: pd.DataFrame
    causes: pd.DataFrame

    def letterhead_for(self, agency_id: str, shown: str = "documents/letterhead.csv") -> Letterhead:
        rows = self.letterhead[self.letterhead["agency_id"] == agency_id]
        if rows.empty:
            raise CchcDataError(
                Problem(
                    shown,
                    None,
                    "agency_id",
                    None,
                    f"không có dòng nào cho cơ quan {agency_id}: cần tên cơ quan chủ quản, tên cơ quan, "
                    "địa danh, ký hiệu và chức vụ người ký để trình bày văn bản",
                    ProblemCode.MISSING_LETTERHEAD,
                )
            )
        row = rows.iloc[0]
        return Letterhead(**{name: _text(row[name]) for name in Letterhead.__dataclass_fields__})

    def recipients_for(self, agency_id: str, document: str) -> list[str]:
        rows = self.recipients[(self.recipients["agency_id"] == agency_id) & (self.recipients["document"] == document)]
        return [str(r) for r in rows.sort_values("position")["recipient"]]

    def bases_for(self, agency_id: str, plan_year: int) -> pd.DataFrame:
        rows = self.bases[(self.bases["agency_id"] == agency_id) & (self.bases["plan_year"] == int(plan_year))]
        return rows.sort_values("position").reset_index(drop=True)

    def causes_for(self, agency_id: str, year: int) -> pd.DataFrame:
        rows = self.causes[(self.causes["agency_id"] == agency_id) & (self.causes["year"] == int(year))]
        return rows.reset_index(drop=True)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _empty(spec: contracts.TableSpec) -> pd.DataFrame:
    return pd.DataFrame(columns=["_file", "_row", *spec.column_names])


def _read(data_dir: Path, spec: contracts.TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    found, problems = readers.locate_table(data_dir, spec.path, None)  # every document table is optional
    if not found:
        return _empty(spec), problems  # what a draft lacks becomes a blank
    path = found[0]
    return contracts.parse_table(readers.read_table(path, readers.display_path(path, data_dir)), spec)


def _cross_checks(ds: Dataset, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems = []
    agencies = set(ds.agencies["agency_id"])
    for frame in frames.values():
        for row in frame.to_dict("records"):
            if isinstance(row["agency_id"], str) and row["agency_id"] not in agencies:
                problems.append(
                    Problem(
                        row["_file"],
                        int(row["_row"]),
                        "agency_id",
                        row["agency_id"],
                        "mã cơ quan không có trong agencies",
                        ProblemCode.UNKNOWN_AGENCY,
                    )
                )
    for row in frames["loss_causes"].to_dict("records"):
        if row["year"] is None or pd.isna(row["year"]) or int(row["year"]) not in ds.years:
            continue
        known = set(ds.framework_for(int(row["year"]))["code"])
        for code in row["codes"] if isinstance(row["codes"], tuple) else ():
            if code not in known:
                problems.append(
                    Problem(
                        row["_file"],
                        int(row["_row"]),
                        "codes",
                        code,
                        f"mã tiêu chí không có trong bộ tiêu chí năm {int(row['year'])}",
                        ProblemCode.UNKNOWN_CODE,
                    )
                )
    return problems


def load_document_data(ds: Dataset) -> DocumentData:
    """Read and check ``data/documents/*`` of the dataset's folder; one CchcDataError with every problem."""
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for spec in tables.DOCUMENT_TABLES:
        frames[spec.name], found = _read(ds.data_dir, spec)
        problems.extend(found)
    problems.extend(_cross_checks(ds, frames))
    if problems:
        raise CchcDataError(problems)
    return DocumentData(frames["letterhead"], frames["recipients"], frames["plan_bases"], frames["loss_causes"])
