"""`cchc report --all-agencies`: parallel jobs, failure isolation, the lock, and atomic outputs."""

from __future__ import annotations

import csv
import json
import shutil
import threading
from pathlib import Path

import pytest
from conftest import DATA

from cchc_analysis import cli, report
from cchc_analysis.errors import CchcReportError

AGENCIES = ("ban-dan-toc", "co-quan-01", "co-quan-05")


def subset_data(target: Path, agencies: tuple[str, ...] = AGENCIES) -> Path:
    """A copy of data/ that keeps only ``agencies`` (every table with an agency_id column is filtered)."""
    shutil.copytree(DATA, target)
    for path in target.rglob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if "agency_id" not in rows[0]:
            continue
        column = rows[0].index("agency_id")
        kept = [rows[0]] + [row for row in rows[1:] if row[column] in agencies]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(kept)
    return target


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    return subset_data(tmp_path_factory.mktemp("small") / "data")


def test_all_agencies_in_parallel(small_data, tmp_path, capsys):
    out = tmp_path / "reports"
    assert (
        cli.main(
            [
                "report",
                "2023-Q3",
                "--all-agencies",
                "--data",
                str(small_data),
                "--out",
                str(out),
                "--jobs",
                "2",
                "--no-pdf",
            ]
        )
        == 0
    )
    folders = sorted(p.name for p in (out / "2023-Q3").iterdir())
    assert folders == sorted(AGENCIES)
    for agency in AGENCIES:
        manifest = json.loads((out / "2023-Q3" / agency / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["agency_id"] == agency
        progress = {"notebook": "ok", "html": "ok"} if agency == "ban-dan-toc" else {"notebook": "skipped"}
        assert [step["status"] for step in manifest["notebooks"]] == [
            {"notebook": "ok", "html": "ok"},
            progress,
            {"notebook": "ok", "html": "ok", "pdf": "skipped"},
        ]
        html = (out / "2023-Q3" / agency / "03_briefing.html").read_text(encoding="utf-8")
        assert manifest["agency_name"] in html
    err = capsys.readouterr().err
    # Only ban-dan-toc has a plan: the peers' plan-progress notebooks are skipped, and the summary says so.
    assert (
        "[7/7]" in err and "7/7 notebook thành công; bỏ qua 2 notebook" in err
    )  # plain log lines when stderr is not a terminal


def test_one_failing_notebook_does_not_stop_the_others(small_data, tmp_path, monkeypatch, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(report.NOTEBOOKS_DIR / "03_briefing.ipynb", notebooks)
    shutil.copy(Path(__file__).parent / "notebooks" / "fails_for_co_quan_01.ipynb", notebooks)
    monkeypatch.setattr(report, "NOTEBOOKS_DIR", notebooks)
    monkeypatch.setattr(report, "NOTEBOOKS", ("fails_for_co_quan_01", "03_briefing"))
    out = tmp_path / "reports"
    code = cli.main(["report", "2023-Q3", "--all-agencies", "--data", str(small_data), "--out", str(out), "--no-pdf"])
    assert code == 1
    err = capsys.readouterr().err
    assert "5/6 notebook thành công" in err
    assert "co-quan-01/fails_for_co_quan_01" in err and "ZeroDivisionError" in err
    failed = out / "2023-Q3" / "co-quan-01" / "executed" / "fails_for_co_quan_01.failed.ipynb"
    assert failed.is_file() and str(failed) in err
    assert not (out / "2023-Q3" / "co-quan-01" / "executed" / "fails_for_co_quan_01.ipynb").exists()
    for agency in AGENCIES:  # the briefing of every agency, including the failing one, was still rendered
        assert (out / "2023-Q3" / agency / "03_briefing.html").is_file()
    manifest = json.loads((out / "2023-Q3" / "co-quan-01" / "manifest.json").read_text(encoding="utf-8"))
    first = manifest["notebooks"][0]
    assert first["status"] == {"notebook": "failed", "html": "skipped"}
    assert first["failed_notebook"] == str(failed)


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "reports"
    started, release = threading.Event(), threading.Event()

    def hold():
        with report.exclusive(out):
            started.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert started.wait(10)
        # flock locks belong to open file descriptions: a second open in this process conflicts like another process.
        with pytest.raises(CchcReportError, match="đang ghi vào"), report.exclusive(out):
            pass
        assert cli.main(["report", "2023-Q3", "--out", str(out), "--no-pdf"]) == 1
    finally:
        release.set()
        holder.join()
    with report.exclusive(out):  # free again once the first run ends
        pass


@pytest.mark.parametrize("agency", ["../escape", "/etc", "a/b", "CON", "con", "lpt1", "..", "", "ban-dan-toc/.."])
def test_output_paths_never_leave_the_output_folder(tmp_path, agency):
    from cchc_analysis.domain import periods
    from cchc_analysis.errors import CchcParameterError

    with pytest.raises(CchcParameterError, match="thư mục kết quả"):
        report.safe_output_dir(tmp_path, periods.parse("2023-Q2"), agency)


def test_plain_agency_id_lands_in_period_folder(tmp_path):
    from cchc_analysis.domain import periods

    assert (
        report.safe_output_dir(tmp_path, periods.parse("Quý 2/2023"), "co-quan-01")
        == (tmp_path / "2023-Q2" / "co-quan-01").resolve()
    )
