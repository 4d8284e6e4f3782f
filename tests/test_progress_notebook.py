"""Notebook 02 runs for every period of 2023 on the embedded data and shows the figures leadership asks for."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from cchc_analysis.present import progress_review
from cchc_analysis.render import execute_notebook

NOTEBOOK = ROOT / "notebooks" / "02_plan_progress.ipynb"
PERIODS = ("2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2023-H1", "2023")
SEVEN = ("1.2.2", "1.5.1", "2.1.1.1", "3.1.2", "3.1.3", "7.2.1", "7.2.2")


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, dict[str, str]]:
    """{period: {cell id: every output of the cell as text}} of one papermill run per period, in this process."""
    folder = tmp_path_factory.mktemp("notebook02")
    runs = {}
    for period in PERIODS:
        out = execute_notebook(
            NOTEBOOK,
            folder / f"02_{period}.ipynb",
            {"period": period, "as_of": "", "agency": "ban-dan-toc", "data_dir": str(DATA)},
            timeout=120,
        )
        cells = json.loads(Path(out).read_text(encoding="utf-8"))["cells"]
        runs[period] = {
            cell.get("id", ""): "\n".join(
                "".join(output.get("data", {}).get("text/html", ""))
                + ("image/png" if "image/png" in output.get("data", {}) else "")
                for output in cell.get("outputs", [])
            )
            for cell in cells
            if cell["cell_type"] == "code"
        }
    return runs


@pytest.mark.parametrize("period", PERIODS)
def test_status_by_unit_and_field_with_charts(executed, period):
    cells = executed[period]
    for unit in ("Văn phòng Ban", "Thanh tra Ban", "Các phòng thuộc Ban"):
        assert f'<td class="text">{unit}</td>' in cells["unit-table"]
    assert '<td class="text">7. ' in cells["field-table"]
    for chart in ("unit-chart", "field-chart", "timeline-chart"):
        assert "image/png" in cells[chart]


@pytest.mark.parametrize("period", PERIODS)
def test_points_at_stake_table_shows_the_seven_sub_criteria(executed, period):
    stake = executed[period]["stake-table"]
    for code in SEVEN:
        assert f'<td class="text">{code}</td>' in stake
    assert '<td class="text">T7-05</td>' in stake and '<td class="text">Thanh tra Ban</td>' in stake


@pytest.mark.parametrize(
    "period, entries",
    [
        (
            "2023-Q1",
            [("7.2.1", "Tiêu chí bị trừ điểm chưa có nhiệm vụ đúng tiến độ"), ("T1-05", "Nhiệm vụ có nguy cơ")],
        ),
        ("2023-Q2", [("T7-05", "Nhiệm vụ quá hạn"), ("T3-08", "Nhiệm vụ có nguy cơ")]),
        ("2023-Q3", [("T5-04", "Thiếu cập nhật"), ("T1-01", "Đến hạn trong kỳ tới")]),
        ("2023-Q4", [("T6-02", "Thiếu cập nhật")]),
        ("2023-H1", [("7.2.2", "Tiêu chí bị trừ điểm"), ("T3-06", "Đến hạn trong kỳ tới")]),
        ("2023", [("T5-04", "Thiếu cập nhật"), ("T6-02", "Thiếu cập nhật")]),
    ],
)
def test_alert_list_entries(executed, period, entries):
    alerts = executed[period]["alert-table"]
    rows = alerts.split("<tr>")
    for subject, kind in entries:
        assert any(kind in row and f'<td class="text">{subject}</td>' in row for row in rows), (subject, kind)


def test_narrative_is_built_from_the_figures(executed):
    assert (
        "Đến ngày 30/09/2023, kế hoạch năm 2023 có <strong>44</strong> nhiệm vụ: 38 hoàn thành"
        in executed["2023-Q3"]["headline"]
    )
    assert "Còn <strong>1</strong> cập nhật tiến độ chưa được gửi." in executed["2023-Q3"]["headline"]
    assert "7.2.1, 7.2.2" in executed["2023-Q2"]["headline"]
    assert "Mọi tiêu chí thành phần bị trừ điểm năm trước" in executed["2023-Q4"]["headline"]
    changes = re.sub(r'<sup class="cchc-mark[^>]*>(.)</sup>', r"\1", executed["2023-Q3"]["changes-table"])
    assert "So với Quý II/2023, có 3* nhiệm vụ đổi trạng thái" in changes
    for wrong in ("tốt lên", "xấu đi", "Điểm cần lấy lại", "Hạn gần nhất chưa xong", "số liệu đã công bố"):
        assert all(wrong not in text for text in executed["2023-Q3"].values()), wrong


def test_text_from_data_is_escaped():
    ctx = progress_review.context(period="2023-Q3", data_dir=str(DATA))
    rv = progress_review.review(ctx)
    rv.stake.loc[0, "name"] = "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in progress_review.stake_table(rv) and "<b>x</b>" not in progress_review.stake_table(
        rv
    )
