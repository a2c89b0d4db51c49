"""Reading response bodies. A 2xx body is streamed: a small one into one buffer that is decoded and parsed once,
a large one (over ``STREAM_FROM`` bytes, such as a 20 MiB ``b64_json`` image) parsed while it arrives by a
``JsonReader``, which holds the payload about once and can divert strings to sinks (files). ``jsonstream`` is
imported when first needed: most answers are small.

``httpx2`` reads a body by joining its chunks into one ``bytes`` (chunks and body coexist), and ``json.loads``
of bytes first decodes them to a ``str`` while the bytes are still referenced by the response, then builds the
parsed strings from that text: a large answer read that way is held three times over at its peak.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import httpx2

if TYPE_CHECKING:
    from .jsonstream import Divert, JsonReader

__all__ = ["STREAM_FROM", "Body", "read_body", "read_body_async"]

STREAM_FROM = 1024 * 1024
"""A 2xx body with more bytes than this is parsed while it arrives, and never collected whole."""


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


def read_body(response: httpx2.Response, divert: Divert | None = None) -> Body | JsonReader | None:
    """Read the rest of a streamed ``response`` and close it. A 2xx body is returned, to be parsed with ``json()``;
    any other body is read into the response (``response.content``, for the error report) and ``None`` is returned.

    With ``divert``, a UTF-8 2xx body is parsed as it arrives, from its first byte, and the strings that
    ``divert`` claims go to their sinks. Errors while reading are ``httpx2`` errors, as those of sending (timeouts,
    dropped connections), or what a sink raises.
    """
    try:
        if not response.is_success or response.is_stream_consumed:  # consumed: an event hook read it already
            content = response.read()
            return _collected(content, divert) if response.is_success else None
        collector = _Collector(response, divert)
        for chunk in response.iter_raw() if collector.raw else response.iter_bytes():
            collector.add(chunk)
        return collector.result()
    finally:
        response.close()


async def read_body_async(response: httpx2.Response, divert: Divert | None = None) -> Body | JsonReader | None:
    """The ``async`` twin of ``read_body``."""
    try:
        if not response.is_success or response.is_stream_consumed:
            content = await response.aread()
            return _collected(content, divert) if response.is_success else None
        collector = _Collector(response, divert)
        async for chunk in response.aiter_raw() if collector.raw else response.aiter_bytes():
            collector.add(chunk)
        return collector.result()
    finally:
        await response.aclose()


def _collected(content: bytes, divert: Divert | None) -> Body | JsonReader:
    """A body that was read whole already (by an event hook): sinks still get their strings."""
    collector = _Collector(None, divert)
    collector.add(content)
    return collector.result()


class _Collector:
    """The bytes of one 2xx body: written in place into a buffer of the announced size while the body is small,
    handed to a ``JsonReader`` once it is large (or from the start, when strings are to be diverted)."""

    __slots__ = ("buffer", "divert", "raw", "reader", "size", "stream_from")

    def __init__(self, response: httpx2.Response | None, divert: Divert | None) -> None:
        headers = response.headers if response is not None else httpx2.Headers()
        encoding = headers.get("content-encoding", "").strip().lower()
        # Without a content coding the raw bytes are the body; with one, httpx2 decodes (then the length is unknown).
        self.raw = encoding in ("", "identity")
        length = headers.get("content-length", "") if self.raw else ""
        self.stream_from = 0 if divert is not None else STREAM_FROM
        self.buffer = bytearray(int(length) if length.isdecimal() and int(length) <= self.stream_from else 0)
        self.size = 0
        self.divert = divert
        self.reader: JsonReader | None = None

    def add(self, chunk: bytes) -> None:
        if self.reader is not None:
            self.reader.feed(chunk)
            return
        end = self.size + len(chunk)
        self.buffer[self.size : end] = chunk  # in place, or growing the buffer past its announced size
        self.size = end
        if end > self.stream_from and end >= 4:
            # json.loads detects UTF-16/32 as well; those (never seen in practice) are collected whole.
            if json.detect_encoding(self.buffer[:4]) in ("utf-8", "utf-8-sig"):
                from .jsonstream import JsonReader

                self.reader = JsonReader(self.divert)
                self.reader.feed(bytes(memoryview(self.buffer)[:end]))
                self.buffer = bytearray()
            else:
                self.stream_from = sys.maxsize

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
