"""`create_async`: the same request, result, errors and retries as `create`, and many calls at once; on httpx2's own
transport and on `aiohttp_client()` (the aiohttp extra)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from orq_images import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    NotFoundError,
    Orq,
    OrqError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from orq_images.models import CreateImageResponse

from tests.client.conftest import (
    API_KEY,
    MINIMAL,
    ON_BOTH_ASYNC_TRANSPORTS,
    SEED_ARGS,
    AsyncTransport,
    SleepRecorder,
    create,
    create_async,
    new_orq,
    only_request,
    wire_json,
)
from tests.support.server import DEFAULT_RESPONSE, LocalServer, RecordedRequest, ScriptedResponse, refused_port

pytestmark = ON_BOTH_ASYNC_TRANSPORTS

AUTH_BODY = {
    "error": {"type": "invalid_request_error", "message": "Invalid API key", "code": "invalid_api_key", "param": None}
}


class EchoServer(LocalServer):
    """Answers every request with an image whose revised_prompt is the request's prompt, after a short pause, so
    that concurrent calls overlap and each answer can be matched with its call."""

    def _next(self, request: RecordedRequest) -> ScriptedResponse:
        with self._lock:
            self.requests.append(request)
        body = {"created": 1, "data": [{"url": "https://example.com/x.png", "revised_prompt": request.json["prompt"]}]}
        return ScriptedResponse(200, {"Content-Type": "application/json"}, json.dumps(body).encode(), delay=0.05)


def test_seed_call_async_sends_the_same_body_as_sync(server: LocalServer, orq: Orq) -> None:
    sync_result = orq.router.images.generations.create(**SEED_ARGS)
    async_result = asyncio.run(orq.router.images.generations.create_async(**SEED_ARGS))
    first, second = server.requests
    assert first.body == second.body == wire_json(SEED_ARGS)
    assert first.headers["authorization"] == second.headers["authorization"] == f"Bearer {API_KEY}"
    assert first.headers["user-agent"] == second.headers["user-agent"]
    assert first.headers["content-type"] == second.headers["content-type"] == "application/json"
    assert async_result.to_dict() == sync_result.to_dict() == DEFAULT_RESPONSE


def test_100_concurrent_calls(async_transport: AsyncTransport) -> None:
    async def main(server: LocalServer) -> list[CreateImageResponse]:
        async with new_orq(async_transport, server_url=server.url) as orq:
            calls = [create_async(orq, prompt=f"p{i}") for i in range(100)]
            return await asyncio.gather(*calls)

    with EchoServer() as server:
        started = time.monotonic()
        results = asyncio.run(main(server))
        elapsed = time.monotonic() - started
    assert len(results) == 100
    assert [result.data[0].revised_prompt for result in results] == [f"p{i}" for i in range(100)]
    assert sorted(request.json["prompt"] for request in server.requests) == sorted(f"p{i}" for i in range(100))
    assert elapsed < 100 * 0.05 / 2  # they overlapped: well under the time of 100 calls one after another


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (503, ServerError),
        (529, ServerError),
        (418, APIStatusError),
    ],
)
def test_async_errors_map_to_the_same_classes(
    server: LocalServer, async_transport: AsyncTransport, status: int, error_class: type[Exception]
) -> None:
    server.enqueue(status, json=AUTH_BODY, headers={"x-request-id": "req-a"})

    async def main() -> None:
        async with new_orq(async_transport, server_url=server.url, retry_config=None) as orq:
            await create_async(orq)

    with pytest.raises(APIStatusError) as caught:
        asyncio.run(main())
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert caught.value.request_id == "req-a"
    assert str(caught.value) == f"Error code: {status} - Invalid API key (request id: req-a)"


def test_async_transport_and_response_errors(server: LocalServer, async_transport: AsyncTransport) -> None:
    server.enqueue(200, body="not json")
    server.enqueue(200, json=DEFAULT_RESPONSE, delay=3)
    errors: list[Exception] = []

    async def main() -> None:
        async with new_orq(async_transport, server_url=server.url, retry_config=None, timeout_ms=200) as orq:
            calls = [
                create_async(orq),
                create_async(orq),
                create_async(orq, server_url=f"http://127.0.0.1:{refused_port()}"),
                create_async(orq, n=0),
            ]
            for call in calls:  # one after the other
                try:
                    await call
                except OrqError as error:
                    errors.append(error)

    asyncio.run(main())
    assert [type(error) for error in errors] == [
        ResponseValidationError,
        APITimeoutError,
        APIConnectionError,
        RequestValidationError,
    ]
    assert len(server.requests) == 2


def test_async_retries(server: LocalServer, orq: Orq, sleeps: SleepRecorder) -> None:
    server.enqueue(503, json={"error": "busy"})
    server.enqueue(429, json={"error": "slow"}, headers={"Retry-After": "2"})
    server.enqueue(200, json={"created": 9, "data": []})
    assert asyncio.run(create_async(orq)).created == 9
    assert len(server.requests) == 3
    assert len(sleeps.delays) == 2
    assert 0 <= sleeps.delays[0] <= 0.5
    assert sleeps.delays[1] == 2.0

    server.reset()
    server.enqueue(503, json={"error": "busy"})
    with pytest.raises(ServerError):
        asyncio.run(create_async(orq, retries=None))
    assert len(server.requests) == 1


def test_async_dropped_connection_is_raised_not_sent_again(server: LocalServer, orq: Orq) -> None:
    for _ in range(3):
        server.enqueue(200, json=DEFAULT_RESPONSE, drop=True)
    with pytest.raises(APIConnectionError, match="the server may have received the request"):
        asyncio.run(create_async(orq))
    assert len(server.requests) == 1


def test_one_client_across_several_event_loops(server: LocalServer, async_transport: AsyncTransport) -> None:
    """A module-level client used from two `asyncio.run()` calls (the first loop is closed by then)."""
    orq = new_orq(async_transport, server_url=server.url, retry_config=None)

    async def last_call() -> CreateImageResponse:
        async with orq:
            return await create_async(orq, prompt="third loop")

    first = asyncio.run(create_async(orq, prompt="first loop"))
    second = asyncio.run(create_async(orq, prompt="second loop"))  # was: RuntimeError('Event loop is closed')
    third = asyncio.run(last_call())
    assert first.to_dict() == second.to_dict() == third.to_dict() == DEFAULT_RESPONSE
    assert [request.json["prompt"] for request in server.requests] == ["first loop", "second loop", "third loop"]
    with pytest.raises(ClientClosedError):
        asyncio.run(create_async(orq))


def test_sync_and_async_calls_share_one_client(server: LocalServer, async_transport: AsyncTransport) -> None:
    async def main(orq: Orq) -> Any:
        return (await create_async(orq, prompt="async")).to_dict()

    with new_orq(async_transport, server_url=server.url) as orq:
        assert create(orq, prompt="sync").to_dict() == DEFAULT_RESPONSE

        async def both() -> Any:
            async with orq:
                return await main(orq)

        assert asyncio.run(both()) == DEFAULT_RESPONSE
    assert [request.json for request in server.requests] == [
        {**MINIMAL, "prompt": "sync"},
        {**MINIMAL, "prompt": "async"},
    ]


def test_what_create_async_sends_is_what_it_checked_at_the_call(server: LocalServer, orq: Orq) -> None:
    orq_options: dict[str, Any] = {"fallbacks": [{"model": "openai/dall-e-3"}], "identity": {"id": "c1"}}
    metadata = {"team": "design"}

    async def main() -> None:
        pending = orq.router.images.generations.create_async(**MINIMAL, orq=orq_options, metadata=metadata)
        orq_options["fallbacks"].append({"model": 42})  # invalid, had it been checked
        orq_options["identity"]["id"] = "changed"
        metadata["team"] = "x" * 1000  # longer than the schema allows
        await pending

    asyncio.run(main())
    assert only_request(server).json == {
        **MINIMAL,
        "metadata": {"team": "design"},
        "orq": {"fallbacks": [{"model": "openai/dall-e-3"}], "identity": {"id": "c1"}},
    }
