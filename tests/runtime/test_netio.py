"""netio: the asyncio network backend of the SDK's own async pools, against real servers on 127.0.0.1.

Each test runs one event loop with the server in it (asyncio streams, or raw sockets where the fault needs bytes
or a reset), so a test controls exactly what the server does and when. Through httpx2 where the behaviour is the
client's (errors as httpx2 raises them, the retry policy's verdict), on the backend itself where it is the
stream's (what a read returns, how much is buffered).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import ssl
import struct
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpcore2
import httpx2
import pytest
import trustme
from orq_images._runtime.netio import PAUSE_AT, RESUME_AT, AsyncioBackend, AsyncioStream
from orq_images._runtime.pool import AsyncPool, PooledAsyncClient
from orq_images._runtime.retries import certainly_not_sent

from tests.support.server import refused_port

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
READ_LIMIT = 1 << 20  # what one socket read may add above PAUSE_AT (asyncio reads at most 256 KiB at a time)


def reply(body: bytes = b'{"ok":true}', *, close: bool = False) -> bytes:
    extra = "Connection: close\r\n" if close else ""
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return head.encode() + body


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    lengths = [line for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")]
    return await reader.readexactly(int(lengths[0].split(b":")[1]) if lengths else 0)


@contextlib.asynccontextmanager
async def server(serve: Serve, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """Serve connections with ``serve`` on 127.0.0.1 for the block; yields the port."""
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    listening = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield listening.sockets[0].getsockname()[1]
    finally:
        listening.close()
        for task in tasks:
            task.cancel()


async def keep_alive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        body = await read_request(reader)
        writer.write(reply(b'{"echo":%d}' % len(body)))
        await writer.drain()


def pooled_client(**options: object) -> httpx2.AsyncClient:
    limits = httpx2.Limits(max_connections=8, max_keepalive_connections=4)
    return PooledAsyncClient(limits=limits, timeout=5, **options)  # type: ignore[arg-type]


# -- the SDK's pool uses it ----------------------------------------------------------------------------------------


def test_the_sdk_pool_does_its_io_through_the_asyncio_backend() -> None:

    async def main() -> None:
        async with server(keep_alive) as port, pooled_client() as client:
            transport = client._transport
            assert isinstance(transport, AsyncPool)
            response = await client.post(f"http://127.0.0.1:{port}/x", content=b"12345")
            assert response.json() == {"echo": 5}
            assert isinstance(response.extensions["network_stream"], AsyncioStream)

    asyncio.run(main())


def test_calls_one_after_another_reuse_one_connection() -> None:
    ports: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ports.append(writer.get_extra_info("peername")[1])
        await keep_alive(reader, writer)

    async def main() -> None:
        async with server(serve) as port, pooled_client() as client:
            for _ in range(5):
                assert (await client.get(f"http://127.0.0.1:{port}/")).status_code == 200

    asyncio.run(main())
    assert len(ports) == 1


# -- what the server does ---------------------------------------------------------------------------------------


def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    """The server answers and then closes each connection without saying so (no `Connection: close`): the next
    request must go on a new connection, without an error. The backend knows of the FIN from the loop's reading."""
    connections = 0

    async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(reply())
        await writer.drain()

    async def main() -> None:
        async with server(answer_once) as port, pooled_client() as client:
            for _ in range(3):
                assert (await client.get(f"http://127.0.0.1:{port}/")).json() == {"ok": True}
                await asyncio.sleep(0.05)  # the FIN arrives while the connection is idle in the pool

    asyncio.run(main())
    assert connections == 3


def test_a_large_answer_read_slowly_is_buffered_only_up_to_the_pause_mark() -> None:
    """8 MiB sent as fast as the server can, read 64 KiB at a time with pauses: the bytes the backend holds unread
    stay bounded (it stops reading from the socket), and every byte arrives in order."""
    body = bytes(range(256)) * (8 * 1024 * 4)

    async def big(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(reply(body))
        await writer.drain()

    async def main() -> tuple[str, int]:
        async with server(big) as port, pooled_client() as client:
            digest = hashlib.sha256()
            most_unread = 0
            async with client.stream("GET", f"http://127.0.0.1:{port}/") as response:
                stream = response.extensions["network_stream"]
                assert isinstance(stream, AsyncioStream)
                async for chunk in response.aiter_raw(64 * 1024):
                    digest.update(chunk)
                    await asyncio.sleep(0.002)  # a slow consumer: the socket keeps bytes coming meanwhile
                    most_unread = max(most_unread, stream._connection.unread)
            return digest.hexdigest(), most_unread

    digest, most_unread = asyncio.run(main())
    assert digest == hashlib.sha256(body).hexdigest()
    assert PAUSE_AT <= most_unread <= PAUSE_AT + READ_LIMIT


def test_reading_resumes_below_the_resume_mark() -> None:
    async def main() -> None:
        async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(b"x" * (4 * PAUSE_AT))
            await writer.drain()

        async with server(flood) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            assert isinstance(stream, AsyncioStream)
            connection = stream._connection
            async with asyncio.timeout(5):
                while not connection.reading_paused:
                    await asyncio.sleep(0.001)
            total = 0
            while connection.reading_paused:
                total += len(await stream.read(16 * 1024, timeout=5))
            assert connection.unread < RESUME_AT
            while total < 4 * PAUSE_AT:
                total += len(await stream.read(1 << 20, timeout=5))
            assert total == 4 * PAUSE_AT
            assert await stream.read(1024, timeout=5) == b""  # the server closed: a clean end
            await stream.aclose()

    asyncio.run(main())


def test_a_read_returns_at_most_max_bytes_and_keeps_the_rest() -> None:
    async def main() -> None:
        async def send(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(b"abcdefghij")
            await writer.drain()
            await reader.read()  # hold the connection until the client closes it

        async with server(send) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            received = b""
            while len(received) < 10:
                chunk = await stream.read(3, timeout=5)
                assert 0 < len(chunk) <= 3
                received += chunk
            assert received == b"abcdefghij"
            await stream.aclose()

    asyncio.run(main())


def test_a_silent_server_is_a_read_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(30)

    async def main() -> None:
        async with server(silent) as port, pooled_client() as client:
            with pytest.raises(httpx2.ReadTimeout) as caught:
                await client.post(f"http://127.0.0.1:{port}/", content=b"{}", timeout=httpx2.Timeout(5, read=0.2))
            assert not certainly_not_sent(caught.value)  # the request went out: never re-sent by default

    asyncio.run(main())


def test_a_reset_after_the_request_is_a_read_error_not_a_connect_error() -> None:
    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
        writer.transport.abort()

    async def main() -> None:
        async with server(reset) as port, pooled_client() as client:
            with pytest.raises(httpx2.TransportError) as caught:
                await client.post(f"http://127.0.0.1:{port}/", content=b"{}")
            assert isinstance(caught.value, (httpx2.ReadError, httpx2.RemoteProtocolError))
            assert not certainly_not_sent(caught.value)

    asyncio.run(main())


def test_a_refused_connection_is_a_connect_error_the_retry_policy_counts_as_not_sent() -> None:
    async def main() -> None:
        async with pooled_client() as client:
            with pytest.raises(httpx2.ConnectError) as caught:
                await client.post(f"http://127.0.0.1:{refused_port()}/", content=b"{}")
            assert isinstance(caught.value.__cause__, httpcore2.ConnectError)
            assert "111" in str(caught.value) or "refused" in str(caught.value).lower()
            assert certainly_not_sent(caught.value)

    asyncio.run(main())


def test_a_server_that_does_not_read_makes_a_large_upload_a_write_timeout() -> None:
    async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    async def main() -> None:
        async with server(deaf) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            with pytest.raises(httpcore2.WriteTimeout):
                for _ in range(64):  # up to 64 MiB: far more than the kernel's buffers hold
                    await stream.write(b"x" * (1 << 20), timeout=0.2)
            await stream.aclose()

    asyncio.run(main())


def test_writing_to_a_closed_connection_is_a_write_error() -> None:
    async def main() -> None:
        async with server(keep_alive) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            await stream.aclose()
            with pytest.raises(httpcore2.WriteError):
                await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=1)

    asyncio.run(main())


def test_a_cancelled_read_leaves_the_connection_usable() -> None:
    """A read cancelled while it waits (the call's deadline) takes its waiter with it: a later read still works."""

    async def late(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.3)
        writer.write(b"late")
        await writer.drain()
        await reader.read()

    async def main() -> None:
        async with server(late) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            assert isinstance(stream, AsyncioStream)
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.05):
                    await stream.read(100)
            assert stream._connection.reader is None
            assert await stream.read(100, timeout=5) == b"late"
            await stream.aclose()

    asyncio.run(main())


# -- connecting -----------------------------------------------------------------------------------------------------


def test_a_name_connects_through_the_happy_eyeballs_path() -> None:
    async def main() -> None:
        async with server(keep_alive) as port, pooled_client() as client:
            assert (await client.get(f"http://localhost:{port}/")).status_code == 200

    asyncio.run(main())


def test_socket_options_are_applied_to_the_connection() -> None:
    async def main() -> None:
        async with server(keep_alive) as port:
            options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5, socket_options=options)
            assert stream.get_extra_info("socket").getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            assert stream.get_extra_info("server_addr") == ("127.0.0.1", port)
            assert stream.get_extra_info("client_addr")[0] == "127.0.0.1"
            assert stream.get_extra_info("is_readable") is False
            assert stream.get_extra_info("something else") is None
            await stream.aclose()

    asyncio.run(main())


def test_a_unix_socket_connects() -> None:
    async def main(path: str) -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await read_request(reader)
            writer.write(reply())
            await writer.drain()
            writer.close()

        listening = await asyncio.start_unix_server(handle, path)
        try:
            stream = await AsyncioBackend().connect_unix_socket(path, timeout=5)
            await stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
            received = b""
            while chunk := await stream.read(65536, timeout=5):
                received += chunk
            assert received == reply()
            await stream.aclose()
        finally:
            listening.close()

    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(main(str(Path(directory) / "s")))


def test_a_connect_that_does_not_complete_in_time_is_a_connect_timeout() -> None:
    """A listening socket whose backlog is full leaves a SYN unanswered (Linux drops it): the connect waits."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):  # fill the accept queue (nobody accepts)
                filler = socket.socket()
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
                fillers.append(filler)

            async def main() -> None:
                with pytest.raises(httpcore2.ConnectTimeout):
                    await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=0.3)

            asyncio.run(main())
        finally:
            for filler in fillers:
                filler.close()


# -- TLS ----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def server_tls(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    return context


def client_tls(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def test_https_goes_through_the_backend(authority: trustme.CA) -> None:
    async def main() -> None:
        async with (
            server(keep_alive, ssl_context=server_tls(authority)) as port,
            pooled_client(verify=client_tls(authority)) as client,
        ):
            for _ in range(2):
                response = await client.post(f"https://localhost:{port}/", content=b"abc")
                assert response.json() == {"echo": 3}
            stream = response.extensions["network_stream"]
            assert isinstance(stream, AsyncioStream)
            assert isinstance(stream.get_extra_info("ssl_object"), ssl.SSLObject)

    asyncio.run(main())


def test_a_certificate_the_client_does_not_trust_is_a_connect_error(authority: trustme.CA) -> None:
    async def main() -> None:
        async with server(keep_alive, ssl_context=server_tls(authority)) as port, pooled_client() as client:
            with pytest.raises(httpx2.ConnectError) as caught:
                await client.get(f"https://localhost:{port}/")
            assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
            assert certainly_not_sent(caught.value)

    asyncio.run(main())


def test_a_tls_handshake_that_does_not_complete_in_time_is_a_connect_timeout(authority: trustme.CA) -> None:
    async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)  # a plain TCP server: the client's hello is never answered

    async def main() -> None:
        async with server(mute) as port, pooled_client(verify=client_tls(authority)) as client:
            with pytest.raises(httpx2.ConnectTimeout) as caught:
                await client.get(f"https://localhost:{port}/", timeout=httpx2.Timeout(5, connect=0.3))
            assert certainly_not_sent(caught.value)

    asyncio.run(main())


def test_bytes_before_the_tls_handshake_are_refused(authority: trustme.CA) -> None:
    async def chatty(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"hello")  # plaintext before any handshake
        await writer.drain()
        await asyncio.sleep(30)

    async def main() -> None:
        async with server(chatty) as port:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
            assert isinstance(stream, AsyncioStream)
            async with asyncio.timeout(5):
                while not stream.get_extra_info("is_readable"):
                    await asyncio.sleep(0.005)
            with pytest.raises(httpcore2.ConnectError):
                await stream.start_tls(client_tls(authority), server_hostname="localhost", timeout=5)

    asyncio.run(main())


def test_a_loop_whose_create_connection_has_no_signature_connects_without_the_race() -> None:
    """Event loops written in C may not expose a signature: the backend must not fail on asking."""

    class Silent:
        create_connection = min  # a builtin without a signature: inspect.signature raises ValueError

    backend = AsyncioBackend()
    assert backend._supports_happy_eyeballs(Silent()) is False  # type: ignore[arg-type]
    loop = asyncio.new_event_loop()
    try:
        assert backend._supports_happy_eyeballs(loop) is True
    finally:
        loop.close()
