"""``Deadline``: the time limit of one whole API call (``timeout_ms``), shared by its attempts, waits and reads.

Each attempt gets ``httpx2`` timeouts equal to the time left, and the body reader checks the deadline after every
chunk. That alone still lets one read outlive the deadline: ``httpx2`` fixes a read's timeout when a phase starts,
so a server that sends its headers late and then nothing holds the call for the whole timeout again. The clients the
SDK makes therefore read through ``DeadlineBackend``: every socket read, write and connect of a call is limited to
what is left of that call's deadline, found in a context variable (set per attempt; threads and tasks each have
their own). Async calls need none of this: each attempt runs under ``asyncio.timeout``.
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    import ssl

    import httpcore2

__all__ = ["CURRENT", "Deadline", "enforce_on"]

_SHORTEST = 0.001
"""A socket timeout of 0 would make the socket non-blocking (an error that is not a timeout): a spent deadline
gives reads this much instead, so that they end as timeouts."""


class Deadline:
    """The moment (``time.monotonic``) one call must be over, and the ``timeout_ms`` it came from."""

    __slots__ = ("at", "timeout_ms")

    def __init__(self, timeout_ms: float) -> None:
        self.timeout_ms = timeout_ms
        self.at = time.monotonic() + timeout_ms / 1000

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def timeout(self) -> httpx2.Timeout:
        """The ``httpx2`` timeouts of one attempt: every phase may take what is left of the call, no more."""
        return httpx2.Timeout(max(self.remaining(), _SHORTEST))

    def clip(self, timeout: float | None) -> float:
        """``timeout`` (``None``: no limit) shortened to what is left, never 0."""
        left = max(self.remaining(), _SHORTEST)
        return left if timeout is None else min(timeout, left)


CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("orq_images_deadline", default=None)
"""The deadline of the call being made in this thread (or task), while an attempt runs."""


def _clip(timeout: float | None) -> float | None:
    deadline = CURRENT.get()
    return timeout if deadline is None else deadline.clip(timeout)


def enforce_on(client: httpx2.Client) -> bool:
    """Make the connection pools of ``client`` (a client the SDK made) read through ``DeadlineBackend``.

    ``httpx2`` offers no public way to give ``HTTPTransport`` a network backend (``httpcore2.ConnectionPool``
    takes one): this reaches for the pool it keeps. Returns whether every pool was found; when not (another
    ``httpx2`` version), calls still end at the deadline, checked between reads. A test watches the return value.
    """
    import httpcore2

    transports = [client._transport, *client._mounts.values()]
    found = True
    for transport in transports:
        if transport is None:
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(pool, httpcore2.ConnectionPool) and isinstance(backend, httpcore2.NetworkBackend):
            wrapper = _backend_class()
            if not isinstance(backend, wrapper):
                pool._network_backend = wrapper(backend)  # type: ignore[call-arg]
        else:
            found = False
    return found


@functools.cache
def _backend_class() -> type[httpcore2.NetworkBackend]:
    """``DeadlineBackend``, defined on first use: httpcore2 is imported when the first client is made (as httpx2
    does), not by ``import orq_images``."""
    import contextlib
    import socket

    import httpcore2

    class _DeadlineStream(httpcore2.NetworkStream):
        """A connection whose every read and write is limited to what is left of the current call."""

        def __init__(self, stream: httpcore2.NetworkStream) -> None:
            self._stream = stream

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._stream.read(max_bytes, _clip(timeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._stream.write(buffer, _clip(timeout))

        def close(self) -> None:
            # Closing a socket does not wake a read blocked on it in another thread; shutting it down does: a call
            # in flight when ``close()`` is called from another thread ends at once (``ClientClosedError``).
            sock = self._stream.get_extra_info("socket")
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self._stream.close()

        def start_tls(
            self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
        ) -> httpcore2.NetworkStream:
            return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _clip(timeout)))

        def get_extra_info(self, info: str) -> Any:
            return self._stream.get_extra_info(info)

    class DeadlineBackend(httpcore2.NetworkBackend):
        """Wraps a ``httpcore2`` network backend: connects and streams limited by the current call's deadline."""

        def __init__(self, backend: httpcore2.NetworkBackend) -> None:
            self._backend = backend

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore2.NetworkStream:
            stream = self._backend.connect_tcp(host, port, _clip(timeout), local_address, socket_options)
            return _DeadlineStream(stream)

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
        ) -> httpcore2.NetworkStream:
            return _DeadlineStream(self._backend.connect_unix_socket(path, _clip(timeout), socket_options))

        def sleep(self, seconds: float) -> None:
            self._backend.sleep(seconds)

    return DeadlineBackend
