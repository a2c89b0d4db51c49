"""The SDK's own options of the wrong type or with values a request cannot carry fail before anything is sent, as a
`RequestValidationError` (also a `TypeError` and a `ValueError`) naming the option."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from orq_images import Orq, RequestValidationError

from tests.client.conftest import API_KEY, create, create_async
from tests.support.server import LocalServer

BAD_CALL_OPTIONS = [
    ({"retries": 3}, "retries"),
    ({"retries": {"max_retries": 3}}, "retries"),
    ({"timeout_ms": "5000"}, "timeout_ms"),
    ({"server_url": 3}, "server_url"),
    ({"http_headers": "X-A: 1"}, "http_headers"),
    ({"http_headers": [("X-A", "1")]}, "http_headers"),
    ({"http_headers": {"X-A": "a\r\nX-Injected: 1"}}, "http_headers['X-A']"),
    ({"http_headers": {"X-A": "line\nbreak"}}, "http_headers['X-A']"),
    ({"http_headers": {"X-A": "snow ☃"}}, "http_headers['X-A']"),
    ({"http_headers": {"X-A": " padded"}}, "http_headers['X-A']"),
    ({"http_headers": {"X-A": 1}}, "http_headers['X-A']"),
    ({"http_headers": {"X A": "1"}}, "http_headers"),
    ({"http_headers": {"": "1"}}, "http_headers"),
    ({"http_headers": {"X-\u00e9": "1"}}, "http_headers"),
]


@pytest.mark.parametrize(("options", "path"), BAD_CALL_OPTIONS)
def test_bad_call_options_fail_before_sending(server: LocalServer, options: dict[str, Any], path: str) -> None:
    with Orq(API_KEY, server_url=server.url) as orq:
        with pytest.raises(RequestValidationError) as caught:
            create(orq, **options)
        assert caught.value.path == path
        assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)
        with pytest.raises(RequestValidationError) as in_async:
            asyncio.run(create_async(orq, **options))
        assert in_async.value.path == path
    assert server.requests == []


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"retry_config": 3}, "retry_config"),
        ({"retry_config": "default"}, "retry_config"),
        ({"timeout_ms": "1s"}, "timeout_ms"),
        ({"server_url": b"http://x"}, "server_url"),
        ({"client": object()}, "client"),
        ({"async_client": object()}, "async_client"),
        ({"max_response_bytes": "1GiB"}, "max_response_bytes"),
    ],
)
def test_bad_client_options_fail_when_the_client_is_made(options: dict[str, Any], path: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        Orq(API_KEY, **options)
    assert caught.value.path == path


def test_valid_headers_are_sent_as_given(server: LocalServer) -> None:
    headers = {"X-Latin": "café", "X-Inner": "a  b\tc", "X-Empty": "", "x-token_~!": "1"}
    with Orq(API_KEY, server_url=server.url) as orq:
        create(orq, http_headers=headers)
    received = server.requests[0].headers
    assert received["x-latin"] == "café"  # Latin-1 on the wire, read back as such
    assert received["x-inner"] == "a  b\tc"
    assert received["x-empty"] == ""
    assert received["x-token_~!"] == "1"


def test_a_bad_credential_header_is_refused_without_showing_it(server: LocalServer) -> None:
    with Orq(API_KEY, server_url=server.url) as orq, pytest.raises(RequestValidationError) as caught:
        create(orq, http_headers={"Authorization": f"Bearer {API_KEY}\n"})
    assert caught.value.path == "http_headers['Authorization']"
    assert API_KEY not in str(caught.value) + repr(caught.value.value)
    assert server.requests == []
