"""Figure 2: 200 concurrent async seed calls (`asyncio.gather`) answered at once, wall time of the whole batch: the
client's own cost per call in flight. (`inflight` measures batches against a server that takes its time.)"""

from __future__ import annotations

import asyncio
import gc
import time

from .clients import ASYNC_FACTORIES, NAMES, OFFICIAL, ORQ, RAW, RAW_HTTPX, AsyncClient, describe_error
from .serverproc import Server
from .stats import Row, median, paired_ratio, ratio, spread

TARGET = 1.3


async def _measure(server: Server, rounds: int, concurrency: int) -> dict[str, list[float] | str]:
    clients: dict[str, AsyncClient] = {}
    results: dict[str, list[float] | str] = {}
    for name in NAMES:
        try:
            client = ASYNC_FACTORIES[name](server.url)
            await asyncio.gather(*(client.call() for _ in range(concurrency)))  # warm-up: opens the connections
        except Exception as exc:
            results[name] = describe_error(exc)
        else:
            clients[name] = client
            results[name] = []
    try:
        for index in range(rounds):
            names = list(clients)
            shift = index % len(names) if names else 0
            for name in names[shift:] + names[:shift]:
                call = clients[name].call
                gc.collect()
                start = time.perf_counter()
                await asyncio.gather(*(call() for _ in range(concurrency)))
                elapsed = time.perf_counter() - start
                samples = results[name]
                assert isinstance(samples, list)
                samples.append(elapsed * 1e3)
    finally:
        for client in clients.values():
            await client.aclose()
    return results


def measure(server: Server, rounds: int, concurrency: int) -> dict[str, list[float] | str]:
    """Per client: the wall time in milliseconds of each batch of `concurrency` gathered calls, or its error."""
    return asyncio.run(_measure(server, rounds, concurrency))


def rows(results: dict[str, list[float] | str], concurrency: int) -> list[Row]:
    def value(name: str) -> float | None:
        samples = results.get(name)
        return median(samples) if isinstance(samples, list) and samples else None

    ours, raw, official = value(ORQ), value(RAW), value(OFFICIAL)
    row = Row(
        figure=f"{concurrency} concurrent async",
        unit="ms",
        ours=ours,
        baseline=raw,
        baseline_name=RAW,
        ratio=_paired(results, ORQ, RAW),
        target=TARGET,
        target_text=f"<= {TARGET}x",
        official=official,
        httpx=value(RAW_HTTPX),
    )
    for name in NAMES:
        samples = results.get(name)
        if isinstance(samples, str):
            row.notes.append(f"{name} failed: {samples}")
        elif samples:
            row.notes.append(f"{name}: median {median(samples):.1f} ms per batch of {concurrency} ({spread(samples)})")
    row.notes.append("raw httpx2 / httpx: AsyncClient with orq-images' pool (1000 connections, 100 kept alive)")
    medians = ratio(ours, raw)
    if medians is not None:
        row.notes.append(
            f"ratio column: median over rounds of the ratio in each round; ratio of medians {medians:.2f}x"
        )
    return [row]


def _paired(results: dict[str, list[float] | str], ours: str, baseline: str) -> float | None:
    a, b = results.get(ours), results.get(baseline)
    return paired_ratio(a, b) if isinstance(a, list) and isinstance(b, list) else None
