"""``ImageMixin``: decode and save the base64 payload of a generated image item; ``ImageFiles``: write the images
of an answer straight to files while the answer arrives (``save_to=``), never holding them in memory.

Both read base64 the same way (``_Base64Decoder``): an optional ``data:...,`` URL prefix, whitespace anywhere,
padding optional at the very end and nowhere else. What one accepts, the other accepts.
"""

from __future__ import annotations

import binascii
import os
import pathlib
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, ClassVar

from .errors import RequestValidationError

if TYPE_CHECKING:
    from .deadline import Deadline
    from .jsonstream import JsonPath
    from .transport import ClientCore

__all__ = ["ImageFiles", "ImageMixin", "SaveTo", "attach_client"]

SaveTo = str | os.PathLike[str] | Callable[[int], str | os.PathLike[str]]
"""Where ``save_to=`` writes image ``i`` of an answer: a path (image 0 there, image ``i`` beside it with ``-i``
after the stem: ``fox.png``, ``fox-1.png``...), or a function of ``i`` returning the path."""

_CHUNK_CHARS = 4 * 1024 * 1024  # a multiple of 4, so every chunk decodes on its own
_WHITESPACE = (" ", "\n", "\r", "\t")
_MAX_DATA_URL_PREFIX = 512
_KEPT_FOR_REPORTS = 1024  # characters of a diverted image kept as received, for an error report
_FILE_PATH = "a file path, or a function of the image index returning one"


class ImageMixin:
    """Methods for the generated image item model.

    The model names the base64 field to decode (``_image_field``, generated from the ``field`` of the operation's
    ``x-sdk-save-to`` hint, so ``save_to=`` and these methods read the same one). Works as a base of attrs
    ``@define`` (slotted) classes. Its slots hold where ``save_to=`` wrote the image (``saved_to``) and the client
    whose answer held the item (which downloads its URL); they are not attrs fields, so equality, ``to_dict``,
    pickles and ``attrs.evolve`` leave them out.
    """

    __slots__ = ("_client", "_saved_to")
    _saved_to: pathlib.Path
    _client: ClientCore
    _image_field: ClassVar[str]

    @property
    def saved_to(self) -> pathlib.Path | None:
        """The file the image was written to while the answer arrived (``create(..., save_to=...)``), else None.

        Such an image was not kept in memory: ``b64_json`` is unset.
        """
        return getattr(self, "_saved_to", None)

    def to_bytes(self) -> bytes:
        """The image bytes: ``b64_json`` decoded, or else the image at ``url`` downloaded (see ``save``).

        Raises ``ValueError`` when the item has neither, or ``b64_json`` is not valid base64 (the rules of
        ``save_to=``: a ``data:`` URL prefix and whitespace are allowed); a failed download raises what a call
        raises (``APIStatusError``, ``APIConnectionError``...)."""
        url = self._url_only()
        if url is not None:
            with _Fetcher(self) as core:
                return core.download(url)
        decoder = _Base64Decoder()
        return decoder.decode(self._base64()) + decoder.finish()

    async def to_bytes_async(self) -> bytes:
        """The ``async`` twin of ``to_bytes``: ``await`` it."""
        url = self._url_only()
        if url is None:
            return self.to_bytes()
        async with _Fetcher(self) as core:
            return await core.download_async(url)

    def save(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """Write the image into the file ``path`` (replacing it) and return the path.

        ``b64_json`` is decoded in 4 MiB pieces straight into a temporary file beside ``path``, which then replaces
        ``path``: memory stays low for large images and a failure leaves any existing file untouched.

        An item with only a ``url`` is downloaded, with the HTTP client of the ``Orq`` client whose answer held it
        (its time limit, retries and ``max_response_bytes``; a new connection when that client is closed, or for an
        item made by hand). The API key is never sent to the image host. URLs expire: save them soon.
        Raises ``ValueError`` when the item has neither, or ``b64_json`` is not valid base64.
        """
        url = self._url_only()
        if url is not None:
            with _Fetcher(self) as core:
                return _write_atomically(pathlib.Path(path), core.download(url))
        data = self._base64()
        target = pathlib.Path(path)
        part = _part_path(target)
        decoder = _Base64Decoder()
        try:  # the part file is made inside: an interrupt right after open() still removes it
            with open(part, "xb") as file:
                for start in range(0, len(data), _CHUNK_CHARS):
                    file.write(decoder.decode(data[start : start + _CHUNK_CHARS]))
                file.write(decoder.finish())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return target

    async def save_async(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """The ``async`` twin of ``save``: ``await`` it (a ``b64_json`` image is decoded as ``save`` does)."""
        url = self._url_only()
        if url is None:
            return self.save(path)
        async with _Fetcher(self) as core:
            return _write_atomically(pathlib.Path(path), await core.download_async(url))

    def _url_only(self) -> str | None:
        """``url`` when the item has no ``b64_json`` (nor was saved by ``save_to=``), else None."""
        data = getattr(self, self._image_field, None)
        url = getattr(self, "url", None)
        if isinstance(data, str) and data or self.saved_to is not None:
            return None
        return url if isinstance(url, str) and url else None

    def _base64(self) -> str:
        """The base64 field as given; ``ValueError`` when there is none."""
        data = getattr(self, self._image_field, None)
        if isinstance(data, str) and data:
            return data
        if self.saved_to is not None:
            raise ValueError(f"this image was written to {self.saved_to} (save_to=) and not kept in memory")
        raise ValueError("this image has no b64_json data nor url: request response_format='b64_json'")


def attach_client(items: object, core: ClientCore) -> None:
    """Let the image items of an answer download their URLs with ``core``, the client that received them."""
    if isinstance(items, list):
        for item in items:
            if isinstance(item, ImageMixin):
                item._client = core


class _Fetcher:
    """The client that downloads an item's URL: the one whose answer held it while it is open; else (closed, or an
    item made by hand) a new short-lived one, with the settings of the first if there was one, closed after."""

    def __init__(self, item: ImageMixin) -> None:
        self._core: ClientCore | None = getattr(item, "_client", None)
        self._made: ClientCore | None = None

    def _client(self) -> ClientCore:
        core = self._core
        if core is not None and not core._closed:
            return core
        from .transport import ClientCore

        settings: dict[str, Any] = {}
        if core is not None:
            settings = {
                "timeout_ms": core._timeout_ms,
                "retry_config": core._retry_config,
                "max_response_bytes": core._max_bytes,
            }
        # No key and no server are needed (a download sends neither); naming them keeps ORQ_* variables unread.
        self._made = ClientCore(
            api_key="not-sent",
            server_url=_UNUSED_SERVER,
            user_agent=_USER_AGENT,
            default_server_url=_UNUSED_SERVER,
            **settings,
        )
        return self._made

    def __enter__(self) -> ClientCore:
        return self._client()

    def __exit__(self, *exc: object) -> None:
        if self._made is not None:
            self._made.close()

    async def __aenter__(self) -> ClientCore:
        return self._client()

    async def __aexit__(self, *exc: object) -> None:
        if self._made is not None:
            await self._made.aclose()


_USER_AGENT = "orq-images"
_UNUSED_SERVER = "http://localhost"


def _write_atomically(target: pathlib.Path, data: bytes) -> pathlib.Path:
    """Write ``data`` to a part file beside ``target``, then put it in place (``os.replace``)."""
    part = _part_path(target)
    try:
        _write_part(part, data)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def _write_part(part: pathlib.Path, data: bytes) -> None:
    """Create the part file ``part`` (a new name: never an existing file) holding ``data``."""
    with open(part, "xb") as file:
        file.write(data)


def _mark_saved(item: ImageMixin, path: pathlib.Path) -> None:
    """Record where ``save_to=`` put ``item``'s image (the slot is this module's to write)."""
    item._saved_to = path


class ImageFiles:
    """The ``save_to=`` of one call (implements the transport's ``Diversion``).

    Before anything is sent, the constructor decides every target: one per image asked for (``expected``: the
    call's ``n``, 1 when unset), each a file path in an existing, writable directory, no two the same. The answer
    decides no paths: a string of an image past ``expected`` is refused without creating a file, and
    ``check_answer`` refuses an answer with more images than that (``SchemaMismatch``: the transport reports a
    ``ResponseValidationError``).

    Each base64 image of the answer (``<items>[i].<field>``, a string) is decoded into a hidden temporary
    ``.part`` file beside its target while it arrives, and left out of the result (its ``b64_json`` is unset).
    Every part file's name is recorded before the file is created, so ``discard`` (a failed attempt, an error, an
    interrupt or a cancelled task at any point) deletes each one that exists.

    With ``url_field`` and a ``downloader`` (``download_urls=True``), ``commit`` first downloads the image of each
    item that has a URL there instead of base64 data into its part file, with the downloader (the client of the
    call, within the call's deadline); a failed download fails the call and discards every part file.

    ``commit`` (the answer is complete and valid) puts all files in place or none (see ``_replace_all``).
    """

    def __init__(
        self,
        save_to: SaveTo,
        *,
        items: str,
        field: str,
        expected: int,
        url_field: str | None = None,
        downloader: ClientCore | None = None,
    ) -> None:
        self._targets = _targets(save_to, expected)
        self._items = items
        self._field = field
        self._url_field = url_field if downloader is not None else None
        self._downloader = downloader
        self._files: dict[int, _Base64File] = {}
        self._downloads: dict[int, pathlib.Path] = {}  # image index -> the part file its URL was downloaded into
        self._temporary: set[pathlib.Path] = set()  # every part (or backup) file this call may have left

    @property
    def expected(self) -> int:
        """How many images the call asked for: the answer may have that many at most."""
        return len(self._targets)

    def target(self, index: int) -> pathlib.Path:
        """Where image ``index`` goes (``IndexError`` past the images asked for)."""
        return self._targets[index]

    def divert(self, path: JsonPath) -> _Base64File | _Refused | None:
        if len(path) != 3 or path[0] != self._items or not isinstance(path[1], int):
            return None
        index = path[1]
        if index >= len(self._targets):
            from .validation import SchemaMismatch

            return _Refused(SchemaMismatch(f"{self._items}[{index}]", self._count_text(), _ANOTHER_IMAGE))
        if path[2] != self._field:
            return None
        if index in self._files:  # the same member twice in one object: the last one counts, as in json.loads
            self._files.pop(index).discard()
        target = self._targets[index]
        part = _part_path(target)
        self._temporary.add(part)  # before the file exists: whatever interrupts from here on, discard() finds it
        file = _Base64File(target, part)
        self._files[index] = file
        return file

    def check_answer(self, data: object) -> None:
        """Refuse a parsed answer with more images than were asked for (before anything is committed)."""
        items = data.get(self._items) if isinstance(data, dict) else None
        if isinstance(items, list) and len(items) > len(self._targets):
            from .validation import SchemaMismatch

            raise SchemaMismatch(self._items, self._count_text(), items)

    def commit(self, result: Any, deadline: Deadline | None = None) -> None:
        """Put every image written by this attempt in place, all or none, and set the items' ``saved_to``; first
        download the URL images, when asked to (within ``deadline``, the call's)."""
        for index, url, part in self._pending_downloads(result):
            assert self._downloader is not None
            _write_part(part, self._downloader.download(url, deadline=deadline))
            self._downloads[index] = part
        self._put_in_place(result)

    async def commit_async(self, result: Any, deadline: Deadline | None = None) -> None:
        """The ``async`` twin of ``commit``."""
        for index, url, part in self._pending_downloads(result):
            assert self._downloader is not None
            _write_part(part, await self._downloader.download_async(url, deadline=deadline))
            self._downloads[index] = part
        self._put_in_place(result)

    def _pending_downloads(self, result: Any) -> list[tuple[int, str, pathlib.Path]]:
        """``(index, url, part file)`` of each item to download: its URL, no base64 data diverted. The part files'
        names are recorded (for ``discard``) before any is created."""
        if self._url_field is None:
            return []
        items: Sequence[Any] = getattr(result, self._items, None) or ()
        pending = []
        for index, item in enumerate(items[: len(self._targets)]):
            url = getattr(item, self._url_field, None)
            if index in self._files or not isinstance(url, str) or not url:
                continue
            if isinstance(getattr(item, self._field, None), str):  # the base64 data was kept (not diverted)
                continue
            part = _part_path(self._targets[index])
            self._temporary.add(part)
            pending.append((index, url, part))
        return pending

    def _put_in_place(self, result: Any) -> None:
        items: Sequence[Any] = getattr(result, self._items, None) or ()
        written = {index: file.part for index, file in self._files.items() if not file.discarded}
        written.update(self._downloads)
        moves = [(written[index], self._targets[index]) for index in sorted(written) if index < len(items)]
        try:
            _replace_all(moves, self._temporary)
        finally:
            self.discard()  # what was not moved: files of items the result does not have
        for index in sorted(written):
            if index < len(items):
                _mark_saved(items[index], self._targets[index])

    def discard(self) -> None:
        """Delete every part file of this call (a failed attempt); safe to call again."""
        for file in self._files.values():
            file.discard()
        self._files.clear()
        self._downloads.clear()
        for path in list(self._temporary):
            path.unlink(missing_ok=True)
            self._temporary.discard(path)

    def _count_text(self) -> str:
        count = len(self._targets)
        return f"at most {count} image{'' if count == 1 else 's'} (as many as were asked for with n)"


def _targets(save_to: SaveTo, expected: int) -> tuple[pathlib.Path, ...]:
    """The target of each image ``0 <= i < expected``, checked: ``RequestValidationError`` (before sending) for a
    path that is a directory, in a directory that is missing or not writable, or the same as another image's."""
    if not isinstance(expected, int) or isinstance(expected, bool) or expected < 1:
        raise RequestValidationError("n", "a number of images >= 1", expected)
    if callable(save_to):
        targets = [_returned_path(save_to(index)) for index in range(expected)]
    elif isinstance(save_to, (str, os.PathLike)) and str(save_to):
        path = pathlib.Path(save_to)
        targets = [path] + [path.with_stem(f"{path.stem}-{index}") for index in range(1, expected)]
    else:
        raise RequestValidationError("save_to", _FILE_PATH, save_to)
    seen: dict[pathlib.Path, int] = {}
    for index, target in enumerate(targets):
        if target.is_dir():
            raise RequestValidationError("save_to", "a file path, not a directory", _shown(save_to, target))
        if not target.parent.is_dir():
            raise RequestValidationError("save_to", "a file path in an existing directory", _shown(save_to, target))
        if not os.access(target.parent, os.W_OK | os.X_OK):
            raise RequestValidationError("save_to", "a file path in a writable directory", _shown(save_to, target))
        # The directory resolved, not the file: two symlinks are two targets (each is replaced, not written through).
        earlier = seen.setdefault(target.parent.resolve() / target.name, index)
        if earlier != index:
            raise RequestValidationError(
                "save_to", f"a different file for each image (images {earlier} and {index} both go to)", target
            )
    return tuple(targets)


def _returned_path(path: object) -> pathlib.Path:
    if isinstance(path, (str, os.PathLike)) and str(path):
        return pathlib.Path(path)
    raise RequestValidationError("save_to", "a function of the image index returning a file path", path)


def _shown(save_to: SaveTo, target: pathlib.Path) -> object:
    """The value an error about ``target`` shows: what the caller passed, or the path their function returned."""
    return target if callable(save_to) else save_to


def _part_path(target: pathlib.Path) -> pathlib.Path:
    """A new hidden name beside ``target`` for the file that becomes it: ``.fox.png.<12 hex>.part``."""
    return _hidden_beside(target, "part")


def _hidden_beside(target: pathlib.Path, suffix: str) -> pathlib.Path:
    return target.with_name(f".{target.name}.{os.urandom(6).hex()}.{suffix}")


def _replace_all(moves: Sequence[tuple[pathlib.Path, pathlib.Path]], temporary: set[pathlib.Path]) -> None:
    """Move each ``(part, target)`` into place: all of them, or (an error, an interrupt) none.

    Why this design: checking every target first and then replacing them one by one still loses files when the
    third replace fails (a directory appeared there, a disk error) or Ctrl-C arrives after the first. So each
    existing target is first kept as a hidden ``.bak`` hard link beside it (no copy, and the target never goes
    missing), then the parts replace the targets with ``os.replace`` (atomic on POSIX and Windows). On any failure
    every replaced target gets its backup back (again an atomic replace) and a target that did not exist before is
    removed. Each step is recorded before it is taken, so an interrupt between a step and its record is undone
    too. Where hard links are not available (some file systems, ``fs.protected_hardlinks``) the existing file is
    moved aside instead: the target is then missing for a moment, but restored the same way. Only a second
    interrupt during the restore, or the process being killed, can leave a ``.bak`` file behind (kept on
    purpose: it may be the only copy of an older image). Once every part is in place the backups join
    ``temporary`` (the files the caller deletes when a call fails) before they are deleted here, so an interrupt
    from then on leaves nothing behind either.
    """
    undo: list[tuple[pathlib.Path, pathlib.Path | None]] = []  # (target, its backup, or None: there was no file)
    try:
        for part, target in moves:
            backup = _hidden_beside(target, "bak")
            undo.append((target, backup))
            if not _back_up(target, backup):
                undo[-1] = (target, None)
            os.replace(part, target)
        temporary.update(kept for _, kept in undo if kept is not None)  # inside: an interrupt before it restores
    except BaseException:
        for target, kept in reversed(undo):
            try:
                if kept is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(kept, target)
                    kept.unlink(missing_ok=True)  # rename() does nothing when both are links to one file
            except FileNotFoundError:  # the backup was never made: the target is as it was
                pass
        raise
    for _, kept in undo:
        if kept is not None:
            kept.unlink(missing_ok=True)
            temporary.discard(kept)


def _back_up(target: pathlib.Path, backup: pathlib.Path) -> bool:
    """Keep the file at ``target`` as ``backup``; False when there is none. A directory is refused."""
    if target.is_dir():
        raise IsADirectoryError(21, "save_to: a directory is in the way of an image", str(target))
    try:
        os.link(target, backup, follow_symlinks=False)
    except FileNotFoundError:
        return False
    except OSError:  # no hard links here: move the file aside instead
        try:
            os.replace(target, backup)
        except FileNotFoundError:
            return False
    return True


class _Base64Decoder:
    """Base64 text in pieces -> bytes: a ``data:...,`` prefix, whitespace, and optional padding at the end.

    Raises ``ValueError`` naming the problem; a piece it refuses is not taken (the decoder is as before)."""

    __slots__ = ("padded", "pending", "prefix", "started")

    def __init__(self) -> None:
        self.prefix = ""  # the data: URL prefix, if any
        self.pending = ""  # text not decoded yet: fewer than 4 characters, or the start of a data: URL
        self.started = False  # past a data: URL prefix, if any
        self.padded = False  # "=" padding was seen: nothing may follow

    def decode(self, text: str) -> bytes:
        """The bytes of the next piece (the last 0-3 characters wait for the next piece or ``finish``)."""
        text = self.pending + text if self.pending else text
        prefix = ""
        if not self.started:
            if text.startswith("data:"):
                comma = text.find(",")
                if comma < 0:
                    if len(text) > _MAX_DATA_URL_PREFIX:
                        raise _not_base64("a data: URL without a comma")
                    self.pending = text
                    return b""
                prefix, text = text[: comma + 1], text[comma + 1 :]
            elif "data:".startswith(text):
                self.pending = text
                return b""
        if any(space in text for space in _WHITESPACE):
            text = "".join(text.split())
        whole = len(text) - len(text) % 4
        data = self._decode(text[:whole] if whole < len(text) else text)
        self.prefix += prefix
        self.started = True
        self.pending = text[whole:]
        return data

    def finish(self) -> bytes:
        """The text ended: the bytes of what is left (padding it)."""
        if not self.started and self.pending.startswith("data:"):
            raise _not_base64("a data: URL without a comma")
        pending, self.pending, self.started = self.pending, "", True
        return self._decode(pending + "=" * (-len(pending) % 4)) if pending else b""

    def _decode(self, text: str) -> bytes:
        if not text:
            return b""
        if self.padded:
            raise _not_base64("data after the padding")
        try:
            data = binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise _not_base64(str(exc)) from None
        self.padded = text.endswith("=")
        return data


def _not_base64(reason: str) -> ValueError:
    return ValueError(f"b64_json is not valid base64: {reason}")


class _Base64File:
    """A ``jsonstream.Sink``: base64 text in, decoded bytes out into the part file ``part`` (made here), which
    ``commit`` moves to ``target``. Only the first ``_KEPT_FOR_REPORTS`` characters are kept in memory."""

    def __init__(self, target: pathlib.Path, part: pathlib.Path) -> None:
        self.target = target
        self.part = part
        self.discarded = False
        self._decoder = _Base64Decoder()
        self._head = ""  # the first characters as received, for text()
        self._length = 0  # characters received
        self._file: IO[bytes] | None = open(part, "xb")  # noqa: SIM115  # closed by close() or discard()

    def write(self, text: str) -> None:
        """Decode the next piece into the file. When it is refused (``ValueError``), none of it was taken."""
        data = self._decoder.decode(text)
        assert self._file is not None
        self._file.write(data)
        if len(self._head) < _KEPT_FOR_REPORTS:
            self._head += text[: _KEPT_FOR_REPORTS - len(self._head)]
        self._length += len(text)

    def close(self) -> None:
        """The string ended: decode what is left (padding it) and close the file."""
        data = self._decoder.finish()
        if self._file is not None:
            self._file.write(data)
            self._file.close()
            self._file = None

    def text(self) -> str:
        """The string for an error report, without reading the file back: as received when it is short, else its
        first characters and a note of its length (``<... 27962028 characters of image data not kept>``)."""
        if self._length <= _KEPT_FOR_REPORTS:
            return self._head
        return f"{self._head}<... {self._length} characters of image data not kept (save_to=)>"

    def discard(self) -> None:
        """Delete the part file (a failed call, or a string the parsed answer does not keep)."""
        self.discarded = True
        if self._file is not None:
            self._file.close()
            self._file = None
        self.part.unlink(missing_ok=True)


_NOT_KEPT = "<not read: the answer has more images than were asked for>"


class _AnotherImage:
    """The value an error shows for an image past those asked for (never read)."""

    def __repr__(self) -> str:
        return "another image"


_ANOTHER_IMAGE = _AnotherImage()


class _Refused:
    """A ``jsonstream.Sink`` for a string the answer must not have (an image past the images asked for): refuses
    its content without creating anything."""

    def __init__(self, error: ValueError) -> None:
        self._error = error

    def write(self, text: str) -> None:
        raise self._error

    def close(self) -> None:
        raise self._error

    def text(self) -> str:
        return _NOT_KEPT

    def discard(self) -> None:
        pass
