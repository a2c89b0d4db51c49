"""retries: RetryConfig validation, Retry-After parsing, backoff with full jitter."""

from __future__ import annotations

import email.utils

import httpx2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from orq_images._runtime.retries import (
    DEFAULT_RETRY_CONFIG,
    RetryConfig,
    backoff_delay,
    certainly_not_sent,
    parse_retry_after,
    retry_delay,
)

NOW = 1_700_000_000.0


def headers(**values: str) -> httpx2.Headers:
    return httpx2.Headers({name.replace("_", "-"): value for name, value in values.items()})


def test_defaults() -> None:
    config = RetryConfig()
    assert config == DEFAULT_RETRY_CONFIG
    assert config.max_retries == 2
    assert config.initial_delay == 0.5
    assert config.max_delay == 8.0
    assert config.max_retry_after == 60.0
    assert config.retry_on_status == frozenset({408, 429, 503, 529})
    assert config.retry_on_connection_errors is True
    assert config.retry_possibly_received is False


def test_config_is_frozen_and_keyword_only() -> None:
    with pytest.raises(TypeError):
        RetryConfig(3)  # type: ignore[call-arg]
    config = RetryConfig(retry_on_status=[500, 503])
    assert config.retry_on_status == frozenset({500, 503})
    with pytest.raises(AttributeError):
        config.max_retries = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"max_retries": 1.5},
        {"max_retries": True},
        {"initial_delay": -0.1},
        {"max_delay": float("inf")},
        {"max_retry_after": float("nan")},
        {"retry_on_status": frozenset({99})},
        {"retry_on_status": frozenset({"503"})},
    ],
)
def test_config_rejects_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryConfig(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"retry_after": "3"}, 3.0),
        ({"retry_after": "1.5"}, 1.5),
        ({"retry_after": " 2 "}, 2.0),
        ({"retry_after": "0"}, 0.0),
        ({"retry_after": "-5"}, 0.0),
        ({"retry_after_ms": "250"}, 0.25),
        ({"retry_after_ms": "12.5"}, 0.0125),
        ({"retry_after_ms": "100", "retry_after": "30"}, 0.1),
        ({"retry_after_ms": "soon", "retry_after": "4"}, 4.0),
        ({"retry_after": "soon"}, None),
        ({"retry_after": ""}, None),
        ({"retry_after": "nan"}, None),
        ({"retry_after": "inf"}, None),
        ({"retry_after": "Mon, 99 Foo 2024 99:99:99 GMT"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(values: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers(**values), now=NOW) == expected


def test_parse_retry_after_http_date() -> None:
    future = email.utils.formatdate(NOW + 30, usegmt=True)
    assert parse_retry_after(headers(retry_after=future), now=NOW) == pytest.approx(30.0)
    past = email.utils.formatdate(NOW - 30, usegmt=True)
    assert parse_retry_after(headers(retry_after=past), now=NOW) == 0.0
    no_zone = email.utils.formatdate(NOW + 10, usegmt=True).replace("GMT", "-0000")
    assert parse_retry_after(headers(retry_after=no_zone), now=NOW) == pytest.approx(10.0)


def test_backoff_with_fixed_rand() -> None:
    config = RetryConfig(initial_delay=0.5, max_delay=8.0)
    assert [backoff_delay(n, config, rand=lambda: 1.0) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert backoff_delay(3, config, rand=lambda: 0.25) == 1.0
    assert backoff_delay(3, config, rand=lambda: 0.0) == 0.0


def test_backoff_huge_attempt_is_capped_not_overflowing() -> None:
    config = RetryConfig(max_delay=3.0)
    assert backoff_delay(10_000, config, rand=lambda: 1.0) == 3.0


@given(attempt=st.integers(min_value=0, max_value=200), fraction=st.floats(min_value=0.0, max_value=1.0))
def test_backoff_is_within_bounds(attempt: int, fraction: float) -> None:
    config = RetryConfig(initial_delay=0.2, max_delay=5.0)
    delay = backoff_delay(attempt, config, rand=lambda: fraction)
    assert 0.0 <= delay <= min(5.0, 0.2 * 2**attempt)


def test_retry_delay_prefers_retry_after_and_refuses_long_waits() -> None:
    config = RetryConfig(max_retry_after=60.0)
    assert retry_delay(0, config, 12.0, rand=lambda: 1.0) == 12.0
    assert retry_delay(0, config, 60.0, rand=lambda: 1.0) == 60.0
    assert retry_delay(0, config, 61.0, rand=lambda: 1.0) is None
    assert retry_delay(2, config, None, rand=lambda: 1.0) == 2.0
    assert retry_delay(1, config, 0.0, rand=lambda: 1.0) == 0.0


# -- what is certainly not sent --------------------------------------------------------------------------------------


def raised_from(error: httpx2.HTTPError, cause: BaseException | None) -> httpx2.HTTPError:
    error.__cause__ = cause
    return error


def test_connect_failures_of_httpx2s_own_transport_were_not_sent() -> None:
    import httpcore2

    assert certainly_not_sent(raised_from(httpx2.ConnectError("refused"), httpcore2.ConnectError("refused")))
    assert certainly_not_sent(raised_from(httpx2.ConnectTimeout("slow"), httpcore2.ConnectTimeout("slow")))
    assert certainly_not_sent(httpx2.ConnectError("no cause"))
    assert certainly_not_sent(httpx2.PoolTimeout("pool"))


@pytest.mark.parametrize(
    "error",
    [
        httpx2.ReadTimeout("slow answer"),
        httpx2.WriteTimeout("slow upload"),
        httpx2.RemoteProtocolError("Server disconnected without sending a response."),
        httpx2.ReadError("reset"),
        httpx2.WriteError("broken pipe"),
        httpx2.DecodingError("bad gzip"),
    ],
)
def test_errors_after_sending_may_have_been_received(error: httpx2.HTTPError) -> None:
    assert not certainly_not_sent(error)


def test_the_aiohttp_transport_connect_timeout_counts_only_for_a_failed_connect() -> None:
    """httpx-aiohttp maps every aiohttp.ClientConnectionError to ConnectTimeout, a disconnect after sending too."""
    aiohttp = pytest.importorskip("aiohttp")
    disconnected = aiohttp.ServerDisconnectedError()
    assert not certainly_not_sent(raised_from(httpx2.ConnectTimeout(str(disconnected)), disconnected))
    reset = aiohttp.ClientOSError(104, "Connection reset by peer")
    assert not certainly_not_sent(raised_from(httpx2.ConnectTimeout(str(reset)), reset))
    key = aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None)
    refused = aiohttp.ClientConnectorError(key, OSError(111, "refused"))
    assert certainly_not_sent(raised_from(httpx2.ConnectError(str(refused)), refused))


def test_new_fields_are_checked() -> None:
    with pytest.raises(ValueError, match="retry_possibly_received"):
        RetryConfig(retry_possibly_received="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="retry_on_status"):
        RetryConfig(retry_on_status=500)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        RetryConfig(retry_on_timeouts=True)  # type: ignore[call-arg]  # removed in 2.0.0: a timeout ends the call
