"""shards: ``ShardedAsyncTransport`` against a real HTTP/1.1 server on 127.0.0.1.

The server (``Origin``) runs in the test's own event loop, so a test can hold answers until every request it
expects has arrived (proving they were in flight at once) and can see which connection (client port) each request
came on, and when each connection was closed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from orq_images._runtime.retries import certainly_not_sent
from orq_images._runtime.shards import SHARDS, ShardedAsyncClient, ShardedAsyncTransport, split_limits
from orq_images._runtime.transport import DEFAULT_LIMITS

from tests.support.server import refused_port

Answer = Callable[[asyncio.StreamWriter, int], Awaitable[bool]]
"""Answers request number n (from 0) on a connection; returns whether the connection stays open."""


def reply(status: int = 200, body: bytes = b'{"ok":true}') -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


class Origin:
    """An HTTP/1.1 server: reads each request whole, records its client port, then lets ``answer`` respond."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.ports: list[int] = []  # the client port of each request, in arrival order
        self.closed: set[int] = set()  # client ports whose connection has ended
        self.arrived = asyncio.Condition()
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/"

    async def wait_for_requests(self, count: int) -> None:
        async with self.arrived:
            await asyncio.wait_for(self.arrived.wait_for(lambda: len(self.ports) >= count), 5)

    async def wait_closed(self, ports: set[int]) -> None:
        async with asyncio.timeout(5):
            while not ports <= self.closed:
                await asyncio.sleep(0.005)

    async def __aenter__(self) -> Origin:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("peername")[1]
        try:
            for number in range(1000):
                head = await reader.readuntil(b"\r\n\r\n")
                lengths = [line for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")]
                await reader.readexactly(int(lengths[0].split(b":")[1]) if lengths else 0)
                async with self.arrived:
                    self.ports.append(port)
                    self.arrived.notify_all()
                if not await self.answer(writer, number):
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection
        finally:
            self.closed.add(port)
            writer.close()


def answer_at_once(status: int = 200) -> Answer:
    async def answer(writer: asyncio.StreamWriter, number: int) -> bool:
        writer.write(reply(status))
        return True

    return answer


def answer_when(gate: asyncio.Event) -> Answer:
    """Answers once ``gate`` is set."""

    async def answer(writer: asyncio.StreamWriter, number: int) -> bool:
        await gate.wait()
        writer.write(reply())
        return True

    return answer


async def never_answer(writer: asyncio.StreamWriter, number: int) -> bool:
    await asyncio.sleep(30)
    return False


async def hang_up(writer: asyncio.StreamWriter, number: int) -> bool:
    return False


@contextlib.asynccontextmanager
async def sharded(shards: int = 4, **limits: int) -> AsyncIterator[tuple[httpx2.AsyncClient, ShardedAsyncTransport]]:
    transport = ShardedAsyncTransport(
        shards=shards, limits=httpx2.Limits(**{"max_connections": 40, "max_keepalive_connections": 8, **limits})
    )
    async with httpx2.AsyncClient(transport=transport, timeout=5) as client:
        yield client, transport


# -- the budget --------------------------------------------------------------------------------------------------


def test_the_default_limits_are_shared_out_over_the_shards() -> None:
    parts = split_limits(DEFAULT_LIMITS, SHARDS)
    assert len(parts) == SHARDS == 32
    assert sum(part.max_connections or 0 for part in parts) == 1000
    assert {part.max_connections for part in parts} == {31, 32}
    assert sum(part.max_keepalive_connections or 0 for part in parts) == 100
    assert {part.keepalive_expiry for part in parts} == {30.0}


@given(
    connections=st.one_of(st.none(), st.integers(1, 5000)),
    keepalive=st.one_of(st.none(), st.integers(0, 500)),
    shards=st.integers(1, 64),
)
def test_a_split_keeps_the_totals_evenly_and_one_connection_alive_per_shard(
    connections: int | None, keepalive: int | None, shards: int
) -> None:
    limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=keepalive, keepalive_expiry=7.0)
    parts = split_limits(limits, shards)
    assert len(parts) == shards
    if connections is None:
        assert {part.max_connections for part in parts} == {None}
    else:
        counts = [part.max_connections or 0 for part in parts]
        assert sum(counts) == connections
        assert max(counts) - min(counts) <= 1
    if keepalive is None:
        assert {part.max_keepalive_connections for part in parts} == {None}
    else:
        kept = [part.max_keepalive_connections or 0 for part in parts]
        assert min(kept) >= 1
        assert sum(kept) == max(keepalive, shards)
        assert max(kept) - min(kept) <= 1
    assert {part.keepalive_expiry for part in parts} == {7.0}


def test_there_are_never_more_shards_than_connections() -> None:
    transport = ShardedAsyncTransport(shards=32, limits=httpx2.Limits(max_connections=3))
    assert transport.in_flight == (0, 0, 0)
    with pytest.raises(ValueError, match="at least 1"):
        ShardedAsyncTransport(shards=0, limits=DEFAULT_LIMITS)


def test_the_sharded_client_shards_its_own_transport_and_keeps_one_it_is_given() -> None:
    own = ShardedAsyncClient(limits=httpx2.Limits(max_connections=64, max_keepalive_connections=8))._transport
    assert isinstance(own, ShardedAsyncTransport)
    assert own.in_flight == (0,) * SHARDS
    given = httpx2.MockTransport(lambda request: httpx2.Response(204))
    assert ShardedAsyncClient(transport=given)._transport is given


# -- where requests go -------------------------------------------------------------------------------------------


def test_requests_in_flight_at_once_are_spread_over_the_shards() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        async with Origin(answer_when(gate)) as origin, sharded(shards=4) as (client, transport):
            calls = [asyncio.create_task(client.post(origin.url, content=b"x")) for _ in range(8)]
            await origin.wait_for_requests(8)
            assert transport.in_flight == (2, 2, 2, 2)
            gate.set()
            responses = await asyncio.gather(*calls)
            assert [response.status_code for response in responses] == [200] * 8
            assert transport.in_flight == (0, 0, 0, 0)
            assert len(set(origin.ports)) == 8  # eight connections, two per pool

    asyncio.run(scenario())


def test_calls_one_after_another_reuse_one_connection() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once()) as origin, sharded(shards=4) as (client, transport):
            for _ in range(6):
                response = await client.post(origin.url, content=b"x")
                assert response.json() == {"ok": True}
                assert transport.in_flight == (0, 0, 0, 0)
            assert len(origin.ports) == 6
            assert len(set(origin.ports)) == 1

    asyncio.run(scenario())


def test_a_request_goes_to_the_least_busy_shard_and_closing_its_answer_frees_that_shard() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        arrivals = 0

        async def first_at_once(writer: asyncio.StreamWriter, number: int) -> bool:
            nonlocal arrivals
            arrivals += 1
            if arrivals > 1:
                await gate.wait()
            writer.write(reply())
            return True

        async with Origin(first_at_once) as origin, sharded(shards=3) as (client, transport):
            first = await client.send(client.build_request("POST", origin.url), stream=True)
            assert transport.in_flight == (1, 0, 0)  # its body is not read: still in flight
            second = asyncio.create_task(client.post(origin.url))
            await origin.wait_for_requests(2)
            assert transport.in_flight == (1, 1, 0)
            await first.aclose()
            assert transport.in_flight == (0, 1, 0)
            third = asyncio.create_task(client.post(origin.url))
            await origin.wait_for_requests(3)
            assert transport.in_flight == (1, 1, 0)  # the first pool is the least busy again
            gate.set()
            assert [response.status_code for response in await asyncio.gather(second, third)] == [200, 200]
            assert transport.in_flight == (0, 0, 0)

    asyncio.run(scenario())


# -- the count always comes back ------------------------------------------------------------------------------


def test_error_statuses_free_their_shard() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once(503)) as origin, sharded() as (client, transport):
            responses = await asyncio.gather(*(client.post(origin.url) for _ in range(6)))
            assert {response.status_code for response in responses} == {503}
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_an_answer_whose_body_is_never_read_holds_its_shard_until_closed_once() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once()) as origin, sharded() as (client, transport):
            response = await client.send(client.build_request("POST", origin.url), stream=True)
            assert transport.in_flight == (1, 0, 0, 0)
            await response.aclose()
            await response.aclose()
            await response.stream.aclose()  # a second close of the stream itself releases nothing more
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_a_dropped_connection_frees_its_shard() -> None:
    async def scenario() -> None:
        async with Origin(hang_up) as origin, sharded() as (client, transport):
            results = await asyncio.gather(*(client.post(origin.url) for _ in range(5)), return_exceptions=True)
            assert all(isinstance(result, httpx2.RemoteProtocolError) for result in results), results
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_a_refused_connection_frees_its_shard_and_is_still_known_as_not_sent() -> None:
    async def scenario() -> None:
        async with sharded() as (client, transport):
            with pytest.raises(httpx2.ConnectError) as caught:
                await client.post(f"http://127.0.0.1:{refused_port()}/")
            assert certainly_not_sent(caught.value)
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_a_timeout_frees_its_shard() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as origin, sharded() as (client, transport):
            results = await asyncio.gather(
                *(client.post(origin.url, timeout=httpx2.Timeout(5, read=0.05)) for _ in range(3)),
                return_exceptions=True,
            )
            assert all(isinstance(result, httpx2.ReadTimeout) for result in results), results
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_cancelling_calls_while_they_are_sent_frees_their_shards() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as origin, sharded() as (client, transport):
            calls = [asyncio.create_task(client.post(origin.url, content=b"x")) for _ in range(6)]
            await origin.wait_for_requests(6)
            assert sum(transport.in_flight) == 6
            for call in calls:
                call.cancel()
            results = await asyncio.gather(*calls, return_exceptions=True)
            assert all(isinstance(result, asyncio.CancelledError) for result in results)
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


def test_cancelling_a_call_while_its_body_arrives_frees_its_shard_and_chunks_arrive_as_sent() -> None:
    async def scenario() -> None:
        first_chunk_seen = asyncio.Event()

        async def two_chunks_then_silence(writer: asyncio.StreamWriter, number: int) -> bool:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"a" * 10)
            await writer.drain()
            await first_chunk_seen.wait()  # the second chunk leaves only once the client saw the first
            writer.write(b"b" * 10)
            await writer.drain()
            await asyncio.sleep(30)
            return False

        async with Origin(two_chunks_then_silence) as origin, sharded() as (client, transport):
            chunks: list[bytes] = []

            async def read() -> None:
                async with client.stream("POST", origin.url) as response:
                    assert "network_stream" in response.extensions
                    assert response.extensions["http_version"] == b"HTTP/1.1"
                    assert response.headers["content-length"] == "1000"
                    async for chunk in response.aiter_raw():
                        chunks.append(chunk)
                        first_chunk_seen.set()

            reading = asyncio.create_task(read())
            async with asyncio.timeout(5):
                while len(chunks) < 2:
                    await asyncio.sleep(0.005)
            assert transport.in_flight == (1, 0, 0, 0)
            reading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await reading
            assert chunks == [b"a" * 10, b"b" * 10]
            assert transport.in_flight == (0, 0, 0, 0)

    asyncio.run(scenario())


# -- closing -----------------------------------------------------------------------------------------------------


def test_aclose_closes_the_connections_of_every_shard() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        async with Origin(answer_when(gate)) as origin:
            async with sharded(shards=4) as (client, transport):
                calls = [asyncio.create_task(client.post(origin.url)) for _ in range(8)]
                await origin.wait_for_requests(8)
                gate.set()
                await asyncio.gather(*calls)
                assert not origin.closed  # kept alive: two per pool
            await origin.wait_closed(set(origin.ports))  # ``async with`` closed the client, so every pool
            assert len(origin.closed) == 8

    asyncio.run(scenario())


def test_aclose_closes_every_shard_even_when_one_fails_to_close(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        async with Origin(answer_when(gate)) as origin:
            transport = ShardedAsyncTransport(shards=2, limits=httpx2.Limits(max_connections=4))
            client = httpx2.AsyncClient(transport=transport)
            calls = [asyncio.create_task(client.post(origin.url)) for _ in range(2)]
            await origin.wait_for_requests(2)
            gate.set()
            await asyncio.gather(*calls)
            assert transport.in_flight == (0, 0)
            broken = transport._pools[1]  # closed first (the pools are closed in reverse order)
            really_close = broken.aclose

            async def fail() -> None:
                raise OSError("cannot close")

            monkeypatch.setattr(broken, "aclose", fail)
            with pytest.raises(OSError, match="cannot close"):
                await client.aclose()
            async with asyncio.timeout(5):
                while not origin.closed:
                    await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)
            assert len(origin.closed) == 1  # the other pool's connection; the broken pool's is still open
            await really_close()
            await origin.wait_closed(set(origin.ports))

    asyncio.run(scenario())
