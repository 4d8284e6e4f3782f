"""benchmarks/bench_report.py still runs end to end (its --smoke mode: 2 agencies, no scale set). Speed is not
asserted here — only that every measurement is taken and every goal gets a verdict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest_render import needs_chromium

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_report.py"


@needs_chromium
def test_the_benchmark_runs_and_prints_every_figure_and_verdict():
    done = subprocess.run([sys.executable, str(SCRIPT), "--smoke"], capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: a goal failed, which a noisy machine may cause
    out = done.stdout
    for row in (
        "naive chain, N briefings",
        "cchc report, N briefings",
        "cchc report, 1 briefing",
        "marginal briefing (ours)",
        "real work per briefing",
        "cchc validate, first output",
    ):
        assert row in out, row
    verdicts = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == 5, out
    assert any("speed-up over naive" in line for line in verdicts)
    assert any("marginal / real work" in line for line in verdicts)
    assert "load average" in out
