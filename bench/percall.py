"""Figure 1: time per call, sync, sequential seed calls on one pooled keep-alive connection."""

from __future__ import annotations

import gc
import time

from .clients import NAMES, SYNC_FACTORIES, SyncClient, describe_error
from .comparison import client_row
from .serverproc import Server
from .stats import Row, median, spread

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
    return [
        client_row(
            results,
            figure="per call, sync",
            unit="us",
            target=TARGET,
            sample_note=lambda samples: f"median {median(samples):.1f} us/call ({spread(samples)} rounds of {calls})",
        )
    ]
