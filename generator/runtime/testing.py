"""Helpers for testing code that uses the SDK: canned answers without a network, valid response models, no waits.

- ``FakeRouter``: answers the SDK's requests in-process through an ``httpx2.MockTransport``, like the router
  would (valid answers with real PNG images, 401 without a key, 400 for an invalid body), or with the answers and
  failures a test queues for an operation (``respond``, ``fail``, ``fail_connection``, ``time_out``). It records
  every request it receives.
- ``fake_answer`` / ``fake_response``: a valid answer of an operation, as JSON or as the response model.
- ``skip_retry_sleeps``: a client's retries happen at once; the waits it would have made are recorded.
- ``main``: ``python -m orq_images.testing serve`` starts the stand-in router on 127.0.0.1 (see ``standin``).

Operations are named by the last segment of their path (``"generations"``), their module name in
``orq_images.api`` (``"create_image"``) or their path; every operation of the package is served, including
those added after this module was written.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import httpx2

from . import fake_router
from .fake_router import IMAGES_PATH, Reply, error_body, find
from .pngs import PNG_SIGNATURE, png_bytes

__all__ = [
    "PNG_SIGNATURE",
    "FakeRouter",
    "SeenRequest",
    "fake_answer",
    "fake_response",
    "main",
    "operation_names",
    "png_bytes",
    "skip_retry_sleeps",
]

FAKE_IMAGE_HOST = "https://fake-router.invalid"
"""Host of the image URLs in ``fake_answer(..., response_format="url")``. ``.invalid`` never resolves, so code
that fetches such a URL outside a ``FakeRouter`` fails at once instead of reaching a network."""
TEST_API_KEY = "test-key"
"""The API key of the clients ``FakeRouter.orq()`` makes (any non-empty key is accepted)."""


def operation_names() -> list[str]:
    """The short names of every operation the fakes serve (``["generations", ...]``)."""
    return [operation.short_name for operation in fake_router.operations()]


def fake_answer(
    operation: str, *, n: int = 1, response_format: str = "b64_json", prompt: str = "a test image"
) -> dict[str, Any]:
    """A valid JSON answer of ``operation``: ``n`` small PNG images, as base64 or (``response_format="url"``) as
    URLs on ``FAKE_IMAGE_HOST`` (which a ``FakeRouter`` serves). Different prompts give different images."""
    request = {"n": n, "response_format": response_format, "prompt": prompt}
    return fake_router.answer(find(operation), request, image_url=lambda path: FAKE_IMAGE_HOST + path)


def fake_response(
    operation: str, *, n: int = 1, response_format: str = "b64_json", prompt: str = "a test image"
) -> Any:
    """``fake_answer`` as the operation's response model (``CreateImageResponse`` for ``"generations"``), as a
    call would return it: ``fake_response("generations", n=2).data[1].to_bytes()`` is a PNG."""
    found = find(operation)
    return found.parse_response(fake_answer(operation, n=n, response_format=response_format, prompt=prompt))


def skip_retry_sleeps(orq: Any) -> list[float]:
    """Make ``orq`` (an ``Orq`` client) retry without waiting; returns the list the waits are recorded in.

    Retries themselves still happen (and are counted): only ``time.sleep`` / ``asyncio.sleep`` between attempts
    are replaced, on this client only.
    """
    waits: list[float] = []

    async def record_async(delay: float) -> None:
        waits.append(delay)

    core = orq._core
    core.sleep = waits.append
    core.async_sleep = record_async
    return waits


@attrs.frozen
class SeenRequest:
    """One request a ``FakeRouter`` received."""

    operation: str | None
    """The operation's short name (``"generations"``), or None for a path no operation serves."""
    method: str
    url: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    content: bytes = attrs.field(repr=False)

    @property
    def json(self) -> Any:
        """The body parsed as JSON (raises ``ValueError`` when it is not JSON, e.g. a multipart upload)."""
        return json.loads(self.content)


class FakeRouter:
    """The router, in-process, for tests: an ``httpx2.MockTransport`` that answers every operation of the SDK.

    ::

        router = FakeRouter()
        router.fail("generations", 429, headers={"Retry-After": "1"})   # the first call gets a 429...
        with router.orq() as orq:                                     # ...then the retry a valid answer
            res = orq.router.images.generations.create(prompt="a fox", model="openai/gpt-image-1")
        assert router.requests[1].json["prompt"] == "a fox"

    Without queued answers it behaves like the API (a valid answer for a valid request, 401 without a key, 400
    naming the field of an invalid body). Queued answers are given in order, one per request to that operation,
    whatever the request holds. Nothing reaches a network: use ``router.orq()``, or pass ``router.client()`` /
    ``router.async_client()`` (or ``router.transport`` in your own clients) to the ``Orq`` your code makes.
    """

    def __init__(self) -> None:
        self.transport = httpx2.MockTransport(self._handle)
        self.requests: list[SeenRequest] = []
        self._queued: dict[str, collections.deque[Reply | httpx2.HTTPError]] = {}
        self._lock = threading.Lock()

    # -- queueing ------------------------------------------------------------------------------------------------

    def respond(
        self,
        operation: str,
        json: object = None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> None:
        """Queue an answer to the next request of ``operation``: ``json`` (or raw ``content``), with ``status``
        and ``headers``. Without either, a valid answer (``fake_answer(operation)``)."""
        if content is not None:
            reply = Reply(status, dict(headers or {}), content)
        else:
            reply = Reply.json(status, fake_answer(operation) if json is None else json, headers)
        self._queue(operation, reply)

    def fail(
        self,
        operation: str,
        status: int,
        message: str = "The fake router was told to fail this request.",
        *,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue an error answer with the API's error body ``{"error": {"type", "message", "code", "param"}}``
        (``type`` defaults to the API's for ``status``, e.g. ``rate_limit_error`` for 429)."""
        kind = type or fake_router.ERROR_TYPES.get(status, "api_error")
        self._queue(operation, Reply.json(status, error_body(kind, message, code=code, param=param), headers))

    def fail_connection(self, operation: str) -> None:
        """Queue a dropped connection (the SDK raises ``APIConnectionError`` once its retries are used up)."""
        self._queue(operation, httpx2.ConnectError("connection refused (queued by FakeRouter.fail_connection)"))

    def time_out(self, operation: str) -> None:
        """Queue a timeout (the SDK raises ``APITimeoutError`` once its retries are used up)."""
        self._queue(operation, httpx2.ReadTimeout("timed out (queued by FakeRouter.time_out)"))

    # -- clients -------------------------------------------------------------------------------------------------

    def client(self) -> httpx2.Client:
        """A new ``httpx2.Client`` whose requests this router answers."""
        return httpx2.Client(transport=self.transport)

    def async_client(self) -> httpx2.AsyncClient:
        """A new ``httpx2.AsyncClient`` whose requests this router answers."""
        return httpx2.AsyncClient(transport=self.transport)

    def orq(self, api_key: str = TEST_API_KEY, *, skip_sleeps: bool = True, **options: Any) -> Any:
        """An ``Orq`` client (sync and async) answered by this router; ``options`` are ``Orq``'s (``retry_config``,
        ``timeout_ms``...). Its retries do not wait unless ``skip_sleeps=False``."""
        sdk = importlib.import_module(f"{fake_router.PACKAGE}.sdk")
        orq = sdk.Orq(api_key, client=self.client(), async_client=self.async_client(), **options)
        if skip_sleeps:
            skip_retry_sleeps(orq)
        return orq

    # -- internals -----------------------------------------------------------------------------------------------

    def _queue(self, operation: str, reply: Reply | httpx2.HTTPError) -> None:
        name = find(operation).name  # fails at once, naming the choices, for an unknown operation
        with self._lock:
            self._queued.setdefault(name, collections.deque()).append(reply)

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        try:
            operation = fake_router.route(request.method, path)
        except fake_router.Rejected:
            operation = None
        headers = {name.lower(): value for name, value in request.headers.items()}
        with self._lock:
            if not path.startswith(IMAGES_PATH):
                short = operation.short_name if operation is not None else None
                self.requests.append(SeenRequest(short, request.method, str(request.url), headers, request.content))
            queue = self._queued.get(operation.name) if operation is not None else None
            queued = queue.popleft() if queue else None
        if isinstance(queued, httpx2.HTTPError):
            if isinstance(queued, httpx2.RequestError):
                queued.request = request
            raise queued
        origin = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        reply = queued or fake_router.handle(
            request.method,
            path,
            headers,
            request.content,
            image_url=lambda image_path: origin + image_path,
            request_id=f"req_fake_{uuid.uuid4().hex[:16]}",
        )
        # A stream, not content=: like a network answer, it is timed (``elapsed``) when the client closes it.
        return httpx2.Response(reply.status, headers=reply.headers, stream=httpx2.ByteStream(reply.content))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m orq_images.testing serve [--host 127.0.0.1] [--port 4010]``."""
    from .standin import DEFAULT_PORT, serve

    parser = argparse.ArgumentParser(
        prog=f"python -m {fake_router.PACKAGE}.testing",
        description="Testing helpers of the SDK. `serve` starts a local stand-in for the orq.ai router.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser(
        "serve",
        help="answer every image operation on 127.0.0.1 with valid answers and real PNGs (no account needed)",
        description="A local stand-in for the orq.ai router: valid answers with small PNG images (base64, or URLs "
        "it serves itself), requests checked against the API description, errors as the API sends them. Any "
        "non-empty API key is accepted.",
    )
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)"
    )
    serve_parser.add_argument("--quiet", action="store_true", help="do not print a line per request")
    args = parser.parse_args(argv)
    return serve(host=args.host, port=args.port, quiet=args.quiet)
