"""Render many reports in one process: papermill and nbconvert imported once, one exporter, one browser, and
(``warm=True``) one warm kernel per worker thread, reused from notebook to notebook
(:mod:`cchc_analysis.render.kernels`)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc_analysis.errors import CchcReportError, ReportReason
from cchc_analysis.render.children import untrack
from cchc_analysis.render.chromium import PersistentChromium
from cchc_analysis.render.common import _skip_iri_grammar
from cchc_analysis.render.execute import execute_notebook
from cchc_analysis.render.export import export_html, exporter_lock, get_html_exporter
from cchc_analysis.render.kernels import WARM_IMPORTS, WarmKernel
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

    ``warm=True``: each thread that calls :meth:`execute` keeps one kernel warm (``imports`` done once) and runs
    its notebooks on it, reset in between; a kernel is replaced after any failure. A worker thread may start its
    kernel ahead with :meth:`start_kernel` and must end it with :meth:`release_kernel`; :meth:`close` kills any
    kernel still running.
    """

    def __init__(
        self,
        *,
        timeout: int | None = 600,
        pdf_timeout: int = 120,
        chromium: str | os.PathLike[str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        warm: bool = False,
        imports: Sequence[str] = WARM_IMPORTS,
    ) -> None:
        self.timeout = timeout
        self.pdf_timeout = pdf_timeout
        self.chromium = chromium
        self.cwd = cwd
        self.warm = warm
        self.imports = tuple(imports)
        self._browser: PersistentChromium | None = None
        self._local = threading.local()
        self._kernels_lock = threading.Lock()
        self._kernels: set[WarmKernel] = set()
        self.kernels_started = 0  # how many warm kernels the batch needed (1 per worker when nothing fails)
        self._closed = False

    def warm_up(self) -> Renderer:
        """Import papermill and nbconvert and build the HTML exporter now."""
        _skip_iri_grammar()
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
        """:func:`execute_notebook` with this renderer's timeout and cwd (on this thread's warm kernel if ``warm``)."""
        if not self.warm:
            return execute_notebook(input_path, output_path, parameters, timeout=self.timeout, cwd=self.cwd)
        kernel = self.start_kernel(Path(input_path).resolve().parent)
        reusable = False
        try:
            result = execute_notebook(
                input_path, output_path, parameters, timeout=self.timeout, cwd=kernel.cwd, km=kernel.km
            )
            reusable = kernel.reset()
            return result
        finally:
            if not reusable:  # an error, a timeout, a dead kernel or a reset that failed: the next gets a fresh one
                self.release_kernel()

    def load_kernel_machinery(self) -> None:
        """Import what starting a kernel needs (jupyter_client), so that worker threads starting kernels while
        this thread imports papermill and nbconvert import nothing themselves."""
        from jupyter_client.session import Session  # noqa: F401

        from cchc_analysis.render.execute import quiet_kernel_manager

        quiet_kernel_manager()
        import jupyter_client.provisioning
        import jupyter_client.utils  # noqa: F401

    def start_kernel(self, default_cwd: str | os.PathLike[str] | None = None) -> WarmKernel:
        """This thread's warm kernel, started (and its imports done) if it has none."""
        kernel = getattr(self._local, "kernel", None)
        if kernel is None:
            cwd = self.cwd if self.cwd is not None else default_cwd or os.getcwd()
            kernel = WarmKernel(cwd, self.imports, timeout=max(120, self.timeout or 0))
            with self._kernels_lock:
                if self._closed:
                    raise CchcReportError("Đã dừng: không khởi động kernel mới.", reason=ReportReason.EXECUTION_FAILED)
                self._kernels.add(kernel)
                self.kernels_started += 1
            try:
                kernel.start()
            except BaseException:
                with self._kernels_lock:
                    self._kernels.discard(kernel)
                raise
            with self._kernels_lock:
                closed = self._closed
            if closed:  # the batch was stopped while this kernel started: end it here
                kernel.discard()
                raise CchcReportError("Đã dừng: không khởi động kernel mới.", reason=ReportReason.EXECUTION_FAILED)
            self._local.kernel = kernel
        return kernel

    def release_kernel(self) -> None:
        """End this thread's warm kernel, if it has one (killed at once)."""
        kernel = getattr(self._local, "kernel", None)
        self._local.kernel = None
        if kernel is not None:
            with self._kernels_lock:
                self._kernels.discard(kernel)
            kernel.discard()

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
        """End the batch's Chromium, if one was started, and kill any warm kernel a worker left running."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        with self._kernels_lock:
            self._closed = True
            left, self._kernels = self._kernels, set()
        for kernel in left:  # their threads are gone or stuck: end the process group from here
            pid = getattr(kernel.km, "_cchc_pid", None) if kernel.km is not None else None
            if pid:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                untrack(pid)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
