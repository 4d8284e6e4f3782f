"""Shared fixtures and markers for rendering tests (imported explicitly by test modules).

Not a conftest.py: import what you need, e.g.
``from conftest_render import rendered_report, needs_chromium``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"

#: Parameters injected into tests/notebooks/params_vietnamese.ipynb.
REPORT_PARAMETERS = {"agency": "Ban Dân tộc tỉnh", "year": 2024, "score": 82.91}
REPORT_TITLE = "Báo cáo Cải cách hành chính – Ban Dân tộc tỉnh"

# Real browser and poppler tests are skipped only on a workstation without
# them; in CI (CI=true) they must run, so a missing tool is a failure there.
needs_chromium = pytest.mark.skipif(
    not SYSTEM_CHROMIUM.exists() and not IN_CI,
    reason="/usr/bin/chromium is not installed (sudo apt-get install -y chromium)",
)
needs_poppler = pytest.mark.skipif(
    (shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None) and not IN_CI,
    reason="pdftotext/pdfinfo are not installed (sudo apt-get install -y poppler-utils)",
)


@dataclass
class RenderedReport:
    """One real run of params_vietnamese.ipynb: executed notebook and HTML page."""

    folder: Path
    notebook: Path
    html: Path
    stale_failed_removed: bool
    seconds: dict[str, float] = field(default_factory=dict)


@pytest.fixture(scope="session")
def rendered_report(tmp_path_factory: pytest.TempPathFactory) -> RenderedReport:
    """Execute params_vietnamese.ipynb once with Vietnamese parameters and export it to HTML."""
    from cchc_analysis import render
    from cchc_analysis.render import execute

    folder = tmp_path_factory.mktemp("rendered")
    notebook = folder / "bao_cao.ipynb"
    stale = execute.failed_path(notebook)
    stale.write_text("{}", encoding="utf-8")  # left by an earlier failed run

    seconds = {}
    start = time.perf_counter()
    render.execute_notebook(NOTEBOOKS / "params_vietnamese.ipynb", notebook, REPORT_PARAMETERS, timeout=120)
    seconds["execute"] = time.perf_counter() - start
    start = time.perf_counter()
    html = render.export_html(notebook, folder / "bao_cao.html", title=REPORT_TITLE)
    seconds["html"] = time.perf_counter() - start
    return RenderedReport(folder, notebook, html, not stale.exists(), seconds)


@dataclass
class BrowsedPage:
    """What a real headless Chromium saw when it opened a page with the network blocked."""

    title: str
    text: str  # the visible text (innerText of the body)
    attempted: list[str]  # every request other than the page itself
    overflow: float  # horizontal scroll in px at the viewport width
    screenshot: Path


@contextmanager
def offline_page(html: Path, *, width: int = 1280, height: int = 900, scale: float = 1):
    """A Playwright page of Debian's Chromium on ``html`` with the network blocked: yields (page, attempted),
    where ``attempted`` collects every request other than the page itself (each is aborted)."""
    from playwright.sync_api import sync_playwright

    page_url = html.resolve().as_uri()
    attempted: list[str] = []

    def guard(route) -> None:
        if route.request.url == page_url:
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(SYSTEM_CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
            page.route("**/*", guard)
            page.on(
                "request",
                lambda r: attempted.append(r.url) if r.url != page_url and not r.url.startswith("data:") else None,
            )
            page.goto(page_url, wait_until="load")
            yield page, attempted
        finally:
            browser.close()


def browse_offline(html: Path, screenshot: Path, *, width: int = 390, height: int = 844) -> BrowsedPage:
    """Open ``html`` offline (see ``offline_page``) at a phone's width; what a reader sees, and a screenshot."""
    with offline_page(html, width=width, height=height) as (page, attempted):
        text = page.inner_text("body")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=screenshot, full_page=True)
        title = page.title()
    return BrowsedPage(title, text, sorted(set(attempted)), overflow, screenshot)


#: A fake browser speaking the DevTools protocol on fd 3/4 like the real one; ``{on_request}`` decides, per
#: request, what it answers, and Page.printToPDF returns ``{pdf}`` (a real Chromium cannot be made to fail on demand). It appends its command line to
#: ``{argv_log}`` first.
FAKE = """#!{python}
import base64, json, os, sys
with open({argv_log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
PDF = base64.b64encode({pdf!r}).decode()
def answer(request):
{on_request}
    method = request["method"]
    if method == "Page.printToPDF":
        return {{"result": {{"data": PDF}}}}
    return {{"result": {{"targetId": "t"}} if method == "Target.createTarget" else {{"sessionId": "s"}}}}
buffer = b""
while True:
    chunk = os.read(3, 65536)
    if not chunk:
        break
    buffer += chunk
    while b"\\0" in buffer:
        line, buffer = buffer.split(b"\\0", 1)
        request = json.loads(line)
        reply = answer(request)
        if reply is None:
            sys.exit(7)  # the browser dies in the middle of a page
        reply["id"] = request["id"]
        if request.get("sessionId"):
            reply["sessionId"] = request["sessionId"]
        os.write(4, json.dumps(reply).encode() + b"\\0")
        if request["method"] == "Page.navigate":
            os.write(4, json.dumps({{"method": "Page.loadEventFired", "sessionId": "s"}}).encode() + b"\\0")
"""


def fake_devtools_browser(
    folder: Path, on_request: str = "    pass", *, pdf: bytes = b"%PDF-1.7 fake", name: str = "fake-chromium"
) -> tuple[Path, Path]:
    """Write the fake browser into ``folder``: (its path, the file that logs its command lines). It prints ``pdf``."""
    log = folder / "argv.jsonl"
    fake = folder / name
    fake.write_text(
        FAKE.format(python=sys.executable, argv_log=str(log), on_request=on_request, pdf=pdf), encoding="utf-8"
    )
    fake.chmod(0o755)
    return fake, log
