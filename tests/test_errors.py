"""The error vocabulary: problem codes and report reasons are registries with one meaning each, every member is
used and nothing outside them is; problems locate a file, row and column, or a workbook's sheet and cell."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cchc_analysis.errors import CchcDataError, CchcReportError, Problem, ProblemCode, ReportReason

PACKAGE = Path(__file__).resolve().parents[1] / "cchc_analysis"


def _members_referenced(enum_name: str) -> set[str]:
    """Every ``<enum_name>.MEMBER`` the package's source names."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == enum_name:
                found.add(node.attr)
    return found


def _string_codes() -> list[str]:
    """String literals passed where a problem code or a report reason goes (they must be members instead)."""
    calls = {"Problem", "_problem", "problem", "OutOfRange", "_Unreadable", "CchcReportError"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if name not in calls:
                continue
            candidates = [k.value for k in node.keywords if k.arg in ("code", "reason")]
            if name != "CchcReportError" and node.args:
                candidates.append(node.args[-1])
            found += [
                f"{path.relative_to(PACKAGE)}:{node.lineno}: {c.value!r}"
                for c in candidates
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and "_" in c.value and " " not in c.value
            ]
    return found


@pytest.mark.parametrize("enum", [ProblemCode, ReportReason], ids=lambda e: e.__name__)
def test_every_member_is_used_and_every_use_is_a_member(enum):
    referenced = _members_referenced(enum.__name__)
    members = {member.name for member in enum}
    assert referenced - members == set(), "names that are not members"
    assert members - referenced == set(), "members the package never uses: remove them or use them"


def test_codes_are_never_plain_strings_in_the_package():
    assert _string_codes() == []


def test_values_are_stable_snake_case_and_unique():
    for enum in (ProblemCode, ReportReason):
        values = [member.value for member in enum]
        assert len(values) == len(set(values))
        assert all(value == member.name.lower() for value, member in zip(values, enum))
    # Codes that docs/hardening.md, the README and scripts rely on keep their spelling.
    assert {"unknown_code", "above_maximum", "sum_mismatch", "not_a_number", "missing_sheet", "formula"} <= set(
        ProblemCode
    )
    # One meaning each: the synonyms the workbook used to have are gone.
    assert "out_of_range" not in set(ProblemCode) and "bad_status" not in set(ProblemCode)


def test_a_problem_refuses_a_code_outside_the_registry():
    with pytest.raises(ValueError):
        Problem("data/units.csv", 2, "name", None, "cần một tên", "out_of_range")
    assert Problem("data/units.csv", 2, "name", None, "cần một tên", "missing_value").code is ProblemCode.MISSING_VALUE


def test_a_problem_locates_a_file_row_and_column():
    problem = Problem(
        "data/results/scores.csv",
        5,
        "appraised_points",
        "1,75",
        "điểm vượt quá điểm tối đa 1,5 của tiêu chí 7.2.1",
        ProblemCode.ABOVE_MAXIMUM,
    )
    assert str(problem) == (
        'data/results/scores.csv, dòng 5, cột "appraised_points": giá trị "1,75" không hợp lệ; '
        "điểm vượt quá điểm tối đa 1,5 của tiêu chí 7.2.1 [above_maximum]"
    )


def test_a_problem_locates_a_sheet_and_cell():
    cell = Problem(
        "q3.xlsx",
        5,
        None,
        "150",
        "cần một số không lớn hơn 100",
        ProblemCode.ABOVE_MAXIMUM,
        sheet="Thanh tra Ban",
        cell="H5",
    )
    assert str(cell) == (
        'q3.xlsx, ô Thanh tra Ban!H5: giá trị "150" không hợp lệ; cần một số không lớn hơn 100 [above_maximum]'
    )
    sheet = Problem("q3.xlsx", None, None, None, "thiếu trang tính", ProblemCode.MISSING_SHEET, sheet="Văn phòng Ban")
    assert str(sheet) == 'q3.xlsx, trang "Văn phòng Ban": thiếu trang tính [missing_sheet]'
    assert CchcDataError([cell, sheet]).codes == ["above_maximum", "missing_sheet"]


def test_a_report_error_declares_its_fields_and_needs_a_reason():
    error = CchcReportError("Notebook lỗi", reason="cell_error", cell_index=4, failed_notebook=Path("a.failed.ipynb"))
    assert error.reason is ReportReason.CELL_ERROR and error.cell_index == 4
    assert error.stderr_tail is None and error.returncode is None and not error.chromium_missing
    assert CchcReportError("Thiếu Chromium", reason=ReportReason.CHROMIUM_MISSING).chromium_missing
    with pytest.raises(TypeError):
        CchcReportError("không rõ lý do")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        CchcReportError("lý do lạ", reason="out_of_paper")  # type: ignore[arg-type]
    assert set(vars(error)) == {  # every field declared in __init__, nothing set later
        "reason",
        "notebook",
        "cell_index",
        "exec_count",
        "ename",
        "evalue",
        "failed_notebook",
        "returncode",
        "stderr_tail",
    }
