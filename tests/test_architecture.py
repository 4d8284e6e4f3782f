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


def _package_of(path: Path) -> str:
    """The dotted package a file's relative imports start from."""
    return _dotted(path.parent / "x.py").rsplit(".", 1)[0]


def _from_module(package: str, node: ast.ImportFrom) -> str:
    """The absolute module of ``from … import``, a relative one resolved against ``package``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every cchc_analysis module a file imports, at any depth (lazy imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("cchc_analysis")]
        elif isinstance(node, ast.ImportFrom):
            module = _from_module(package, node)
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


# -- the public API of each module: __all__ ------------------------------------------------------------------------


def _declares_names(path: Path) -> bool:
    """A module is public unless its name starts with ``_``; a package's ``__init__`` is when it defines or imports
    names (``charts/__init__.py`` holds the palette; ``domain/__init__.py`` only a docstring)."""
    if not path.name.startswith("_"):
        return True
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(
        not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
        for node in body
    )


def _public_modules() -> list[Path]:
    return [path for path in _modules() if _declares_names(path)]


def _module_all(dotted: str) -> list[str]:
    import importlib

    return list(importlib.import_module(dotted).__all__)


def _from_imports(path: Path) -> list[tuple[int, str, str]]:
    """Every ``from cchc_analysis.x import y`` in a file as (line, module, name); relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = _from_module(package, node)
        if module.startswith("cchc_analysis"):
            found += [(node.lineno, module, alias.name) for alias in node.names]
    return found


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (PACKAGE / relative.with_suffix(".py")).is_file() or (PACKAGE / relative / "__init__.py").is_file()


def test_every_public_module_lists_its_api_in_all() -> None:
    missing = []
    for path in _public_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = any(
            isinstance(target, ast.Name) and target.id == "__all__"
            for node in tree.body
            for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)])
        )
        if not declared:
            missing.append(str(path.relative_to(PACKAGE)))
    assert not missing, f"public modules without __all__ (list the names other modules and users should use): {missing}"
    # not vacuous: the base modules and a module whose helpers are all private are among them
    names = {str(p.relative_to(PACKAGE)) for p in _public_modules()}
    assert {"errors.py", "fmt.py", "render/common.py", "present/charts/__init__.py"} <= names
    assert "domain/__init__.py" not in names


def test_every_name_in_all_exists() -> None:
    absent = []
    for path in _public_modules():
        dotted = _dotted(path).removesuffix(".__init__")
        import importlib

        module = importlib.import_module(dotted)
        absent += [f"{dotted}.{name}" for name in module.__all__ if not hasattr(module, name)]
        assert len(set(module.__all__)) == len(module.__all__), f"{dotted}.__all__ lists a name twice"
    assert not absent, f"__all__ lists names the module does not have: {absent}"


def test_a_name_imported_from_another_module_is_in_its_all_or_private() -> None:
    """``from cchc_analysis.x import y`` inside the package: ``y`` is in x's ``__all__``, a submodule of x, or
    deliberately private (a leading underscore)."""
    unlisted = []
    seen = 0
    for path in _modules():
        for line, module, name in _from_imports(path):
            if name.startswith("_") or _is_module(f"{module}.{name}"):
                continue
            seen += 1
            if name not in _module_all(module):
                unlisted.append(f"{path.relative_to(PACKAGE)}:{line}: {name} from {module}")
    assert not unlisted, f"names imported across modules but missing from the source module's __all__: {unlisted}"
    assert seen > 200  # the package imports hundreds of names across its modules


def test_no_public_function_takes_a_private_parameter() -> None:
    """A parameter whose name starts with ``_`` is an internal shortcut: it belongs on a private helper, not in the
    signature an analyst reads (``help(cchc.ranking)``)."""
    import importlib
    import inspect

    private = []
    checked = 0
    for path in _public_modules():
        module = importlib.import_module(_dotted(path).removesuffix(".__init__"))
        for name in module.__all__:
            value = getattr(module, name)
            callables = [(name, value)] if inspect.isfunction(value) else []
            if inspect.isclass(value):
                callables += [
                    (f"{name}.{attr}", member)
                    for attr, member in vars(value).items()
                    if inspect.isfunction(member) and (not attr.startswith("_") or attr == "__init__")
                ]
            for label, function in callables:
                checked += 1
                try:
                    parameters = inspect.signature(function).parameters
                except (TypeError, ValueError):
                    continue
                private += [f"{module.__name__}.{label}({p})" for p in parameters if p.startswith("_")]
    assert not private, f"public functions with a private parameter: {private}"
    assert checked > 300
