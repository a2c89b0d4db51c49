"""``ImageMixin``: decode and save the base64 payload of a generated image item."""

from __future__ import annotations

import binascii
import os
import pathlib

__all__ = ["ImageMixin"]

_CHUNK_CHARS = 4 * 1024 * 1024  # a multiple of 4, so every chunk decodes on its own
_WHITESPACE = (" ", "\n", "\r", "\t")


class ImageMixin:
    """Methods for the generated image item model (attributes ``b64_json``, ``url``, ``revised_prompt``).

    Works as a base of attrs ``@define`` (slotted) classes: it adds no instance attributes.
    """

    __slots__ = ()

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
