"""pool: ``AsyncPool``'s bookkeeping against a real HTTP/1.1 server on 127.0.0.1: the connection limit and the
requests waiting for a place, keep-alive (how many, how long, and a connection the server closed while idle), and
that every way a request can end (an answer read or not, an error status, a drop, a refused connect, a timeout, a
cancellation) leaves no connection counted busy. The wire itself (framings, faults, the same outcomes as httpx2's
own transport) is tests/runtime/test_pool_wire.py's.

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
from orq_images._runtime import pool as pool_module
from orq_images._runtime.pool import AsyncPool, PooledAsyncClient
from orq_images._runtime.retries import certainly_not_sent
from orq_images._runtime.transport import DEFAULT_LIMITS

from tests.support.server import refused_port

Answer = Callable[[asyncio.StreamWriter, int], Awaitable[bool]]
"""Answers request number n (from 0) on a connection; returns whether the connection stays open."""


def reply(status: int = 200, body: bytes = b'{"ok":true}') -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


class Origin:
    """An HTTP/1.1 server: reads each request whole, records its client port and its ``x-call`` header, then lets
    ``answer`` respond."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.ports: list[int] = []  # the client port of each request, in arrival order
        self.calls: list[str] = []  # the x-call header of each request, in arrival order
        self.bodies: list[bytes] = []  # the body of each request, in arrival order
        self.closed: set[int] = set()  # client ports whose connection has ended
        self.open_at_most = 0
        self._open: set[int] = set()
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
        self._open.add(port)
        self.open_at_most = max(self.open_at_most, len(self._open))
        try:
            for number in range(1000):
                head = await reader.readuntil(b"\r\n\r\n")
                fields = dict(line.split(b":", 1) for line in head.lower().split(b"\r\n")[1:] if b":" in line)
                body = await reader.readexactly(int(fields.get(b"content-length", b"0")))
                async with self.arrived:
                    self.bodies.append(body)
                    self.ports.append(port)
                    self.calls.append(fields.get(b"x-call", b"").strip().decode())
                    self.arrived.notify_all()
                if not await self.answer(writer, number):
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection
        finally:
            self._open.discard(port)
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


async def answer_then_close(writer: asyncio.StreamWriter, number: int) -> bool:
    """A complete answer (with its length, nothing says "close"), then the server closes the connection."""
    writer.write(reply())
    return False


async def never_answer(writer: asyncio.StreamWriter, number: int) -> bool:
    await asyncio.sleep(30)
    return False


async def hang_up(writer: asyncio.StreamWriter, number: int) -> bool:
    return False


@contextlib.asynccontextmanager
async def pooled(**limits: float | None) -> AsyncIterator[tuple[httpx2.AsyncClient, AsyncPool]]:
    options: dict[str, float | None] = {"max_connections": 40, "max_keepalive_connections": 8, **limits}
    async with PooledAsyncClient(limits=httpx2.Limits(**options), timeout=5) as client:  # type: ignore[arg-type]
        pool = client._transport
        assert isinstance(pool, AsyncPool)
        yield client, pool


def busy(pool: AsyncPool) -> int:
    return pool.connections - pool.idle_connections


# -- the client ----------------------------------------------------------------------------------------------------


def test_the_client_keeps_its_connections_in_the_pool_unless_given_a_transport_or_http2() -> None:
    own = PooledAsyncClient(limits=DEFAULT_LIMITS)._transport
    assert isinstance(own, AsyncPool)
    assert (own._max_connections, own._max_idle, own._expiry) == (1000, 100, 30.0)
    given = httpx2.MockTransport(lambda request: httpx2.Response(204))
    assert PooledAsyncClient(transport=given)._transport is given


def test_an_http2_client_gets_httpx2s_own_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, object]] = []

    class Recorded(httpx2.AsyncBaseTransport):  # stands in for httpx2's (which needs the h2 package)
        def __init__(self, **options: object) -> None:
            made.append(options)

    monkeypatch.setattr(pool_module.httpx2, "AsyncHTTPTransport", Recorded)
    client = PooledAsyncClient()  # (http2=True here would need h2 installed: httpx2's client checks)
    assert type(client._init_transport(http2=True)) is Recorded
    assert made[0]["http2"] is True
    assert type(client._init_transport(http1=False, http2=True)) is Recorded


# -- the limit and the queue -----------------------------------------------------------------------------------------


def test_requests_beyond_the_limit_wait_and_go_in_the_order_they_came() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        async with Origin(answer_when(gate)) as origin, pooled(max_connections=2) as (client, pool):
            calls = []
            for number in range(6):
                calls.append(asyncio.create_task(client.post(origin.url, headers={"x-call": str(number)})))
                await asyncio.sleep(0.01)  # so that they queue in this order
            await origin.wait_for_requests(2)
            await asyncio.sleep(0.05)
            assert len(origin.ports) == 2  # the others wait for a place
            assert pool.connections == 2
            gate.set()
            responses = await asyncio.gather(*calls)
            assert [response.status_code for response in responses] == [200] * 6
            assert origin.calls == [str(number) for number in range(6)]
            assert origin.open_at_most == 2
            assert (pool.connections, pool.idle_connections) == (2, 2)

    asyncio.run(scenario())


def test_a_request_finding_the_pool_full_past_its_pool_timeout_fails_as_not_sent() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as origin, pooled(max_connections=1) as (client, pool):
            first = asyncio.create_task(client.post(origin.url))
            await origin.wait_for_requests(1)
            with pytest.raises(httpx2.PoolTimeout) as caught:
                await client.post(origin.url, timeout=httpx2.Timeout(5, pool=0.05))
            assert certainly_not_sent(caught.value)
            assert caught.value.request.url == origin.url
            assert len(origin.ports) == 1
            first.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await first
            assert pool.connections == 0
            assert not pool._waiting

    asyncio.run(scenario())


def test_a_cancelled_waiter_passes_its_turn_to_the_next() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        async with Origin(answer_when(gate)) as origin, pooled(max_connections=1) as (client, pool):
            first = asyncio.create_task(client.post(origin.url, headers={"x-call": "first"}))
            await origin.wait_for_requests(1)
            second = asyncio.create_task(client.post(origin.url, headers={"x-call": "second"}))
            third = asyncio.create_task(client.post(origin.url, headers={"x-call": "third"}))
            await asyncio.sleep(0.05)
            second.cancel()
            gate.set()
            async with asyncio.timeout(2):  # not the pool timeout (5 s): the turn is passed on at once
                assert (await first).status_code == (await third).status_code == 200
            with pytest.raises(asyncio.CancelledError):
                await second
            assert origin.calls == ["first", "third"]
            assert busy(pool) == 0

    asyncio.run(scenario())


def test_a_full_pool_closes_an_idle_connection_to_another_origin_to_make_room() -> None:
    async def scenario() -> None:
        async with (
            Origin(answer_at_once()) as first,
            Origin(answer_at_once()) as second,
            pooled(max_connections=1) as (client, pool),
        ):
            assert (await client.post(first.url)).status_code == 200
            assert pool.idle_connections == 1
            assert (await client.post(second.url)).status_code == 200
            await first.wait_closed(set(first.ports))
            assert (pool.connections, pool.idle_connections) == (1, 1)

    asyncio.run(scenario())


@pytest.mark.parametrize("size", [0, 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024])
def test_request_bodies_small_and_large_arrive_whole_and_the_connection_is_reused(size: int) -> None:
    """Up to 64 KiB the head and the body go out in one write; above, apart (the body is not copied to join it)."""
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)

    async def scenario() -> None:
        async with Origin(answer_at_once()) as origin, pooled() as (client, pool):
            for _ in range(2):
                assert (await client.post(origin.url, content=body)).status_code == 200
            assert origin.bodies == [body, body]
            assert len(set(origin.ports)) == 1

    asyncio.run(scenario())


# -- keep-alive ----------------------------------------------------------------------------------------------------


def test_calls_one_after_another_reuse_one_connection() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once()) as origin, pooled() as (client, pool):
            for _ in range(6):
                response = await client.post(origin.url, content=b"x")
                assert response.json() == {"ok": True}
                assert (pool.connections, pool.idle_connections) == (1, 1)
            assert len(origin.ports) == 6
            assert len(set(origin.ports)) == 1

    asyncio.run(scenario())


def test_no_more_connections_are_kept_alive_than_the_keepalive_limit() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        async with Origin(answer_when(gate)) as origin, pooled(max_keepalive_connections=3) as (client, pool):
            calls = [asyncio.create_task(client.post(origin.url)) for _ in range(7)]
            await origin.wait_for_requests(7)
            assert (pool.connections, pool.idle_connections) == (7, 0)
            gate.set()
            await asyncio.gather(*calls)
            assert (pool.connections, pool.idle_connections) == (3, 3)
            async with asyncio.timeout(5):
                while len(origin.closed) < 4:
                    await asyncio.sleep(0.005)
            assert len(origin.closed) == 4

    asyncio.run(scenario())


def test_an_idle_connection_past_the_keepalive_expiry_is_closed_and_not_used() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once()) as origin, pooled(keepalive_expiry=0.1) as (client, pool):
            await client.post(origin.url)
            await asyncio.sleep(0.15)
            await client.post(origin.url)
            first, second = origin.ports
            assert first != second
            await origin.wait_closed({first})
            assert (pool.connections, pool.idle_connections) == (1, 1)

    asyncio.run(scenario())


def test_idle_connections_of_an_origin_no_longer_asked_for_expire_too() -> None:
    async def scenario() -> None:
        async with (
            Origin(answer_at_once()) as old,
            Origin(answer_at_once()) as new,
            pooled(keepalive_expiry=0.1) as (client, pool),
        ):
            await client.post(old.url)
            await asyncio.sleep(0.15)
            await client.post(new.url)  # the pool looks over its idle connections when it keeps this one
            await old.wait_closed(set(old.ports))
            assert (pool.connections, pool.idle_connections) == (1, 1)

    asyncio.run(scenario())


def test_an_idle_connection_the_server_closed_is_not_used_again() -> None:
    """The server closes a connection after a complete answer (its keep-alive timeout): the next request must
    not be sent on it (that could fail after sending, and a POST would then not be retried) but on a new one."""

    async def scenario() -> None:
        async with Origin(answer_then_close) as origin, pooled() as (client, pool):
            await client.post(origin.url)
            await origin.wait_closed(set(origin.ports))
            await asyncio.sleep(0.02)  # the FIN reaches the client
            response = await client.post(origin.url)
            assert response.status_code == 200
            assert len(set(origin.ports)) == 2

    asyncio.run(scenario())


# -- every end gives the connection back ----------------------------------------------------------------------------


def test_error_statuses_keep_their_connections_for_the_next_requests() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once(503)) as origin, pooled() as (client, pool):
            responses = await asyncio.gather(*(client.post(origin.url) for _ in range(6)))
            assert {response.status_code for response in responses} == {503}
            assert busy(pool) == 0
            assert pool.idle_connections == 6

    asyncio.run(scenario())


def test_an_answer_whose_body_is_never_read_holds_its_connection_until_closed_once() -> None:
    async def scenario() -> None:
        async with Origin(answer_at_once()) as origin, pooled() as (client, pool):
            response = await client.send(client.build_request("POST", origin.url), stream=True)
            assert busy(pool) == 1
            await response.aclose()
            await response.aclose()
            await response.stream.aclose()  # a second close of the stream itself releases nothing more
            assert (pool.connections, pool.idle_connections) == (0, 0)  # unread: it cannot carry another request
            await origin.wait_closed(set(origin.ports))

    asyncio.run(scenario())


def test_a_dropped_connection_is_let_go() -> None:
    async def scenario() -> None:
        async with Origin(hang_up) as origin, pooled() as (client, pool):
            results = await asyncio.gather(*(client.post(origin.url) for _ in range(5)), return_exceptions=True)
            assert all(isinstance(result, httpx2.RemoteProtocolError) for result in results), results
            assert not any(certainly_not_sent(result) for result in results)  # type: ignore[arg-type]
            assert pool.connections == 0

    asyncio.run(scenario())


def test_a_refused_connection_takes_no_place_and_is_known_as_not_sent() -> None:
    async def scenario() -> None:
        async with pooled(max_connections=1) as (client, pool):
            for _ in range(3):  # a place leaked on the first would make the next ones wait (pool timeout)
                with pytest.raises(httpx2.ConnectError) as caught:
                    await client.post(f"http://127.0.0.1:{refused_port()}/", timeout=httpx2.Timeout(5, pool=0.5))
                assert certainly_not_sent(caught.value)
            assert pool.connections == 0

    asyncio.run(scenario())


def test_a_read_timeout_lets_its_connection_go() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as origin, pooled() as (client, pool):
            results = await asyncio.gather(
                *(client.post(origin.url, timeout=httpx2.Timeout(5, read=0.05)) for _ in range(3)),
                return_exceptions=True,
            )
            assert all(isinstance(result, httpx2.ReadTimeout) for result in results), results
            assert pool.connections == 0

    asyncio.run(scenario())


def test_cancelling_calls_while_they_wait_for_their_answers_lets_their_connections_go() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as origin, pooled() as (client, pool):
            calls = [asyncio.create_task(client.post(origin.url, content=b"x")) for _ in range(6)]
            await origin.wait_for_requests(6)
            assert busy(pool) == 6
            for call in calls:
                call.cancel()
            results = await asyncio.gather(*calls, return_exceptions=True)
            assert all(isinstance(result, asyncio.CancelledError) for result in results)
            assert pool.connections == 0

    asyncio.run(scenario())


def test_cancelling_a_call_while_its_body_arrives_lets_its_connection_go_and_chunks_arrive_as_sent() -> None:
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

        async with Origin(two_chunks_then_silence) as origin, pooled() as (client, pool):
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
            assert busy(pool) == 1
            reading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await reading
            assert chunks == [b"a" * 10, b"b" * 10]
            assert pool.connections == 0

    asyncio.run(scenario())


# -- closing ---------------------------------------------------------------------------------------------------------


def test_aclose_closes_every_connection_busy_or_idle() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as slow, Origin(answer_at_once()) as quick:
            client = PooledAsyncClient(limits=httpx2.Limits(max_connections=3), timeout=5)
            pool = client._transport
            assert isinstance(pool, AsyncPool)
            await asyncio.gather(client.post(quick.url), client.post(quick.url))
            call = asyncio.create_task(client.post(slow.url))
            await slow.wait_for_requests(1)
            assert (pool.connections, pool.idle_connections) == (3, 2)
            await client.aclose()
            with pytest.raises(httpx2.TransportError):
                await call
            await quick.wait_closed(set(quick.ports))  # (the slow server is asleep: it would not notice)
            assert pool.connections == 0
            with pytest.raises(httpx2.ConnectError):  # as not sent
                await pool.handle_async_request(httpx2.Request("GET", quick.url))

    asyncio.run(scenario())


def test_aclose_fails_the_requests_waiting_for_a_place_as_not_sent() -> None:
    async def scenario() -> None:
        async with Origin(never_answer) as origin, pooled(max_connections=1) as (client, pool):
            first = asyncio.create_task(client.post(origin.url))
            await origin.wait_for_requests(1)
            waiting = asyncio.create_task(client.post(origin.url))
            await asyncio.sleep(0.05)
            assert len(pool._waiting) == 1
            await pool.aclose()
            with pytest.raises(httpx2.ConnectError) as caught:
                await waiting
            assert certainly_not_sent(caught.value)
            with pytest.raises(httpx2.TransportError):
                await first
            assert len(origin.ports) == 1

    asyncio.run(scenario())


def test_an_upload_cut_short_by_the_server_closes_its_source_at_once() -> None:
    """The server answers 413 and hangs up while the body is still being sent: the answer is returned, and the
    body's source (a file, for an upload) is closed before the call returns, not whenever it is collected."""

    class Source:
        def __init__(self) -> None:
            self.sent = 0
            self.closed = False

        def __aiter__(self) -> Source:
            return self

        async def __anext__(self) -> bytes:
            if self.sent >= 1000:
                raise StopAsyncIteration
            self.sent += 1
            await asyncio.sleep(0.001)
            return b"x" * 65536

        async def aclose(self) -> None:
            self.closed = True

    class Body(httpx2.AsyncByteStream):
        def __init__(self, source: Source) -> None:
            self.source = source

        def __aiter__(self) -> Source:
            return self.source

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.transport.abort()

    async def scenario() -> None:
        server = await asyncio.start_server(refuse, "127.0.0.1", 0)
        source = Source()
        async with server, pooled() as (client, pool):
            url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
            headers = {"Host": url[7:-1], "Transfer-Encoding": "chunked"}
            request = httpx2.Request("POST", url, headers=headers, stream=Body(source))
            response = await pool.handle_async_request(request)
            assert response.status_code == 413
            assert 0 < source.sent < 1000
            assert source.closed
            await response.aclose()
            assert pool.connections == 0

    asyncio.run(scenario())
