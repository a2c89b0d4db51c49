"""`with_raw_response`: every operation, sync and async, returns a RawResponse with the metadata of the answer it
came from, over a real local server."""

from __future__ import annotations

import asyncio
import datetime
import pathlib
import pickle
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from orq_images import NotFoundError, Orq, RawResponse, ResponseValidationError

from tests.client.conftest import API_KEY, AsyncTransport, SleepRecorder, new_orq
from tests.support.images import tiny_png
from tests.support.server import LocalServer

ANSWER = {"created": 1700000000, "data": [{"url": "https://images.example/a.png", "revised_prompt": "a fox"}]}

Namespace = Callable[[Orq], Any]
OPERATIONS: dict[str, tuple[Namespace, dict[str, Any], str]] = {
    "generations": (
        lambda orq: orq.router.images.generations,
        {"prompt": "a fox", "model": "openai/dall-e-2"},
        "/v2/router/images/generations",
    ),
    "edits": (
        lambda orq: orq.router.images.edits,
        {"prompt": "a fox", "model": "openai/dall-e-2", "image": tiny_png()},
        "/v2/router/images/edits",
    ),
    "variations": (
        lambda orq: orq.router.images.variations,
        {"model": "openai/dall-e-2", "image": tiny_png()},
        "/v2/router/images/variations",
    ),
}


def _call(orq: Orq, operation: str, *, raw: bool, is_async: bool, transport: AsyncTransport = "httpx2") -> Any:
    namespace, arguments, _ = OPERATIONS[operation]
    target = namespace(orq).with_raw_response if raw else namespace(orq)
    if is_async:

        async def run() -> Any:
            async with new_orq(transport, server_url=orq._core.server_url) as client:
                client._core.async_sleep = orq._core.async_sleep
                target = namespace(client).with_raw_response if raw else namespace(client)
                return await target.create_async(**arguments)

        return asyncio.run(run())
    return target.create(**arguments)


@pytest.mark.parametrize(
    ("is_async", "transport"),
    [(False, "httpx2"), (True, "httpx2"), (True, "aiohttp")],
    ids=["sync", "async", "aiohttp"],
)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_raw_response_carries_the_answers_status_headers_and_request_id(
    server: LocalServer, orq: Orq, operation: str, is_async: bool, transport: AsyncTransport
) -> None:
    server.enqueue(200, json=ANSWER, headers={"x-request-id": "req_123", "x-ratelimit-remaining": "41"})
    server.enqueue(200, json=ANSWER)

    raw = _call(orq, operation, raw=True, is_async=is_async, transport=transport)
    plain = _call(orq, operation, raw=False, is_async=is_async, transport=transport)

    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req_123"
    assert raw.headers["X-RateLimit-Remaining"] == "41"
    assert raw.retries_taken == 0
    assert isinstance(raw.elapsed, datetime.timedelta) and raw.elapsed > datetime.timedelta(0)
    assert raw.parse() == plain
    assert raw.parse() is raw.parse()
    assert raw.parse().data[0].url == "https://images.example/a.png"
    assert raw.method == "POST" and raw.url.path == OPERATIONS[operation][2]
    assert [request.path for request in server.requests] == [OPERATIONS[operation][2]] * 2
    assert "req_123" in repr(raw)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_retries_taken_counts_the_attempts_before_the_answer(
    server: LocalServer, orq: Orq, sleeps: SleepRecorder, is_async: bool
) -> None:
    server.enqueue(503, json={"error": "busy"}, headers={"Retry-After": "0", "x-request-id": "req_first"})
    server.enqueue(200, json=ANSWER, headers={"x-request-id": "req_second"})

    raw = _call(orq, "generations", raw=True, is_async=is_async)

    assert raw.retries_taken == 1
    assert raw.request_id == "req_second"  # the metadata is the last attempt's
    assert len(server.requests) == 2


def test_elapsed_covers_the_whole_call_with_its_retries(server: LocalServer) -> None:
    server.enqueue(503, json={"error": "busy"}, headers={"Retry-After": "0"}, delay=0.1)
    server.enqueue(200, json=ANSWER, delay=0.1)
    with Orq(api_key=API_KEY, server_url=server.url) as orq:
        raw = orq.router.images.generations.with_raw_response.create(prompt="a fox", model="m")
    assert raw.elapsed >= datetime.timedelta(seconds=0.2)
    assert raw.http_response.elapsed < raw.elapsed  # httpx2's own: the last attempt only


def test_an_echoed_key_is_masked_in_the_raw_headers_and_the_request_holds_no_headers(
    server: LocalServer, orq: Orq
) -> None:
    server.enqueue(200, json=ANSWER, headers={"x-request-id": f"req-{API_KEY}", "x-echo": f"Bearer {API_KEY}"})

    raw = orq.router.images.generations.with_raw_response.create(prompt="a fox", model="m")

    assert raw.headers["x-echo"] == "Bearer ***"
    assert raw.request_id == "req-***"
    assert "authorization" not in raw.http_response.request.headers
    assert raw.http_response.elapsed <= raw.elapsed  # the masked copy keeps httpx2's measure
    everything = repr(raw) + repr(list(raw.headers.items())) + repr(list(raw.http_response.request.headers.items()))
    assert API_KEY not in everything
    assert server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"  # it was sent, as always


def test_a_raw_call_raises_what_the_plain_call_raises(server: LocalServer, orq: Orq) -> None:
    server.enqueue(404, json={"error": {"message": "no such model"}}, headers={"x-request-id": "req_404"})
    with pytest.raises(NotFoundError) as caught:
        orq.router.images.generations.with_raw_response.create(prompt="a fox", model="m")
    assert caught.value.request_id == "req_404"

    server.enqueue(200, json={"data": "not a list"})
    with pytest.raises(ResponseValidationError):
        orq.router.images.generations.with_raw_response.create(prompt="a fox", model="m")


def test_save_to_writes_its_files_before_a_raw_call_returns(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.enqueue(200, json={"created": 1, "data": [{"b64_json": "aGVsbG8="}]}, headers={"x-request-id": "r1"})

    raw = orq.router.images.generations.with_raw_response.create(
        prompt="a fox", model="m", save_to=tmp_path / "fox.png"
    )

    assert (tmp_path / "fox.png").read_bytes() == b"hello"
    assert raw.parse().data[0].saved_to == tmp_path / "fox.png"
    assert raw.request_id == "r1"


def test_with_raw_response_reaches_every_namespace_and_is_made_once(orq: Orq) -> None:
    images = orq.router.images
    assert images.generations.with_raw_response is images.generations.with_raw_response
    assert orq.router.with_raw_response.images.generations.create.__qualname__ == (
        type(images.generations.with_raw_response).create.__qualname__
    )


def test_the_parsed_result_of_a_raw_call_pickles_without_the_client(server: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json=ANSWER)
    result = orq.router.images.generations.with_raw_response.create(prompt="a fox", model="m").parse()
    copy = pickle.loads(pickle.dumps(result))
    assert copy == result
    assert getattr(copy.data[0], "_client", None) is None


def test_raw_response_headers_are_httpx2_headers(server: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json=ANSWER)
    raw = orq.router.images.generations.with_raw_response.create(prompt="a fox", model="m")
    assert isinstance(raw.headers, httpx2.Headers)
    assert raw.headers["content-type"] == "application/json"
