"""Figure 1: time per call, sync, sequential seed calls on one pooled keep-alive connection."""

from __future__ import annotations

import gc
import time

from .clients import NAMES, OFFICIAL, ORQ, RAW, RAW_HTTPX, SYNC_FACTORIES, SyncClient, describe_error
from .serverproc import Server
from .stats import Row, median, paired_ratio, ratio, spread

TARGET = 1.15


def measure(server: Server, rounds: int, calls: int, warmup: int = 50) -> dict[str, list[float] | str]:
    """Per client: the per-call time in microseconds of each round (a round is `calls` sequential calls), or
    the error that stopped it. Clients take turns inside each round, in a rotating order, so drift hits all."""
    clients: dict[str, SyncClient] = {}
    results: dict[str, list[float] | str] = {}
    for name in NAMES:
        try:
            client = SYNC_FACTORIES[name](server.url)
            for _ in range(warmup):
                client.call()
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
                for _ in range(calls):
                    call()
                elapsed = time.perf_counter() - start
                samples = results[name]
                assert isinstance(samples, list)
                samples.append(elapsed / calls * 1e6)
    finally:
        for client in clients.values():
            client.close()
    return results


def rows(results: dict[str, list[float] | str], calls: int) -> list[Row]:
    def value(name: str) -> float | None:
        samples = results.get(name)
        return median(samples) if isinstance(samples, list) and samples else None

    ours, raw, official = value(ORQ), value(RAW), value(OFFICIAL)
    row = Row(
        figure="per call, sync",
        unit="us",
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
            row.notes.append(f"{name}: median {median(samples):.1f} us/call ({spread(samples)} rounds of {calls})")
    medians = ratio(ours, raw)
    if medians is not None:
        row.notes.append(
            f"ratio column: median over rounds of the ratio in each round; ratio of medians {medians:.2f}x"
        )
    return [row]


def _paired(results: dict[str, list[float] | str], ours: str, baseline: str) -> float | None:
    a, b = results.get(ours), results.get(baseline)
    return paired_ratio(a, b) if isinstance(a, list) and isinstance(b, list) else None
