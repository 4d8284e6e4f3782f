"""Build, lay out and save the drafted documents; every file is written atomically.

Default places: ``reports/<year>/<agency>/ke_hoach_cchc_<year>.docx`` for a plan and
``reports/<period>/<agency>/bao_cao_cchc_<period>.docx`` for a periodic report, beside that period's briefing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cchc_analysis.config import default_reports_dir
from cchc_analysis.documents import layout, model, plan_document, sources
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcParameterError
from cchc_analysis.files import write_bytes_atomic
from cchc_analysis.ingest import contracts
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["Written", "write_plan", "write_report"]


@dataclass(frozen=True)
class Written:
    path: Path
    document: model.Document


def _folder(out_dir: str | Path | None, period_id: str, agency_id: str, default_nested: bool) -> Path:
    try:
        plain = contracts.parse_id(agency_id) == agency_id
    except ValueError:
        plain = False
    if not plain:
        raise CchcParameterError(f'Mã cơ quan "{agency_id}" không dùng được làm tên thư mục kết quả')
    if out_dir is not None and not default_nested:
        return Path(out_dir)
    return Path(out_dir or default_reports_dir()) / period_id / agency_id


def write_plan(ds: Dataset, agency: str, year: int, out_dir: str | Path | None = None) -> Written:
    """Draft the plan of ``year`` and write it; ``out_dir`` given: the file goes straight into it."""
    agency_id = ds.resolve_agency(agency)
    docs = sources.load_document_data(ds)
    document = plan_document.build(ds, docs, agency_id, int(year))
    path = _folder(out_dir, str(year), agency_id, out_dir is None) / f"ke_hoach_cchc_{int(year)}.docx"
    write_bytes_atomic(path, layout.render(document))
    return Written(path, document)


def write_report(
    ds: Dataset, agency: str, period: str | periods.Period, out_dir: str | Path | None = None, as_of: object = ""
) -> Written:
    """Draft the periodic report of ``period`` and write it; ``out_dir`` given: the file goes straight into it."""
    from cchc_analysis.documents import report_document

    agency_id = ds.resolve_agency(agency)
    chosen = period if isinstance(period, periods.Period) else periods.parse(period)
    day = periods.resolve_as_of(chosen, as_of) if not isinstance(as_of, dt.date) else as_of
    docs = sources.load_document_data(ds)
    document = report_document.build(ds, docs, agency_id, chosen, day)
    path = _folder(out_dir, chosen.id, agency_id, out_dir is None) / f"bao_cao_cchc_{chosen.id}.docx"
    write_bytes_atomic(path, layout.render(document))
    return Written(path, document)
