"""``ClientCore``: sends API calls (sync and async) with authentication, a deadline, retries and error mapping.

One call is prepared once (``_prepare`` -> ``_Call``: URL, headers, body, deadline, retry policy), then attempted
until it succeeds or may not be retried::

    attempt   (_attempt / _attempt_async)  send the request, read the answer within bounds -> result or _Failure
    judge     (_retry_wait)                 may this failure be retried, and after which wait? (retries.py policy)
    wait      (sleep / async_sleep)         interruptible by close(); never past the deadline
    raise     (_raised)                     the failure's error, scrubbed of the API key (redaction.py)

``asyncio`` is imported on the first async call, not here: it costs more to import than the rest of the package.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, TypeVar, overload

import httpx2

from . import deadline as deadlines
from .bodies import ACCEPT_ENCODING, MAX_RESPONSE_BYTES, Body, BodyRefused, read_body, read_body_async
from .clients import SdkAsyncClient
from .deadline import Deadline
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientClosedError,
    OrqError,
    RequestValidationError,
    ResponseValidationError,
    decode_body,
    status_error_from_response,
)
from .forks import after_fork_in_child
from .logs import configure_from_environment, log_attempt
from .options import checked_headers, checked_max_bytes, checked_retry_config, checked_server_url, checked_timeout
from .pacing import CURRENT_PACER
from .redaction import _masked_response, checked_api_key, remember, scrub
from .retries import DEFAULT_RETRY_CONFIG, RetryConfig, certainly_not_sent, parse_retry_after, retry_delay
from .unset import DEFAULT, DefaultType

if TYPE_CHECKING:
    import asyncio

    from .jsonstream import JsonPath, JsonReader, Sink
    from .multipart import RequestBody
    from .raw_response import RawResponse

__all__ = ["DEFAULT", "DEFAULT_LIMITS", "DEFAULT_TIMEOUT_MS", "ClientCore", "DefaultType", "Diversion"]

T = TypeVar("T")

logger = logging.getLogger("orq_images")

DEFAULT_TIMEOUT_MS: Final = 600_000.0
"""The time limit of a whole call when none is given: image generation is slow."""
DEFAULT_LIMITS: Final = httpx2.Limits(max_connections=1000, max_keepalive_connections=100, keepalive_expiry=30.0)
"""Connection pool of the clients the SDK makes: image calls take seconds, so a batch keeps many in flight at once
(httpx2's default of 100 would queue the rest). Pass your own client to choose other limits."""
_NO_KEY = "no API key: pass api_key=... or set ORQ_API_KEY"
_CLOSED = "this client has been closed; create a new one"
_ANY_TYPE: Final = {"Accept": "*/*"}  # a download: an image, not the API's JSON
MAX_REDIRECTS: Final = 5
"""Redirects a download follows (image hosts and CDNs send one or two); the next is an error status."""
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})


class Diversion(Protocol):
    """Strings of a 2xx answer that go somewhere else than the result (the images of ``save_to=``), for one call.

    ``divert`` is asked, as the answer arrives, for each string value where it sits; the sink it returns takes
    the string's content and the string is left out of the parsed answer. ``commit`` (``commit_async`` in async
    calls) is called with the result and the call's deadline once the answer is parsed and valid (it may download
    what the answer links to, with ``ClientCore.download``, within that deadline); ``discard`` when an attempt
    fails (before a retry, or before the error is raised), dropping what the sinks of that attempt made. Either may
    be called more than once.
    """

    def divert(self, path: JsonPath) -> Sink | None: ...

    def commit(self, result: Any, deadline: Deadline | None = None) -> None: ...

    async def commit_async(self, result: Any, deadline: Deadline | None = None) -> None: ...

    def discard(self) -> None: ...


_live_cores: weakref.WeakSet[ClientCore] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """In a forked child, no client may use the parent's connections (both would read the same sockets): clients
    the SDK made are dropped, not closed (closing could end the parent's TLS or HTTP/2 sessions), and are made
    again on the next call; locks another thread of the parent may have held are made anew."""
    for core in list(_live_cores):
        core._forget_parent_connections()


after_fork_in_child(_after_fork_in_child)


class ClientCore:
    """Everything a generated client needs to call the API.

    ``api_key`` is a string, or a zero-argument function returning one (called for every request, for keys
    that rotate); when ``None`` the ``ORQ_API_KEY`` environment variable is read once, here. A missing key, or one
    an HTTP header cannot carry (surrounding whitespace, control characters), is reported (``OrqError``, without
    the key) when a request is made, before anything is sent. Likewise, when ``server_url`` is ``None`` the
    ``ORQ_SERVER_URL`` variable is read, and ``ORQ_LOG`` switches on logging (see ``logs``).

    ``timeout_ms`` (default 600000, image generation is slow) is the time limit of each whole call: connecting,
    sending, every attempt and every wait between attempts, reading the answer. ``retry_config=None`` disables
    retries. ``max_response_bytes`` bounds a 2xx answer, counted after decompression (``bodies``).

    The ``httpx2.Client`` / ``httpx2.AsyncClient`` is created on first use unless one is given; a given client is
    used as is (its transport, proxies, hooks...) and is never closed by ``close()`` / ``aclose()``, except one
    made by ``aiohttp_client()``, which this object owns as if it had made it. Clients made here are made again in
    a process forked from this one.

    ``sleep`` and ``async_sleep`` are the functions used to wait between attempts (by default waits that
    ``close()`` / ``aclose()`` end early); replace them to observe or skip the waits.

    Answers are streamed: a 2xx body is parsed as JSON by ``bodies`` (a large one while it arrives, holding its
    payload about once) and ``parse`` functions receive the parsed JSON value.
    """

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        retry_config: RetryConfig | None | DefaultType = DEFAULT,
        client: httpx2.Client | None = None,
        async_client: httpx2.AsyncClient | None = None,
        max_response_bytes: int | None = None,
        user_agent: str,
        default_server_url: str,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("ORQ_API_KEY") or None
        elif not isinstance(api_key, str) and not callable(api_key):
            raise RequestValidationError("api_key", "a str or a function returning one", type(api_key))
        if client is not None and not isinstance(client, httpx2.Client):
            raise RequestValidationError("client", "an httpx2.Client", client)
        if async_client is not None and not isinstance(async_client, httpx2.AsyncClient):
            raise RequestValidationError("async_client", "an httpx2.AsyncClient", async_client)
        self._api_key = api_key
        self._base_url = checked_server_url(server_url or os.environ.get("ORQ_SERVER_URL") or default_server_url)
        self._timeout_ms = DEFAULT_TIMEOUT_MS if timeout_ms is None else checked_timeout(timeout_ms)
        self._retry_config = (
            DEFAULT_RETRY_CONFIG if retry_config is DEFAULT else checked_retry_config(retry_config, "retry_config")
        )
        self._max_bytes = MAX_RESPONSE_BYTES if max_response_bytes is None else checked_max_bytes(max_response_bytes)
        # Sent with every request. A client made here carries them as its own headers (httpx2 merges per-request
        # headers at some cost); a given client is left as it is, so they are sent per request instead.
        self._fixed_headers = {
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "User-Agent": user_agent,
        }
        self._client = client
        self._owns_client = client is None
        self._async_client = async_client
        # A client from aiohttp_client() is ours as if made here: it sends the fixed headers, aclose() closes it.
        self._owns_async_client = async_client is None or isinstance(async_client, SdkAsyncClient)
        if isinstance(async_client, SdkAsyncClient):
            self._adopt(async_client)
        self._async_client_loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._renew_async_client: Callable[[], SdkAsyncClient] | None = None  # after a fork (see below)
        self._closed = False
        # Reentrant: a KeyboardInterrupt can land after a ``with self._lock:`` block's body and before the lock is
        # released (CPython runs the release as a line of the ``with`` statement, where a signal or a trace function
        # may raise), leaving it held by this thread; ``close()`` in the same thread (``with Orq(...)``) must not
        # then wait for it forever. Found by the save_to interrupt sweep (tests/client/test_save_to_safety.py).
        self._lock = threading.RLock()
        self._closing = threading.Event()  # ends the waits between attempts of sync calls
        self._async_waits: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()
        self.sleep: Callable[[float], object] = self._wait
        self.async_sleep: Callable[[float], Awaitable[object]] = self._wait_async
        _live_cores.add(self)
        configure_from_environment()

    @property
    def server_url(self) -> str:
        """The base URL requests go to when a call does not name another one (no trailing slash)."""
        return self._base_url

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<ClientCore {self._base_url} timeout_ms={self._timeout_ms:g} retries={self._retry_config!r} {state}>"

    @overload
    def request(
        self,
        *,
        method: str,
        path: str,
        json_body: object = None,
        body: RequestBody | None = None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
        raw: Literal[False] = False,
    ) -> T: ...

    @overload
    def request(
        self,
        *,
        method: str,
        path: str,
        json_body: object = None,
        body: RequestBody | None = None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
        raw: Literal[True],
    ) -> RawResponse[T]: ...

    def request(
        self,
        *,
        method: str,
        path: str,
        json_body: object = None,
        body: RequestBody | None = None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
        raw: bool = False,
    ) -> T | RawResponse[T]:
        """Send ``json_body`` (or ``body``, when given: a multipart body, re-read for each attempt) and return
        ``parse(json_value)`` for a 2xx answer; raise an ``OrqError`` otherwise.

        ``retries`` is ``DEFAULT`` (the client's configuration), ``None`` (no retries) or a ``RetryConfig``;
        ``server_url``, ``timeout_ms`` and ``http_headers`` override the client's settings for this call;
        ``diversion`` sends strings of the answer elsewhere (files), see ``Diversion``. With ``raw=True`` the result
        comes with the metadata of the answer it was parsed from: a ``RawResponse`` (see ``_raw_response``).
        """
        call = self._prepare(
            method=method,
            path=path,
            json_body=json_body,
            body=body,
            parse=parse,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=diversion,
            own_client=self._owns_client,
        )
        result = self._send(call)
        return self._raw_response(call, result) if raw else result

    def download(self, url: str, *, deadline: Deadline | None = None) -> bytes:
        """The body of ``GET url``: an image an answer gave as a URL, from a host that is not the API's.

        The API key is not sent (nor an ``Authorization`` header of a given client). The client's time limit
        bounds the whole download, its retry policy applies and ``max_response_bytes`` bounds the body; failures
        raise what API calls raise (``APIStatusError``, ``APIConnectionError``, ``APITimeoutError``). ``deadline``:
        that of a call the download is part of (``save_to=``'s downloads), instead of a time limit of its own.
        """
        return self._send(self._prepare_download(url, deadline, own_client=self._owns_client))

    async def download_async(self, url: str, *, deadline: Deadline | None = None) -> bytes:
        """The ``async`` twin of ``download``."""
        return await self._send_async(self._prepare_download(url, deadline, own_client=self._owns_async_client))

    def _send(self, call: _Call[T]) -> T:
        """Attempt ``call`` until it succeeds or may not be retried."""
        try:
            client = self._sync_client()
            attempt = 0
            while True:
                outcome = self._attempt(client, call, attempt)
                if not isinstance(outcome, _Failure):
                    if call.diversion is not None:
                        call.diversion.commit(outcome, call.deadline)
                    call.retries_taken = attempt
                    return outcome
                delay = self._retry_wait(call, outcome, attempt)
                if delay is None:
                    raise self._raised(call, outcome)
                call.discard()
                self.sleep(delay)
                self._check_open()
                attempt += 1
        except BaseException:
            call.discard()
            raise

    @overload
    async def request_async(
        self,
        *,
        method: str,
        path: str,
        json_body: object = None,
        body: RequestBody | None = None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
        raw: Literal[False] = False,
    ) -> T: ...

    @overload
    async def request_async(
        self,
        *,
        method: str,
        path: str,
        json_body: object = None,
        body: RequestBody | None = None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
        raw: Literal[True],
    ) -> RawResponse[T]: ...

    async def request_async(
        self,
        *,
        method: str,
        path: str,
        json_body: object = None,
        body: RequestBody | None = None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
        raw: bool = False,
    ) -> T | RawResponse[T]:
        """The ``async`` twin of ``request``, sent with the ``httpx2.AsyncClient``."""
        call = self._prepare(
            method=method,
            path=path,
            json_body=json_body,
            body=body,
            parse=parse,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=diversion,
            own_client=self._owns_async_client,
        )
        result = await self._send_async(call)
        return self._raw_response(call, result) if raw else result

    async def _send_async(self, call: _Call[T]) -> T:
        """The ``async`` twin of ``_send``."""
        try:
            client = self._async_client_or_new()
            attempt = 0
            while True:
                outcome = await self._attempt_async(client, call, attempt)
                if not isinstance(outcome, _Failure):
                    if call.diversion is not None:
                        await call.diversion.commit_async(outcome, call.deadline)
                    call.retries_taken = attempt
                    return outcome
                delay = self._retry_wait(call, outcome, attempt)
                if delay is None:
                    raise self._raised(call, outcome)
                call.discard()
                await self.async_sleep(delay)
                self._check_open()
                attempt += 1
        except BaseException:
            call.discard()
            raise

    def close(self) -> None:
        """Release the ``httpx2.Client`` this object created (a given one is left open). Safe to call twice, and
        from another thread: a call waiting to retry, or reading an answer, raises ``ClientClosedError``.

        After ``close()`` every request raises ``ClientClosedError``. Use ``aclose()`` in async code: it also
        releases the ``httpx2.AsyncClient``.
        """
        with self._lock:
            self._closed = True
            client = self._client if self._owns_client else None
            if self._owns_client:
                self._client = None
            waits = list(self._async_waits)
        self._closing.set()
        for loop, waiter in waits:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_finish, waiter)
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Release the clients this object created (given ones are left open). Safe to call twice.

        An ``httpx2.AsyncClient`` made on another event loop (a previous ``asyncio.run()``) cannot be closed from this
        one: it is dropped.
        """
        self.close()
        client = self._async_client if self._owns_async_client else None
        if self._owns_async_client:
            self._async_client = None
        if client is not None and (self._async_client_loop is None or self._on_running_loop()):
            await client.aclose()

    # -- one call ------------------------------------------------------------------------------------------------

    def _prepare(
        self,
        *,
        method: str,
        path: str,
        json_body: object,
        body: RequestBody | None,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType,
        server_url: str | None,
        timeout_ms: float | None,
        http_headers: Mapping[str, str] | None,
        diversion: Diversion | None,
        own_client: bool,
    ) -> _Call[T]:
        """Everything that is the same for every attempt of one call, checked before anything is sent; the
        deadline starts here.

        ``own_client``: the request goes through a client made here, which sends the fixed headers itself."""
        self._check_open()
        config = self._retry_config if retries is DEFAULT else checked_retry_config(retries, "retries")
        limit_ms = self._timeout_ms if timeout_ms is None else checked_timeout(timeout_ms)
        base = checked_server_url(server_url) if server_url is not None else self._base_url
        extra = checked_headers(http_headers) if http_headers is not None else None
        api_key = self._resolve_api_key()
        content = b""
        per_call = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
        if body is None:
            try:
                content = json.dumps(json_body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
            except (TypeError, ValueError, RecursionError) as exc:
                raise RequestValidationError("", "a JSON-serializable request body", json_body) from exc
        else:
            per_call["Content-Type"] = body.content_type
            if body.content_length is not None:  # otherwise httpx2 sends the body chunked
                per_call["Content-Length"] = str(body.content_length)
        headers: Mapping[str, str] = per_call
        if not own_client:
            headers = {**headers, **self._fixed_headers}
        if extra:
            merged = httpx2.Headers(headers)
            # As bytes: httpx2 encodes str values as ASCII, a header value may be any Latin-1 text.
            merged.update({name.encode(): value.encode("latin-1") for name, value in extra.items()})
            headers = merged
        return _Call(
            method=method,
            path=path,
            url=base + path,
            headers=headers,
            content=content,
            upload=body,
            config=config,
            parse=parse,
            api_key=api_key,
            deadline=Deadline(limit_ms),
            max_bytes=self._max_bytes,
            diversion=diversion,
        )

    def _prepare_download(self, url: str, deadline: Deadline | None, *, own_client: bool) -> _Call[bytes]:
        """A ``GET`` of ``url`` without the API key, its body read as bytes."""
        self._check_open()
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise RequestValidationError("url", "an http(s) URL", url)
        return _Call(
            method="GET",
            path=url,
            url=url,
            headers=_ANY_TYPE if own_client else {**self._fixed_headers, **_ANY_TYPE},
            content=b"",
            upload=None,
            config=self._retry_config,
            parse=_as_bytes,
            api_key="",
            deadline=Deadline(self._timeout_ms) if deadline is None else deadline,
            max_bytes=self._max_bytes,
            diversion=None,
            as_bytes=True,
        )

    def _attempt(self, client: httpx2.Client, call: _Call[T], attempt: int) -> T | _Failure:
        """Send the request once and read the answer: the result, or what went wrong."""
        token = deadlines.CURRENT.set(call.deadline)
        try:
            request = call.build_request(client)
            response = client.send(request, stream=True)
            for _ in range(MAX_REDIRECTS if call.as_bytes else 0):
                target = _redirect_target(response)
                if target is None:
                    break
                response.close()  # its body unread: a redirect's body is nothing we need, of any size
                request = call.build_request(client, url=target)
                response = client.send(request, stream=True)
            check = self._progress_check(call)
            body = read_body(response, call.divert, max_bytes=call.max_bytes, check=check, as_bytes=call.as_bytes)
            log_attempt(request, response, attempt)
        except Exception as exc:
            return self._failure_from(call, exc)
        finally:
            deadlines.CURRENT.reset(token)
        return self._after_response(call, response, body)

    async def _attempt_async(self, client: httpx2.AsyncClient, call: _Call[T], attempt: int) -> T | _Failure:
        """The ``async`` twin of ``_attempt``: the attempt runs under ``asyncio.timeout`` at the call's deadline."""
        import asyncio

        # Set by a batch in its item's task: the batch's shared rate-limit gate (the API's, not an image host's).
        pacer = None if call.as_bytes else CURRENT_PACER.get()
        try:
            async with asyncio.timeout(max(call.deadline.remaining(), 0.0)):
                if pacer is not None:  # a wait for the gate counts against the call's deadline
                    await pacer.before_attempt()
                request = call.build_request(client)
                response = await client.send(request, stream=True)
                for _ in range(MAX_REDIRECTS if call.as_bytes else 0):
                    target = _redirect_target(response)
                    if target is None:
                        break
                    await response.aclose()  # its body unread: a redirect's body is nothing we need, of any size
                    request = call.build_request(client, url=target)
                    response = await client.send(request, stream=True)
                if pacer is not None:
                    pacer.after_response(response.status_code, parse_retry_after(response.headers))
                body = await read_body_async(
                    response,
                    call.divert,
                    max_bytes=call.max_bytes,
                    check=self._progress_check(call),
                    as_bytes=call.as_bytes,
                )
                log_attempt(request, response, attempt)
        except Exception as exc:
            return self._failure_from(call, exc)
        return self._after_response(call, response, body)

    def _progress_check(self, call: _Call[Any]) -> Callable[[], None]:
        def check() -> None:  # after every chunk of the answer
            if self._closed:
                raise ClientClosedError(_CLOSED)
            if call.deadline.passed():
                raise _DeadlinePassed

        return check

    def _after_response(
        self, call: _Call[T], response: httpx2.Response, body: Body | JsonReader | None
    ) -> T | _Failure:
        """Parse a 2xx answer; for another status, the failure (retried when its status is in the policy)."""
        status = response.status_code
        if body is not None:
            try:
                result = call.parse(body.raw() if call.as_bytes else body.json())
            except OrqError:
                raise
            except Exception as exc:
                error = ResponseValidationError(
                    _describe(exc),
                    method=call.method,
                    url=call.url,
                    status_code=status,
                    headers=response.headers,
                    body=decode_body(body.raw(), response),
                )
                return _Failure(error=error, cause=exc, retryable=False)
            call.response = response
            return result
        response.request = httpx2.Request(call.method, call.url)  # drop the headers that hold the API key
        config = call.config
        return _Failure(
            error=status_error_from_response(response),
            retryable=config is not None and status in config.retry_on_status,
            retry_after=parse_retry_after(response.headers),
            reason=f"HTTP {status}",
        )

    def _failure_from(self, call: _Call[Any], exc: Exception) -> _Failure:
        """What went wrong while sending or reading, as a failure; exceptions from elsewhere (a sink writing a
        file, a bug) propagate as they are."""
        if self._closed:  # closed from another thread or task: whatever the transport made of it
            return _Failure(error=ClientClosedError(_CLOSED), cause=None, retryable=False)
        if isinstance(exc, httpx2.InvalidURL):
            raise RequestValidationError("server_url", "a valid http(s) URL", call.url) from exc
        if isinstance(exc, (_DeadlinePassed, TimeoutError, httpx2.TimeoutException)):
            return _Failure(error=self._timeout_error(call, exc), cause=_cause(exc), retryable=False)
        if isinstance(exc, BodyRefused):
            refused = ResponseValidationError(
                str(exc), method=call.method, url=call.url, status_code=exc.status_code, headers=exc.headers, body=""
            )
            return _Failure(error=refused, cause=None, retryable=False)
        if not isinstance(exc, httpx2.HTTPError):
            raise exc
        config = call.config
        reason = type(exc).__name__
        detail = f"{reason}: {exc}" if str(exc) else reason
        if certainly_not_sent(exc):
            message = f"Connection error ({detail}); the request was not sent."
            retryable = config is not None and config.retry_on_connection_errors
        else:
            message = f"Connection error ({detail}); the server may have received the request."
            retryable = config is not None and config.retry_possibly_received
        error = APIConnectionError(message, method=call.method, url=call.url)
        return _Failure(error=error, cause=exc, retryable=retryable, reason=reason)

    @staticmethod
    def _timeout_error(call: _Call[Any], exc: Exception) -> APITimeoutError:
        limit = f"{call.deadline.timeout_ms:g} ms"
        if isinstance(exc, (httpx2.ConnectTimeout, httpx2.PoolTimeout)) and certainly_not_sent(exc):
            where = "while connecting; the request was not sent"
        else:
            where = "while waiting for the answer; the server may have received the request"
        message = (
            f"The call's time limit (timeout_ms={limit}, for the whole call with its retries) was reached {where}."
        )
        return APITimeoutError(message, method=call.method, url=call.url)

    def _retry_wait(self, call: _Call[Any], failure: _Failure, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` when ``failure`` is to be raised: not retryable,
        retries spent, a ``Retry-After`` over the limit, or a wait that would end past the call's deadline."""
        config = call.config
        if config is None or not failure.retryable or attempt >= config.max_retries:
            return None
        delay = retry_delay(attempt, config, failure.retry_after)
        if delay is None or delay >= call.deadline.remaining():
            return None
        logger.debug(
            "Retrying %s %s (retry %d of %d) after %s; waiting %.3f s",
            call.method,
            call.path,
            attempt + 1,
            config.max_retries,
            failure.reason,
            delay,
        )
        return delay

    @staticmethod
    def _raw_response(call: _Call[T], result: T) -> RawResponse[T]:
        """``result`` with the metadata of the answer it came from: the key masked wherever the server echoed it,
        and a request without headers in place of the one sent (its ``Authorization`` header holds the key)."""
        from .raw_response import RawResponse  # only with ``raw=True``: not loaded by ``import orq_images``

        response = call.response
        assert response is not None  # set with every result
        response.request = httpx2.Request(call.method, call.url)
        deadline = call.deadline
        elapsed = time.monotonic() - (deadline.at - deadline.timeout_ms / 1000)
        masked = _masked_response(response, call.api_key)
        if masked is not response:  # httpx2 reads ``elapsed`` from the (closed) stream, which a copy lacks
            masked.stream = response.stream
        return RawResponse(
            result,
            http_response=masked,
            retries_taken=call.retries_taken,
            elapsed=datetime.timedelta(seconds=elapsed),
        )

    @staticmethod
    def _raised(call: _Call[Any], failure: _Failure) -> BaseException:
        """The exception to raise for ``failure``: its cause kept, the API key scrubbed from both."""
        error = failure.error
        error.__cause__ = failure.cause
        error.__suppress_context__ = True
        if isinstance(error, APIError):
            scrub(error, call.api_key)
        return error

    # -- the client's state --------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError(_CLOSED)

    def _resolve_api_key(self) -> str:
        api_key = self._api_key
        if api_key is None:
            raise OrqError(_NO_KEY)
        if not isinstance(api_key, str):
            api_key = api_key()
            if not isinstance(api_key, str):
                raise OrqError(f"the api_key function must return a str, not {type(api_key).__name__}")
        if not api_key:
            raise OrqError(_NO_KEY)
        remember(checked_api_key(api_key))
        return api_key

    def _sync_client(self) -> httpx2.Client:
        with self._lock:
            self._check_open()
            if self._client is None:
                self._client = httpx2.Client(follow_redirects=False, headers=self._fixed_headers, limits=DEFAULT_LIMITS)
                deadlines.enforce_on(self._client)
            return self._client

    def _async_client_or_new(self) -> httpx2.AsyncClient:
        self._check_open()
        # The connections of an httpx2.AsyncClient belong to the event loop that opened them: a client we made is
        # replaced when calls come from another loop (a second ``asyncio.run()``, after the first loop closed).
        if self._async_client is None and self._renew_async_client is not None:  # in a forked child
            self._async_client = self._adopt(self._renew_async_client())
        if self._async_client is None or (self._async_client_loop is not None and not self._on_running_loop()):
            import asyncio

            from .pool import PooledAsyncClient  # with the first async call: not by ``import orq_images``

            # Its pool is the SDK's own (HTTP/1.1 on h11): httpcore2's costs more per call than the call itself.
            self._async_client = PooledAsyncClient(
                follow_redirects=False, headers=self._fixed_headers, limits=DEFAULT_LIMITS
            )
            self._async_client_loop = weakref.ref(asyncio.get_running_loop())
        return self._async_client

    def _adopt(self, client: SdkAsyncClient) -> SdkAsyncClient:
        """Take ``client`` (from ``aiohttp_client()``) as ours: it sends the fixed headers, ``aclose()`` closes it."""
        if client.adopted:
            raise RequestValidationError("async_client", "an aiohttp_client() not given to another Orq", client)
        client.adopted = True
        client.headers.update(self._fixed_headers)
        return client

    def _on_running_loop(self) -> bool:
        """Whether the ``httpx2.AsyncClient`` we made was made on the event loop running now."""
        import asyncio  # already imported by whoever runs the loop

        loop = self._async_client_loop() if self._async_client_loop is not None else None
        return loop is asyncio.get_running_loop()

    def _forget_parent_connections(self) -> None:
        """After ``os.fork()``, in the child (see ``_after_fork_in_child``)."""
        self._lock = threading.RLock()
        self._closing = threading.Event()
        if self._closed:
            self._closing.set()
        self._async_waits = set()
        if self._owns_client:
            self._client = None
        if self._owns_async_client:
            given = self._async_client
            if isinstance(given, SdkAsyncClient):  # aiohttp_client(): the child gets a like one, not the default
                self._renew_async_client = given.renewed
            self._async_client = None
            self._async_client_loop = None

    def _wait(self, delay: float) -> None:
        """The default ``sleep``: ``time.sleep`` that ``close()`` ends early."""
        self._closing.wait(delay)

    async def _wait_async(self, delay: float) -> None:
        """The default ``async_sleep``: ``asyncio.sleep`` that ``close()`` / ``aclose()`` end early."""
        import asyncio

        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        timer = loop.call_later(delay, _finish, waiter)
        entry = (loop, waiter)
        with self._lock:
            if self._closed:
                timer.cancel()
                return
            self._async_waits.add(entry)
        try:
            await waiter
        finally:
            timer.cancel()
            with self._lock:
                self._async_waits.discard(entry)


class _Call(Generic[T]):
    """The parts of one API call that every attempt shares.

    This record and ``_Failure`` are plain classes, not attrs ones: attrs writes and compiles the methods of its
    classes when they are defined, 0.7 ms each at ``import orq_images`` (measured; a tenth of what the package
    adds to ``import httpx2, attrs``), for records that need no more than an ``__init__``.
    """

    __slots__ = (
        "api_key",
        "as_bytes",
        "config",
        "content",
        "deadline",
        "diversion",
        "headers",
        "max_bytes",
        "method",
        "parse",
        "path",
        "response",
        "retries_taken",
        "upload",
        "url",
    )

    def __init__(
        self,
        *,
        method: str,
        path: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes,
        upload: RequestBody | None,
        config: RetryConfig | None,
        parse: Callable[[object], T],
        api_key: str,
        deadline: Deadline,
        max_bytes: int,
        diversion: Diversion | None,
        as_bytes: bool = False,
    ) -> None:
        self.method = method
        self.path = path
        self.url = url
        self.headers = headers
        self.content = content
        self.upload = upload  # a multipart body, read again for each attempt (then ``content`` is empty)
        self.config = config
        self.parse = parse
        self.api_key = api_key
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.diversion = diversion
        self.as_bytes = as_bytes  # the answer is not JSON but bytes (a download): ``parse`` receives them
        self.response: httpx2.Response | None = None  # the answer the result was parsed from (for ``raw=True``)
        self.retries_taken = 0  # the attempts before the one that succeeded

    def build_request(self, client: httpx2.Client | httpx2.AsyncClient, url: str | None = None) -> httpx2.Request:
        """The request of one attempt. The one place its body is made, per attempt: a body that must be opened
        again for each attempt (a file) plugs in here. Its timeouts are what is left of the call. ``url``: where a
        download was redirected to."""
        content: bytes | Iterator[bytes] | AsyncIterator[bytes] = self.content
        if self.upload is not None:
            content = self.upload.achunks() if isinstance(client, httpx2.AsyncClient) else self.upload.chunks()
        if url is None:
            url = self.url
        request = client.build_request(
            # the URL of an API call is parsed once; a download's is seen once
            self.method,
            _parsed_url(url) if self.api_key else url,
            content=content,
            headers=self.headers,
            timeout=self.deadline.timeout(),
        )
        if not self.api_key:  # a download from another host: not even a given client's own credentials
            request.headers.pop("authorization", None)
        return request

    @property
    def divert(self) -> Callable[[JsonPath], Sink | None] | None:
        return self.diversion.divert if self.diversion is not None else None

    def discard(self) -> None:
        """Drop what the last attempt diverted (before a retry, or before the error is raised)."""
        if self.diversion is not None:
            self.diversion.discard()


class _Failure:
    """An attempt that failed: the error to raise unless it is retried (a plain class: see ``_Call``)."""

    __slots__ = ("cause", "error", "reason", "retry_after", "retryable")

    def __init__(
        self,
        *,
        error: OrqError,
        retryable: bool,
        cause: BaseException | None = None,
        retry_after: float | None = None,
        reason: str = "",
    ) -> None:
        self.error = error
        self.retryable = retryable
        self.cause = cause
        self.retry_after = retry_after
        self.reason = reason  # for the log line of a retry: ``HTTP 503``, ``ConnectError``

    def __repr__(self) -> str:
        return f"_Failure(error={self.error!r}, retryable={self.retryable!r}, reason={self.reason!r})"


class _DeadlinePassed(Exception):
    """The call's deadline passed while the answer arrived (checked between chunks)."""


@functools.lru_cache(maxsize=64)
def _parsed_url(url: str) -> httpx2.URL:
    """``url`` parsed, once per URL: parsing costs more than anything else in building a request, and the URLs
    of API calls are few (the server URL joined with each operation's path). Raises ``httpx2.InvalidURL``."""
    return httpx2.URL(url)


def _redirect_target(response: httpx2.Response) -> str | None:
    """Where a redirect answer sends a download (its ``Location`` against its URL), if it is one to follow."""
    location = response.headers.get("location") if response.status_code in _REDIRECTS else None
    if not location:
        return None
    try:
        target = response.url.join(location)
    except httpx2.InvalidURL:
        return None
    return str(target) if target.scheme in ("http", "https") else None


def _as_bytes(body: object) -> bytes:
    assert isinstance(body, bytes)
    return body


def _finish(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _cause(exc: Exception) -> BaseException | None:
    """The cause worth showing under an ``APITimeoutError``: the transport's timeout, not our own markers."""
    return exc if isinstance(exc, httpx2.TimeoutException) else None


def _describe(exc: Exception) -> str:
    from .validation import SchemaMismatch  # loaded by the call's own checks already

    if isinstance(exc, SchemaMismatch):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"the body is not valid JSON ({exc})"
    return f"{type(exc).__name__}: {exc}"
