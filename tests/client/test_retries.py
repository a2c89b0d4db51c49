"""Client-side retries through the public client: when, how often, how long between attempts; and their log line."""

from __future__ import annotations

import logging
import re
import time

import pytest
from orq_images import (
    APIConnectionError,
    APIStatusError,
    Orq,
    RateLimitError,
    RetryConfig,
    ServerError,
)

from tests.client.conftest import (
    API_KEY,
    MINIMAL,
    WIRE_MODES,
    AsyncTransport,
    Mode,
    SleepRecorder,
    create,
    generate,
    new_orq,
    record_sleeps,
    wire_json,
)
from tests.support.server import DEFAULT_RESPONSE, LocalServer, refused_port

OK = {"created": 1700000042, "data": [{"url": "https://example.com/retried.png"}]}


@WIRE_MODES
def test_retries_are_on_by_default(server: LocalServer, orq: Orq, sleeps: SleepRecorder, mode: Mode) -> None:
    server.enqueue(503, json={"error": "busy"})
    server.enqueue(200, json=OK)
    res = generate(orq, mode, n=2)
    assert res.created == 1700000042
    first, second = server.requests
    assert first.body == second.body == wire_json({**MINIMAL, "n": 2})
    assert second.headers["authorization"] == f"Bearer {API_KEY}"
    (delay,) = sleeps.delays
    assert 0 <= delay <= 0.5  # full jitter below initial_delay


def test_default_gives_up_after_two_retries(server: LocalServer, orq: Orq, sleeps: SleepRecorder) -> None:
    for status in (429, 529, 503):
        server.enqueue(status, json={"error": f"busy {status}"})
    server.enqueue(200, json=OK)
    with pytest.raises(ServerError) as caught:
        create(orq)
    assert caught.value.status_code == 503  # the last answer is the one raised
    assert str(caught.value) == "Error code: 503 - busy 503"
    assert len(server.requests) == 3
    assert len(sleeps.delays) == 2
    assert 0 <= sleeps.delays[0] <= 0.5
    assert 0 <= sleeps.delays[1] <= 1.0


def test_retry_after_is_honoured(server: LocalServer, orq: Orq, sleeps: SleepRecorder) -> None:
    server.enqueue(429, json={"error": "slow down"}, headers={"Retry-After": "2"})
    server.enqueue(503, json={"error": "busy"}, headers={"retry-after-ms": "250"})
    server.enqueue(200, json=OK)
    assert create(orq).created == OK["created"]
    assert sleeps.delays == [2.0, 0.25]
    assert len(server.requests) == 3


@WIRE_MODES
def test_retry_after_real_wait(server: LocalServer, async_transport: AsyncTransport, mode: Mode) -> None:
    server.enqueue(503, json={"error": "busy"}, headers={"Retry-After": "1"})
    server.enqueue(200, json=OK)
    with new_orq(async_transport, server_url=server.url) as orq:
        started = time.monotonic()
        assert generate(orq, mode).created == OK["created"]
        elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3
    assert len(server.requests) == 2


@pytest.mark.parametrize(("status", "error_class"), [(503, ServerError), (429, RateLimitError)])
def test_retry_after_above_60_seconds_is_raised_at_once(
    server: LocalServer, orq: Orq, sleeps: SleepRecorder, status: int, error_class: type[APIStatusError]
) -> None:
    server.enqueue(status, json={"error": "come back later"}, headers={"Retry-After": "120"})
    server.enqueue(200, json=OK)
    with pytest.raises(error_class) as caught:
        create(orq)
    assert caught.value.retry_after == 120.0
    assert len(server.requests) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 500])
def test_never_retried(server: LocalServer, orq: Orq, sleeps: SleepRecorder, status: int) -> None:
    server.enqueue(status, json={"error": "no"}, headers={"Retry-After": "0"})
    server.enqueue(200, json=OK)
    with pytest.raises(APIStatusError) as caught:
        create(orq)
    assert caught.value.status_code == status
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_retry_config_none_on_the_client_disables_retries(server: LocalServer) -> None:
    server.enqueue(503, json={"error": "busy"})
    server.enqueue(200, json=OK)
    with Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(ServerError):
            create(orq)
        assert len(server.requests) == 1
        assert create(orq).created == OK["created"]  # the queued 200
    assert sleeps.delays == []


def test_retries_none_per_call_disables_retries(server: LocalServer, orq: Orq, sleeps: SleepRecorder) -> None:
    server.enqueue(503, json={"error": "busy"})
    server.enqueue(503, json={"error": "busy"})
    server.enqueue(200, json=OK)
    with pytest.raises(ServerError):
        create(orq, retries=None)
    assert len(server.requests) == 1
    assert create(orq).created == OK["created"]  # the next call retries again (503, then 200)
    assert len(server.requests) == 3
    assert len(sleeps.delays) == 1


def test_retry_config_per_call(server: LocalServer, orq: Orq, sleeps: SleepRecorder) -> None:
    for _ in range(5):
        server.enqueue(503, json={"error": "busy"})
    server.enqueue(200, json=OK)
    assert create(orq, retries=RetryConfig(max_retries=5)).created == OK["created"]
    assert len(server.requests) == 6
    assert len(sleeps.delays) == 5

    server.reset()
    server.enqueue(500, json={"error": "boom"})
    server.enqueue(200, json=OK)
    assert create(orq, retries=RetryConfig(retry_on_status={500}, initial_delay=0)).created == OK["created"]
    assert len(server.requests) == 2
    assert sleeps.delays[-1] == 0


def test_retry_config_on_the_client(server: LocalServer) -> None:
    for _ in range(2):
        server.enqueue(503, json={"error": "busy"})
    with Orq(api_key=API_KEY, server_url=server.url, retry_config=RetryConfig(max_retries=1)) as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(ServerError):
            create(orq)
    assert len(server.requests) == 2
    assert len(sleeps.delays) == 1


@WIRE_MODES
def test_connection_refused_raises_api_connection_error_after_retries(
    async_transport: AsyncTransport, mode: Mode
) -> None:
    url = f"http://127.0.0.1:{refused_port()}"
    with new_orq(async_transport, server_url=url) as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(APIConnectionError) as caught:
            generate(orq, mode)
    assert type(caught.value) is APIConnectionError
    assert str(caught.value).startswith("Connection error (ConnectError: ")
    assert caught.value.url == url + "/v2/router/images/generations"
    assert len(sleeps.delays) == 2


@WIRE_MODES
def test_dropped_connection_raises_api_connection_error(
    server: LocalServer, orq: Orq, sleeps: SleepRecorder, mode: Mode
) -> None:
    for _ in range(3):
        server.enqueue(200, json=OK, drop=True)
    with pytest.raises(APIConnectionError) as caught:
        generate(orq, mode)
    assert type(caught.value) is APIConnectionError
    assert "RemoteProtocolError" in str(caught.value)
    assert str(caught.value).endswith("; the server may have received the request.")
    assert len(server.requests) == 1
    assert sleeps.delays == []


@WIRE_MODES
def test_dropped_connection_is_retried_when_asked(server: LocalServer, orq: Orq, mode: Mode) -> None:
    server.enqueue(200, json=OK, drop=True)
    server.enqueue(200, json=OK, partial=True)
    server.enqueue(200, json=OK)
    assert generate(orq, mode, retries=RetryConfig(retry_possibly_received=True)).created == OK["created"]
    assert len(server.requests) == 3


@WIRE_MODES
def test_half_sent_answer_without_retries(server: LocalServer, orq: Orq, mode: Mode) -> None:
    server.enqueue(200, json=OK, partial=True)
    with pytest.raises(APIConnectionError):
        generate(orq, mode, retries=None)
    assert len(server.requests) == 1


# -- logging ---------------------------------------------------------------------------------------------------------


def test_a_retry_logs_one_line_without_key_or_body(
    server: LocalServer, orq: Orq, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="orq_images")
    prompt = "a very distinctive prompt 7d1e"
    server.enqueue(503, json={"error": "busy"})
    server.enqueue(200, json=DEFAULT_RESPONSE)
    create(orq, prompt=prompt)

    # Besides the retry line, each attempt has its own lines (logs.py: status at INFO, the request body at DEBUG).
    records = [record for record in caplog.records if record.getMessage().startswith("Retrying")]
    assert len(records) == 1
    (record,) = records
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert re.fullmatch(
        r"Retrying POST /v2/router/images/generations \(retry 1 of 2\) after HTTP 503; waiting \d+\.\d{3} s", message
    ), message
    assert prompt not in message
    for captured in caplog.records:
        text = captured.getMessage()
        assert API_KEY not in text
        assert "busy" not in text


def test_no_retry_line_without_a_retry(server: LocalServer, orq: Orq, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="orq_images")
    create(orq)
    assert [record for record in caplog.records if record.getMessage().startswith("Retrying")] == []
