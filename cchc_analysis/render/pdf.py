"""Find Chromium and print one HTML page to A4 PDF with it (the one-shot printer; a batch prints through
:class:`~cchc_analysis.render.chromium.PersistentChromium`).

Errors: :class:`~cchc_analysis.errors.CchcReportError` with ``reason`` ``chromium_missing`` (also
``chromium_missing=True``), ``chromium_failed`` (with ``stderr_tail``) or ``chromium_timeout``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cchc_analysis.errors import CchcParameterError, CchcReportError
from cchc_analysis.files import temporary_sibling, unlink_quietly
from cchc_analysis.render.children import kill_group, track, untrack
from cchc_analysis.render.chromium import OFFLINE_FLAGS
from cchc_analysis.render.common import _check_input_file, _check_output_file, _is_positive_number, _report_error

__all__ = [
    "CHROMIUM_ENV_VAR",
    "CHROMIUM_FLAGS",
    "CHROMIUM_NAMES",
    "INSTALL_CHROMIUM_HINT",
    "find_chromium",
    "print_pdf",
    "resolve_executable",
    "chromium_missing",
]

CHROMIUM_ENV_VAR = "CCHC_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (*OFFLINE_FLAGS, "--no-pdf-header-footer")
INSTALL_CHROMIUM_HINT = "sudo apt-get install -y chromium"

_STDERR_TAIL_LINES = 20


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
    return _report_error(
        f"{where} Cần Chromium để in báo cáo ra PDF. Cài đặt bằng lệnh: {INSTALL_CHROMIUM_HINT} "
        f"(hoặc đặt biến môi trường {CHROMIUM_ENV_VAR} là đường dẫn tới Chromium/Chrome). "
        "Bản HTML của báo cáo vẫn dùng được và có thể in từ trình duyệt.",
        reason="chromium_missing",
        chromium_missing=True,
    )


def _tail(text: str, lines: int = _STDERR_TAIL_LINES) -> str:
    kept = [line for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def print_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    timeout: int = 120,
    chromium: str | os.PathLike[str] | None = None,
) -> Path:
    """Print an HTML page to PDF with headless Chromium (page size from the page's CSS: A4).

    ``chromium`` overrides :func:`find_chromium`. Chromium runs in its own
    process group with a fresh, temporary profile (removed afterwards) and
    the flags in :data:`CHROMIUM_FLAGS`; on timeout the whole group is killed.
    The PDF is printed to a temporary file and moved into place only if it
    is a non-empty PDF. Raises :class:`CchcReportError` when Chromium is
    missing (``reason="chromium_missing"``, with the install command), fails
    or writes nothing (``"chromium_failed"``, with Chromium's stderr tail) or
    times out (``"chromium_timeout"``). Returns ``pdf_path``.
    """
    source = _check_input_file(html_path, "trang HTML")
    target = _check_output_file(pdf_path)
    if not _is_positive_number(timeout):
        raise CchcParameterError(f"Thời gian chờ phải là số giây dương, không phải {timeout!r}.")
    executable = resolve_executable(chromium) if chromium is not None else find_chromium()
    if executable is None:
        raise chromium_missing(chromium)

    tmp = temporary_sibling(target, ".pdf")
    profile = tempfile.mkdtemp(prefix="cchc-chromium-")
    command = [
        str(executable),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={tmp}",
        source.resolve().as_uri(),
    ]
    process = None
    try:
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=hasattr(os, "killpg"),
            )
            track(process.pid, "chromium")
        except OSError as exc:
            raise _report_error(
                f'Không khởi động được Chromium "{executable}": {exc}. Cài đặt bằng lệnh: {INSTALL_CHROMIUM_HINT}',
                reason="chromium_failed",
                stderr_tail="",
            ) from exc
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            kill_group(process)
            _, stderr = process.communicate()
            raise _report_error(
                f'Chromium không in xong "{source.name}" sau {timeout} giây và đã bị dừng.\n'
                f"{_tail(stderr.decode('utf-8', 'replace'))}".rstrip(),
                reason="chromium_timeout",
                stderr_tail=_tail(stderr.decode("utf-8", "replace")),
            ) from exc
        except BaseException:
            kill_group(process)
            process.wait()
            raise
        # Helpers (crashpad handler and the like) can outlive the main process.
        kill_group(process)
        stderr_tail = _tail(stderr.decode("utf-8", "replace"))
        size = tmp.stat().st_size if tmp.exists() else 0
        if process.returncode != 0 or size == 0:
            if process.returncode != 0:
                problem = f"Chromium kết thúc với mã lỗi {process.returncode}"
            elif not tmp.exists():
                problem = "Chromium không tạo ra tệp PDF"
            else:
                problem = "Chromium tạo ra tệp PDF rỗng"
            raise _report_error(
                f'{problem} khi in "{source.name}".' + (f"\n{stderr_tail}" if stderr_tail else ""),
                reason="chromium_failed",
                returncode=process.returncode,
                stderr_tail=stderr_tail,
            )
        with open(tmp, "rb") as handle:
            if handle.read(5) != b"%PDF-":
                raise _report_error(
                    f'Tệp Chromium in ra từ "{source.name}" không phải PDF.'
                    + (f"\n{stderr_tail}" if stderr_tail else ""),
                    reason="chromium_failed",
                    returncode=process.returncode,
                    stderr_tail=stderr_tail,
                )
        os.replace(tmp, target)
    finally:
        if process is not None:
            untrack(process.pid)
        unlink_quietly(tmp)
        shutil.rmtree(profile, ignore_errors=True)
    return target
