"""Pacing of a batch: one gate that every attempt of every item passes, so that a rate limit seen by one call slows
the whole batch, and the transport's hook (``Pacer``) through which the gate sees each attempt.

The gate is AIMD, as TCP's congestion window: a 429 or 503 halves the number of attempts allowed in flight (once
per round trip: answers to attempts sent before the last cut do not cut again) and holds every attempt back until
the server's ``Retry-After`` has passed (without one: 1 s, doubling while the congestion lasts, at most 8 s); each
2xx answer lets one more attempt in, back up to the batch's ``concurrency``. Attempts wait in arrival order.

Retrying stays the transport's job (``RetryConfig``: which statuses, how often, how long): the gate only decides
when an attempt may start. The transport finds the pacer of the call it is making in ``CURRENT_PACER``, a context
variable the batch sets in each item's task, so ``create_async`` needs no extra argument.

``asyncio`` is imported by the running loop's owner before any of this runs; here it is imported where used.
"""

from __future__ import annotations

import collections
import math
from contextvars import ContextVar
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    import asyncio

__all__ = ["CONGESTION_STATUSES", "CURRENT_PACER", "DEFAULT_CONCURRENCY", "ItemPacer", "Pacer", "RateGate"]

DEFAULT_CONCURRENCY: Final = 32
"""Calls a batch keeps in flight by default. An image takes the router seconds to make, so 32 at once is ~2-10
images a second: the scale of a provider's image rate limits above its lowest tiers. Higher only pays when the
account's limits allow it; when they do not, the batch halves itself on the first 429 anyway."""

CONGESTION_STATUSES: Final = frozenset({429, 503})
"""Statuses that mean "too many requests, come back later" (the server did not act on the request)."""
MAX_SHARED_PAUSE: Final = 60.0
"""The longest the whole batch waits for one answer's ``Retry-After`` (the item itself follows its RetryConfig)."""
_FIRST_PAUSE: Final = 1.0
_MAX_PAUSE: Final = 8.0


class Pacer(Protocol):
    """What ``ClientCore.request_async`` calls around each attempt of a call made with a pacer."""

    async def before_attempt(self) -> None:
        """Wait until this attempt may be sent (called before every attempt, retries included)."""

    def after_response(self, status: int, retry_after: float | None) -> None:
        """The attempt got an answer with ``status`` (and ``Retry-After``, in seconds, when the server sent one)."""


CURRENT_PACER: ContextVar[Pacer | None] = ContextVar("orq_images_pacer", default=None)


class RateGate:
    """The shared gate of one batch, on one event loop (see the module docstring). ``sending``: attempts in flight;
    ``limit``: how many may be; ``cuts``: how often a rate limit halved it."""

    def __init__(self, concurrency: int, loop: asyncio.AbstractEventLoop) -> None:
        self.ceiling = concurrency
        self.limit = concurrency
        self.sending = 0
        self.cuts = 0
        self._loop = loop
        self._resume_at = 0.0
        self._last_cut = -math.inf
        self._pause = _FIRST_PAUSE
        self._recovered = True
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._timer: asyncio.TimerHandle | None = None

    def now(self) -> float:
        return self._loop.time()

    def paused_for(self) -> float:
        """Seconds until attempts may start again after a rate limit (0 when they may now)."""
        return max(self._resume_at - self.now(), 0.0)

    async def acquire(self) -> None:
        """Wait for a place among the attempts in flight, in arrival order; ``release()`` gives it back."""
        if not self._waiters and self.sending < self.limit and self.now() >= self._resume_at:
            self.sending += 1
            return
        waiter = self._loop.create_future()
        self._waiters.append(waiter)
        self._admit()
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # admitted just as it was cancelled: give the place to the next one
            else:
                self._waiters.remove(waiter)
            raise

    def release(self) -> None:
        self.sending -= 1
        self._admit()

    def observe(self, status: int, retry_after: float | None, started_at: float) -> None:
        """An answer to an attempt started at ``started_at`` (``now()`` time)."""
        if status in CONGESTION_STATUSES:
            now = self.now()
            if started_at >= self._last_cut:  # sent after the last cut: a new signal, not an echo of the old one
                if self._last_cut > -math.inf and not self._recovered:
                    self._pause = min(self._pause * 2, _MAX_PAUSE)
                self._recovered = False
                self.limit = max(1, self.limit // 2)
                self._last_cut = now
                self.cuts += 1
            pause = self._pause if retry_after is None else min(retry_after, MAX_SHARED_PAUSE)
            self._resume_at = max(self._resume_at, now + pause)
        elif 200 <= status < 300:
            if started_at >= self._last_cut:  # an attempt sent after the last cut got through
                self._recovered = True
                self._pause = _FIRST_PAUSE
            if self.limit < self.ceiling:
                self.limit += 1
                self._admit()

    def _admit(self) -> None:
        """Let waiting attempts in while there is room, or wake up when the pause ends."""
        delay = self._resume_at - self.now()
        if delay > 0:
            if self._waiters and self._timer is None:
                self._timer = self._loop.call_later(delay, self._resume)
            return
        while self._waiters and self.sending < self.limit:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self.sending += 1

    def _resume(self) -> None:
        self._timer = None
        self._admit()


class ItemPacer:
    """The ``Pacer`` of one item: holds the item's place in the gate while an attempt is in flight.

    The batch takes the first attempt's place (``acquire``) before calling ``create_async``, so waiting for it does
    not count against the call's ``timeout_ms``; an answer other than 2xx gives the place back at once (the
    transport then waits and retries, or raises); the batch calls ``release`` when the call has ended.
    """

    def __init__(self, gate: RateGate) -> None:
        self._gate = gate
        self._holding = False
        self._reserved = False  # taken by acquire(), for the first attempt
        self._started_at = 0.0

    async def acquire(self) -> None:
        await self._gate.acquire()
        self._holding = self._reserved = True

    async def before_attempt(self) -> None:
        if self._reserved:
            self._reserved = False
        else:
            self.release()  # after a connection error or timeout, a retry queues again like everyone else
            await self._gate.acquire()
            self._holding = True
        self._started_at = self._gate.now()

    def after_response(self, status: int, retry_after: float | None) -> None:
        self._gate.observe(status, retry_after, self._started_at)
        if not 200 <= status < 300:
            self.release()

    def release(self) -> None:
        if self._holding:
            self._holding = self._reserved = False
            self._gate.release()
