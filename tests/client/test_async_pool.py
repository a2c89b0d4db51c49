"""The async client the SDK makes for itself keeps its connections in `pool.AsyncPool`, against the real local
server: calls in flight at once each get a connection, their failures and cancellations leave no connection counted
busy, `aclose()` closes every connection, proxies from the environment still apply; a client the user passes is
used as it is."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

import httpx2
import pytest
from orq_images import APIConnectionError, APITimeoutError, BadRequestError, Orq, ServerError, aiohttp_client
from orq_images._runtime.pool import AsyncPool

from tests.client.conftest import API_KEY, PATH, create_async
from tests.support.raw_server import Behaviour, RawRequest, RawServer, answer
from tests.support.server import (
    DEFAULT_RESPONSE,
    LocalServer,
    RecordedRequest,
    ScriptedResponse,
    refused_port,
    scripted,
)


def pool_of(orq: Orq) -> AsyncPool:
    client = orq._core._async_client
    assert client is not None
    transport = client._transport
    assert isinstance(transport, AsyncPool)
    return transport


def busy(orq: Orq) -> int:
    """Connections of the SDK's pool carrying a call (open, and not idle)."""
    pool = pool_of(orq)
    return pool.connections - pool.idle_connections


def answer_after(delay: float) -> Any:
    def respond(request: RecordedRequest, count: int) -> ScriptedResponse:
        return scripted(json=DEFAULT_RESPONSE, delay=delay)

    return respond


def open_server_connections(server: LocalServer) -> int:
    with server._lock:
        return len(server._connections)


def answer_when(gate: threading.Event) -> Behaviour:
    """The default answer, once ``gate`` is set."""
    reply = answer(200, json.dumps(DEFAULT_RESPONSE).encode(), {"Content-Type": "application/json"})

    def behave(conn: socket.socket, request: RawRequest, stopping: threading.Event) -> bool:
        gate.wait(10)
        return reply(conn, request, stopping)

    return behave


def test_calls_in_flight_at_once_go_through_separate_connections_and_all_come_back() -> None:
    gate = threading.Event()

    async def scenario(server: RawServer) -> None:
        async with Orq(API_KEY, server_url=server.url) as orq:
            calls = [asyncio.create_task(create_async(orq)) for _ in range(12)]
            while server.posts < 12:
                await asyncio.sleep(0.01)
            assert busy(orq) == 12
            gate.set()
            results = await asyncio.gather(*calls)
            assert [result.created for result in results] == [DEFAULT_RESPONSE["created"]] * 12
            assert busy(orq) == 0
            assert pool_of(orq).idle_connections == 12

    with RawServer(answer_when(gate)) as server:
        asyncio.run(scenario(server))
    assert len({request.port for request in server.requests}) == 12  # twelve connections


def test_calls_one_after_another_reuse_one_connection() -> None:
    gate = threading.Event()
    gate.set()

    async def scenario(server: RawServer) -> None:
        async with Orq(API_KEY, server_url=server.url) as orq:
            for _ in range(4):
                await create_async(orq)
                assert busy(orq) == 0
                assert pool_of(orq).idle_connections == 1

    with RawServer(answer_when(gate)) as server:
        asyncio.run(scenario(server))
    assert server.posts == 4
    assert len({request.port for request in server.requests}) == 1


def test_failed_and_cancelled_calls_leave_no_connection_counted_busy(server: LocalServer) -> None:
    async def scenario() -> None:
        async with Orq(API_KEY, server_url=server.url, retry_config=None) as orq:
            server.enqueue(400, json={"error": {"message": "bad prompt"}})
            server.enqueue(500, json={"error": {"message": "oops"}})
            server.enqueue(drop=True)
            server.enqueue(json=DEFAULT_RESPONSE, truncate=True)
            for expected in (BadRequestError, ServerError, APIConnectionError, APIConnectionError):
                with pytest.raises(expected):
                    await create_async(orq)
                assert busy(orq) == 0

            server.enqueue(json=DEFAULT_RESPONSE, delay=2)
            with pytest.raises(APITimeoutError):
                await create_async(orq, timeout_ms=200)
            assert busy(orq) == 0

            server.enqueue(json=DEFAULT_RESPONSE, body_delay=2)  # cancelled while the answer arrives
            server.enqueue(json=DEFAULT_RESPONSE, delay=2)  # cancelled before any answer
            calls = [asyncio.create_task(create_async(orq)) for _ in range(2)]
            while len(server.requests) < 7:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)
            assert busy(orq) == 2
            for call in calls:
                call.cancel()
            assert all(
                isinstance(r, asyncio.CancelledError) for r in await asyncio.gather(*calls, return_exceptions=True)
            )
            assert busy(orq) == 0

            assert (await create_async(orq)).created == DEFAULT_RESPONSE["created"]  # the client still works
            assert busy(orq) == 0

    asyncio.run(scenario())


def test_aclose_closes_every_connection(server: LocalServer) -> None:
    server.respond = answer_after(0.2)

    async def scenario() -> None:
        orq = Orq(API_KEY, server_url=server.url)
        await asyncio.gather(*(create_async(orq) for _ in range(6)))
        assert open_server_connections(server) == 6
        await orq.aclose()
        deadline = time.monotonic() + 5
        while open_server_connections(server) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert open_server_connections(server) == 0

    asyncio.run(scenario())


def test_proxies_from_the_environment_apply_to_the_async_client_the_sdk_makes(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url)  # the local server plays the proxy

    async def scenario() -> None:
        async with Orq(API_KEY, server_url="http://images.example.invalid") as orq:
            await create_async(orq)

    asyncio.run(scenario())
    assert [request.path for request in server.requests] == [f"http://images.example.invalid{PATH}"]


def test_hosts_in_no_proxy_are_reached_directly_through_the_pool(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ALL_PROXY", "all_proxy", "no_proxy", "HTTPS_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{refused_port()}")  # a proxy that is not there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    async def scenario() -> None:
        async with Orq(API_KEY, server_url=server.url) as orq:
            await create_async(orq)
            assert busy(orq) == 0
            assert pool_of(orq).idle_connections == 1  # it went through the pool, not a proxy transport

    asyncio.run(scenario())
    assert [request.path for request in server.requests] == [PATH]


@pytest.mark.parametrize("make", [httpx2.AsyncClient, aiohttp_client], ids=["httpx2", "aiohttp"])
def test_a_client_the_user_passes_keeps_its_own_transport(server: LocalServer, make: Any) -> None:
    async def scenario() -> None:
        given = make()
        transport = given._transport
        async with Orq(API_KEY, server_url=server.url, async_client=given) as orq:
            await create_async(orq)
            assert orq._core._async_client is given
            assert given._transport is transport
            assert not isinstance(transport, AsyncPool)
        await given.aclose()

    asyncio.run(scenario())
