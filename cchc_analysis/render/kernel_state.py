"""Runs inside a warm kernel: the state a notebook starts from, saved once and restored after every notebook.

A batch worker keeps one kernel warm (:mod:`cchc_analysis.render.kernels`): started once, the notebooks' imports
done once, then reused from notebook to notebook. Each notebook must still start as in a fresh kernel, so after a
warm-up :func:`prepare` records the kernel's state and after every notebook :func:`restore` puts it back:

- the user namespace (globals, names bound by imports, ``In``/``Out``, ``_``), reset with IPython's own
  ``reset(new_session=True)``, which also starts the execution counter at 1 again;
- matplotlib: every figure closed, ``rcParams`` as saved, the backend and the inline backend's settings
  (``%config InlineBackend…``) as saved;
- pandas options; the working folder; ``sys.path`` and ``sys.argv``; the environment variables; the warnings
  filters; the locale; the root logger's level and handlers; ``sys.stdout``/``stderr``/``displayhook``/
  ``excepthook``; IPython's display formatters (printers registered per type), event callbacks and input/AST
  transformers;
- the random generators (``random`` and numpy's global one), seeded afresh as in a new process.

What a reset cannot undo it detects instead: a notebook that replaced a function, class or module bound in one of
the package's modules (monkeypatching ``cchc_analysis``) makes :func:`restore` answer False, and the worker then
discards the kernel for a fresh one, as after any error. Not covered (documented, not detected): changes inside
third-party modules' objects, and threads or processes a notebook leaves running. Modules a notebook imported stay
imported, as Python caches them in any process; the next notebook's ``import`` only binds the name again.

Imports only the standard library at the top (it runs in the kernel, before and beside the notebooks).
"""

from __future__ import annotations

import gc
import importlib
import locale
import logging
import os
import random
import sys
import types
import warnings
from typing import Any

__all__ = ["prepare", "restore"]

_PACKAGE = "cchc_analysis"
_saved: dict[str, Any] | None = None


def _shell() -> Any:
    """The kernel's IPython shell (None outside IPython); IPython is already loaded in a kernel."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _bindings(module: types.ModuleType) -> dict[str, int]:
    """The functions, classes and modules a module binds, by identity (what monkeypatching replaces)."""
    kinds = (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)
    return {name: id(value) for name, value in vars(module).items() if isinstance(value, kinds)}


def _package_modules() -> dict[str, types.ModuleType]:
    return {
        name: module
        for name, module in list(sys.modules.items())
        if module is not None and (name == _PACKAGE or name.startswith(_PACKAGE + "."))
    }


def _pandas_options() -> dict[str, Any] | None:
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return None
    config = importlib.import_module("pandas._config.config")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: pandas.get_option(key) for key in config._registered_options}


def _inline_backend() -> Any:
    module = sys.modules.get("matplotlib_inline.config")
    return module.InlineBackend.instance() if module is not None else None


def _capture() -> dict[str, Any]:
    shell = _shell()
    state: dict[str, Any] = {
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "argv": list(sys.argv),
        "environ": dict(os.environ),
        "warnings": list(warnings.filters),
        "locale": locale.setlocale(locale.LC_ALL),
        "streams": (sys.stdout, sys.stderr, sys.displayhook, sys.excepthook),
        "logging": (logging.root.level, list(logging.root.handlers)),
        "pandas": _pandas_options(),
        "modules": {name: _bindings(module) for name, module in _package_modules().items()},
    }
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        state["rc"] = dict(matplotlib.rcParams)
        state["backend"] = matplotlib.rcParams._get("backend")
    inline = _inline_backend()
    if inline is not None:
        state["inline"] = {name: getattr(inline, name) for name in inline.trait_names() if name != "parent"}
    if shell is not None:
        formatters = shell.display_formatter.formatters
        state["formatters"] = {
            mime: (dict(f.type_printers), dict(f.deferred_printers), f.enabled) for mime, f in formatters.items()
        }
        state["active_types"] = list(shell.display_formatter.active_types)
        state["events"] = {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()}
        state["transformers"] = (
            list(shell.ast_transformers),
            list(shell.input_transformers_post),
            list(shell.input_transformers_cleanup),
        )
    return state


#: The package's layers a notebook calls into, imported whole at the warm-up so that a patch of any of their
#: modules is seen (a module first imported by a notebook is remembered as that notebook left it).
_PRELOADED = ("config", "errors", "files", "fmt", "ingest", "domain", "present")


def _package_layers() -> list[str]:
    import pkgutil

    names = []
    for layer in _PRELOADED:
        names.append(f"{_PACKAGE}.{layer}")
        module = importlib.import_module(names[-1])
        if hasattr(module, "__path__"):
            names += [info.name for info in pkgutil.walk_packages(module.__path__, f"{module.__name__}.")]
    return names


def prepare(imports: list[str] | tuple[str, ...] = ()) -> None:
    """Import ``imports`` (the notebooks' libraries, once for the whole batch) and save the state to return to."""
    global _saved
    for name in (*imports, *_package_layers()):
        try:
            importlib.import_module(name)
        except Exception:  # not a module (``from m import function``) or broken: the notebook itself will say
            pass
    if "matplotlib" in sys.modules:
        import matplotlib.pyplot as pyplot

        # Load the backend now (the inline backend registers its settings, %config InlineBackend…, on load), so
        # that those settings are saved too; without drawing a figure, whose number the next one would continue.
        load_backend = getattr(pyplot, "_get_backend_mod", None)
        if load_backend is not None:
            load_backend()
    _saved = _capture()
    # What the warm-up loaded (modules, classes, caches) lives as long as the kernel: moved out of the collector's
    # view, so that the full collection IPython's reset runs after every notebook (~0,09 s over pandas and
    # matplotlib) looks only at what the notebook left.
    gc.collect()
    gc.freeze()


def _restore_mapping(target: dict, saved: dict) -> None:
    for key in [key for key in target if key not in saved]:
        del target[key]
    for key, value in saved.items():
        if target.get(key, _MISSING) is not value:
            target[key] = value


_MISSING = object()


def _restore_matplotlib(saved: dict[str, Any]) -> None:
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is None or "rc" not in saved:
        return
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
        if matplotlib.rcParams._get("backend") != saved["backend"]:
            pyplot.switch_backend(saved["backend"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        changed = {key: value for key, value in saved["rc"].items() if matplotlib.rcParams.get(key) != value}
        for key, value in changed.items():
            matplotlib.rcParams._set(key, value)
    inline = _inline_backend()
    if inline is not None and "inline" in saved:
        for name, value in saved["inline"].items():
            if getattr(inline, name) != value:
                setattr(inline, name, value)


def _restore_shell(shell: Any, saved: dict[str, Any]) -> None:
    shell.reset(new_session=True)
    for mime, (type_printers, deferred, enabled) in saved.get("formatters", {}).items():
        formatter = shell.display_formatter.formatters.get(mime)
        if formatter is not None:
            _restore_mapping(formatter.type_printers, type_printers)
            _restore_mapping(formatter.deferred_printers, deferred)
            formatter.enabled = enabled
    if "active_types" in saved:
        shell.display_formatter.active_types = list(saved["active_types"])
    for name, callbacks in saved.get("events", {}).items():
        shell.events.callbacks[name][:] = callbacks
    if "transformers" in saved:
        ast, post, cleanup = saved["transformers"]
        shell.ast_transformers[:] = ast
        shell.input_transformers_post[:] = post
        shell.input_transformers_cleanup[:] = cleanup


def restore() -> bool:
    """Put the saved state back after a notebook; False when the kernel cannot be trusted for another one (it was
    never prepared, or a notebook replaced something bound in the package's modules)."""
    if _saved is None:
        return False
    saved = _saved
    shell = _shell()
    if shell is not None:
        _restore_shell(shell, saved)
    _restore_matplotlib(saved)
    options = saved["pandas"]
    if options is not None and "pandas" in sys.modules:
        pandas = sys.modules["pandas"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in options.items():
                if pandas.get_option(key) != value:
                    pandas.set_option(key, value)
    os.chdir(saved["cwd"])
    sys.path[:] = saved["path"]
    sys.argv[:] = saved["argv"]
    _restore_mapping(os.environ, saved["environ"])  # type: ignore[arg-type]
    filters: list = warnings.filters  # type: ignore[assignment]
    filters[:] = saved["warnings"]
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()
    if locale.setlocale(locale.LC_ALL) != saved["locale"]:
        locale.setlocale(locale.LC_ALL, saved["locale"])
    sys.stdout, sys.stderr, sys.displayhook, sys.excepthook = saved["streams"]
    level, handlers = saved["logging"]
    logging.root.setLevel(level)
    logging.root.handlers[:] = handlers
    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
    return _package_untouched(saved)


def _package_untouched(saved: dict[str, Any]) -> bool:
    """No function, class or module bound in a package module was replaced or removed since :func:`prepare`
    (a module imported later is remembered as it is now)."""
    known = saved["modules"]
    for name, module in _package_modules().items():
        now = _bindings(module)
        if name not in known:
            known[name] = now
            continue
        before = known[name]
        if any(now.get(attr) != ident for attr, ident in before.items()):
            return False  # replaced or removed
        added = [attr for attr in now if attr not in before]
        for attr in added:  # importing a submodule binds it on its package: that is no patch
            value = getattr(module, attr, None)
            if not (isinstance(value, types.ModuleType) and value.__name__ == f"{name}.{attr}"):
                return False
            before[attr] = now[attr]
    return True
