"""What every step of the render layer checks: readable inputs and writable outputs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cchc_analysis.errors import CchcParameterError

#: Nothing public: these helpers are private to the render layer (execute, export and pdf import them).
__all__: list[str] = []


def _check_input_file(path: str | os.PathLike[str], what: str) -> Path:
    source = Path(path)
    if not source.is_file():
        raise CchcParameterError(f'Không tìm thấy {what} "{source}".')
    return source


def _check_output_file(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    if target.is_dir():
        raise CchcParameterError(f'Đường dẫn đầu ra "{target}" là một thư mục, cần một tên tệp.')
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _is_positive_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _skip_iri_grammar() -> None:
    """Keep ``rfc3987_syntax`` out of this process: jsonschema imports it to check the "iri" string formats and it
    builds a grammar on import (~1,2 CPU-seconds here, paid by every process that imports nbformat while
    jupyterlab's ``jsonschema[format-nongpl]`` is installed). No notebook schema uses those formats, so the
    batch's process marks the module missing before nbformat is first imported (jsonschema then leaves those
    two formats unchecked, as it does wherever the package is not installed)."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
