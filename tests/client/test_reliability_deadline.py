"""`timeout_ms` is the time limit of the whole call: connecting, sending, every attempt, every wait between attempts
and reading the answer. Against byte-level servers that drip, stall or ask for long waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Literal

import httpx2
import pytest
from orq_images import APITimeoutError, Orq, RetryConfig, ServerError
from orq_images._runtime import deadline

from tests.client.conftest import API_KEY, create, create_async, record_sleeps
from tests.support.raw_server import RawServer, answer, drip, headers_then_silence

Mode = Literal["sync", "async"]
MODES = pytest.mark.parametrize("mode", ["sync", "async"])


def timed(mode: Mode, orq: Orq, **arguments: object) -> tuple[float, BaseException | None]:
    """Seconds one call took, and what it raised."""
    started = time.monotonic()
    try:
        if mode == "sync":
            create(orq, **arguments)
        else:
            asyncio.run(create_async(orq, **arguments))
    except Exception as exc:
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


@MODES
def test_a_drip_of_one_byte_every_200_ms_ends_at_the_deadline(mode: Mode) -> None:
    with RawServer(drip(interval=0.2)) as server, Orq(API_KEY, server_url=server.url, timeout_ms=1000) as orq:
        elapsed, error = timed(mode, orq)
        assert server.posts == 1
    assert isinstance(error, APITimeoutError)
    assert "time limit (timeout_ms=1000 ms, for the whole call with its retries)" in str(error)
    assert "the server may have received the request" in str(error)
    assert 0.9 <= elapsed < 1.5


@MODES
def test_headers_late_then_silence_end_at_the_deadline_not_a_read_timeout_later(mode: Mode) -> None:
    """The headers come at 0.7 s: the read of the body may not start a fresh 1 s wait from there."""
    with (
        RawServer(headers_then_silence(after=0.7)) as server,
        Orq(API_KEY, server_url=server.url, timeout_ms=1000) as orq,
    ):
        elapsed, error = timed(mode, orq)
    assert isinstance(error, APITimeoutError)
    assert 0.9 <= elapsed < 1.5


def test_a_drip_through_your_own_client_ends_too() -> None:
    """A given httpx2.Client is used as it is; the deadline is still checked after every chunk."""
    with (
        RawServer(drip(interval=0.2)) as server,
        httpx2.Client() as http,
        Orq(API_KEY, server_url=server.url, timeout_ms=1000, client=http) as orq,
    ):
        elapsed, error = timed("sync", orq)
    assert isinstance(error, APITimeoutError)
    assert 0.9 <= elapsed < 1.5


@MODES
def test_retry_waits_count_against_the_deadline(mode: Mode) -> None:
    """503 with Retry-After 0.6 s: one wait fits in 1 s, a second would end after it and is not started."""
    busy = answer(503, b'{"error": "busy"}', {"Retry-After": "0.6", "Content-Type": "application/json"})
    with RawServer(busy) as server, Orq(API_KEY, server_url=server.url, timeout_ms=1000) as orq:
        elapsed, error = timed(mode, orq)
        assert server.posts == 2
    assert isinstance(error, ServerError) and error.status_code == 503
    assert 0.55 <= elapsed < 1.0  # raised when the second wait is refused, before the deadline


@MODES
def test_a_wait_that_would_pass_the_deadline_is_not_started(mode: Mode) -> None:
    busy = answer(429, b'{"error": "slow down"}', {"Retry-After": "5"})
    with RawServer(busy) as server, Orq(API_KEY, server_url=server.url, timeout_ms=2000) as orq:
        sleeps = record_sleeps(orq)
        elapsed, error = timed(mode, orq)
        assert server.posts == 1
    assert getattr(error, "status_code", None) == 429
    assert sleeps.delays == []
    assert elapsed < 0.5


def test_backoff_waits_are_refused_against_the_deadline_too() -> None:
    busy = answer(503, b"busy")
    config = RetryConfig(max_retries=5, initial_delay=10, max_delay=10)
    with RawServer(busy) as server, Orq(API_KEY, server_url=server.url, timeout_ms=300, retry_config=config) as orq:
        seen: list[float] = []
        orq._core.sleep = seen.append  # a jittered wait up to 10 s: retried only when it fits in the 0.3 s left
        _, error = timed("sync", orq)
        assert server.posts == len(seen) + 1
    assert isinstance(error, ServerError)
    assert all(wait < 0.3 for wait in seen)


@pytest.mark.parametrize("make", [httpx2.Client, lambda: httpx2.Client(proxy=None, trust_env=False)])
def test_the_clients_the_sdk_makes_read_through_the_deadline_backend(make: Callable[[], httpx2.Client]) -> None:
    """`deadline.enforce_on` reaches into httpx2's transport: a new httpx2 that moves it makes this fail."""
    with make() as client:
        assert deadline.enforce_on(client)
        assert deadline.enforce_on(client)  # idempotent: not wrapped twice
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert type(pool._network_backend).__name__ == "DeadlineBackend"
        assert type(pool._network_backend._backend).__name__ == "SyncBackend"


def test_a_timeout_while_connecting_says_nothing_was_sent() -> None:
    def slow_connect(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectTimeout("timed out")

    with (
        httpx2.Client(transport=httpx2.MockTransport(slow_connect)) as http,
        Orq(API_KEY, server_url="http://api.test", client=http) as orq,
    ):
        sleeps = record_sleeps(orq)
        _, error = timed("sync", orq)
    assert isinstance(error, APITimeoutError)
    assert str(error).endswith("was reached while connecting; the request was not sent.")
    assert sleeps.delays == []  # the call's time is spent: nothing to retry with
