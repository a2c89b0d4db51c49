"""Fixtures and helpers for the client-level tests: the public `Orq` client against the real local server."""

from __future__ import annotations

import asyncio
import gc
import json
import warnings
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from orq_images import Orq, aiohttp_client
from orq_images.models import CreateImageResponse

from tests.support.server import LocalServer, RecordedRequest

API_KEY = "sk-client-test-KEY-9f3b2c71d0"
PATH = "/v2/router/images/generations"
MINIMAL: dict[str, Any] = {"prompt": "a lighthouse at dusk", "model": "openai/gpt-image-1"}

# The arguments of the seed's call example (tests/client/seed_call.py), as a dict literal. `test_seed.py`
# checks that this is exactly what seed_call.py passes, so everything compared with it compares with the seed.
SEED_ARGS: dict[str, Any] = {
    "prompt": "<value>",
    "model": "2",
    "n": 1,
    "retry": {"on_codes": [429, 500, 502, 503, 504]},
    "cache": {"ttl": 3600, "type": "exact_match"},
    "load_balancer": {"type": "weight_based", "models": []},
    "timeout": {"call_timeout": 30000},
    "orq": {
        "retry": {"on_codes": [429, 500, 502, 503, 504]},
        "fallbacks": [{"model": "openai/gpt-4o-mini"}],
        "identity": {
            "id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "display_name": "Jane Doe",
            "email": "jane.doe@example.com",
            "metadata": [{"department": "Engineering", "role": "Senior Developer"}],
            "logo_url": "https://example.com/avatars/jane-doe.jpg",
            "tags": ["hr", "engineering"],
        },
        "cache": {"ttl": 3600, "type": "exact_match"},
        "load_balancer": {
            "type": "weight_based",
            "models": [
                {"model": "openai/gpt-4o", "weight": 0.7},
                {"model": "anthropic/claude-3-5-sonnet", "weight": 0.3},
            ],
        },
        "timeout": {"call_timeout": 30000},
    },
}


AsyncTransport = Literal["httpx2", "aiohttp"]
ON_BOTH_ASYNC_TRANSPORTS = pytest.mark.parametrize("async_transport", ["httpx2", "aiohttp"])
"""Run a test's async calls through httpx2's own transport and through `aiohttp_client()` (the aiohttp extra):
the test must take the `async_transport` fixture, or `orq`, or make its clients with `new_orq`."""


Mode = Literal["sync", "async"]
WIRE_MODES = pytest.mark.parametrize(
    ("mode", "async_transport"), [("sync", "httpx2"), ("async", "httpx2"), ("async", "aiohttp")]
)
"""For tests against the real local server: `create` (sync), then `create_async` through httpx2's own transport and
through `aiohttp_client()` (see `generate`)."""


def new_orq(async_transport: AsyncTransport, **options: Any) -> Orq:
    """``Orq(api_key=API_KEY, **options)`` whose async calls go through ``async_transport``."""
    if async_transport == "aiohttp":
        options["async_client"] = aiohttp_client()
    return Orq(**{"api_key": API_KEY, **options})


class SleepRecorder:
    """Stands in for `time.sleep` / `asyncio.sleep` between retries: records the waits, waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, delay: float) -> None:
        self.delays.append(delay)

    async def async_sleep(self, delay: float) -> None:
        self.delays.append(delay)


def record_sleeps(orq: Orq) -> SleepRecorder:
    """Replace the client's waits between attempts with a recorder (see `ClientCore.sleep`)."""
    recorder = SleepRecorder()
    orq._core.sleep = recorder
    orq._core.async_sleep = recorder.async_sleep
    return recorder


def create(client: Orq, /, **arguments: Any) -> CreateImageResponse:
    """``client.router.images.generations.create`` with the two required arguments filled in (overridable)."""
    return client.router.images.generations.create(**{**MINIMAL, **arguments})


async def create_async(client: Orq, /, **arguments: Any) -> CreateImageResponse:
    """``create_async`` with the two required arguments filled in (overridable)."""
    return await client.router.images.generations.create_async(**{**MINIMAL, **arguments})


def generate(orq: Orq, mode: Mode, /, **arguments: Any) -> CreateImageResponse:
    """``create`` or ``create_async`` (run to completion) on ``orq``, with the required arguments filled in."""
    if mode == "sync":
        return create(orq, **arguments)
    return asyncio.run(create_async(orq, **arguments))


def wire_json(body: object) -> bytes:
    """The bytes the client sends for ``body`` (compact JSON, UTF-8, as given)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def only_request(server: LocalServer) -> RecordedRequest:
    """The one request the server received (fails when there were none or several)."""
    assert len(server.requests) == 1, [r.json for r in server.requests]
    return server.requests[0]


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def async_transport() -> AsyncTransport:
    """The transport of the async calls of `orq` and `new_orq`: httpx2's own, unless the test is marked
    `ON_BOTH_ASYNC_TRANSPORTS`."""
    return "httpx2"


@pytest.fixture
def orq(server: LocalServer, sleeps: SleepRecorder, async_transport: AsyncTransport) -> Iterator[Orq]:
    """An `Orq` client for the local server, with default retries whose waits are recorded, not waited."""
    with new_orq(async_transport, server_url=server.url) as client:
        client._core.sleep = sleeps
        client._core.async_sleep = sleeps.async_sleep
        yield client
    # Tests here drive `create_async` with `asyncio.run()` on a client closed with sync `close()`, which cannot
    # close an httpx2.AsyncClient whose event loop is gone (README: use `async with` / `aclose()` in async code).
    # Collect its sockets now, so their ResourceWarning is not blamed on whichever test runs next. An
    # aiohttp_client() is closed by aclose() from any loop (its session is let go when its loop is gone).
    if async_transport == "aiohttp":
        asyncio.run(client.aclose())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
