"""File arguments (``image=...``): what callers may pass, checked before anything is sent, read while sending.

A caller may pass, for one file:

- a path (``str`` or ``os.PathLike``): opened for each attempt, so a retry sends the file again from its start;
- ``bytes`` (or ``bytearray``/``memoryview``);
- a binary file object (``open(..., "rb")``, ``io.BytesIO``): read from its current position; a seekable one is
  rewound there for each attempt, a non-seekable one (a pipe, a socket) can be sent once only;
- the official orq-ai-sdk's shape, ``{"file_name": ..., "content": ..., "content_type": ...}``;
- a tuple ``(file_name, content)`` or ``(file_name, content, content_type)`` (httpx's ``files=`` shape);
- a ``File`` (openapi-python-client's record, used by the generated models).

``prepare_upload`` turns any of them into an ``Upload`` and refuses, with ``RequestValidationError`` naming the
argument and the file, what the API does not take: a missing file, a directory, a format other than those
accepted (told apart by the file's first bytes, not its name), a file over the size limit. The content type sent
is the one the bytes show. ``Upload.chunks()`` reads the file in 64 KiB pieces, so an upload is never held in
memory whole.

The API describes one file per argument; a list of files would be one more branch of ``prepare_upload``.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator, Mapping
from typing import IO, Any, Final, NotRequired, Required, TypeAlias, TypedDict

import attrs

from .errors import OrqError, RequestValidationError, UploadNotReplayableError

__all__ = [
    "CHUNK_SIZE",
    "File",
    "FileDict",
    "FileInput",
    "FileRules",
    "FileTypes",
    "Upload",
    "prepare_upload",
    "sniff_content_type",
]

CHUNK_SIZE: Final = 64 * 1024

FileContent: TypeAlias = "IO[bytes] | bytes"
FileTypes: TypeAlias = "tuple[str | None, FileContent, str | None]"
"""What ``File.to_tuple()`` returns (the name openapi-python-client's generated models use)."""


@attrs.define
class File:
    """A file to upload: content, and optionally its name and content type (openapi-python-client's record)."""

    payload: IO[bytes] | bytes
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        return self.file_name, self.payload, self.mime_type


class FileDict(TypedDict):
    """A file as the official orq-ai-sdk takes it."""

    file_name: Required[str]
    content: Required[bytes | IO[bytes]]
    content_type: NotRequired[str]


FileInput: TypeAlias = (
    "str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | FileDict | File"
    " | tuple[str | None, bytes | IO[bytes]] | tuple[str | None, bytes | IO[bytes], str | None]"
)
"""Everything a file argument accepts (see the module docstring)."""

# The formats the image operations take, told apart by their first bytes (their "magic numbers").
_SIGNATURES: Final = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"WEBP", 8, "image/webp", ".webp"),  # RIFF <size> WEBP
)
_HEAD_SIZE: Final = 12


@attrs.frozen
class FileRules:
    """What the API takes for one file argument: content types (from the spec's ``encoding``) and a size limit."""

    accept: tuple[str, ...]
    max_bytes: int | None = None


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes of a file show (PNG, JPEG, WebP), or None."""
    for signature, offset, content_type, _ in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature and (
            content_type != "image/webp" or head[:4] == b"RIFF"
        ):
            return content_type
    return None


def _extension(content_type: str) -> str:
    return next((ext for _, _, known, ext in _SIGNATURES if known == content_type), "")


@attrs.frozen
class Upload:
    """One file argument, checked and ready to send: ``chunks()`` yields its bytes, once per attempt.

    Its content is ``data`` (bytes), ``path`` (reopened for each attempt) or ``stream`` (rewound to ``start``
    for each attempt when ``seekable``; otherwise sent once, ``head`` being the bytes already read from it)."""

    field: str
    file_name: str
    content_type: str
    size: int | None
    """Bytes that will be sent; None for a non-seekable stream (the request is then sent chunked)."""
    data: bytes | None = None
    path: str | None = None
    stream: IO[bytes] | None = None
    seekable: bool = True
    start: int = 0
    head: bytes = b""
    max_bytes: int | None = None
    _passes: list[int] = attrs.field(factory=lambda: [0], eq=False, repr=False)

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes in pieces of at most ``CHUNK_SIZE``, from the start, for one attempt.

        Raises ``UploadNotReplayableError`` at once (not when iterated) for a second pass over a stream that
        cannot be rewound, so a retry stops instead of sending a truncated body."""
        self._passes[0] += 1
        if self.data is not None:
            return _memory_chunks(self.data)
        if self.path is not None:
            return _path_chunks(self.path)
        assert self.stream is not None
        if self.seekable:
            self.stream.seek(self.start)
            return _stream_chunks(self.stream, b"", None)
        if self._passes[0] > 1:
            raise UploadNotReplayableError(
                f"{self.field}: the call was to be sent again, but the file {self.file_name!r} is a stream that "
                "cannot be rewound; pass a path, bytes or a seekable file object to allow retries"
            )
        return _stream_chunks(self.stream, self.head, (self.field, self.file_name, self.max_bytes))


def _memory_chunks(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(view), CHUNK_SIZE):
        yield bytes(view[start : start + CHUNK_SIZE])


def _path_chunks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK_SIZE):
            yield chunk


def _stream_chunks(stream: IO[bytes], head: bytes, limit: tuple[str, str, int | None] | None) -> Iterator[bytes]:
    """``limit``: (field, file name, max bytes) of a stream whose size could not be checked before sending."""
    sent = len(head)
    if head:
        yield head
    while chunk := stream.read(CHUNK_SIZE):
        if not isinstance(chunk, bytes | bytearray):
            raise OrqError(f"a file object given as an upload returned {type(chunk).__name__}, not bytes")
        sent += len(chunk)
        if limit is not None and limit[2] is not None and sent > limit[2]:
            raise RequestValidationError(limit[0], f"a file of at most {limit[2]} bytes", limit[1])
        yield bytes(chunk)


def prepare_upload(field: str, value: object, rules: FileRules) -> Upload:
    """Check one file argument against ``rules`` and return it ready to send (nothing is read beyond its first
    bytes). Raises ``RequestValidationError`` naming ``field`` and the file when the API would not take it."""
    name, content, declared_type = _unpack(field, value)
    del declared_type  # the bytes decide: a name or a declared type can be wrong, the signature cannot
    if isinstance(content, bytes | bytearray | memoryview):
        data = bytes(content)
        return _checked(field, rules, name or "image", data[:_HEAD_SIZE], len(data), data=data)
    if isinstance(content, str | os.PathLike):
        return _from_path(field, rules, os.fspath(content), name)
    if hasattr(content, "read"):
        return _from_stream(field, rules, content, name)
    raise RequestValidationError(field, _EXPECTED, value)


_EXPECTED = "a file: a path, bytes, a binary file object, {'file_name', 'content'} or (name, content[, type])"


def _unpack(field: str, value: object) -> tuple[str | None, Any, str | None]:
    """(file name, content, declared content type) of any accepted input shape."""
    if isinstance(value, File):
        return value.file_name, value.payload, value.mime_type
    if isinstance(value, Mapping):
        if "content" not in value or not set(value) <= {"file_name", "content", "content_type"}:
            raise RequestValidationError(
                field, "a dict with 'content' and optionally 'file_name', 'content_type'", value
            )
        return _optional_str(field, value.get("file_name")), value["content"], value.get("content_type")
    if isinstance(value, tuple):
        if len(value) not in (2, 3):
            raise RequestValidationError(field, "a tuple (file_name, content) or (file_name, content, type)", value)
        return _optional_str(field, value[0]), value[1], value[2] if len(value) == 3 else None
    if isinstance(value, str | os.PathLike | bytes | bytearray | memoryview) or hasattr(value, "read"):
        return None, value, None
    raise RequestValidationError(field, _EXPECTED, value)


def _optional_str(field: str, name: object) -> str | None:
    if name is not None and not isinstance(name, str):
        raise RequestValidationError(field, "a file name (str)", name)
    return name


def _from_path(field: str, rules: FileRules, path: str, name: str | None) -> Upload:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise RequestValidationError(field, f"a file, not the directory {os.path.basename(path)!r}", path)
        with open(path, "rb") as file:
            head = file.read(_HEAD_SIZE)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RequestValidationError(
            field, f"a readable file, not {os.path.basename(path)!r} ({reason})", path
        ) from None
    return _checked(field, rules, name or os.path.basename(path), head, info.st_size, path=path, shown=path)


def _from_stream(field: str, rules: FileRules, stream: Any, name: str | None) -> Upload:
    stream_name = getattr(stream, "name", None)
    shown = name or (stream_name if isinstance(stream_name, str) else repr(stream))
    file_name = name or (os.path.basename(stream_name) if isinstance(stream_name, str) else None)
    if isinstance(stream, io.TextIOBase) or "b" not in str(getattr(stream, "mode", "b")):
        raise RequestValidationError(field, "a file opened in binary mode ('rb')", shown)
    try:
        seekable = bool(stream.seekable()) if hasattr(stream, "seekable") else False
    except (OSError, ValueError):
        seekable = False
    try:
        if seekable:
            start = stream.tell()
            end = stream.seek(0, io.SEEK_END)
            stream.seek(start)
            head = stream.read(_HEAD_SIZE)
            stream.seek(start)
            return _checked(
                field, rules, file_name or "image", head, end - start, stream=stream, start=start, shown=shown
            )
        head = stream.read(_HEAD_SIZE)
    except (OSError, ValueError) as exc:  # closed file, unreadable stream
        raise RequestValidationError(field, f"a readable file object ({exc})", shown) from None
    if not isinstance(head, bytes):
        raise RequestValidationError(field, "a file opened in binary mode ('rb')", shown)
    return _checked(field, rules, file_name or "image", head, None, stream=stream, seekable=False, shown=shown)


def _checked(
    field: str,
    rules: FileRules,
    file_name: str,
    head: bytes,
    size: int | None,
    *,
    shown: object = None,
    data: bytes | None = None,
    path: str | None = None,
    stream: IO[bytes] | None = None,
    seekable: bool = True,
    start: int = 0,
) -> Upload:
    # The message names the file in full; the value (a path, often long) may be shortened when shown.
    shown = file_name if shown is None else shown
    content_type = sniff_content_type(head)
    if content_type is None or content_type not in rules.accept:
        kinds = ", ".join(kind.removeprefix("image/").upper() for kind in rules.accept)
        found = "an empty file" if not head else "not one, by its first bytes"
        raise RequestValidationError(field, f"a {kinds} file; {file_name!r} is {found}", shown)
    if rules.max_bytes is not None and size is not None and size > rules.max_bytes:
        raise RequestValidationError(
            field, f"a file of at most {rules.max_bytes} bytes; {file_name!r} has {size}", shown
        )
    if "." not in file_name:
        file_name += _extension(content_type)
    return Upload(
        field=field,
        file_name=file_name,
        content_type=content_type,
        size=size,
        data=data,
        path=path,
        stream=stream,
        seekable=seekable,
        start=start,
        head=b"" if seekable else head,
        max_bytes=rules.max_bytes,
    )
