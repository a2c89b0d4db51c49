"""Small, valid PNG images made with ``zlib`` and ``struct``, for the testing helpers and the local stand-in router.

A real image (not a few random bytes) lets a test or a newcomer open, decode or measure what the SDK saved. Pillow
would make this shorter, but it is not a dependency of the SDK and a solid-colour PNG needs only the format's three
chunks.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

__all__ = ["PNG_SIGNATURE", "png_bytes", "png_for"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_bytes(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (64, 128, 192)) -> bytes:
    """A ``width`` x ``height`` PNG (8-bit RGB, not interlaced) filled with the colour ``rgb``."""
    if not (0 < width <= 4096 and 0 < height <= 4096):
        raise ValueError(f"width and height must be from 1 to 4096, got {width}x{height}")
    if len(rgb) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in rgb):
        raise ValueError(f"rgb must be three integers from 0 to 255, got {rgb!r}")
    row = b"\x00" + bytes(rgb) * width  # filter type 0 (none), then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # depth 8, colour type 2 (RGB)
    return b"".join(
        (
            PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(row * height)),
            _chunk(b"IEND", b""),
        )
    )


def png_for(text: str, index: int = 0) -> bytes:
    """An 8x8 PNG whose colour depends on ``text`` and ``index``: different prompts give different images."""
    digest = hashlib.blake2b(f"{index}:{text}".encode(), digest_size=3).digest()
    return png_bytes(8, 8, (digest[0], digest[1], digest[2]))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
