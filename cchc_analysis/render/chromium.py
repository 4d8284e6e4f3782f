"""The toolkit's one PDF printer: a headless Chromium kept open, driven over the DevTools protocol on a pipe.

Starting Chromium costs about a second per PDF; a batch of twenty briefings prints through one browser instead
(about 0,4 s a page here), and a single page (``render.print_pdf``) goes through the same class: start, print,
close. The browser is started with the offline flags below, in its own session (so its whole process group can
be ended), with a throw-away profile that also holds its stderr log; it speaks the DevTools protocol over
``--remote-debugging-pipe`` (file descriptors 3 and 4), never over a socket. Pages are printed one at a time
(a lock), one after the other in the same tab (a new tab per page meant a new renderer process per page).

Errors are :class:`~cchc_analysis.errors.CchcReportError` with one vocabulary: ``chromium_timeout`` (a page not
printed within ``timeout``: the whole process group is killed), ``chromium_failed`` (the browser could not
start, died again after one restart, refused a command, or printed something that is not a PDF; with
``returncode`` and ``stderr_tail`` where there are some). Finding Chromium and ``chromium_missing`` are in
:mod:`cchc_analysis.render.pdf`.

Why not Playwright (decision, issue "Architecture v2" §3). Playwright drives Debian's Chromium here too (the
tests use it with ``executable_path``), so it was weighed as the one path. Measured with
``benchmarks/bench_pdf.py``: the same offline A4 page (Vietnamese text, a 40-row table, an embedded PNG) printed
N times each way, side by side in one run, on the 2 shared cores:

    printer      first print (start-up)   median of the others   total      (N = 10, quiet machine)
    devtools     0,56 s                   0,18 s                 2,2 s
    playwright   0,95 s                   0,44 s                 5,0 s
    one-shot     1,08 s                   0,91 s                 9,6 s      (a browser per page, removed)

    (N = 20 while the test suite ran: devtools 0,96 / 0,34 / 7,7 s; playwright 3,32 / 0,77 / 17,9 s.)

So Playwright is about 2,4 times slower a page and slower to start (its Node.js driver). It would also become a
runtime dependency (a large package with a Node driver, a second process tree to end on Ctrl-C, tied to the
browser versions it was built for), while this client is ~200 lines on the standard library whose every failure
path (missing, timeout, crash and restart, not a PDF, no descriptors 3 and 4) is tested against the real browser
or a fake that speaks the same protocol. Decision: this client is the one printer, the one-shot
``--print-to-pdf`` printer is gone, and Playwright stays a test tool (opening pages as a reader would).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from cchc_analysis.errors import CchcReportError, ReportReason
from cchc_analysis.files import write_bytes_atomic

__all__ = ["FLAGS", "OFFLINE_FLAGS", "PersistentChromium", "STDERR_TAIL_LINES"]

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
#: One tab goes from page to page (see ``_tab``): the pages it leaves need not be kept for going back.
FLAGS = (*OFFLINE_FLAGS, "--disable-extensions", "--disable-features=BackForwardCache", "--remote-debugging-pipe")
STDERR_TAIL_LINES = 20
_STDERR_LOG = "chromium-stderr.log"


class _Closed(Exception):
    """The browser closed its end of the pipe (it exited or crashed)."""


class PersistentChromium:
    """A Chromium process that prints HTML files to PDF until ``close()``; thread-safe.

    ``on_start(pid)`` and ``on_stop(pid)`` are told of every browser process started and ended (a batch tracks
    them so that Ctrl-C can end them all).
    """

    def __init__(
        self,
        executable: Path,
        *,
        timeout: float = 120,
        on_start: Callable[[int], None] | None = None,
        on_stop: Callable[[int], None] | None = None,
    ):
        self.executable = Path(executable)
        self.timeout = timeout
        self._on_start, self._on_stop = on_start, on_stop
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: str | None = None
        self._write: BinaryIO | None = None
        self._read: BinaryIO | None = None
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._session: str | None = None  # the DevTools session of the one tab pages are printed in

    # -- process ---------------------------------------------------------------
    def _start(self) -> None:
        commands_read, commands_write = os.pipe()  # we write, Chromium reads on fd 3
        results_read, results_write = os.pipe()  # Chromium writes on fd 4, we read

        def wire() -> None:  # runs in the child before exec
            # Move both ends above the standard range first, so that placing one on 3 or 4 cannot overwrite the
            # other; dup2 leaves 3 and 4 inheritable, and every other descriptor of ours is close-on-exec.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, results_write)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._profile = tempfile.mkdtemp(prefix="cchc-chromium-")
        try:
            with open(Path(self._profile) / _STDERR_LOG, "wb") as log:
                self._process = subprocess.Popen(
                    [str(self.executable), *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    close_fds=False,  # 3 and 4 must survive; Python's own descriptors are not inheritable
                    preexec_fn=wire,  # only dup2 calls, before exec
                    start_new_session=True,
                )
        except OSError as error:
            for fd in (commands_write, results_read):
                os.close(fd)
            self._stop()
            raise CchcReportError(
                f'Không khởi động được Chromium "{self.executable}": {error}.',
                reason=ReportReason.CHROMIUM_FAILED,
                stderr_tail="",
            ) from error
        finally:
            os.close(commands_read)
            os.close(results_write)
        self._write = os.fdopen(commands_write, "wb", buffering=0)
        self._read = os.fdopen(results_read, "rb", buffering=0)
        self._buffer, self._events, self._session = b"", [], None
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
                os.killpg(process.pid, signal.SIGKILL)  # renderers, zygote and crashpad too
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
            if self._on_stop:
                self._on_stop(process.pid)
        for handle in (self._write, self._read):
            if handle is not None:
                try:
                    handle.close()
                except OSError:
                    pass
        self._write = self._read = None
        self._session = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def _stderr_tail(self) -> str:
        """The last lines Chromium wrote on stderr (read before the profile that holds them is removed)."""
        if not self._profile:
            return ""
        try:
            text = (Path(self._profile) / _STDERR_LOG).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        kept = [line for line in text.splitlines() if line.strip()]
        return "\n".join(kept[-STDERR_TAIL_LINES:])

    # -- protocol --------------------------------------------------------------
    def _receive(self, deadline: float) -> dict[str, Any]:
        assert self._read is not None
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._read], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = self._read.read(1 << 16)
            if not chunk:
                raise _Closed
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _call(
        self, method: str, params: dict | None = None, *, session: str | None = None, deadline: float
    ) -> dict[str, Any]:
        assert self._write is not None
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        try:
            self._write.write(json.dumps(request).encode() + b"\0")
        except OSError:  # BrokenPipeError: the browser is gone
            raise _Closed from None
        while True:
            message = self._receive(deadline)
            if message.get("id") == request["id"]:
                if "error" in message:
                    raise CchcReportError(
                        f"Chromium từ chối lệnh {method}: {message['error'].get('message')}",
                        reason=ReportReason.CHROMIUM_FAILED,
                        stderr_tail=self._stderr_tail(),
                    )
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
    def _tab(self, deadline: float) -> str:
        """The session of the browser's one tab, opened on the first page. Every page is printed in the same tab:
        a new tab per page started a new renderer process for each (measured on the embedded briefings: 0,59
        against 0,33 CPU-seconds a page, browser and renderers counted)."""
        if self._session is None:
            tab = self._call("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"]
            attached = self._call("Target.attachToTarget", {"targetId": tab, "flatten": True}, deadline=deadline)
            self._call("Page.enable", session=attached["sessionId"], deadline=deadline)
            self._session = attached["sessionId"]
        return self._session

    def _print(self, source: Path, deadline: float) -> str:
        session = self._tab(deadline)
        # What the previous page's load left queued (frame and lifecycle events) must not answer for this one.
        self._events = [event for event in self._events if event.get("sessionId") != session]
        self._call("Page.navigate", {"url": source.as_uri()}, session=session, deadline=deadline)
        self._wait_event("Page.loadEventFired", session, deadline)
        return self._call(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session=session, deadline=deadline
        )["data"]

    def _died(self, source: Path) -> CchcReportError:
        """The error for a browser that closed the pipe twice in a row (once is restarted)."""
        returncode = None
        if self._process is not None:
            try:
                returncode = self._process.wait(timeout=5)  # it closed the pipe: it is exiting
            except subprocess.TimeoutExpired:
                pass
        tail = self._stderr_tail()
        ended = f"kết thúc với mã lỗi {returncode}" if returncode else "kết thúc"
        message = f'Chromium {ended} và không tạo ra tệp PDF khi in "{source.name}".'
        return CchcReportError(
            message + (f"\n{tail}" if tail else ""),
            reason=ReportReason.CHROMIUM_FAILED,
            returncode=returncode,
            stderr_tail=tail,
        )

    def print_pdf(self, html: Path, target: Path) -> Path:
        """Print ``html`` to ``target`` (A4 from the page's CSS, backgrounds on), written atomically; the old
        ``target`` stays as it was unless a real PDF (``%PDF-``) replaces it."""
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
                    tail = self._stderr_tail()
                    self._stop()
                    raise CchcReportError(
                        f'Chromium không in xong "{source.name}" sau {self.timeout:g} giây và đã bị dừng.',
                        reason=ReportReason.CHROMIUM_TIMEOUT,
                        stderr_tail=tail,
                    ) from None
                except _Closed:
                    if attempt == 2:
                        error = self._died(source)
                        self._stop()
                        raise error from None
                    self._stop()
                except CchcReportError:
                    self._stop()
                    raise
            pdf = base64.b64decode(data)
            if not pdf.startswith(b"%PDF-"):
                what = "tệp PDF rỗng" if not pdf else "một tệp không phải PDF"
                raise CchcReportError(
                    f'Chromium in ra {what} từ "{source.name}"; tệp PDF cũ (nếu có) được giữ nguyên.',
                    reason=ReportReason.CHROMIUM_FAILED,
                    stderr_tail=self._stderr_tail(),
                )
        write_bytes_atomic(target, pdf)
        return target
