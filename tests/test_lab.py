"""The analyst in JupyterLab (issue 13, §1, §1b): working copies keep the repository clean, Lab starts as root,
the project's settings keep it offline, and the offline template works from nbconvert's command line.

The browser test starts the real ``python -m cchc_analysis.lab`` (what ``bash tasks.sh lab`` runs) and drives
JupyterLab in Debian's headless Chromium with Playwright: it opens each notebook, runs every cell from the Run
menu, sees no error output, changes a parameter and runs again, shows a bad parameter as its Vietnamese message,
and saves; every request the page makes must stay on localhost, and ``git status`` must not change.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest_render import SYSTEM_CHROMIUM, needs_chromium, offline_page

from cchc_analysis import lab

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


# -- working copies, the command line, the settings ---------------------------------------------------------------


def test_seed_copies_each_template_once_and_never_overwrites(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "01_a.ipynb").write_text('{"a": 1}', encoding="utf-8")
    work = tmp_path / "work"
    first = lab.seed(templates, work)
    assert [p.name for p in first.created] == ["01_a.ipynb"] and not first.outdated
    (work / "01_a.ipynb").write_text('{"a": "edited by the analyst"}', encoding="utf-8")
    again = lab.seed(templates, work)
    assert not again.created and not again.outdated
    (templates / "01_a.ipynb").write_text('{"a": 2}', encoding="utf-8")  # the template changes upstream
    (templates / "02_b.ipynb").write_text('{"b": 1}', encoding="utf-8")
    later = lab.seed(templates, work)
    assert [p.name for p in later.created] == ["02_b.ipynb"] and [p.name for p in later.outdated] == ["01_a.ipynb"]
    assert (work / "01_a.ipynb").read_text(encoding="utf-8") == '{"a": "edited by the analyst"}'


def test_the_working_copies_are_ignored_by_git():
    probe = "notebooks/work/01_score_review.ipynb"
    run = subprocess.run(["git", "check-ignore", "-q", probe], cwd=ROOT)
    assert run.returncode == 0, f"{probe} must be git-ignored"
    assert lab.work_dir() == NOTEBOOKS / "work" or os.environ.get("CCHC_LAB_DIR")


def test_the_command_opens_the_working_copies_and_allows_root_only_for_root(tmp_path):
    as_root = lab.lab_command(["--no-browser"], tmp_path, as_root=True)
    assert as_root[1:4] == ["-m", "jupyterlab", f"--ServerApp.root_dir={tmp_path}"]
    assert as_root.count("--allow-root") == 1 and as_root[-1] == "--no-browser"
    assert lab.lab_command(["--allow-root"], tmp_path, as_root=True).count("--allow-root") == 1
    assert "--allow-root" not in lab.lab_command([], tmp_path, as_root=False)
    env = lab.environment({"JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(lab.SETTINGS_DIR), "/elsewhere"]


def test_tasks_sh_lab_runs_the_module():
    tasks = (ROOT / "tasks.sh").read_text(encoding="utf-8")
    assert 'lab) setup base && "$BIN/python" -m cchc_analysis.lab "$@" ;;' in tasks


def test_the_shipped_settings_turn_news_update_checks_and_pypi_off():
    config = json.loads((lab.SETTINGS_DIR / "jupyter_lab_config.json").read_text(encoding="utf-8"))
    assert config["LabApp"]["news_url"] is None
    assert config["LabApp"]["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
    assert config["LabApp"]["extension_manager"] == "readonly"
    assert config["ServerApp"]["ip"] == "127.0.0.1"
    page = json.loads((lab.SETTINGS_DIR / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert page["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True
    import jupyterlab

    assert hasattr(jupyterlab, "NeverCheckForUpdate")


def _data_files() -> dict[str, list[str]]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["setuptools"]["data-files"]


def _install_data_files(prefix: Path) -> None:
    """Copy the data files where an installation puts them (below the environment's prefix)."""
    for target, patterns in _data_files().items():
        (prefix / target).mkdir(parents=True, exist_ok=True)
        for pattern in patterns:
            found = glob.glob(str(ROOT / pattern))
            assert found, f"pyproject data-files: {pattern} matches nothing"
            for source in found:
                shutil.copy(source, prefix / target)


def test_the_package_installs_the_settings_and_the_template_where_jupyter_looks(tmp_path):
    _install_data_files(tmp_path)
    assert (tmp_path / "etc/jupyter/jupyter_lab_config.json").is_file()
    assert (tmp_path / "etc/jupyter/labconfig/page_config.json").is_file()
    template = tmp_path / "share/jupyter/nbconvert/templates/cchc_offline"
    shipped = ROOT / "cchc_analysis/render/templates/cchc_offline"
    assert sorted(p.name for p in template.iterdir()) == sorted(p.name for p in shipped.iterdir())


@needs_chromium
def test_nbconvert_cli_with_the_installed_template_gives_the_offline_page(tmp_path):
    """``jupyter nbconvert --to html --template cchc_offline`` finds the template the package installs and writes a
    page with no script that requests nothing when opened in a browser with the network blocked."""
    _install_data_files(tmp_path / "prefix")
    source = ROOT / "tests/notebooks/params_vietnamese.ipynb"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    notebook["cells"].append(
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "id": "js", "source": "x",
         "outputs": [{"output_type": "display_data", "metadata": {},
                      "data": {"application/javascript": "fetch('https://example.org/x')", "text/plain": "x"}}]}
    )  # fmt: skip
    executed = tmp_path / "page.ipynb"
    executed.write_text(json.dumps(notebook), encoding="utf-8")
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "prefix/share/jupyter")}
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--template", "cchc_offline", str(executed)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    html = tmp_path / "page.html"
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text.lower() and 'lang="vi"' in text
    with offline_page(html) as (_page, attempted):
        pass
    assert attempted == []


def test_nbconvert_cli_gives_the_packages_offline_page_for_a_real_notebook(tmp_path):
    """The plain ``jupyter nbconvert --to html --template cchc_offline`` on an executed score review, with the
    template where installing the package puts it, writes the page the package writes: no code, no script, no
    require.js or MathJax, nothing fetched from the network (the package's own offline check); the package's page is
    that page with the CSS it does not use left out, byte for byte."""
    from cchc_analysis import render
    from cchc_analysis.render.css import prune_css
    from cchc_analysis.render.offline import offline_problems

    _install_data_files(tmp_path / "prefix")
    executed = tmp_path / "01_score_review.ipynb"
    render.execute_notebook(
        NOTEBOOKS / "01_score_review.ipynb", executed, {"agency": "ban-dan-toc", "year": 2022}, timeout=300
    )
    jupyter = Path(sys.executable).parent / "jupyter"
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "prefix/share/jupyter")}
    command = [
        str(jupyter),
        "nbconvert",
        "--to",
        "html",
        "--template",
        "cchc_offline",
        "--output",
        "cli",
        str(executed),
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert offline_problems(page) == []
    lowered = page.lower()
    assert "<script" not in lowered and "require.js" not in lowered and "mathjax" not in lowered
    assert 'class="jp-CodeMirrorEditor' not in page and "from cchc_analysis" not in page  # no code, no parameters cell
    assert "82,91" in page and 'lang="vi"' in page
    package = render.export_html(executed, tmp_path / "package.html", title=executed.stem)
    assert prune_css(page) == package.read_text(encoding="utf-8")


# -- the real thing: JupyterLab in headless Chromium --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _digests() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(NOTEBOOKS.glob("*.ipynb"))}


class LabServer:
    def __init__(self, root: Path, home: Path) -> None:
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.work = root / "notebooks" / "work" / f"test-{secrets.token_hex(4)}"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "HOME": str(home),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "IPYTHONDIR": str(home / "ipython"),
            "MPLCONFIGDIR": str(home / "mpl"),
            "CCHC_LAB_DIR": str(self.work),
        }
        env.pop("JUPYTER_CONFIG_PATH", None)
        self.log = home / "lab.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cchc_analysis.lab", "--no-browser", f"--port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}"],
            cwd=root, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"JupyterLab did not start:\n{self.log.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # Lab and the kernels it started: its own session
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        shutil.rmtree(self.work, ignore_errors=True)


@pytest.fixture(scope="module")
def lab_session(tmp_path_factory):
    before = (_git_status(), _digests())
    server = LabServer(ROOT, tmp_path_factory.mktemp("lab-home"))
    try:
        yield server, before
    finally:
        server.stop()


RUN_ALL_TIMEOUT = 420_000  # ms: three notebooks on a loaded 2-core machine
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
#: The notebook on show (Lab keeps other open notebooks in the page, hidden).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
PROMPTS = "[...document.querySelectorAll('NOTEBOOK .jp-CodeCell .jp-InputPrompt')].map(e => e.textContent)".replace(
    "NOTEBOOK", NOTEBOOK
)


def _counts(page) -> list[int]:
    return [int(t) for t in re.findall(r"\[(\d+)\]", " ".join(page.evaluate(PROMPTS)))]


def _run_all(page) -> None:
    """Run > Run All Cells, then wait until this run is over: every code cell ran, or one stopped it with an error."""
    before = max(_counts(page), default=0)
    cells = len(page.evaluate(PROMPTS))
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(
        """([before, cells]) => {
            const prompts = PROMPTS;
            const counts = prompts.map(t => (t.match(/\\[(\\d+)\\]/) || [0, 0])[1] * 1);
            const top = Math.max(0, ...counts);
            const errors = document.querySelectorAll(
                'NOTEBOOK .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
            return top > before && !prompts.some(t => t.includes('*')) && (top >= before + cells || errors > 0);
        }""".replace("PROMPTS", PROMPTS).replace("NOTEBOOK", NOTEBOOK),
        arg=[before, cells],
        timeout=RUN_ALL_TIMEOUT,
        polling=500,
    )


def _accept_kernel(page) -> None:
    """Lab may ask which kernel to start (its default, Python 3, is preselected): accept it as an analyst does."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=20_000)
    except PlaywrightTimeout:
        pass


def _set_parameters(page, source: str) -> None:
    editor = page.locator(f"{NOTEBOOK} .jp-CodeCell").first.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")


def _errors(page) -> list[str]:
    """The error outputs of the notebook on show. textContent, not innerText: Lab may hide a cell outside the
    viewport while it renders, and innerText of a hidden element is empty."""
    return page.locator(f"{NOTEBOOK} {STDERR}").all_text_contents()


def _parameters(name: str) -> str:
    notebook = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    return "".join(cell["source"])


#: Per notebook: a parameter change that must show in the rerun, and the text it must show.
CHANGES = {
    "01_score_review.ipynb": (("year: int = 0", "year: int = 2021"), "2021"),
    "02_plan_progress.ipynb": (('period: str = ""', 'period: str = "2023-Q1"'), "Quý I/2023"),
    "03_briefing.ipynb": (('period: str = ""', 'period: str = "2023-Q2"'), "Quý II/2023"),
}


@needs_chromium
def test_jupyterlab_runs_every_notebook_offline_and_leaves_the_repository_clean(lab_session):
    from playwright.sync_api import sync_playwright

    server, (status_before, digests_before) = lab_session
    requested: list[str] = []
    outside: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(SYSTEM_CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(180_000)
            page.on("request", lambda r: requested.append(r.url))
            page.route("**/*", guard)
            for name, ((old, new), shown) in CHANGES.items():
                page.goto(server.url(f"lab/tree/{name}"), wait_until="domcontentloaded")
                page.locator(f"{NOTEBOOK} .jp-CodeCell").first.wait_for()
                _accept_kernel(page)
                _run_all(page)
                assert _errors(page) == [], f"{name}: {_errors(page)}"
                cells = page.locator(f"{NOTEBOOK} .jp-CodeCell").count()
                assert (
                    cells == len(page.evaluate(PROMPTS))
                    and page.locator(f"{NOTEBOOK} .jp-OutputArea-output img").count() >= 1
                )

                parameters = _parameters(name)
                assert old in parameters, name
                _set_parameters(page, parameters.replace(old, new))
                _run_all(page)
                assert _errors(page) == [], f"{name} with {new}: {_errors(page)}"
                assert shown in page.locator(NOTEBOOK).inner_text(), f"{name}: {shown} not shown after {new}"

                # A bad parameter: the Vietnamese message only, no traceback through the package.
                _set_parameters(page, parameters.replace('agency: str = "ban-dan-toc"', 'agency: str = "khong-co"'))
                _run_all(page)
                page.locator(f"{NOTEBOOK} {STDERR}", has_text="khong-co").wait_for(timeout=60_000)
                errors = _errors(page)
                assert len(errors) == 1, errors
                lines = errors[0].strip().splitlines()
                assert lines[0].startswith('Không tìm thấy cơ quan "khong-co"') and len(lines) == 1, lines
                assert "Traceback" not in errors[0] and "cchc_analysis/" not in errors[0]

                page.keyboard.press("Control+s")  # what autosave would write: outputs and edited parameters
                page.wait_for_timeout(1500)
            assert "Would you like to get notified" not in page.locator("body").inner_text()
        finally:
            browser.close()

    assert requested, "the browser made no request at all: the test saw nothing"
    assert outside == [], f"requests that left localhost: {sorted(set(outside))}"
    saved = json.loads((server.work / "01_score_review.ipynb").read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in saved["cells"] if c["cell_type"] == "code"), "Lab saved the working copy"
    assert _digests() == digests_before, "a committed notebook changed"
    assert _git_status() == status_before, "JupyterLab changed what git sees"
