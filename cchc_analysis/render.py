"""Rendering layer: execute a parametrized notebook, export it to offline HTML, print it to PDF.

Three steps, each usable alone or through :class:`Renderer` for a batch:

1. :func:`execute_notebook` runs a notebook with papermill in this process.
2. :func:`export_html` turns the executed notebook into one self-contained
   HTML page (template ``cchc_offline``: no code, no ``<script>``, nothing
   loaded from the network, readable on a phone, prints on A4).
3. :func:`print_pdf` prints that page to PDF with headless Chromium.

Every output is written atomically: into a temporary file in the target's
folder, then moved over the target with :func:`os.replace`, so a failed run
never leaves a half-written file or replaces an earlier good one.

papermill, nbformat and nbconvert are imported lazily, inside the functions
that need them: importing nbformat alone costs about 2 s here (see
DESIGN.md section 4), and ``import cchc_analysis.render`` must stay cheap.

Errors are :class:`~cchc_analysis.exceptions.CchcReportError` (rendering
failed) or :class:`~cchc_analysis.exceptions.CchcParameterError` (the caller
passed something unusable). Messages are Vietnamese; every
``CchcReportError`` raised here carries ``reason``, a stable English code:

``cell_error``          a notebook cell raised; also ``notebook``, ``cell_index``,
                        ``exec_count``, ``ename``, ``evalue``, ``failed_notebook``
``execution_timeout``   a cell ran longer than ``timeout``; ``failed_notebook``
``execution_failed``    the kernel could not start or died; ``failed_notebook``
                        (None when nothing was written)
``export_failed``       nbconvert failed
``not_offline``         the HTML would contain a script or a network resource
``chromium_missing``    no Chromium found (``chromium_missing`` is also True)
``chromium_failed``     Chromium exited non-zero or wrote no/an empty PDF;
                        ``stderr_tail``
``chromium_timeout``    Chromium did not finish within ``timeout``
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .chromium import OFFLINE_FLAGS
from .exceptions import CchcParameterError, CchcReportError
from .paths import TEMPLATES_DIR

__all__ = [
    "CHROMIUM_ENV_VAR",
    "CHROMIUM_FLAGS",
    "CHROMIUM_NAMES",
    "INSTALL_CHROMIUM_HINT",
    "KERNEL_NAME",
    "REMOVE_CELL_TAGS",
    "TEMPLATE_NAME",
    "Renderer",
    "execute_notebook",
    "export_html",
    "find_chromium",
    "print_pdf",
]

KERNEL_NAME = "python3"
TEMPLATE_NAME = "cchc_offline"
#: Cells with these tags are left out of the HTML entirely.
REMOVE_CELL_TAGS = frozenset({"injected-parameters", "remove-cell"})
#: Cells with these tags keep their outputs but never show code (code is hidden anyway).
REMOVE_INPUT_TAGS = frozenset({"remove-input", "hide-input"})
#: Cells with these tags keep their code cell but lose every output.
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "hide-output"})

CHROMIUM_ENV_VAR = "CCHC_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (*OFFLINE_FLAGS, "--no-pdf-header-footer")
INSTALL_CHROMIUM_HINT = "sudo apt-get install -y chromium"

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

_STDERR_TAIL_LINES = 20


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _report_error(message: str, *, reason: str, **attributes: Any) -> CchcReportError:
    """A CchcReportError with a stable ``reason`` code and extra attributes."""
    error = CchcReportError(message)
    error.reason = reason  # type: ignore[attr-defined]
    for name, value in attributes.items():
        setattr(error, name, value)
    return error


def _temporary_sibling(target: Path, suffix: str) -> Path:
    """A fresh, unused path in the target's folder (a dot file, so it stays out of listings)."""
    return target.with_name(f".{target.stem}.{uuid.uuid4().hex[:12]}.tmp{suffix}")


def _unlink_quietly(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _write_text_atomically(target: Path, text: str) -> None:
    """Write text as UTF-8 into a temporary sibling, then move it over ``target``.

    The temporary file is created with ``open(..., "x")`` so that the result
    gets the usual permissions (umask), unlike ``tempfile.mkstemp``'s 0600.
    """
    tmp = _temporary_sibling(target, target.suffix)
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _failed_path(target: Path) -> Path:
    """``report.ipynb`` -> ``report.failed.ipynb``: where a failed run is kept."""
    return target.with_name(f"{target.stem}.failed{target.suffix or '.ipynb'}")


def _papermill_path(path: Path) -> str:
    """A path as papermill wants it: papermill calls ``str.format`` on paths, so braces are doubled."""
    return str(path).replace("{", "{{").replace("}", "}}")


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


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAMETER_TYPES = (str, bool, int, float, type(None))


def _check_parameter_value(name: str, value: Any) -> None:
    """Papermill writes parameters as Python literals; accept only what round-trips."""
    if isinstance(value, _PARAMETER_TYPES):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_parameter_value(name, item)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                break
            _check_parameter_value(name, item)
        else:
            return
    raise CchcParameterError(
        f'Tham số "{name}" có kiểu {type(value).__name__} không truyền được vào notebook; '
        "chỉ chấp nhận chuỗi, số, True/False, None, danh sách hoặc từ điển của các giá trị đó."
    )


def _check_parameters(parameters: Mapping[str, Any] | None) -> dict[str, Any]:
    if parameters is None:
        return {}
    if not isinstance(parameters, Mapping):
        raise CchcParameterError(
            f"Tham số cho notebook phải là một từ điển (dict), không phải {type(parameters).__name__}."
        )
    checked: dict[str, Any] = {}
    for name, value in parameters.items():
        if not isinstance(name, str) or not _IDENTIFIER.match(name):
            raise CchcParameterError(f"Tên tham số {name!r} không hợp lệ: cần một tên biến Python.")
        _check_parameter_value(name, value)
        checked[name] = value
    return checked


def _check_parameters_against_notebook(source: Path, parameters: dict[str, Any]) -> None:
    """Refuse parameters the notebook does not declare.

    Without a ``parameters`` cell papermill injects values at the top, where
    the notebook's own assignments silently override them; an unknown name is
    almost always a typo. Both would give a wrong report without any error.
    """
    if not parameters:
        return
    import nbformat

    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same problem for the user
        raise CchcParameterError(f'Không đọc được notebook "{source}": {exc}') from exc
    has_parameters_cell = any(
        "parameters" in cell.get("metadata", {}).get("tags", []) for cell in nb.cells
    )
    if not has_parameters_cell:
        raise CchcParameterError(
            f'Notebook "{source.name}" không có ô nào được gắn thẻ "parameters", '
            "nên không nhận được tham số. Hãy gắn thẻ parameters cho ô khai báo tham số."
        )
    from papermill import inspect_notebook

    try:
        declared = inspect_notebook(_papermill_path(source))
    except Exception:  # noqa: BLE001 - inference is best effort; papermill still injects
        return
    if not declared:
        return
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise CchcParameterError(
            f'Notebook "{source.name}" không khai báo tham số: {", ".join(unknown)}. '
            f'Các tham số có trong ô parameters: {", ".join(declared)}.'
        )


# --------------------------------------------------------------------------
# 1. Execute
# --------------------------------------------------------------------------


def _describe_timeout_cell(notebook_path: Path) -> tuple[int | None, int | None]:
    """(cell index, execution count) of the last cell started in a saved notebook, if any."""
    try:
        import nbformat

        nb = nbformat.read(notebook_path, as_version=4)
    except Exception:  # noqa: BLE001 - only used to improve a message
        return None, None
    # papermill marks every started cell "completed" when it stops, even the
    # one interrupted by the timeout; cells never started keep no start_time.
    started = [
        (index, cell.get("execution_count"))
        for index, cell in enumerate(nb.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return started[-1] if started else (None, None)


_quiet_manager_class: Any = None
_children_lock = threading.Lock()
_children: dict[int, str] = {}  # pid (also its process group) -> "kernel" | "chromium"


def _track(pid: int, kind: str) -> None:
    with _children_lock:
        _children[pid] = kind


def _untrack(pid: int) -> None:
    with _children_lock:
        _children.pop(pid, None)


def terminate_children() -> list[str]:
    """Kill every kernel and Chromium this process started and that still runs (e.g. after Ctrl-C).

    Kernels and Chromium run in their own sessions, so a Ctrl-C in the terminal does not reach them;
    a batch that is interrupted calls this so that nothing is left running. Returns what was killed.
    """
    with _children_lock:
        running = dict(_children)
        _children.clear()
    killed = []
    for pid, kind in running.items():
        try:
            if hasattr(os, "killpg"):
                os.killpg(pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                os.kill(pid, signal.SIGTERM)
            killed.append(f"{kind} {pid}")
        except (ProcessLookupError, PermissionError):
            pass
    return killed


def _quiet_kernel_manager() -> Any:
    """A kernel manager whose kernel writes nothing to our terminal.

    ipykernel prints start-up and shutdown chatter ("running over TCP without
    encryption", "KeyboardInterrupt caught in kernel") on the stderr it
    inherits; a batch's log must show only what the toolkit says. A kernel
    that dies is still reported by papermill/nbclient (DeadKernelError).
    """
    global _quiet_manager_class
    if _quiet_manager_class is None:
        from jupyter_client.manager import AsyncKernelManager

        class QuietKernelManager(AsyncKernelManager):
            async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
                kw.setdefault("stdout", subprocess.DEVNULL)
                kw.setdefault("stderr", subprocess.DEVNULL)
                await super()._async_launch_kernel(kernel_cmd, **kw)
                pid = getattr(self.provisioner, "pid", None)
                if pid:
                    self._cchc_pid = pid
                    _track(pid, "kernel")

            async def _async_cleanup_resources(self, restart: bool = False) -> None:
                await super()._async_cleanup_resources(restart=restart)
                pid = getattr(self, "_cchc_pid", None)
                if pid:
                    _untrack(pid)

        _quiet_manager_class = QuietKernelManager
    return _quiet_manager_class


def execute_notebook(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    *,
    timeout: int | None = 600,
    cwd: str | os.PathLike[str] | None = None,
) -> Path:
    """Run a notebook with papermill in this process and write the executed copy.

    ``parameters`` are injected after the cell tagged ``parameters`` (which the
    notebook must have when parameters are given; unknown names are refused
    with :class:`CchcParameterError`). ``timeout`` is the limit per cell in
    seconds (None: no limit). ``cwd`` is the kernel's working folder; by
    default the input notebook's folder, as in Jupyter, so relative paths
    behave the same interactively and in a batch.

    The executed notebook goes to a temporary file next to ``output_path`` and
    is moved into place only when every cell succeeded. On failure it is kept
    as ``<name>.failed.ipynb`` (open it to see the traceback), an existing
    ``output_path`` is left untouched, and :class:`CchcReportError` is raised
    naming the notebook, the failing cell and the exception. After a success,
    a stale ``<name>.failed.ipynb`` from an earlier run is removed.

    Returns the output path.
    """
    source = _check_input_file(input_path, "notebook")
    checked = _check_parameters(parameters)
    if timeout is not None and not _is_positive_number(timeout):
        raise CchcParameterError(f"Thời gian chờ phải là số giây dương hoặc None, không phải {timeout!r}.")
    workdir = Path(cwd) if cwd is not None else source.resolve().parent
    if not workdir.is_dir():
        raise CchcParameterError(f'Thư mục làm việc "{workdir}" không tồn tại.')
    _check_parameters_against_notebook(source, checked)
    target = _check_output_file(output_path)

    import papermill
    from papermill.exceptions import PapermillExecutionError

    # papermill changes the process's working folder to ``cwd`` while it runs
    # and saves the output from there: every path it gets must be absolute.
    source_abs = source.absolute()
    target_abs = target.absolute()
    failed = _failed_path(target_abs)
    tmp = _temporary_sibling(target_abs, ".ipynb")
    try:
        executed = papermill.execute_notebook(
            _papermill_path(source_abs),
            _papermill_path(tmp),
            parameters=checked,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            cwd=str(workdir),
            execution_timeout=timeout,
            kernel_manager_class=_quiet_kernel_manager(),
        )
    except PapermillExecutionError as exc:
        if tmp.exists():  # papermill saves the notebook, error marked, before raising
            os.replace(tmp, failed)
        where = f"ô số {exc.cell_index}"
        if exc.exec_count is not None:
            where += f" (In [{exc.exec_count}])"
        raise _report_error(
            f'Notebook "{source.name}" bị lỗi ở {where}: {exc.ename}: {exc.evalue}. '
            f'Mở "{failed}" để xem chi tiết; tệp kết quả cũ (nếu có) được giữ nguyên.',
            reason="cell_error",
            notebook=source,
            cell_index=exc.cell_index,
            exec_count=exc.exec_count,
            ename=exc.ename,
            evalue=exc.evalue,
            failed_notebook=failed,
        ) from exc
    except BaseException as exc:
        kept = None
        if tmp.exists():
            os.replace(tmp, failed)
            kept = failed
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: let them through
            raise
        keep_note = f' Notebook đã chạy dở được lưu ở "{kept}".' if kept else ""
        if isinstance(exc, TimeoutError):
            cell_index, exec_count = _describe_timeout_cell(kept) if kept else (None, None)
            where = f" ở ô số {cell_index}" if cell_index is not None else ""
            if exec_count is not None:
                where += f" (In [{exec_count}])"
            raise _report_error(
                f'Notebook "{source.name}" chạy quá {timeout} giây{where} và đã bị dừng.{keep_note}',
                reason="execution_timeout",
                notebook=source,
                cell_index=cell_index,
                exec_count=exec_count,
                failed_notebook=kept,
            ) from exc
        raise _report_error(
            f'Không chạy được notebook "{source.name}": {type(exc).__name__}: {exc}.{keep_note}',
            reason="execution_failed",
            notebook=source,
            failed_notebook=kept,
        ) from exc
    try:
        # papermill recorded the temporary name as output_path; record the real one.
        import nbformat

        executed.metadata.setdefault("papermill", {})["output_path"] = str(target_abs)
        nbformat.write(executed, tmp)
        os.replace(tmp, target_abs)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _unlink_quietly(failed)
    return target


# --------------------------------------------------------------------------
# 2. HTML
# --------------------------------------------------------------------------

_exporter_lock = threading.Lock()
_html_exporter: Any = None

# A network resource the browser would fetch on its own: src/srcset/poster/
# data attributes, <link href>, CSS url() and @import. Plain <a href> links
# are allowed: nothing is loaded until the reader clicks.
_REMOTE_RESOURCE = re.compile(
    r"""(?ix)
    (?:\b(?:src|srcset|poster|data|background|action|formaction)\s*=\s*["']?\s*(?:https?:|ftp:)?//)
    | (?:<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:|ftp:)?//)
    | (?:url\(\s*["']?\s*(?:https?:|ftp:)?//)
    | (?:@import\s+(?:url\()?\s*["']?\s*(?:https?:|ftp:)?//)
    """
)
_SCRIPT_TAG = re.compile(r"<script\b", re.IGNORECASE)


def _get_html_exporter() -> Any:
    """The module-wide nbconvert HTMLExporter, created on first use (about 0,7 s) and reused."""
    global _html_exporter
    if _html_exporter is None:
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
        config.NbConvertBase.display_data_priority = list(_DISPLAY_DATA_PRIORITY)
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
        config.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
        config.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
        _html_exporter = HTMLExporter(config=config)
    return _html_exporter


def _check_offline(html: str, source: Path) -> None:
    problems = []
    if _SCRIPT_TAG.search(html):
        problems.append("thẻ <script>")
    remote = _REMOTE_RESOURCE.search(html)
    if remote:
        problems.append(f'tài nguyên tải từ mạng ("{remote.group(0).strip()[:80]}")')
    if problems:
        raise _report_error(
            f'Trang HTML xuất từ "{source.name}" không dùng được ngoại tuyến vì có '
            f"{' và '.join(problems)}. Hãy bỏ đầu ra tương tác (JavaScript, widget) hoặc hình ảnh "
            "lấy từ Internet khỏi notebook, hoặc gắn thẻ remove-cell cho ô đó.",
            reason="not_offline",
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
    A4 printing. The result is checked: a ``<script>`` or a resource loaded
    from the network raises :class:`CchcReportError` (``reason="not_offline"``)
    rather than produce a page that breaks offline.

    The page is written atomically. Returns ``html_path``.
    """
    source = _check_input_file(notebook_path, "notebook")
    target = _check_output_file(html_path)
    if not isinstance(title, str) or not title.strip():
        raise CchcParameterError("Tiêu đề trang HTML không được để trống.")

    import nbformat

    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as exc:  # noqa: BLE001
        raise _report_error(
            f'Không đọc được notebook "{source}": {exc}', reason="export_failed", notebook=source
        ) from exc
    resources = {
        "metadata": {"name": source.stem, "path": str(source.parent)},
        "cchc_title": title.strip(),
    }
    with _exporter_lock:
        exporter = _get_html_exporter()
        try:
            html, _ = exporter.from_notebook_node(nb, resources=resources)
        except Exception as exc:  # noqa: BLE001
            raise _report_error(
                f'Không xuất được "{source.name}" sang HTML: {type(exc).__name__}: {exc}',
                reason="export_failed",
                notebook=source,
            ) from exc
    _check_offline(html, source)
    _write_text_atomically(target, html)
    return target


# --------------------------------------------------------------------------
# 3. PDF
# --------------------------------------------------------------------------


def _resolve_executable(candidate: str | os.PathLike[str]) -> Path | None:
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
        return _resolve_executable(configured)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _chromium_missing(requested: str | os.PathLike[str] | None) -> CchcReportError:
    configured = os.environ.get(CHROMIUM_ENV_VAR, "").strip()
    if requested is not None:
        where = f'Không tìm thấy Chromium ở "{os.fspath(requested)}".'
    elif configured:
        where = (
            f'Biến môi trường {CHROMIUM_ENV_VAR} trỏ tới "{configured}" '
            "nhưng không có chương trình nào ở đó."
        )
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


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill every process in the Chromium process group (renderers, zygote, crashpad).

    Chromium was started with ``start_new_session=True``, so its process
    group id is its pid. Where there are no process groups (Windows) only
    the main process is killed.
    """
    if hasattr(os, "killpg"):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif process.poll() is None:
        process.kill()


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
    executable = _resolve_executable(chromium) if chromium is not None else find_chromium()
    if executable is None:
        raise _chromium_missing(chromium)

    tmp = _temporary_sibling(target, ".pdf")
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
            _track(process.pid, "chromium")
        except OSError as exc:
            raise _report_error(
                f'Không khởi động được Chromium "{executable}": {exc}. '
                f"Cài đặt bằng lệnh: {INSTALL_CHROMIUM_HINT}",
                reason="chromium_failed",
                stderr_tail="",
            ) from exc
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            _, stderr = process.communicate()
            raise _report_error(
                f'Chromium không in xong "{source.name}" sau {timeout} giây và đã bị dừng.\n'
                f"{_tail(stderr.decode('utf-8', 'replace'))}".rstrip(),
                reason="chromium_timeout",
                stderr_tail=_tail(stderr.decode("utf-8", "replace")),
            ) from exc
        except BaseException:
            _kill_group(process)
            process.wait()
            raise
        # Helpers (crashpad handler and the like) can outlive the main process.
        _kill_group(process)
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
            _untrack(process.pid)
        _unlink_quietly(tmp)
        shutil.rmtree(profile, ignore_errors=True)
    return target


# --------------------------------------------------------------------------
# Batch
# --------------------------------------------------------------------------


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
        self._browser = None

    def warm_up(self) -> Renderer:
        """Import papermill and nbconvert and build the HTML exporter now."""
        import papermill  # noqa: F401

        with _exporter_lock:
            _get_html_exporter()
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
        """Print to PDF through one Chromium kept open for the whole batch (see ``cchc_analysis.chromium``);
        checks for Chromium once. The page must already be offline (``export_html`` makes sure of it)."""
        from cchc_analysis.chromium import PersistentChromium

        if self.chromium is None:
            found = find_chromium()
            if found is None:
                raise _chromium_missing(None)
            self.chromium = found
        executable = _resolve_executable(self.chromium)
        if executable is None:
            raise _chromium_missing(self.chromium)
        with _exporter_lock:
            if self._browser is None:
                self._browser = PersistentChromium(executable, timeout=self.pdf_timeout,
                                                   on_start=lambda pid: _track(pid, "chromium"), on_stop=_untrack)
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
