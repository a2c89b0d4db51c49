"""The async connection pool of the client the SDK makes: ``SHARDS`` httpx2 pools side by side, one budget.

Why: httpcore2's ``AsyncConnectionPool`` walks every connection it holds twice per request (when the request
enters and when it leaves), probing each idle one with a ``poll`` system call, so with hundreds of image calls in
flight a call costs more the more calls are in flight. Measured on 2 busy cores against the bench server (1 s
latency), the same 1000 connections as one pool, then as 32: 500 calls in flight 2.4 s -> 1.8 s, 1000 in flight
5.2 s -> 2.7 s, a batch of 2000 at ``concurrency=500`` 7.7 s -> 5.3 s (ideal 4 s), with half the CPU time per
call. From 8 to 1000 pools the figures were alike within noise; 32 keeps the keep-alive budget (100) at about 3
per pool. More keep-alive made no difference split (on one pool it makes things worse: more idle connections to
walk). Each pool does its network I/O through ``netio.AsyncioBackend`` (asyncio's transports instead of anyio's
streams: see that module).

``ShardedAsyncTransport`` sends each request through the pool with the fewest requests in flight, the first such
pool on a tie, so calls made one after another keep reusing one keep-alive connection of the first pool. A request
counts as in flight until its response stream is closed (read to the end, or closed early) or until sending it
raised or was cancelled. The pools are plain ``httpx2.AsyncHTTPTransport``s: their exceptions, extensions and
streaming are httpx2's own, and ``retries.certainly_not_sent`` judges their errors as it judges one pool's.

No well-kept library spreads requests over httpx pools. Subclassing httpcore2's pool to make its bookkeeping
cheaper would mean owning its private ``_assign_requests_to_connections`` (request reservation, cancellation, HTTP/2
multiplexing) across httpcore2 releases; composing public transports needs none of it. ``aiohttp_client()`` (the
``aiohttp`` extra) remains the cheapest pool per call; a client the user passes is used as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, Final

import httpcore2
import httpx2

from .netio import AsyncioBackend

if TYPE_CHECKING:
    import ssl

__all__ = ["SHARDS", "ShardedAsyncClient", "ShardedAsyncTransport", "split_limits"]

SHARDS: Final = 32
"""Pools in the client the SDK makes (each keeps 1/32 of ``transport.DEFAULT_LIMITS``); see the module docstring."""


def split_limits(limits: httpx2.Limits, shards: int) -> list[httpx2.Limits]:
    """``limits`` divided over ``shards`` pools: the connection and keep-alive counts shared out as evenly as
    integers allow (the first pools take the remainder; each pool keeps at least one connection alive), the same
    keep-alive expiry. ``None`` (no limit) stays ``None`` in every pool."""

    def share(total: int | None, index: int, at_least: int = 0) -> int | None:
        return None if total is None else max(at_least, total // shards + (index < total % shards))

    return [
        httpx2.Limits(
            max_connections=share(limits.max_connections, index),
            max_keepalive_connections=share(limits.max_keepalive_connections, index, at_least=1),
            keepalive_expiry=limits.keepalive_expiry,
        )
        for index in range(shards)
    ]


class ShardedAsyncTransport(httpx2.AsyncBaseTransport):
    """An ``httpx2.AsyncHTTPTransport`` made of ``shards`` independent pools sharing ``limits`` (see the module
    docstring). The other arguments are ``httpx2.AsyncHTTPTransport``'s; the TLS context is made once and shared.
    With ``limits.max_connections`` below ``shards``, there is one pool per connection."""

    def __init__(
        self,
        *,
        limits: httpx2.Limits,
        shards: int = SHARDS,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
    ) -> None:
        if shards < 1:
            raise ValueError(f"shards must be at least 1, got {shards!r}")
        if limits.max_connections is not None:
            shards = max(1, min(shards, limits.max_connections))
        ssl_context = httpx2.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
        backend = AsyncioBackend()
        self._pools: tuple[httpx2.AsyncHTTPTransport, ...] = tuple(
            _pool_on(backend, ssl_context=ssl_context, trust_env=trust_env, http1=http1, http2=http2, limits=part)
            for part in split_limits(limits, shards)
        )
        self._in_flight = [0] * shards

    @property
    def in_flight(self) -> Sequence[int]:
        """Requests in flight on each pool, in pool order (a copy)."""
        return tuple(self._in_flight)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        in_flight = self._in_flight
        index = in_flight.index(min(in_flight))
        in_flight[index] += 1
        try:
            response = await self._pools[index].handle_async_request(request)
        except BaseException:  # an error, or cancelled (the call's deadline): no response will release it
            in_flight[index] -= 1
            raise
        stream = response.stream
        if not isinstance(stream, httpx2.AsyncByteStream):  # pragma: no cover - AsyncHTTPTransport's always is
            in_flight[index] -= 1
            raise TypeError(f"an async transport answered with a {type(stream).__name__}")
        response.stream = _ReleasingStream(stream, in_flight, index)
        return response

    async def aclose(self) -> None:
        """Close every pool (all of them, even when closing one raises)."""
        async with contextlib.AsyncExitStack() as closing:
            for pool in self._pools:
                closing.push_async_callback(pool.aclose)


def _pool_on(
    backend: httpcore2.AsyncNetworkBackend,
    *,
    ssl_context: ssl.SSLContext,
    trust_env: bool,
    http1: bool,
    http2: bool,
    limits: httpx2.Limits,
) -> httpx2.AsyncHTTPTransport:
    """An ``httpx2.AsyncHTTPTransport`` whose connection pool does its network I/O through ``backend``.

    httpx2 has no argument for it, httpcore2's pool has (``network_backend=``): the pool httpx2 made (its private
    ``_pool``, which ``deadline.enforce_on`` relies on too) is given ``backend`` before it opens any connection,
    keeping every other setting as httpx2 made it. Should httpx2 or httpcore2 keep these elsewhere one day, the
    transport stays as httpx2 made it (anyio's I/O: correct, only slower); a test fails so that we notice."""
    transport = httpx2.AsyncHTTPTransport(
        verify=ssl_context, trust_env=trust_env, http1=http1, http2=http2, limits=limits
    )
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore2.AsyncConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = backend  # read when the pool opens a connection
    return transport


class _ReleasingStream(httpx2.AsyncByteStream):
    """A response's stream that takes its request off its pool's in-flight count once, when closed."""

    __slots__ = ("_in_flight", "_index", "_stream")

    def __init__(self, stream: httpx2.AsyncByteStream, in_flight: list[int], index: int) -> None:
        self._stream = stream
        self._in_flight: list[int] | None = in_flight
        self._index = index

    def __aiter__(self) -> AsyncIterator[bytes]:
        # The pool's own iterator, not a generator around it: chunks arrive as they did, at no cost per chunk.
        return self._stream.__aiter__()

    async def aclose(self) -> None:
        in_flight, self._in_flight = self._in_flight, None
        try:
            await self._stream.aclose()
        finally:
            if in_flight is not None:
                in_flight[self._index] -= 1


class ShardedAsyncClient(httpx2.AsyncClient):
    """An ``httpx2.AsyncClient`` whose own transport is a ``ShardedAsyncTransport`` with the client's ``limits``
    (and TLS settings). Proxies from the environment (``HTTPS_PROXY``, ``NO_PROXY``...) apply as in any
    ``httpx2.AsyncClient``: passing ``transport=`` would switch them off, so this overrides ``_init_transport``,
    the method httpx2 makes its default transport with (a test checks that the transport is sharded)."""

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
        return ShardedAsyncTransport(
            limits=limits, verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2
        )
