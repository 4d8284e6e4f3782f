"""`cchc report` owns its output folder safely: the lock and the output paths never follow a link, the lock is
removed at the end of a run, and a killed run's temporaries are cleaned by the next one. Hardening v2, items 1
and 16; docs/hardening.md ("Faults and load") names each test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_report_batch import subset_data

from cchc_analysis import cli, report
from cchc_analysis.domain import periods
from cchc_analysis.errors import CchcParameterError


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    return subset_data(tmp_path_factory.mktemp("output") / "data")


def _run(data: Path, out: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(
        ["report", "2023-Q2", "--data", str(data), "--out", str(out), "--no-pdf", "--notebook", "01_score_review"]
    )
    return code, capsys.readouterr().err


def test_a_symlinked_lock_is_refused_and_its_target_untouched(small_data, tmp_path, capsys) -> None:
    # `ln -s ~/important.txt out/.cchc-report.lock` used to leave important.txt holding "pid …, bắt đầu …".
    important = tmp_path / "important.txt"
    important.write_text("dữ liệu quan trọng\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / report.LOCK_NAME).symlink_to(important)
    code, err = _run(small_data, out, capsys)
    assert code == 2, err
    assert f"Lỗi: {out / report.LOCK_NAME} là một liên kết (symlink), không phải tệp khoá" in err
    assert important.read_text(encoding="utf-8") == "dữ liệu quan trọng\n"
    assert not (out / "2023-Q2").exists()  # refused before anything ran


def test_a_hard_linked_lock_is_refused_and_never_truncated(tmp_path) -> None:
    important = tmp_path / "important.txt"
    important.write_text("dữ liệu quan trọng\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.link(important, out / report.LOCK_NAME)
    with pytest.raises(CchcParameterError, match="liên kết cứng tới tệp khác"), report.exclusive(out):
        pass
    assert important.read_text(encoding="utf-8") == "dữ liệu quan trọng\n"


def test_a_symlinked_output_folder_is_refused(tmp_path) -> None:
    # An executed/ symlink sent the executed notebooks outside the output folder.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    agency = out / "2023-Q2" / "ban-dan-toc"
    agency.mkdir(parents=True)
    (agency / "executed").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(CchcParameterError, match=r"executed là một liên kết \(symlink\)"):
        report.safe_output_dir(out, periods.parse("2023-Q2"), "ban-dan-toc")
    shutil.rmtree(out / "2023-Q2")
    (out / "2023-Q2").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(CchcParameterError, match=r"2023-Q2 là một liên kết \(symlink\)"):
        report.safe_output_dir(out, periods.parse("2023-Q2"), "ban-dan-toc")
    assert list(elsewhere.iterdir()) == []


def test_the_lock_is_removed_at_the_end_and_a_stale_lock_is_taken_over(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / report.LOCK_NAME).write_text("pid 999999, bắt đầu 01/01/2023 00:00:00", encoding="utf-8")  # a dead run's
    with report.exclusive(out):
        held = (out / report.LOCK_NAME).read_text(encoding="utf-8")
        assert held.startswith(f"pid {os.getpid()}, bắt đầu ") and "999999" not in held
    assert not (out / report.LOCK_NAME).exists()
    with pytest.raises(RuntimeError), report.exclusive(out):  # also when the run fails
        raise RuntimeError
    assert not (out / report.LOCK_NAME).exists()


def test_a_killed_runs_temporaries_are_removed_by_the_next_run(small_data, tmp_path, capsys) -> None:
    # `kill -9` in the middle of a run left executed/.NAME.<hex>.tmp.ipynb behind for ever.
    out = tmp_path / "out"
    folder = out / "2023-Q2" / "ban-dan-toc"
    (folder / "executed").mkdir(parents=True)
    stale = [
        folder / "executed" / ".01_score_review.0123456789ab.tmp.ipynb",
        folder / ".01_score_review.fedcba987654.tmp.html",
        folder / ".manifest.00aa11bb22cc.tmp.json",
    ]
    kept = [folder / "notes.txt", folder / ".hidden-by-the-user", folder / "executed" / ".x.tmp.ipynb"]
    for path in stale + kept:
        path.write_text("{", encoding="utf-8")
    code, err = _run(small_data, out, capsys)
    assert code == 0, err
    assert "Đã xoá 3 tệp tạm còn sót lại từ một lần chạy bị dừng giữa chừng." in err
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in kept)  # only the toolkit's own temporaries
    assert (folder / "01_score_review.html").is_file()
    assert not (out / report.LOCK_NAME).exists()


def _job(agency: str, name: str, **status: str) -> report.Job:
    job = report.Job(agency, name, Path("/nonexistent") / agency, {}, "t")
    job.status.update(status)
    return job


@pytest.mark.parametrize(
    ("jobs", "code"),
    [
        ([_job("a", "03_briefing", notebook="ok", html="ok", pdf="ok")], 0),
        ([_job("a", "03_briefing", notebook="ok", html="ok", pdf="failed")], report.EXIT_PDF_MISSING),
        # One agency's notebook fails and another's PDF fails: something besides PDFs is missing, so 1, not 3.
        (
            [
                _job("a", "01_score_review", notebook="failed", html="skipped"),
                _job("b", "03_briefing", notebook="ok", html="ok", pdf="failed"),
            ],
            1,
        ),
        ([_job("a", "03_briefing", notebook="ok", html="failed", pdf="skipped")], 1),
        ([_job("a", "02_plan_progress", notebook="skipped")], 0),
    ],
    ids=["all-good", "only-pdf", "notebook-and-pdf", "html", "skipped"],
)
def test_the_batch_exit_code_says_what_is_missing(jobs, code, capsys) -> None:
    assert report._summary(jobs, 1.0) == code
    err = capsys.readouterr().err
    if code == report.EXIT_PDF_MISSING:
        assert "HTML đã được tạo đầy đủ; thiếu 1 tệp PDF (mã thoát 3)." in err
    else:
        assert "mã thoát 3" not in err
