"""The connection pool of the async client the SDK makes: HTTP/1.1 on ``h11``, over ``netio``'s asyncio connections.

Why: per request, httpcore2's pool and connection classes (httpx2's own async transport) cost more than everything
else a call does: anyio locks, events and shielded cancel scopes (each asking sniffio which library runs), a tracing
context per phase, and a walk over every connection the pool holds when a request enters and when it leaves. With
hundreds of image calls in flight that is most of the client's CPU time, and the client's CPU time is what spreads
a batch's calls out. Measured on 2 cores against the bench server (1 s latency), a batch of 2000 at
``concurrency=500``: 4.7-4.8 s on 32 httpcore2 pools side by side (the shards this module replaced), 4.4-4.5 s
here (ideal 4 s), with half the CPU time.

What it keeps from httpcore2: the same wire behaviour (``h11`` frames and parses every message, as in httpcore2;
``h11`` comes with httpx2), the same limits (``httpx2.Limits``: connections, keep-alive connections, keep-alive
expiry), the timeouts of ``request.extensions["timeout"]`` (connect, write, read, pool), and the same exceptions
(httpx2's, chained from httpcore2's for connect failures, so ``retries.certainly_not_sent`` judges them as before). A
request whose sending fails goes on to read the answer (a server may answer early and close), as in httpcore2.
What it leaves out: HTTP/2 (``http2=True`` gets httpx2's own transport), ``CONNECT`` / protocol upgrades and the
``trace`` extension (the SDK sends neither). Proxies are httpx2's: the client keeps its proxy transports.

Each operation is O(1): idle connections are kept per origin, most recently used first; a request that finds the
pool full waits its turn (first come, first served) up to the pool timeout.

Where it differs from httpcore2 2.16, on purpose (tests/runtime/test_pool_wire.py sends the same requests through
both): bytes that follow an answer in the same read are not taken for the next request's answer (the connection is
dropped instead), an answer that arrived before a reset during an upload is returned, and a streamed body shorter
than its length is httpx2's ``LocalProtocolError`` rather than h11's own exception.

Why written here: no maintained package offers an asyncio HTTP/1.1 pool for httpx2 other than aiohttp's (through
httpx-aiohttp: an extra here, since the runtime needs only httpx2); ``h11`` is the parser httpcore2 itself uses.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
from typing import TYPE_CHECKING, Any, Final, cast

import h11
import httpcore2
import httpx2

from .netio import AsyncioBackend, AsyncioStream

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, AsyncIterator

__all__ = ["AsyncPool", "PooledAsyncClient"]

READ_SIZE: Final = 64 * 1024
"""Bytes asked of the connection per read (httpcore2's figure)."""
MAX_HEAD_SIZE: Final = 100 * 1024
"""The largest response head (status line and headers) accepted (httpcore2's figure)."""
COALESCE_UP_TO: Final = 64 * 1024
"""A request body up to this size goes out in one write with the head (httpcore2 writes them apart: two packets,
and the server wakes twice per request)."""

_Origin = tuple[bytes, bytes, int]
"""scheme, host, port"""

_MAPPED: Final[tuple[tuple[type[Exception], type[httpx2.TransportError]], ...]] = (
    (httpcore2.ConnectTimeout, httpx2.ConnectTimeout),
    (httpcore2.ConnectError, httpx2.ConnectError),
    (httpcore2.ReadTimeout, httpx2.ReadTimeout),
    (httpcore2.ReadError, httpx2.ReadError),
    (httpcore2.WriteTimeout, httpx2.WriteTimeout),
    (httpcore2.WriteError, httpx2.WriteError),
    (h11.RemoteProtocolError, httpx2.RemoteProtocolError),
    (h11.LocalProtocolError, httpx2.LocalProtocolError),
)
"""What ``netio`` and ``h11`` raise -> what httpx2's own transport raises for the same event."""


def _mapped(exc: Exception, request: httpx2.Request) -> Exception:
    """``exc`` as httpx2's own transport would raise it, chained to ``exc``; anything else as it is."""
    for raised, mapped in _MAPPED:
        if isinstance(exc, raised):
            error = mapped(str(exc) or type(exc).__name__, request=request)
            error.__cause__ = exc
            return error
    return exc


def _closed_pool(request: httpx2.Request) -> httpx2.ConnectError:
    # Nothing was sent: a ConnectError without a cause is "certainly not sent" (the client's own check then says
    # the client was closed).
    return httpx2.ConnectError("the connection pool was closed", request=request)


class _Connection:
    """One HTTP/1.1 connection: its network stream and its ``h11`` state."""

    __slots__ = ("h11", "idle_since", "origin", "stream")

    def __init__(self, stream: AsyncioStream, origin: _Origin) -> None:
        self.stream = stream
        self.origin = origin
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_SIZE)
        self.idle_since = 0.0

    async def next_event(self, timeout: float | None) -> h11.Event | type[h11.PAUSED]:
        """The next ``h11`` event of the answer, reading from the network as ``h11`` needs."""
        state = self.h11
        while True:
            event = state.next_event()
            if event is not h11.NEED_DATA:
                return cast("h11.Event | type[h11.PAUSED]", event)
            data = await self.stream.read(READ_SIZE, timeout)
            if not data and state.their_state is h11.SEND_RESPONSE:
                raise h11.RemoteProtocolError("Server disconnected without sending a response.")
            state.receive_data(data)


class AsyncPool(httpx2.AsyncBaseTransport):
    """An httpx2 transport keeping HTTP/1.1 connections to any number of origins within ``limits`` (see the
    module docstring). ``ssl_context`` is used for every ``https`` origin (its ALPN is set to HTTP/1.1)."""

    def __init__(
        self,
        *,
        limits: httpx2.Limits,
        ssl_context: ssl.SSLContext,
    ) -> None:
        ssl_context.set_alpn_protocols(["http/1.1"])
        self._ssl_context = ssl_context
        self._backend = AsyncioBackend()
        self._max_connections = limits.max_connections
        self._max_idle = limits.max_keepalive_connections
        self._expiry = limits.keepalive_expiry
        self._idle: dict[_Origin, list[_Connection]] = collections.defaultdict(list)
        self._idle_count = 0
        self._open = 0  # connections counted against the limit: connecting, busy and idle
        self._connections: set[_Connection] = set()  # every open one, for aclose()
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()
        self._swept_at = 0.0
        self._closed = False

    @property
    def connections(self) -> int:
        """Connections open or opening (busy and idle)."""
        return self._open

    @property
    def idle_connections(self) -> int:
        """Connections kept open for the next request."""
        return self._idle_count

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._closed:
            raise _closed_pool(request)
        url = request.url
        scheme = url.raw_scheme
        if scheme not in (b"http", b"https"):
            raise httpx2.UnsupportedProtocol(f"Request URL has an unsupported protocol '{scheme.decode()}://'.")
        port = url.port or (443 if scheme == b"https" else 80)
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        connection = await self._acquire((scheme, url.raw_host, port), request, timeouts)
        try:
            event = await self._exchange(connection, request, timeouts)
        except Exception as exc:
            self._forget(connection)  # in an unknown state
            raise _mapped(exc, request)  # noqa: B904 - chained by _mapped
        except BaseException:  # cancelled (the call's deadline) while sending or waiting
            self._forget(connection)
            raise
        return httpx2.Response(
            event.status_code,
            headers=event.headers.raw_items(),
            stream=_Body(self, connection, request, timeouts.get("read")),
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": event.reason,
                "network_stream": connection.stream,
            },
        )

    async def aclose(self) -> None:
        """Close every connection, busy ones included; requests waiting for a place fail as not sent
        (``ConnectError``)."""
        self._closed = True
        connections, self._connections = self._connections, set()
        self._open -= len(connections)
        self._idle.clear()
        self._idle_count = 0
        for connection in connections:
            connection.stream.close()
        self._wake_all()

    # -- sending -------------------------------------------------------------------------------------------------

    async def _exchange(
        self, connection: _Connection, request: httpx2.Request, timeouts: dict[str, float | None]
    ) -> h11.Response:
        """Send ``request`` on ``connection`` and read the head of the answer."""
        state = connection.h11
        url = request.url
        head = h11.Request(method=request.method, target=url.raw_path, headers=request.headers.raw)
        write_timeout = timeouts.get("write")
        try:
            try:
                content: bytes | None = request.content
            except httpx2.RequestNotRead:
                content = None
            if content is None:  # a streamed body (an upload): sent as it is read
                await connection.stream.write(state.send(head) or b"", write_timeout)
                chunks = aiter(cast("AsyncIterable[bytes]", request.stream))
                try:
                    async for chunk in chunks:
                        await connection.stream.write(state.send(h11.Data(data=chunk)) or b"", write_timeout)
                finally:  # an upload cut short closes its source now (its file), not when collected
                    close = getattr(chunks, "aclose", None)
                    if close is not None:
                        await close()
                await connection.stream.write(state.send(h11.EndOfMessage()) or b"", write_timeout)
            elif len(content) <= COALESCE_UP_TO:  # head and body in one write: one packet for a small request
                data = state.send(head) or b""
                if content:
                    data += state.send(h11.Data(data=content)) or b""
                data += state.send(h11.EndOfMessage()) or b""
                await connection.stream.write(data, write_timeout)
            else:  # a large body is not copied to join it
                await connection.stream.write(state.send(head) or b"", write_timeout)
                await connection.stream.write(state.send(h11.Data(data=content)) or b"", write_timeout)
                await connection.stream.write(state.send(h11.EndOfMessage()) or b"", write_timeout)
        except httpcore2.WriteError:
            pass  # as httpcore2: a server may answer before it reads the whole request (and close); read that
        read_timeout = timeouts.get("read")
        while True:
            event = await connection.next_event(read_timeout)
            if isinstance(event, h11.Response):
                return event
            if not isinstance(event, h11.InformationalResponse) or event.status_code == 101:
                raise h11.RemoteProtocolError(f"unexpected {type(event).__name__} before the answer")

    # -- the pool --------------------------------------------------------------------------------------------------

    async def _acquire(
        self, origin: _Origin, request: httpx2.Request, timeouts: dict[str, float | None]
    ) -> _Connection:
        """An idle connection to ``origin`` that the server has not closed, or a new one within the limit."""
        while True:
            connection = self._take_idle(origin)
            if connection is not None:
                return connection
            if self._max_connections is None or self._open < self._max_connections:
                break
            if self._idle_count:  # the pool is full, partly of idle connections to other origins: close one
                self._forget(self._oldest_idle())
                continue
            await self._wait_turn(timeouts.get("pool"), request)
        self._open += 1
        try:
            connection = await self._connect(origin, request, timeouts.get("connect"))
        except BaseException:
            self._open -= 1
            self._wake_one()
            raise
        if self._closed:  # aclose() ran while it connected
            self._open -= 1
            connection.stream.close()
            raise _closed_pool(request)
        self._connections.add(connection)
        return connection

    async def _connect(self, origin: _Origin, request: httpx2.Request, timeout: float | None) -> _Connection:
        scheme, host, port = origin
        try:
            stream = await self._backend.connect_tcp(host.decode("ascii"), port, timeout=timeout)
            if scheme == b"https":
                server_hostname = request.extensions.get("sni_hostname") or host.decode("ascii")
                try:
                    stream = await stream.start_tls(self._ssl_context, server_hostname=server_hostname, timeout=timeout)
                except BaseException:
                    await stream.aclose()
                    raise
        except Exception as exc:
            # chained by _mapped; ``from exc`` would make an exception it does not map its own cause
            raise _mapped(exc, request)  # noqa: B904
        return _Connection(cast(AsyncioStream, stream), origin)

    def _take_idle(self, origin: _Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        if not idle:
            return None
        now = asyncio.get_running_loop().time()
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            fresh = self._expiry is None or now - connection.idle_since < self._expiry
            if fresh and not connection.stream.get_extra_info("is_readable"):
                return connection
            self._forget(connection)  # the server closed it (or sent something unasked), or it expired
        return None

    def _oldest_idle(self) -> _Connection:
        oldest = min((idle[0] for idle in self._idle.values() if idle), key=lambda connection: connection.idle_since)
        self._idle[oldest.origin].remove(oldest)
        self._idle_count -= 1
        return oldest

    def _release(self, connection: _Connection, reusable: bool) -> None:
        """A response was closed: keep its connection for the next request, or close it."""
        if connection not in self._connections:  # closed by aclose() meanwhile
            return
        if reusable and (self._max_idle is None or self._idle_count < self._max_idle):
            now = asyncio.get_running_loop().time()
            connection.idle_since = now
            self._idle[connection.origin].append(connection)
            self._idle_count += 1
            if self._expiry is not None and now - self._swept_at > self._expiry:
                self._sweep(now)
            self._wake_one()
        else:
            self._forget(connection)

    def _sweep(self, now: float) -> None:
        """Close the idle connections that expired (those of origins no longer asked for included)."""
        assert self._expiry is not None
        self._swept_at = now
        for origin, idle in list(self._idle.items()):
            while idle and now - idle[0].idle_since >= self._expiry:
                self._idle_count -= 1
                self._forget(idle.pop(0))
            if not idle:  # an origin asked for once (an image host) leaves nothing behind
                del self._idle[origin]

    def _forget(self, connection: _Connection) -> None:
        """Close ``connection`` and give its place to the next request waiting for one."""
        if connection in self._connections:
            self._connections.discard(connection)
            self._open -= 1
            self._wake_one()
        connection.stream.close()

    async def _wait_turn(self, timeout: float | None, request: httpx2.Request) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                await waiter
        except TimeoutError:
            raise httpx2.PoolTimeout("no connection became free within the pool timeout", request=request) from None
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._wake_one()  # woken and cancelled at once: pass the turn on
            raise
        finally:
            if not waiter.done():
                self._waiting.remove(waiter)
        if self._closed:
            raise _closed_pool(request)

    def _wake_one(self) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _wake_all(self) -> None:
        while self._waiting:
            self._wake_one()


class _Body(httpx2.AsyncByteStream):
    """The body of one answer, read from its connection; closing it gives the connection back to the pool."""

    __slots__ = ("_connection", "_done", "_pool", "_request", "_timeout")

    def __init__(self, pool: AsyncPool, connection: _Connection, request: httpx2.Request, timeout: float | None):
        self._pool = pool
        self._connection: _Connection | None = connection
        self._request = request
        self._timeout = timeout
        self._done = False

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        connection = self._connection
        if connection is None or self._done:
            raise StopAsyncIteration
        try:
            event = await connection.next_event(self._timeout)
        except Exception as exc:
            raise _mapped(exc, self._request)  # noqa: B904 - chained by _mapped
        if type(event) is h11.Data:
            return bytes(event.data)
        self._done = True  # EndOfMessage (or PAUSED, which h11 gives after it)
        raise StopAsyncIteration

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        state = connection.h11
        # Bytes after the answer that came in the same read are nothing we asked for; kept, h11 would read them as
        # the next request's answer (httpcore2 2.16 does). Bytes arriving later are seen by ``_take_idle``.
        # Not reusable either when closed before its end, or when the server will close it.
        reusable = self._done and state.our_state is h11.DONE and state.their_state is h11.DONE
        reusable = reusable and not state.trailing_data[0]
        if reusable:
            state.start_next_cycle()
        self._pool._release(connection, reusable)


class PooledAsyncClient(httpx2.AsyncClient):
    """An ``httpx2.AsyncClient`` whose own transport is an ``AsyncPool`` with the client's ``limits`` (and TLS
    settings); with ``http2=True`` it is httpx2's own. Proxies from the environment (``HTTPS_PROXY``,
    ``NO_PROXY``...) apply as in any ``httpx2.AsyncClient``: passing ``transport=`` would switch them off, so this
    overrides ``_init_transport``, the method httpx2 makes its default transport with (a test checks that it is
    still called)."""

    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx2.Limits | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> httpx2.AsyncBaseTransport:
        if transport is not None:
            return transport
        limits = httpx2.Limits() if limits is None else limits  # AsyncClient always passes its own
        if http2 or not http1:
            return httpx2.AsyncHTTPTransport(
                verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, limits=limits
            )
        ssl_context = httpx2.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
        return AsyncPool(limits=limits, ssl_context=ssl_context)
