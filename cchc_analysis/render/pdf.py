"""Find Chromium, and print one HTML page to A4 PDF through the toolkit's one printer
(:class:`~cchc_analysis.render.chromium.PersistentChromium`: a batch keeps one open, a single page starts and ends
one).

Errors: :class:`~cchc_analysis.errors.CchcReportError` with ``reason`` ``chromium_missing`` (the message says how
to install Chromium; the HTML is still usable), ``chromium_failed`` (with ``returncode`` and ``stderr_tail``) or
``chromium_timeout`` (the browser's whole process group was killed); :class:`CchcParameterError` for arguments.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cchc_analysis.errors import CchcParameterError, CchcReportError, ReportReason
from cchc_analysis.render.children import track, untrack
from cchc_analysis.render.chromium import PersistentChromium
from cchc_analysis.render.common import _check_input_file, _check_output_file, _is_positive_number

__all__ = [
    "CHROMIUM_ENV_VAR",
    "CHROMIUM_NAMES",
    "INSTALL_CHROMIUM_HINT",
    "chromium_missing",
    "find_chromium",
    "open_printer",
    "print_pdf",
    "resolve_executable",
]

CHROMIUM_ENV_VAR = "CCHC_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_CHROMIUM_HINT = "sudo apt-get install -y chromium"


def resolve_executable(candidate: str | os.PathLike[str]) -> Path | None:
    text = os.fspath(candidate)
    if not text:
        return None
    if os.sep in text or (os.altsep and os.altsep in text):
        path = Path(text)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(text)
    return Path(found) if found else None


def find_chromium() -> Path | None:
    """Where Chromium is, or None.

    ``CCHC_CHROMIUM`` (a path or a command name) wins when set: if it points
    to nothing, the answer is None rather than some other browser, so a
    misconfiguration shows up. Otherwise the first of ``chromium``,
    ``chromium-browser``, ``google-chrome`` found on PATH.
    """
    configured = os.environ.get(CHROMIUM_ENV_VAR, "").strip()
    if configured:
        return resolve_executable(configured)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def chromium_missing(requested: str | os.PathLike[str] | None) -> CchcReportError:
    configured = os.environ.get(CHROMIUM_ENV_VAR, "").strip()
    if requested is not None:
        where = f'Không tìm thấy Chromium ở "{os.fspath(requested)}".'
    elif configured:
        where = f'Biến môi trường {CHROMIUM_ENV_VAR} trỏ tới "{configured}" nhưng không có chương trình nào ở đó.'
    else:
        where = f"Không tìm thấy Chromium ({', '.join(CHROMIUM_NAMES)}) trong PATH."
    return CchcReportError(
        f"{where} Cần Chromium để in báo cáo ra PDF. Cài đặt bằng lệnh: {INSTALL_CHROMIUM_HINT} "
        f"(hoặc đặt biến môi trường {CHROMIUM_ENV_VAR} là đường dẫn tới Chromium/Chrome). "
        "Bản HTML của báo cáo vẫn dùng được và có thể in từ trình duyệt.",
        reason=ReportReason.CHROMIUM_MISSING,
    )


def open_printer(chromium: str | os.PathLike[str] | None = None, *, timeout: float = 120) -> PersistentChromium:
    """The printer on ``chromium`` (default: :func:`find_chromium`), its processes tracked so that an interrupted
    batch can end them; refused with ``chromium_missing`` when there is no such program. The browser starts with
    the first page."""
    if not _is_positive_number(timeout):
        raise CchcParameterError(f"Thời gian chờ phải là số giây dương, không phải {timeout!r}.")
    executable = resolve_executable(chromium) if chromium is not None else find_chromium()
    if executable is None:
        raise chromium_missing(chromium)
    return PersistentChromium(executable, timeout=timeout, on_start=lambda pid: track(pid, "chromium"), on_stop=untrack)


def print_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    timeout: float = 120,
    chromium: str | os.PathLike[str] | None = None,
) -> Path:
    """Print one HTML page to PDF (page size from the page's CSS: A4) through a printer started for it and
    ended afterwards; a batch keeps one open instead (:class:`~cchc_analysis.render.Renderer`). The PDF is
    written atomically, only when it is a real PDF. Returns ``pdf_path``."""
    source = _check_input_file(html_path, "trang HTML")
    target = _check_output_file(pdf_path)
    printer = open_printer(chromium, timeout=timeout)
    try:
        return printer.print_pdf(source, target)
    finally:
        printer.close()
