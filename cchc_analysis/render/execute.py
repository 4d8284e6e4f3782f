"""Execute a parametrized notebook with papermill in this process.

Errors are :class:`~cchc_analysis.errors.CchcReportError` with a stable ``reason``: ``cell_error`` (a cell
raised; also ``notebook``, ``cell_index``, ``exec_count``, ``ename``, ``evalue``, ``failed_notebook``),
``execution_timeout`` (a cell ran longer than ``timeout``) or ``execution_failed`` (the kernel could not start
or died), or :class:`~cchc_analysis.errors.CchcParameterError` for unusable arguments.

Why this module is long: it is the one place that talks to papermill and jupyter_client — the parameters checked
before a run, the kernel manager (quiet, tracked for Ctrl-C, with clients that do not idle), the papermill engine
that saves once, and the translation of every way a run can fail into one error — and each of those is only
correct together with the others (the engine's final save is what ``.failed.ipynb`` keeps after a timeout).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cchc_analysis.errors import CchcParameterError, CchcReportError, ReportReason
from cchc_analysis.files import temporary_sibling, unlink_quietly
from cchc_analysis.render.children import track, untrack
from cchc_analysis.render.common import _check_input_file, _check_output_file, _is_positive_number, _skip_iri_grammar

__all__ = ["KERNEL_NAME", "declared_parameters", "execute_notebook", "failed_path", "quiet_kernel_manager"]

KERNEL_NAME = "python3"


def failed_path(target: Path) -> Path:
    """``report.ipynb`` -> ``report.failed.ipynb``: where a failed run is kept."""
    return target.with_name(f"{target.stem}.failed{target.suffix or '.ipynb'}")


def _papermill_path(path: Path) -> str:
    """A path as papermill wants it: papermill calls ``str.format`` on paths, so braces are doubled."""
    return str(path).replace("{", "{{").replace("}", "}}")


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


def declared_parameters(notebook: Path) -> list[str]:
    """The names a notebook's ``parameters`` cell declares (``name: type = value`` or ``name = value``), in order.

    The one reader of declared parameters: the batch checks its jobs with it before any kernel starts, and
    :func:`execute_notebook` refuses undeclared names with it. It reads the file as JSON and the cell with
    ``ast`` (no nbformat or papermill import, so a batch validates in milliseconds). Raises
    :class:`CchcParameterError` for a notebook that cannot be read, has no ``parameters`` cell, or whose
    parameters cell is not Python."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CchcParameterError(f'Không đọc được notebook "{notebook}": {error}') from None
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError as error:
                raise CchcParameterError(
                    f'Ô tham số của notebook "{Path(notebook).name}" không phải mã Python hợp lệ '
                    f"(dòng {error.lineno}): {error.msg}"
                ) from None
            names: list[str] = []
            for node in tree.body:
                targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
                names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
            return names
    raise CchcParameterError(
        f'Notebook "{Path(notebook).name}" không có ô nào được gắn thẻ "parameters", '
        "nên không nhận được tham số. Hãy gắn thẻ parameters cho ô khai báo tham số."
    )


def _check_parameters_against_notebook(source: Path, parameters: dict[str, Any]) -> None:
    """Refuse parameters the notebook does not declare.

    Without a ``parameters`` cell papermill injects values at the top, where
    the notebook's own assignments silently override them; an unknown name is
    almost always a typo. Both would give a wrong report without any error.
    """
    if not parameters:
        return
    declared = declared_parameters(source)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise CchcParameterError(
            f'Notebook "{source.name}" không khai báo tham số: {", ".join(unknown)}. '
            f"Các tham số có trong ô parameters: {', '.join(declared)}."
        )


def _describe_timeout_cell(notebook_path: Path) -> tuple[int | None, int | None]:
    """(cell index, execution count) of the last cell started in a saved notebook, if any."""
    try:
        import nbformat

        nb = nbformat.read(notebook_path, as_version=4)
    except Exception:
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


def _ready_client_class() -> Any:
    """An async kernel client whose ``wait_for_ready`` does not idle.

    jupyter_client's waits for the kernel_info reply and one IOPub message (so the IOPub subscription is live and
    no output is lost), then drains IOPub until it has been silent for 0,2 s — 0,2 s of nothing for every client,
    and nbclient makes one per notebook. This one does the same handshake and drains only what has arrived (a late
    message of another request is ignored by nbclient, which reads only the replies to its own requests)."""
    import asyncio
    import time
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                # Any kernel_info reply will do, as in jupyter_client: a reply to an earlier request (the kernel was
                # slow to start, so the request was sent again) must count, or every later read would find the
                # reply to the request before and never the current one.
                if reply is not None and reply.get("msg_type") == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass  # IOPub not subscribed yet: ask again
                    else:
                        self._handle_kernel_info_reply(reply)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
                await asyncio.sleep(0)
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0)
                except Empty:
                    break

        wait_for_ready = _async_wait_for_ready

    return ReadyClient


def quiet_kernel_manager() -> Any:
    """A kernel manager whose kernel writes nothing to our terminal.

    ipykernel prints start-up and shutdown chatter ("running over TCP without
    encryption", "KeyboardInterrupt caught in kernel") on the stderr it
    inherits; a batch's log must show only what the toolkit says. A kernel
    that dies is still reported by papermill/nbclient (DeadKernelError).
    Its clients are ready without idling (:func:`_ready_client_class`), and it
    remembers the clients it made: nbclient leaves open the channels of a
    client on a manager it did not create, so the owner of a warm kernel
    closes them after each notebook (``close_clients``).
    """
    global _quiet_manager_class
    if _quiet_manager_class is None:
        from jupyter_client.manager import AsyncKernelManager

        ready_client = _ready_client_class()

        class QuietKernelManager(AsyncKernelManager):
            def untracked_client(self, **kw: Any) -> Any:
                """A client that ``close_clients`` leaves alone (the warm kernel's own)."""
                self.client_factory = ready_client
                return super().client(**kw)

            def client(self, **kw: Any) -> Any:
                made = self.untracked_client(**kw)
                self.__dict__.setdefault("_cchc_clients", []).append(made)
                return made

            def close_clients(self) -> None:
                """Stop the channels of every client made so far."""
                for made in self.__dict__.pop("_cchc_clients", []):
                    try:
                        made.stop_channels()
                    except Exception:
                        pass

            async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
                kw.setdefault("stdout", subprocess.DEVNULL)
                kw.setdefault("stderr", subprocess.DEVNULL)
                await super()._async_launch_kernel(kernel_cmd, **kw)
                pid = getattr(self.provisioner, "pid", None)
                if pid:
                    self._cchc_pid = pid
                    track(pid, "kernel")

            async def _async_cleanup_resources(self, restart: bool = False) -> None:
                await super()._async_cleanup_resources(restart=restart)
                pid = getattr(self, "_cchc_pid", None)
                if pid:
                    untrack(pid)

        _quiet_manager_class = QuietKernelManager
    return _quiet_manager_class


ENGINE_NAME = "cchc"
_engine_registered = False


def _register_engine() -> None:
    """papermill's nbclient engine, saving the executed notebook once when execution ends.

    papermill's own manager writes the whole notebook at every cell's start and end: 55 full writes (JSON,
    schema validation, charts included) for a briefing, ~0,8 s of the batch's one interpreter. This engine
    (registered with papermill's engine registry, used through ``engine_name``) leaves the writing to papermill,
    which writes the result once (with a cell error marked, if any), and writes the notebook itself only when
    execution is cut short (a timeout, a dead kernel: the notebook as far as it ran, for ``.failed.ipynb``)."""
    global _engine_registered
    if _engine_registered:
        return
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SaveAtEndManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs: Any) -> None:
            if self.final:
                super().save(**kwargs)
            else:
                self.last_save_time = self.now()

        def save_now(self) -> None:
            self.final = True
            self.save()

    class SaveAtEndEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: Any = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            manager = SaveAtEndManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            except BaseException:  # a timeout, a dead kernel: keep the notebook as far as it ran
                manager.cleanup_pbar()
                manager.notebook_complete()
                manager.save_now()
                raise
            manager.cleanup_pbar()
            manager.notebook_complete()  # papermill itself writes the result (with a cell error marked, if any)
            return manager.nb

    papermill_engines.register(ENGINE_NAME, SaveAtEndEngine)
    _engine_registered = True


def _close_clients(km: Any) -> None:
    if km is not None and hasattr(km, "close_clients"):
        km.close_clients()


def execute_notebook(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    *,
    timeout: int | None = 600,
    cwd: str | os.PathLike[str] | None = None,
    km: Any = None,
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

    ``km``: a started kernel manager of :func:`quiet_kernel_manager` to run on (a warm kernel, see
    :mod:`cchc_analysis.render.kernels`; its cwd is the one it was started with); by default papermill starts a
    kernel for this notebook and shuts it down afterwards.

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

    _skip_iri_grammar()
    import papermill
    from papermill.exceptions import PapermillExecutionError

    # papermill changes the process's working folder to ``cwd`` while it runs
    # and saves the output from there: every path it gets must be absolute.
    source_abs = source.absolute()
    target_abs = target.absolute()
    failed = failed_path(target_abs)
    tmp = temporary_sibling(target_abs, ".ipynb")
    kernel: dict[str, Any] = {"km": km} if km is not None else {"kernel_manager_class": quiet_kernel_manager()}
    _register_engine()
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
            engine_name=ENGINE_NAME,
            **kernel,
        )
    except PapermillExecutionError as exc:
        if tmp.exists():  # papermill saves the notebook, error marked, before raising
            os.replace(tmp, failed)
        where = f"ô số {exc.cell_index}"
        if exc.exec_count is not None:
            where += f" (In [{exc.exec_count}])"
        raise CchcReportError(
            f'Notebook "{source.name}" bị lỗi ở {where}: {exc.ename}: {exc.evalue}. '
            f'Mở "{failed}" để xem chi tiết; tệp kết quả cũ (nếu có) được giữ nguyên.',
            reason=ReportReason.CELL_ERROR,
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
            raise CchcReportError(
                f'Notebook "{source.name}" chạy quá {timeout} giây{where} và đã bị dừng.{keep_note}',
                reason=ReportReason.EXECUTION_TIMEOUT,
                notebook=source,
                cell_index=cell_index,
                exec_count=exec_count,
                failed_notebook=kept,
            ) from exc
        raise CchcReportError(
            f'Không chạy được notebook "{source.name}": {type(exc).__name__}: {exc}.{keep_note}',
            reason=ReportReason.EXECUTION_FAILED,
            notebook=source,
            failed_notebook=kept,
        ) from exc
    finally:
        _close_clients(km)  # nbclient leaves open the channels of a client on a manager it did not create
    try:
        # papermill recorded the temporary name as output_path; record the real one.
        import nbformat

        executed.metadata.setdefault("papermill", {})["output_path"] = str(target_abs)
        nbformat.write(executed, tmp)
        os.replace(tmp, target_abs)
    except BaseException:
        unlink_quietly(tmp)
        raise
    unlink_quietly(failed)
    return target
