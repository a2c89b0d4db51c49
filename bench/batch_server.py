"""The batch figure's server, in its own process: every `POST .../v2/router/images/generations` is answered after
`--latency` seconds with one base64 image of `--image-bytes` bytes (the answer is built once at startup).

    python -m bench.batch_server [--latency 1.0] [--image-bytes 32768]

It prints its port (127.0.0.1) as its first line and serves until its standard input closes. One asyncio task per
connection, so a thousand connections waiting out the latency at once cost it little. Kept apart from
`bench.server` (the per-call figures' server), which answers at once.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import random
import sys
import threading

from .seed import OPERATION_PATH


def answer(image_bytes: int) -> bytes:
    image = random.Random(17).randbytes(image_bytes)
    body = json.dumps({"created": 1700000000, "data": [{"b64_json": base64.b64encode(image).decode()}]}).encode()
    return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body


async def _serve_connection(
    answer_bytes: bytes, latency: float, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            if OPERATION_PATH.encode() not in head.split(b"\r\n", 1)[0]:
                writer.write(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
            else:
                await asyncio.sleep(latency)
                writer.write(answer_bytes)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        return
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def serve(latency: float, image_bytes: int) -> None:
    answer_bytes = answer(image_bytes)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def watch_stdin() -> None:
        with contextlib.suppress(Exception):
            sys.stdin.buffer.read()
        loop.call_soon_threadsafe(stop.set)

    server = await asyncio.start_server(
        lambda r, w: _serve_connection(answer_bytes, latency, r, w), "127.0.0.1", 0, backlog=2048, limit=1 << 20
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    threading.Thread(target=watch_stdin, daemon=True).start()
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.batch_server", description=__doc__)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds before each answer (default 1)")
    parser.add_argument("--image-bytes", type=int, default=32 * 1024, help="size of the image (default 32 KiB)")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.latency, args.image_bytes))


if __name__ == "__main__":
    main()
