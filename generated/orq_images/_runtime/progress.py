"""Progress of a batch: the snapshot record a ``progress=`` callback receives, and the plain one-line display on a
terminal (``ProgressLine``). The line needs no library: a carriage return rewrites it; a progress-bar library can be
plugged in through the callback (README, "Batches")."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import attrs

__all__ = ["BatchProgress", "ProgressLine", "ProgressOption", "progress_sink"]


@attrs.frozen(kw_only=True)
class BatchProgress:
    """Where a batch stands. ``total`` is known when ``items`` has a length, else ``None`` (and so is ``eta_s``).

    ``succeeded + failed + skipped`` items are finished; ``in_flight`` calls are being sent or answered right now;
    ``limit`` is how many may be (below ``concurrency`` while the server asks the batch to slow down) and
    ``paused_s`` how long the whole batch is still waiting for a ``Retry-After``. ``rate_per_s`` counts calls
    answered (not skipped items) per second since the batch started. ``final`` is set on the last snapshot.
    """

    succeeded: int
    failed: int
    skipped: int
    in_flight: int
    limit: int
    concurrency: int
    total: int | None
    elapsed_s: float
    paused_s: float = 0.0
    final: bool = False

    @property
    def finished(self) -> int:
        return self.succeeded + self.failed + self.skipped

    @property
    def rate_per_s(self) -> float:
        answered = self.succeeded + self.failed
        return answered / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the current rate, when the total is known and a rate has been seen."""
        if self.total is None or self.rate_per_s <= 0:
            return None
        return max(self.total - self.finished, 0) / self.rate_per_s


ProgressOption = bool | Callable[[BatchProgress], object] | None
"""``progress=`` of a batch: ``None`` (default) shows a line on stderr when it is a terminal, ``True`` always,
``False`` never; a function receives every snapshot instead (called on the batch's event loop thread)."""


class ProgressLine:
    """Writes snapshots as one line rewritten in place: ``412/1000 done · 3 failed · 32 in flight · 11.2/s ·
    0:52 left``, at most ``per_second`` times a second, and the last one followed by a newline."""

    def __init__(self, stream: TextIO | None = None, *, per_second: float = 10.0, label: str = "batch") -> None:
        self._stream = stream
        self._interval = 1.0 / per_second
        self._label = label
        self._last = -float("inf")
        self._width = 0

    def __call__(self, snapshot: BatchProgress) -> None:
        now = time.monotonic()
        if not snapshot.final and now - self._last < self._interval:
            return
        self._last = now
        text = format_progress(snapshot, self._label)
        stream = self._stream or sys.stderr
        padding = " " * max(self._width - len(text), 0)  # wipe the rest of a longer previous line
        self._width = len(text)
        stream.write(f"\r{text}{padding}" + ("\n" if snapshot.final else ""))
        stream.flush()


def format_progress(snapshot: BatchProgress, label: str = "batch") -> str:
    done = f"{snapshot.finished}/{snapshot.total}" if snapshot.total is not None else f"{snapshot.finished}"
    parts = [f"{label}: {done} done"]
    if snapshot.failed:
        parts.append(f"{snapshot.failed} failed")
    if snapshot.skipped:
        parts.append(f"{snapshot.skipped} skipped")
    if not snapshot.final:
        parts.append(f"{snapshot.in_flight} in flight")
        if snapshot.limit < snapshot.concurrency:
            parts.append(f"slowed to {snapshot.limit} by rate limits")
        if snapshot.paused_s > 0:
            parts.append(f"waiting {snapshot.paused_s:.1f} s (Retry-After)")
    parts.append(f"{snapshot.rate_per_s:.1f}/s")
    if snapshot.final:
        parts.append(f"in {_clock(snapshot.elapsed_s)}")
    elif snapshot.eta_s is not None:
        parts.append(f"{_clock(snapshot.eta_s)} left")
    return " · ".join(parts)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def progress_sink(progress: ProgressOption, stream: TextIO | None = None) -> Callable[[BatchProgress], object] | None:
    """The function a batch sends its snapshots to, for its ``progress=`` option (see ``ProgressOption``)."""
    if callable(progress):
        return progress
    if progress is None:
        target = stream or sys.stderr
        isatty = getattr(target, "isatty", None)
        progress = bool(isatty and isatty())
    if not isinstance(progress, bool):
        kind = type(progress).__name__
        raise TypeError(f"progress must be None, a bool or a function of a BatchProgress, not {kind}")
    return ProgressLine(stream) if progress else None
