"""The what-if notebook in real JupyterLab, driven in Debian's headless Chromium with Playwright (issue 13, §2, §3).

Lab starts offline on a copy of the notebook (no news, no update checks); the test runs every cell, sees the
explorer's cards start from the last results, picks the "every field target met" preset and moves the survey
slider, and sees the total change each time. It also checks the house style in Lab: the cards are a grid and the
text columns of a table are left-aligned (screenshots are kept in the test's temporary folder). Every request the
page makes stays on localhost.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest_render import SYSTEM_CHROMIUM, needs_chromium

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "04_what_if.ipynb"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
RESULT = ".cchc-what-if-result"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("lab-home")
    root = home / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}), encoding="utf-8"
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "MPLCONFIGDIR": str(home / "mpl"),
    }
    env.pop("JUPYTER_CONFIG_PATH", None)
    log = home / "lab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{log.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.5)
        yield url, token, home
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # Lab and its kernels: the session it started
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _total(page) -> str:
    return page.locator(f"{RESULT} .cchc-card-value").first.inner_text()


@needs_chromium
def test_the_explorer_recomputes_in_lab_and_the_house_style_applies(lab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    url, token, home = lab
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(SYSTEM_CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=120_000)
            select = page.locator(".jp-Dialog .jp-mod-accept", has_text="Select")
            try:  # Lab may ask which kernel to start for a notebook it has not opened before
                select.wait_for(timeout=15_000)
                select.click()
            except PlaywrightTimeout:
                pass
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
            page.wait_for_selector(f"{RESULT} .cchc-card-value", timeout=240_000)
            assert _total(page) == "82,98/100†"  # the last results on the 2023 framework

            page.locator(".widget-dropdown select").first.select_option(index=1)  # every field target met
            page.wait_for_function(
                f"document.querySelector('{RESULT} .cchc-card-value').textContent.startsWith('88,09/100')",
                timeout=60_000,
            )
            cards = page.locator(f"{RESULT} .cchc-card").all_inner_texts()
            assert any("10/20" in c for c in cards) and any("Chỉ tiêu thứ hạng (dư ít hơn)" in c for c in cards)

            handle = page.locator(".cchc-survey .noUi-handle").first
            handle.focus()
            handle.press("End")  # the survey at 100 %: 67 + 33 = 100
            page.wait_for_function(
                f"document.querySelector('{RESULT} .cchc-card-value').textContent.startsWith('100/100')",
                timeout=60_000,
            )
            page.screenshot(path=str(home / "what_if_lab.png"), full_page=True)

            style = page.evaluate(
                """() => ({
                    grid: getComputedStyle(document.querySelector('.cchc-what-if-result .cchc-cards')).display,
                    text: getComputedStyle(document.querySelector('.jp-OutputArea table.cchc-table td.text')).textAlign,
                    cover: getComputedStyle(document.querySelector('.jp-OutputArea .cchc-cover')).borderBottomWidth,
                })"""
            )
            assert style == {"grid": "grid", "text": "left", "cover": "3px"}, style
            tops = page.evaluate(
                "[...document.querySelectorAll('.cchc-what-if-result .cchc-card')]"
                ".map(c => Math.round(c.getBoundingClientRect().top))"
            )
            assert len(set(tops)) < len(tops), f"cards are one a line: {tops}"  # at least two side by side
        except Exception:
            page.screenshot(path=str(home / "what_if_lab_failed.png"), full_page=True)
            raise
        finally:
            browser.close()
    remote = [
        r for r in requests if urlsplit(r).scheme in ("http", "https") and urlsplit(r).hostname not in LOCAL_HOSTS
    ]
    assert remote == []
