"""Benchmark: one PDF printer. The same offline page printed N times each way, side by side in one run.

Run with the project's venv (a script, not a test; the machines are shared and noisy, so read the ratios):

    .venv/bin/python benchmarks/bench_pdf.py [--runs 10] [--html PAGE.html] [--chromium /usr/bin/chromium]

- devtools: the toolkit's printer (``cchc_analysis.render.chromium.PersistentChromium``): one browser, one tab
  per page, the DevTools protocol over a pipe;
- playwright: Playwright (a test dependency) driving the same Debian Chromium with ``executable_path``: one
  browser, one page per print, ``page.pdf``;
- one-shot: one ``chromium --headless --print-to-pdf`` process per page (the printer the toolkit used to keep for
  single pages), for reference.

Each way reports its first print (start-up included) and the median of the rest.
"""

from __future__ import annotations

import argparse
import base64
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _page(folder: Path) -> Path:
    """An offline A4 page like a briefing: Vietnamese text, tables and an embedded PNG chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 3))
    axes.barh([f"Lĩnh vực {i}" for i in range(1, 8)], [9.5, 6.0, 11.25, 7.5, 9.0, 7.0, 10.66])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    png = base64.b64encode(buffer.getvalue()).decode()
    rows = "".join(
        f"<tr><td>T{i:02d}</td><td>Nhiệm vụ cải cách hành chính số {i} của Ban Dân tộc tỉnh</td>"
        f"<td>Văn phòng Ban</td><td>{i % 4 * 25}%</td><td>30/{(i % 12) + 1:02d}/2023</td></tr>"
        for i in range(1, 41)
    )
    html = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Thử in</title>'
        "<style>@page { size: A4; margin: 15mm } body { font-family: 'DejaVu Sans', sans-serif } "
        "table { border-collapse: collapse } td { border: 1px solid #999; padding: 2px 4px }</style></head><body>"
        "<h1>Báo cáo Cải cách hành chính – Ban Dân tộc tỉnh</h1><p>Chỉ số CCHC năm 2022 đạt 82,91/100 điểm, "
        f'xếp vị thứ 13/20.</p><img src="data:image/png;base64,{png}"><table>{rows}</table></body></html>'
    )
    path = folder / "trang thử.html"
    path.write_text(html, encoding="utf-8")
    return path


def _devtools(chromium: Path, page: Path, out: Path, runs: int) -> list[float]:
    from cchc_analysis.render.chromium import PersistentChromium

    times = []
    browser = PersistentChromium(chromium, timeout=60)
    try:
        for n in range(runs):
            start = time.perf_counter()
            browser.print_pdf(page, out / f"devtools-{n}.pdf")
            times.append(time.perf_counter() - start)
    finally:
        browser.close()
    return times


def _playwright(chromium: Path, page: Path, out: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    from cchc_analysis.render.chromium import OFFLINE_FLAGS

    times = []
    start = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=[f for f in OFFLINE_FLAGS if f != "--headless"]
        )
        try:
            for n in range(runs):
                tab = browser.new_page()
                tab.goto(page.resolve().as_uri(), wait_until="load")
                tab.pdf(path=str(out / f"playwright-{n}.pdf"), prefer_css_page_size=True, print_background=True)
                tab.close()
                times.append(time.perf_counter() - start)
                start = time.perf_counter()
        finally:
            browser.close()
    return times


def _one_shot(chromium: Path, page: Path, out: Path, runs: int) -> list[float]:
    from cchc_analysis.render.chromium import OFFLINE_FLAGS

    times = []
    for n in range(runs):
        profile = tempfile.mkdtemp(prefix="cchc-bench-")
        start = time.perf_counter()
        subprocess.run(
            [
                str(chromium),
                *OFFLINE_FLAGS,
                "--no-pdf-header-footer",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={out / f'one-shot-{n}.pdf'}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        times.append(time.perf_counter() - start)
        shutil.rmtree(profile, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--html", type=Path)
    parser.add_argument("--chromium", type=Path, default=Path(shutil.which("chromium") or "/usr/bin/chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-pdf-") as folder:
        out = Path(folder)
        page = args.html or _page(out)
        print(f"{args.runs} prints of {page.name} ({page.stat().st_size // 1024} KiB) with {args.chromium}")
        print(f"{'printer':<12}{'first (s)':>11}{'median rest (s)':>17}{'total (s)':>11}{'PDF bytes':>11}")
        for name, way in (("devtools", _devtools), ("playwright", _playwright), ("one-shot", _one_shot)):
            times = way(args.chromium, page, out, args.runs)
            size = (out / f"{name}-0.pdf").stat().st_size
            rest = statistics.median(times[1:]) if len(times) > 1 else float("nan")
            print(f"{name:<12}{times[0]:>11.2f}{rest:>17.2f}{sum(times):>11.2f}{size:>11}")


if __name__ == "__main__":
    main()
