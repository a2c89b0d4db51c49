"""Reading response bodies, within bounds. A 2xx body is streamed: a small one into one buffer that is decoded and
parsed once, a large one (over ``STREAM_FROM`` bytes, such as a 20 MiB ``b64_json`` image) parsed while it arrives
by a ``JsonReader``, which holds the payload about once and can divert strings to sinks (files). ``jsonstream`` is
imported when first needed: most answers are small.

``httpx2`` reads a body by joining its chunks into one ``bytes`` (chunks and body coexist), and ``json.loads``
of bytes first decodes them to a ``str`` while the bytes are still referenced by the response, then builds the
parsed strings from that text: a large answer read that way is held three times over at its peak.

Memory stays bounded whatever the server sends:

- a 2xx body larger than the call's ``max_bytes`` (counted after decompression) is refused (``BodyRefused``);
- a compressed body is inflated here (``zlib``, at most ``INFLATE_STEP`` bytes out per step), not by ``httpx2``,
  whose decoders inflate a whole network read at once (64 KiB of gzip can become 64 MiB); one that inflates more
  than ``BOMB_RATIO`` times its compressed size is refused as a decompression bomb once it passes ``BOMB_FROM``;
- an error body (non-2xx) is kept up to ``MAX_ERROR_BODY`` bytes; the rest is not read (the connection is closed).
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import httpx2

if TYPE_CHECKING:
    from .jsonstream import Divert, JsonReader

__all__ = [
    "ACCEPT_ENCODING",
    "BOMB_FROM",
    "BOMB_RATIO",
    "MAX_ERROR_BODY",
    "MAX_RESPONSE_BYTES",
    "STREAM_FROM",
    "Body",
    "BodyRefused",
    "read_body",
    "read_body_async",
]

STREAM_FROM = 1024 * 1024
"""A 2xx body with more bytes than this is parsed while it arrives, and never collected whole."""

MAX_RESPONSE_BYTES = 256 * 1024 * 1024
"""Default limit of a 2xx answer, counted after decompression. Ten images of 19 MiB each as base64 fit (a
2048x2048 RGBA PNG is at most 16 MiB even uncompressed); a body that does not end is refused at this size."""

MAX_ERROR_BODY = 1024 * 1024
"""Bytes of an error body (non-2xx) kept for the exception; the rest is not read. Real error messages are short."""

BOMB_RATIO = 100
"""A compressed body inflating more than this many times its compressed size is refused (JSON with base64 images
compresses about 1.3 times; a gzip bomb about 1000 times)."""

BOMB_FROM = 1024 * 1024
"""The ratio is judged once this many bytes have been inflated (a tiny answer may compress well)."""

ACCEPT_ENCODING = "gzip, deflate"
"""The content codings asked for: those inflated here."""

INFLATE_STEP = 256 * 1024
"""At most this many inflated bytes are produced from a compressed chunk at a time."""

_INFLATED = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}

Check = Callable[[], None]
"""Called after every chunk of a body: raises to stop reading (the call's deadline passed, the client closed)."""


class BodyRefused(Exception):
    """A 2xx body was refused while it arrived (too large, or a decompression bomb); the message says why."""

    def __init__(self, message: str, response: httpx2.Response) -> None:
        super().__init__(message)
        self.status_code = response.status_code
        self.headers = response.headers


class Body:
    """A 2xx response body, read into memory. ``json()`` decodes it (the UTF-8/16/32 detection of ``json.loads``),
    drops the bytes and parses the text; ``raw()`` gives the bytes back (for an error report)."""

    __slots__ = ("_data", "_encoding", "_text")

    def __init__(self, data: bytes | bytearray) -> None:
        self._data: bytes | bytearray = data
        self._encoding = "utf-8"
        self._text: str | None = None

    def json(self) -> object:
        """The parsed body; raises ``ValueError`` (``UnicodeDecodeError``, ``json.JSONDecodeError``) when it is not
        JSON in one of the encodings JSON allows."""
        if self._text is None:
            data = self._data
            self._encoding = json.detect_encoding(data)
            self._text = data.decode(self._encoding, "surrogatepass")
            self._data = b""
        return json.loads(self._text)

    def raw(self) -> bytes:
        """The body's bytes as received (once decoded, encoded back: the same bytes, except that a UTF-16/32 body
        that starts with a byte order mark comes back in this machine's byte order)."""
        if self._text is None:
            return bytes(self._data)
        return self._text.encode(self._encoding, "surrogatepass")


def read_body(
    response: httpx2.Response,
    divert: Divert | None = None,
    *,
    max_bytes: int = MAX_RESPONSE_BYTES,
    check: Check | None = None,
    as_bytes: bool = False,
) -> Body | JsonReader | None:
    """Read the rest of a streamed ``response`` and close it. A 2xx body is returned, to be parsed with ``json()``;
    of any other body the first ``MAX_ERROR_BODY`` bytes are kept in the response (``response.content``, for the
    error report) and ``None`` is returned.

    With ``divert``, a UTF-8 2xx body is parsed as it arrives, from its first byte, and the strings that
    ``divert`` claims go to their sinks. A 2xx body over ``max_bytes`` or inflating like a bomb raises
    ``BodyRefused``; ``check`` runs after every chunk. Errors while reading are ``httpx2`` errors, as those of
    sending (timeouts, dropped connections), or what a sink or ``check`` raises. With ``as_bytes`` the 2xx body is
    not JSON (an image): it is collected whole, within ``max_bytes``, and read with ``Body.raw()``.
    """
    try:
        intake = _Intake(response, divert, max_bytes, as_bytes)
        if response.is_stream_consumed:  # an event hook read it already
            return intake.whole(response.content)
        for chunk in response.iter_raw() if intake.raw else response.iter_bytes():
            if not intake.take(chunk):
                break
            if check is not None:
                check()
        return intake.result()
    finally:
        response.close()


async def read_body_async(
    response: httpx2.Response,
    divert: Divert | None = None,
    *,
    max_bytes: int = MAX_RESPONSE_BYTES,
    check: Check | None = None,
    as_bytes: bool = False,
) -> Body | JsonReader | None:
    """The ``async`` twin of ``read_body``."""
    try:
        intake = _Intake(response, divert, max_bytes, as_bytes)
        if response.is_stream_consumed:
            return intake.whole(response.content)
        async for chunk in response.aiter_raw() if intake.raw else response.aiter_bytes():
            if not intake.take(chunk):
                break
            if check is not None:
                check()
        return intake.result()
    finally:
        await response.aclose()


class _Intake:
    """One body on its way in: inflated here when compressed, counted, refused (2xx) or cut (error) at its limit,
    then collected. ``raw`` says whether it reads the network bytes (``iter_raw``) or lets ``httpx2`` decode a
    content coding this module does not inflate itself (``br``, ``zstd``: never asked for, see ``ACCEPT_ENCODING``).
    """

    __slots__ = ("collector", "compressed", "inflater", "kept", "limit", "raw", "received", "response", "size")

    def __init__(self, response: httpx2.Response, divert: Divert | None, max_bytes: int, as_bytes: bool) -> None:
        coding = response.headers.get("content-encoding", "").strip().lower()
        identity = coding in ("", "identity")
        self.response = response
        self.raw = identity or coding in _INFLATED
        self.compressed = not identity
        self.inflater = _Inflater(coding) if coding in _INFLATED else None
        self.received = 0  # compressed bytes given to the inflater
        self.size = 0  # bytes of the body, inflated
        self.kept: bytearray | None = None
        self.collector: _Collector | None = None
        if response.is_success:
            self.limit = max_bytes
            length = response.headers.get("content-length", "") if identity else ""
            self.collector = _Collector(int(length) if length.isdecimal() else None, divert)
            if as_bytes:
                self.collector.stream_from = sys.maxsize  # never handed to a JsonReader
        else:
            self.limit = MAX_ERROR_BODY
            self.kept = bytearray()

    def take(self, chunk: bytes) -> bool:
        """Take the next chunk; ``False`` when an error body has reached its limit (stop reading)."""
        if self.inflater is None:
            return self._keep(chunk)
        self.received += len(chunk)
        return all(self._keep(piece) for piece in self.inflater.inflate(chunk))

    def whole(self, content: bytes) -> Body | JsonReader | None:
        """A body read whole already (by an event hook): checked and collected all the same."""
        if self.collector is None:
            return None
        self._keep(content)
        return self.collector.result()

    def result(self) -> Body | JsonReader | None:
        if self.collector is None:
            assert self.kept is not None
            # What ``response.read()`` would have left there, cut at the limit: the error reads ``.content``.
            self.response._content = bytes(self.kept)
            return None
        if self.inflater is not None:
            for piece in self.inflater.flush():
                self._keep(piece)
        return self.collector.result()

    def _keep(self, piece: bytes) -> bool:
        self.size += len(piece)
        if self.size > self.limit:
            if self.kept is not None:
                self.kept += piece[: len(piece) - (self.size - self.limit)]
                return False
            raise BodyRefused(
                f"the answer is larger than max_response_bytes={self.limit} (counted after decompression)",
                self.response,
            )
        if self.compressed and self.size > BOMB_FROM:
            received = self._compressed_used()
            if self.size > BOMB_RATIO * received:
                raise BodyRefused(
                    f"the answer inflates more than {BOMB_RATIO} times its compressed size "
                    f"({received} bytes became {self.size} so far): refused as a decompression bomb",
                    self.response,
                )
        if self.kept is not None:
            self.kept += piece
        else:
            assert self.collector is not None
            self.collector.add(piece)
        return True

    def _compressed_used(self) -> int:
        """Compressed bytes inflated so far (of a chunk, only the part already used: 64 KiB of a bomb would
        otherwise excuse 6 MiB of output at the ratio limit)."""
        if self.inflater is not None:
            return self.received - len(self.inflater.zlib.unconsumed_tail)
        return self.response.num_bytes_downloaded


class _Inflater:
    """Inflates a ``gzip`` / ``deflate`` body in steps of at most ``INFLATE_STEP`` bytes, so that memory follows
    what is kept, not what one compressed chunk expands to. Damaged data is an ``httpx2.DecodingError``, as it is
    when ``httpx2`` decodes."""

    __slots__ = ("coding", "started", "zlib")

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.zlib = zlib.decompressobj(_INFLATED[coding])
        self.started = False

    def inflate(self, data: bytes) -> Iterator[bytes]:
        if not self.started:
            self.started = True
            if self.coding == "deflate" and len(data) >= 2 and not _zlib_header(data):
                self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
        try:
            piece = self.zlib.decompress(data, INFLATE_STEP)
            yield piece
            # Output may remain while input remains, or when the step filled the whole output.
            while self.zlib.unconsumed_tail or len(piece) == INFLATE_STEP:
                piece = self.zlib.decompress(self.zlib.unconsumed_tail, INFLATE_STEP)
                if not piece and not self.zlib.unconsumed_tail:
                    break
                yield piece
        except zlib.error as exc:
            raise httpx2.DecodingError(f"the {self.coding} body cannot be decompressed: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        yield from self.inflate(b"") if self.started else ()


def _zlib_header(data: bytes) -> bool:
    """Whether ``data`` starts with a zlib header (RFC 1950): deflate method, check bits right."""
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class _Collector:
    """The bytes of one 2xx body: written in place into a buffer of the announced size while the body is small,
    handed to a ``JsonReader`` once it is large (or from the start, when strings are to be diverted)."""

    __slots__ = ("buffer", "divert", "reader", "size", "stream_from")

    def __init__(self, length: int | None, divert: Divert | None) -> None:
        self.stream_from = 0 if divert is not None else STREAM_FROM
        self.buffer = bytearray(length if length is not None and length <= self.stream_from else 0)
        self.size = 0
        self.divert = divert
        self.reader: JsonReader | None = None

    def add(self, chunk: bytes) -> None:
        if self.reader is not None:
            self.reader.feed(chunk)
            return
        end = self.size + len(chunk)
        if end > self.stream_from and end >= 4:
            # json.loads detects UTF-16/32 as well; those (never seen in practice) are collected whole.
            if json.detect_encoding(bytes(self.buffer[: min(self.size, 4)]) + chunk[:4]) in ("utf-8", "utf-8-sig"):
                from .jsonstream import JsonReader

                self.reader = JsonReader(self.divert)
                if self.size:
                    self.reader.feed(bytes(memoryview(self.buffer)[: self.size]))
                self.buffer = bytearray()
                self.reader.feed(chunk)  # as it came: not copied into the buffer first
                return
            self.stream_from = sys.maxsize
        self.buffer[self.size : end] = chunk  # in place, or growing the buffer past its announced size
        self.size = end

    def result(self) -> Body | JsonReader:
        if self.reader is not None:
            return self.reader
        if self.size < len(self.buffer):
            del self.buffer[self.size :]
        if self.divert is not None and self.size >= 4:  # UTF-16/32: the sinks still get their strings
            try:
                text = self.buffer.decode(json.detect_encoding(self.buffer), "surrogatepass")
            except UnicodeDecodeError:
                return Body(self.buffer)  # json() reports it
            from .jsonstream import JsonReader

            reader = JsonReader(self.divert)
            reader.feed(text.encode("utf-8", "surrogatepass"))
            return reader
        return Body(self.buffer)
