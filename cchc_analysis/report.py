"""`cchc report`: run a period's notebooks for one agency or all of them, and write the briefings.

Load inputs first — the data and every parameter are validated before any
kernel starts — then execute the notebooks with papermill in this process
(papermill and nbconvert are imported once per batch), up to ``jobs`` at a
time, export each to offline HTML, print the briefing to A4 PDF, and save one
manifest per agency. Every file is written atomically by the render layer; a
failing step is recorded, the others go on, and the summary names what
failed and where the executed notebook with the error is.

Why this module is long: the batch owns its output folder for the length of a run — the lock, the refusal of
symlinked folders, the clean-up of a killed run's temporaries — and those rules only make sense next to the run
they protect; the rest is the run itself (plan, render, manifest, summary).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from queue import Empty, Queue

from cchc_analysis import files
from cchc_analysis.config import DEFAULT_AGENCY, NOTEBOOKS_DIR, default_reports_dir
from cchc_analysis.domain import coverage, periods, plan
from cchc_analysis.errors import CchcError, CchcParameterError, CchcReportError, ReportReason
from cchc_analysis.files import write_text_atomic
from cchc_analysis.ingest import contracts
from cchc_analysis.ingest.dataset import Dataset, load_data
from cchc_analysis.present.context import latest_period
from cchc_analysis.render.execute import declared_parameters

__all__ = [
    "BRIEFING",
    "EXIT_PDF_MISSING",
    "Job",
    "LOCK_NAME",
    "NEEDS_PLAN",
    "NOTEBOOKS",
    "PACKAGES",
    "PAGE_TITLES",
    "PRINTED",
    "SELECTABLE",
    "exclusive",
    "plan_jobs",
    "remove_stale_temporaries",
    "run_report",
    "safe_output_dir",
]

BRIEFING = "03_briefing"
NOTEBOOKS: tuple[str, ...] = ("01_score_review", "02_plan_progress", BRIEFING)  # in reading order
SELECTABLE: tuple[str, ...] = (*NOTEBOOKS, "04_what_if")  # the what-if renders only when asked for (--notebook)
PRINTED = frozenset({BRIEFING})  # also printed to PDF
#: Each page's <title>: what the page is and for which year or period (the agency's name follows).
PAGE_TITLES = {
    "01_score_review": "Phân tích kết quả Chỉ số CCHC năm {year}",
    "02_plan_progress": "Tiến độ kế hoạch cải thiện Chỉ số CCHC – {period}",
    BRIEFING: "Báo cáo lãnh đạo về Chỉ số CCHC – {period}",
}
NEEDS_PLAN = frozenset({"02_plan_progress"})  # skipped for an agency whose plan the data does not hold
PACKAGES = ("cchc-analysis", "pandas", "matplotlib", "papermill", "nbconvert", "nbformat", "ipykernel")
LOCK_NAME = ".cchc-report.lock"
EXIT_PDF_MISSING = 3  # every notebook and HTML page is there; only PDFs could not be printed


@dataclass
class Job:
    """One notebook to render for one agency."""

    agency_id: str
    notebook: str
    folder: Path  # <out>/<period>/<agency>
    parameters: dict[str, object]
    title: str
    outputs: dict[str, str] = field(default_factory=dict)  # kind -> path relative to folder
    status: dict[str, str] = field(default_factory=dict)  # kind -> ok | failed | skipped
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed_notebook: str | None = None

    @property
    def failed(self) -> bool:
        return "failed" in self.status.values()


def safe_output_dir(out_dir: Path, period: periods.Period, agency_id: str) -> Path:
    """<out>/<period>/<agency>; refuses a name that is not a plain id or would land outside ``out_dir``."""
    try:
        plain = contracts.parse_id(agency_id) == agency_id
    except ValueError:
        plain = False
    if not plain:  # parse_id also refuses Windows device names (con, nul, lpt1, …)
        raise CchcParameterError(f'Mã cơ quan "{agency_id}" không dùng được làm tên thư mục kết quả')
    base = out_dir.resolve()
    _refuse_links(base / period.id / agency_id)
    target = (base / period.id / agency_id).resolve()
    if base not in target.parents or target.relative_to(base).parts != (period.id, agency_id):
        raise CchcParameterError(f"Đường dẫn kết quả {target} nằm ngoài thư mục {base}")
    return target


def plan_jobs(
    ds: Dataset, period: periods.Period, agency_ids: list[str], out_dir: Path, notebooks: tuple[str, ...] | None = None
) -> list[Job]:
    """Every (agency, notebook) job with its parameters, checked against each notebook's parameters cell."""
    notebooks = notebooks or NOTEBOOKS
    jobs = []
    declared = {}
    for name in notebooks:
        path = NOTEBOOKS_DIR / f"{name}.ipynb"
        if not path.is_file():
            raise CchcParameterError(f"Không tìm thấy notebook {path}")
        declared[name] = declared_parameters(path)
    results_year = periods.results_year_before(ds.result_years, period)
    for agency_id in agency_ids:
        available = {
            "period": period.id,
            "agency": agency_id,
            "as_of": "",
            "data_dir": str(ds.data_dir.resolve()),
            "year": results_year,
        }
        folder = safe_output_dir(out_dir, period, agency_id)
        for name in notebooks:
            parameters = {key: available[key] for key in declared[name] if key in available}
            page = PAGE_TITLES.get(name, "Chỉ số CCHC – {period}").format(year=results_year, period=period.label)
            title = f"{page} – {ds.agency_name(agency_id)}"
            job = Job(agency_id, name, folder, parameters, title)
            if name in NEEDS_PLAN and not plan.has_plan(ds, agency_id, period.year):
                job.status["notebook"] = "skipped"
                job.errors.append(f"không có kế hoạch năm {period.year} của cơ quan này trong dữ liệu")
            jobs.append(job)
    return jobs


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "không có"
    return versions


@contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    """One `cchc report` at a time per output folder; a second one is refused with a clear message.

    The lock is :func:`cchc_analysis.files.locked`: opened without following links, never truncated unless it is
    the run's own plain file, and removed when the run ends (a lock left by a killed run is taken over)."""
    if out_dir.is_symlink() and not out_dir.exists():
        raise CchcParameterError(f"Thư mục kết quả {out_dir} là một liên kết hỏng.")

    def busy(holder: str) -> CchcReportError:
        return CchcReportError(
            f"Một lần chạy `cchc report` khác ({holder}) đang ghi vào {out_dir}; hãy chờ lần đó xong rồi chạy lại.",
            reason=ReportReason.OUTPUT_BUSY,
        )

    holder = f"pid {os.getpid()}, bắt đầu {dt.datetime.now():%d/%m/%Y %H:%M:%S}"
    lock = ExitStack()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock.enter_context(files.locked(out_dir / LOCK_NAME, owner="`cchc report`", holder=holder, busy=busy))
    except OSError as error:
        raise files.disk_error(error, out_dir) from error
    with lock:
        yield


def _refuse_links(folder: Path) -> None:
    """An output folder (or its executed/) that is a symlink would send the run's files elsewhere: refused."""
    for path in (folder.parent, folder, folder / "executed"):
        if path.is_symlink():
            raise CchcParameterError(
                f"Thư mục kết quả {path} là một liên kết (symlink); `cchc report` chỉ ghi vào thư mục thật "
                "bên trong thư mục kết quả: hãy xoá liên kết đó rồi chạy lại."
            )


def remove_stale_temporaries(folders: set[Path]) -> int:
    """Remove the temporaries a killed run left in ``folders`` and their executed/ (only while holding the lock:
    no other run can be writing them). Returns how many were removed."""
    return sum(files.remove_stale_temporaries(where) for folder in folders for where in (folder, folder / "executed"))


class _Progress:
    """A progress bar on a terminal, plain log lines otherwise (CI, pipes, files)."""

    def __init__(self, total: int):
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="notebook", file=sys.stderr, dynamic_ncols=True)
        self.total, self.done, self.lock = total, 0, threading.Lock()

    def step(self, job: Job) -> None:
        with self.lock:
            self.done += 1
            state = "lỗi" if job.failed else "xong"
            if self.bar is not None:
                self.bar.set_postfix_str(f"{job.agency_id}/{job.notebook}: {state}")
                self.bar.update(1)
            else:
                seconds = sum(job.seconds.values())
                print(
                    f"[{self.done}/{self.total}] {job.agency_id}/{job.notebook}: {state} ({seconds:.1f} giây)",
                    file=sys.stderr,
                    flush=True,
                )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _timed(job: Job, kind: str, action: Callable[[], Path]) -> bool:
    started = time.perf_counter()
    try:
        try:
            output = action()
        except OSError as error:  # the render layer wraps its own failures; this is the disk saying no
            raise files.disk_error(error, job.folder) from error
    except CchcError as error:
        job.status[kind] = "failed"
        job.errors.append(str(error))
        failed = error.failed_notebook if isinstance(error, CchcReportError) else None
        if failed:
            job.failed_notebook = str(failed)
        return False
    finally:
        job.seconds[kind] = round(time.perf_counter() - started, 2)
    job.status[kind] = "ok"
    job.outputs[kind] = Path(output).relative_to(job.folder).as_posix()
    return True


def execute_job(renderer, job: Job) -> bool:
    """Run the job's notebook (its failure is recorded in the job); whether it succeeded."""
    source = NOTEBOOKS_DIR / f"{job.notebook}.ipynb"
    executed = job.folder / "executed" / f"{job.notebook}.ipynb"
    ok = _timed(job, "notebook", lambda: renderer.execute(source, executed, job.parameters))
    if not ok:
        job.status["html"] = "skipped"
        if job.notebook in PRINTED:
            job.status["pdf"] = "skipped"
    return ok


def export_job(renderer, job: Job, pdf: bool) -> bool:
    """Export an executed job to HTML (its failure recorded in the job); whether it still has a PDF to print."""
    executed = job.folder / "executed" / f"{job.notebook}.ipynb"
    page = job.folder / f"{job.notebook}.html"
    ok = _timed(job, "html", lambda: renderer.html(executed, page, title=job.title))
    if job.notebook not in PRINTED:
        return False
    if ok and pdf:
        return True
    job.status["pdf"] = "skipped"
    return False


def print_job(renderer, job: Job) -> Job:
    """Print an exported job to A4 PDF (its failure recorded in the job)."""
    page = job.folder / f"{job.notebook}.html"
    _timed(job, "pdf", lambda: renderer.pdf(page, job.folder / f"{job.notebook}.pdf"))
    return job


def _render_all(renderer, runnable: list[Job], *, pdf: bool, jobs: int, progress: _Progress) -> None:
    """Render ``runnable``: up to ``jobs`` workers execute notebooks, each on its own warm kernel; one thread exports
    each executed notebook to HTML and another prints the pages to PDF, while the kernels run the next notebooks.

    Each worker starts its kernel first, so the kernels start and import while this thread imports papermill and
    nbconvert; then it takes notebooks from the queue until none is left and ends its kernel. The export and the
    PDF go through one exporter and one browser anyway, so one thread each does them in turn (an export runs while
    Chromium lays out the page before); a notebook's kernel never waits for either. A job's failure is recorded in the job; anything else, and Ctrl-C, stops the queue
    and is raised here (the caller ends the kernels and Chromium; the threads are daemons)."""
    queue: Queue[Job] = Queue()
    for job in runnable:
        queue.put(job)
    executed: Queue[Job | None] = Queue()
    to_print: Queue[Job | None] = Queue()
    done: Queue[tuple[Job, BaseException | None]] = Queue()
    stop, warmed = threading.Event(), threading.Event()
    renderer.load_kernel_machinery()  # imports in one thread only: two threads importing one cycle can deadlock

    def worker() -> None:
        try:
            try:
                renderer.start_kernel()
            except Exception:
                pass  # the first notebook tries again and records why it cannot
            warmed.wait()  # papermill and nbconvert imported (by the main thread)
            while not stop.is_set():
                try:
                    job = queue.get_nowait()
                except Empty:
                    return
                try:
                    if execute_job(renderer, job):
                        executed.put(job)
                    else:
                        done.put((job, None))
                except BaseException as error:  # not a job's failure (those are recorded): stop the batch
                    done.put((job, error))
                    return
        finally:
            renderer.release_kernel()

    def exporter() -> None:
        while not stop.is_set():
            job = executed.get()
            if job is None:
                to_print.put(None)
                return
            try:
                if export_job(renderer, job, pdf):
                    to_print.put(job)
                else:
                    done.put((job, None))
            except BaseException as error:
                done.put((job, error))
                to_print.put(None)
                return

    def printer() -> None:
        while not stop.is_set():
            job = to_print.get()
            if job is None:
                return
            try:
                done.put((print_job(renderer, job), None))
            except BaseException as error:
                done.put((job, error))
                return

    workers = [
        threading.Thread(target=worker, name=f"cchc-report-{number}", daemon=True)
        for number in range(min(jobs, len(runnable)))
    ]
    finishing = [
        threading.Thread(target=exporter, name="cchc-report-html", daemon=True),
        threading.Thread(target=printer, name="cchc-report-pdf", daemon=True),
    ]
    for thread in [*workers, *finishing]:
        thread.start()
    try:
        try:
            renderer.warm_up()
        finally:
            warmed.set()
        for _ in runnable:
            job, error = done.get()
            if error is not None:
                raise error
            progress.step(job)
    except BaseException:
        stop.set()  # the workers take no more jobs; the caller ends what runs (they are daemon threads)
        executed.put(None)
        to_print.put(None)
        raise
    executed.put(None)
    for thread in [*workers, *finishing]:
        thread.join()


def run_report(
    *,
    period: str | None = None,
    agency: str | None = None,
    all_agencies: bool = False,
    data_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    pdf: bool = True,
    jobs: int = 1,
    timeout: int | None = 600,
    notebooks: tuple[str, ...] | None = None,
    documents: bool = False,
) -> int:
    """Render the period's reports; return the exit code (0 all good, 1 something failed, 3 only PDFs missing).

    ``documents``: also draft the periodic report (.docx) of every agency with a plan (cchc_analysis.documents)."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise CchcParameterError(f"--jobs phải là số nguyên dương, không phải {jobs}")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise CchcParameterError(f"--timeout phải là số giây dương (thời gian tối đa cho mỗi ô), không phải {timeout}")
    if out_dir is not None and (Path(out_dir).exists() or Path(out_dir).is_symlink()) and not Path(out_dir).is_dir():
        raise CchcParameterError(
            f"--out {out_dir} là một tệp đã có, không phải thư mục; hãy chọn một thư mục kết quả (sẽ được tạo nếu chưa có)"
        )
    if all_agencies and agency:
        raise CchcParameterError("Chỉ dùng một trong hai: --agency hoặc --all-agencies")
    unknown = sorted(set(notebooks or ()) - set(SELECTABLE))
    if unknown:
        raise CchcParameterError(f"Không có notebook {', '.join(unknown)}; các notebook: {', '.join(SELECTABLE)}")
    ds = load_data(data_dir)
    chosen = coverage.check_period(ds, period) if period else latest_period(ds)
    agency_ids = list(ds.agencies["agency_id"]) if all_agencies else [ds.resolve_agency(agency or DEFAULT_AGENCY)]
    out = Path(out_dir) if out_dir else default_reports_dir()
    planned = plan_jobs(
        ds, chosen, agency_ids, out, tuple(n for n in SELECTABLE if n in notebooks) if notebooks else None
    )

    with exclusive(out):
        for folder in {job.folder for job in planned}:  # checked again now that the folder is ours
            _refuse_links(folder)
        stale = remove_stale_temporaries({job.folder for job in planned})
        if stale:
            print(f"Đã xoá {stale} tệp tạm còn sót lại từ một lần chạy bị dừng giữa chừng.", file=sys.stderr)
        code = _run_locked(ds, chosen, agency_ids, out, planned, pdf=pdf, jobs=jobs, timeout=timeout)
        if documents:
            from cchc_analysis.documents.batch import write_period_reports

            if write_period_reports(ds, chosen, agency_ids, out):
                code = 1
        return code


def _run_locked(
    ds: Dataset,
    chosen: periods.Period,
    agency_ids: list[str],
    out: Path,
    planned: list[Job],
    *,
    pdf: bool,
    jobs: int,
    timeout: int | None,
) -> int:
    from cchc_analysis.render import Renderer, terminate_children
    from cchc_analysis.render.kernels import notebook_imports

    where = out / chosen.id
    runnable = [job for job in planned if job.status.get("notebook") != "skipped"]
    print(
        f"Báo cáo {chosen.label}: {len(agency_ids)} cơ quan, {len(runnable)} notebook → {where}",
        file=sys.stderr,
        flush=True,
    )
    started = time.perf_counter()
    notebooks = sorted({NOTEBOOKS_DIR / f"{job.notebook}.ipynb" for job in runnable})
    renderer = Renderer(cwd=NOTEBOOKS_DIR, timeout=timeout, warm=True, imports=notebook_imports(notebooks))
    progress = _Progress(len(runnable))
    try:
        _render_all(renderer, runnable, pdf=pdf, jobs=jobs, progress=progress)
    except KeyboardInterrupt:
        # Stop what is queued, kill what runs (kernels and Chromium live in their own sessions and do
        # not get the Ctrl-C), and leave every earlier good output as it was: nothing half-written
        # is ever moved into place.
        killed = terminate_children()
        progress.close()
        print(
            f"Đã dừng: {len(killed)} tiến trình kernel/Chromium đã được kết thúc; "
            "các báo cáo đã có trước đó được giữ nguyên.",
            file=sys.stderr,
            flush=True,
        )
        raise
    finally:
        renderer.close()
        progress.close()
    elapsed = round(time.perf_counter() - started, 2)
    versions = _versions()
    manifest_errors = []
    for agency_id in agency_ids:
        try:
            _write_manifest(ds, chosen, agency_id, [j for j in planned if j.agency_id == agency_id], versions, elapsed)
        except OSError as error:
            manifest_errors.append(str(files.disk_error(error, out / chosen.id / agency_id)))
    code = _summary(planned, elapsed)
    for message in manifest_errors:
        print(f"  ✗ manifest.json: {message}", file=sys.stderr)
    return 1 if manifest_errors else code


def _write_manifest(
    ds: Dataset, period: periods.Period, agency_id: str, jobs: list[Job], versions: dict[str, str], elapsed: float
) -> None:
    folder = jobs[0].folder
    manifest = {
        "period": period.id,
        "period_label": period.label,
        "agency_id": agency_id,
        "agency_name": ds.agency_name(agency_id),
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": dict(sorted(ds.files.items())),
        "versions": versions,
        "batch_seconds": elapsed,
        "notebooks": [
            {key: value for key, value in asdict(job).items() if key not in ("folder", "agency_id", "title")}
            for job in jobs
        ],
    }
    write_text_atomic(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n")


def _summary(jobs: list[Job], elapsed: float) -> int:
    skipped = [job for job in jobs if job.status.get("notebook") == "skipped"]
    ran = [job for job in jobs if job not in skipped]
    failed = [job for job in ran if job.failed]
    note = f"; bỏ qua {len(skipped)} notebook (không có kế hoạch trong dữ liệu)" if skipped else ""
    print(
        f"Xong sau {elapsed:.1f} giây: {len(ran) - len(failed)}/{len(ran)} notebook thành công{note}.", file=sys.stderr
    )
    for job in failed:
        steps = ", ".join(kind for kind, status in job.status.items() if status == "failed")
        print(f"  ✗ {job.agency_id}/{job.notebook} ({steps}):", file=sys.stderr)
        for error in job.errors:
            print(f"      {error}", file=sys.stderr)
        if job.failed_notebook:
            print(f"      Notebook có lỗi: {job.failed_notebook}", file=sys.stderr)
    if not failed:
        return 0
    only_pdf = all(set(k for k, v in job.status.items() if v == "failed") == {"pdf"} for job in failed)
    if only_pdf:
        print(f"HTML đã được tạo đầy đủ; thiếu {len(failed)} tệp PDF (mã thoát {EXIT_PDF_MISSING}).", file=sys.stderr)
        return EXIT_PDF_MISSING
    return 1
