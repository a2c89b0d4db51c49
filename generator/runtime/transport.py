"""``ClientCore``: sends API calls (sync and async) with authentication, timeouts, retries and error mapping.

``asyncio`` is imported on the first async call, not here: it costs more to import than the rest of the package.
"""

from __future__ import annotations

import enum
import json
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar

import attrs
import httpx2

from .bodies import Body, read_body, read_body_async
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientClosedError,
    ErrorDetail,
    OrqError,
    RequestValidationError,
    ResponseValidationError,
    decode_body,
    status_error_from_response,
)
from .pacing import CURRENT_PACER  # orq: batch pacing (issue 17)
from .retries import DEFAULT_RETRY_CONFIG, RetryConfig, parse_retry_after, retry_delay
from .validation import SchemaMismatch

if TYPE_CHECKING:
    import asyncio

    from .jsonstream import JsonPath, JsonReader, Sink

__all__ = ["DEFAULT", "DEFAULT_LIMITS", "DEFAULT_TIMEOUT_MS", "ClientCore", "DefaultType", "Diversion"]

T = TypeVar("T")

logger = logging.getLogger("orq_images")

DEFAULT_TIMEOUT_MS: Final = 600_000.0
DEFAULT_LIMITS: Final = httpx2.Limits(max_connections=1000, max_keepalive_connections=100, keepalive_expiry=30.0)
"""Connection pool of the clients the SDK makes: image calls take seconds, so a batch keeps many in flight at once
(httpx2's default of 100 would queue the rest). Pass your own client to choose other limits."""
_NO_KEY = "no API key: pass api_key=... or set ORQ_API_KEY"


class DefaultType(enum.Enum):
    """Type of ``DEFAULT``, the "use the client's setting" marker for per-call arguments."""

    DEFAULT = "DEFAULT"

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final = DefaultType.DEFAULT


class Diversion(Protocol):
    """Strings of a 2xx answer that go somewhere else than the result (the images of ``save_to=``), for one call.

    ``divert`` is asked, as the answer arrives, for each string value where it sits; the sink it returns takes
    the string's content and the string is left out of the parsed answer. ``commit`` is called with the result
    once the answer is parsed and valid; ``discard`` when an attempt fails (before a retry, or before the error
    is raised), dropping what the sinks of that attempt made. Either may be called more than once.
    """

    def divert(self, path: JsonPath) -> Sink | None: ...

    def commit(self, result: Any) -> None: ...

    def discard(self) -> None: ...


class ClientCore:
    """Everything a generated client needs to call the API.

    ``api_key`` is a string, or a zero-argument function returning one (called for every request, for keys
    that rotate); when ``None`` the ``ORQ_API_KEY`` environment variable is read once, here. A missing key is
    reported (``OrqError``) when a request is made, before anything is sent.

    ``timeout_ms`` (default 600000, image generation is slow) applies to each phase of a request (connecting,
    sending, waiting for each piece of the answer). ``retry_config=None`` disables retries.

    The ``httpx2.Client`` / ``httpx2.AsyncClient`` is created on first use unless one is given; a given client is
    used as is (its transport, proxies, hooks...) and is never closed by ``close()`` / ``aclose()``.

    ``sleep`` and ``async_sleep`` are the functions used to wait between attempts (``time.sleep`` and
    ``asyncio.sleep``); replace them to observe or skip the waits.

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
        user_agent: str,
        default_server_url: str = "https://my.orq.ai",
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("ORQ_API_KEY") or None
        elif not isinstance(api_key, str) and not callable(api_key):
            raise RequestValidationError("api_key", "a str or a function returning one", type(api_key))
        self._api_key = api_key
        self._base_url = _checked_server_url(server_url or default_server_url)
        self._timeout_ms = DEFAULT_TIMEOUT_MS if timeout_ms is None else _checked_timeout(timeout_ms)
        self._timeout = httpx2.Timeout(self._timeout_ms / 1000)
        self._retry_config = DEFAULT_RETRY_CONFIG if retry_config is DEFAULT else retry_config
        # Sent with every request. A client made here carries them as its own headers (httpx2 merges per-request
        # headers at some cost); a given client is left as it is, so they are sent per request instead.
        self._fixed_headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": user_agent,
        }
        self._client = client
        self._owns_client = client is None
        self._async_client = async_client
        self._owns_async_client = async_client is None
        self._async_client_loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._closed = False
        self._lock = threading.Lock()
        self.sleep: Callable[[float], object] = time.sleep
        self.async_sleep: Callable[[float], Awaitable[object]] = _asyncio_sleep

    @property
    def server_url(self) -> str:
        """The base URL requests go to when a call does not name another one (no trailing slash)."""
        return self._base_url

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<ClientCore {self._base_url} timeout_ms={self._timeout_ms:g} retries={self._retry_config!r} {state}>"

    def request(
        self,
        *,
        method: str,
        path: str,
        json_body: object,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
    ) -> T:
        """Send ``json_body`` and return ``parse(json_value)`` for a 2xx answer; raise an ``OrqError`` otherwise.

        ``retries`` is ``DEFAULT`` (the client's configuration), ``None`` (no retries) or a ``RetryConfig``;
        ``server_url``, ``timeout_ms`` and ``http_headers`` override the client's settings for this call;
        ``diversion`` sends strings of the answer elsewhere (files), see ``Diversion``.
        """
        call = self._prepare(
            method, path, json_body, parse, retries, server_url, timeout_ms, http_headers, self._owns_client
        )
        client = self._sync_client()
        divert = diversion.divert if diversion is not None else None
        attempt = 0
        try:
            while True:
                try:
                    request = client.build_request(
                        call.method, call.url, content=call.content, headers=call.headers, timeout=call.timeout
                    )
                    response = client.send(request, stream=True)
                    body = read_body(response, divert)
                except httpx2.InvalidURL as exc:
                    raise RequestValidationError("server_url", "a valid http(s) URL", call.url) from exc
                except httpx2.HTTPError as exc:
                    delay = self._after_error(call, exc, attempt)
                else:
                    outcome = self._after_response(call, response, body, attempt, diversion)
                    if not isinstance(outcome, _Retry):
                        return outcome
                    delay = outcome.delay
                if diversion is not None:
                    diversion.discard()
                self.sleep(delay)
                attempt += 1
        except BaseException:
            if diversion is not None:
                diversion.discard()
            raise

    async def request_async(
        self,
        *,
        method: str,
        path: str,
        json_body: object,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
        diversion: Diversion | None = None,
    ) -> T:
        """The ``async`` twin of ``request``, sent with the ``httpx2.AsyncClient``."""
        call = self._prepare(
            method, path, json_body, parse, retries, server_url, timeout_ms, http_headers, self._owns_async_client
        )
        client = self._async_client_or_new()
        divert = diversion.divert if diversion is not None else None
        pacer = CURRENT_PACER.get()  # orq: batch pacing (issue 17), set by a batch in its item's task
        attempt = 0
        try:
            while True:
                if pacer is not None:  # orq: batch pacing (issue 17)
                    await pacer.before_attempt()
                try:
                    request = client.build_request(
                        call.method, call.url, content=call.content, headers=call.headers, timeout=call.timeout
                    )
                    response = await client.send(request, stream=True)
                    if pacer is not None:  # orq: batch pacing (issue 17)
                        pacer.after_response(response.status_code, parse_retry_after(response.headers))
                    body = await read_body_async(response, divert)
                except httpx2.InvalidURL as exc:
                    raise RequestValidationError("server_url", "a valid http(s) URL", call.url) from exc
                except httpx2.HTTPError as exc:
                    delay = self._after_error(call, exc, attempt)
                else:
                    outcome = self._after_response(call, response, body, attempt, diversion)
                    if not isinstance(outcome, _Retry):
                        return outcome
                    delay = outcome.delay
                if diversion is not None:
                    diversion.discard()
                await self.async_sleep(delay)
                attempt += 1
        except BaseException:
            if diversion is not None:
                diversion.discard()
            raise

    def close(self) -> None:
        """Release the ``httpx2.Client`` this object created (a given one is left open). Safe to call twice.

        After ``close()`` every request raises ``ClientClosedError``. Use ``aclose()`` in async code: it also
        releases the ``httpx2.AsyncClient``.
        """
        with self._lock:
            self._closed = True
            client = self._client if self._owns_client else None
            if self._owns_client:
                self._client = None
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
        if client is not None and self._on_running_loop():
            await client.aclose()

    # -- internals -----------------------------------------------------------------------------------------------

    def _prepare(
        self,
        method: str,
        path: str,
        json_body: object,
        parse: Callable[[object], T],
        retries: RetryConfig | None | DefaultType,
        server_url: str | None,
        timeout_ms: float | None,
        http_headers: Mapping[str, str] | None,
        own_client: bool,
    ) -> _Call[T]:
        """Everything that is the same for every attempt of one call: URL, headers, body bytes, timeout.

        ``own_client``: the request goes through a client made here, which sends the fixed headers itself."""
        if self._closed:
            raise ClientClosedError("this client has been closed; create a new one")
        api_key = self._resolve_api_key()
        try:
            content = json.dumps(json_body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        except (TypeError, ValueError, RecursionError) as exc:
            raise RequestValidationError("", "a JSON-serializable request body", json_body) from exc
        base = _checked_server_url(server_url) if server_url else self._base_url
        headers: Mapping[str, str] = {"Authorization": f"Bearer {api_key}"}
        if not own_client:
            headers = {**headers, **self._fixed_headers}
        if http_headers:
            merged = httpx2.Headers(headers)
            merged.update(http_headers)
            headers = merged
        timeout = self._timeout if timeout_ms is None else httpx2.Timeout(_checked_timeout(timeout_ms) / 1000)
        config = self._retry_config if retries is DEFAULT else retries
        return _Call(method, path, base + path, headers, content, timeout, config, parse, api_key)

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
        if not (api_key.isascii() and api_key.isprintable()):
            raise OrqError("the API key contains characters that cannot be sent in an HTTP header")
        return api_key

    def _sync_client(self) -> httpx2.Client:
        with self._lock:
            if self._closed:
                raise ClientClosedError("this client has been closed; create a new one")
            if self._client is None:
                self._client = httpx2.Client(
                    follow_redirects=False, timeout=self._timeout, headers=self._fixed_headers, limits=DEFAULT_LIMITS
                )
            return self._client

    def _async_client_or_new(self) -> httpx2.AsyncClient:
        if self._closed:
            raise ClientClosedError("this client has been closed; create a new one")
        # The connections of an httpx2.AsyncClient belong to the event loop that opened them: a client we made is
        # replaced when calls come from another loop (a second ``asyncio.run()``, after the first loop closed).
        if self._async_client is None or (self._owns_async_client and not self._on_running_loop()):
            import asyncio

            self._async_client = httpx2.AsyncClient(
                follow_redirects=False, timeout=self._timeout, headers=self._fixed_headers, limits=DEFAULT_LIMITS
            )
            self._async_client_loop = weakref.ref(asyncio.get_running_loop())
        return self._async_client

    def _on_running_loop(self) -> bool:
        """Whether the ``httpx2.AsyncClient`` we made was made on the event loop running now."""
        import asyncio  # already imported by whoever runs the loop

        loop = self._async_client_loop() if self._async_client_loop is not None else None
        return loop is asyncio.get_running_loop()

    def _after_response(
        self,
        call: _Call[T],
        response: httpx2.Response,
        body: Body | JsonReader | None,
        attempt: int,
        diversion: Diversion | None,
    ) -> T | _Retry:
        """Parse a 2xx answer; for another status, return the wait before a retry or raise the status error."""
        status = response.status_code
        if body is not None:
            try:
                result = call.parse(body.json())
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
                # The cause may quote the body; when the server echoed the key there, leave it out of tracebacks.
                cause = None if call.api_key in str(exc) else exc
                raise _redacted(error, call.api_key) from cause
            if diversion is not None:
                diversion.commit(result)
            return result
        response.request = httpx2.Request(call.method, call.url)  # drop the headers that hold the API key
        config = call.config
        if config is not None and status in config.retry_on_status and attempt < config.max_retries:
            delay = retry_delay(attempt, config, parse_retry_after(response.headers))
            if delay is not None:
                self._log_retry(call, config, attempt, f"HTTP {status}", delay)
                return _Retry(delay)
        raise _redacted(status_error_from_response(response), call.api_key)

    def _after_error(self, call: _Call[T], exc: httpx2.HTTPError, attempt: int) -> float:
        """Return the wait before retrying after a transport error, or raise the matching ``APIError``."""
        if isinstance(exc, httpx2.RequestError):
            exc.request = httpx2.Request(call.method, call.url)  # drop the headers that hold the API key
        config = call.config
        error: APIError
        if isinstance(exc, httpx2.TimeoutException):
            seconds = call.timeout.read or 0.0
            error = APITimeoutError(
                f"Request timed out ({type(exc).__name__}, timeout {seconds:g} s).", method=call.method, url=call.url
            )
            retryable = config is not None and config.retry_on_timeouts
        else:
            error = APIConnectionError(_connection_message(exc), method=call.method, url=call.url)
            retryable = (
                config is not None
                and config.retry_on_connection_errors
                and isinstance(exc, (httpx2.NetworkError, httpx2.RemoteProtocolError, httpx2.ProxyError))
            )
        if config is not None and retryable and attempt < config.max_retries:
            delay = retry_delay(attempt, config)
            if delay is not None:
                self._log_retry(call, config, attempt, type(exc).__name__, delay)
                return delay
        raise _redacted(error, call.api_key) from exc

    @staticmethod
    def _log_retry(call: _Call[T], config: RetryConfig, attempt: int, reason: str, delay: float) -> None:
        logger.debug(
            "Retrying %s %s (retry %d of %d) after %s; waiting %.3f s",
            call.method,
            call.path,
            attempt + 1,
            config.max_retries,
            reason,
            delay,
        )


class _Call(Generic[T]):
    """The parts of one API call that every attempt shares."""

    __slots__ = ("api_key", "config", "content", "headers", "method", "parse", "path", "timeout", "url")

    def __init__(
        self,
        method: str,
        path: str,
        url: str,
        headers: Mapping[str, str],
        content: bytes,
        timeout: httpx2.Timeout,
        config: RetryConfig | None,
        parse: Callable[[object], T],
        api_key: str,
    ) -> None:
        self.method = method
        self.path = path
        self.url = url
        self.headers = headers
        self.content = content
        self.timeout = timeout
        self.config = config
        self.parse = parse
        self.api_key = api_key


class _Retry:
    """The outcome "wait ``delay`` seconds, then try again"."""

    __slots__ = ("delay",)

    def __init__(self, delay: float) -> None:
        self.delay = delay


async def _asyncio_sleep(delay: float) -> None:
    """``asyncio.sleep``, imported when first needed."""
    import asyncio

    await asyncio.sleep(delay)


def _checked_timeout(timeout_ms: float) -> float:
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, (int, float)) or not 0 < timeout_ms < math.inf:
        raise RequestValidationError("timeout_ms", "a number of milliseconds > 0", timeout_ms)
    return float(timeout_ms)


def _checked_server_url(url: str) -> str:
    if not url[:8].lower().startswith(("http://", "https://")):
        raise RequestValidationError("server_url", "an http:// or https:// URL", url)
    return url.rstrip("/")


def _describe(exc: Exception) -> str:
    if isinstance(exc, SchemaMismatch):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"the body is not valid JSON ({exc})"
    return f"{type(exc).__name__}: {exc}"


def _connection_message(exc: httpx2.HTTPError) -> str:
    detail = str(exc)
    return (
        f"Connection error ({type(exc).__name__}: {detail})." if detail else f"Connection error ({type(exc).__name__})."
    )


def _redacted(error: APIError, api_key: str) -> APIError:
    """``error`` with any echo of the API key masked (a server may quote what it was sent).

    The message, the body text and the parsed error detail are masked; the raw ``response`` stays as received.
    """
    if len(api_key) < 8:
        return error
    if api_key in error.message:
        error.message = error.message.replace(api_key, "***")
        error.args = (error.message,)
    body = getattr(error, "body", None)
    if isinstance(body, str) and api_key in body:
        error.body = body.replace(api_key, "***")  # type: ignore[attr-defined]
    detail = getattr(error, "error", None)
    if isinstance(detail, ErrorDetail):
        masked = {
            name: value.replace(api_key, "***") if isinstance(value, str) else value
            for name, value in attrs.asdict(detail, recurse=False).items()
        }
        error.error = ErrorDetail(**masked)  # type: ignore[attr-defined]
    return error
