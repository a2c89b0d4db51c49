"""A real HTTP server on 127.0.0.1 for tests: records requests and answers from a scripted queue.

Usage (the ``server`` fixture in ``tests/conftest.py`` does the starting and stopping)::

    with LocalServer() as server:
        server.enqueue(503, json={"error": "busy"}, headers={"Retry-After": "0"})
        server.enqueue(200, json={"created": 1, "data": []})
        ...  # send requests to server.url
        assert len(server.requests) == 2

When the queue is empty the server answers 200 with ``DEFAULT_RESPONSE``. A scripted answer can wait before
answering (``delay``), close the connection without answering (``drop=True``), close it in the middle of the
status line and headers (``partial=True``), send the headers and half the body and then close the connection
(``truncate=True``) or wait that long before the second half (``body_delay``). ``respond``, when set, answers
instead of the empty queue (a function of the request and of how many requests came before it); ``in_flight`` and
``peak_in_flight`` count the requests being answered at once, and each request records when it arrived.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json as jsonlib
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["DEFAULT_RESPONSE", "LocalServer", "RecordedRequest", "ScriptedResponse", "refused_port"]

DEFAULT_RESPONSE: dict[str, Any] = {"created": 1700000000, "data": [{"url": "https://example.com/img.png"}]}

_MAX_REQUESTS_PER_CONNECTION = 1000
_MAX_BODY_BYTES = 64 * 1024 * 1024
_SOCKET_TIMEOUT = 10.0


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any  # the parsed body when it is JSON, else None
    received_at: float = 0.0  # time.monotonic() when the request had arrived


@dataclass(frozen=True)
class ScriptedResponse:
    """One answer to give."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    drop: bool = False
    partial: bool = False
    truncate: bool = False
    body_delay: float = 0.0


def refused_port() -> int:
    """A local port nobody listens on (bound, then released), so connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def scripted(
    status: int = 200,
    *,
    json: Any = None,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> ScriptedResponse:
    """An answer: ``json`` (serialised, with a JSON content type) or raw ``body``."""
    all_headers = dict(headers or {})
    if json is not None:
        payload = jsonlib.dumps(json).encode()
        all_headers.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        payload = body.encode()
    else:
        payload = body or b""
    return ScriptedResponse(status, all_headers, payload, delay)


class LocalServer:
    """The test server; start it with ``start()`` or ``with``, stop it with ``stop()``."""

    def __init__(self) -> None:
        self.respond: Callable[[RecordedRequest, int], ScriptedResponse] | None = None
        self.in_flight = 0
        self.peak_in_flight = 0
        self.requests: list[RecordedRequest] = []
        self._queue: deque[ScriptedResponse] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and wake handlers that are waiting out a delay."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def enqueue(
        self,
        status: int = 200,
        *,
        json: Any = None,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        drop: bool = False,
        partial: bool = False,
        truncate: bool = False,
        body_delay: float = 0.0,
    ) -> None:
        """Queue the next answer: ``json`` (serialised, with a JSON content type) or raw ``body``."""
        answer = dataclasses.replace(
            scripted(status, json=json, body=body, headers=headers, delay=delay),
            drop=drop,
            partial=partial,
            truncate=truncate,
            body_delay=body_delay,
        )
        with self._lock:
            self._queue.append(answer)

    def reset(self) -> None:
        """Forget recorded requests and queued answers."""
        with self._lock:
            self.requests.clear()
            self._queue.clear()

    def _next(self, request: RecordedRequest) -> ScriptedResponse:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
            respond, count = self.respond, len(self.requests) - 1
        if respond is not None:
            return respond(request, count)
        body = jsonlib.dumps(DEFAULT_RESPONSE).encode()
        return ScriptedResponse(200, {"Content-Type": "application/json"}, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # room for many concurrent connects
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up (timeouts, dropped connections) are expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _SOCKET_TIMEOUT
    wbufsize = 64 * 1024  # an answer leaves in one write (flushed after each request)...
    disable_nagle_algorithm = True  # ...and without waiting for the client's delayed ACK
    server: _Server

    def handle(self) -> None:
        owner = self.server.owner
        with owner._lock:
            owner._connections.add(self.connection)
        try:
            self.close_connection = True
            self.handle_one_request()
            served = 1
            while not self.close_connection and served < _MAX_REQUESTS_PER_CONNECTION:
                if owner._stopping.is_set():
                    break
                self.handle_one_request()
                served += 1
        finally:
            with owner._lock:
                owner._connections.discard(self.connection)

    def _serve(self) -> None:
        owner = self.server.owner
        if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
            raw = self._read_chunked()  # a body of unknown length (an upload from a non-seekable stream)
        else:
            length = min(int(self.headers.get("Content-Length") or 0), _MAX_BODY_BYTES)
            raw = self.rfile.read(length) if length else b""
        try:
            parsed = jsonlib.loads(raw) if raw else None
        except ValueError:
            parsed = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        with owner._lock:
            owner.in_flight += 1
            owner.peak_in_flight = max(owner.peak_in_flight, owner.in_flight)
        try:
            self._answer(RecordedRequest(self.command, self.path, headers, raw, parsed, time.monotonic()))
        finally:
            with owner._lock:
                owner.in_flight -= 1

    def _answer(self, request: RecordedRequest) -> None:
        owner = self.server.owner
        answer = owner._next(request)
        if answer.delay and owner._stopping.wait(answer.delay):
            self.close_connection = True
            return
        if answer.drop:
            self.close_connection = True
            return
        if answer.partial:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: applica")
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.truncate or answer.body_delay:
            half = len(answer.body) // 2
            self.wfile.write(answer.body[:half])
            self.wfile.flush()
            if answer.truncate or owner._stopping.wait(answer.body_delay):
                self.close_connection = True
                return
            self.wfile.write(answer.body[half:])
            return
        self.wfile.write(answer.body)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean
