"""Small real image files for upload tests, built with the standard library."""

from __future__ import annotations

import struct
import zlib

__all__ = ["JPEG_HEAD", "WEBP_HEAD", "tiny_jpeg", "tiny_png", "tiny_webp"]

JPEG_HEAD = b"\xff\xd8\xff\xe0"
WEBP_HEAD = b"RIFF"


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG (the reference's test image is a 2x2 one built the same way)."""
    rows = b"".join(b"\x00" + b"\x00\x00\xff" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def tiny_jpeg() -> bytes:
    """Bytes that start as a JPEG (JFIF) file does: enough for content sniffing."""
    return JPEG_HEAD + b"\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def tiny_webp() -> bytes:
    """Bytes that start as a WebP file does (RIFF container, WEBP form)."""
    body = b"WEBPVP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00"
    return WEBP_HEAD + struct.pack("<I", len(body)) + body
