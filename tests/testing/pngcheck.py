"""Decode the PNGs the fakes make, independently of ``orq_images._runtime.pngs``: chunk lengths, CRCs, the IHDR
and the pixel rows are checked, so a test that uses this can fail on a damaged image."""

from __future__ import annotations

import struct
import zlib

import attrs

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@attrs.frozen
class DecodedPng:
    width: int
    height: int
    pixels: list[bytes]  # one bytes per row, RGB triplets


def decode_png(data: bytes) -> DecodedPng:
    """Decode an 8-bit RGB, non-interlaced PNG whose rows use filter 0; AssertionError for anything else."""
    assert data[:8] == SIGNATURE, f"not a PNG signature: {data[:8]!r}"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        position += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND", kinds
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    assert len(raw) == stride * height
    rows = [raw[i * stride : (i + 1) * stride] for i in range(height)]
    assert all(row[0] == 0 for row in rows), "only filter type 0 is expected"
    return DecodedPng(width, height, [row[1:] for row in rows])
