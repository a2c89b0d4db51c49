"""bodies: streamed response bodies, a small one read into one buffer and decoded once, a large one parsed while it
arrives (transport tests cover the wire; test_jsonstream covers the parser)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import os
import pathlib
import random
import subprocess
import sys
import zlib
from collections.abc import AsyncIterator, Callable, Iterator

import httpx2
import orq_images
import pytest
from orq_images._runtime.bodies import (
    BOMB_FROM,
    INFLATE_STEP,
    MAX_ERROR_BODY,
    STREAM_FROM,
    Body,
    BodyRefused,
    _Inflater,
    read_body,
    read_body_async,
)
from orq_images._runtime.jsonstream import JsonPath, JsonReader

URL = "https://api.test/v2/router/images/generations"


class Chunks(httpx2.SyncByteStream, httpx2.AsyncByteStream):
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


def streamed(status: int, stream: Chunks, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, headers=headers, stream=stream, request=httpx2.Request("POST", URL))


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
    assert isinstance(body, Body)
    assert body.json() == {"a": [1, 2]}
    assert body.raw() == b'{"a": [1, 2]}'
    assert stream.closed


def test_json_drops_the_bytes_and_raw_gives_them_back() -> None:
    data = bytearray('{"x": "é"}'.encode())
    body = Body(data)
    assert body.raw() == bytes(data)
    assert body.json() == {"x": "é"}
    assert body._data == b""
    assert body.json() == {"x": "é"}  # decoded once, the text kept for the error report
    assert body.raw() == bytes(data)
    assert Body('"é"'.encode("utf-16-le")).json() == "é"  # the encodings json.loads detects
    assert Body(b"\xef\xbb\xbf{}").json() == {}  # a UTF-8 byte order mark is dropped, as json.loads does


def test_bytes_that_do_not_decode_stay_available() -> None:
    body = Body(b'{"x": "\xe9"}')
    with pytest.raises(UnicodeDecodeError):
        body.json()
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
            raise httpx2.ReadError("connection reset")

    stream = Failing()
    response = streamed(200, stream, {"Content-Length": "100"})
    with pytest.raises(httpx2.ReadError):
        read_body(response)
    assert stream.closed


def test_async_reading() -> None:
    async def main() -> None:
        stream = Chunks(b"[1,", b" 2]")
        body = await read_body_async(streamed(200, stream, {"Content-Length": "6"}))
        assert body is not None and body.json() == [1, 2]
        assert stream.closed
        error = streamed(500, Chunks(b"boom"))
        assert await read_body_async(error) is None
        assert error.content == b"boom"

    asyncio.run(main())


def large_wire(payload_chars: int) -> tuple[bytes, list[bytes]]:
    """A 2xx answer carrying one base64 image of ``payload_chars`` characters (of random bytes: it compresses as
    a real image does), and its 64 KiB pieces."""
    image = base64.b64encode(random.Random(payload_chars).randbytes(payload_chars // 4 * 3)).decode()
    wire = json.dumps({"created": 1, "data": [{"b64_json": image}]}).encode()
    return wire, [wire[start : start + 65536] for start in range(0, len(wire), 65536)]


HELD_ONCE = """
import json, sys, tracemalloc
import httpx2
from orq_images._runtime.bodies import read_body
from orq_images._runtime.jsonstream import JsonReader

wire = json.dumps({"created": 1, "data": [{"b64_json": "QUJD" * (2 * 1024 * 1024)}]}).encode()  # 8 MiB
pieces = [wire[start : start + 65536] for start in range(0, len(wire), 65536)]

class Pieces(httpx2.SyncByteStream):
    def __iter__(self):
        yield from pieces

headers = {"Content-Length": str(len(wire))}
response = httpx2.Response(200, headers=headers, stream=Pieces(), request=httpx2.Request("POST", "https://x"))
tracemalloc.start()
body = read_body(response)
data = body.json()
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
streamed, equal, traced = isinstance(body, JsonReader), data == json.loads(wire), sys.gettrace() is not None
print(json.dumps({"ratio": peak / len(wire), "streamed": streamed, "equal": equal, "traced": traced}))
"""


def test_a_large_answer_is_parsed_while_it_arrives_and_held_about_once() -> None:
    """Not bytes + text + parsed string (3x), not even two of them: the string grows in place as it arrives.

    Measured in a fresh process without coverage: under a trace function (coverage, a debugger) CPython 3.11 runs
    unspecialized bytecode, which does not grow a string in place, and the peak is then about twice the payload.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("COV_CORE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(pathlib.Path(orq_images.__file__).parents[1]), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", HELD_ONCE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["streamed"] and result["equal"] and not result["traced"]
    assert result["ratio"] < 1.25, result


@pytest.mark.parametrize("headers", [{}, {"Content-Length": "1"}, {"Content-Encoding": "gzip"}])
def test_the_switch_to_streaming_depends_on_the_bytes_not_on_what_is_announced(headers: dict[str, str]) -> None:
    wire, pieces = large_wire(STREAM_FROM + 4)
    small = b'{"created": 1, "data": []}'
    if headers.get("Content-Encoding") == "gzip":
        import gzip

        pieces = [gzip.compress(wire)]
        small_pieces = [gzip.compress(small)]
    else:
        small_pieces = [small]
    body = read_body(streamed(200, Chunks(*pieces), headers))
    assert isinstance(body, JsonReader) and body.json() == json.loads(wire)
    body = read_body(streamed(200, Chunks(*small_pieces), headers))
    assert isinstance(body, Body) and body.json() == json.loads(small)


def test_a_large_utf16_answer_is_collected_whole() -> None:
    """JSON in UTF-16/32 (allowed by json.loads, never sent in practice) is not streamed: it still parses."""
    text = json.dumps({"data": [{"b64_json": "QUJD" * (STREAM_FROM // 4)}]})
    body = read_body(streamed(200, Chunks(text.encode("utf-16-le"))))
    assert isinstance(body, Body) and body.json() == json.loads(text)


class Recorder:
    """A ``divert`` that records the paths it is asked about and takes one of them into a list."""

    def __init__(self, take: JsonPath) -> None:
        self.take = take
        self.asked: list[JsonPath] = []
        self.pieces: list[str] = []
        self.closed = False

    def __call__(self, path: JsonPath) -> Recorder | None:
        self.asked.append(path)
        return self if path == self.take else None

    def write(self, text: str) -> None:
        self.pieces.append(text)

    def close(self) -> None:
        self.closed = True

    def text(self) -> str:
        return "".join(self.pieces)


def test_with_divert_a_small_answer_is_streamed_too_and_its_strings_offered() -> None:
    wire = b'{"created": 1, "data": [{"url": "u"}, {"b64_json": "QUJD", "revised_prompt": "p"}]}'
    divert = Recorder(("data", 1, "b64_json"))
    body = read_body(streamed(200, Chunks(wire[:30], wire[30:])), divert)
    assert isinstance(body, JsonReader)
    assert body.json() == {"created": 1, "data": [{"url": "u"}, {"revised_prompt": "p"}]}
    assert divert.asked == [("data", 0, "url"), ("data", 1, "b64_json"), ("data", 1, "revised_prompt")]
    assert divert.text() == "QUJD" and divert.closed


def test_with_divert_a_body_an_event_hook_read_is_still_diverted() -> None:
    wire = b'{"data": [{"b64_json": "QUJD"}]}'
    response = streamed(200, Chunks(wire))
    response.read()
    divert = Recorder(("data", 0, "b64_json"))
    body = read_body(response, divert)
    assert isinstance(body, JsonReader) and body.json() == {"data": [{}]}
    assert divert.text() == "QUJD"


# -- bounds: content codings inflated here, in steps ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", lambda data: gzip.compress(data)),
        ("x-gzip", lambda data: gzip.compress(data)),
        ("deflate", lambda data: zlib.compress(data)),  # zlib-wrapped, as RFC 9110 says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
    ],
)
def test_compressed_answers_are_inflated_in_bounded_steps(coding: str, compress: Callable[[bytes], bytes]) -> None:
    wire, _ = large_wire(3 * STREAM_FROM)
    packed = compress(wire)
    pieces = [packed[start : start + 65536] for start in range(0, len(packed), 65536)]
    body = read_body(streamed(200, Chunks(*pieces), {"Content-Encoding": coding}))
    assert body is not None and body.json() == json.loads(wire)
    inflater = _Inflater(coding)
    steps = [piece for chunk in pieces for piece in inflater.inflate(chunk)] + list(inflater.flush())
    assert b"".join(steps) == wire
    assert max(map(len, steps)) <= INFLATE_STEP


def test_a_damaged_gzip_body_is_a_decoding_error() -> None:
    with pytest.raises(httpx2.DecodingError, match="cannot be decompressed"):
        read_body(streamed(200, Chunks(b"\x1f\x8b not gzip at all"), {"Content-Encoding": "gzip"}))


def test_limits_count_inflated_bytes_and_the_ratio() -> None:
    wire, pieces = large_wire(2 * STREAM_FROM)
    with pytest.raises(BodyRefused, match="larger than max_response_bytes=1048576"):
        read_body(streamed(200, Chunks(*pieces)), max_bytes=STREAM_FROM)
    packed = gzip.compress(wire)
    with pytest.raises(BodyRefused, match="larger than max_response_bytes"):
        read_body(streamed(200, Chunks(packed), {"Content-Encoding": "gzip"}), max_bytes=STREAM_FROM)
    bomb = gzip.compress(b'{"a": "' + b"A" * (4 * BOMB_FROM) + b'"}')
    with pytest.raises(BodyRefused, match="decompression bomb"):
        read_body(streamed(200, Chunks(bomb), {"Content-Encoding": "gzip"}))
    small_but_compressible = gzip.compress(b'{"a": "' + b"A" * (BOMB_FROM - 100) + b'"}')  # under BOMB_FROM: fine
    assert read_body(streamed(200, Chunks(small_but_compressible), {"Content-Encoding": "gzip"})) is not None


def test_an_error_body_is_cut_at_its_limit_and_the_rest_left_unread() -> None:
    stream = Chunks(*([b"x" * 65536] * 40))
    error = streamed(500, stream)
    assert read_body(error) is None
    assert error.content == b"x" * MAX_ERROR_BODY
    assert stream.closed


def test_check_runs_after_every_chunk_and_may_stop_the_read() -> None:
    seen: list[int] = []

    class Stop(Exception):
        pass

    def check() -> None:
        seen.append(1)
        if len(seen) == 3:
            raise Stop

    stream = Chunks(*([b" "] * 10))
    with pytest.raises(Stop):
        read_body(streamed(200, stream), check=check)
    assert len(seen) == 3 and stream.closed
