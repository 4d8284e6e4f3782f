"""Faults during `cchc report`: every one ends with a clear message, the right exit code, earlier reports
intact and no kernel or Chromium process left running. See docs/hardening.md, "Faults and load"."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_report_batch import subset_data

from cchc_analysis import cli, report

FIXTURES = Path(__file__).parent / "notebooks"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
IN_CI = os.environ.get("CI") == "true"
needs_mount = pytest.mark.skipif(not IS_ROOT and not IN_CI, reason="mounting a read-only or tiny folder needs root")


def _tagged(tag: str) -> set[int]:
    """Processes that carry CCHC_TEST_TAG=tag in their environment: the kernels and Chromium a run started
    (they inherit it), whatever else runs on the machine at the same time."""
    marker = f"CCHC_TEST_TAG={tag}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.add(int(entry.name))
            except OSError:
                pass
    return found


def _leftovers(tag: str) -> set[int]:
    """Tagged processes still running after a short grace period (zombies excluded)."""
    for _ in range(50):
        alive = {pid for pid in _tagged(tag) if _state(pid) not in ("Z", "X", None)}
        if not alive:
            return set()
        time.sleep(0.1)
    return alive


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


@pytest.fixture
def tag(monkeypatch, request) -> str:
    value = f"{request.node.name}-{os.getpid()}-{time.monotonic_ns()}"
    monkeypatch.setenv("CCHC_TEST_TAG", value)
    return value


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != report.LOCK_NAME
    }


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    return subset_data(tmp_path_factory.mktemp("faults") / "data")


@pytest.fixture
def fixture_notebooks(tmp_path, monkeypatch):
    """Run fixture notebooks through the real batch instead of the project's notebooks."""
    folder = tmp_path / "notebooks"
    folder.mkdir()

    def use(*names: str) -> None:
        for name in names:
            source = FIXTURES / f"{name}.ipynb"
            shutil.copy(source if source.exists() else report.NOTEBOOKS_DIR / f"{name}.ipynb", folder)
        monkeypatch.setattr(report, "NOTEBOOKS_DIR", folder)
        monkeypatch.setattr(report, "NOTEBOOKS", names)

    return use


def test_chromium_missing_still_writes_html_and_says_how_to_install(small_data, tmp_path, monkeypatch, capsys, tag):
    monkeypatch.setenv("CCHC_CHROMIUM", str(tmp_path / "no-chromium-here"))
    out = tmp_path / "reports"
    code = cli.main(["report", "2023-Q2", "--data", str(small_data), "--out", str(out), "--notebook", "03_briefing"])
    assert code == report.EXIT_PDF_MISSING == 3
    err = capsys.readouterr().err
    assert "apt-get install -y chromium" in err and "thiếu 1 tệp PDF" in err
    folder = out / "2023-Q2" / "ban-dan-toc"
    assert (folder / "03_briefing.html").is_file() and not (folder / "03_briefing.pdf").exists()
    assert _leftovers(tag) == set()


def test_a_kernel_that_dies_is_reported_and_nothing_is_left(small_data, tmp_path, fixture_notebooks, capsys, tag):
    fixture_notebooks("kernel_dies", "03_briefing")
    out = tmp_path / "reports"
    code = cli.main(["report", "2023-Q2", "--data", str(small_data), "--out", str(out), "--no-pdf"])
    assert code == 1
    err = capsys.readouterr().err
    assert "ban-dan-toc/kernel_dies" in err and "Traceback" not in err
    assert "kernel" in err.lower() or "DeadKernelError" in err
    assert (out / "2023-Q2" / "ban-dan-toc" / "03_briefing.html").is_file()  # the other notebook still ran
    assert not (out / "2023-Q2" / "ban-dan-toc" / "executed" / "kernel_dies.ipynb").exists()
    assert _leftovers(tag) == set()


def test_a_notebook_over_the_time_limit_is_stopped(small_data, tmp_path, fixture_notebooks, capsys, tag):
    fixture_notebooks("sleeps_too_long")
    out = tmp_path / "reports"
    started = time.monotonic()
    code = cli.main(["report", "2023-Q2", "--data", str(small_data), "--out", str(out), "--no-pdf", "--timeout", "3"])
    assert code == 1
    assert time.monotonic() - started < 50  # stopped, not waited out (the cell sleeps 60 s)
    err = capsys.readouterr().err
    assert "chạy quá 3 giây" in err and "sleeps_too_long" in err
    failed = out / "2023-Q2" / "ban-dan-toc" / "executed" / "sleeps_too_long.failed.ipynb"
    assert failed.is_file() and str(failed) in err
    assert _leftovers(tag) == set()


@needs_mount
def test_read_only_output_folder(small_data, tmp_path, capsys):
    target, source = tmp_path / "readonly", tmp_path / "source"
    target.mkdir(), source.mkdir()
    subprocess.run(["mount", "--bind", str(source), str(target)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
        code = cli.main(["report", "2023-Q2", "--data", str(small_data), "--out", str(target), "--no-pdf"])
    finally:
        subprocess.run(["umount", str(target)], check=True)
    assert code == 1
    err = capsys.readouterr().err
    assert "Không ghi được vào" in err and "Read-only file system" in err and "Traceback" not in err


@needs_mount
def test_full_output_folder_keeps_earlier_reports(small_data, tmp_path, capsys, tag):
    target = tmp_path / "tiny"
    target.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(target)], check=True)
    briefing_only = ["report", "2023-Q2", "--data", str(small_data), "--out", str(target), "--no-pdf"]
    briefing_only += ["--notebook", "03_briefing"]
    try:
        # A first, good run fits; a second run of every notebook for the same agency does not.
        assert cli.main(briefing_only) == 0
        good = _hashes(target)
        filler = target / "filler"
        free = shutil.disk_usage(target).free
        filler.write_bytes(b"\0" * max(0, free - 64 * 1024))
        code = cli.main(briefing_only)
        after = {k: v for k, v in _hashes(target).items() if k != "filler"}
        leftovers = _leftovers(tag)
        stray = [p.name for p in target.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]
    finally:
        subprocess.run(["umount", str(target)], check=True)
    assert code == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    for name in ("2023-Q2/ban-dan-toc/03_briefing.html", "2023-Q2/ban-dan-toc/executed/03_briefing.ipynb"):
        assert after[name] == good[name], name  # the good earlier report was not replaced by a broken one
    assert stray == [] and leftovers == set()


def _default_sigint() -> None:
    """In the child before exec: SIGINT back to its default. A suite started from a shell that ignores SIGINT
    (a background job) would otherwise pass the ignored signal on, and Ctrl-C could not be tested."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _spawn(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)


def _start_report(args: list[str]) -> subprocess.Popen:
    return _spawn([sys.executable, "-m", "cchc_analysis.cli", "report", *args])


def test_children_get_sigint_at_its_default_even_when_the_suite_ignores_it() -> None:
    # Hardening v2, item 20: the Ctrl-C test must check the product, not how the suite was started.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child = _spawn(["sh", "-c", "grep ^SigIgn: /proc/self/status"])
        out, _ = child.communicate(timeout=30)
    finally:
        signal.signal(signal.SIGINT, previous)
    ignored = int(out.split()[1], 16)
    assert not ignored & (1 << (signal.SIGINT - 1)), out


def test_two_runs_on_one_folder_one_refuses_nothing_corrupted(small_data, tmp_path):
    out = tmp_path / "reports"
    args = ["2023-Q2", "--data", str(small_data), "--out", str(out), "--no-pdf", "--notebook", "03_briefing"]
    first = _start_report(args)
    lock = out / report.LOCK_NAME
    for _ in range(300):
        if lock.exists() and lock.read_text(encoding="utf-8").startswith("pid"):
            break
        time.sleep(0.05)
    second = _start_report(args)
    _, second_err = second.communicate(timeout=120)
    _, first_err = first.communicate(timeout=300)
    assert second.returncode == 1 and "đang ghi vào" in second_err and f"pid {first.pid}" in second_err
    assert first.returncode == 0, first_err
    html = (out / "2023-Q2" / "ban-dan-toc" / "03_briefing.html").read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")


def test_ctrl_c_stops_the_batch_kills_kernels_and_keeps_earlier_reports(small_data, tmp_path, tag):
    out = tmp_path / "reports"
    args = [
        "2023-Q2",
        "--all-agencies",
        "--data",
        str(small_data),
        "--out",
        str(out),
        "--no-pdf",
        "--jobs",
        "2",
        "--notebook",
        "01_score_review",
        "--notebook",
        "03_briefing",
    ]
    assert (
        subprocess.run([sys.executable, "-m", "cchc_analysis.cli", "report", *args], capture_output=True).returncode
        == 0
    )
    earlier = _hashes(out)
    run = _start_report(args)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_tagged(tag)) < 3:  # the run itself and its kernels
        time.sleep(0.1)
    time.sleep(1.0)  # kernels are running cells now
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert "Đã dừng" in err and "Traceback" not in err
    assert _leftovers(tag) == set()
    now = _hashes(out)
    for name in earlier:
        # Each earlier file is either untouched or replaced whole by a complete new version; none is missing.
        assert name in now, name
        if name.endswith(".html"):
            assert (out / name).read_text(encoding="utf-8").rstrip().endswith("</html>"), name
    assert not [p for p in out.rglob("*.tmp")]
