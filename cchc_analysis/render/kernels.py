"""A warm kernel: started once per batch worker, its imports done once, reused from notebook to notebook.

Measured on the 2 shared cores: a fresh kernel costs ~0,5 s to start and the briefing's imports ~0,55 s, while the
briefing's own cells take ~0,5 s; starting a kernel per notebook more than doubled a briefing's cost. So each worker
of a batch owns one :class:`WarmKernel` and hands its kernel manager to papermill for every notebook
(``papermill.execute_notebook(..., km=…)`` → nbclient, which neither starts a kernel that runs nor shuts down a
manager it did not create). papermill stays the executor of record: parameters, the executed notebook, the error
marked in it, the per-cell timeout.

Between two notebooks :meth:`WarmKernel.reset` runs :func:`cchc_analysis.render.kernel_state.restore` in the kernel
(a fresh namespace and execution counter, matplotlib, pandas options, working folder, environment, … as they were
after the warm-up; the module says exactly what). A kernel is used again only after a notebook that succeeded and
a reset that succeeded; after a cell error, a timeout, a kernel that died or a notebook that monkeypatched the
package, the worker discards it (killed at once, never waited for) and the next notebook gets a fresh one.

Kernels are launched through :func:`cchc_analysis.render.execute.quiet_kernel_manager`: silent, and tracked so that
Ctrl-C ends them (:mod:`cchc_analysis.render.children`). A kernel manager is bound to the thread (the asyncio loop)
that started it: a worker starts, uses and ends its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cchc_analysis.errors import CchcReportError, ReportReason
from cchc_analysis.render.execute import KERNEL_NAME, quiet_kernel_manager

__all__ = ["WARM_IMPORTS", "WarmKernel", "notebook_imports"]

#: Imported by every warm kernel before its first notebook, whatever the notebooks import.
WARM_IMPORTS = ("pandas", "matplotlib", "matplotlib.pyplot")
#: As nbclient does for the kernels it starts: no IPython history file shared between kernels.
_KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]
#: The in-kernel module, reached without binding a name in the user namespace.
_STATE = "__import__('cchc_analysis.render.kernel_state', fromlist=['restore'])"


def notebook_imports(notebooks: Sequence[Path]) -> list[str]:
    """The modules the notebooks' code cells import at the top level of a cell (read with ``ast``; cells that are
    not Python are skipped), for a warm kernel to import before the first notebook."""
    import ast

    found: list[str] = list(WARM_IMPORTS)
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    # ``from package import module`` imports the submodule: try both (prepare skips a non-module)
                    names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
                else:
                    continue
                found += [name for name in names if name not in found]
    return found


class WarmKernel:
    """One kernel kept warm for a worker; every method is called from the thread that created it."""

    def __init__(self, cwd: str | os.PathLike[str], imports: Sequence[str] = WARM_IMPORTS, *, timeout: float = 120):
        self.cwd = str(cwd)
        self.imports = list(imports)
        self.timeout = timeout
        self.km: Any = None
        self._client: Any = None  # shell channel only: the warm-up and the resets

    def start(self) -> WarmKernel:
        """Start the kernel and do the imports; raises CchcReportError (``execution_failed``) when it cannot."""
        from jupyter_client.utils import run_sync

        self.km = quiet_kernel_manager()(kernel_name=KERNEL_NAME)
        try:
            run_sync(self.km.start_kernel)(cwd=self.cwd, extra_arguments=list(_KERNEL_ARGUMENTS))
            self._evaluate(f"{_STATE}.prepare({self.imports!r})")
        except Exception as error:
            self.discard()
            raise CchcReportError(
                f"Không khởi động được kernel Python: {type(error).__name__}: {error}",
                reason=ReportReason.EXECUTION_FAILED,
            ) from error
        return self

    def _evaluate(self, expression: str) -> str:
        """Evaluate ``expression`` in the kernel without binding any name there (a user expression of an empty,
        silent execution, read from the execute reply: no IOPub, no waiting for it); its ``text/plain`` value.
        Raises RuntimeError when it fails, TimeoutError when the kernel does not answer in ``timeout``."""
        import time
        from queue import Empty

        from jupyter_client.utils import run_sync

        if self._client is None:
            from jupyter_client.session import Session

            # Its own session: clients of one session share a socket identity, and the kernel would send this
            # client's replies to nbclient's client (or the other way round) while both are connected.
            session = Session(key=self.km.session.key, signature_scheme=self.km.session.signature_scheme)
            self._client = self.km.untracked_client(session=session)
            self._client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        client = self._client

        async def run() -> dict[str, Any]:
            asked = client.execute("", silent=True, store_history=False, user_expressions={"value": expression})
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline:
                try:
                    reply = await client.get_shell_msg(timeout=1)
                except Empty:
                    if not await self.km.is_alive():
                        raise RuntimeError("kernel died") from None
                    continue
                if reply["parent_header"].get("msg_id") == asked:
                    return reply["content"]
            raise TimeoutError(f"kernel did not answer in {self.timeout:g} s")

        content = run_sync(run)()
        value = (content.get("user_expressions") or {}).get("value", {})
        if content.get("status") != "ok" or value.get("status") != "ok":
            failed = value if value.get("status") == "error" else content
            raise RuntimeError(f"{failed.get('ename')}: {failed.get('evalue')}")
        return str(value.get("data", {}).get("text/plain", ""))

    def reset(self) -> bool:
        """Bring the kernel back to its state after the warm-up, after a notebook that succeeded; False when it
        cannot be trusted for another notebook (discard it then)."""
        if not self.alive():
            return False
        try:
            return self._evaluate(f"{_STATE}.restore()") == "True"
        except Exception:
            return False

    def alive(self) -> bool:
        from jupyter_client.utils import run_sync

        if self.km is None:
            return False
        try:
            return bool(run_sync(self.km._async_is_alive)())
        except Exception:
            return False

    def discard(self) -> None:
        """End the kernel at once (killed, not asked): nothing of it is kept, and the worker does not wait."""
        from jupyter_client.utils import run_sync

        km, self.km = self.km, None
        client, self._client = self._client, None
        if client is not None:
            try:
                client.stop_channels()
            except Exception:
                pass
        if km is None:
            return
        try:
            run_sync(km._async_shutdown_kernel)(now=True)
        except Exception:
            try:
                run_sync(km._async_cleanup_resources)()
            except Exception:
                pass
