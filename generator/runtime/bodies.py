"""Reading response bodies: a 2xx body is streamed into one buffer and decoded once, so that a large answer (a
20 MiB ``b64_json`` image) is never held as chunks + joined bytes + text + parsed value at the same time.

``httpx`` reads a body by joining its chunks into one ``bytes`` (chunks and body coexist), and ``json.loads``
of bytes first decodes them to a ``str`` while the bytes are still referenced by the response. Here the chunks
go into a ``bytearray`` sized by ``Content-Length``, ``Body.text()`` decodes it and lets go of the bytes, and
only then is the text parsed: at most two copies of the payload are alive at any moment.
"""

from __future__ import annotations

import json

import httpx

__all__ = ["Body", "read_body", "read_body_async"]

_MAX_PREALLOCATED = 256 * 1024 * 1024
"""A larger ``Content-Length`` is not trusted for allocating ahead: the buffer grows as the bytes arrive."""


class Body:
    """A 2xx response body, read into memory. ``text()`` decodes it (the UTF-8/16/32 detection of ``json.loads``)
    and drops the bytes; ``raw()`` gives the bytes back (for an error report)."""

    __slots__ = ("_data", "_encoding", "_text")

    def __init__(self, data: bytes | bytearray) -> None:
        self._data: bytes | bytearray = data
        self._encoding = "utf-8"
        self._text: str | None = None

    def text(self) -> str:
        """The body as text; raises ``UnicodeDecodeError`` when the bytes are not valid in their encoding."""
        if self._text is None:
            data = self._data
            self._encoding = json.detect_encoding(data)
            self._text = data.decode(self._encoding, "surrogatepass")
            self._data = b""
        return self._text

    def raw(self) -> bytes:
        """The body's bytes as received (once decoded, encoded back: the same bytes, except that a UTF-16/32 body
        that starts with a byte order mark comes back in this machine's byte order)."""
        if self._text is None:
            return bytes(self._data)
        return self._text.encode(self._encoding, "surrogatepass")


def read_body(response: httpx.Response) -> Body | None:
    """Read the rest of a streamed ``response`` and close it. A 2xx body is returned as a ``Body``; any other
    body is read into the response (``response.content``, for the error report) and ``None`` is returned.

    Errors while reading are ``httpx`` errors, as those of sending (timeouts, dropped connections).
    """
    try:
        if not response.is_success or response.is_stream_consumed:  # consumed: an event hook read it already
            content = response.read()
            return Body(content) if response.is_success else None
        buffer = _Buffer(response)
        for chunk in response.iter_raw() if buffer.raw else response.iter_bytes():
            buffer.add(chunk)
        return Body(buffer.result())
    finally:
        response.close()


async def read_body_async(response: httpx.Response) -> Body | None:
    """The ``async`` twin of ``read_body``."""
    try:
        if not response.is_success or response.is_stream_consumed:
            content = await response.aread()
            return Body(content) if response.is_success else None
        buffer = _Buffer(response)
        async for chunk in response.aiter_raw() if buffer.raw else response.aiter_bytes():
            buffer.add(chunk)
        return Body(buffer.result())
    finally:
        await response.aclose()


class _Buffer:
    """The bytes of one body, written in place into a buffer of the announced size."""

    __slots__ = ("data", "raw", "size")

    def __init__(self, response: httpx.Response) -> None:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        # Without a content coding the raw bytes are the body; with one, httpx decodes (then the length is unknown).
        self.raw = encoding in ("", "identity")
        length = response.headers.get("content-length", "") if self.raw else ""
        self.data = bytearray(min(int(length), _MAX_PREALLOCATED) if length.isdecimal() else 0)
        self.size = 0

    def add(self, chunk: bytes) -> None:
        end = self.size + len(chunk)
        self.data[self.size : end] = chunk  # in place, or growing the buffer past its announced size
        self.size = end

    def result(self) -> bytearray:
        if self.size < len(self.data):
            del self.data[self.size :]
        return self.data
