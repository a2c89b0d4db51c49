"""`aiohttp_client()` (the aiohttp extra): the same errors as httpx2's own transport, telling a failure to connect
(nothing was sent) from a failure after the request went out; timeouts honoured; encoded answers decoded once;
owned by the `Orq` it is given to.

Faults come from a byte-level asyncio server on 127.0.0.1 that counts the POST requests it received in full.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import json
import pickle
import random
import time
from collections.abc import Awaitable, Callable
from typing import Literal

import httpx2
import pytest
from orq_images import APIConnectionError, APITimeoutError, Orq, RequestValidationError, aiohttp_client
from orq_images._runtime.aiohttp_transport import OrqAiohttpTransport
from orq_images._runtime.bodies import STREAM_FROM

from tests.support.server import refused_port

Transport = Literal["httpx2", "aiohttp"]
TRANSPORTS = pytest.mark.parametrize("transport", ["httpx2", "aiohttp"])
API_KEY = "sk-aiohttp-test-KEY-5be81c07aa"
PATH = "/v2/router/images/generations"
ANSWER = {"created": 1700000000, "data": [{"url": "https://example.com/a.png"}]}
Behaviour = Literal["answer", "drop", "partial", "truncate", "garbage", "slow"]


def answer_bytes(body: bytes, headers: str = "content-type: application/json\r\n") -> bytes:
    return f"HTTP/1.1 200 OK\r\n{headers}content-length: {len(body)}\r\n\r\n".encode() + body


class FaultServer:
    """Reads each request in full (counting the POSTs), then behaves as told: answers, closes the connection
    (``drop``), closes it in the middle of the headers (``partial``) or of the body (``truncate``), answers
    something that is not HTTP (``garbage``), or waits ``delay`` seconds before answering (``slow``)."""

    def __init__(self, behaviour: Behaviour, *, body: bytes | None = None, delay: float = 0.0) -> None:
        self.behaviour = behaviour
        self.answer = answer_bytes(json.dumps(ANSWER).encode()) if body is None else body
        self.delay = delay
        self.posts = 0
        self.url = ""
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> FaultServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                if head.startswith(b"POST "):
                    self.posts += 1
                if self.behaviour == "drop":
                    return
                if self.behaviour == "partial":
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: applica")
                    return
                if self.behaviour == "truncate":
                    writer.write(self.answer[: len(self.answer) - 10])
                    return
                if self.behaviour == "garbage":
                    writer.write(b"NOT HTTP AT ALL\r\n\r\n")
                    return
                if self.behaviour == "slow":
                    await asyncio.sleep(self.delay)
                writer.write(self.answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            with contextlib.suppress(Exception):
                await writer.drain()
            writer.close()


def client_for(transport: Transport, **options: object) -> httpx2.AsyncClient:
    if transport == "aiohttp":
        return aiohttp_client(**options)
    return httpx2.AsyncClient(**options)  # type: ignore[arg-type]


async def post(client: httpx2.AsyncClient, url: str, timeout: float = 5.0) -> bytes:
    response = await client.post(url + PATH, content=b'{"prompt":"p"}', timeout=timeout)
    return await response.aread()


def run(main: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(main())  # type: ignore[arg-type]


# -- errors: the same class as httpx2's own transport ---------------------------------------------------------------


@TRANSPORTS
@pytest.mark.parametrize(
    ("behaviour", "error_class"),
    [
        ("drop", httpx2.RemoteProtocolError),  # the server had the whole request: it may have acted on it
        ("partial", httpx2.RemoteProtocolError),
        ("truncate", httpx2.RemoteProtocolError),
        ("garbage", httpx2.RemoteProtocolError),
    ],
)
def test_a_failure_after_the_request_arrived_is_never_a_connect_error(
    transport: Transport, behaviour: Behaviour, error_class: type[httpx2.TransportError]
) -> None:
    async def main() -> None:
        async with FaultServer(behaviour) as server, client_for(transport) as client:
            with pytest.raises(httpx2.TransportError) as caught:
                await post(client, server.url)
        assert type(caught.value) is error_class
        assert not isinstance(caught.value, (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout))
        assert server.posts == 1

    run(main)


@TRANSPORTS
def test_a_refused_connection_is_a_connect_error(transport: Transport) -> None:
    async def main() -> None:
        async with client_for(transport) as client:
            with pytest.raises(httpx2.ConnectError):
                await post(client, f"http://127.0.0.1:{refused_port()}")

    run(main)


@TRANSPORTS
def test_a_drop_after_the_request_arrived_through_orq(transport: Transport) -> None:
    """What the retry policy sees: the cause of the `APIConnectionError` says the request went out."""

    async def main() -> None:
        async with FaultServer("drop") as server:
            async with Orq(API_KEY, server_url=server.url, async_client=client_for(transport)) as orq:
                with pytest.raises(APIConnectionError) as caught:
                    await orq.router.images.generations.create_async(prompt="p", model="m", retries=None)
            assert server.posts == 1
            assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)

    run(main)


def test_an_error_chain_never_holds_the_api_key() -> None:
    """aiohttp's errors about a malformed answer carry the request's headers: they are left out of the chain."""

    async def main() -> list[BaseException]:
        async with (
            FaultServer("garbage") as server,
            Orq(API_KEY, server_url=server.url, async_client=aiohttp_client()) as orq,
        ):
            with pytest.raises(APIConnectionError) as caught:
                await orq.router.images.generations.create_async(prompt="p", model="m", retries=None)
        chain: list[BaseException] = []
        error: BaseException | None = caught.value
        while error is not None:
            chain.append(error)
            error = error.__cause__ or error.__context__
        return chain

    chain = asyncio.run(main())
    assert [type(error).__name__ for error in chain] == ["APIConnectionError", "RemoteProtocolError"]
    for error in chain:
        assert API_KEY not in repr(error)
        assert API_KEY not in repr(vars(error))
        assert API_KEY.encode() not in pickle.dumps(error)


# -- timeouts ----------------------------------------------------------------------------------------------------------


@TRANSPORTS
def test_the_read_timeout_of_the_request_is_honoured(transport: Transport) -> None:
    async def main() -> None:
        async with FaultServer("slow", delay=3) as server, client_for(transport) as client:
            started = time.monotonic()
            with pytest.raises(httpx2.ReadTimeout):
                await post(client, server.url, timeout=0.3)
            elapsed = time.monotonic() - started
        assert 0.25 <= elapsed < 1.5
        assert server.posts == 1

    run(main)


@TRANSPORTS
def test_waiting_for_a_pool_slot_times_out_before_sending(transport: Transport) -> None:
    async def main() -> None:
        limits = httpx2.Limits(max_connections=1, max_keepalive_connections=1)
        async with FaultServer("slow", delay=1) as server, client_for(transport, limits=limits) as client:
            first = asyncio.create_task(post(client, server.url))
            await asyncio.sleep(0.2)  # the only connection is busy
            started = time.monotonic()
            with pytest.raises((httpx2.PoolTimeout, httpx2.ConnectTimeout)):
                await post(client, server.url, timeout=0.3)
            assert time.monotonic() - started < 0.9
            assert server.posts == 1  # the second request was not sent
            assert json.loads(await first) == ANSWER

    run(main)


def test_the_timeout_of_an_orq_call_is_honoured_on_aiohttp() -> None:
    async def main() -> None:
        async with (
            FaultServer("slow", delay=3) as server,
            Orq(API_KEY, server_url=server.url, timeout_ms=300, async_client=aiohttp_client()) as orq,
        ):
            started = time.monotonic()
            with pytest.raises(APITimeoutError) as caught:
                await orq.router.images.generations.create_async(prompt="p", model="m", retries=None)
            assert time.monotonic() - started < 1.5
        assert str(caught.value).startswith("The call's time limit (timeout_ms=300 ms, for the whole call")

    run(main)


# -- encoded and large answers -----------------------------------------------------------------------------------------


@TRANSPORTS
@pytest.mark.parametrize("size", [100, STREAM_FROM * 2], ids=["small", "streamed"])
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_answers_are_decoded_once_whatever_their_size(transport: Transport, size: int, encoding: str) -> None:
    """aiohttp does not decompress (httpx2 does, from the headers): the headers describe the bytes received."""
    image = base64.b64encode(random.Random(size).randbytes(size * 3 // 4)).decode()  # gzip leaves it large
    document = {"created": 1, "data": [{"b64_json": image, "revised_prompt": "é"}]}
    body = json.dumps(document, ensure_ascii=False).encode()
    if encoding == "gzip":
        body = gzip.compress(body, compresslevel=1)
    raw = answer_bytes(body, f"content-type: application/json\r\ncontent-encoding: {encoding}\r\n")

    async def main() -> None:
        async with (
            FaultServer("answer", body=raw) as server,
            Orq(API_KEY, server_url=server.url, async_client=client_for(transport)) as orq,
        ):
            result = await orq.router.images.generations.create_async(prompt="p", model="m")
        assert result.to_dict() == document

    run(main)


# -- ownership, event loops, the missing extra ------------------------------------------------------------------------


def test_the_orq_it_is_given_to_closes_it() -> None:
    client = aiohttp_client()

    async def main() -> None:
        async with FaultServer("answer") as server, Orq(API_KEY, server_url=server.url, async_client=client) as orq:
            await orq.router.images.generations.create_async(prompt="p", model="m")
            assert not client.is_closed

    asyncio.run(main())
    assert client.is_closed


def test_it_belongs_to_one_orq() -> None:
    client = aiohttp_client()
    Orq(API_KEY, async_client=client)
    with pytest.raises(RequestValidationError, match="async_client: expected an aiohttp_client"):
        Orq(API_KEY, async_client=client)


def test_your_own_client_on_the_aiohttp_transport_is_left_open() -> None:
    async def main() -> None:
        async with FaultServer("answer") as server, httpx2.AsyncClient(transport=OrqAiohttpTransport()) as client:
            async with Orq(API_KEY, server_url=server.url, async_client=client) as orq:
                await orq.router.images.generations.create_async(prompt="p", model="m")
            assert not client.is_closed
            assert json.loads(await post(client, server.url)) == ANSWER

    asyncio.run(main())


def test_one_aiohttp_client_serves_several_event_loops() -> None:
    """aiohttp's session belongs to a loop: a call from a new loop gets a new session (no 'Event loop is closed')."""
    client = aiohttp_client()

    async def main() -> bytes:
        async with FaultServer("answer") as server:
            return await post(client, server.url)

    answers = [asyncio.run(main()) for _ in range(3)]
    assert [json.loads(answer) for answer in answers] == [ANSWER] * 3
    asyncio.run(client.aclose())
    assert client.is_closed
