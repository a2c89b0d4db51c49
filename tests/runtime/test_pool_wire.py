"""pool: the SDK's own HTTP/1.1 pool on the wire, against byte-level servers on 127.0.0.1.

``AsyncPool`` replaced httpcore2's pools for speed; it must behave on the wire as httpx2's own
``AsyncHTTPTransport`` does. The differential tests send the same request through both, to a server that writes
exact bytes, and compare everything the caller can see. They differ only where httpcore2 is wrong for the SDK, each
said where it is tested: bytes after an answer (not reused here), an answer followed by a reset (returned here), a
body shorter than its length (h11's exception let out there), a host name the resolver cannot encode. The
bookkeeping of the pool (limits, waiting, expiry, aclose) is tested in ``test_pool.py``.

Each test runs one event loop with the server in it (``asyncio.start_server``), so the test controls exactly which
bytes the server writes and when, and sees on which connection (client port) each request came.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import h11
import httpx2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images._runtime.pool import AsyncPool
from orq_images._runtime.retries import certainly_not_sent

from tests.support.server import refused_port

LIMITS = httpx2.Limits(max_connections=3, max_keepalive_connections=2)
PLAIN = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nplain"
"""The answer to every request after the scripted one."""


# -- the server ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: list[tuple[str, str]]  # as sent: names with their casing, in order
    body: bytes
    port: int  # the client's port: which connection it came on


@dataclass
class Seen:
    """What the server saw."""

    requests: list[Received] = field(default_factory=list)
    open_now: set[int] = field(default_factory=set)  # client ports of the connections open now
    most_open: int = 0

    @property
    def ports(self) -> list[int]:
        return [request.port for request in self.requests]


Answer = Callable[[Received, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[bool]]
"""Answers one request (its head read, its body read unless the server was told not to); returns whether the
connection stays open for the next request."""


async def read_head(reader: asyncio.StreamReader) -> tuple[str, str, list[tuple[str, str]]] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")[:-2]
    method, path, _ = lines[0].split(" ", 2)
    headers = [(name, value.strip()) for name, _, value in (line.partition(":") for line in lines[1:])]
    return method, path, headers


async def read_body(reader: asyncio.StreamReader, headers: list[tuple[str, str]]) -> bytes:
    fields = {name.lower(): value for name, value in headers}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                return body
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    return await reader.readexactly(int(fields.get("content-length", "0")))


@contextlib.asynccontextmanager
async def raw_server(answer: Answer, *, read_bodies: bool = True) -> AsyncIterator[tuple[str, Seen]]:
    """Serve on 127.0.0.1 for the block: each request is recorded, then ``answer`` writes what it likes. Yields the
    base URL and what the server saw."""
    seen = Seen()
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        port = writer.get_extra_info("peername")[1]
        seen.open_now.add(port)
        try:
            while True:
                head = await read_head(reader)
                if head is None:
                    break
                method, path, headers = head
                body = await read_body(reader, headers) if read_bodies else b""
                request = Received(method, path, headers, body, port)
                seen.requests.append(request)
                # a connection the client closed just before opening this one: let its end reach the server first
                for _ in range(3):
                    await asyncio.sleep(0)
                seen.most_open = max(seen.most_open, len(seen.open_now))
                if not await answer(request, reader, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client hung up, or the block ended
        finally:
            seen.open_now.discard(port)
            writer.close()

    listening = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}", seen
    finally:
        listening.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@dataclass(frozen=True)
class Script:
    """The bytes the server writes for the first request, in pieces with a pause between; then it closes the
    connection, or keeps it for more requests (answered ``PLAIN``)."""

    pieces: tuple[bytes, ...]
    close: bool = False
    pause: float = 0.005


def scripted(script: Script) -> Answer:
    answered = 0

    async def answer(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        nonlocal answered
        answered += 1
        if answered > 1:
            writer.write(PLAIN)
            await writer.drain()
            return True
        for index, piece in enumerate(script.pieces):
            if index:
                await asyncio.sleep(script.pause)
            writer.write(piece)
            await writer.drain()
        return not script.close

    return answer


async def silence_until_hang_up(reader: asyncio.StreamReader) -> None:
    while await reader.read(65536):
        pass


# -- the outcome a caller sees ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    status: int
    reason_phrase: str
    http_version: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass(frozen=True)
class Failed:
    error: type[Exception]
    message: str


Outcome = Answered | Failed


def own_pool(limits: httpx2.Limits = LIMITS) -> AsyncPool:
    return AsyncPool(limits=limits, ssl_context=httpx2.create_ssl_context())


def httpcore2_pool(limits: httpx2.Limits = LIMITS) -> httpx2.AsyncHTTPTransport:
    return httpx2.AsyncHTTPTransport(limits=limits)


def client_on(transport: httpx2.AsyncBaseTransport, read: float = 2.0) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=transport, timeout=httpx2.Timeout(2.0, read=read))


async def call_with(
    client: httpx2.AsyncClient, method: str, url: str, **options: Any
) -> tuple[Outcome, httpx2.HTTPError | None]:
    """What the caller sees of one request, read whole (and the exception, when it failed)."""
    try:
        response = await client.request(method, url, **options)
    except httpx2.HTTPError as exc:
        return Failed(type(exc), str(exc)), exc
    return (
        Answered(
            response.status_code, response.reason_phrase, response.http_version, response.headers.raw, response.content
        ),
        None,
    )


async def failure(client: httpx2.AsyncClient, method: str, url: str, **options: Any) -> httpx2.HTTPError:
    """The exception one request raises (the test fails when it is answered)."""
    outcome, error = await call_with(client, method, url, **options)
    assert error is not None, outcome
    return error


def assert_chained(exc: Exception, request_url: str) -> None:
    """As httpx2's own transport raises them: the cause is the library's own exception (httpcore2's, or the ``h11``
    one httpcore2 would have wrapped), and the request is attached."""
    assert isinstance(exc, httpx2.TransportError), repr(exc)
    cause = exc.__cause__
    assert cause is not None, f"{exc!r} has no cause"
    assert type(cause).__module__.split(".")[0] in ("httpcore2", "h11"), repr(cause)
    assert str(exc.request.url).startswith(request_url)


# -- 1. the same answer as httpx2's own transport --------------------------------------------------------------------

CASES: dict[str, tuple[str, Script]] = {
    "content-length": (
        "GET",
        Script((b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}',)),
    ),
    "content-length, head and body apart": (
        "GET",
        Script((b"HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\n", b"01234", b"56789")),
    ),
    "a body larger than one read": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n" + b"x" * 200_000,)),
    ),
    "chunked, with extensions and trailers": (
        "GET",
        Script(
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                b"5;name=value\r\nhello\r\n",
                b"6;flag\r\n world\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
            )
        ),
    ),
    "close-delimited": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the ", b"end"), close=True),
    ),
    "HTTP/1.0 with a length": ("GET", Script((b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",))),
    "HTTP/1.0 close-delimited": ("GET", Script((b"HTTP/1.0 200 OK\r\n\r\nold",), close=True)),
    "HTTP/1.0 keep-alive": (
        "GET",
        Script((b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",)),
    ),
    "Connection: close": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",), close=True),
    ),
    "100 Continue first": (
        "GET",
        Script((b"HTTP/1.1 100 Continue\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")),
    ),
    "103 Early Hints first": (
        "GET",
        Script(
            (
                b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n",
                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            )
        ),
    ),
    "204": ("GET", Script((b"HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n",))),
    "304 with a length": ("GET", Script((b"HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n",))),
    "HEAD": ("HEAD", Script((b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: image/png\r\n\r\n",))),
    "odd casing, repeated names": (
        "GET",
        Script(
            (
                b"HTTP/1.1 200 Fine Thanks\r\ncOnTeNt-TyPe: text/plain\r\nSet-Cookie: a=1\r\nX-Dup: one\r\n"
                b"set-cookie: b=2\r\nX-DUP:   two  \r\ncontent-LENGTH: 3\r\n\r\nabc",
            )
        ),
    ),
    "obsolete line folding": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nX-Long: one\r\n two\r\nContent-Length: 0\r\n\r\n",)),
    ),
    "no reason phrase": ("GET", Script((b"HTTP/1.1 418 \r\nContent-Length: 0\r\n\r\n",))),
    "no reason phrase nor space": ("GET", Script((b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",))),
    "LF line ends": ("GET", Script((b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",))),
    "truncated body": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..",), close=True),
    ),
    "truncated chunked body": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",), close=True),
    ),
    "bad chunk size": ("GET", Script((b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n",))),
    "two different lengths": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",)),
    ),
    "length and chunked": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",)),
    ),
    "malformed status line": ("GET", Script((b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",))),
    "not HTTP at all": ("GET", Script((b"SSH-2.0-OpenSSH_9.6\r\n\r\n",))),
    # h11 measures a head it has not seen the end of, and the network hands it 64 KiB at a time (as httpcore2)
    "head over 100 KiB": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (200 * 1024) + b"\r\nContent-Length: 0\r\n\r\n",)),
    ),
    "head over 100 KiB, in many headers": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\n" + b"X-Many: abcdefgh\r\n" * 12000 + b"Content-Length: 0\r\n\r\n",)),
    ),
    "head just under 100 KiB": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (99 * 1024) + b"\r\nContent-Length: 0\r\n\r\n",)),
    ),
    "closes before answering": ("GET", Script((), close=True)),
    "closes mid-status-line": ("GET", Script((b"HTTP/1.1 20",), close=True)),
    "closes mid-headers": ("GET", Script((b"HTTP/1.1 200 OK\r\nContent-Le",), close=True)),
    "closes after 100 Continue": ("GET", Script((b"HTTP/1.1 100 Continue\r\n\r\n",), close=True)),
    "extra bytes after the answer": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL",)),
    ),
    "bytes over 0x7f in the reason and a value": (
        "GET",
        Script((b"HTTP/1.1 200 \xc7a va\r\nX-Name: caf\xe9\r\nContent-Length: 0\r\n\r\n",)),
    ),
    "a space before the colon": ("GET", Script((b"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",))),
    "a header line without a colon": ("GET", Script((b"HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 0\r\n\r\n",))),
    "gzip, chunked transfer coding": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",)),
    ),
    "a chunk size past the end": (
        "GET",
        Script((b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\nab",), close=True),
    ),
    "101 nobody asked for": ("GET", Script((b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",))),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_pool_answers_as_httpx2s_own_transport(case: str) -> None:
    method, script = CASES[case]

    async def main() -> tuple[tuple[Outcome, Exception | None], tuple[Outcome, Exception | None]]:
        results = []
        for transport in (own_pool(), httpcore2_pool()):
            async with raw_server(scripted(script)) as (url, _), client_on(transport) as client:
                results.append(await call_with(client, method, f"{url}/case"))
        return results[0], results[1]

    (ours, error), (theirs, _) = asyncio.run(main())
    # The one difference: the cause of an error raised by h11 is h11's exception, where httpcore2 wraps it in its
    # own first (same class name, same text); nothing the SDK looks at (retries judge RemoteProtocolError by its
    # class: never "certainly not sent").
    assert ours == theirs
    if error is not None:
        assert_chained(error, "http://127.0.0.1:")


@st.composite
def answers(draw: st.DrawFn) -> tuple[str, Script]:
    """A method and a well-formed answer to it: any status, reason, headers (any casing, names repeated), framing."""
    version = draw(st.sampled_from([b"1.1", b"1.1", b"1.0"]))
    status = draw(st.sampled_from([200, 201, 202, 204, 304, 400, 404, 418, 429, 500, 503]))
    reason = draw(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20)).strip()
    names = st.sampled_from(["x-request-id", "content-type", "set-cookie", "retry-after", "x-a"])
    cased = names.flatmap(lambda name: st.sampled_from([name, name.upper(), name.title(), name.swapcase()]))
    values = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12)
    headers = draw(st.lists(st.tuples(cased, values), max_size=6))
    body = draw(st.binary(max_size=3000))
    framing = draw(st.sampled_from(["length", "chunked", "close"]))
    method = draw(st.sampled_from(["GET", "GET", "HEAD"]))
    head = b"HTTP/%s %d %s\r\n" % (version, status, reason.encode())
    head += b"".join(b"%s: %s\r\n" % (name.encode(), value.encode()) for name, value in headers)
    no_body = method == "HEAD" or status in (204, 304)
    if framing == "length":
        head += b"Content-Length: %d\r\n" % len(body)
    elif framing == "chunked" and version == b"1.1":
        head += b"Transfer-Encoding: chunked\r\n"
        cuts = draw(st.sets(st.integers(1, len(body) - 1), max_size=4)) if len(body) > 1 else set()
        bounds = sorted(cuts | {0, len(body)})
        body = b"".join(b"%x\r\n%s\r\n" % (end - start, body[start:end]) for start, end in pairwise(bounds))
        body += b"0\r\n\r\n"
    close = framing == "close" or framing == "chunked" and version == b"1.0"
    return method, Script((head + b"\r\n" + (b"" if no_body else body),), close=close)


@settings(max_examples=30, deadline=None)
@given(case=answers())
def test_any_well_formed_answer_reads_as_with_httpx2s_own_transport(case: tuple[str, Script]) -> None:
    """And the next request goes on the same connection with both, or on a new one with both."""
    method, script = case

    async def main() -> list[tuple[Outcome, bool]]:
        results = []
        for transport in (own_pool(), httpcore2_pool()):
            async with raw_server(scripted(script)) as (url, seen), client_on(transport) as client:
                outcome, _ = await call_with(client, method, f"{url}/case")
                await asyncio.sleep(0.01)
                assert (await client.get(f"{url}/next")).content == b"plain"
                results.append((outcome, seen.ports[0] == seen.ports[1]))
        return results

    ours, theirs = asyncio.run(main())
    assert ours == theirs


# -- 2. which connections carry another request ----------------------------------------------------------------------

EXTRA_LATER = Script((b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", b"HTTP/1.1 200 OK\r\n"), pause=0.01)
"""An answer, then (10 ms later, while the connection is idle in the pool) bytes nobody asked for."""

REUSE: dict[str, bool] = {
    "content-length": True,
    "content-length, head and body apart": True,
    "a body larger than one read": True,
    "chunked, with extensions and trailers": True,
    "length and chunked": True,  # framed by its chunks (RFC 9112 6.3), so its end is known
    "100 Continue first": True,
    "103 Early Hints first": True,
    "204": True,
    "304 with a length": True,
    "HEAD": True,
    "odd casing, repeated names": True,
    "close-delimited": False,
    "Connection: close": False,
    "HTTP/1.0 with a length": False,  # h11 keeps no HTTP/1.0 connection alive, keep-alive or not (as httpcore2)
    "HTTP/1.0 keep-alive": False,
    "HTTP/1.0 close-delimited": False,
    # httpx2's own transport (httpcore2 2.16) reuses this one: the next request gets "EVIL" as its answer
    "extra bytes after the answer": False,
    "extra bytes after the answer, a moment later": False,
    "truncated body": False,
    "closes before answering": False,
}


@pytest.mark.parametrize("case", list(REUSE))
def test_the_next_request_reuses_the_connection_only_when_it_can_carry_one(case: str) -> None:
    method, script = ("GET", EXTRA_LATER) if case.endswith("a moment later") else CASES[case]

    async def main() -> list[int]:
        async with raw_server(scripted(script)) as (url, seen), client_on(own_pool()) as client:
            await call_with(client, method, f"{url}/first")
            await asyncio.sleep(0.05)
            second = await client.get(f"{url}/second")
            assert (second.status_code, second.content) == (200, b"plain")
            return seen.ports

    first, second = asyncio.run(main())
    assert (first == second) is REUSE[case]


def test_a_body_not_read_to_its_end_leaves_its_connection_unused() -> None:
    body = b"x" * 1_000_000
    script = Script((b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body,))

    async def main() -> list[int]:
        async with raw_server(scripted(script)) as (url, seen), client_on(own_pool()) as client:
            async with client.stream("GET", f"{url}/first") as response:
                async for _ in response.aiter_raw():
                    break
            second = await client.get(f"{url}/second")
            assert (second.status_code, second.content) == (200, b"plain")
            return seen.ports

    first, second = asyncio.run(main())
    assert first != second


# -- 3. properties ---------------------------------------------------------------------------------------------------

SPLIT_ANSWERS = (
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-Trace: a b\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nX-Trace: a b\r\nContent-Length: 11\r\n\r\nhello world",
)


@settings(max_examples=40, deadline=None)
@given(
    answer=st.sampled_from(SPLIT_ANSWERS),
    cuts=st.sets(st.integers(min_value=1, max_value=len(SPLIT_ANSWERS[0]) - 1), max_size=12),
)
def test_an_answer_split_anywhere_reads_the_same(answer: bytes, cuts: set[int]) -> None:
    """Each piece is written after a pause, so h11 sees every split (in a head, a chunk size, a CRLF...)."""
    bounds = [0, *sorted(cut for cut in cuts if cut < len(answer)), len(answer)]
    script = Script(tuple(answer[start:end] for start, end in pairwise(bounds)), pause=0.001)

    async def main() -> tuple[httpx2.Response, list[int]]:
        async with raw_server(scripted(script)) as (url, seen), client_on(own_pool()) as client:
            response = await client.get(f"{url}/split")
            assert (await client.get(f"{url}/next")).content == b"plain"
            return response, seen.ports

    response, ports = asyncio.run(main())
    assert (response.status_code, response.content) == (200, b"hello world")
    assert response.headers.raw[0] == (b"X-Trace", b"a b")
    assert ports[0] == ports[1]  # its end found, whatever the splits: the connection carries the next request


BEHAVIOURS = ("answer", "close", "chunked", "hang up", "silent", "cancel")
EXPECTED: dict[str, object] = {
    "answer": (200, b"answer"),
    "close": (200, b"closing"),
    "chunked": (200, b"chunked"),
    "hang up": httpx2.RemoteProtocolError,
    "silent": httpx2.ReadTimeout,
    "cancel": TimeoutError,
}
SHORT = 0.03


async def by_path(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Behaves as the request's path says."""
    kind = request.path.strip("/").replace("%20", " ")
    if kind == "answer":
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nanswer")
    elif kind == "close":
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 7\r\n\r\nclosing")
    elif kind == "chunked":
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nchun\r\n3\r\nked\r\n0\r\n\r\n")
    elif kind in ("silent", "cancel"):
        await silence_until_hang_up(reader)
        return False
    else:  # hang up
        return False
    await writer.drain()
    return kind != "close"


async def behave(client: httpx2.AsyncClient, url: str, kind: str) -> object:
    try:
        if kind == "cancel":
            async with asyncio.timeout(SHORT):
                await client.get(f"{url}/cancel")
        # Only the silent server is meant to time out: the others get time to answer or hang up on a busy machine
        # (a hang-up arriving after 30 ms was once read as a timeout).
        read = SHORT if kind == "silent" else 5.0
        response = await client.get(f"{url}/{kind}", timeout=httpx2.Timeout(5.0, read=read))
    except TimeoutError:
        return TimeoutError
    except httpx2.HTTPError as exc:
        return type(exc)
    return response.status_code, response.content


@settings(max_examples=30, deadline=None)
@given(rounds=st.lists(st.lists(st.sampled_from(BEHAVIOURS), min_size=1, max_size=4), min_size=1, max_size=3))
def test_any_mix_of_answers_and_failures_leaves_the_pool_sound(rounds: list[list[str]]) -> None:
    """Rounds one after another, the calls of a round at once, on a pool of 3 connections (2 kept idle)."""

    async def main() -> None:
        pool = own_pool()
        async with raw_server(by_path) as (url, seen), client_on(pool) as client:
            for kinds in rounds:
                outcomes = await asyncio.gather(*(behave(client, url, kind) for kind in kinds))
                assert outcomes == [EXPECTED[kind] for kind in kinds]
            assert pool.connections - pool.idle_connections == 0  # nothing left busy
            assert pool.idle_connections <= 2  # LIMITS.max_keepalive_connections
            assert seen.most_open <= 3
            assert await behave(client, url, "answer") == EXPECTED["answer"]

    asyncio.run(main())


# -- 4. uploads ------------------------------------------------------------------------------------------------------


async def parts(count: int, size: int) -> AsyncIterator[bytes]:
    for index in range(count):
        if index == 1:
            yield b""  # nothing to send: not the chunk of size 0 that would end the body
        yield bytes([index % 256]) * (size + index)


async def echo_length(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    body = b"%d" % len(request.body)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    return True


def test_a_streamed_upload_arrives_chunked_and_intact() -> None:
    async def main() -> Received:
        async with raw_server(echo_length) as (url, seen), client_on(own_pool()) as client:
            response = await client.post(f"{url}/up", content=parts(40, 10_000))
            expected = b"".join([part async for part in parts(40, 10_000)])
            assert response.content == b"%d" % len(expected)
            assert seen.requests[0].body == expected
            return seen.requests[0]

    received = asyncio.run(main())
    assert ("Transfer-Encoding", "chunked") in received.headers


REQUESTS: dict[str, dict[str, Any]] = {
    "json": {"json": {"prompt": "a cat", "n": 1}, "headers": {"X-Odd-CASE": "v", "authorization": "Bearer k"}},
    # as the SDK sends an edit: multipart (a stream httpx2 knows the length of); a fixed boundary to compare bytes
    "multipart": {
        "data": {"prompt": "a cat"},
        "files": {"image": ("cat.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "image/png")},
        "headers": {"Content-Type": "multipart/form-data; boundary=b0undary"},
    },
    "empty": {"content": b""},
}


@pytest.mark.parametrize("kind", list(REQUESTS))
def test_the_server_receives_the_same_request_from_both_pools(kind: str) -> None:
    async def main() -> list[Received]:
        async with raw_server(echo_length) as (url, seen):
            for transport in (own_pool(), httpcore2_pool()):
                async with client_on(transport) as client:
                    await client.post(f"{url}/v2/router/images/generations?a=1&b=%20x", **REQUESTS[kind])
            return seen.requests

    ours, theirs = asyncio.run(main())
    assert replace(ours, port=0) == replace(theirs, port=0)  # the same bytes, on another connection
    assert ours.path == "/v2/router/images/generations?a=1&b=%20x"
    if kind == "multipart":
        assert bytes(range(256)) * 40 in ours.body


async def too_large(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Answers 413 on seeing the head, and closes without reading the body (the kernel then resets the connection:
    the body it holds was never read)."""
    writer.write(b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 8\r\n\r\ntoo big!")
    await writer.drain()
    return False


async def too_large_lingering(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Answers 413 on seeing the head, then reads and drops the body before it closes (as nginx's lingering close)."""
    writer.write(b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 8\r\n\r\ntoo big!")
    await writer.drain()
    await silence_until_hang_up(reader)
    return False


BIG = 16 * 1024 * 1024
"""More than the socket buffers take: the client is still sending when the server answers."""


def upload(streamed: bool) -> AsyncIterator[bytes] | bytes:
    return parts(BIG // 65536, 65536) if streamed else b"x" * BIG


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "in one piece"])
def test_an_answer_before_the_upload_is_sent_is_returned_not_a_write_error(streamed: bool) -> None:
    async def main() -> tuple[Outcome, Outcome]:
        outcomes = []
        for transport in (own_pool(), httpcore2_pool()):
            async with raw_server(too_large_lingering, read_bodies=False) as (url, _), client_on(transport) as client:
                outcomes.append((await call_with(client, "POST", f"{url}/up", content=upload(streamed)))[0])
        return outcomes[0], outcomes[1]

    ours, theirs = asyncio.run(main())
    assert ours == theirs
    assert isinstance(ours, Answered)
    assert (ours.status, ours.body) == (413, b"too big!")


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "in one piece"])
def test_an_answer_before_the_upload_is_sent_is_returned_even_when_the_server_resets(streamed: bool) -> None:
    """The one place the pool does better than httpx2's own transport: there (anyio) the reset that follows the
    answer is reported first and the answer is lost (``ReadError``); netio has read the answer already when the
    write fails, and the pool reads it from there. Not compared: httpcore2's outcome is the failure."""

    async def main() -> Outcome:
        async with raw_server(too_large, read_bodies=False) as (url, _), client_on(own_pool()) as client:
            return (await call_with(client, "POST", f"{url}/up", content=upload(streamed)))[0]

    outcome = asyncio.run(main())
    assert isinstance(outcome, Answered)
    assert (outcome.status, outcome.body) == (413, b"too big!")


# -- 5. exceptions ---------------------------------------------------------------------------------------------------


async def reset(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    """Resets the connection once the request is in (SO_LINGER 0: an RST, not a FIN)."""
    writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
    return False


async def never_read(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    await asyncio.sleep(5)
    return False


async def hang_up(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    return False


async def half_a_body_then_silence(
    request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> bool:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf.")
    await writer.drain()
    await asyncio.sleep(5)
    return False


async def half_a_body_then_reset(request: Received, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf.")
    await writer.drain()
    await asyncio.sleep(0.02)
    return await reset(request, reader, writer)


async def short_stream() -> AsyncIterator[bytes]:
    yield b"12345"


FAULTS: dict[str, tuple[Answer, dict[str, Any], type[httpx2.TransportError], bool]] = {
    # name: (server, request options, the error, whether the request was certainly not sent)
    "refused": (hang_up, {"port": "refused"}, httpx2.ConnectError, True),
    "hang up after the request": (hang_up, {}, httpx2.RemoteProtocolError, False),
    "reset after the request": (reset, {}, httpx2.ReadError, False),
    "reset during the upload": (reset, {"content": b"x" * BIG}, httpx2.ReadError, False),
    "no answer in time": (never_read, {"timeout": httpx2.Timeout(2.0, read=0.05)}, httpx2.ReadTimeout, False),
    "the body stalls": (
        half_a_body_then_silence,
        {"timeout": httpx2.Timeout(2.0, read=0.05)},
        httpx2.ReadTimeout,
        False,
    ),
    "a reset mid-body": (half_a_body_then_reset, {}, httpx2.ReadError, False),
    "upload not taken in time": (
        never_read,
        {"content": b"x" * BIG, "timeout": httpx2.Timeout(2.0, write=0.05)},
        httpx2.WriteTimeout,
        False,
    ),
    "body shorter than its length": (
        never_read,
        {"content": short_stream(), "headers": {"Content-Length": "10"}},
        httpx2.LocalProtocolError,
        False,
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_failure_is_httpx2s_exception_chained_with_its_request(fault: str) -> None:
    serve, options, expected, not_sent = FAULTS[fault]

    async def main() -> list[Exception]:
        errors = []
        for transport in (own_pool(), httpcore2_pool()):
            async with raw_server(serve, read_bodies=False) as (url, _), client_on(transport) as client:
                target = f"http://127.0.0.1:{refused_port()}/x" if options.get("port") == "refused" else f"{url}/x"
                request_options = {key: value for key, value in options.items() if key != "port"}
                if "content" in request_options and not isinstance(request_options["content"], bytes):
                    request_options["content"] = short_stream()  # an async iterator is good for one request
                try:
                    await client.post(target, **request_options)
                except Exception as exc:  # noqa: BLE001 - httpx2's own transport lets one h11 error out as it is
                    errors.append(exc)
        return errors

    ours, theirs = asyncio.run(main())
    assert type(ours) is expected
    assert isinstance(ours, httpx2.TransportError)
    assert_chained(ours, "http://127.0.0.1:")
    assert certainly_not_sent(ours) is not_sent
    if fault == "body shorter than its length":
        # httpx2's own transport: h11's exception escapes unmapped (httpcore2 maps h11's LocalProtocolError only
        # while it builds the head). The SDK can meet it (a file that shrinks while a multipart upload reads it);
        # the pool's httpx2.LocalProtocolError is what the SDK turns into its own error.
        assert type(theirs) is h11.LocalProtocolError
    else:
        assert type(theirs) is expected
        assert isinstance(theirs, httpx2.TransportError)
        assert certainly_not_sent(theirs) is not_sent


@pytest.mark.parametrize("host", ["api..orq.invalid", "a" * 64 + ".invalid"], ids=["empty label", "64-char label"])
def test_a_host_name_the_resolver_cannot_encode_is_a_connect_error(host: str) -> None:
    """asyncio's resolver raises ``UnicodeError`` (not an ``OSError``) for such a name, before any lookup; it was
    let out as it is (the SDK then raised a bare UnicodeError for a mistyped ``server_url``), with itself as its
    cause. httpx2's own transport (anyio) says ``ConnectError`` after a lookup (not made here: no DNS in tests)."""

    async def main() -> httpx2.HTTPError:
        async with client_on(own_pool()) as client:
            return await failure(client, "GET", f"http://{host}/x")

    error = asyncio.run(main())
    assert type(error) is httpx2.ConnectError
    assert_chained(error, f"http://{host}/")
    assert error.__cause__ is not error
    assert certainly_not_sent(error)


@contextlib.contextmanager
def full_backlog() -> Iterator[int]:
    """A port whose listener never accepts and whose queue is full: the kernel drops new SYNs, a connect hangs."""
    with socket.create_server(("127.0.0.1", 0), backlog=0) as listener:
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
            yield port
        finally:
            for filler in fillers:
                filler.close()


def test_a_connect_that_times_out_is_certainly_not_sent() -> None:
    async def main() -> list[httpx2.HTTPError]:
        errors = []
        with full_backlog() as port:
            for transport in (own_pool(), httpcore2_pool()):
                async with httpx2.AsyncClient(transport=transport, timeout=httpx2.Timeout(2.0, connect=0.1)) as client:
                    errors.append(await failure(client, "POST", f"http://127.0.0.1:{port}/x", content=b"{}"))
        return errors

    ours, theirs = asyncio.run(main())
    assert type(ours) is type(theirs) is httpx2.ConnectTimeout
    assert_chained(ours, "http://127.0.0.1:")
    assert certainly_not_sent(ours) and certainly_not_sent(theirs)


def test_a_pool_timeout_is_certainly_not_sent() -> None:
    """Nothing below the pool failed, so there is nothing to chain: no cause, which ``certainly_not_sent`` reads as
    not sent (httpx2's own chains httpcore2's ``PoolTimeout``; the verdict is the same)."""
    one = httpx2.Limits(max_connections=1, max_keepalive_connections=1)

    async def main() -> list[httpx2.HTTPError]:
        errors = []
        async with raw_server(by_path) as (url, _):
            for transport in (own_pool(one), httpcore2_pool(one)):
                async with httpx2.AsyncClient(transport=transport, timeout=httpx2.Timeout(2.0, pool=0.05)) as client:
                    busy = asyncio.create_task(client.get(f"{url}/silent"))
                    await asyncio.sleep(0.02)
                    errors.append(await failure(client, "POST", f"{url}/answer", content=b"{}"))
                    busy.cancel()
                    await asyncio.gather(busy, return_exceptions=True)
        return errors

    ours, theirs = asyncio.run(main())
    assert type(ours) is type(theirs) is httpx2.PoolTimeout
    assert ours.request.url.path == "/answer"
    assert certainly_not_sent(ours) and certainly_not_sent(theirs)
