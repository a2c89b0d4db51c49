"""The batch's shared gate (`RateGate`) and each item's `ItemPacer`: AIMD on 429/503, Retry-After shared by all,
attempts admitted in arrival order and never more than the limit. Pauses here are hundredths of a second."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from orq_images._runtime.pacing import ItemPacer, RateGate

T = TypeVar("T")


def run(test: Callable[[RateGate], Awaitable[T]], concurrency: int = 8) -> T:
    async def main() -> T:
        return await test(RateGate(concurrency, asyncio.get_running_loop()))

    return asyncio.run(main())


async def started(gate: RateGate, count: int) -> list[ItemPacer]:
    """``count`` items holding a place and sending their first attempt."""
    pacers = [ItemPacer(gate) for _ in range(count)]
    for pacer in pacers:
        await pacer.acquire()
        await pacer.before_attempt()
    return pacers


def test_a_storm_of_429s_to_one_round_of_attempts_halves_the_limit_once() -> None:
    async def test(gate: RateGate) -> tuple[int, int, int]:
        pacers = await started(gate, 8)
        for pacer in pacers:
            pacer.after_response(429, 0.0)
        return gate.limit, gate.cuts, gate.sending

    assert run(test) == (4, 1, 0), "one cut, and every refused attempt gave its place back"


def test_a_429_to_an_attempt_sent_after_the_cut_halves_it_again() -> None:
    async def test(gate: RateGate) -> list[int]:
        first = await started(gate, 1)
        first[0].after_response(429, 0.0)
        await asyncio.sleep(0.001)
        second = await started(gate, 1)
        second[0].after_response(429, 0.0)
        return [gate.limit, gate.cuts]

    assert run(test) == [2, 2]


def test_each_success_lets_one_more_in_up_to_the_concurrency() -> None:
    async def test(gate: RateGate) -> list[int]:
        (refused,) = await started(gate, 1)
        refused.after_response(503, 0.0)
        limits = [gate.limit]
        for _ in range(6):
            (pacer,) = await started(gate, 1)
            pacer.after_response(200, None)
            pacer.release()
            limits.append(gate.limit)
        return limits

    assert run(test) == [4, 5, 6, 7, 8, 8, 8]


def test_retry_after_holds_back_every_attempt_of_the_batch() -> None:
    async def test(gate: RateGate) -> float:
        (refused,) = await started(gate, 1)
        refused.after_response(429, 0.15)
        start = gate.now()
        await asyncio.gather(*(ItemPacer(gate).acquire() for _ in range(3)))
        return gate.now() - start

    assert run(test) >= 0.14


def test_without_retry_after_the_pause_starts_at_a_second_and_doubles_while_congestion_lasts() -> None:
    async def test(gate: RateGate) -> list[float]:
        pauses = []
        for _ in range(5):
            gate.observe(429, None, started_at=gate.now())  # an attempt sent after the previous cut
            pauses.append(round(gate.paused_for()))
        gate.observe(200, None, started_at=gate.now())  # one got through: congestion over
        gate.observe(429, None, started_at=gate.now())
        pauses.append(round(gate.paused_for()))
        return pauses

    assert run(test) == [1, 2, 4, 8, 8, 8], "the pause already set is not shortened"


def test_attempts_wait_in_arrival_order_and_never_exceed_the_limit() -> None:
    async def test(gate: RateGate) -> tuple[list[int], int]:
        admitted: list[int] = []
        most = 0

        async def item(number: int) -> None:
            nonlocal most
            pacer = ItemPacer(gate)
            await pacer.acquire()
            admitted.append(number)
            most = max(most, gate.sending)
            await asyncio.sleep(0.01)
            pacer.release()

        await asyncio.gather(*(item(number) for number in range(10)))
        return admitted, most

    admitted, most = run(test, concurrency=3)
    assert admitted == list(range(10)) and most == 3


def test_a_cancelled_waiter_leaves_no_place_taken() -> None:
    async def test(gate: RateGate) -> tuple[int, int]:
        (holder,) = await started(gate, 1)
        waiter = asyncio.ensure_future(ItemPacer(gate).acquire())
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        holder.release()
        late = ItemPacer(gate)
        await asyncio.wait_for(late.acquire(), 1)
        return gate.sending, len(gate._waiters)

    assert run(test, concurrency=1) == (1, 0)


def test_a_retry_after_a_connection_error_queues_again_like_everyone_else() -> None:
    async def test(gate: RateGate) -> list[int]:
        (pacer,) = await started(gate, 1)
        sending = [gate.sending]
        await pacer.before_attempt()  # the transport retries after an error: no answer was seen
        sending.append(gate.sending)
        pacer.release()
        sending.append(gate.sending)
        return sending

    assert run(test, concurrency=1) == [1, 1, 0]
