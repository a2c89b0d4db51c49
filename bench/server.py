"""A minimal, fast HTTP/1.1 keep-alive server for the benchmarks. Run it as its own process:

    python -m bench.server [--port 0] [--latency SECONDS]

It prints the port it listens on (127.0.0.1 only) as its first line, then serves until its standard input closes
or it is terminated. With `--latency`, every answer leaves that long after its request arrived (image generation
takes seconds): asyncio serves thousands of such requests at once (the open-file limit is raised to its maximum).
`POST <prefix>/v2/router/images/generations` answers 200 with a fixed JSON body: the small
image answer, or, when the path starts with `/large`, the 20 MiB b64_json answer (both built at startup).
Anything else answers 404.
Request bodies are read (Content-Length or chunked) and discarded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import sys
import threading

from .seed import LARGE_PREFIX, OPERATION_PATH, large_answer, small_answer

_HEAD = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n%s\r\n"
_NOT_FOUND = b'{"error":"not found"}'


class Answers:
    """The fixed answers, with their status line and headers, built once at startup (the large one takes ~0.1 s:
    built on first use, it would slow down whichever client asks first)."""

    def __init__(self) -> None:
        body = small_answer()
        self.small = _HEAD % (200, b"OK", len(body), b"") + body
        self._large_body = large_answer()
        self._large_head = _HEAD % (200, b"OK", len(self._large_body), b"")

    def large(self) -> tuple[bytes, bytes]:
        return self._large_head, self._large_body


def _not_found(close: bool) -> bytes:
    extra = b"connection: close\r\n" if close else b""
    return _HEAD % (404, b"Not Found", len(_NOT_FOUND), extra) + _NOT_FOUND


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are expected: the empty line ends the body
            return
        await reader.readexactly(size + 2)


async def _serve_connection(
    answers: Answers, latency: float, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            lines = head.split(b"\r\n")
            method, target, version = lines[0].split(b" ", 2)
            length = 0
            chunked = False
            close = version == b"HTTP/1.0"
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding":
                    chunked = b"chunked" in value.lower()
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            if chunked:
                await _read_chunked(reader)
            elif length:
                await reader.readexactly(length)
            path = target.split(b"?", 1)[0]
            if latency:
                await asyncio.sleep(latency)
            if method == b"POST" and path.endswith(OPERATION_PATH.encode()):
                if path.startswith(LARGE_PREFIX.encode() + b"/"):
                    large_head, large_body = answers.large()
                    writer.write(large_head)
                    writer.write(large_body)
                else:
                    writer.write(answers.small)
            else:
                writer.write(_not_found(close))
            await writer.drain()
            if close:
                return
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        return
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


def raise_open_file_limit() -> int:
    """Raise this process's soft limit of open files to the hard limit (a thousand connections need as many);
    return the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def serve(port: int, latency: float = 0.0) -> None:
    answers = Answers()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def watch_stdin() -> None:  # the parent closing our stdin (or dying) stops the server
        with contextlib.suppress(Exception):
            sys.stdin.buffer.read()
        loop.call_soon_threadsafe(stop.set)

    def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> asyncio.Future[None]:
        return asyncio.ensure_future(_serve_connection(answers, latency, reader, writer))

    raise_open_file_limit()
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=4096, limit=1 << 20)
    bound = server.sockets[0].getsockname()[1]
    print(bound, flush=True)
    threading.Thread(target=watch_stdin, daemon=True).start()
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer (default 0)")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.latency))


if __name__ == "__main__":
    main()
