"""`cchc report` end to end: papermill, offline HTML, A4 PDF and manifest, checked with the real tools."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import DATA
from conftest_render import browse_offline, needs_chromium, needs_poppler

from cchc_analysis import cli


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    assert cli.main(["report", "2023-Q2", "--out", str(out)]) == 0
    return out / "2023-Q2" / "ban-dan-toc"


def test_outputs_and_manifest(report):
    assert (report / "executed" / "03_briefing.ipynb").is_file()
    assert (report / "executed" / "01_score_review.ipynb").is_file()
    assert (report / "executed" / "02_plan_progress.ipynb").is_file()
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == "2023-Q2" and manifest["agency_id"] == "ban-dan-toc"
    assert manifest["period_label"] == "Quý II/2023"
    assert set(manifest["inputs"]) >= {"data/results/scores.csv", "data/plan/tasks.csv", "data/framework/2022.csv"}
    assert all(len(digest) == 64 for digest in manifest["inputs"].values())
    assert manifest["versions"]["papermill"] and manifest["versions"]["pandas"]
    review, progress, step = manifest["notebooks"]
    assert progress["parameters"] == {
        "period": "2023-Q2",
        "as_of": "",
        "agency": "ban-dan-toc",
        "data_dir": str(DATA.resolve()),
    }
    assert review["notebook"] == "01_score_review"
    assert review["parameters"] == {"agency": "ban-dan-toc", "year": 2022, "data_dir": str(DATA.resolve())}
    assert review["status"] == {"notebook": "ok", "html": "ok"}
    assert step["notebook"] == "03_briefing"
    assert step["parameters"] == {
        "period": "2023-Q2",
        "agency": "ban-dan-toc",
        "as_of": "",
        "data_dir": str(DATA.resolve()),
    }
    assert step["status"] == {"notebook": "ok", "html": "ok", "pdf": "ok"}
    assert set(step["seconds"]) == {"notebook", "html", "pdf"}
    assert sorted(p.name for p in report.iterdir()) == [
        "01_score_review.html",
        "02_plan_progress.html",
        "03_briefing.html",
        "03_briefing.pdf",
        "executed",
        "manifest.json",
    ]


@needs_chromium
def test_briefing_html_in_a_real_browser(report, tmp_path):
    page = browse_offline(report / "03_briefing.html", tmp_path / "briefing.png")
    assert page.attempted == []
    assert page.title == "Báo cáo lãnh đạo về Chỉ số CCHC – Quý II/2023 – Ban Dân tộc tỉnh Quảng Ngãi"
    for expected in (
        "Ban Dân tộc tỉnh Quảng Ngãi",
        "Quý II/2023",
        "82,91/100",
        "cao hơn so với năm 2021 là 4,18† điểm",
        "13/20",
        "11,5/12,5",
        "8,5/11",
        "19/20",
        "7.2.1",
        "2.1.1.1",
        "trên 85/100 điểm",
        "trong tốp 10/20",
        "minh hoạ",
        "chính thức",
        "Dự báo 2023",
        "88,09/100",
        "Nhiệm vụ không cần xử lý thêm (Quý II/2023)",
        "Văn phòng Ban",
        "Thanh tra Ban",
        "Cảnh báo",
        "Kiến nghị",
        "Đơn vị",
        "T7-05",
    ):
        assert expected in page.text, expected
    assert "briefing.context" not in page.text and "import" not in page.text  # no code shown
    assert page.overflow <= 1
    assert page.screenshot.stat().st_size > 10_000


@needs_poppler
def test_briefing_pdf_is_a4_with_vietnamese_text(report):
    pdf = report / "03_briefing.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "Ban Dân tộc tỉnh Quảng Ngãi",
        "Các tiêu chí thành phần bị trừ điểm",
        "82,91/100",
        "Kiến nghị",
        "Cảnh báo",
    ):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["report", "2023-Q2", "--agency", "Sở Không Có"], "co-quan-19"),
        (["report", "2023-Q5"], "2023-Q2"),
    ],
)
def test_bad_parameters_fail_before_any_kernel_with_exit_2(argv, expected, tmp_path, capsys):
    assert cli.main([*argv, "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert expected in error and "Traceback" not in error
    assert list(tmp_path.iterdir()) == []


def test_bad_data_fails_with_exit_2_and_names_the_file(tmp_path, capsys):
    import shutil

    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "data" / "agencies.csv").write_text("", encoding="utf-8")
    assert cli.main(["report", "2023-Q2", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 2
    assert "data/agencies.csv" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
