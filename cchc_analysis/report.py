"""`cchc report`: run a period's notebooks for an agency and write the briefing to reports/.

Load inputs (data and parameters are validated before any kernel starts),
execute each notebook with papermill in this process, export offline HTML,
print the briefing to A4 PDF, and save a manifest. Each output is written
atomically by the render layer; a failing step is recorded and the others go on.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from cchc_analysis import periods
from cchc_analysis.context import DEFAULT_AGENCY, latest_period
from cchc_analysis.dataset import Dataset, load_data
from cchc_analysis.exceptions import CchcError, CchcParameterError
from cchc_analysis.io import write_text_atomic
from cchc_analysis.paths import NOTEBOOKS_DIR, default_reports_dir

BRIEFING = "03_briefing"
NOTEBOOKS: tuple[str, ...] = (BRIEFING,)  # run in this order; the last one is printed to PDF too
PRINTED = frozenset({BRIEFING})
PACKAGES = ("cchc-analysis", "pandas", "matplotlib", "papermill", "nbconvert", "nbformat", "ipykernel")


@dataclass
class Step:
    notebook: str
    outputs: dict[str, str] = field(default_factory=dict)  # kind -> path relative to the agency folder
    status: dict[str, str] = field(default_factory=dict)  # kind -> "ok" | "failed" | "skipped"
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def safe_output_dir(out_dir: Path, period: periods.Period, agency_id: str) -> Path:
    """reports/<period>/<agency>; refuses anything that would land outside ``out_dir``."""
    base = out_dir.resolve()
    target = (base / period.id / agency_id).resolve()
    if base not in target.parents:
        raise CchcParameterError(f"Đường dẫn kết quả {target} nằm ngoài thư mục {base}")
    return target


def resolve(ds: Dataset, period: str | None, agency: str | None) -> tuple[periods.Period, str]:
    chosen = periods.parse(period) if period else latest_period(ds)
    return chosen, ds.resolve_agency(agency or DEFAULT_AGENCY)


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "không có"
    return versions


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_report(*, period: str | None = None, agency: str | None = None, data_dir: str | Path | None = None,
               out_dir: str | Path | None = None, pdf: bool = True) -> int:
    """Render the period's reports for one agency; return the exit code (0 ok, 1 a step failed)."""
    from cchc_analysis.render import Renderer

    ds = load_data(data_dir)
    chosen, agency_id = resolve(ds, period, agency)
    target = safe_output_dir(Path(out_dir) if out_dir else default_reports_dir(), chosen, agency_id)
    parameters = {"period": chosen.id, "agency": agency_id, "as_of": "", "data_dir": str(ds.data_dir.resolve())}
    title = f"Chỉ số CCHC – {ds.agency_name(agency_id)} – {chosen.label}"
    _log(f"Báo cáo {chosen.label} cho {ds.agency_name(agency_id)} → {target}")

    started = time.perf_counter()
    renderer = Renderer(cwd=NOTEBOOKS_DIR)
    steps = [_render_one(renderer, name, target, parameters, title, pdf) for name in NOTEBOOKS]
    manifest = {
        "period": chosen.id,
        "period_label": chosen.label,
        "agency_id": agency_id,
        "agency_name": ds.agency_name(agency_id),
        "parameters": parameters,
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": dict(sorted(ds.files.items())),
        "versions": _versions(),
        "seconds": round(time.perf_counter() - started, 2),
        "notebooks": [step.__dict__ for step in steps],
    }
    write_text_atomic(target / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    failed = [(step.notebook, kind) for step in steps for kind, status in step.status.items() if status == "failed"]
    for step in steps:
        for error in step.errors:
            _log(f"  ✗ {step.notebook}: {error}")
    if failed:
        _log(f"Có {len(failed)} bước thất bại: " + ", ".join(f"{name} ({kind})" for name, kind in failed))
        return 1
    _log(f"Xong sau {manifest['seconds']:.1f} giây: " + ", ".join(
        f"{path}" for step in steps for path in step.outputs.values()))
    return 0


def _render_one(renderer, name: str, target: Path, parameters: dict, title: str, pdf: bool) -> Step:
    step = Step(name)
    source = NOTEBOOKS_DIR / f"{name}.ipynb"
    executed = target / "executed" / f"{name}.ipynb"
    page = target / f"{name}.html"
    printed = target / f"{name}.pdf"

    def run(kind: str, action, output: Path) -> bool:
        clock = time.perf_counter()
        try:
            action()
        except CchcError as error:
            step.status[kind] = "failed"
            step.errors.append(str(error))
            return False
        finally:
            step.seconds[kind] = round(time.perf_counter() - clock, 2)
        step.status[kind] = "ok"
        step.outputs[kind] = output.relative_to(target).as_posix()
        return True

    ok = run("notebook", lambda: renderer.execute(source, executed, parameters), executed)
    ok = ok and run("html", lambda: renderer.html(executed, page, title=title), page)
    if name in PRINTED:
        if ok and pdf:
            run("pdf", lambda: renderer.pdf(page, printed), printed)
        else:
            step.status["pdf"] = "skipped"
    return step
