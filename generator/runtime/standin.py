"""A local stand-in for the orq.ai router: the fake router (``fake_router``) on a real socket.

``python -m orq_images.testing serve`` runs it in the foreground; tests and scripts can run it in a thread::

    with StandIn(port=0) as stand_in:          # port 0: a free port
        orq = Orq(api_key="test", server_url=stand_in.url)

It listens on 127.0.0.1 by default. It is a development tool, not a server to expose: ``http.server`` does not
defend against slow or hostile clients, which is acceptable on the loopback interface.
"""

from __future__ import annotations

import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import IO, Self

from . import fake_router

__all__ = ["DEFAULT_PORT", "MAX_BODY_BYTES", "StandIn", "serve"]

DEFAULT_PORT = 4010
MAX_BODY_BYTES = 64 * 1024 * 1024
"""Larger request bodies (an upload of a huge image) are refused with 413, as a real server would."""
_SOCKET_TIMEOUT = 30.0
_POLL_SECONDS = 0.05  # how soon stop() is noticed by a server running in a thread


class StandIn:
    """The stand-in router on ``host``:``port`` (``port=0`` picks a free one; ``url`` says which).

    ``start()`` serves from a background thread and ``stop()`` ends it (or use ``with``); ``serve_forever()``
    serves in the calling thread. With ``log`` (a text stream), one line per request is written to it.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, log: IO[str] | None = None) -> None:
        self._server = _Server((host, port), _Handler)
        self._server.log = log
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL to pass as ``server_url`` (or ``ORQ_SERVER_URL``), e.g. ``http://127.0.0.1:4010``."""
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(_POLL_SECONDS,), name="orq-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, quiet: bool = False) -> int:
    """Run the stand-in in the foreground until interrupted (Ctrl-C); prints its URL first."""
    try:
        stand_in = StandIn(host, port, log=None if quiet else sys.stderr)
    except OSError as exc:
        print(f"cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    names = ", ".join(f"{op.method} {op.path}" for op in fake_router.operations())
    print(f"orq-images stand-in router listening on {stand_in.url}", flush=True)
    print(f"serving: {names}", flush=True)
    print(f"use it with: export ORQ_SERVER_URL={stand_in.url} ORQ_API_KEY=test   (Ctrl-C stops it)", flush=True)
    try:
        stand_in.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stand_in.stop()
    return 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a batch connects 32 at once (the default backlog of 5 resets some connections)
    log: IO[str] | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "orq-images-stand-in"
    timeout = _SOCKET_TIMEOUT

    def do_GET(self) -> None:  # noqa: N802 - the names http.server dispatches to
        self._answer()

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def do_PUT(self) -> None:  # noqa: N802
        self._answer()

    def do_PATCH(self) -> None:  # noqa: N802
        self._answer()

    def do_DELETE(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        request_id = f"req_standin_{uuid.uuid4().hex[:16]}"
        body = self._read_body(request_id)
        if body is None:
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        origin = f"http://{self.headers.get('Host') or self.server.server_address[0]!s}"
        reply = fake_router.handle(
            self.command,
            self.path,
            headers,
            body,
            image_url=lambda image_path: origin + image_path,
            request_id=request_id,
        )
        self._send(reply)

    def _read_body(self, request_id: str) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "Send the body with a Content-Length", request_id)
            return None
        length_text = self.headers.get("Content-Length", "0").strip()
        if not length_text.isdecimal():
            self._refuse(400, "Invalid Content-Length", request_id)
            return None
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self._refuse(413, f"The body is larger than {MAX_BODY_BYTES} bytes", request_id)
            return None
        return self.rfile.read(length)

    def _refuse(self, status: int, message: str, request_id: str) -> None:
        body = fake_router.error_body("invalid_request_error", message)
        self.close_connection = True  # the unread body would be taken for the next request
        self._send(fake_router.Reply.json(status, body, {"x-request-id": request_id}))

    def _send(self, reply: fake_router.Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.content)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log is not None:
            self.server.log.write(f"{self.address_string()} {format % args}\n")
            self.server.log.flush()
