"""`batch()` / `batch_async()`: many calls from an iterable of argument dicts, against the real local server.

Each test checks what the caller gets (outcomes in input order, errors, paths), what the server received (how many
POSTs, which prompts, how many at once, when) and what is on disk (images, no `.part` files). Latencies are a few
hundredths of a second, so the whole file runs in seconds.
"""

from __future__ import annotations

import asyncio
import base64
import io
import pathlib
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from orq_images import (
    BadRequestError,
    BatchInterrupted,
    BatchOutcome,
    BatchProgress,
    BatchStopped,
    Orq,
    OrqError,
    RateLimitError,
    RequestValidationError,
    RetryConfig,
)
from orq_images._runtime.progress import ProgressLine, progress_sink
from orq_images.models import CreateImageResponse
from orq_images.types import UNSET

from tests.client.conftest import API_KEY
from tests.support.server import LocalServer, RecordedRequest, ScriptedResponse, scripted

Mode = Literal["sync", "async"]
MODES = pytest.mark.parametrize("mode", ["sync", "async"])
MODEL = "openai/gpt-image-1"
NO_WAIT_RETRIES = RetryConfig(max_retries=6, initial_delay=0.01, max_delay=0.05)


# -- helpers -------------------------------------------------------------------------------------------------------


def items(count: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"prompt": f"p{i}", "model": MODEL, **extra} for i in range(count)]


def index_of(request: RecordedRequest) -> int:
    return int(request.json["prompt"][1:])


def image_of(index: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + f"image {index}".encode() * 50


def image_answer(request: RecordedRequest, delay: float = 0.0) -> ScriptedResponse:
    """200 with one base64 image made from the request's prompt, and ``created`` = the item's index."""
    index = index_of(request)
    document = {"created": index, "data": [{"b64_json": base64.b64encode(image_of(index)).decode()}]}
    return scripted(200, json=document, delay=delay)


def run(orq: Orq, mode: Mode, batch_items: Any, **options: Any) -> list[BatchOutcome[CreateImageResponse]]:
    """All outcomes of ``batch`` / ``batch_async`` (collected in a fresh event loop)."""
    generations = orq.router.images.generations
    if mode == "sync":
        return generations.batch(batch_items, progress=False, **options).collect()

    async def main() -> list[BatchOutcome[CreateImageResponse]]:
        async with generations.batch_async(batch_items, progress=False, **options) as results:
            return await results.collect()

    return asyncio.run(main())


def listing(directory: pathlib.Path) -> list[str]:
    """Every file under ``directory`` (hidden `.part` files included), relative to it."""
    return sorted(path.relative_to(directory).as_posix() for path in directory.rglob("*") if path.is_file())


@pytest.fixture
def orq(server: LocalServer) -> Iterator[Orq]:
    with Orq(api_key=API_KEY, server_url=server.url) as client:
        yield client


# -- outcomes ------------------------------------------------------------------------------------------------------


@MODES
def test_outcomes_come_in_input_order_though_the_calls_finish_in_reverse(
    server: LocalServer, orq: Orq, mode: Mode
) -> None:
    server.respond = lambda request, _: image_answer(request, delay=0.04 * (8 - index_of(request)))

    outcomes = run(orq, mode, items(8), concurrency=8)

    assert [o.index for o in outcomes] == list(range(8))
    assert [o.result.created if o.result else None for o in outcomes] == list(range(8))
    assert all(o.ok and o.error is None and not o.skipped and o.paths == () for o in outcomes)
    assert len(server.requests) == 8
    assert server.peak_in_flight >= 4, "the calls overlapped, so the later items finished first"


@MODES
def test_one_bad_item_among_good_ones_fails_alone(server: LocalServer, orq: Orq, mode: Mode) -> None:
    def respond(request: RecordedRequest, _: int) -> ScriptedResponse:
        if request.json["prompt"] == "p3":
            return scripted(400, json={"error": {"message": "unsafe prompt", "type": "invalid_request_error"}})
        return image_answer(request)

    batch_items: list[Any] = items(6)
    batch_items[1] = {"prompt": "p1", "model": MODEL, "n": "two"}  # refused before sending
    batch_items[4] = {"prompt": "p4", "model": MODEL, "colour": "red"}  # not an argument of create()
    batch_items[5] = "p5"  # not a dict
    server.respond = respond

    outcomes = run(orq, mode, batch_items, retries=None)

    assert [o.index for o in outcomes] == list(range(6))
    assert [o.ok for o in outcomes] == [True, False, True, False, False, False]
    assert isinstance(outcomes[1].error, RequestValidationError) and outcomes[1].error.path == "n"
    assert isinstance(outcomes[3].error, BadRequestError) and "unsafe prompt" in str(outcomes[3].error)
    assert isinstance(outcomes[4].error, RequestValidationError) and outcomes[4].error.path == "colour"
    assert isinstance(outcomes[5].error, RequestValidationError)
    assert outcomes[0].result is not None and outcomes[2].result is not None
    assert sorted(r.json["prompt"] for r in server.requests) == ["p0", "p2", "p3"], "refused items are never sent"


def test_an_items_own_mistakes_are_its_outcome_not_the_batchs(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.respond = lambda request, _: image_answer(request)

    def save_to(i: int) -> pathlib.Path:
        if i == 2:
            raise KeyError("no name for item 2")
        return tmp_path / f"{i}.png"

    batch_items: list[Any] = items(4)
    batch_items[0] = {"model": MODEL}  # no prompt
    batch_items[1] = {"prompt": "p1", "model": MODEL, "save_to": "mine.png"}  # save_to is the batch's

    outcomes = run(orq, "sync", batch_items, save_to=save_to)

    assert [o.ok for o in outcomes] == [False, False, False, True]
    assert isinstance(outcomes[0].error, RequestValidationError) and outcomes[0].error.path == "prompt"
    assert isinstance(outcomes[1].error, RequestValidationError) and outcomes[1].error.path == "save_to"
    assert isinstance(outcomes[2].error, OrqError) and isinstance(outcomes[2].error.__cause__, KeyError)
    assert "item 2" in str(outcomes[2].error)
    assert [r.json["prompt"] for r in server.requests] == ["p3"]


def test_sync_batch_refuses_a_given_async_client_which_belongs_to_another_loop(server: LocalServer) -> None:
    import httpx2

    async def main() -> None:
        async with httpx2.AsyncClient() as http, Orq(API_KEY, server_url=server.url, async_client=http) as client:
            with pytest.raises(OrqError, match="batch_async"):
                client.router.images.generations.batch(items(1))
            outcomes = [o async for o in client.router.images.generations.batch_async(items(1), progress=False)]
            assert outcomes[0].ok

    asyncio.run(main())


def test_stop_on_error_starts_nothing_after_the_first_failure(server: LocalServer, orq: Orq) -> None:
    server.respond = lambda request, _: (
        scripted(400, json={"error": {"message": "no"}}) if request.json["prompt"] == "p2" else image_answer(request)
    )
    results = orq.router.images.generations.batch(items(10), concurrency=1, stop_on_error=True, retries=None)

    seen = []
    with pytest.raises(BatchStopped) as stopped:
        for outcome in results:
            seen.append(outcome)

    assert [o.index for o in seen] == [0, 1, 2] and not seen[2].ok
    assert stopped.value.index == 2 and isinstance(stopped.value.error, BadRequestError)
    assert [r.json["prompt"] for r in server.requests] == ["p0", "p1", "p2"]


# -- save_to and skip_existing -------------------------------------------------------------------------------------


@MODES
def test_save_to_writes_each_item_to_its_path_and_keeps_no_image_data(
    server: LocalServer, orq: Orq, mode: Mode, tmp_path: pathlib.Path
) -> None:
    server.respond = lambda request, _: image_answer(request)

    outcomes = run(orq, mode, items(5), save_to=str(tmp_path / "out" / "{i:03}.png"))

    assert listing(tmp_path) == ["out/000.png", "out/001.png", "out/002.png", "out/003.png", "out/004.png"]
    for outcome in outcomes:
        path = tmp_path / "out" / f"{outcome.index:03}.png"
        assert outcome.paths == (path,)
        assert path.read_bytes() == image_of(outcome.index)
        assert outcome.result is not None and outcome.result.data[0].b64_json is UNSET


def test_save_to_may_be_a_function_of_the_index_and_the_item(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.respond = lambda request, _: image_answer(request)

    outcomes = run(orq, "sync", items(3), save_to=lambda i, item: tmp_path / f"{item['prompt']}-{i}.png")

    assert [o.paths for o in outcomes] == [(tmp_path / f"p{i}-{i}.png",) for i in range(3)]
    assert listing(tmp_path) == ["p0-0.png", "p1-1.png", "p2-2.png"]


def test_two_items_with_one_path_the_second_is_refused(server: LocalServer, orq: Orq, tmp_path: pathlib.Path) -> None:
    server.respond = lambda request, _: image_answer(request)

    outcomes = run(orq, "sync", items(3), save_to=lambda i: tmp_path / f"{min(i, 1)}.png")

    assert [o.ok for o in outcomes] == [True, True, False]
    assert isinstance(outcomes[2].error, RequestValidationError) and outcomes[2].error.path == "save_to"
    assert len(server.requests) == 2


@MODES
def test_skip_existing_after_a_crash_sends_only_the_missing_items(
    server: LocalServer, orq: Orq, mode: Mode, tmp_path: pathlib.Path
) -> None:
    for index in range(0, 10, 2):  # the crashed run had finished the even ones
        (tmp_path / f"{index:02}.png").write_bytes(b"from the first run")
    server.respond = lambda request, _: image_answer(request)

    outcomes = run(orq, mode, items(10), save_to=str(tmp_path / "{i:02}.png"), skip_existing=True)

    assert sorted(index_of(r) for r in server.requests) == [1, 3, 5, 7, 9]
    assert [o.skipped for o in outcomes] == [True, False] * 5
    assert all(o.ok and o.paths == (tmp_path / f"{o.index:02}.png",) for o in outcomes)
    assert (tmp_path / "00.png").read_bytes() == b"from the first run"
    assert (tmp_path / "01.png").read_bytes() == image_of(1)
    assert listing(tmp_path) == [f"{i:02}.png" for i in range(10)]


@MODES
def test_a_rerun_of_a_finished_batch_sends_nothing(
    server: LocalServer, orq: Orq, mode: Mode, tmp_path: pathlib.Path
) -> None:
    for index in range(10):
        (tmp_path / f"{index}.png").write_bytes(b"done before")

    outcomes = run(orq, mode, items(10), save_to=str(tmp_path / "{i}.png"), skip_existing=True, concurrency=1)

    assert [o.skipped for o in outcomes] == [True] * 10
    assert server.requests == []


def test_skip_existing_needs_every_image_of_an_item(server: LocalServer, orq: Orq, tmp_path: pathlib.Path) -> None:
    (tmp_path / "0.png").write_bytes(b"image 0 of 2")  # 0-1.png is missing
    server.respond = lambda request, _: scripted(
        200, json={"created": 1, "data": [{"b64_json": "AAAA"}, {"b64_json": "AAAA"}]}
    )

    outcomes = run(orq, "sync", items(1, n=2), save_to=str(tmp_path / "{i}.png"), skip_existing=True)

    assert not outcomes[0].skipped and outcomes[0].paths == (tmp_path / "0.png", tmp_path / "0-1.png")
    assert len(server.requests) == 1


def test_options_are_checked_at_the_call(orq: Orq, tmp_path: pathlib.Path) -> None:
    generations = orq.router.images.generations
    with pytest.raises(RequestValidationError, match="concurrency"):
        generations.batch(items(1), concurrency=0)
    with pytest.raises(RequestValidationError, match="save_to"):
        generations.batch(items(1), save_to=tmp_path / "same-for-all.png")
    with pytest.raises(RequestValidationError, match="skip_existing"):
        generations.batch_async(items(1), skip_existing=True)
    with pytest.raises(TypeError, match="progress"):
        generations.batch(items(1), progress="yes")  # type: ignore[arg-type]


# -- rate limits ---------------------------------------------------------------------------------------------------


@MODES
def test_a_429_storm_slows_the_whole_batch_which_waits_out_retry_after_together(
    server: LocalServer, orq: Orq, mode: Mode
) -> None:
    retry_after = 0.3
    refused_at: list[float] = []
    lock = threading.Lock()

    def respond(request: RecordedRequest, count: int) -> ScriptedResponse:
        if count < 6:  # the first six requests are refused
            with lock:
                refused_at.append(time.monotonic())
            return scripted(429, json={"error": {"message": "slow down"}}, headers={"Retry-After": str(retry_after)})
        return image_answer(request, delay=0.03)

    server.respond = respond
    outcomes = run(orq, mode, items(24), concurrency=6, retries=NO_WAIT_RETRIES)

    assert all(o.ok for o in outcomes), [o.error for o in outcomes if o.error]
    answered = [r for r in server.requests if r not in server.requests[:6]]
    assert sorted(index_of(r) for r in answered) == list(range(24)), "every item answered once: none billed twice"
    assert len(server.requests) == 24 + 6
    assert server.peak_in_flight <= 6
    # Everyone waited out the Retry-After: nothing arrived between the storm and its end (the last 429's own
    # in-flight neighbours aside, which were sent before the client saw it).
    storm_end = max(refused_at) + retry_after
    early = [r.received_at - max(refused_at) for r in answered if max(refused_at) + 0.05 < r.received_at < storm_end]
    assert early == []
    # ... and came back with fewer in flight: at most half of the six arrived in the first moment after it.
    first_back = min(r.received_at for r in answered)
    assert first_back >= storm_end - 0.05
    assert sum(1 for r in answered if r.received_at < first_back + 0.02) <= 3


def test_a_503_without_retry_after_also_pauses_the_batch(server: LocalServer, orq: Orq) -> None:
    def respond(request: RecordedRequest, count: int) -> ScriptedResponse:
        if count == 0:
            return scripted(503, json={"error": {"message": "overloaded"}})
        return image_answer(request)

    server.respond = respond
    started = time.monotonic()
    outcomes = run(orq, "sync", items(4), concurrency=1, retries=NO_WAIT_RETRIES)

    assert all(o.ok for o in outcomes)
    assert len(server.requests) == 5
    assert server.requests[1].received_at - started >= 0.9, "the whole batch paused for about a second"


def test_an_item_refused_more_often_than_its_retries_allow_fails_alone(server: LocalServer, orq: Orq) -> None:
    server.respond = lambda request, _: (
        scripted(429, json={"error": {"message": "no"}}, headers={"Retry-After": "0"})
        if request.json["prompt"] == "p1"
        else image_answer(request)
    )

    outcomes = run(orq, "sync", items(3), concurrency=1, retries=RetryConfig(max_retries=2))

    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, RateLimitError)
    assert [r.json["prompt"] for r in server.requests].count("p1") == 3


# -- laziness ------------------------------------------------------------------------------------------------------


@MODES
def test_a_generator_of_items_is_read_only_as_far_as_needed(server: LocalServer, orq: Orq, mode: Mode) -> None:
    taken = 0

    def endless() -> Iterator[dict[str, Any]]:
        nonlocal taken
        while True:
            yield {"prompt": f"p{taken}", "model": MODEL}
            taken += 1

    server.respond = lambda request, _: image_answer(request, delay=0.05)
    generations = orq.router.images.generations

    if mode == "sync":
        with generations.batch(endless(), concurrency=3, progress=False) as results:
            first = next(results)
            taken_at_first = taken
            more = [next(results) for _ in range(5)]
    else:

        async def main() -> tuple[BatchOutcome[CreateImageResponse], int, list[BatchOutcome[CreateImageResponse]]]:
            async with generations.batch_async(endless(), concurrency=3, progress=False) as results:
                first = await anext(results)
                taken_at_first = taken
                more = [await anext(results) for _ in range(5)]
            return first, taken_at_first, more

        first, taken_at_first, more = asyncio.run(main())

    assert first.index == 0 and [o.index for o in more] == [1, 2, 3, 4, 5]
    assert taken_at_first <= 2 * 3, "no more items started than twice the concurrency"
    assert taken <= 6 + 2 * 3
    assert len(server.requests) <= 6 + 3


# -- interruption --------------------------------------------------------------------------------------------------


def slow_image_answer(request: RecordedRequest, _: int) -> ScriptedResponse:
    """Items 0 and 1 answer at once; the others send half their image, then stall (their `.part` files exist)."""
    index = index_of(request)
    document = {"created": index, "data": [{"b64_json": base64.b64encode(image_of(index) * 40).decode()}]}
    answer = scripted(200, json=document)
    if index < 2:
        return answer
    return ScriptedResponse(answer.status, answer.headers, answer.body, body_delay=30.0)


def test_a_cancelled_async_batch_leaves_no_temporary_file_and_keeps_what_finished(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.respond = slow_image_answer
    handed_out: list[BatchOutcome[CreateImageResponse]] = []
    generations = orq.router.images.generations

    async def main() -> list[BatchOutcome[CreateImageResponse]]:
        results = generations.batch_async(items(6), concurrency=4, save_to=str(tmp_path / "{i}.png"), progress=False)

        async def consume() -> None:
            async for outcome in results:
                handed_out.append(outcome)

        task = asyncio.create_task(consume())
        while len(list(tmp_path.glob(".*.part"))) < 2:  # items 2 and 3 are half written
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return results.unreported

    unreported = asyncio.run(main())

    assert [o.index for o in handed_out] == [0, 1]
    assert unreported == []
    assert listing(tmp_path) == ["0.png", "1.png"], "no .part file, nothing half written"


def test_ctrl_c_during_a_sync_batch_leaves_no_temporary_file_and_reports_what_finished(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.respond = slow_image_answer
    main_thread = threading.get_ident()

    def press_ctrl_c_when_parts_exist() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            progress = results.progress
            if progress is not None and progress.succeeded == 2 and len(list(tmp_path.glob(".*.part"))) >= 2:
                break
            time.sleep(0.01)
        time.sleep(0.05)  # the main thread is waiting for item 1 or 2 by now
        signal.pthread_kill(main_thread, signal.SIGINT)

    results = orq.router.images.generations.batch(
        items(6), concurrency=4, save_to=str(tmp_path / "{i}.png"), progress=False
    )
    first = next(results)  # item 0
    threading.Thread(target=press_ctrl_c_when_parts_exist).start()
    with pytest.raises(BatchInterrupted) as interrupted:
        for _ in results:
            pass

    assert first.index == 0
    assert isinstance(interrupted.value, KeyboardInterrupt)
    assert interrupted.value.progress.succeeded == 2
    assert [o.index for o in interrupted.value.finished] in ([], [1])
    assert listing(tmp_path) == ["0.png", "1.png"], "no .part file, nothing half written"


# -- progress ------------------------------------------------------------------------------------------------------


def test_the_progress_callback_sees_every_item_finish(server: LocalServer, orq: Orq) -> None:
    server.respond = lambda request, _: (
        scripted(400, json={"error": {"message": "no"}}) if request.json["prompt"] == "p5" else image_answer(request)
    )
    snapshots: list[BatchProgress] = []

    results = orq.router.images.generations.batch(items(10), concurrency=3, progress=snapshots.append, retries=None)
    outcomes = results.collect()

    assert len(outcomes) == 10
    assert snapshots[0].finished == 0 and snapshots[0].total == 10
    finished = [s.finished for s in snapshots]
    assert finished == sorted(finished) and set(range(11)) <= set(finished)
    assert all(s.in_flight <= 3 and s.limit == 3 for s in snapshots)
    last = snapshots[-1]
    assert last.final and (last.succeeded, last.failed, last.skipped) == (9, 1, 0)
    assert [s.final for s in snapshots].count(True) == 1
    assert last.rate_per_s > 0 and last.eta_s == 0


def test_a_progress_callback_that_raises_stops_the_batch_with_its_error(server: LocalServer, orq: Orq) -> None:
    server.respond = lambda request, _: image_answer(request)

    def broken(snapshot: BatchProgress) -> None:
        if snapshot.finished == 2:
            raise ZeroDivisionError("my display broke")

    seen = []
    with pytest.raises(ZeroDivisionError, match="my display broke"):
        for outcome in orq.router.images.generations.batch(items(20), concurrency=1, progress=broken):
            seen.append(outcome.index)

    assert seen == [0, 1] and len(server.requests) == 2, "the item in flight finished, no other was started"


def test_an_iterable_that_raises_stops_the_batch_after_the_items_in_flight(server: LocalServer, orq: Orq) -> None:
    server.respond = lambda request, _: image_answer(request)

    def three_then_broken() -> Iterator[dict[str, Any]]:
        yield from items(3)
        raise ValueError("bad line in prompts.txt")

    seen = []
    with pytest.raises(ValueError, match="bad line"):
        for outcome in orq.router.images.generations.batch(three_then_broken(), progress=False):
            seen.append(outcome.index)

    assert seen == [0, 1, 2] and len(server.requests) == 3


def test_a_generator_has_no_total_and_no_time_left() -> None:
    snapshot = BatchProgress(
        succeeded=3, failed=0, skipped=0, in_flight=2, limit=4, concurrency=4, total=None, elapsed_s=1.5
    )
    assert snapshot.total is None and snapshot.eta_s is None and snapshot.rate_per_s == 2.0


def test_the_progress_line_is_off_when_stderr_is_not_a_terminal(
    server: LocalServer, orq: Orq, capsys: pytest.CaptureFixture[str]
) -> None:
    server.respond = lambda request, _: image_answer(request)

    assert progress_sink(None, io.StringIO()) is None
    outcomes = orq.router.images.generations.batch(items(3)).collect()  # progress=None: stderr is captured here

    assert len(outcomes) == 3
    assert capsys.readouterr().err == ""


def test_the_progress_line_on_a_terminal_is_rewritten_in_place() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    sink = progress_sink(None, terminal)
    assert isinstance(sink, ProgressLine)

    def snapshot(done: int, *, final: bool = False) -> BatchProgress:
        return BatchProgress(
            succeeded=done,
            failed=1,
            skipped=0,
            in_flight=2,
            limit=2,
            concurrency=4,
            total=100,
            elapsed_s=2.0,
            final=final,
        )

    sink(snapshot(9))
    sink(snapshot(10))  # within a tenth of a second of the previous one: not shown
    sink(snapshot(49, final=True))
    text = terminal.getvalue()
    assert text.startswith(
        "\rbatch: 10/100 done · 1 failed · 2 in flight · slowed to 2 by rate limits · 5.0/s · 0:18 left"
    )
    last = "\rbatch: 50/100 done · 1 failed · 25.0/s · in 0:02"
    assert text.endswith(last + " " * (len(text.split("\r")[1]) - len(last) + 1) + "\n"), "the longer line is wiped"
    assert text.count("\r") == 2


# -- where a loop already runs -------------------------------------------------------------------------------------


def test_sync_batch_works_where_an_event_loop_is_running_as_in_jupyter(server: LocalServer, orq: Orq) -> None:
    server.respond = lambda request, _: image_answer(request)

    async def notebook_cell() -> list[BatchOutcome[CreateImageResponse]]:
        return orq.router.images.generations.batch(items(4), progress=False).collect()

    outcomes = asyncio.run(notebook_cell())

    assert [o.result.created if o.result else None for o in outcomes] == [0, 1, 2, 3]


# -- retries -------------------------------------------------------------------------------------------------------


def test_by_default_a_batch_waits_out_rate_limits_longer_than_a_single_call(server: LocalServer, orq: Orq) -> None:
    refusals = iter(range(5))
    server.respond = lambda request, _: (
        scripted(429, json={"error": {"message": "busy"}}, headers={"Retry-After": "0"})
        if request.json["prompt"] == "p0" and next(refusals, None) is not None
        else image_answer(request)
    )

    outcomes = run(orq, "sync", items(2))

    assert [o.ok for o in outcomes] == [True, True]
    assert [r.json["prompt"] for r in server.requests].count("p0") == 6, "5 refusals, then the answer"


def test_a_client_with_its_own_retry_config_keeps_it_in_a_batch(server: LocalServer) -> None:
    refusals = iter(range(5))
    server.respond = lambda request, _: (
        scripted(429, json={"error": {"message": "busy"}}, headers={"Retry-After": "0"})
        if request.json["prompt"] == "p0" and next(refusals, None) is not None
        else image_answer(request)
    )

    with Orq(api_key=API_KEY, server_url=server.url, retry_config=RetryConfig(max_retries=1)) as client:
        outcomes = run(client, "async", items(2))

    assert [o.ok for o in outcomes] == [False, True] and isinstance(outcomes[0].error, RateLimitError)
    assert [r.json["prompt"] for r in server.requests].count("p0") == 2
