"""bodies: streamed response bodies read into one buffer and decoded once (transport tests cover the wire)."""

from __future__ import annotations

import asyncio
import json
import tracemalloc
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from orq_images._runtime.bodies import Body, read_body, read_body_async

URL = "https://api.test/v2/router/images/generations"


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response stream that yields the given chunks (sync or async) and records whether it was closed."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def streamed(status: int, stream: Chunks, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers, stream=stream, request=httpx.Request("POST", URL))


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Length": "13"},  # exact: filled in place
        {"Content-Length": "4"},  # too small: grows
        {"Content-Length": "40"},  # too large: trimmed
        {"Content-Length": "soon"},  # not a number: grows from empty
        {},  # no length: grows from empty
        {"Content-Encoding": "identity", "Content-Length": "13"},
    ],
)
def test_chunks_are_joined_whatever_the_announced_length(headers: dict[str, str]) -> None:
    stream = Chunks(b'{"a"', b": ", b"[1, 2]}")
    body = read_body(streamed(200, stream, headers))
    assert body is not None
    assert body.text() == '{"a": [1, 2]}'
    assert stream.closed


def test_text_drops_the_bytes_and_raw_gives_them_back() -> None:
    data = bytearray('{"x": "é"}'.encode())
    body = Body(data)
    assert body.raw() == bytes(data)
    assert body.text() == '{"x": "é"}'
    assert body._data == b""
    assert body.text() == '{"x": "é"}'  # decoded once, kept for the error report
    assert body.raw() == bytes(data)
    assert Body("é".encode("utf-16-le")).text() == "é"  # the encodings json.loads detects
    assert Body(b"\xef\xbb\xbf{}").text() == "{}"  # a UTF-8 byte order mark is dropped, as json.loads does


def test_bytes_that_do_not_decode_stay_available() -> None:
    body = Body(b'{"x": "\xe9"}')
    with pytest.raises(UnicodeDecodeError):
        body.text()
    assert body.raw() == b'{"x": "\xe9"}'


def test_error_bodies_are_read_into_the_response() -> None:
    stream = Chunks(b"not ", b"found")
    response = streamed(404, stream)
    assert read_body(response) is None
    assert response.content == b"not found"
    assert response.is_closed and stream.closed


def test_a_failing_stream_is_closed_and_its_error_raised() -> None:
    class Failing(Chunks):
        def __iter__(self) -> Iterator[bytes]:
            yield b"{"
            raise httpx.ReadError("connection reset")

    stream = Failing()
    response = streamed(200, stream, {"Content-Length": "100"})
    with pytest.raises(httpx.ReadError):
        read_body(response)
    assert stream.closed


def test_async_reading() -> None:
    async def main() -> None:
        stream = Chunks(b"[1,", b" 2]")
        body = await read_body_async(streamed(200, stream, {"Content-Length": "6"}))
        assert body is not None and body.text() == "[1, 2]"
        assert stream.closed
        error = streamed(500, Chunks(b"boom"))
        assert await read_body_async(error) is None
        assert error.content == b"boom"

    asyncio.run(main())


def test_a_large_answer_is_held_at_most_about_twice() -> None:
    """The payload's bytes and its text, or its text and the parsed string, but never three copies at once."""
    payload = "QUJD" * (2 * 1024 * 1024)  # 8 MiB of base64 text
    wire = json.dumps({"data": [{"b64_json": payload}]}).encode()
    pieces = [wire[start : start + 65536] for start in range(0, len(wire), 65536)]
    del payload
    tracemalloc.start()
    try:
        body = read_body(streamed(200, Chunks(*pieces), {"Content-Length": str(len(wire))}))
        assert body is not None
        data = json.loads(body.text())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(data["data"][0]["b64_json"]) == 8 * 1024 * 1024
    assert peak < 2.2 * len(wire), peak / len(wire)
