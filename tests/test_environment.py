"""One declaration of the environment: pyproject.toml is the source of truth for dependencies, the lock files
(requirements/*.txt) pin it with hashes and are what tasks.sh installs, environment.yml mirrors it for conda, and
every tool (pre-commit included) runs the versions of the lock."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
RUNTIME = PROJECT["dependencies"]
TEST = PROJECT["optional-dependencies"]["test"]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return _normal(match.group(1)), match.group(2).replace(" ", "")


def _release(version: str) -> tuple[int, ...]:
    """The release numbers of a version: 6.0.12.20261122 → (6, 0, 12, 20261122); 2.0rc1 → (2, 0)."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("rc")[0].split("a")[0].split("b")[0]))


def _satisfies(version: str, bounds: str) -> bool:
    for bound in filter(None, bounds.split(",")):
        match = re.match(r"(==|>=|<=|>|<|~=)(.+)", bound)
        assert match, f"a bound this test does not read: {bound}"
        op, wanted = match.groups()
        have, want = _release(version), _release(wanted)
        ok = {
            "==": version == wanted,
            ">=": have >= want,
            "<=": have <= want,
            ">": have > want,
            "<": have < want,
            "~=": have >= want and have[: len(want) - 1] == want[:-1],
        }[op]
        if not ok:
            return False
    return True


def _lock(name: str) -> dict[str, set[str]]:
    """{package: versions pinned} of requirements/<name>.txt; every pin must carry its hashes."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    pins: dict[str, set[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = block.split("\n", 1)[0]
        if head.startswith("#") or not head.strip():
            continue
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^ ;\\]+)", head)
        assert match, f"requirements/{name}.txt: not an exact pin: {head}"
        assert "--hash=sha256:" in block, f"requirements/{name}.txt: {head.strip()} has no hash"
        pins.setdefault(_normal(match.group(1)), set()).add(match.group(2))
    return pins


def test_environment_yml_lists_every_dependency_with_the_same_bounds():
    wanted = dict(_name(r) for r in RUNTIME + TEST)
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = dict(_name(d) for d in environment["dependencies"] if isinstance(d, str))
    python = conda.pop("python")
    conda.pop("pip")
    assert conda == wanted
    assert python == ">=" + PROJECT["requires-python"].removeprefix(">=")
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip == ["-e .[test]"]


@pytest.mark.parametrize(("lock", "requirements"), [("base", RUNTIME), ("test", RUNTIME + TEST)])
def test_the_lock_pins_every_declared_dependency_within_its_bounds(lock, requirements):
    pins = _lock(lock)
    for requirement in requirements:
        name, bounds = _name(requirement)
        assert name in pins, (
            f"{name} is declared in pyproject.toml but not in requirements/{lock}.txt: bash tasks.sh lock"
        )
        wrong = [v for v in pins[name] if not _satisfies(v, bounds)]
        assert not wrong, f"requirements/{lock}.txt pins {name}=={wrong} outside {bounds}: bash tasks.sh lock"


def test_the_test_lock_only_adds_to_the_base_lock():
    base, test = _lock("base"), _lock("test")
    assert {name: test.get(name) for name in base} == base
    assert set(test) > set(base)


def test_the_lock_reader_sees_a_missing_hash(tmp_path, monkeypatch):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "x.txt").write_text("# header\nsix==1.16.0\n    # via foo\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="has no hash"):
        _lock("x")
    assert _satisfies("2.4.1", "==2.4.1") and _satisfies("3.1.5", ">=3.1") and not _satisfies("2.1", ">=2.2")


def test_tasks_sh_installs_from_the_lock_and_ci_runs_the_checkers():
    tasks = (ROOT / "tasks.sh").read_text(encoding="utf-8")
    assert re.search(r"pip install .*--require-hashes -r \"\$lock\"", tasks)
    assert re.search(r"pip install .*--no-deps -e \.", tasks)
    assert not re.search(r'pip install .*-e "\$spec"|-e "?\.\[test\]', tasks), (
        "install from the lock, not from pyproject"
    )
    check = re.search(r"^check\(\) \{\n(.*?)\n\}", tasks, re.S | re.M)
    assert check, "tasks.sh has no check() (what `test` runs)"
    steps = [re.sub(r'.*"\$BIN/(\w+)"', r"\1", line).strip() for line in check.group(1).splitlines()]
    assert steps == ["ruff check .", "ruff format --check .", "mypy", 'python -m pytest -n auto "$@"'], steps
    assert re.search(r"^\s*test\) setup test && check \"\$@\" ;;", tasks, re.M)


def _third_party_imports(paths: list[Path], local: set[str]) -> dict[str, list[str]]:
    """{top-level module: [file:line, …]} of every import that is neither the standard library nor local."""
    found: dict[str, list[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _undeclared(modules: dict[str, list[str]], declared: list[str]) -> list[str]:
    names = {_name(r)[0] for r in declared}
    owners = metadata.packages_distributions()
    return [
        f"{module} ({', '.join(owners.get(module, ['not installed']))}) imported at {where[0]}"
        for module, where in sorted(modules.items())
        if not names & {_normal(d) for d in owners.get(module, [])}
    ]


def test_every_third_party_import_of_the_package_is_a_declared_dependency():
    package = sorted((ROOT / "cchc_analysis").rglob("*.py"))
    modules = _third_party_imports(package, {"cchc_analysis"})
    assert {"pandas", "matplotlib", "papermill", "openpyxl"} <= set(modules)
    assert not _undeclared(modules, RUNTIME), "declare these in [project] dependencies, then bash tasks.sh lock"


def test_every_third_party_import_of_the_tests_is_a_declared_dependency():
    tests = sorted((ROOT / "tests").rglob("*.py"))
    local = {"cchc_analysis"} | {p.stem for p in tests}
    modules = _third_party_imports(tests, local)
    assert {"pytest", "yaml", "hypothesis"} <= set(modules)
    assert not _undeclared(modules, RUNTIME + TEST), "declare these in the test extra, then bash tasks.sh lock"
    assert _undeclared({"yaml": ["tests/x.py:1"]}, RUNTIME), "the check must see a module whose package is undeclared"


def test_pre_commit_runs_ruff_and_mypy_at_the_versions_of_the_lock():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "mypy"} <= set(hooks)
    (ruff,) = _lock("test")["ruff"]
    (mypy,) = _lock("test")["mypy"]
    assert dict(_name(r) for r in TEST)["ruff"] == f"=={ruff}" and dict(_name(r) for r in TEST)["mypy"] == f"=={mypy}"
    for hook in ("ruff-check", "ruff-format"):
        assert hooks[hook]["additional_dependencies"] == [f"ruff=={ruff}"], hook
    # mypy runs from the project's environment, which is installed from the lock.
    assert hooks["mypy"]["entry"] == ".venv/bin/mypy" and hooks["mypy"]["language"] == "system"


def test_package_metadata_is_current():
    assert isinstance(PROJECT["license"], str), "license as an SPDX expression (PEP 639), not a table"
    for pattern in PROJECT["license-files"]:
        assert list(ROOT.glob(pattern)), f"license-files: {pattern} matches nothing"
    requires = dict(_name(r) for r in PYPROJECT["build-system"]["requires"])
    assert _release(requires["setuptools"].removeprefix(">=")) >= (77,), "SPDX license needs setuptools >= 77"
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["cchc_analysis"]
    assert (ROOT / "cchc_analysis" / "py.typed").is_file()
    assert PYPROJECT["tool"]["mypy"]["files"] == ["cchc_analysis"]
