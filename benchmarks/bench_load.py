"""Load benchmark: a scale data set (200 agencies × 10 years by default) through load, validation, analysis
and, optionally, `cchc report --all-agencies`, with time and peak memory, and a check for leaked processes.

    .venv/bin/python benchmarks/bench_load.py [--agencies 200] [--years 10] [--report] [--jobs 2]
    .venv/bin/python benchmarks/bench_load.py --hostile     # only the hostile inputs of Hardening v2, item 9

The data set is written by the project's seeded generator (`cchc generate-data --agencies N --years N
--with-progress`) into a temporary folder, never into data/. Each step runs in a fresh Python process so that its
peak memory (max RSS) is its own; the embedded 20-agency data is measured the same way for comparison, side by
side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

STEP = r"""
import json, resource, sys, time
from pathlib import Path
step, data = sys.argv[1], Path(sys.argv[2])
from cchc_analysis.ingest.dataset import load_data
from cchc_analysis.domain import scoring, targets, plan
started = time.perf_counter()
ds = load_data(data)
loaded = time.perf_counter()
figures = {}
if step == "analyse":
    for year in ds.result_years:
        totals = scoring.total_scores(ds, year)
        fields = scoring.field_scores(ds, year)
        assert totals["index"].between(0, 100).all() and fields["share"].between(0, 1).all()
    last = max(ds.result_years)
    figures["agencies"] = len(ds.agencies)
    figures["rank_2022"] = int(scoring.total_scores(ds, 2022).set_index("agency_id").at["ban-dan-toc", "rank"])
    figures["pareto"] = len(scoring.pareto_losses(ds, "ban-dan-toc", 2022))
    projection = targets.project(ds, "ban-dan-toc", 2022)
    figures["projected_index"] = projection.index
    picture = plan.picture(ds, "ban-dan-toc", "2023-Q4")
    figures["tasks"] = len(picture.tasks)
done = time.perf_counter()
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"load_s": loaded - started, "analyse_s": done - loaded, "peak_mib": peak_kib / 1024,
                  "score_rows": len(ds.scores), "files_mib": sum(p.stat().st_size for p in data.rglob("*.csv")) / 2**20,
                  **figures}))
"""


VALIDATE = r"""
import json, resource, sys, time
from collections import Counter
from cchc_analysis.ingest.dataset import validate_data
started = time.perf_counter()
problems = validate_data(sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"validate_s": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "problems": len(problems), "codes": Counter(p.code.value for p in problems)}))
"""


def hostile(scratch: Path) -> None:
    """Validation time and peak memory of the hostile inputs of Hardening v2 (item 9), each in a fresh process:
    29 760 bad cells (was 60 s), 19 840 duplicated rows (was 71 s), 50 MB of garbage under a valid header (ran
    past 300 s at 3,8 GB)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import hostile_data

    cases = {
        "29 760 bad cells": lambda target: hostile_data.bad_cells(ROOT / "data", target, copies=3),
        "19 840 duplicated rows": lambda target: hostile_data.duplicated_rows(ROOT / "data", target, times=9),
        "50 MB of garbage rows": lambda target: hostile_data.garbage(ROOT / "data", target, megabytes=50),
    }
    for label, build in cases.items():
        target = scratch / label.replace(" ", "-")
        build(target)
        run = subprocess.run([sys.executable, "-c", VALIDATE, str(target)], capture_output=True, text=True, cwd=ROOT)
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{label:>24}: validate {figures['validate_s']:.1f} s, peak {figures['peak_mib']:.0f} MiB, "
            f"{figures['problems']} problems listed ({figures['codes'].get('more_problems', 0)} counts of the rest)"
        )


def step(name: str, data: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", STEP, name, str(data)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def tagged(tag: str) -> list[int]:
    marker = f"CCHC_BENCH_TAG={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--report", action="store_true", help="also run cchc report --all-agencies (long)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--period", default="2023-Q4")
    parser.add_argument("--hostile", action="store_true", help="only the hostile inputs (bad cells, garbage)")
    args = parser.parse_args()
    if args.hostile:
        with tempfile.TemporaryDirectory(prefix="cchc-hostile-") as scratch:
            hostile(Path(scratch))
        return

    with tempfile.TemporaryDirectory(prefix="cchc-load-") as scratch:
        data = Path(scratch) / "data"
        started = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "cchc"),
                "generate-data",
                "--agencies",
                str(args.agencies),
                "--years",
                str(args.years),
                "--out",
                str(data),
                "--with-progress",
            ],
            check=True,
            capture_output=True,
        )
        generated = time.perf_counter() - started
        embedded = {name: step(name, ROOT / "data") for name in ("load", "analyse")}
        scaled = {name: step(name, data) for name in ("load", "analyse")}
        print(
            f"scale set: {args.agencies} agencies × {args.years} years, {scaled['load']['score_rows']} score rows, "
            f"{scaled['load']['files_mib']:.1f} MiB of CSV (generated in {generated:.1f} s)"
        )
        for label, figures in (("embedded (20 × 2)", embedded), (f"scale ({args.agencies} × {args.years})", scaled)):
            print(
                f"{label:>20}: load+validate {figures['load']['load_s']:.2f} s, peak {figures['load']['peak_mib']:.0f} MiB; "
                f"analysis {figures['analyse']['analyse_s']:.2f} s, peak {figures['analyse']['peak_mib']:.0f} MiB"
            )
        ratio = scaled["load"]["load_s"] / embedded["load"]["load_s"]
        rows = scaled["load"]["score_rows"] / embedded["load"]["score_rows"]
        print(f"load time ratio scale/embedded: {ratio:.1f}× for {rows:.1f}× the score rows")
        print(
            f"check: ban-dan-toc 2022 rank among {scaled['analyse']['agencies']} = {scaled['analyse']['rank_2022']}, "
            f"projected 2023 index {scaled['analyse']['projected_index']:.2f}, {scaled['analyse']['tasks']} plan tasks"
        )
        if args.report:
            tag = uuid.uuid4().hex
            env = {**os.environ, "CCHC_BENCH_TAG": tag}
            out = Path(scratch) / "reports"
            started = time.perf_counter()
            run = subprocess.run(
                [
                    str(BIN / "cchc"),
                    "report",
                    args.period,
                    "--all-agencies",
                    "--data",
                    str(data),
                    "--out",
                    str(out),
                    "--jobs",
                    str(args.jobs),
                    "--no-pdf",
                    "--notebook",
                    "03_briefing",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - started
            time.sleep(1)
            leaked = tagged(tag)
            briefings = len(list(out.glob(f"{args.period}/*/03_briefing.html")))
            print(
                f"cchc report --all-agencies --jobs {args.jobs}: exit {run.returncode}, {briefings} briefings in "
                f"{seconds:.0f} s ({seconds / max(briefings, 1):.2f} s each), leaked processes: {len(leaked)}"
            )
            if run.returncode != 0:
                print(run.stderr[-2000:])


if __name__ == "__main__":
    main()
