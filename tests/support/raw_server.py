"""A byte-level HTTP server on 127.0.0.1 for faults ``server.py`` cannot script: it reads each request itself, records
it, then hands the socket to a behaviour that writes whatever bytes it likes (a drip, nothing, an endless body, a
decompression bomb) until it is done, the client hangs up, or the server stops.

Usage::

    with RawServer(drip(interval=0.2)) as server:
        ...  # send requests to server.url
        assert server.posts == 1
"""

from __future__ import annotations

import contextlib
import socket
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType

__all__ = [
    "Behaviour",
    "RawRequest",
    "RawServer",
    "answer",
    "close_after_request",
    "drip",
    "endless",
    "gzip_bomb",
    "headers_then_silence",
]


@dataclass(frozen=True)
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    port: int  # the client's port: which connection it came on


Behaviour = Callable[[socket.socket, RawRequest, threading.Event], bool]
"""Answers one request on the socket; returns whether the connection stays open for another request. The event is
set when the server stops: a behaviour that waits or loops must end then."""


class RawServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[RawRequest] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def posts(self) -> int:
        with self._lock:
            return sum(request.method == "POST" for request in self.requests)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffered = b""
        with contextlib.suppress(OSError):
            while not self.stopping.is_set():
                request, buffered = _read_request(conn, buffered, conn.getpeername()[1])
                if request is None:
                    break
                with self._lock:
                    self.requests.append(request)
                if not self.behaviour(conn, request, self.stopping):
                    break
        with contextlib.suppress(OSError):
            conn.close()


def _read_request(conn: socket.socket, buffered: bytes, port: int) -> tuple[RawRequest | None, bytes]:
    while b"\r\n\r\n" not in buffered:
        data = conn.recv(65536)
        if not data:
            return None, b""
        buffered += data
    head, _, rest = buffered.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        data = conn.recv(65536)
        if not data:
            return None, b""
        rest += data
    return RawRequest(method, path, headers, rest[:length], port), rest[length:]


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# -- behaviours ------------------------------------------------------------------------------------------------------


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> Behaviour:
    """A plain answer; the connection stays open."""

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        conn.sendall(_head(status, {"Content-Length": str(len(body)), **(headers or {})}) + body)
        return True

    return behave


def close_after_request() -> Behaviour:
    """The request is read whole (the server may act on it), then the connection closes without an answer."""

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        return False

    return behave


def drip(interval: float, status: int = 200) -> Behaviour:
    """Headers at once, then one byte of the body every ``interval`` seconds, for ever."""

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        conn.sendall(_head(status, {"Content-Type": "application/json", "Content-Length": "100000000"}) + b"{")
        while not stopping.wait(interval):
            conn.sendall(b" ")
        return False

    return behave


def headers_then_silence(after: float) -> Behaviour:
    """Nothing for ``after`` seconds, then the headers and the first byte of the body, then nothing at all."""

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        if not stopping.wait(after):
            conn.sendall(_head(200, {"Content-Type": "application/json", "Content-Length": "1000"}) + b"{")
            stopping.wait(30)
        return False

    return behave


def endless(
    status: int = 200, prefix: bytes = b'{"created": 1, "data": [{"b64_json": "', coding: str = ""
) -> Behaviour:
    """A body that never ends (chunked transfer), ``prefix`` then base64 characters for ever; with ``coding="gzip"``
    compressed (as a gzip bomb is)."""

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
        if coding:
            headers["Content-Encoding"] = coding
        conn.sendall(_head(status, headers))
        for piece in _body(prefix, coding):
            if stopping.is_set():
                break
            conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        return False

    return behave


def gzip_bomb(inflated: int, status: int = 200, prefix: bytes = b'{"created": 1, "data": [{"b64_json": "') -> Behaviour:
    """A gzip body of a few hundred KiB that inflates to ``inflated`` bytes (``prefix``, then ``A`` characters)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"A" * (1024 * 1024)
    parts = [compressor.compress(prefix)]
    parts += [compressor.compress(block) for _ in range(inflated // len(block))]
    payload = b"".join(parts) + compressor.flush()
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": str(len(payload))}

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        conn.sendall(_head(status, headers) + payload)
        return False

    return behave


def _body(prefix: bytes, coding: str) -> Iterator[bytes]:
    block = b"QUJD" * 16384  # 64 KiB
    if not coding:
        yield prefix
        while True:
            yield block
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    yield compressor.compress(prefix) + compressor.flush(zlib.Z_SYNC_FLUSH)
    while True:
        yield compressor.compress(block * 16) + compressor.flush(zlib.Z_SYNC_FLUSH)
