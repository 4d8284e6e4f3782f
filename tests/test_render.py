"""Rendering layer: papermill, nbconvert and Chromium for real (no mocks).

Fake "chromium" shell scripts stand in only where a real Chromium cannot
misbehave on demand (non-zero exit, no output, hanging).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest_render import (  # noqa: F401 - rendered_report is a fixture
    NOTEBOOKS,
    REPORT_TITLE,
    SYSTEM_CHROMIUM,
    fake_devtools_browser,
    needs_chromium,
    needs_poppler,
    offline_page,
    rendered_report,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cchc_analysis import render
from cchc_analysis.errors import CchcParameterError, CchcReportError
from cchc_analysis.render import execute, export

REMOTE_REF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def _leftover_temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".tmp" in p.name]


def _fake_program(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _is_gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # killed, waiting to be reaped


# --------------------------------------------------------------------------
# Package hygiene
# --------------------------------------------------------------------------


def test_fixture_notebooks_are_committed_without_outputs() -> None:
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert paths
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name}: outputs committed"
                assert cell.execution_count is None, f"{path.name}: execution count committed"


def test_importing_render_does_not_import_papermill_or_nbconvert() -> None:
    code = (
        "import sys, cchc_analysis.render, cchc_analysis.report\n"
        "heavy = [m for m in ('papermill', 'nbconvert', 'nbformat') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --------------------------------------------------------------------------
# execute_notebook
# --------------------------------------------------------------------------


def test_execute_injects_vietnamese_parameters(rendered_report) -> None:
    nb = nbformat.read(rendered_report.notebook, as_version=4)
    tags = [cell.metadata.get("tags", []) for cell in nb.cells]
    assert ["parameters"] in tags and ["injected-parameters"] in tags
    stdout = "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    )
    assert "Cơ quan: Ban Dân tộc tỉnh; tổng điểm: 82,91 điểm" in stdout
    markdown = [
        output["data"]["text/markdown"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "text/markdown" in output.get("data", {})
    ]
    assert "## Ban Dân tộc tỉnh – năm 2024" in markdown
    assert nb.metadata.papermill.parameters["agency"] == "Ban Dân tộc tỉnh"
    assert nb.metadata.papermill.output_path == str(rendered_report.notebook)
    assert rendered_report.stale_failed_removed
    assert _leftover_temporaries(rendered_report.folder) == []


def test_cell_error_keeps_failed_notebook_and_good_output(rendered_report, tmp_path) -> None:
    folder = tmp_path / "kết quả {năm} 2024"  # papermill formats paths: braces must survive
    folder.mkdir()
    target = folder / "bao_cao.ipynb"
    shutil.copy(rendered_report.notebook, target)
    good = target.read_bytes()

    with pytest.raises(CchcReportError) as caught:
        render.execute_notebook(NOTEBOOKS / "broken_cell.ipynb", target, {"agency": "Ban Dân tộc tỉnh"}, timeout=60)

    error = caught.value
    message = str(error)
    assert "broken_cell.ipynb" in message
    # Cells: markdown, parameters, injected-parameters, print, raise -> index 4.
    assert "ô số 4" in message and error.cell_index == 4
    assert "ValueError: Thiếu dữ liệu năm 2023 của Ban Dân tộc tỉnh" in message
    assert error.reason == "cell_error" and error.ename == "ValueError"
    assert error.failed_notebook == folder / "bao_cao.failed.ipynb"
    failed = nbformat.read(error.failed_notebook, as_version=4)
    errors = [o for c in failed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    assert target.read_bytes() == good
    assert _leftover_temporaries(folder) == []


def test_cell_timeout_is_a_report_error(tmp_path, monkeypatch) -> None:
    # A relative output path: the kernel runs in the notebook's folder, the
    # output must still land relative to the caller's working folder.
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    with pytest.raises(CchcReportError) as caught:
        render.execute_notebook(NOTEBOOKS / "slow_cell.ipynb", Path("slow.ipynb"), {"seconds": 60}, timeout=2)
    assert time.perf_counter() - start < 30
    error = caught.value
    assert error.reason == "execution_timeout"
    assert "slow_cell.ipynb" in str(error) and "2 giây" in str(error)
    assert error.failed_notebook == tmp_path / "slow.failed.ipynb" and error.failed_notebook.exists()
    assert error.cell_index == 3  # parameters, injected-parameters, import, sleep
    assert not (tmp_path / "slow.ipynb").exists()
    assert _leftover_temporaries(tmp_path) == []


@pytest.mark.parametrize(
    ("notebook", "parameters", "expected"),
    [
        ("params_vietnamese.ipynb", {"agenci": "Ban Dân tộc tỉnh"}, "agenci"),
        ("params_vietnamese.ipynb", {"agency": object()}, "agency"),
        ("params_vietnamese.ipynb", {"năm 2024": 1}, "năm 2024"),
        ("no_parameters_cell.ipynb", {"agency": "Ban Dân tộc tỉnh"}, '"parameters"'),
        ("khong_co.ipynb", {}, "Không tìm thấy"),
    ],
)
def test_bad_parameters_are_refused_before_running(tmp_path, notebook, parameters, expected) -> None:
    with pytest.raises(CchcParameterError) as caught:
        render.execute_notebook(NOTEBOOKS / notebook, tmp_path / "chua-tao" / "out.ipynb", parameters)
    assert expected in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# export_html
# --------------------------------------------------------------------------


def test_html_is_self_contained_and_hides_code(rendered_report) -> None:
    html = rendered_report.html.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert REMOTE_REF.findall(html) == []
    assert re.search(r"<html[^>]*\blang=\"vi\"", html)
    assert re.search(r'<meta[^>]*name="viewport"[^>]*>', html)
    assert 'content="width=device-width, initial-scale=1"' in html
    assert f"<title>{REPORT_TITLE}</title>" in html
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*15mm", html)
    assert 'src="data:image/png;base64,' in html  # the chart, embedded
    # No code, no injected parameters cell, no removed cell.
    assert "CODE_SOURCE_MARKER" not in html and "score_text" not in html
    assert "injected-parameters" not in html and "Parameters" not in html
    assert "Sở Nội vụ" not in html  # the default in the (hidden) parameters cell
    assert "REMOVED_CELL_MARKER" not in html
    assert 'class="jp-InputPrompt' not in html and 'class="jp-OutputPrompt' not in html
    # The content is there.
    assert "Báo cáo Cải cách hành chính" in html and "82,91" in html
    assert _leftover_temporaries(rendered_report.folder) == []


def _executed_notebook_with(outputs: list, markdown: str = "# Báo cáo") -> nbformat.NotebookNode:
    code = new_code_cell("display_something()", execution_count=1, outputs=outputs)
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return new_notebook(cells=[new_markdown_cell(markdown), code], metadata={"kernelspec": kernelspec})


def test_javascript_outputs_fall_back_to_text(tmp_path) -> None:
    nb = _executed_notebook_with(
        [
            new_output(
                "display_data",
                data={"application/javascript": "alert('x')", "text/plain": "Bảng tương tác (bản tĩnh)"},
            )
        ]
    )
    source = tmp_path / "js.ipynb"
    nbformat.write(nb, source)
    html = render.export_html(source, tmp_path / "js.html", title="Thử <A & B>").read_text(encoding="utf-8")
    assert "<title>Thử &lt;A &amp; B&gt;</title>" in html
    assert "<script" not in html.lower() and "alert(" not in html
    assert "Bảng tương tác (bản tĩnh)" in html


@pytest.mark.parametrize(
    ("outputs", "markdown", "expected"),
    [
        ([new_output("display_data", data={"text/html": "<div>x</div><script>alert(1)</script>"})], "# A", "<script>"),
        ([], "![logo](https://example.org/logo.png)", "mạng"),
    ],
)
def test_html_that_would_not_work_offline_is_refused(tmp_path, outputs, markdown, expected) -> None:
    source = tmp_path / "online.ipynb"
    nbformat.write(_executed_notebook_with(outputs, markdown), source)
    target = tmp_path / "online.html"
    target.write_text("bản cũ", encoding="utf-8")
    with pytest.raises(CchcReportError) as caught:
        render.export_html(source, target, title="Thử")
    assert caught.value.reason == "not_offline" and expected in str(caught.value)
    assert target.read_text(encoding="utf-8") == "bản cũ"
    assert _leftover_temporaries(tmp_path) == []


def test_renderer_reuses_one_exporter(rendered_report, tmp_path) -> None:
    renderer = render.Renderer()
    first = export.get_html_exporter()
    page = renderer.html(rendered_report.notebook, tmp_path / "again.html", title=REPORT_TITLE)
    assert export.get_html_exporter() is first
    assert page.read_text(encoding="utf-8") == rendered_report.html.read_text(encoding="utf-8")


@needs_chromium
def test_html_in_a_real_browser_makes_no_request(rendered_report, tmp_path) -> None:
    from playwright.sync_api import expect

    # A phone-sized viewport: the page must not scroll sideways.
    with offline_page(rendered_report.html, width=390, height=844, scale=2) as (page, attempted):
        expect(page).to_have_title(REPORT_TITLE)
        expect(page.get_by_role("heading", name="Báo cáo Cải cách hành chính")).to_be_visible()
        expect(page.get_by_role("heading", name="Ban Dân tộc tỉnh – năm 2024")).to_be_visible()
        expect(page.get_by_text("82,91", exact=False)).to_be_visible()
        expect(page.locator("img").first).to_be_visible()
        expect(page.locator("pre", has_text="def ")).to_have_count(0)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page scrolls sideways by {overflow}px on a phone"
        image_width = page.evaluate("document.querySelector('img').getBoundingClientRect().width")
        assert image_width <= 390
        page.screenshot(path=tmp_path / "bao_cao_phone.png", full_page=True)
    assert attempted == []
    assert (tmp_path / "bao_cao_phone.png").stat().st_size > 0


# --------------------------------------------------------------------------
# print_pdf
# --------------------------------------------------------------------------


def _chromium_processes_with(marker: str) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if marker in line and "ps -eo" not in line]


@needs_chromium
@needs_poppler
def test_pdf_is_a4_with_vietnamese_text(rendered_report, tmp_path, monkeypatch, request) -> None:
    from test_faults import _leftovers

    # Count only this test's browsers (they inherit the tag), not another worker's under `-n auto`.
    tag = f"{request.node.name}-{os.getpid()}-{time.monotonic_ns()}"
    monkeypatch.setenv("CCHC_TEST_TAG", tag)
    page = tmp_path / "báo cáo #1 2024.html"  # the file:// URL must be encoded
    shutil.copy(rendered_report.html, page)
    target = tmp_path / "báo cáo.pdf"
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        render.print_pdf(page, target, timeout=60)
        timings.append(time.perf_counter() - start)
    print(f"print_pdf: {timings[0]:.2f} s, then {timings[1]:.2f} s; execute {rendered_report.seconds}")

    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Ban Dân tộc tỉnh", "Cải cách hành chính", "82,91", "Điểm theo lĩnh vực"):
        assert expected in text
    assert "¶" not in text
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size, info
    assert 594 <= float(size.group(1)) <= 596 and 841 <= float(size.group(2)) <= 843, info
    assert _leftover_temporaries(tmp_path) == []
    assert _leftovers(tag) == set()


@pytest.mark.parametrize("how", ["environment", "argument", "renderer"])
def test_missing_chromium_says_how_to_install_it(rendered_report, tmp_path, monkeypatch, how) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("CCHC_CHROMIUM", str(tmp_path / "khong-co" / "chromium"))
    assert render.find_chromium() is None

    with pytest.raises(CchcReportError) as caught:
        if how == "environment":
            render.print_pdf(rendered_report.html, tmp_path / "x.pdf")
        elif how == "argument":
            monkeypatch.delenv("CCHC_CHROMIUM")
            render.print_pdf(rendered_report.html, tmp_path / "x.pdf", chromium=tmp_path / "khong-co")
        else:
            render.Renderer().pdf(rendered_report.html, tmp_path / "x.pdf")
    error = caught.value
    assert error.reason == "chromium_missing" and error.chromium_missing is True
    assert "sudo apt-get install -y chromium" in str(error)
    assert "khong-co" in str(error)
    assert not (tmp_path / "x.pdf").exists()


def test_find_chromium_prefers_the_environment_variable(tmp_path, monkeypatch) -> None:
    fake = _fake_program(tmp_path, "my-chrome", "exit 0")
    on_path = _fake_program(tmp_path, "chromium", "exit 0")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CCHC_CHROMIUM", raising=False)
    assert render.find_chromium() == on_path
    monkeypatch.setenv("CCHC_CHROMIUM", str(fake))
    assert render.find_chromium() == fake
    monkeypatch.setenv("CCHC_CHROMIUM", "my-chrome")  # a command name works too
    assert render.find_chromium() == fake


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('echo "[0101/000000.000:FATAL:thu_nghiem] lỗi giả lập" >&2; exit 3', "mã lỗi 3"),
        ("exit 0", "không tạo ra tệp PDF"),
        (b"", "rỗng"),  # a browser that speaks the protocol and prints these bytes
        (b"<html>not a pdf</html>", "không phải PDF"),
    ],
    ids=["crashes", "exits", "prints-nothing", "prints-html"],
)
def test_chromium_failure_is_reported_with_stderr(rendered_report, tmp_path, body, expected) -> None:
    if isinstance(body, bytes):
        fake, _ = fake_devtools_browser(tmp_path, pdf=body, name="chromium")
    else:
        fake = _fake_program(tmp_path, "chromium", body)
    target = tmp_path / "out.pdf"
    target.write_bytes(b"%PDF-1.7 old good pdf")
    with pytest.raises(CchcReportError) as caught:
        render.print_pdf(rendered_report.html, target, chromium=fake)
    assert caught.value.reason == "chromium_failed"
    assert expected in str(caught.value)
    if isinstance(body, str) and "FATAL" in body:
        assert "lỗi giả lập" in str(caught.value) and "lỗi giả lập" in caught.value.stderr_tail
        assert caught.value.returncode == 3
    assert target.read_bytes() == b"%PDF-1.7 old good pdf"
    assert _leftover_temporaries(tmp_path) == []
    assert _chromium_processes_with(str(tmp_path)) == []


def test_chromium_timeout_kills_the_whole_process_group(rendered_report, tmp_path) -> None:
    pid_file = tmp_path / "child.pid"
    fake = _fake_program(tmp_path, "chromium", f'sleep 60 & echo $! > "{pid_file}"; wait')
    start = time.perf_counter()
    with pytest.raises(CchcReportError) as caught:
        render.print_pdf(rendered_report.html, tmp_path / "out.pdf", chromium=fake, timeout=1)
    assert time.perf_counter() - start < 10
    assert caught.value.reason == "chromium_timeout"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not _is_gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _is_gone(child), "a child of the browser is still running"
    assert not (tmp_path / "out.pdf").exists()
    assert _leftover_temporaries(tmp_path) == []


# --------------------------------------------------------------------------
# declared_parameters: the one reader of a notebook's parameters cell
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if p.name != "no_parameters_cell.ipynb"]
    + sorted((NOTEBOOKS.parents[1] / "notebooks").glob("*.ipynb")),
    ids=lambda p: p.name,
)
def test_declared_parameters_agree_with_papermill(path) -> None:
    import papermill

    assert execute.declared_parameters(path) == list(papermill.inspect_notebook(str(path)))


def test_declared_parameters_reads_plain_assignments_and_refuses_what_it_cannot_read(tmp_path) -> None:
    cell = nbformat.v4.new_code_cell('agency = "ban-dan-toc"  # no annotation\nyear: int = 2022\nagency = "x"')
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(new_notebook(cells=[cell]), tmp_path / "plain.ipynb")
    assert execute.declared_parameters(tmp_path / "plain.ipynb") == ["agency", "year"]
    with pytest.raises(CchcParameterError, match='"parameters"'):
        execute.declared_parameters(NOTEBOOKS / "no_parameters_cell.ipynb")
    cell.source = "year: int = "
    nbformat.write(new_notebook(cells=[cell]), tmp_path / "broken.ipynb")
    with pytest.raises(CchcParameterError, match="không phải mã Python"):
        execute.declared_parameters(tmp_path / "broken.ipynb")
