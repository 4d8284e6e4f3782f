"""The batch's persistent Chromium: many PDFs through one browser, restarted if it dies, ended on close."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest_render import SYSTEM_CHROMIUM, fake_devtools_browser, needs_chromium, needs_poppler

from cchc_analysis.errors import CchcReportError
from cchc_analysis.render.chromium import PersistentChromium

ROOT = str(Path(__file__).resolve().parents[1])

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>@page {{ size: A4; margin: 15mm }}</style>
<title>t</title></head><body><h1>Ban Dân tộc tỉnh – {n}</h1><p>Chỉ số CCHC đạt 82,91/100 điểm.</p></body></html>"""


def _alive(group: int) -> bool:
    """Whether any process of this process group still runs (zombies waiting for init do not count)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                return True
    return False


@needs_chromium
@needs_poppler
def test_one_browser_prints_many_a4_pages_and_restarts_after_a_crash(tmp_path):
    started: list[int] = []
    browser = PersistentChromium(SYSTEM_CHROMIUM, timeout=60, on_start=started.append)
    try:
        for n in range(3):
            page = tmp_path / f"trang {n}.html"  # a space and diacritics in the file name
            page.write_text(PAGE.format(n=n), encoding="utf-8")
            pdf = browser.print_pdf(page, tmp_path / "out" / f"{n}.pdf")
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert f"Ban Dân tộc tỉnh – {n}" in text and "82,91/100" in text
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            assert "(A4)" in info
        assert len(started) == 1  # three pages, one browser
        os.killpg(started[0], signal.SIGKILL)  # the browser dies between two pages
        browser.print_pdf(tmp_path / "trang 0.html", tmp_path / "out" / "again.pdf")
        assert len(started) == 2 and (tmp_path / "out" / "again.pdf").read_bytes().startswith(b"%PDF-")
    finally:
        browser.close()
    for _ in range(50):  # killed processes may take a moment to go
        if not any(_alive(pid) for pid in started):
            break
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in started)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


@needs_chromium
@needs_poppler
def test_a_page_printed_again_after_it_changed_shows_its_new_content(tmp_path):
    # Every page goes through one tab: printing the same file again (a report run twice into one folder) must
    # load it again, not print what the tab still shows.
    page = tmp_path / "trang.html"
    browser = PersistentChromium(SYSTEM_CHROMIUM, timeout=60)
    try:
        texts = []
        for n in (1, 2, 2):
            page.write_text(PAGE.format(n=n), encoding="utf-8")
            pdf = browser.print_pdf(page, tmp_path / f"{len(texts)}.pdf")
            texts.append(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    finally:
        browser.close()
    assert ["Ban Dân tộc tỉnh – 1" in texts[0], "Ban Dân tộc tỉnh – 2" in texts[1], "– 2" in texts[2]] == [True] * 3
    assert "– 1" not in texts[1]


def test_pages_are_printed_one_after_the_other_in_one_tab(tmp_path):
    # A tab per page started a renderer process per page (0,59 against 0,33 CPU-seconds a page); one tab serves
    # every page of a browser, and a restarted browser opens its own.
    methods = tmp_path / "methods.txt"
    fake, _ = fake_devtools_browser(tmp_path, f"    open({str(methods)!r}, 'a').write(request['method'] + '\\n')")
    page = tmp_path / "trang.html"
    page.write_text(PAGE.format(n=1), encoding="utf-8")
    started: list[int] = []
    browser = PersistentChromium(fake, timeout=30, on_start=started.append)
    try:
        for n in range(3):
            browser.print_pdf(page, tmp_path / f"{n}.pdf")
        os.killpg(started[0], signal.SIGKILL)
        browser.print_pdf(page, tmp_path / "again.pdf")
    finally:
        browser.close()
    calls = methods.read_text(encoding="utf-8").split()
    assert calls.count("Page.navigate") == calls.count("Page.printToPDF") == 4
    assert calls.count("Target.createTarget") == 2 and "Target.closeTarget" not in calls  # one per browser started
    assert len(started) == 2


@needs_chromium
def test_a_page_that_never_loads_times_out_and_keeps_the_old_pdf(tmp_path):
    page = tmp_path / "slow.html"
    # A script that never ends: scripts never reach a rendered briefing (export_html refuses them), but the
    # printer must still stop on its own and leave the earlier PDF in place.
    page.write_text("<html><body><script>while (true) {}</script></body></html>", encoding="utf-8")
    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"%PDF-1.4 old")
    browser = PersistentChromium(SYSTEM_CHROMIUM, timeout=5)
    try:
        with pytest.raises(CchcReportError, match="sau 5 giây"):
            browser.print_pdf(page, target)
    finally:
        browser.close()
    assert target.read_bytes() == b"%PDF-1.4 old"


@needs_chromium
def test_the_printer_starts_in_a_process_without_descriptors_3_and_4(tmp_path):
    # The pipe must land on 3 and 4 whatever the parent has open: a fresh interpreter (as in a script or a cron
    # job) has nothing there, and the old client then failed with "Bad file descriptor" before Chromium started.
    page = tmp_path / "trang.html"
    page.write_text(PAGE.format(n=1), encoding="utf-8")
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from cchc_analysis.render.chromium import PersistentChromium\n"
        "for fd in (3, 4):\n"
        "    try:\n"
        "        os.fstat(fd)\n"
        "        sys.exit(f'descriptor {fd} is open: the test proves nothing')\n"
        "    except OSError:\n"
        "        pass\n"
        f"browser = PersistentChromium(Path({str(SYSTEM_CHROMIUM)!r}), timeout=60)\n"
        "try:\n"
        f"    browser.print_pdf(Path({str(page)!r}), Path({str(tmp_path / 'out.pdf')!r}))\n"
        "finally:\n"
        "    browser.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env={**os.environ, "PYTHONPATH": ROOT})
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


def _print_with(fake: Path, tmp_path: Path, started: list[int]) -> tuple[Path, pytest.ExceptionInfo | None]:
    page = tmp_path / "trang.html"
    page.write_text(PAGE.format(n=1), encoding="utf-8")
    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"%PDF-1.4 old")
    browser = PersistentChromium(fake, timeout=30, on_start=started.append)
    try:
        with pytest.raises(CchcReportError) as caught:
            browser.print_pdf(page, target)
    finally:
        browser.close()
    return target, caught


def test_the_printer_starts_chromium_with_the_offline_flags(tmp_path):
    # What DESIGN.md measured: no background traffic, no component updates, no sync, no first-run, headless.
    fake, log = fake_devtools_browser(tmp_path)
    page = tmp_path / "trang.html"
    page.write_text(PAGE.format(n=1), encoding="utf-8")
    browser = PersistentChromium(fake, timeout=30)
    try:
        pdf = browser.print_pdf(page, tmp_path / "out.pdf")
    finally:
        browser.close()
    assert pdf.read_bytes() == b"%PDF-1.7 fake"
    import json

    (argv,) = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    for flag in (
        "--headless",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--remote-debugging-pipe",
    ):
        assert flag in argv, flag


def test_a_browser_that_dies_twice_is_reported_and_the_old_pdf_kept(tmp_path):
    fake, log = fake_devtools_browser(tmp_path, '    if request["method"] == "Page.navigate":\n        return None')
    started: list[int] = []
    target, caught = _print_with(fake, tmp_path, started)
    assert caught.value.reason == "chromium_failed"
    assert 'Chromium kết thúc với mã lỗi 7 và không tạo ra tệp PDF khi in "trang.html".' in str(caught.value)
    assert caught.value.returncode == 7
    assert len(started) == 2  # restarted once, then given up
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2
    assert target.read_bytes() == b"%PDF-1.4 old"
    assert not any(_alive(pid) for pid in started)


def test_an_error_reply_over_the_pipe_is_reported_and_the_old_pdf_kept(tmp_path):
    refuse = (
        '    if request["method"] == "Page.printToPDF":\n'
        '        return {"error": {"code": -32000, "message": "Printing failed (giả lập)"}}'
    )
    fake, _ = fake_devtools_browser(tmp_path, refuse)
    started: list[int] = []
    target, caught = _print_with(fake, tmp_path, started)
    assert caught.value.reason == "chromium_failed"
    assert "Chromium từ chối lệnh Page.printToPDF: Printing failed (giả lập)" in str(caught.value)
    assert len(started) == 1
    assert target.read_bytes() == b"%PDF-1.4 old"
    assert not any(_alive(pid) for pid in started)


def test_the_persistent_printer_refuses_what_is_not_a_pdf(tmp_path):
    not_pdf = (
        '    if request["method"] == "Page.printToPDF":\n'
        '        return {"result": {"data": base64.b64encode(b"<html>PDF? no</html>").decode()}}'
    )
    fake, _ = fake_devtools_browser(tmp_path, not_pdf)
    target, caught = _print_with(fake, tmp_path, [])
    assert caught.value.reason == "chromium_failed"
    assert 'Chromium in ra một tệp không phải PDF từ "trang.html"; tệp PDF cũ (nếu có) được giữ nguyên.' in str(
        caught.value
    )
    assert target.read_bytes() == b"%PDF-1.4 old"
