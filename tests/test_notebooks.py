"""Conventions every committed notebook follows: no outputs, thin cells, a typed parameters cell."""

from __future__ import annotations

import ast
import json
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
