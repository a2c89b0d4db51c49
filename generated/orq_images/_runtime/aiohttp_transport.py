"""The client of ``aiohttp_client()``: httpx2 on an aiohttp transport. Imported only when that is called.

The transport is httpx-aiohttp's ``AiohttpTransport`` (maintained, and it already translates requests, timeouts,
TLS settings and proxies between the two libraries), with two changes:

- Errors say whether the request may have reached the server, as httpx2's own transport does, because retries
  decide from that whether a POST may be sent again. httpx-aiohttp reports every ``aiohttp.ClientConnectionError``
  as ``ConnectTimeout``, the server closing the connection after it received the request included, and lets
  some errors through untranslated (a malformed answer, a bare ``TimeoutError``). Here only failures to connect
  are ``ConnectError`` / ``ConnectTimeout`` (or ``ProxyError``); anything later is ``ReadTimeout``,
  ``RemoteProtocolError`` or ``ReadError``. The original aiohttp error is the ``__cause__``.
- An aiohttp session belongs to the event loop that made it: a request from another loop (a second
  ``asyncio.run()``) gets a new session, the old one is let go.

Answers are not decompressed by aiohttp (httpx-aiohttp turns ``auto_decompress`` off), so the headers describe
the bytes: httpx2 decodes a ``Content-Encoding`` as it does with its own transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx2
from httpx_aiohttp.httpx2 import AiohttpTransport

from .clients import SdkAsyncClient

__all__ = ["AiohttpClient", "OrqAiohttpTransport", "translated"]

# Most specific first: the first class the error is an instance of decides.
_TRANSLATIONS: tuple[tuple[type[BaseException], type[httpx2.TransportError]], ...] = (
    (aiohttp.ClientProxyConnectionError, httpx2.ProxyError),
    (aiohttp.ClientHttpProxyError, httpx2.ProxyError),
    (aiohttp.ConnectionTimeoutError, httpx2.ConnectTimeout),  # connecting, or waiting for a pool slot
    (aiohttp.ClientConnectorError, httpx2.ConnectError),  # refused, DNS, TLS handshake: nothing was sent
    (aiohttp.ServerTimeoutError, httpx2.ReadTimeout),  # the answer did not come in time
    (TimeoutError, httpx2.ReadTimeout),
    (aiohttp.InvalidURL, httpx2.UnsupportedProtocol),
    (aiohttp.ServerDisconnectedError, httpx2.RemoteProtocolError),  # closed after (maybe) receiving the request
    (aiohttp.ClientPayloadError, httpx2.RemoteProtocolError),  # the body was cut short or malformed
    (aiohttp.ClientResponseError, httpx2.RemoteProtocolError),  # a malformed status line or headers
    (aiohttp.ClientError, httpx2.ReadError),
    (OSError, httpx2.ReadError),
)


def translated(exc: BaseException) -> BaseException:
    """The httpx2 error for an error of the transport (``exc`` itself when it is none of aiohttp's).

    ``exc`` may be the aiohttp error, or httpx-aiohttp's translation of it (the aiohttp error is its cause).
    The aiohttp error becomes the cause, unless it holds the request's headers (the API key among them).
    Raise the result outside the ``except`` block, so that ``exc`` is not kept as its context either.
    """
    original = exc.__cause__ if isinstance(exc, httpx2.TransportError) and exc.__cause__ is not None else exc
    for source, target in _TRANSLATIONS:
        if isinstance(original, source):
            # A ServerDisconnectedError's message may be the repr of a half-parsed answer.
            disconnected = isinstance(original, aiohttp.ServerDisconnectedError)
            text = "Server disconnected" if disconnected else str(original)
            error = target(f"{type(original).__name__}: {text}" if text else type(original).__name__)
            error.__cause__ = None if hasattr(original, "request_info") else original
            error.__suppress_context__ = True
            return error
    return exc


class _TranslatedStream(httpx2.AsyncByteStream):
    """A response body whose errors are translated (httpx-aiohttp's stream has the same mapping as its transport).
    An iterator class rather than an async generator: it is on the path of every response."""

    def __init__(self, stream: httpx2.AsyncByteStream) -> None:
        self._stream = stream
        self._chunks: AsyncIterator[bytes] | None = None

    def __aiter__(self) -> AsyncIterator[bytes]:
        self._chunks = self._stream.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        assert self._chunks is not None
        try:
            return await self._chunks.__anext__()
        except StopAsyncIteration:
            raise
        except Exception as exc:
            error = translated(exc)
        raise error

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        except Exception as exc:
            error = translated(exc)
        else:
            return
        raise error


class OrqAiohttpTransport(AiohttpTransport):
    """httpx-aiohttp's transport with errors that tell a failure to connect from a failure after sending, and one
    aiohttp session per event loop (see the module docstring)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._session_loop: weakref.ref[asyncio.AbstractEventLoop] | None = None

    def get_client(self) -> aiohttp.ClientSession:
        session = super().get_client()
        self._session_loop = weakref.ref(asyncio.get_running_loop())
        return session

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self._session_loop is not None and self._session_loop() is not asyncio.get_running_loop():
            await self._drop_session_of_another_loop()
        try:
            response = await super().handle_async_request(request)
        except Exception as exc:
            error = translated(exc)
        else:
            assert isinstance(response.stream, httpx2.AsyncByteStream)  # httpx-aiohttp's stream
            response.stream = _TranslatedStream(response.stream)
            return response
        raise error

    async def aclose(self) -> None:
        await self._drop_session_of_another_loop()
        await super().aclose()

    async def _drop_session_of_another_loop(self) -> None:
        session = self.client
        if not isinstance(session, aiohttp.ClientSession) or self._session_loop is None:
            return
        if self._session_loop() is asyncio.get_running_loop():
            return
        self.client = None
        self._session_loop = None
        # Its loop is usually closed (asyncio.run() returned): closing the session then only marks it closed, so
        # aiohttp does not warn about it; its sockets go with the garbage collector.
        with contextlib.suppress(Exception):
            await session.close()


class AiohttpClient(SdkAsyncClient):
    """``httpx2.AsyncClient`` whose requests, proxied ones included, go through ``OrqAiohttpTransport``."""

    def _init_transport(  # type: ignore[override]
        self, *, transport: httpx2.AsyncBaseTransport | None = None, **options: Any
    ) -> httpx2.AsyncBaseTransport:
        return transport if transport is not None else OrqAiohttpTransport(**_transport_options(options))

    def _init_proxy_transport(self, proxy: httpx2.Proxy, **options: Any) -> httpx2.AsyncBaseTransport:  # type: ignore[override]
        return OrqAiohttpTransport(proxy=proxy, **_transport_options(options))


def _transport_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options of httpx2's transport that httpx-aiohttp's understands."""
    names = ("verify", "cert", "trust_env", "http1", "http2", "limits")
    return {name: options[name] for name in names if name in options}
