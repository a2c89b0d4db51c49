"""Network I/O for the async pool the SDK makes: an ``httpcore2`` network backend on asyncio's own transports.

Why: under asyncio, ``httpcore2`` 2.16 reaches the socket through anyio streams, which cost on every read and write
a cancel scope with a loop timer (``anyio.fail_after``), a ``@contextmanager`` mapping exceptions, a ``sleep(0)``
checkpoint on each send, and pausing/resuming the transport around each receive; and it learns whether an idle
connection was closed by the server with a ``poll`` system call. With hundreds of image calls in flight that is
most of the client's CPU per call. Measured on 2 cores against the bench server (1 s latency), a batch of 2000 at
``concurrency=500``: 5.2-5.8 s on anyio, 4.7-4.9 s here (ideal 4 s), with less CPU and about 40% less memory.

``pool.AsyncPool`` (the async client the SDK makes) reads and writes every connection through it. It keeps
httpcore2's interface (``AsyncNetworkBackend`` / ``AsyncNetworkStream``) and exceptions, so it could serve an
httpcore2 pool as well; httpx2's maintainers are adding such a backend to httpcore2 (pydantic/httpx2#1170, not in a
release as of httpcore2 2.16.2), and this module can go once a release has it. A client the user passes, proxied
traffic and the sync client keep httpcore2's own backends.

What it keeps from the anyio backend: the same ``httpcore2`` exceptions for the same events (``ConnectError`` /
``ConnectTimeout`` only while connecting or in the TLS handshake, so ``retries.certainly_not_sent`` judges them as
before; ``ReadError`` / ``ReadTimeout`` / ``WriteError`` / ``WriteTimeout`` after), a clean end of stream read as
``b""``, TCP_NODELAY (asyncio sets it), Happy Eyeballs over the addresses a host name resolves to (RFC 8305,
250 ms; an IP address is connected to directly). Memory
stays bounded: a connection buffers at most ``PAUSE_AT`` bytes nobody has read (plus one socket read) before it
stops reading from the socket.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import inspect
import ipaddress
import ssl
from collections.abc import Coroutine, Iterable
from typing import Any, Final, cast

import httpcore2

__all__ = ["PAUSE_AT", "RESUME_AT", "AsyncioBackend", "AsyncioStream"]

PAUSE_AT: Final = 256 * 1024
"""Unread bytes at which a connection stops reading from its socket (the server then waits on TCP)."""
RESUME_AT: Final = 64 * 1024
"""Unread bytes below which a paused connection reads from its socket again."""
HAPPY_EYEBALLS_DELAY_S: Final = 0.25
"""Wait before trying the next resolved address while one connect is pending (RFC 8305's recommended value)."""
_NO_TIMEOUT_S: Final = 24 * 3600.0
"""asyncio insists on a TLS handshake timeout; this stands for "none" (the call's deadline still bounds it)."""

_TRANSPORT_INFO: Final = {
    "ssl_object": "ssl_object",
    "client_addr": "sockname",
    "server_addr": "peername",
    "socket": "socket",
}
"""httpcore2's names for what it asks of a connection -> asyncio's names for the transport's extra info."""

SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


@functools.lru_cache(maxsize=64)
def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _TimedOut(Exception):
    """Set on a waiter whose timeout passed (kept apart from a ``TimeoutError`` raised by anything else)."""


def _text(exc: BaseException) -> str:
    """What an OS or TLS error says, or its class name when it says nothing (``ConnectionResetError()``)."""
    return str(exc) or type(exc).__name__


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


def _time_out(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(_TimedOut())


class _Connection(asyncio.Protocol):
    """What asyncio tells one connection: the bytes received (kept until read), the end of the stream, the loss of
    the connection, and when the socket's send buffer is full (``pause_writing``) or drained again."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: collections.deque[bytes] = collections.deque()
        self.unread = 0
        self.reading_paused = False
        self.writing_paused = False
        self.at_eof = False
        self.lost = False
        self.error: BaseException | None = None
        self.reader: asyncio.Future[None] | None = None
        self.writer: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.unread += len(data)
        if self.unread >= PAUSE_AT and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        _wake(self.reader)

    def eof_received(self) -> bool:
        self.at_eof = True
        _wake(self.reader)
        return False  # close our side too: an HTTP/1.1 server that sent FIN will not read another request

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.error = exc
        _wake(self.reader)
        _wake(self.writer)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        _wake(self.writer)


class AsyncioStream(httpcore2.AsyncNetworkStream):
    """One connection, as ``httpcore2`` reads and writes it."""

    def __init__(self, transport: asyncio.Transport, connection: _Connection) -> None:
        self._transport = transport
        self._connection = connection

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        connection = self._connection
        if not connection.chunks:
            if connection.at_eof or connection.lost:
                return self._ended()
            try:
                await self._wait_for("reader", timeout)
            except _TimedOut:
                raise httpcore2.ReadTimeout(f"no data within {timeout} s") from None
            if not connection.chunks:
                return self._ended()
        chunk = connection.chunks.popleft()
        if len(chunk) > max_bytes:
            connection.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        connection.unread -= len(chunk)
        if connection.reading_paused and connection.unread < RESUME_AT:
            connection.reading_paused = False
            self._transport.resume_reading()
        return chunk

    def _ended(self) -> bytes:
        """A read with nothing buffered and nothing more coming: ``b""`` at a clean end, ``ReadError`` when the
        connection was lost to an error (reset by the peer...)."""
        error = self._connection.error
        if error is not None:
            raise httpcore2.ReadError(_text(error)) from error
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        connection = self._connection
        if connection.lost or self._transport.is_closing():
            raise httpcore2.WriteError("the connection is closed")
        self._transport.write(buffer)
        if connection.writing_paused:  # the socket's send buffer is full: wait until the peer takes some
            try:
                await self._wait_for("writer", timeout)
            except _TimedOut:
                raise httpcore2.WriteTimeout(f"could not send within {timeout} s") from None
            if connection.lost:
                error = connection.error
                raise httpcore2.WriteError(str(error or "the connection was closed while sending")) from error

    async def _wait_for(self, side: str, timeout: float | None) -> None:
        """Wait until the connection wakes the reader (or writer), or raise ``_TimedOut`` after ``timeout`` s: a
        plain future and at most one timer, so a read that finds data buffered costs nothing of this."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        setattr(self._connection, side, waiter)
        timer = None if timeout is None else loop.call_later(timeout, _time_out, waiter)
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()
            setattr(self._connection, side, None)

    async def aclose(self) -> None:
        self.close()

    def close(self) -> None:
        """``aclose`` without the ``await``: it never waits (for callers that must not, on cancellation)."""
        # close() sends what is still queued first; a connection being dropped has nothing worth sending.
        if self._transport.get_write_buffer_size():
            self._transport.abort()
        else:
            self._transport.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore2.AsyncNetworkStream:
        connection = self._connection
        if connection.chunks or connection.at_eof or connection.lost:
            # bytes before the handshake would be taken for data received over TLS
            self._transport.abort()
            raise httpcore2.ConnectError("the server sent data (or closed) before the TLS handshake")
        loop = asyncio.get_running_loop()
        handshake = loop.start_tls(
            self._transport,
            connection,
            ssl_context,
            server_hostname=server_hostname,
            # asyncio's own handshake timeout raises a connection error; ours (below) raises ConnectTimeout
            ssl_handshake_timeout=_NO_TIMEOUT_S if timeout is None else timeout + 1.0,
        )
        try:
            async with asyncio.timeout(timeout):
                transport = await handshake
        except TimeoutError:
            self._transport.abort()
            raise httpcore2.ConnectTimeout(f"TLS handshake not done within {timeout} s") from None
        except (OSError, ssl.SSLError) as exc:
            self._transport.abort()
            raise httpcore2.ConnectError(_text(exc)) from exc
        if transport is None:  # pragma: no cover - only for a transport already closing, ruled out above
            raise httpcore2.ConnectError("the TLS handshake did not complete")
        connection.transport = transport
        return AsyncioStream(connection.transport, connection)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # the loop reads while the connection is idle in the pool, so a FIN (or stray bytes) from the server
            # is known here without asking the socket
            connection = self._connection
            return bool(connection.chunks) or connection.at_eof or connection.lost
        name = _TRANSPORT_INFO.get(info)
        return None if name is None else self._transport.get_extra_info(name)


class AsyncioBackend(httpcore2.AsyncNetworkBackend):
    """Opens ``AsyncioStream`` connections; one instance serves any number of pools (it keeps no per-pool state)."""

    def __init__(self) -> None:
        self._happy_eyeballs: dict[type[asyncio.AbstractEventLoop], bool] = {}

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        options: dict[str, Any] = {"local_addr": None if local_address is None else (local_address, 0)}
        if not _is_ip_address(host) and self._supports_happy_eyeballs(loop):
            # only a name can resolve to several addresses; asyncio's race costs a few tasks (and their garbage
            # cycles) per connection even when there is one address to try
            options["happy_eyeballs_delay"] = HAPPY_EYEBALLS_DELAY_S
        return await self._connect(loop.create_connection(_Connection, host, port, **options), timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore2.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        return await self._connect(loop.create_unix_connection(_Connection, path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def _supports_happy_eyeballs(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Whether the loop's ``create_connection`` takes ``happy_eyeballs_delay`` (asyncio's does; another loop
        implementation may not)."""
        kind = type(loop)
        if kind not in self._happy_eyeballs:
            try:
                supported = "happy_eyeballs_delay" in inspect.signature(loop.create_connection).parameters
            except (TypeError, ValueError):  # a loop written in C may not tell: connect without the race
                supported = False
            self._happy_eyeballs[kind] = supported
        return self._happy_eyeballs[kind]

    @staticmethod
    async def _connect(
        opening: Coroutine[Any, Any, tuple[asyncio.BaseTransport, _Connection]],
        timeout: float | None,
        socket_options: Iterable[SocketOption] | None,
    ) -> AsyncioStream:
        try:
            async with asyncio.timeout(timeout):
                transport, connection = await opening
        except TimeoutError:  # before OSError: TimeoutError is one
            raise httpcore2.ConnectTimeout(f"no connection within {timeout} s") from None
        except OSError as exc:  # refused, unreachable, no such host (socket.gaierror)...
            raise httpcore2.ConnectError(_text(exc)) from exc
        except UnicodeError as exc:  # a name the idna codec refuses (a label empty or over 63 characters), as anyio
            raise httpcore2.ConnectError(_text(exc)) from exc
        stream = AsyncioStream(cast(asyncio.Transport, transport), connection)
        if socket_options:
            sock = transport.get_extra_info("socket")
            try:
                for option in socket_options:
                    sock.setsockopt(*option)
            except OSError as exc:
                cast(asyncio.Transport, transport).abort()
                raise httpcore2.ConnectError(_text(exc)) from exc
        return stream
