"""Retry policy: configuration, ``Retry-After`` parsing and exponential backoff with full jitter."""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Callable, Iterable

import attrs
import httpx2

__all__ = [
    "DEFAULT_RETRY_CONFIG",
    "RetryConfig",
    "backoff_delay",
    "certainly_not_sent",
    "parse_retry_after",
    "retry_delay",
]


def _to_status_set(codes: Iterable[int]) -> frozenset[int]:
    if isinstance(codes, (str, bytes)) or not isinstance(codes, Iterable):
        raise ValueError(f"retry_on_status must be a collection of HTTP status codes, got {codes!r}")
    return frozenset(codes)


@attrs.frozen(kw_only=True)
class RetryConfig:
    """How failed requests are retried. An image generation is billed when the server acts on the request, so by
    default a request is sent again only when the server certainly did not act on it:

    - the connection could not be made (refused, DNS failure, connect timeout, TLS handshake failure): nothing was
      sent (``retry_on_connection_errors``);
    - the server answered with a status in ``retry_on_status``, by default those that say the request was not
      processed: 408 (the server gave up receiving it), 429 (rate limited), 503 (unavailable) and 529 (overloaded:
      not standard, but what Anthropic and other providers behind the router answer when they turn a request away
      before working on it, as 503 does).

    A connection that drops or times out after the request was sent is not retried: the server may have received
    it and be generating the image. ``retry_possibly_received=True`` retries those too, accepting that one call may
    then be billed more than once. 500, 502 and 504 are not retried by default for the same reason (a gateway
    error does not say whether the provider ran); add them to ``retry_on_status`` to retry them.

    A request is retried at most ``max_retries`` times, and never past the call's ``timeout_ms``: a wait that would
    end after it is not started and the last error is raised at once. Between attempts the client waits what the
    server asks for in ``Retry-After`` / ``retry-after-ms``; if the server asks for more than ``max_retry_after``
    seconds the error is raised at once (its ``retry_after`` attribute says how long the server wanted). Without
    the header the wait is a random duration between 0 and ``min(max_delay, initial_delay * 2**attempt)`` seconds
    ("full jitter").
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    retry_on_status: frozenset[int] = attrs.field(default=frozenset({408, 429, 503, 529}), converter=_to_status_set)
    retry_on_connection_errors: bool = True
    retry_possibly_received: bool = False

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, got {self.max_retries!r}")
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        for code in self.retry_on_status:
            if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
                raise ValueError(f"retry_on_status must hold HTTP status codes (100-599), got {code!r}")
        for name in ("retry_on_connection_errors", "retry_possibly_received"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")


DEFAULT_RETRY_CONFIG = RetryConfig()


def parse_retry_after(headers: httpx2.Headers, now: float | None = None) -> float | None:
    """Return the wait in seconds the server asks for, or ``None`` when it asks for none (or says garbage).

    ``retry-after-ms`` (milliseconds, may be fractional) wins over ``Retry-After``, which is either a number of
    seconds or an HTTP date (compared with ``now``, a Unix time defaulting to the current time). A date in the
    past or a negative number gives 0.
    """
    millis = _parse_number(headers.get("retry-after-ms"))
    if millis is not None:
        return max(millis / 1000.0, 0.0)
    raw = headers.get("retry-after")
    if raw is None:
        return None
    seconds = _parse_number(raw)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:  # pragma: no cover - Python < 3.10 returned None instead of raising
        return None
    if when.tzinfo is None:  # "-0000" means UTC with no claim about the local zone
        when = when.replace(tzinfo=datetime.UTC)
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _parse_number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def backoff_delay(attempt: int, config: RetryConfig, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0), with full jitter."""
    ceiling = min(config.max_delay, config.initial_delay * 2.0 ** min(attempt, 64))
    return rand() * ceiling


def retry_delay(
    attempt: int,
    config: RetryConfig,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float | None:
    """Seconds to wait before the next attempt, or ``None`` when the client must not retry.

    A server-requested wait (``retry_after``, see ``parse_retry_after``) is honoured exactly if it is at most
    ``config.max_retry_after``; a longer one means "do not retry". Without it, ``backoff_delay`` decides.
    This does not look at ``max_retries``: the caller counts attempts.
    """
    if retry_after is not None:
        return retry_after if retry_after <= config.max_retry_after else None
    return backoff_delay(attempt, config, rand)


def certainly_not_sent(exc: httpx2.HTTPError) -> bool:
    """Whether the transport error ``exc`` proves that no byte of the request reached the server: the one place
    that decides it (a POST is retried by default only then).

    True for ``httpx2.ConnectError`` / ``ConnectTimeout`` / ``PoolTimeout`` raised by httpx2's own transport (from
    ``httpcore2``'s connect and TLS phases, or with no cause). Assumption for other transports: an exception they
    chain as the cause is judged by its class. ``httpx-aiohttp`` maps every ``aiohttp.ClientConnectionError`` to
    ``ConnectTimeout``, including a server disconnect after the request was sent; so only its
    ``ClientConnectorError`` (the connect itself failed) counts as not sent. A transport that wants its connect
    failures retried raises ``ConnectError`` / ``ConnectTimeout`` with no cause, or from an exception of
    ``httpcore2`` or one named ``ClientConnectorError``.
    """
    if not isinstance(exc, (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)):
        return False
    cause = exc.__cause__
    if cause is None:
        return True
    names = {cls.__name__ for cls in type(cause).__mro__}
    module = type(cause).__module__
    return module.split(".")[0] == "httpcore2" or "ClientConnectorError" in names
