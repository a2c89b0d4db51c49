"""``JsonReader``: parse a UTF-8 JSON body while its chunks arrive, without ever holding a long string twice.

Read the plain way, a 20 MiB ``b64_json`` image exists twice at the peak: once in the document text and once as
the parsed string. Here everything except long strings is collected into a small *skeleton* that ``json`` parses
at the end. The content of a string that grows past ``long_string`` bytes is decoded piece by piece as it
arrives and appended to one ``str``: CPython grows a string that nothing else refers to in place (``value +=
piece`` on a local variable), so no joined copy is made and the payload is held about once. The skeleton keeps a
marker where the string was, and the parsed document gets the string back. (Under a trace function, such as
coverage or a debugger, CPython 3.11 runs unspecialized bytecode that copies instead: about twice the payload.)

A ``divert`` function can instead send the content of a string to a ``Sink`` (a file, say), chosen by where
the string sits in the document (``("data", 0, "b64_json")``); such a string is left out of the document
(its object key is dropped) and is never held in memory at all.

Everything ``json.loads`` rejects is rejected here too (as ``ValueError``), at the latest by ``json()``, and
``raw()`` rebuilds the body for an error report.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Generator
from json.decoder import scanstring  # type: ignore[attr-defined]  # c_scanstring or py_scanstring
from typing import Protocol

__all__ = ["LONG_STRING", "JsonPath", "JsonReader", "Sink"]

LONG_STRING = 64 * 1024
"""Strings with more content bytes than this are built piece by piece instead of through the skeleton."""

_PIECE = 64 * 1024
"""The most bytes read at a time (the size of the reads of httpx2 and aiohttp)."""

JsonPath = tuple[str | int | None, ...]
"""Where a value sits: object keys and array indexes from the top (``None``: an object key not known)."""

# String content up to the closing quote: runs of plain bytes and escape pairs. It stops early only at a
# backslash that is the last byte of a chunk (its pair comes with the next chunk).
_CONTENT = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.S)
_STRUCTURE = re.compile(rb"[][{}:,]")
_QUOTE = 0x22
_BACKSLASH = 0x5C


class Sink(Protocol):
    """Where a diverted string's content goes, in pieces of decoded text."""

    def write(self, text: str) -> None:
        """Take the next piece; raise ``ValueError`` when the content is not acceptable."""

    def close(self) -> None:
        """The string ended; raise ``ValueError`` when what was written is not acceptable as a whole."""

    def text(self) -> str:
        """What was written so far, as text again (for an error report)."""

    def discard(self) -> None:
        """The string is not in the parsed document after all: an object member that a later one of the same
        name replaced (``json.loads`` keeps the last)."""


Divert = Callable[[JsonPath], Sink | None]


class JsonReader:
    """One JSON body, fed in chunks of UTF-8 bytes (``feed``), then parsed (``json``).

    A ``ValueError`` found while reading (bytes that are not UTF-8, a control character or a bad escape in a
    long string, a sink refusing its content) is kept and raised by ``json()``; the rest of the body is then
    only collected, for ``raw()``. Other exceptions (from a sink writing a file) propagate from ``feed``.
    """

    def __init__(self, divert: Divert | None = None, *, long_string: int = LONG_STRING) -> None:
        self._skeleton = bytearray()
        self._marker = f"orq-images:long-string:{os.urandom(8).hex()}:"
        self._strings: dict[str, str | Sink] = {}  # marker -> the string, or the sink that took it
        self._error: ValueError | None = None
        self._steps = self._read(divert, long_string)
        next(self._steps)

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the body."""
        # A large chunk (bodies hands over the first megabyte at once) is read in pieces: the copies made while
        # decoding stay small, so that the allocator does not keep megabytes of freed heap beside the payload.
        for start in range(0, len(chunk), _PIECE):
            self._steps.send(chunk[start : start + _PIECE])

    def json(self) -> object:
        """The body is complete: the parsed document, long strings in place and diverted ones left out.

        Raises ``ValueError`` (``json.JSONDecodeError``, ``UnicodeDecodeError``, or a sink's) when the body is not
        JSON or a sink refused its content.
        """
        self._steps.close()  # a string still open stays unterminated in the skeleton: json.loads reports it
        if self._error is not None:
            raise self._error
        data = json.loads(self._skeleton)
        if not self._strings:
            return data
        found: set[str] = set()
        data = _restore(data, self._strings, self._marker, found)
        for marker, string in self._strings.items():
            if marker not in found and not isinstance(string, str):
                string.discard()
        return data

    def raw(self) -> bytes:
        """The body as received, rebuilt: long and diverted strings are encoded again (equal JSON, though escape
        sequences may be written differently). For error reports only: it makes a full copy."""
        raw = bytes(self._skeleton)
        for marker, string in self._strings.items():
            text = string if isinstance(string, str) else string.text()
            content = json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass")
            raw = raw.replace(marker.encode(), content, 1)
        return raw

    # -- the reading loop: a generator fed by ``feed``, made of one sub-generator per part of the body -------------

    def _read(self, divert: Divert | None, long_string: int) -> Generator[None, bytes, None]:
        """The whole body: structure up to a string's opening quote, then the string, and again."""
        body = _Input()
        stack: list[_Frame] = []  # open objects and arrays, tracked only when there is a ``divert`` to ask
        try:
            while True:
                yield from self._structure(body, stack, divert)
                yield from self._string(body, stack, divert, long_string)
        except GeneratorExit:  # the body ended
            self._skeleton += body.carry  # json.loads reports a string or an escape left open

    def _structure(self, body: _Input, stack: list[_Frame], divert: Divert | None) -> Generator[None, bytes, None]:
        """Copy the body into the skeleton up to and including the next opening quote (following the structure
        of objects and arrays when there is a ``divert`` to ask)."""
        while True:
            chunk, pos = body.chunk, body.pos
            quote = chunk.find(b'"', pos)
            stop = len(chunk) if quote < 0 else quote + 1
            if divert is not None:
                _track(stack, chunk, pos, stop)
            self._skeleton += chunk[pos:stop]
            body.pos = stop
            if quote >= 0:
                return
            yield from body.next_chunk()

    def _string(
        self, body: _Input, stack: list[_Frame], divert: Divert | None, long_string: int
    ) -> Generator[None, bytes, None]:
        """One string, from after its opening quote to after its closing quote: short ones go into the skeleton,
        long and diverted ones are kept aside and leave a marker there."""
        is_key = bool(stack) and stack[-1].expects_key
        sink = divert(tuple(frame.position for frame in stack)) if divert is not None and not is_key else None
        if sink is None:
            start = len(self._skeleton)
            content = yield from self._short_string(body, start, long_string)
            if content is None:
                if is_key:
                    stack[-1].position = _key(self._skeleton[start - 1 :])
                self._skeleton.append(_QUOTE)
                return
            closed = False
        else:
            content, closed = body.string_piece()
        long_string_steps = self._long_string(body, content, closed, sink)
        del content  # the string's first piece (up to a megabyte) belongs to _long_string from here on
        value = yield from long_string_steps
        if sink is None and is_key:
            stack[-1].position = value  # a long object key, once in a while
        self._keep(value if sink is None else sink)
        self._skeleton.append(_QUOTE)

    def _short_string(self, body: _Input, start: int, long_string: int) -> Generator[None, bytes, bytes | None]:
        """Copy a string's content into the skeleton (from ``start``) while it stays short. Returns ``None`` once it
        closed so (its closing quote not written), or its content so far, taken out of the skeleton, once it has
        grown past ``long_string`` bytes without closing."""
        skeleton = self._skeleton
        while True:
            content, closed = body.string_piece()
            if not closed and len(skeleton) - start + len(content) > long_string:
                content = bytes(skeleton[start:]) + content
                del skeleton[start:]
                return content
            skeleton += content
            if closed:
                return None
            yield from body.next_chunk()

    def _long_string(
        self, body: _Input, content: bytes, closed: bool, sink: Sink | None
    ) -> Generator[None, bytes, str]:
        """Decode a long string's content piece by piece, from ``content`` on, into one ``str`` (returned when the
        string closes) or into ``sink``. ``value`` grows in place: nothing but this frame refers to it. A
        ``ValueError`` (bad UTF-8 or escape, a sink refusing) ends the reading: see ``_rest``."""
        value = ""
        try:
            while True:
                if not closed:
                    cut = _safe_cut(content)
                    if cut < len(content):
                        content, body.carry = content[:cut], content[cut:] + body.carry
                try:
                    text = _decode(content)
                    if sink is None:
                        value += text
                    else:
                        sink.write(text)
                except ValueError as exc:  # nothing of ``content`` was taken
                    error = exc
                    break
                content = b""
                if closed and sink is not None:
                    try:
                        sink.close()
                    except ValueError as exc:
                        error = exc
                        break
                if closed:
                    return value
                yield from body.next_chunk()
                content, closed = body.string_piece()
        except GeneratorExit:  # the body ended inside the string: keep what came of it, for raw()
            self._keep(value if sink is None else sink)
            raise
        self._error = error
        self._keep(value if sink is None else sink)
        del value
        # The rest of the body is only kept, for raw(); json() raises the error.
        self._skeleton += content + (body.chunk[body.pos - 1 :] if closed else body.carry)
        body.carry = b""
        yield from self._rest()
        raise AssertionError("unreachable: _rest() ends only when the body does")  # pragma: no cover

    def _rest(self) -> Generator[None, bytes, None]:
        """Keep every further chunk as it is, until the body ends."""
        while True:
            self._skeleton += yield

    def _keep(self, string: str | Sink) -> None:
        """Put a marker for a long or diverted string into the skeleton."""
        marker = f"{self._marker}{len(self._strings)}"
        self._strings[marker] = string
        self._skeleton += marker.encode()


class _Input:
    """The chunk being read and the position in it; ``carry``: bytes held back for the next chunk (a cut escape,
    UTF-8 sequence or surrogate pair)."""

    __slots__ = ("carry", "chunk", "pos")

    def __init__(self) -> None:
        self.chunk = b""
        self.pos = 0
        self.carry = b""

    def next_chunk(self) -> Generator[None, bytes, None]:
        """Wait for the next chunk (after what was carried over)."""
        chunk = yield
        if self.carry:
            chunk, self.carry = self.carry + chunk, b""
        self.chunk, self.pos = chunk, 0

    def string_piece(self) -> tuple[bytes, bool]:
        """The string content in the rest of the chunk, and whether the string closes there; moves past both, and
        past the closing quote. A backslash that ends the chunk is carried over (its pair is in the next one)."""
        chunk, pos = self.chunk, self.pos
        end = _content_end(chunk, pos)
        closed = end < len(chunk)
        if closed and chunk[end] != _QUOTE:
            closed, self.carry = False, chunk[end:]
        self.pos = end + 1 if closed else len(chunk)
        return chunk[pos:end], closed


class _Frame:
    """An open object (``position``: the current key) or array (``position``: the current index)."""

    __slots__ = ("expects_key", "is_object", "position")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.expects_key = is_object
        self.position: str | int | None = None if is_object else 0


def _track(stack: list[_Frame], chunk: bytes, pos: int, stop: int) -> None:
    """Follow the structure characters of ``chunk[pos:stop]`` (outside strings). Malformed JSON is not an error
    here (``json.loads`` of the skeleton reports it); the stack only has to stay usable."""
    for match in _STRUCTURE.finditer(chunk, pos, stop):
        char = match[0]
        if char == b"{" or char == b"[":
            stack.append(_Frame(char == b"{"))
        elif not stack:
            continue
        elif char == b"}" or char == b"]":
            stack.pop()
        elif char == b":":
            stack[-1].expects_key = False
        elif stack[-1].is_object:  # ","
            stack[-1].expects_key = True
            stack[-1].position = None
        elif isinstance(stack[-1].position, int):
            stack[-1].position += 1


def _content_end(chunk: bytes, pos: int) -> int:
    """Where the string content from ``pos`` ends: at its closing quote, at a backslash that ends the chunk (its
    pair is in the next one), or at the end of the chunk."""
    quote = chunk.find(b'"', pos)
    stop = len(chunk) if quote < 0 else quote
    if chunk.find(b"\\", pos, stop) < 0:  # the usual case, and much faster than the expression
        return stop
    return _CONTENT.match(chunk, pos).end()  # type: ignore[union-attr]  # it matches the empty string


def _key(quoted: bytearray) -> str | None:
    """An object key (opening quote and content, no closing quote), or ``None`` when it is not valid JSON."""
    try:
        key = json.loads(quoted + b'"')
    except ValueError:
        return None
    return key if isinstance(key, str) else None


def _safe_cut(content: bytes) -> int:
    """Where ``content`` (string content whose escape pairs are complete) can be cut so that both sides decode
    to the same text as the whole: not inside a ``\\uXXXX`` escape, not between the escapes of a surrogate pair,
    not inside a UTF-8 sequence."""
    size = len(content)
    escape = content.rfind(b"\\u", max(0, size - 6))
    if escape >= 0 and _starts_escape(content, escape):
        if size - escape < 6 or (content[escape + 2] in b"dD" and content[escape + 3] in b"89abAB"):
            return escape  # cut short, or a high surrogate that its low half may follow
        return size
    cut = size
    while cut > 0 and size - cut < 3 and content[cut - 1] & 0xC0 == 0x80:  # continuation bytes
        cut -= 1
    if cut > 0 and content[cut - 1] >= 0xC0:  # a lead byte: is its sequence complete?
        lead = content[cut - 1]
        needed = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if size - (cut - 1) < needed:
            return cut - 1
    return size


def _starts_escape(content: bytes, index: int) -> bool:
    """Whether the backslash at ``index`` starts an escape (it is not the second half of ``\\\\``)."""
    before = index
    while before > 0 and content[before - 1] == _BACKSLASH:
        before -= 1
    return (index - before) % 2 == 0


def _decode(content: bytes) -> str:
    """Decode a piece of string content (UTF-8, JSON escapes) as ``json.loads`` would."""
    if not content:
        return ""
    return scanstring(content.decode("utf-8", "surrogatepass") + '"', 0, True)[0]  # type: ignore[no-any-return]


def _restore(item: object, strings: dict[str, str | Sink], marker: str, found: set[str]) -> object:
    """Put the long strings back where their markers are; drop diverted ones (object members, or ``None``).
    Adds the markers met to ``found``. (A plain recursive function: a nested one that calls itself is a reference
    cycle, which would keep ``strings``, the payload, alive until the garbage collector runs.)"""
    if isinstance(item, str):
        if item.startswith(marker):
            found.add(item)
            string = strings[item]
            return string if isinstance(string, str) else None
        return item
    if isinstance(item, list):
        return [_restore(element, strings, marker, found) for element in item]
    if isinstance(item, dict):
        restored = {}
        for key, element in item.items():
            if isinstance(element, str) and element.startswith(marker) and not isinstance(strings[element], str):
                found.add(element)
                continue
            restored[_restore(key, strings, marker, found)] = _restore(element, strings, marker, found)
        return restored
    return item
