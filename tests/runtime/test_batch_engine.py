"""The batch engine on its own, with a stand-in for `create_async` (no HTTP: what is checked here is ordering,
accounting and laziness, whatever the calls do): every item gets exactly one outcome, in input order, with its own
result or error; never more than `concurrency` calls run at once; items are taken no further ahead than the window."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images import OrqError
from orq_images._runtime.batch import BatchOutcome, run_batch_async
from orq_images._runtime.transport import DEFAULT

ITEM = st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(["ok", "status", "bug"]))


class StandIn:
    """`create_async` with the keywords of the real one that matter here; records how many calls run at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.calls: list[str] = []

    def __call__(
        self,
        *,
        prompt: str,
        model: str,
        retries: object = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: object = None,
    ) -> Coroutine[Any, Any, str]:
        return self._call(prompt)

    async def _call(self, prompt: str) -> str:
        self.calls.append(prompt)
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            delay_ms, kind = prompt.split(":")[1:]
            await asyncio.sleep(int(delay_ms) / 1000)
            if kind == "status":
                raise OrqError(f"refused {prompt}")
            if kind == "bug":
                raise LookupError("a bug inside")
            return prompt
        finally:
            self.running -= 1


def outcomes_of(stand_in: StandIn, items: list[dict[str, str]], concurrency: int) -> list[BatchOutcome[str]]:
    async def main() -> list[BatchOutcome[str]]:
        results = run_batch_async(stand_in, iter(items), core=object(), concurrency=concurrency, progress=False)  # type: ignore[arg-type]
        async with results:
            return await results.collect()

    return asyncio.run(main())


@settings(max_examples=40, deadline=None)
@given(st.lists(ITEM, max_size=25), st.integers(min_value=1, max_value=5))
def test_every_item_gets_one_outcome_in_input_order(plan: list[tuple[int, str]], concurrency: int) -> None:
    items = [{"prompt": f"{i}:{delay}:{kind}", "model": "m"} for i, (delay, kind) in enumerate(plan)]
    stand_in = StandIn()

    outcomes = outcomes_of(stand_in, items, concurrency)

    assert [o.index for o in outcomes] == list(range(len(plan)))
    for outcome, (_, kind) in zip(outcomes, plan, strict=True):
        if kind == "ok":
            assert outcome.ok and outcome.result == items[outcome.index]["prompt"]
        else:
            assert not outcome.ok and outcome.result is None and isinstance(outcome.error, OrqError)
            if kind == "status":  # the call's own OrqError, as raised
                assert str(outcome.error) == f"refused {items[outcome.index]['prompt']}"
            else:  # anything else is wrapped in an OrqError naming the item, the original as its cause
                assert isinstance(outcome.error.__cause__, LookupError) and f"item {outcome.index}" in str(
                    outcome.error
                )
    assert sorted(stand_in.calls) == sorted(item["prompt"] for item in items), "each item called exactly once"
    assert stand_in.most <= concurrency


def test_items_are_taken_no_further_ahead_than_twice_the_concurrency() -> None:
    taken = 0
    stand_in = StandIn()

    def endless() -> Iterator[dict[str, str]]:
        nonlocal taken
        while True:
            taken += 1
            yield {"prompt": f"{taken}:2:ok", "model": "m"}

    async def main() -> list[int]:
        seen = []
        async with run_batch_async(stand_in, endless(), core=object(), concurrency=4, progress=False) as results:  # type: ignore[arg-type]
            async for outcome in results:
                seen.append(taken - outcome.index - 1)
                if outcome.index == 50:
                    break
        return seen

    ahead = asyncio.run(main())
    assert max(ahead) <= 2 * 4
    assert stand_in.most == 4
