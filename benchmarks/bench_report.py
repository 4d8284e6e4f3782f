"""Benchmark: the briefings of N agencies for one period, `cchc report` against the naive chain and the floor.

Run with the project's venv (a script, not a test; the machines are shared and noisy, so all three are
measured side by side in one run and the ratios are what to read):

    .venv/bin/python benchmarks/bench_report.py [--period 2023-Q2] [--agencies 20] [--jobs 2] [--floor-runs 5]

- naive: for each agency, the papermill CLI, then the `jupyter nbconvert` CLI, then one Chromium process per PDF;
- ours: one `cchc report PERIOD --all-agencies --jobs J` process (papermill/nbconvert imported once), and the
  same for a single agency, so that the marginal cost per briefing is (T_N − T_1) / (N − 1);
- floor: a fresh kernel that imports the same libraries as the briefing and does nothing else.

Targets on a 2-core machine: ours at least 3× faster than naive for 20 agencies; marginal cost per briefing
within 1,5× the floor.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "03_briefing.ipynb"
FLOOR_CODE = "import pandas, matplotlib.pyplot, cchc_analysis.present.briefing, cchc_analysis.present.charts.scores"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]


def run(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def floor(runs: int) -> float:
    """Median seconds to start a kernel, import the briefing's libraries, and shut it down."""
    from jupyter_client.manager import start_new_kernel

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            reply = client.execute_interactive(FLOOR_CODE, timeout=120)
            assert reply["content"]["status"] == "ok", reply
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=False)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def naive(period: str, agencies: list[str], work: Path) -> float:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    started = time.perf_counter()
    for agency in agencies:
        executed = work / f"{agency}.ipynb"
        run(
            [
                str(BIN / "papermill"),
                str(NOTEBOOK),
                str(executed),
                "-p",
                "period",
                period,
                "-p",
                "agency",
                agency,
                "--cwd",
                str(NOTEBOOK.parent),
            ]
        )
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
        html = executed.with_suffix(".html")
        run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={work / 'profile'}",
                f"--print-to-pdf={html.with_suffix('.pdf')}",
                html.as_uri(),
            ]
        )
    return time.perf_counter() - started


def ours(period: str, agencies: int, jobs: int, work: Path) -> float:
    command = [
        str(BIN / "cchc"),
        "report",
        period,
        "--out",
        str(work),
        "--jobs",
        str(jobs),
        "--notebook",
        "03_briefing",
    ]
    command += ["--all-agencies"] if agencies > 1 else ["--agency", "ban-dan-toc"]
    return run(command)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--period", default="2023-Q2")
    parser.add_argument("--agencies", type=int, default=20, help="how many agencies the naive chain renders")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--floor-runs", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from cchc_analysis.ingest.dataset import load_data

    all_agencies = list(load_data().agencies["agency_id"])
    if args.agencies != len(all_agencies):
        parser.error(
            f"`cchc report --all-agencies` renders {len(all_agencies)} agencies; use --agencies {len(all_agencies)}"
        )
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as scratch:
        work = Path(scratch)
        (work / "naive").mkdir()
        floor_s = floor(args.floor_runs)
        one_s = ours(args.period, 1, args.jobs, work / "ours-1")
        all_s = ours(args.period, len(all_agencies), args.jobs, work / "ours-all")
        naive_s = naive(args.period, all_agencies, work / "naive")
    n = len(all_agencies)
    marginal = (all_s - one_s) / (n - 1)
    print(f"agencies: {n}, period {args.period}, jobs {args.jobs}")
    print(f"floor (fresh kernel + imports, median of {args.floor_runs}): {floor_s:.2f} s")
    print(f"naive chain, {n} briefings: {naive_s:.1f} s ({naive_s / n:.2f} s each)")
    print(f"cchc report, 1 briefing: {one_s:.1f} s; {n} briefings: {all_s:.1f} s")
    print(f"speed-up over naive: {naive_s / all_s:.2f}x (target >= 3)")
    print(f"marginal cost per briefing: {marginal:.2f} s = {marginal / floor_s:.2f}x the floor (target <= 1.5)")


if __name__ == "__main__":
    main()
