"""Render many reports in one process: papermill and nbconvert imported once, one exporter, one browser."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc_analysis.render.chromium import PersistentChromium
from cchc_analysis.render.execute import execute_notebook
from cchc_analysis.render.export import export_html, exporter_lock, get_html_exporter
from cchc_analysis.render.pdf import open_printer

if TYPE_CHECKING:
    from cchc_analysis.render.chromium import PersistentChromium

__all__ = ["Renderer"]


class Renderer:
    """Render many reports in one process: import papermill/nbconvert once, reuse the exporter.

    >>> renderer = Renderer(timeout=600)
    >>> for agency in agencies:                                    # doctest: +SKIP
    ...     nb = renderer.execute("notebooks/brief.ipynb", out / f"{agency}.ipynb", {"agency": agency})
    ...     page = renderer.html(nb, out / f"{agency}.html", title=f"Báo cáo CCHC – {agency}")
    ...     renderer.pdf(page, out / f"{agency}.pdf")

    ``warm_up()`` does the imports and builds the exporter ahead of time
    (a few seconds), e.g. before a progress bar starts.
    """

    def __init__(
        self,
        *,
        timeout: int | None = 600,
        pdf_timeout: int = 120,
        chromium: str | os.PathLike[str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        self.timeout = timeout
        self.pdf_timeout = pdf_timeout
        self.chromium = chromium
        self.cwd = cwd
        self._browser: PersistentChromium | None = None

    def warm_up(self) -> Renderer:
        """Import papermill and nbconvert and build the HTML exporter now."""
        import papermill  # noqa: F401

        with exporter_lock:
            get_html_exporter()
        return self

    def execute(
        self,
        input_path: str | os.PathLike[str],
        output_path: str | os.PathLike[str],
        parameters: Mapping[str, Any] | None = None,
    ) -> Path:
        """:func:`execute_notebook` with this renderer's timeout and cwd."""
        return execute_notebook(input_path, output_path, parameters, timeout=self.timeout, cwd=self.cwd)

    def html(self, notebook_path: str | os.PathLike[str], html_path: str | os.PathLike[str], *, title: str) -> Path:
        """:func:`export_html` with the shared exporter."""
        return export_html(notebook_path, html_path, title=title)

    def pdf(self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> Path:
        """Print to PDF through one Chromium kept open for the whole batch (see ``cchc_analysis.render.chromium``);
        checks for Chromium once. The page must already be offline (``export_html`` makes sure of it)."""
        with exporter_lock:
            if self._browser is None:
                self._browser = open_printer(self.chromium, timeout=self.pdf_timeout)
        return self._browser.print_pdf(Path(html_path), Path(pdf_path))

    def close(self) -> None:
        """End the batch's Chromium, if one was started."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
