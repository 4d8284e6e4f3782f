"""Conventions every committed notebook follows: no outputs, thin cells, a typed parameters cell."""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_def_or_class_in_notebooks(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        defined = [
            node
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        ]
        assert not defined, f"{path.name}: move this into cchc_analysis: {''.join(cell['source'])[:80]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_holds_typed_commented_literals(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    source = "".join(cells[0]["source"])
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), f"only annotated assignments: {ast.unparse(node)}"
        assert isinstance(node.value, ast.Constant), f"only literals: {ast.unparse(node)}"
        assert "#" in lines[node.lineno - 1], f"comment the parameter: {lines[node.lineno - 1]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_documents_every_parameter(path):
    """What `papermill --help-notebook` shows: each parameter with its type and help text."""
    import papermill

    source = "".join(
        next(
            c
            for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if "parameters" in c.get("metadata", {}).get("tags", [])
        )["source"]
    )
    declared = [node.target.id for node in ast.parse(source).body]
    inferred = papermill.inspect_notebook(str(path))
    assert list(inferred) == declared
    for name, info in inferred.items():
        assert info["inferred_type_name"] not in ("None", ""), name
        assert info["help"], name


def _declared(path: Path) -> dict[str, dict]:
    """The parameters papermill reads from a notebook (``papermill --help-notebook``): name → default, type, help."""
    import papermill

    return papermill.inspect_notebook(str(path))


def test_the_period_help_lists_every_kind_of_period():
    """Wherever a notebook takes a period, its help names every form the package accepts: the four quarters, the two
    halves and the year, each one that ``periods.parse`` reads."""
    from cchc_analysis.domain import periods

    with_period = {path.name: _declared(path)["period"]["help"] for path in NOTEBOOKS if "period" in _declared(path)}
    assert set(with_period) == {"02_plan_progress.ipynb", "03_briefing.ipynb"}
    for name, text in with_period.items():
        forms = re.findall(r"(?<![\w-])\d{4}(?:-[QH]\d)?(?![\w-])", text)
        parsed = [periods.parse(form) for form in forms]
        quarters = sorted(p.index for p in parsed if p.kind == "quarter")
        halves = sorted(p.index for p in parsed if p.kind == "half")
        assert quarters == [1, 2, 3, 4] and halves == [1, 2] and any(p.kind == "year" for p in parsed), (name, text)
        assert "để trống là kỳ mới nhất có số liệu" in text, name


def test_the_plan_and_briefing_notebooks_agree_on_their_defaults():
    """02 and 03 open on the same period — the latest with progress data, as ``context(period="")`` picks it — and
    a parameter two notebooks share has one default and one help text (``year`` reads differently in the score
    review and the what-if, but 0 means the latest year with results in both)."""
    from cchc_analysis.present.context import context

    declared = {path.name: _declared(path) for path in NOTEBOOKS}
    plan, briefing = declared["02_plan_progress.ipynb"], declared["03_briefing.ipynb"]
    assert plan["period"]["default"] == briefing["period"]["default"] == '""'
    assert plan["as_of"]["default"] == briefing["as_of"]["default"] == '""'
    shared: dict[str, list[dict]] = {}
    for parameters in declared.values():
        for name, info in parameters.items():
            shared.setdefault(name, []).append(info)
    for name, infos in shared.items():
        assert len({info["default"] for info in infos}) == 1, (name, [info["default"] for info in infos])
        if name == "year":
            assert all("0 là năm mới nhất có kết quả" in info["help"] for info in infos)
        else:
            assert len({info["help"] for info in infos}) == 1, (name, [info["help"] for info in infos])
    # the empty default is the latest period in data/progress/progress.csv (read by hand): the fourth quarter
    with (ROOT / "data/progress/progress.csv").open(encoding="utf-8") as handle:
        latest = max(row["period"] for row in csv.DictReader(handle))
    assert latest == "2023-Q4"
    assert context(period="").period.label == context(period=latest).period.label
