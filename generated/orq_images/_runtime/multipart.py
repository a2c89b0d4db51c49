"""``multipart/form-data`` request bodies, encoded as the API's description says (its ``encoding`` object).

Each body property becomes parts according to its ``FormField`` (generated from the spec):

- ``text``: one part with the value as text (``str(2)`` is ``2``: an int stays an int, a bool is ``true``); an array
  of scalars gives one part per item, all with the field's part name (``fallback_on_codes[]``);
- ``json``: one part, ``Content-Type: application/json``, with the value as compact JSON;
- ``file``: one part with ``filename`` and the content type its bytes show, read from the ``Upload`` in pieces.

Parts go in the order orq-ai-sdk sends them: text fields, then files, then JSON parts, each in declared order.
A ``None`` value sends no part: a form field has no null (orq-ai-sdk drops it too).

Why not httpx2's own encoder (``files=``/``data=``, ``httpx2._multipart``): it is private API; it rewinds a file to
position 0 rather than where the caller's data starts, and silently sends a truncated body again when a stream
cannot be rewound; it guesses content types from file names; and a body given to ``Client.build_request`` must
be a new stream per attempt anyway. Writing the framing here is a few lines (RFC 7578), and ``MultipartBody``
gives the transport a fresh stream for each attempt, with the length known up front (no chunked encoding) unless
a file is a non-seekable stream.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Literal, Protocol

import attrs

from .errors import RequestValidationError
from .uploads import FileRules, Upload, prepare_upload
from .validation import MISSING

__all__ = ["FormField", "MultipartBody", "RequestBody", "encode_form", "prepare_files"]


class RequestBody(Protocol):
    """A request body other than JSON, as the transport sends it: its Content-Type, its length when known, and
    its bytes, from the start, once per attempt (``chunks`` may raise when the body cannot be sent again)."""

    @property
    def content_type(self) -> str: ...

    @property
    def content_length(self) -> int | None: ...

    def chunks(self) -> Iterator[bytes]: ...

    def achunks(self) -> AsyncIterator[bytes]: ...


@attrs.frozen
class FormField:
    """How one body property goes on the wire (from the operation's ``encoding`` in the API description)."""

    name: str
    kind: Literal["text", "json", "file"]
    part_name: str = attrs.field()
    required: bool = False
    rules: FileRules | None = None

    @part_name.default
    def _same_name(self) -> str:
        return self.name


def prepare_files(arguments: dict[str, object], form: Sequence[FormField]) -> dict[str, Upload]:
    """Take the file arguments out of ``arguments`` and check them (``RequestValidationError`` names the first
    one the API would not take, or a required one that is missing)."""
    uploads: dict[str, Upload] = {}
    for field in form:
        if field.kind != "file":
            continue
        value = arguments.pop(field.name, None)
        if value is None:
            if field.required:
                raise RequestValidationError(field.name, "a file (required)", MISSING)
            continue
        assert field.rules is not None
        uploads[field.name] = prepare_upload(field.name, value, field.rules)
    return uploads


def encode_form(
    values: Mapping[str, object], uploads: Mapping[str, Upload], form: Sequence[FormField]
) -> MultipartBody:
    """The body of checked ``values`` (JSON-ready, as ``validation.prepare`` returns them) and ``uploads``."""
    parts: list[_Part] = []
    for kind in ("text", "file", "json"):
        for field in form:
            if field.kind != kind:
                continue
            if kind == "file":
                upload = uploads.get(field.name)
                if upload is not None:
                    parts.append(_Part(_headers(field.part_name, upload.file_name, upload.content_type), upload))
                continue
            value = values.get(field.name)
            if value is None:
                continue
            if kind == "json":
                parts.append(_Part(_headers(field.part_name, None, "application/json"), _json(value)))
            elif isinstance(value, list | tuple):
                parts.extend(_Part(_headers(field.part_name), _text(item)) for item in value if item is not None)
            else:
                parts.append(_Part(_headers(field.part_name), _text(value)))
    return MultipartBody(tuple(parts))


@attrs.frozen
class _Part:
    headers: bytes
    content: bytes | Upload


class MultipartBody:
    """A ``multipart/form-data`` body: a new boundary per body, parts streamed for each attempt."""

    __slots__ = ("_boundary", "_parts", "content_length", "content_type")

    def __init__(self, parts: Sequence[_Part], boundary: str | None = None) -> None:
        self._parts = tuple(parts)
        self._boundary = (boundary or secrets.token_hex(16)).encode("ascii")
        self.content_type = f"multipart/form-data; boundary={self._boundary.decode()}"
        length: int | None = len(self._boundary) + 6  # --boundary--\r\n
        for part in self._parts:
            size = len(part.content) if isinstance(part.content, bytes) else part.content.size
            length = (
                None
                if length is None or size is None
                else length + len(self._boundary) + 4 + len(part.headers) + size + 2
            )
        self.content_length = length

    def __repr__(self) -> str:
        return f"<MultipartBody {len(self._parts)} parts, {self.content_length} bytes>"

    def chunks(self) -> Iterator[bytes]:
        """The whole body, once; the file parts are opened (or rewound) here, so a failure shows before sending."""
        pieces = [
            (part.headers, part.content if isinstance(part.content, bytes) else part.content.chunks())
            for part in self._parts
        ]
        return self._frame(pieces)

    def achunks(self) -> AsyncIterator[bytes]:
        """``chunks()`` for an async client (files are read in 64 KiB blocking reads, as httpx2 does its own)."""
        return _async_chunks(self.chunks())

    def _frame(self, pieces: list[tuple[bytes, bytes | Iterator[bytes]]]) -> Iterator[bytes]:
        delimiter = b"--" + self._boundary + b"\r\n"
        for headers, content in pieces:
            yield delimiter + headers
            if isinstance(content, bytes):
                yield content
            else:
                yield from content
            yield b"\r\n"
        yield b"--" + self._boundary + b"--\r\n"


async def _async_chunks(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def _headers(name: str, file_name: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'Content-Disposition: form-data; name="{_quoted(name)}"'
    if file_name is not None:
        disposition += f'; filename="{_quoted(file_name)}"'
    lines = [disposition] if content_type is None else [disposition, f"Content-Type: {content_type}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def _quoted(text: str) -> str:
    """A name or file name inside a quoted header parameter, escaped as HTML forms do (WHATWG)."""
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _text(value: object) -> bytes:
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, dict | list):
        return _json(value)
    return str(value).encode("utf-8")


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
