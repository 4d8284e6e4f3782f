"""Export an executed notebook to one self-contained, offline HTML page (template ``cchc_offline``).

Errors: :class:`~cchc_analysis.errors.CchcReportError` with ``reason`` ``export_failed`` (nbconvert failed) or
``not_offline`` (the page would contain a script or a network resource).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from cchc_analysis.config import TEMPLATES_DIR
from cchc_analysis.errors import CchcParameterError, CchcReportError, ReportReason
from cchc_analysis.files import write_text_atomic
from cchc_analysis.render.common import _check_input_file, _check_output_file, _skip_iri_grammar
from cchc_analysis.render.css import prune_css
from cchc_analysis.render.offline import offline_problems

__all__ = ["REMOVE_CELL_TAGS", "TEMPLATE_NAME", "export_html", "exporter_lock", "get_html_exporter"]

TEMPLATE_NAME = "cchc_offline"
#: Cells with these tags are left out of the HTML entirely.
REMOVE_CELL_TAGS = frozenset({"injected-parameters", "remove-cell"})
#: Cells with these tags keep their outputs but never show code (code is hidden anyway).
REMOVE_INPUT_TAGS = frozenset({"remove-input", "hide-input"})
#: Cells with these tags keep their code cell but lose every output.
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "hide-output"})


# What the HTML page may show, best first. Same as nbconvert's HTML default
# minus JavaScript and widget views, which would need a <script>: outputs that
# offer them fall back to their HTML, image or text representation.
_DISPLAY_DATA_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/vnd.mermaid",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]


exporter_lock = threading.Lock()
_html_exporter: Any = None


def get_html_exporter() -> Any:
    """The module-wide nbconvert HTMLExporter, created on first use (about 0,7 s) and reused."""
    global _html_exporter
    if _html_exporter is None:
        _skip_iri_grammar()
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        config = Config()
        config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
        config.HTMLExporter.template_name = TEMPLATE_NAME
        config.HTMLExporter.exclude_input = True
        config.HTMLExporter.exclude_input_prompt = True
        config.HTMLExporter.exclude_output_prompt = True
        config.HTMLExporter.language_code = "vi"
        config.HTMLExporter.embed_images = True
        config.HTMLExporter.optimistic_validation = True  # validate once, after the last preprocessor
        config.NbConvertBase.display_data_priority = list(_DISPLAY_DATA_PRIORITY)
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
        config.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
        config.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
        _html_exporter = HTMLExporter(config=config)
    return _html_exporter


def _check_offline(html: str, source: Path) -> None:
    """Refuse a page from which a browser would fetch or run anything (see :mod:`cchc_analysis.render.offline`)."""
    problems = offline_problems(html)
    if problems:
        shown = "; ".join(problems[:5]) + (f" và {len(problems) - 5} chỗ khác" if len(problems) > 5 else "")
        raise CchcReportError(
            f'Trang HTML xuất từ "{source.name}" không dùng được ngoại tuyến vì có {shown}. Hãy bỏ đầu ra tương tác '
            "(JavaScript, widget) hoặc hình ảnh, khung nhúng lấy từ Internet khỏi notebook, hoặc gắn thẻ "
            "remove-cell cho ô đó.",
            reason=ReportReason.NOT_OFFLINE,
            notebook=source,
        )


def export_html(
    notebook_path: str | os.PathLike[str],
    html_path: str | os.PathLike[str],
    *,
    title: str,
) -> Path:
    """Export an executed notebook to one self-contained, offline HTML page.

    Uses the ``cchc_offline`` template: no code and no prompts, cells tagged
    ``injected-parameters`` or ``remove-cell`` left out, ``<html lang="vi">``,
    ``<title>`` = ``title``, images embedded as data URIs, CSS for phones and
    A4 printing, and of JupyterLab's CSS only the rules and variables the page
    uses (:mod:`cchc_analysis.render.css`). The result is checked: a ``<script>`` or a resource loaded
    from the network raises :class:`CchcReportError` (``reason=ReportReason.NOT_OFFLINE``)
    rather than produce a page that breaks offline.

    The page is written atomically. Returns ``html_path``.
    """
    source = _check_input_file(notebook_path, "notebook")
    target = _check_output_file(html_path)
    if not isinstance(title, str) or not title.strip():
        raise CchcParameterError("Tiêu đề trang HTML không được để trống.")

    _skip_iri_grammar()
    import nbformat

    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as exc:
        raise CchcReportError(
            f'Không đọc được notebook "{source}": {exc}', reason=ReportReason.EXPORT_FAILED, notebook=source
        ) from exc
    resources = {
        "metadata": {"name": source.stem, "path": str(source.parent)},
        "cchc_title": title.strip(),
    }
    with exporter_lock:
        exporter = get_html_exporter()
        try:
            html, _ = exporter.from_notebook_node(nb, resources=resources)
        except Exception as exc:
            raise CchcReportError(
                f'Không xuất được "{source.name}" sang HTML: {type(exc).__name__}: {exc}',
                reason=ReportReason.EXPORT_FAILED,
                notebook=source,
            ) from exc
    html = prune_css(html)  # JupyterLab's CSS is ~270 KB; the page uses a few dozen of its rules
    _check_offline(html, source)
    write_text_atomic(target, html)
    return target
