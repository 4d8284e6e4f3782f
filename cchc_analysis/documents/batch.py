"""The periodic report for every agency with a plan, beside the period's briefings (``cchc report --documents``).

One agency's failure does not stop the others; the summary names each file written and each failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cchc_analysis.documents import status, write
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcError
from cchc_analysis.ingest.dataset import Dataset

__all__ = ["write_period_reports"]


def write_period_reports(ds: Dataset, period: periods.Period, agency_ids: list[str], out_dir: Path) -> int:
    """Write ``<out>/<period>/<agency>/bao_cao_cchc_<period>.docx`` for each agency with a plan of the period's
    year; return 0 when every one was written, 1 when one failed."""
    failed = 0
    for agency_id in agency_ids:
        if not status.has_plan(ds, agency_id, period.year):
            continue
        try:
            written = write.write_report(ds, agency_id, period, Path(out_dir) / period.id / agency_id)
        except (CchcError, OSError) as error:
            failed += 1
            print(f"Báo cáo .docx của {agency_id} ({period.label}): lỗi — {error}", file=sys.stderr, flush=True)
            continue
        print(f"Báo cáo .docx của {agency_id} ({period.label}): {written.path}", file=sys.stderr, flush=True)
    return 1 if failed else 0
