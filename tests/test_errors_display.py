"""An error an analyst can read (issue 13, §4): a CchcError raised in a notebook cell shows its Vietnamese message
only, in JupyterLab and in papermill's output; every bad parameter is named at once; a bad year reads like any
other bad value; a peer agency in the plan notebook gets one explanatory line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from cchc_analysis.errors import CchcDataError, CchcError, CchcParameterError, Problem
from cchc_analysis.present.context import context

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PAPERMILL = Path(sys.executable).with_name("papermill")


def _after_papermill_header(text: str) -> list[str]:
    """The notebook's part of a papermill error: the non-empty lines after 'Exception encountered at'."""
    assert "Exception encountered at" in text, text[-2000:]
    tail = text.split("Exception encountered at", 1)[1].splitlines()[1:]
    return [line for line in tail if line.strip()]


def test_the_hook_gives_the_message_lines_only():
    problem = Problem("data/agencies.csv", 3, "name", "", "cần một giá trị", "missing_value")
    assert CchcDataError([problem, problem])._render_traceback_() == str(CchcDataError([problem, problem])).split("\n")
    assert CchcParameterError("Kỳ báo cáo sai")._render_traceback_() == ["Kỳ báo cáo sai"]
    assert issubclass(CchcParameterError, CchcError) and hasattr(CchcError, "_render_traceback_")


def test_a_bad_year_reads_like_any_other_bad_value():
    with pytest.raises(CchcParameterError) as raised:
        context(year="abc", data_dir=str(DATA))
    assert (
        str(raised.value)
        == 'Năm "abc" không hợp lệ: cần một năm có kết quả chấm điểm, ví dụ 2022; các năm có kết quả: 2021, 2022'
    )
    with pytest.raises(CchcParameterError, match="Không có kết quả chấm điểm năm 2019; các năm có kết quả: 2021, 2022"):
        context(year=2019, data_dir=str(DATA))
    assert context(year="2021", data_dir=str(DATA)).results_year == 2021  # papermill -r passes text
    assert context(year=0, data_dir=str(DATA)).results_year == 2022  # the score review's default: the latest


def test_every_bad_parameter_is_reported_at_once():
    with pytest.raises(CchcParameterError) as raised:
        context(agency="khong-co", period="2023-Q9", as_of="32/13/2023", data_dir=str(DATA))
    messages = raised.value.messages
    assert len(messages) == 3, messages
    assert messages[0].startswith('Không tìm thấy cơ quan "khong-co"')
    assert messages[1].startswith('Kỳ báo cáo "2023-Q9" không hợp lệ')
    assert messages[2].startswith('Ngày số liệu "32/13/2023" không hợp lệ')
    assert str(raised.value).splitlines()[0] == "Có 3 tham số không hợp lệ:"
    with pytest.raises(CchcParameterError) as raised:
        context(agency="khong-co", year="abc", data_dir=str(DATA))
    assert len(raised.value.messages) == 2


def test_a_peer_without_a_plan_is_refused_in_one_line_by_the_plan_notebook_only():
    with pytest.raises(CchcParameterError) as raised:
        context(agency="co-quan-01", period="2023-Q2", data_dir=str(DATA), needs_plan=True)
    assert len(str(raised.value).splitlines()) == 1
    assert "Cơ quan 01 (ẩn danh) không có kế hoạch cải thiện Chỉ số CCHC năm 2023" in str(raised.value)
    assert context(agency="co-quan-01", period="2023-Q2", data_dir=str(DATA)).agency_id == "co-quan-01"


def test_the_plan_notebook_on_a_peer_fails_with_one_line(tmp_path):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as raised:
        papermill.execute_notebook(
            str(NOTEBOOKS / "02_plan_progress.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"agency": "co-quan-01", "data_dir": str(DATA)},
            progress_bar=False,
            cwd=str(tmp_path),
        )
    assert raised.value.ename == "CchcParameterError"
    lines = _after_papermill_header(str(raised.value))
    assert len(lines) == 1 and "không có kế hoạch cải thiện" in lines[0], lines


@pytest.mark.parametrize(
    "args, expected",
    [
        (["-p", "agency", "khong-co"], ['Không tìm thấy cơ quan "khong-co"']),
        (
            ["-p", "agency", "khong-co", "-p", "year", "abc"],
            ["Có 2 tham số không hợp lệ:", '- Không tìm thấy cơ quan "khong-co"', '- Năm "abc" không hợp lệ'],
        ),
    ],
    ids=["bad-agency", "bad-agency-and-year"],
)
def test_the_papermill_cli_shows_the_vietnamese_message_in_a_few_lines(tmp_path, args, expected):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [str(PAPERMILL), str(NOTEBOOKS / "01_score_review.ipynb"), str(tmp_path / "out.ipynb"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode != 0
    lines = _after_papermill_header(run.stdout + run.stderr)
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected):
        assert line.startswith(start), (line, start)
    notebook_part = "\n".join(lines)
    assert "Traceback" not in notebook_part and "File " not in notebook_part and "cchc_analysis/" not in notebook_part
