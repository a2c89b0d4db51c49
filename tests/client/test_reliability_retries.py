"""A POST is sent again only when the server certainly did not act on it, or when the caller asked: counted on
the server's side."""

from __future__ import annotations

import asyncio
from typing import Literal

import pytest
from orq_images import APIConnectionError, APIStatusError, Orq, RetryConfig

from tests.client.conftest import API_KEY, create, create_async, record_sleeps
from tests.support.raw_server import RawServer, close_after_request
from tests.support.server import LocalServer, refused_port

Mode = Literal["sync", "async"]
MODES = pytest.mark.parametrize("mode", ["sync", "async"])
OK = {"created": 1700000042, "data": [{"url": "https://example.com/retried.png"}]}


def call(mode: Mode, orq: Orq, **arguments: object) -> object:
    if mode == "sync":
        return create(orq, **arguments)
    return asyncio.run(create_async(orq, **arguments))


@MODES
def test_a_post_the_server_received_is_not_sent_again(mode: Mode) -> None:
    """The server reads the whole request, then the connection drops: it may be generating the image."""
    with RawServer(close_after_request()) as server, Orq(API_KEY, server_url=server.url) as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(APIConnectionError) as caught:
            call(mode, orq)
        assert server.posts == 1
    assert str(caught.value).endswith("; the server may have received the request.")
    assert sleeps.delays == []


@MODES
def test_retry_possibly_received_sends_it_again_when_asked(mode: Mode) -> None:
    config = RetryConfig(retry_possibly_received=True)
    with RawServer(close_after_request()) as server, Orq(API_KEY, server_url=server.url, retry_config=config) as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(APIConnectionError):
            call(mode, orq)
        assert server.posts == 3
    assert len(sleeps.delays) == 2


@MODES
def test_a_connection_that_could_not_be_made_is_retried(mode: Mode) -> None:
    with Orq(API_KEY, server_url=f"http://127.0.0.1:{refused_port()}") as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(APIConnectionError) as caught:
            call(mode, orq)
    assert str(caught.value).endswith("; the request was not sent.")
    assert len(sleeps.delays) == 2


@MODES
@pytest.mark.parametrize("status", [408, 429, 503, 529])
def test_statuses_that_say_not_processed_are_retried(server: LocalServer, mode: Mode, status: int) -> None:
    server.enqueue(status, json={"error": "not now"}, headers={"Retry-After": "0"})
    server.enqueue(200, json=OK)
    with Orq(API_KEY, server_url=server.url) as orq:
        record_sleeps(orq)
        call(mode, orq)
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [500, 502, 504, 520])
def test_gateway_and_server_errors_are_not_retried_unless_added(server: LocalServer, status: int) -> None:
    server.enqueue(status, json={"error": "upstream"}, headers={"Retry-After": "0"})
    server.enqueue(status, json={"error": "upstream"}, headers={"Retry-After": "0"})
    server.enqueue(200, json=OK)
    with Orq(API_KEY, server_url=server.url) as orq:
        record_sleeps(orq)
        with pytest.raises(APIStatusError):
            create(orq)
        assert len(server.requests) == 1
        added = RetryConfig(retry_on_status={*RetryConfig().retry_on_status, status})
        assert create(orq, retries=added).created == OK["created"]
    assert len(server.requests) == 3
