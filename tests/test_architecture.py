"""The package's layers: each module imports only from its own layer or the layers below it.

The layers, bottom to top (docs/architecture.md says what goes where):

0. base     — ``config``, ``errors``, ``files``, ``fmt``
1. ingest   — reading, parsing, contracts, checks, the dataset
2. domain   — periods, scoring, targets, plan status (pure)
3. present  — HTML fragments, charts, the review and briefing builders
4. render   — papermill, offline HTML export, PDF printing
5. top      — ``report``, ``documents``, ``workbook``, ``sample_data``, ``cli``, ``lab`` (and the package's own ``__init__``)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cchc_analysis"
LAYERS = {
    "config": 0,
    "errors": 0,
    "files": 0,
    "fmt": 0,
    "ingest": 1,
    "domain": 2,
    "present": 3,
    "render": 4,
    "report": 5,
    "documents": 5,
    "workbook": 5,
    "sample_data": 5,
    "cli": 5,
    "lab": 5,
    "__init__": 5,
}
LONG_MODULE = 400


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _layer_of(dotted: str) -> tuple[str, int]:
    parts = dotted.split(".")
    assert parts[0] == "cchc_analysis", dotted
    head = parts[1] if len(parts) > 1 else "__init__"
    assert head in LAYERS, (
        f"{dotted}: a new top-level module or folder needs a layer in LAYERS and docs/architecture.md"
    )
    return head, LAYERS[head]


def _dotted(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every cchc_analysis module a file imports, at any depth (lazy imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        _dotted(path).rsplit(".", 1)[0]
        if path.name != "__init__.py"
        else _dotted(path.parent / "x.py").rsplit(".", 1)[0]
    )
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("cchc_analysis")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("cchc_analysis"):
                continue
            if module == "cchc_analysis":  # from cchc_analysis import fmt, render: each name is a module
                found += [(node.lineno, f"cchc_analysis.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_layer_or_below(path: Path) -> None:
    name, layer = _layer_of(_dotted(path))
    upward = []
    for line, module in _imports(path):
        other, other_layer = _layer_of(module)
        if other_layer > layer:
            upward.append(f"line {line}: {module} (layer {other_layer} {other})")
    assert not upward, f"{path.relative_to(PACKAGE)} is in layer {layer} ({name}) but imports from above: {upward}"


def test_the_rule_is_not_vacuous() -> None:
    """The checker sees both absolute and relative imports and lazy ones inside functions."""
    seen = {module for path in _modules() for _, module in _imports(path)}
    assert "cchc_analysis.ingest.dataset" in seen and "cchc_analysis.render.chromium" in seen
    assert _layer_of("cchc_analysis.present.briefing")[1] > _layer_of("cchc_analysis.domain.plan")[1]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_long_without_a_reason_at_its_top(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) <= LONG_MODULE:
        return
    docstring = ast.get_docstring(ast.parse("\n".join(lines))) or ""
    assert "Why this module is long:" in docstring, (
        f"{path.relative_to(PACKAGE)} has {len(lines)} lines: split it by job, or say at its top "
        '("Why this module is long: …") why it stays one module'
    )
