"""The API key never leaves the Authorization header: not in errors, their chains, attributes, pickles, tracebacks,
or the DEBUG logs of orq_images, httpx2 and httpcore2, even when the server echoes it."""

from __future__ import annotations

import asyncio
import logging
import pickle
import traceback
from collections.abc import Iterator

import httpx2
import pytest
from orq_images import APIConnectionError, AuthenticationError, Orq, OrqError, ResponseValidationError

from tests.client.conftest import create, create_async
from tests.support.raw_server import RawServer, close_after_request
from tests.support.server import LocalServer, refused_port

KEY = "sk-echo-me-KEY-5e2d81c04b"
LOGGERS = ("orq_images", "httpx2", "httpcore2")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception reachable through ``__cause__`` / ``__context__``."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        exc = todo.pop()
        if id(exc) in seen:
            continue
        seen.add(id(exc))
        yield exc
        todo += [linked for linked in (exc.__cause__, exc.__context__) if linked is not None]


def everything_shown(error: BaseException) -> str:
    """All the text a user could get out of ``error``: messages, reprs and attributes along its chain, its pickle,
    the traceback as printed, and what ``logging.exception`` writes."""
    texts = ["".join(traceback.format_exception(error)), repr(pickle.dumps(error))]
    for exc in chain(error):
        texts += [str(exc), repr(exc), repr(exc.args)]
        for name, value in vars(exc).items():
            texts.append(f"{name}={value!r}")
            if isinstance(value, httpx2.Headers):
                texts.append(repr(value.multi_items()))
            if isinstance(value, httpx2.Response):
                texts += [repr(value.headers.multi_items()), repr(value.content), repr(value.request.headers)]
        request = getattr(exc, "_request", None)
        if isinstance(request, httpx2.Request):
            texts.append(repr(request.headers.multi_items()))
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", None, (type(error), error, None))
    texts.append(logging.Formatter().format(record))
    return "\n".join(texts)


def assert_no_key_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "nothing was logged: the capture does not work"
    for record in caplog.records:
        assert KEY not in record.getMessage(), record.name


@pytest.mark.parametrize(
    "key",
    [
        KEY + " ",
        " " + KEY,
        KEY + "\n",
        KEY + "\r\nX-Injected: 1",
        "sk-\tKEY-123456789",
        "sk-clé-123456789",
        KEY + "\x00",
    ],
)
def test_a_key_a_header_cannot_carry_is_refused_before_sending(server: LocalServer, key: str) -> None:
    with Orq(key, server_url=server.url) as orq, pytest.raises(OrqError) as caught:
        create(orq)
    assert server.requests == []
    assert "API key" in str(caught.value)
    assert key.strip() not in everything_shown(caught.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_echoed_key_is_masked_everywhere(
    server: LocalServer, debug_logs: pytest.LogCaptureFixture, mode: str
) -> None:
    body = {"error": {"type": "auth", "message": f"invalid key {KEY}", "code": KEY, "param": None}}
    echoes = {"X-Echo": f"Bearer {KEY}", "WWW-Authenticate": f'Bearer realm="{KEY}"', "X-Request-Id": f"req-{KEY}"}
    server.enqueue(401, json=body, headers=echoes)
    with Orq(KEY, server_url=server.url) as orq, pytest.raises(AuthenticationError) as caught:
        create(orq) if mode == "sync" else asyncio.run(create_async(orq))
    error = caught.value
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was sent, where it belongs
    assert error.headers["x-echo"] == "Bearer ***"
    assert error.request_id == "req-***"
    assert error.response.headers["x-echo"] == "Bearer ***"
    assert error.error is not None and error.error.message == "invalid key ***" and error.error.code == "***"
    assert "authorization" not in error.response.request.headers
    assert KEY not in everything_shown(error)
    assert KEY not in everything_shown(pickle.loads(pickle.dumps(error)))
    logging.getLogger("orq_images").exception("the call failed", exc_info=error)
    assert_no_key_in_logs(debug_logs)
    if mode == "sync":  # httpcore2 logs the response headers: the echo is there, masked
        assert any(
            "Bearer ***" in record.getMessage() for record in debug_logs.records if record.name.startswith("httpcore2")
        )


def test_an_echoed_key_in_an_invalid_2xx_answer_is_masked(
    server: LocalServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    server.enqueue(200, body=f"<html>hello {KEY}</html>", headers={"X-Echo": KEY})
    server.enqueue(200, json={"created": KEY, "data": []}, headers={"X-Echo": KEY})  # a schema error quoting it
    with Orq(KEY, server_url=server.url) as orq:
        for _ in range(2):
            with pytest.raises(ResponseValidationError) as caught:
                create(orq)
            assert caught.value.headers["x-echo"] == "***"
            assert KEY not in everything_shown(caught.value)
    assert_no_key_in_logs(debug_logs)


def test_connection_errors_carry_no_request_headers(debug_logs: pytest.LogCaptureFixture) -> None:
    refused_url = f"http://127.0.0.1:{refused_port()}"
    with Orq(KEY, server_url=refused_url, retry_config=None) as orq, pytest.raises(APIConnectionError) as refused:
        create(orq)
    with (
        RawServer(close_after_request()) as server,
        Orq(KEY, server_url=server.url) as orq,
        pytest.raises(APIConnectionError) as dropped,
    ):
        create(orq)
    for error in (refused.value, dropped.value):
        assert isinstance(error.__cause__, httpx2.TransportError)
        assert "authorization" not in error.__cause__.request.headers
        assert KEY not in everything_shown(error)
    assert_no_key_in_logs(debug_logs)


def test_a_rotating_key_is_masked_as_well(server: LocalServer) -> None:
    keys = iter([KEY, KEY.replace("5e2d", "ffff")])
    second = KEY.replace("5e2d", "ffff")
    server.enqueue(200, json={"created": 1, "data": []})
    server.enqueue(403, json={"error": {"message": f"revoked {second}"}}, headers={"X-Echo": second})
    with Orq(lambda: next(keys), server_url=server.url) as orq:
        create(orq)
        with pytest.raises(OrqError) as caught:
            create(orq)
    assert second not in everything_shown(caught.value)
    assert "revoked ***" in str(caught.value)
