"""Bookkeeping of the child processes a batch starts (kernels, Chromium), so that all of them can be ended.

Kernels and Chromium run in their own sessions, so a Ctrl-C in the terminal does not reach them; a batch that is
interrupted calls :func:`terminate_children` so that nothing is left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading

__all__ = ["kill_group", "terminate_children", "track", "untrack"]

_children_lock = threading.Lock()
_children: dict[int, str] = {}  # pid (also its process group) -> "kernel" | "chromium"


def track(pid: int, kind: str) -> None:
    with _children_lock:
        _children[pid] = kind


def untrack(pid: int) -> None:
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


def kill_group(process: subprocess.Popen[bytes]) -> None:
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
