"""Batches: one operation called for every argument dict of an iterable, ``concurrency`` calls at a time, with the
outcomes in input order, rate limits shared across the batch (``pacing``) and progress (``progress``).

- ``Engine`` (async) takes items from the iterable only when there is room (at most ``concurrency`` calls running,
  at most ``2 x concurrency`` items started and not yet handed out), calls ``create_async`` for each under the
  batch's ``RateGate``, and hands out the outcomes in input order.
- ``AsyncBatchResults`` is what ``batch_async`` returns: an async iterator over the engine.
- ``BatchResults`` is what ``batch`` returns: the same engine on a private event loop in a worker thread, so it
  works in plain scripts and where the main thread already runs a loop (Jupyter), and a Ctrl-C is handled the same
  way in both.

Retries are the transport's (``RetryConfig``): a batch never re-sends an item itself, so it bills no item twice
beyond what the client's retry policy allows for a single call.

``asyncio`` is imported when a batch starts: ``import orq_images`` stays cheap.
"""

from __future__ import annotations

import collections
import pathlib
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Self, TypeVar

import attrs

from .batchitems import BatchSaveTo, ItemArguments, Targets, image_count, image_paths
from .errors import OrqError, RequestValidationError
from .pacing import CURRENT_PACER, DEFAULT_CONCURRENCY, ItemPacer, RateGate
from .progress import BatchProgress, ProgressOption, progress_sink
from .retries import DEFAULT_RETRY_CONFIG
from .transport import DEFAULT

if TYPE_CHECKING:
    import asyncio

    from .transport import ClientCore

__all__ = [
    "DEFAULT_CONCURRENCY",
    "AsyncBatchResults",
    "BatchInterrupted",
    "BatchOutcome",
    "BatchResults",
    "BatchSaveTo",
    "BatchStopped",
    "run_batch",
    "run_batch_async",
]

R = TypeVar("R")

BATCH_RETRY_CONFIG: Final = attrs.evolve(DEFAULT_RETRY_CONFIG, max_retries=8)
"""A batch's retries when the client has the default ones: the same policy (which statuses and errors are retried,
Retry-After honoured), with more attempts, because a long batch meets rate limits as a matter of course: a server
that refuses a third of the calls fails 1 item in 27 after 2 retries, 1 in 20 000 after 8. A client configured
with its own ``retry_config`` keeps it, as does a batch given ``retries=``."""


CreateAsync = Callable[..., Coroutine[Any, Any, R]]


@attrs.frozen(kw_only=True)
class BatchOutcome(Generic[R]):
    """What became of item ``index`` (counted from 0 in the order of ``items``).

    Exactly one of: ``result`` (the call's answer; with ``save_to=``, its images are in files, not in memory),
    ``error`` (an ``OrqError``: the item's arguments were refused, or the call failed), ``skipped`` (with
    ``skip_existing=True``: its files were already there). ``paths`` are the files the item's images are in.
    """

    index: int
    result: R | None = None
    error: OrqError | None = None
    paths: tuple[pathlib.Path, ...] = ()
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """The item has its images (made now, or already there)."""
        return self.error is None


class BatchStopped(OrqError):
    """``stop_on_error=True`` and an item failed: no item was started after it; the items already in flight were
    finished and handed out before this is raised. ``error`` is the item's error, ``index`` its index."""

    def __init__(self, index: int, error: OrqError) -> None:
        super().__init__(f"item {index} failed and stop_on_error=True, so the batch stopped: {error}")
        self.index = index
        self.error = error


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during a (sync) batch. The calls in flight were cancelled and their temporary files removed;
    ``finished`` holds the outcomes that had finished but were not handed out yet (in input order), ``progress``
    the last snapshot. Rerun with ``skip_existing=True`` to do only the rest. A ``KeyboardInterrupt``, so a script
    that does not catch it still stops as on any Ctrl-C."""

    def __init__(self, finished: list[BatchOutcome[Any]], progress: BatchProgress) -> None:
        super().__init__(f"batch interrupted: {progress.finished} items finished, {len(finished)} of them not yet seen")
        self.finished = finished
        self.progress = progress


@attrs.frozen(kw_only=True)
class _Options:
    """A batch's settings, checked once."""

    concurrency: int
    targets: Targets | None
    skip_existing: bool
    stop_on_error: bool
    sink: Callable[[BatchProgress], object] | None
    call_options: Mapping[str, Any]
    images_field: str


def batch_retries(retries: object, core: ClientCore) -> object:
    """``retries=`` of a batch's calls: ``BATCH_RETRY_CONFIG`` for ``DEFAULT`` when the client has the default
    retries, else as given."""
    if retries is DEFAULT and getattr(core, "_retry_config", None) == DEFAULT_RETRY_CONFIG:
        return BATCH_RETRY_CONFIG
    return retries


def _options(
    *,
    core: ClientCore,
    concurrency: int,
    save_to: BatchSaveTo | None,
    skip_existing: bool,
    stop_on_error: bool,
    progress: ProgressOption,
    call_options: Mapping[str, Any],
    images_field: str,
) -> _Options:
    """The batch's options, checked at once; the calls' ``retries`` are the batch's (``batch_retries``)."""
    call_options = {**call_options, "retries": batch_retries(call_options.get("retries", DEFAULT), core)}
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise RequestValidationError("concurrency", "an integer >= 1", concurrency)
    if skip_existing and save_to is None:
        raise RequestValidationError("skip_existing", "used with save_to= (it looks for the files save_to names)", True)
    if call_options.get("download_urls") and save_to is None:  # else every item would fail for it, alike
        raise RequestValidationError("download_urls", "True only with save_to= (where to download to)", True)
    return _Options(
        concurrency=concurrency,
        targets=None if save_to is None else Targets(save_to),
        skip_existing=bool(skip_existing),
        stop_on_error=bool(stop_on_error),
        sink=progress_sink(progress),
        call_options=call_options,
        images_field=images_field,
    )


class _Slot(Generic[R]):
    """One started item, waiting in input order to be handed out."""

    __slots__ = ("index", "outcome")

    def __init__(self, index: int, outcome: BatchOutcome[R] | None = None) -> None:
        self.index = index
        self.outcome = outcome


class Engine(Generic[R]):
    """Runs one batch on the running event loop. ``next()`` hands out outcomes in input order (``None`` at the end);
    ``close()`` cancels what is in flight (their ``.part`` files are removed by the transport's ``save_to``)."""

    def __init__(self, create_async: CreateAsync[R], items: Iterable[Mapping[str, Any]], options: _Options) -> None:
        import asyncio

        self._asyncio = asyncio
        self._create_async = create_async
        self._options = options
        self._items = iter(items)
        self._total = _length(items)
        self._arguments = ItemArguments(
            create_async, frozenset({"save_to"}) if options.targets is not None else frozenset()
        )
        self._window: collections.deque[_Slot[R]] = collections.deque()
        self._window_size = 2 * options.concurrency
        self._running: set[asyncio.Task[None]] = set()
        self._gate = RateGate(options.concurrency, asyncio.get_running_loop())
        self._room = asyncio.Event()
        self._ready = asyncio.Event()
        self._producer: asyncio.Task[None] | None = None
        self._exhausted = False
        self._halted_by: BaseException | None = None  # BatchStopped, or what the caller's iterable or callback raised
        self._started_at = time.monotonic()
        self._final_reported = False
        self._sink = options.sink
        self.succeeded = self.failed = self.skipped = 0

    async def next(self) -> BatchOutcome[R] | None:
        if self._producer is None:
            self._started_at = time.monotonic()
            self._report()
            self._producer = self._asyncio.ensure_future(self._produce())
        while True:
            self._ready.clear()
            if self._window and self._window[0].outcome is not None:
                outcome = self._window.popleft().outcome
                self._room.set()
                return outcome
            if not self._window and self._exhausted:
                self._end()
                return None
            await self._ready.wait()

    async def close(self) -> list[BatchOutcome[R]]:
        """Cancel everything in flight and wait for it to end; return the finished outcomes not handed out."""
        tasks = [*self._running, *([self._producer] if self._producer is not None else [])]
        for task in tasks:
            task.cancel()
        if tasks:
            await self._asyncio.gather(*tasks, return_exceptions=True)
        finished = [slot.outcome for slot in self._window if slot.outcome is not None]
        self._window.clear()
        self._exhausted = True
        if not self._final_reported:
            self._report(final=True)
        return finished

    def progress(self, *, final: bool = False) -> BatchProgress:
        return BatchProgress(
            succeeded=self.succeeded,
            failed=self.failed,
            skipped=self.skipped,
            in_flight=self._gate.sending,
            limit=self._gate.limit,
            concurrency=self._options.concurrency,
            total=self._total,
            elapsed_s=time.monotonic() - self._started_at,
            paused_s=self._gate.paused_for(),
            final=final,
        )

    # -- internals -----------------------------------------------------------------------------------------------

    def _end(self) -> None:
        """Report the end, and raise why the batch stopped early, if it did."""
        self._report(final=True)
        if self._halted_by is not None:
            raise self._halted_by

    def _halt(self, reason: BaseException) -> None:
        """Start no more items; the ones in flight finish, then ``next()`` raises ``reason``."""
        if self._halted_by is None:
            self._halted_by = reason
            self._room.set()

    async def _produce(self) -> None:
        """Start items while there is room; stop at the end of ``items``, or when the batch stops."""
        try:
            index = 0
            while True:
                while len(self._running) >= self._options.concurrency or len(self._window) >= self._window_size:
                    self._room.clear()
                    await self._room.wait()
                if self._halted_by is not None:
                    return
                try:
                    item = next(self._items)
                except StopIteration:
                    return
                slot = self._start(index, item)
                self._window.append(slot)
                if slot.outcome is not None:  # settled at once (skipped, or refused): the consumer may take it
                    self._ready.set()
                index += 1
        except Exception as exc:  # raised by the caller's iterable: the items started so far finish first
            self._halt(exc)
        finally:
            self._exhausted = True
            self._ready.set()

    def _start(self, index: int, item: object) -> _Slot[R]:
        """Check the item and start its call, or settle it at once (refused, or skipped)."""
        options = self._options
        try:
            arguments = self._arguments.check(item)
            paths: tuple[pathlib.Path, ...] = ()
            extra: dict[str, Any] = {}
            if options.targets is not None:
                path = options.targets.path(index, arguments)
                paths = image_paths(path, image_count(arguments))
                if options.skip_existing and all(p.is_file() for p in paths):
                    self.skipped += 1
                    self._report()
                    return _Slot(index, BatchOutcome(index=index, paths=paths, skipped=True))
                options.targets.ensure_directory(path)
                extra["save_to"] = path
            call = self._create_async(**{**options.call_options, **arguments, **extra})
        except OrqError as exc:
            return self._settled(_Slot(index), BatchOutcome(index=index, error=exc))
        except Exception as exc:  # the caller's save_to function, or mkdir: still this item's failure, not the batch's
            return self._settled(_Slot(index), BatchOutcome(index=index, error=_wrapped(index, exc)))
        slot: _Slot[R] = _Slot(index)
        task = self._asyncio.ensure_future(self._call(slot, call))
        self._running.add(task)
        return slot

    async def _call(self, slot: _Slot[R], call: Coroutine[Any, Any, R]) -> None:
        pacer = ItemPacer(self._gate)
        try:
            try:
                await pacer.acquire()
            except BaseException:
                call.close()  # never started: no "coroutine was never awaited" warning
                raise
            CURRENT_PACER.set(pacer)  # this task's context only: the transport finds it there
            try:
                result = await call
            except OrqError as exc:
                outcome: BatchOutcome[R] = BatchOutcome(index=slot.index, error=exc)
            except Exception as exc:
                outcome = BatchOutcome(index=slot.index, error=_wrapped(slot.index, exc))
            else:
                paths = _saved_paths(result, self._options.images_field)
                outcome = BatchOutcome(index=slot.index, result=result, paths=paths)
            self._settled(slot, outcome)
        finally:
            pacer.release()
            self._running.discard(self._asyncio.current_task())
            self._room.set()

    def _settled(self, slot: _Slot[R], outcome: BatchOutcome[R]) -> _Slot[R]:
        slot.outcome = outcome
        if outcome.error is None:
            self.succeeded += 1
        else:
            self.failed += 1
            if self._options.stop_on_error:
                self._halt(BatchStopped(outcome.index, outcome.error))
        self._ready.set()
        self._report()
        return slot

    def _report(self, *, final: bool = False) -> None:
        if final:
            if self._final_reported:
                return
            self._final_reported = True
        if self._sink is not None:
            try:
                self._sink(self.progress(final=final))
            except Exception as exc:  # the caller's progress function: it stops the batch, as its iterable would
                self._sink = None
                self._halt(exc)


def _length(items: Iterable[object]) -> int | None:
    try:
        return len(items)  # type: ignore[arg-type]
    except TypeError:
        return None


def _saved_paths(result: object, images_field: str) -> tuple[pathlib.Path, ...]:
    images = getattr(result, images_field, None) or ()
    return tuple(path for image in images if (path := getattr(image, "saved_to", None)) is not None)


def _wrapped(index: int, exc: Exception) -> OrqError:
    error = OrqError(f"item {index}: {type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error


class AsyncBatchResults(Generic[R]):
    """What ``batch_async`` returns: ``async for outcome in ...`` hands out one ``BatchOutcome`` per item, in input
    order. Nothing is sent before the first ``__anext__``. Leaving the loop early (``break``, an exception, the task
    being cancelled) should be followed by ``aclose()``, which cancels the calls in flight; ``async with`` does it.
    After a cancellation, ``unreported`` holds the outcomes that had finished but were not handed out."""

    def __init__(self, create_async: CreateAsync[R], items: Iterable[Mapping[str, Any]], options: _Options) -> None:
        self._create_async = create_async
        self._items = items
        self._options = options
        self._engine: Engine[R] | None = None
        self._closed = False
        self.unreported: list[BatchOutcome[R]] = []

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> BatchOutcome[R]:
        if self._closed:
            raise StopAsyncIteration
        if self._engine is None:
            self._engine = Engine(self._create_async, self._items, self._options)
        try:
            outcome = await self._engine.next()
        except BaseException:
            await self.aclose()
            raise
        if outcome is None:
            self._closed = True
            raise StopAsyncIteration
        return outcome

    @property
    def progress(self) -> BatchProgress | None:
        """The current snapshot (``None`` before the batch started)."""
        return None if self._engine is None else self._engine.progress()

    async def aclose(self) -> None:
        """Cancel the calls in flight and wait for them to end (their temporary files removed). Idempotent."""
        self._closed = True
        if self._engine is not None:
            self.unreported += await self._engine.close()

    async def collect(self) -> list[BatchOutcome[R]]:
        """All outcomes, as a list in input order."""
        return [outcome async for outcome in self]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class BatchResults(Generic[R]):
    """What ``batch`` returns: ``for outcome in ...`` hands out one ``BatchOutcome`` per item, in input order.

    The calls run on a private event loop in a worker thread (started by the first ``next()``), so this works in
    plain scripts and inside Jupyter alike. Ctrl-C while waiting for an outcome cancels the calls in flight, removes
    their temporary files and raises ``BatchInterrupted`` (a ``KeyboardInterrupt``) carrying the finished outcomes
    not handed out yet. Leaving the loop early: ``close()`` (or ``with``) stops the batch at once; dropping the object
    does it too. ``progress`` callbacks are called on the worker thread.
    """

    def __init__(
        self,
        create_async: CreateAsync[R],
        items: Iterable[Mapping[str, Any]],
        options: _Options,
        core: ClientCore,
    ) -> None:
        self._create_async = create_async
        self._items = items
        self._options = options
        self._core = core
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._engine: Engine[R] | None = None
        self._closed = False
        self.unreported: list[BatchOutcome[R]] = []
        if not getattr(core, "_owns_async_client", True):
            self._closed = True
            raise OrqError(
                "batch() runs its calls on a private event loop, which cannot share the httpx2.AsyncClient given to "
                "Orq(async_client=...): use batch_async() from async code instead"
            )

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> BatchOutcome[R]:
        import asyncio

        if self._closed:
            raise StopIteration
        loop = self._loop or self._start()
        future = None
        try:
            future = asyncio.run_coroutine_threadsafe(self._next(), loop)
            outcome = future.result()
        except KeyboardInterrupt:
            if future is not None:
                future.cancel()
            self._close(hold_interrupts=True)
            raise BatchInterrupted(self.unreported, self._final_progress()) from None
        except BaseException:
            self.close()
            raise
        if outcome is None:
            self.close()
            raise StopIteration
        return outcome

    @property
    def progress(self) -> BatchProgress | None:
        """The current snapshot (``None`` before the batch started)."""
        return None if self._engine is None else self._engine.progress()

    def collect(self) -> list[BatchOutcome[R]]:
        """All outcomes, as a list in input order."""
        return list(self)

    def close(self) -> None:
        """Cancel the calls in flight, wait for them to end (their temporary files removed) and stop the worker
        thread. Idempotent; a Ctrl-C during the (short) clean-up is held back until it is done, then raised."""
        self._close(hold_interrupts=False)

    def _close(self, *, hold_interrupts: bool) -> None:
        """``close()``; with ``hold_interrupts``, a Ctrl-C during the clean-up is dropped (the caller is raising
        ``BatchInterrupted`` for the first one already)."""
        import asyncio

        if self._closed:
            return
        self._closed = True
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        interrupted = False
        while True:
            try:
                future.result()
                break
            except KeyboardInterrupt:
                interrupted = True
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        if interrupted and not hold_interrupts:
            raise KeyboardInterrupt

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        if not self._closed and self._loop is not None:
            self.close()

    def _final_progress(self) -> BatchProgress:
        if self._engine is not None:
            return self._engine.progress(final=True)
        return BatchProgress(
            succeeded=0, failed=0, skipped=0, in_flight=0, limit=0, concurrency=0, total=None, elapsed_s=0.0, final=True
        )

    def _start(self) -> asyncio.AbstractEventLoop:
        import asyncio

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="orq-images-batch", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        return loop

    async def _next(self) -> BatchOutcome[R] | None:
        if self._engine is None:
            self._engine = Engine(self._create_async, self._items, self._options)
        return await self._engine.next()

    async def _shutdown(self) -> None:
        if self._engine is not None:
            self.unreported += await self._engine.close()
        await _close_loop_client(self._core)


async def _close_loop_client(core: ClientCore) -> None:
    """Close the ``httpx2.AsyncClient`` that ``ClientCore`` made for this private loop: its connections belong to the
    loop, which is about to go (the next async call on another loop makes a new one anyway)."""
    client = getattr(core, "_async_client", None)
    on_this_loop = getattr(core, "_on_running_loop", lambda: False)
    if client is not None and getattr(core, "_owns_async_client", False) and on_this_loop():
        core._async_client = None
        await client.aclose()


def run_batch_async(
    create_async: CreateAsync[R],
    items: Iterable[Mapping[str, Any]],
    *,
    core: ClientCore,
    concurrency: int = DEFAULT_CONCURRENCY,
    save_to: BatchSaveTo | None = None,
    skip_existing: bool = False,
    stop_on_error: bool = False,
    progress: ProgressOption = None,
    images_field: str = "data",
    **call_options: Any,
) -> AsyncBatchResults[R]:
    """``create_async`` for every dict of ``items``: see ``AsyncBatchResults``. ``call_options`` (retries,
    timeout_ms, ...) apply to every call; an item may override them. Options are checked here, at once."""
    options = _options(
        core=core,
        concurrency=concurrency,
        save_to=save_to,
        skip_existing=skip_existing,
        stop_on_error=stop_on_error,
        progress=progress,
        call_options=call_options,
        images_field=images_field,
    )
    return AsyncBatchResults(create_async, items, options)


def run_batch(
    create_async: CreateAsync[R],
    items: Iterable[Mapping[str, Any]],
    *,
    core: ClientCore,
    concurrency: int = DEFAULT_CONCURRENCY,
    save_to: BatchSaveTo | None = None,
    skip_existing: bool = False,
    stop_on_error: bool = False,
    progress: ProgressOption = None,
    images_field: str = "data",
    **call_options: Any,
) -> BatchResults[R]:
    """The sync twin of ``run_batch_async``: see ``BatchResults``."""
    options = _options(
        core=core,
        concurrency=concurrency,
        save_to=save_to,
        skip_existing=skip_existing,
        stop_on_error=stop_on_error,
        progress=progress,
        call_options=call_options,
        images_field=images_field,
    )
    return BatchResults(create_async, items, options, core)
