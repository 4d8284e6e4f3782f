"""One headless Chromium kept open for a batch, driven over the DevTools protocol on a pipe.

Starting Chromium costs about a second per PDF; a batch of twenty briefings prints through one browser
instead (about 0,4 s a page here). The browser is started with the same offline flags as the one-shot
printer, in its own session (so its whole process group can be ended), with a throw-away profile; it speaks
the DevTools protocol over ``--remote-debugging-pipe`` (file descriptors 3 and 4), never over a socket.
Pages are printed one at a time (a lock), each in a fresh tab that is closed afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cchc_analysis.errors import CchcReportError
from cchc_analysis.files import write_bytes_atomic

#: The offline flags every Chromium of the toolkit starts with (no background traffic, no updates, no sync).
OFFLINE_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
)
FLAGS = (*OFFLINE_FLAGS, "--disable-extensions", "--remote-debugging-pipe")


class _Closed(Exception):
    pass


class PersistentChromium:
    """A Chromium process that prints HTML files to PDF until ``close()``; thread-safe."""

    def __init__(self, executable: Path, *, timeout: float = 120, on_start=None, on_stop=None):
        self.executable = Path(executable)
        self.timeout = timeout
        self._on_start, self._on_stop = on_start, on_stop
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._profile: str | None = None
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    # -- process ---------------------------------------------------------------
    def _start(self) -> None:
        commands_read, commands_write = os.pipe()  # we write, Chromium reads on fd 3
        results_read, results_write = os.pipe()  # Chromium writes on fd 4, we read

        def wire() -> None:  # runs in the child before exec
            os.dup2(commands_read, 3)
            os.dup2(results_write, 4)

        self._profile = tempfile.mkdtemp(prefix="cchc-chromium-")
        try:
            self._process = subprocess.Popen(
                [str(self.executable), *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(3, 4),
                preexec_fn=wire,
                start_new_session=True,
            )
        finally:
            os.close(commands_read)
            os.close(results_write)
        self._write = os.fdopen(commands_write, "wb", buffering=0)
        self._read_fd = os.fdopen(results_read, "rb", buffering=0)
        self._buffer, self._events = b"", []
        if self._on_start:
            self._on_start(self._process.pid)

    def close(self) -> None:
        """End the browser and its whole process group, and remove its profile."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
            if self._on_stop:
                self._on_stop(process.pid)
            for handle in (self._write, self._read_fd):
                try:
                    handle.close()
                except OSError:
                    pass
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    # -- protocol --------------------------------------------------------------
    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._read_fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = self._read_fd.read(1 << 16)
            if not chunk:
                raise _Closed
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _call(
        self, method: str, params: dict | None = None, *, session: str | None = None, deadline: float
    ) -> dict[str, Any]:
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        try:
            self._write.write(json.dumps(request).encode() + b"\0")
        except (BrokenPipeError, OSError):
            raise _Closed from None
        while True:
            message = self._receive(deadline)
            if message.get("id") == request["id"]:
                if "error" in message:
                    raise CchcReportError(f"Chromium từ chối lệnh {method}: {message['error'].get('message')}")
                return message.get("result", {})
            self._events.append(message)

    def _wait_event(self, method: str, session: str, deadline: float) -> None:
        for index, event in enumerate(self._events):
            if event.get("method") == method and event.get("sessionId") == session:
                del self._events[index]
                return
        while True:
            message = self._receive(deadline)
            if message.get("method") == method and message.get("sessionId") == session:
                return
            self._events.append(message)

    # -- printing --------------------------------------------------------------
    def _print(self, source: Path, deadline: float) -> str:
        tab = self._call("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"]
        session = self._call("Target.attachToTarget", {"targetId": tab, "flatten": True}, deadline=deadline)[
            "sessionId"
        ]
        self._call("Page.enable", session=session, deadline=deadline)
        self._call("Page.navigate", {"url": source.as_uri()}, session=session, deadline=deadline)
        self._wait_event("Page.loadEventFired", session, deadline)
        data = self._call(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session=session, deadline=deadline
        )["data"]
        self._call("Target.closeTarget", {"targetId": tab}, deadline=deadline)
        return data

    def print_pdf(self, html: Path, target: Path) -> Path:
        """Print ``html`` to ``target`` (A4 from the page's CSS, backgrounds on), written atomically."""
        source = Path(html).resolve()
        target = Path(target)
        with self._lock:
            for attempt in (1, 2):  # a browser that died since the last page is restarted once
                if self._process is None or self._process.poll() is not None:
                    self._stop()
                    self._start()
                try:
                    data = self._print(source, time.monotonic() + self.timeout)
                    break
                except TimeoutError:
                    self._stop()
                    raise CchcReportError(
                        f'Chromium không in xong "{source.name}" sau {self.timeout:g} giây và đã bị dừng.'
                    ) from None
                except _Closed:
                    self._stop()
                    if attempt == 2:
                        raise CchcReportError(f'Chromium đã dừng bất thường khi in "{source.name}".') from None
        pdf = base64.b64decode(data)
        if not pdf.startswith(b"%PDF-"):
            raise CchcReportError(f'Chromium không tạo ra tệp PDF hợp lệ từ "{source.name}".')
        write_bytes_atomic(target, pdf)
        return target
