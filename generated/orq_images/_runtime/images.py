"""``ImageMixin``: decode and save the base64 payload of a generated image item; ``ImageFiles``: write the images
of an answer straight to files while the answer arrives (``save_to=``), never holding them in memory."""

from __future__ import annotations

import binascii
import os
import pathlib
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from .errors import RequestValidationError

if TYPE_CHECKING:
    from .jsonstream import JsonPath

__all__ = ["ImageFiles", "ImageMixin", "SaveTo"]

SaveTo = str | os.PathLike[str] | Callable[[int], str | os.PathLike[str]]
"""Where ``save_to=`` writes image ``i`` of an answer: a path (image 0 there, image ``i`` beside it with ``-i``
after the stem: ``fox.png``, ``fox-1.png``...), or a function of ``i`` returning the path."""

_CHUNK_CHARS = 4 * 1024 * 1024  # a multiple of 4, so every chunk decodes on its own
_WHITESPACE = (" ", "\n", "\r", "\t")


class ImageMixin:
    """Methods for the generated image item model (attributes ``b64_json``, ``url``, ``revised_prompt``).

    Works as a base of attrs ``@define`` (slotted) classes. Its one slot holds where ``save_to=`` wrote the image
    (``saved_to``); it is not an attrs field, so equality, ``to_dict`` and ``attrs.evolve`` leave it out.
    """

    __slots__ = ("_saved_to",)

    @property
    def saved_to(self) -> pathlib.Path | None:
        """The file the image was written to while the answer arrived (``create(..., save_to=...)``), else None.

        Such an image was not kept in memory: ``b64_json`` is unset.
        """
        return getattr(self, "_saved_to", None)

    def to_bytes(self) -> bytes:
        """The decoded image bytes. Raises ``ValueError`` when the item carries no ``b64_json`` (only a URL)."""
        data = self._base64()  # raises its own ValueError when there is no b64_json
        try:
            return binascii.a2b_base64(data, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"b64_json is not valid base64: {exc}") from None

    def save(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """Decode the image into the file ``path`` (replacing it) and return the path.

        The payload is decoded in 4 MiB pieces straight into a temporary file beside ``path``, which then replaces
        ``path``: memory stays low for large images and a failure leaves any existing file untouched.
        Raises ``ValueError`` when the item carries no ``b64_json`` (only a URL) or it is not valid base64.
        """
        data = self._base64()
        target = pathlib.Path(path)
        partial = target.with_name(f".{target.name}.{os.urandom(6).hex()}.part")
        try:
            with open(partial, "xb") as file:
                for start in range(0, len(data), _CHUNK_CHARS):
                    file.write(binascii.a2b_base64(data[start : start + _CHUNK_CHARS], strict_mode=True))
            os.replace(partial, target)
        except (binascii.Error, ValueError) as exc:
            partial.unlink(missing_ok=True)
            raise ValueError(f"b64_json is not valid base64: {exc}") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return target

    def _base64(self) -> str:
        """``b64_json`` without a ``data:`` URL prefix or whitespace, padded; ``ValueError`` when there is none."""
        data = getattr(self, "b64_json", None)
        if not isinstance(data, str) or not data:
            if self.saved_to is not None:
                raise ValueError(f"this image was written to {self.saved_to} (save_to=) and not kept in memory")
            url = getattr(self, "url", None)
            hint = (
                f"the API returned a URL instead ({url}); download it, or request response_format='b64_json'"
                if isinstance(url, str)
                else "request response_format='b64_json' to receive the image data"
            )
            raise ValueError(f"this image has no b64_json data: {hint}")
        if data.startswith("data:"):
            data = data.partition(",")[2]
        if any(space in data for space in _WHITESPACE):
            data = "".join(data.split())
        return data + "=" * (-len(data) % 4)


class ImageFiles:
    """The ``save_to=`` of one call: each base64 image of the answer (``<items>[i].<field>``, a string) is decoded
    into a temporary file beside its target while it arrives, and left out of the result (its ``b64_json`` is
    unset). When the answer is complete and valid, ``commit`` moves the files into place and sets the items'
    ``saved_to``; ``discard`` (a failed attempt, an error) deletes them, leaving existing files untouched.
    Implements the transport's ``Diversion``.
    """

    def __init__(self, save_to: SaveTo, *, items: str, field: str) -> None:
        if callable(save_to):
            self._target: Callable[[int], str | os.PathLike[str]] | pathlib.Path = save_to
        elif isinstance(save_to, (str, os.PathLike)) and str(save_to):
            target = pathlib.Path(save_to)
            if target.is_dir() or not target.parent.is_dir():
                raise RequestValidationError("save_to", "a file path in an existing directory", save_to)
            self._target = target
        else:
            raise RequestValidationError(
                "save_to", "a file path, or a function of the image index returning one", save_to
            )
        self._items = items
        self._field = field
        self._files: dict[int, _Base64File] = {}

    def target(self, index: int) -> pathlib.Path:
        """Where image ``index`` goes."""
        if isinstance(self._target, pathlib.Path):
            return self._target if index == 0 else self._target.with_stem(f"{self._target.stem}-{index}")
        return pathlib.Path(self._target(index))

    def divert(self, path: JsonPath) -> _Base64File | None:
        if len(path) != 3 or path[0] != self._items or path[2] != self._field or not isinstance(path[1], int):
            return None
        index = path[1]
        if index in self._files:  # the same member twice in one object: the last one counts, as in json.loads
            self._files.pop(index).discard()
        file = _Base64File(self.target(index))
        self._files[index] = file
        return file

    def commit(self, result: Any) -> None:
        items: Any = getattr(result, self._items)
        for index, file in sorted(self._files.items()):
            if not file.discarded:  # discarded: in an array that a later member of the same name replaced
                file.commit()
                items[index]._saved_to = file.target
        self._files.clear()

    def discard(self) -> None:
        for file in self._files.values():
            file.discard()
        self._files.clear()


class _Base64File:
    """A ``jsonstream.Sink``: base64 text in, decoded bytes out into a temporary file beside ``target``."""

    def __init__(self, target: pathlib.Path) -> None:
        self.target = target
        self.part = target.with_name(f".{target.name}.{os.urandom(6).hex()}.part")
        self._file: IO[bytes] | None = open(self.part, "xb")  # noqa: SIM115  # closed by close() or discard()
        self._prefix = ""  # the data: URL prefix, kept for text()
        self._pending = ""  # text not decoded yet: fewer than 4 characters, or the start of a data: URL
        self._started = False  # past a data: URL prefix, if any
        self._padded = False  # "=" padding was seen: nothing may follow
        self.discarded = False

    def write(self, text: str) -> None:
        """Decode the next piece into the file. When it is refused (``ValueError``), none of it was taken."""
        text = self._pending + text
        prefix = ""
        if not self._started:
            if text.startswith("data:"):
                comma = text.find(",")
                if comma < 0:
                    if len(text) > 512:
                        raise ValueError("b64_json is not valid base64: a data: URL without a comma")
                    self._pending = text
                    return
                prefix, text = text[: comma + 1], text[comma + 1 :]
            elif "data:".startswith(text):
                self._pending = text
                return
        if any(space in text for space in _WHITESPACE):
            text = "".join(text.split())
        whole = len(text) - len(text) % 4
        self._decode(text[:whole])
        self._prefix += prefix
        self._started = True
        self._pending = text[whole:]

    def close(self) -> None:
        """The string ended: decode what is left (padding it) and close the file."""
        if not self._started and self._pending.startswith("data:"):
            raise ValueError("b64_json is not valid base64: a data: URL without a comma")
        if self._pending:
            self._decode(self._pending + "=" * (-len(self._pending) % 4))
            self._pending = ""
        self._started = True
        if self._file is not None:
            self._file.close()
            self._file = None

    def text(self) -> str:
        """The base64 text again, for an error report: the prefix, the decoded bytes encoded anew, the rest."""
        if self._file is not None:
            self._file.flush()
        data = self.part.read_bytes() if self.part.exists() else b""
        return self._prefix + binascii.b2a_base64(data, newline=False).decode("ascii") + self._pending

    def commit(self) -> None:
        os.replace(self.part, self.target)

    def discard(self) -> None:
        """Delete the temporary file (a failed call, or a string the parsed answer does not keep)."""
        self.discarded = True
        if self._file is not None:
            self._file.close()
            self._file = None
        self.part.unlink(missing_ok=True)

    def _decode(self, text: str) -> None:
        if not text:
            return
        if self._padded:
            raise ValueError("b64_json is not valid base64: data after the padding")
        try:
            data = binascii.a2b_base64(text, strict_mode=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"b64_json is not valid base64: {exc}") from None
        assert self._file is not None
        self._file.write(data)
        self._padded = text.endswith("=")
