"""The command line's progress line: what a call is doing, on standard error, while it runs.

``Progress`` holds the state of one call and redraws one line (``\\r``) from a thread every ``interval`` seconds:
the bytes sent while a request goes out, the time waited for the answer, the bytes received while it arrives.
``ProgressTransport`` wraps an ``httpx2`` transport and reports those bytes to it; the CLI gives the ``Orq`` client
an ``httpx2.Client`` with this transport, so the library's transport, retries and body reader stay as they are.

A progress library (rich, tqdm) would add a runtime dependency for one line of text; the standard library is
enough here.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TextIO

import httpx2

__all__ = ["Progress", "ProgressTransport"]

_MIB = 1024 * 1024


class Progress:
    """The state of one call, drawn as one line on ``stream`` while the ``with`` block runs (when ``enabled``).

    The transport reports through ``request_started``, ``sent``, ``answer_started`` and ``received``, from the
    thread that sends; the drawing thread only reads. ``text()`` is the line as it would be drawn now.
    """

    def __init__(
        self,
        stream: TextIO,
        label: str,
        *,
        enabled: bool,
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.label = label
        self.enabled = enabled
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.attempt = 0
        self.upload_total: int | None = None
        self.uploaded = 0
        self.download_total: int | None = None
        self.downloaded = 0
        self.answering = False  # the status line and headers of the answer have arrived
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False

    # -- reports from the transport ------------------------------------------------------------------------------

    def request_started(self, size: int | None) -> None:
        self.attempt += 1
        self.upload_total, self.uploaded = size, 0
        self.download_total, self.downloaded = None, 0
        self.answering = False

    def sent(self, size: int) -> None:
        self.uploaded += size

    def answer_started(self, size: int | None) -> None:
        self.answering = True
        self.download_total = size

    def received(self, size: int) -> None:
        self.downloaded += size

    # -- drawing -------------------------------------------------------------------------------------------------

    def text(self) -> str:
        """The line for the current state: ``orq-images generate: receiving 3.2 of 12.0 MiB, 14 s``."""
        elapsed = f"{self.clock() - self.started:.0f} s"
        retry = f" (attempt {self.attempt})" if self.attempt > 1 else ""
        if self.answering:
            state = f"receiving {_amount(self.downloaded, self.download_total)}"
        elif self.upload_total is not None and self.uploaded < self.upload_total and self.upload_total > _MIB:
            state = f"sending {_amount(self.uploaded, self.upload_total)}"
        elif self.attempt:
            state = "waiting for the answer"
        else:
            state = "connecting"
        return f"{self.label}: {state}{retry}, {elapsed}"

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="orq-images-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop drawing and clear the line (idempotent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            width = shutil.get_terminal_size().columns
            self.stream.write("\r\x1b[K" + self.text()[: max(width - 1, 10)])
            self.stream.flush()
            self._drawn = True


def _amount(done: int, total: int | None) -> str:
    if total:
        return f"{done / _MIB:.1f} of {total / _MIB:.1f} MiB"
    return f"{done / _MIB:.1f} MiB"


class ProgressTransport(httpx2.BaseTransport):
    """An ``httpx2`` transport that tells a ``Progress`` about the bytes going out and coming in."""

    def __init__(self, inner: httpx2.BaseTransport, progress: Progress) -> None:
        self._inner = inner
        self._progress = progress

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        length = request.headers.get("content-length", "")
        self._progress.request_started(int(length) if length.isdecimal() else None)
        assert isinstance(request.stream, httpx2.SyncByteStream)
        request.stream = _Counted(request.stream, self._progress.sent)
        response = self._inner.handle_request(request)
        length = response.headers.get("content-length", "")
        self._progress.answer_started(int(length) if length.isdecimal() else None)
        assert isinstance(response.stream, httpx2.SyncByteStream)
        response.stream = _Counted(response.stream, self._progress.received)
        return response

    def close(self) -> None:
        self._inner.close()


class _Counted(httpx2.SyncByteStream):
    """A byte stream that reports the size of each chunk as it passes."""

    def __init__(self, stream: httpx2.SyncByteStream, report: Callable[[int], None]) -> None:
        self._stream = stream
        self._report = report

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._report(len(chunk))
            yield chunk

    def close(self) -> None:
        self._stream.close()
