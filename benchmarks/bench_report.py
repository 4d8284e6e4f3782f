"""Benchmark: a period's briefings (HTML + A4 PDF) with `cchc report`, against the naive chain and the real work.

Run with the project's venv from anywhere (the machines are shared and noisy: everything is measured side by
side in one run, and the ratios are what to read; rerun when the load average printed at the top is high):

    .venv/bin/python benchmarks/bench_report.py            # 20 agencies, 2023-Q2, --jobs = cores, scale set too
    .venv/bin/python benchmarks/bench_report.py --quick    # 4 agencies, smaller scale set: a few minutes
    .venv/bin/python benchmarks/bench_report.py --smoke    # 2 agencies, no scale set: checks the script runs

What is measured: wall seconds, and CPU-seconds of every process a measured command starts. A command runs with
a tag of its own in its environment (``CCHC_BENCH_RUN=<token>``), which kernels and Chromium inherit; a thread
reads ``/proc`` every 50 ms and counts every tagged process and every process started by one it counts
(Chromium starts its renderers with a cleaned environment, so the tag alone misses them: ~7 CPU-seconds of a
20-briefing batch), summing each one's own user + system time as last seen (a process that lives less than
50 ms, or the CPU of a process's last 50 ms, can be missed). ``getrusage``
(RUSAGE_CHILDREN) is not enough: it counts only descendants that were waited for, and a batch that kills its
kernels and browser at the end and lets them be reaped elsewhere would look cheaper than it is (measured: 31
CPU-seconds counted that way for a batch during which both CPUs were ~95 % busy for 21 s). The share of the
whole machine's CPU time that was busy during the run (``/proc/stat``) is printed beside the batch's utilisation
as a second reading; it includes anything else running on the machine, hence the load average printed too.

(a) naive — the chain a papermill user would script, per agency, exactly:
    ``papermill notebooks/03_briefing.ipynb out.ipynb -p period P -p agency ID``, then
    ``jupyter nbconvert --to html --no-input out.ipynb``, then
    ``chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf=out.pdf file://…/out.html``
    (with ``-p data_dir`` added when the run uses a subset of the data; Chromium gets a throw-away profile through
    ``XDG_CONFIG_HOME``, so that it never shares one with another browser on the machine).
(b) ours — ``cchc report P --all-agencies --notebook 03_briefing --jobs J`` and the same for one agency; the
    marginal cost of one more briefing is ``(T_N − T_1) / (N − 1)``, in wall seconds and in CPU-seconds. Every
    run gets an empty dataset cache, so each batch validates its data once, as a first run would.
(c) real work — inside one warm kernel (started, and the briefing's imports done, before timing): the briefing's
    code cells for each agency (data load included: ``context()`` reads the data through the dataset cache a
    batch fills), measured as the kernel's own CPU time and the wall time of the cells; the HTML export of the
    executed notebook in this process; the PDF of the page through one persistent Chromium, whose CPU is the
    difference between a printer that printed 1+K pages and one that printed 1 (both closed, so counted).
(d) CPU utilisation of the N-agency batch: CPU-seconds / (wall × cores).
(e) the same marginal cost on the scale set (``cchc generate-data --agencies 200 --years 10`` in a temp folder).
(f) time to the first byte of output of ``cchc --help`` and ``cchc validate`` (median of 5 runs each).

How the goals compare (same units on both sides):

- speed-up: naive wall / ours wall, N briefings (goal ≥ 10);
- marginal: ours' marginal CPU-seconds per briefing / real work's CPU-seconds per briefing (goal ≤ 1,2); the
  worker-seconds marginal, ``(T_N − T_1) × J / (N − 1)``, is printed beside it;
- utilisation ≥ 0,85 with ``--jobs`` equal to the cores;
- scale: the scale set's marginal CPU-seconds / the embedded data's (goal ≤ 1,5);
- first output of ``cchc --help`` and ``cchc validate`` < 0,5 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "03_briefing.ipynb"
DATA = ROOT / "data"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}


@dataclass
class Run:
    wall: float
    cpu: float  # CPU-seconds (user + system) of every process the commands started (see TreeCpu)
    machine_busy: float  # share of the machine's CPU time that was busy during the run (/proc/stat)


TAG = "CCHC_BENCH_RUN"
_TICK = os.sysconf("SC_CLK_TCK")


def _machine_times() -> tuple[int, int]:
    """(total, idle) jiffies of all CPUs since boot."""
    with open("/proc/stat", encoding="ascii") as handle:
        values = [int(value) for value in handle.readline().split()[1:]]
    return sum(values), values[3] + values[4]


class TreeCpu:
    """CPU-seconds of every process whose environment carries ``TAG=token``: polled from /proc every 50 ms."""

    def __init__(self, token: str):
        self.needle = f"{TAG}={token}".encode()
        self.seen: dict[tuple[int, str], float] = {}  # (pid, start time) -> its own CPU-seconds, as last read
        self.others: set[tuple[int, str]] = set()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _read(self) -> None:
        pending: dict[tuple[int, str], tuple[int, float]] = {}  # not yet classified: (pid, start) -> (parent, CPU)
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                key, cpu = (int(entry.name), fields[19].decode()), (int(fields[11]) + int(fields[12])) / _TICK
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
            if key in self.seen:
                self.seen[key] = cpu
            elif key not in self.others:
                pending[key] = (int(fields[1]), cpu)
        # Ours: tagged, or started by a process of ours (Chromium starts its renderers with a cleaned environment).
        changed = True
        while pending and changed:
            changed = False
            ours = {pid for pid, _ in self.seen}
            for key, (parent, cpu) in list(pending.items()):
                if parent in ours or self._tagged(key[0]):
                    self.seen[key] = cpu
                    del pending[key]
                    changed = True
        self.others.update(pending)

    def _tagged(self, pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                return self.needle in handle.read().split(b"\0")
        except OSError:
            return False

    def _poll(self) -> None:
        while not self.stopping.wait(0.05):
            self._read()

    def __enter__(self) -> TreeCpu:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()
        self._read()

    @property
    def cpu(self) -> float:
        return sum(self.seen.values())


def measured(commands: list[list[str]], env: dict[str, str] | None = None, **kwargs) -> Run:
    """Run the commands one after the other (each must succeed); their wall time, the CPU-seconds of every process
    they started (tagged, see TreeCpu) and how busy the machine's CPUs were meanwhile."""
    token = os.urandom(8).hex()
    env = {**(env if env is not None else ENV), TAG: token}
    total, idle = _machine_times()
    started = time.perf_counter()
    with TreeCpu(token) as tree:
        for command in commands:
            done = subprocess.run(command, capture_output=True, text=True, env=env, **kwargs)
            if done.returncode != 0:
                raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    wall = time.perf_counter() - started
    total_after, idle_after = _machine_times()
    busy = 1 - (idle_after - idle) / max(1, total_after - total)
    return Run(wall, tree.cpu, busy)


def cchc_command() -> list[str]:
    return [str(BIN / "cchc")] if (BIN / "cchc").exists() else [sys.executable, "-m", "cchc_analysis.cli"]


def find_chromium() -> str:
    sys.path.insert(0, str(ROOT))
    from cchc_analysis.render.pdf import find_chromium as finder

    found = finder()
    if found is None:
        raise SystemExit("Chromium not found (sudo apt-get install -y chromium)")
    return str(found)


def subset_data(target: Path, count: int) -> tuple[Path, list[str]]:
    """A copy of data/ with its first ``count`` agencies (ban-dan-toc first); every table with an agency_id column
    is filtered. Returns the folder and the agencies."""
    with open(DATA / "agencies.csv", encoding="utf-8", newline="") as handle:
        ids = [row["agency_id"] for row in csv.DictReader(handle)]
    ids = sorted(ids, key=lambda agency: agency != "ban-dan-toc")[:count]
    shutil.copytree(DATA, target)
    for path in target.rglob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if rows and "agency_id" in rows[0]:
            column = rows[0].index("agency_id")
            rows = [rows[0]] + [row for row in rows[1:] if row[column] in ids]
            with open(path, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
    return target, ids


def naive(period: str, agencies: list[str], data_dir: Path | None, work: Path, chromium: str) -> Run:
    work.mkdir(parents=True)
    env = {**ENV, "XDG_CONFIG_HOME": str(work / "chromium-config")}
    commands = []
    for agency in agencies:
        out = work / f"{agency}.ipynb"
        papermill = [str(BIN / "papermill"), str(NOTEBOOK), str(out), "-p", "period", period, "-p", "agency", agency]
        if data_dir is not None:
            papermill += ["-p", "data_dir", str(data_dir)]
        commands += [
            papermill,
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out.with_suffix('.pdf')}",
                out.with_suffix(".html").as_uri(),
            ],
        ]
    return measured(commands, env, cwd=ROOT)


def ours(period: str, data_dir: Path | None, jobs: int, work: Path, agency: str | None = None) -> Run:
    command = [*cchc_command(), "report", period, "--out", str(work), "--jobs", str(jobs), "--notebook", "03_briefing"]
    command += ["--agency", agency] if agency else ["--all-agencies"]
    if data_dir is not None:
        command += ["--data", str(data_dir)]
    cache = Path(tempfile.mkdtemp(prefix="cchc-bench-cache-"))
    try:
        return measured([command], {**ENV, "CCHC_CACHE_DIR": str(cache)})
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def real_work(period: str, agencies: list[str], data_dir: Path | None, executed: Path) -> dict[str, float]:
    """Per briefing, inside one warm kernel: cells (kernel CPU and wall), HTML export, PDF (see the docstring)."""
    sys.path.insert(0, str(ROOT))
    from jupyter_client.manager import start_new_kernel

    from cchc_analysis.ingest.dataset import load_data
    from cchc_analysis.render.export import export_html, get_html_exporter
    from cchc_analysis.render.pdf import open_printer

    cache = Path(tempfile.mkdtemp(prefix="cchc-bench-cache-"))
    os.environ["CCHC_CACHE_DIR"] = str(cache)
    load_data(data_dir)  # the batch validates once and fills the cache before any kernel
    cells = [
        "".join(cell["source"])
        for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", [])
    ]
    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(NOTEBOOK.parent), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def run(code: str, expression: str = "0") -> str:
        reply = client.execute_interactive(
            code, user_expressions={"x": expression}, timeout=300, output_hook=lambda message: None
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        return reply["content"]["user_expressions"]["x"]["data"]["text/plain"]

    cpu_clock = "__import__('time').process_time()"
    kernel_cpu, kernel_wall = [], []
    try:
        run("import pandas, matplotlib.pyplot\nfrom cchc_analysis.present import briefing, score_review, context")
        run("from cchc_analysis.present.charts import scores")
        for agency in agencies:
            setup = f"period = {period!r}\nagency = {agency!r}\nas_of = ''\ndata_dir = {str(data_dir or '')!r}"
            before = float(run(setup, cpu_clock))
            started = time.perf_counter()
            for code in cells:
                run(code)
            kernel_wall.append(time.perf_counter() - started)
            kernel_cpu.append(float(run("", cpu_clock)) - before)
            run("%reset -f")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    first = agencies[0]
    pages = [executed / agency / "executed" / "03_briefing.ipynb" for agency in agencies]
    get_html_exporter()
    export_html(pages[0], cache / "warm.html", title="x")  # the exporter's first call builds its templates
    export_cpu, export_wall = [], []
    for index, page in enumerate(pages):
        cpu, started = time.process_time(), time.perf_counter()
        export_html(page, cache / f"{index}.html", title=f"{first} {index}")
        export_cpu.append(time.process_time() - cpu)
        export_wall.append(time.perf_counter() - started)
    htmls = [executed / agency / "03_briefing.html" for agency in agencies]

    def printer_run(count: int) -> tuple[float, float]:
        token = os.urandom(8).hex()
        os.environ[TAG] = token  # the browser and its renderers inherit it
        try:
            with TreeCpu(token) as tree:
                printer = open_printer()
                try:
                    printer.print_pdf(htmls[0], cache / "warm.pdf")  # start-up and first page, excluded below
                    started = time.perf_counter()
                    for index in range(count):
                        printer.print_pdf(htmls[index % len(htmls)], cache / f"{index}.pdf")
                    wall = time.perf_counter() - started
                finally:
                    printer.close()
        finally:
            os.environ.pop(TAG, None)
        return tree.cpu, wall

    pdf_count = max(3, len(htmls))
    one_cpu, _ = printer_run(0)
    many_cpu, many_wall = printer_run(pdf_count)
    shutil.rmtree(cache, ignore_errors=True)
    os.environ.pop("CCHC_CACHE_DIR", None)
    figures = {
        "cells_cpu": statistics.median(kernel_cpu),
        "cells_wall": statistics.median(kernel_wall),
        "export_cpu": statistics.median(export_cpu),
        "export_wall": statistics.median(export_wall),
        "pdf_cpu": max(0.0, many_cpu - one_cpu) / pdf_count,
        "pdf_wall": many_wall / pdf_count,
    }
    figures["cpu"] = figures["cells_cpu"] + figures["export_cpu"] + figures["pdf_cpu"]
    figures["wall"] = figures["cells_wall"] + figures["export_wall"] + figures["pdf_wall"]
    return figures


def first_output(arguments: list[str], runs: int = 5) -> float:
    """Median seconds from starting ``cchc ARGUMENTS`` to the first byte it writes (stdout or stderr)."""
    import selectors

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [*cchc_command(), *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
        )
        selector = selectors.DefaultSelector()
        assert process.stdout is not None and process.stderr is not None
        selector.register(process.stdout, selectors.EVENT_READ)
        selector.register(process.stderr, selectors.EVENT_READ)
        selector.select(timeout=60)
        timings.append(time.perf_counter() - started)
        process.communicate()
        selector.close()
    return statistics.median(timings)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--period", default="2023-Q2")
    parser.add_argument("--agencies", type=int, default=20, help="briefings per batch (20: the embedded data)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cchc report --jobs (default: cores)")
    parser.add_argument("--scale-agencies", type=int, default=200, help="agencies of the scale set (0: skip it)")
    parser.add_argument("--scale-years", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="4 agencies; scale set of 40 agencies × 10 years")
    parser.add_argument("--smoke", action="store_true", help="2 agencies, no scale set: does the script run?")
    args = parser.parse_args(argv)
    if args.quick:
        args.agencies, args.scale_agencies = 4, 40
    if args.smoke:
        args.agencies, args.scale_agencies = 2, 0
    cores = os.cpu_count() or 1
    chromium = find_chromium()
    print(f"load average before: {load_average()} (cores: {cores})", flush=True)
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as scratch:
        work = Path(scratch)
        if args.agencies >= 20:
            data_dir, agencies = None, subset_data(work / "ids", 20)[1]
            shutil.rmtree(work / "ids")
        else:
            data_dir, agencies = subset_data(work / "data", args.agencies)
        n = len(agencies)
        step = "measuring"
        print(f"{step}: cchc report, {n} briefings and 1", flush=True)
        ours_n = ours(args.period, data_dir, args.jobs, work / "ours-n")
        ours_1 = ours(args.period, data_dir, args.jobs, work / "ours-1", agency=agencies[0])
        print(f"{step}: real work in one warm kernel", flush=True)
        floor = real_work(args.period, agencies, data_dir, work / "ours-n" / args.period)
        print(f"{step}: naive chain, {n} briefings", flush=True)
        naive_run = naive(args.period, agencies, data_dir, work / "naive", chromium)
        scale = None
        if args.scale_agencies:
            print(f"{step}: scale set {args.scale_agencies} agencies × {args.scale_years} years", flush=True)
            scale_dir = work / "scale"
            generate = [*cchc_command(), "generate-data", "--out", str(scale_dir), "--with-progress"]
            generate += ["--agencies", str(args.scale_agencies), "--years", str(args.scale_years)]
            measured([generate])
            scale_n = ours(args.period, scale_dir, args.jobs, work / "scale-n")
            scale_1 = ours(args.period, scale_dir, args.jobs, work / "scale-1", agency="ban-dan-toc")
            scale = (scale_n, scale_1, args.scale_agencies)
        print(f"{step}: first output of cchc --help and cchc validate", flush=True)
        runs = 1 if args.smoke else 5
        help_s = first_output(["--help"], runs)
        validate_s = first_output(["validate"], runs)

    marginal_wall = (ours_n.wall - ours_1.wall) / (n - 1)
    marginal_cpu = (ours_n.cpu - ours_1.cpu) / (n - 1)
    utilisation = ours_n.cpu / (ours_n.wall * cores)
    speedup = naive_run.wall / ours_n.wall
    rows = [
        (
            "naive chain, N briefings",
            f"{naive_run.wall:.1f} s",
            f"{naive_run.cpu:.1f} CPU-s",
            f"{naive_run.wall / n:.2f} s each",
        ),
        ("cchc report, N briefings", f"{ours_n.wall:.1f} s", f"{ours_n.cpu:.1f} CPU-s", f"jobs {args.jobs}"),
        ("CPUs busy during the batch", "", "", f"{ours_n.machine_busy:.0%} of the whole machine's CPU time"),
        ("cchc report, 1 briefing", f"{ours_1.wall:.1f} s", f"{ours_1.cpu:.1f} CPU-s", ""),
        (
            "marginal briefing (ours)",
            f"{marginal_wall:.2f} s",
            f"{marginal_cpu:.2f} CPU-s",
            f"{marginal_wall * args.jobs:.2f} worker-s",
        ),
        ("real work: cells (warm kernel)", f"{floor['cells_wall']:.2f} s", f"{floor['cells_cpu']:.2f} CPU-s", ""),
        ("real work: HTML export", f"{floor['export_wall']:.2f} s", f"{floor['export_cpu']:.2f} CPU-s", ""),
        ("real work: PDF (persistent)", f"{floor['pdf_wall']:.2f} s", f"{floor['pdf_cpu']:.2f} CPU-s", ""),
        ("real work per briefing", f"{floor['wall']:.2f} s", f"{floor['cpu']:.2f} CPU-s", ""),
        ("cchc --help, first output", f"{help_s:.2f} s", "", "median of 5"),
        ("cchc validate, first output", f"{validate_s:.2f} s", "", "median of 5"),
    ]
    goals = [
        (f"speed-up over naive ({n} briefings)", speedup, ">=", 10.0),
        ("marginal / real work (CPU-s per briefing)", marginal_cpu / floor["cpu"], "<=", 1.2),
        (f"CPU utilisation of the batch (jobs {args.jobs}, {cores} cores)", utilisation, ">=", 0.85),
    ]
    if scale is not None:
        scale_n, scale_1, count = scale
        scale_marginal = (scale_n.cpu - scale_1.cpu) / (count - 1)
        rows.append(("scale set, N briefings", f"{scale_n.wall:.1f} s", f"{scale_n.cpu:.1f} CPU-s", f"N = {count}"))
        rows.append(("scale set, 1 briefing", f"{scale_1.wall:.1f} s", f"{scale_1.cpu:.1f} CPU-s", ""))
        rows.append(("scale set, marginal briefing", "", f"{scale_marginal:.2f} CPU-s", ""))
        goals.append(("scale-set marginal / embedded marginal (CPU-s)", scale_marginal / marginal_cpu, "<=", 1.5))
    goals += [
        ("cchc --help: first output (s)", help_s, "<", 0.5),
        ("cchc validate: first output (s)", validate_s, "<", 0.5),
    ]

    print()
    print(f"period {args.period}, {n} agencies, jobs {args.jobs}, {cores} cores; load average after: {load_average()}")
    print(f"{'':34} {'wall':>10} {'CPU':>14}")
    for label, wall, cpu, note in rows:
        print(f"{label:34} {wall:>10} {cpu:>14}  {note}")
    print()
    failed = 0
    for label, value, op, target in goals:
        ok = {"<=": value <= target, ">=": value >= target, "<": value < target}[op]
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {value:.2f} (goal {op} {target:g})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
