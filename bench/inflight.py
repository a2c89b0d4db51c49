"""Figure: image batches. N concurrent seed calls (`asyncio.gather` on one client) against a server that answers
every call after a fixed latency (default 1 s, `--latency`), wall time of the batch, for N = 200, 500 and 1000.

The floor is the latency. Peers, each on its default transport and on aiohttp:
- orq-images: `create_async(**seed)`; `Orq(async_client=orq_images.aiohttp_client())` for aiohttp.
- openai-python 3.57 (httpx2): `images.generate(prompt, model, n, extra_body={the orq-only arguments})` with
  `base_url` at the bench server (the router's endpoint is OpenAI-compatible); `http_client=DefaultAioHttpClient()`
  for aiohttp (the `openai[aiohttp]` extra).
- raw httpx2 (`AsyncClient` with the pool orq-images uses: 1000 connections, 100 kept alive) and raw aiohttp
  (`ClientSession`, 1000 connections): post the JSON, decode the answer.

The server runs in its own process (`bench.server --latency`). Each round measures every client at every N, the
clients in a rotating order; each client first runs one batch of the largest N (imports, first connections).
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Awaitable, Callable

from .clients import AsyncClient, describe_error
from .seed import API_KEY, OPERATION_PATH, seed_kwargs
from .server import raise_open_file_limit
from .serverproc import running_server
from .stats import Row, median, paired_ratio, ratio, spread

SIZES = (200, 500, 1000)
TARGET_VS_OPENAI = 1.0
"""At 500 and 1000 in flight orq-images must be ahead of openai-python on the same transport."""
TARGET_VS_FLOOR = 1.3
"""With aiohttp, 500 in flight within 1.3x the server's latency."""
ORQ = "orq-images"
ORQ_AIOHTTP = "orq-images [aiohttp]"
OPENAI = "openai-python"
OPENAI_AIOHTTP = "openai-python [aiohttp]"
RAW = "raw httpx2"
RAW_AIOHTTP = "raw aiohttp"
NAMES = (ORQ, ORQ_AIOHTTP, OPENAI, OPENAI_AIOHTTP, RAW, RAW_AIOHTTP)
ORQ_ONLY = ("retry", "cache", "load_balancer", "timeout", "orq")
"""Seed arguments openai-python does not know: sent through `extra_body` (`timeout` there is the router's option,
not the client's time limit)."""

Results = dict[str, dict[int, list[float]] | str]


def _orq(url: str, aiohttp: bool) -> AsyncClient:
    from orq_images import Orq, aiohttp_client

    orq = Orq(api_key=API_KEY, server_url=url, async_client=aiohttp_client() if aiohttp else None)
    args = seed_kwargs()
    create = orq.router.images.generations.create_async

    async def call() -> object:
        return await create(**args)

    return AsyncClient(call, orq.aclose)


def _openai(url: str, aiohttp: bool) -> AsyncClient:
    from openai import AsyncOpenAI, DefaultAioHttpClient

    client = AsyncOpenAI(
        api_key=API_KEY,
        base_url=url + OPERATION_PATH.removesuffix("/images/generations"),
        http_client=DefaultAioHttpClient() if aiohttp else None,
    )
    seed = seed_kwargs()
    args = {name: value for name, value in seed.items() if name not in ORQ_ONLY}
    extra = {name: seed[name] for name in ORQ_ONLY}
    generate = client.images.generate

    async def call() -> object:
        return await generate(**args, extra_body=extra)

    return AsyncClient(call, client.close)


def _raw_httpx2(url: str) -> AsyncClient:
    import httpx2

    client = httpx2.AsyncClient(limits=httpx2.Limits(max_connections=1000, max_keepalive_connections=100))
    body = json.dumps(seed_kwargs(), separators=(",", ":")).encode()
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

    async def call() -> object:
        response = await client.post(url + OPERATION_PATH, content=body, headers=headers)
        assert response.status_code == 200, response.status_code
        return json.loads(response.content)

    return AsyncClient(call, client.aclose)


def _raw_aiohttp(url: str) -> AsyncClient:
    import aiohttp

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1000))
    body = json.dumps(seed_kwargs(), separators=(",", ":")).encode()
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

    async def call() -> object:
        async with session.post(url + OPERATION_PATH, data=body, headers=headers) as response:
            assert response.status == 200, response.status
            return json.loads(await response.read())

    return AsyncClient(call, session.close)


FACTORIES: dict[str, Callable[[str], AsyncClient]] = {
    ORQ: lambda url: _orq(url, aiohttp=False),
    ORQ_AIOHTTP: lambda url: _orq(url, aiohttp=True),
    OPENAI: lambda url: _openai(url, aiohttp=False),
    OPENAI_AIOHTTP: lambda url: _openai(url, aiohttp=True),
    RAW: _raw_httpx2,
    RAW_AIOHTTP: _raw_aiohttp,
}


async def _batch(call: Callable[[], Awaitable[object]], size: int) -> float:
    gc.collect()
    start = time.perf_counter()
    await asyncio.gather(*(call() for _ in range(size)))
    return time.perf_counter() - start


async def _measure(url: str, rounds: int, sizes: tuple[int, ...]) -> Results:
    clients: dict[str, AsyncClient] = {}
    results: Results = {}
    for name in NAMES:
        try:
            client = FACTORIES[name](url)
            await _batch(client.call, max(sizes))  # warm-up
        except Exception as exc:
            results[name] = describe_error(exc)
        else:
            clients[name] = client
            results[name] = {size: [] for size in sizes}
    try:
        for index in range(rounds):
            names = list(clients)
            shift = index % len(names) if names else 0
            for size in sizes:
                for name in names[shift:] + names[:shift]:
                    try:
                        elapsed = await _batch(clients[name].call, size)
                    except Exception as exc:
                        results[name] = describe_error(exc)
                        del clients[name]
                        continue
                    samples = results[name]
                    assert isinstance(samples, dict)
                    samples[size].append(elapsed)
    finally:
        for client in clients.values():
            await client.aclose()
    return results


def measure(rounds: int, latency: float, sizes: tuple[int, ...] = SIZES) -> Results:
    """Per client: per N, the wall time in seconds of each batch of N gathered calls; or the client's error."""
    raise_open_file_limit()
    with running_server(latency) as server:
        return asyncio.run(_measure(server.url, rounds, sizes))


def _value(results: Results, name: str, size: int) -> float | None:
    samples = results.get(name)
    if not isinstance(samples, dict) or not samples.get(size):
        return None
    return median(samples[size])


def rows(results: Results, latency: float) -> list[Row]:
    out = []
    sizes = sorted({size for samples in results.values() if isinstance(samples, dict) for size in samples})
    for size in sizes:
        targeted = size >= 500
        for ours, peer, transport in ((ORQ, OPENAI, "httpx2"), (ORQ_AIOHTTP, OPENAI_AIOHTTP, "aiohttp")):
            mine, theirs = _value(results, ours, size), _value(results, peer, size)
            mine_samples, their_samples = results.get(ours), results.get(peer)
            paired = (
                paired_ratio(mine_samples[size], their_samples[size])
                if isinstance(mine_samples, dict) and isinstance(their_samples, dict)
                else None
            )
            out.append(
                Row(
                    figure=f"{size} in flight, {latency:g} s latency, {transport}",
                    unit="s",
                    ours=mine,
                    baseline=theirs,
                    baseline_name=peer,
                    ratio=paired,
                    target=TARGET_VS_OPENAI if targeted else None,
                    target_text=f"<= {TARGET_VS_OPENAI}x" if targeted else "(info)",
                )
            )
        if size == 500:
            mine = _value(results, ORQ_AIOHTTP, size)
            out.append(
                Row(
                    figure=f"{size} in flight, aiohttp, vs the latency",
                    unit="s",
                    ours=mine,
                    baseline=latency,
                    baseline_name="floor",
                    ratio=ratio(mine, latency),
                    target=TARGET_VS_FLOOR,
                    target_text=f"<= {TARGET_VS_FLOOR}x",
                )
            )
    if out:
        out[0].notes.append("ratio column vs openai-python: median over rounds of the ratio in each round")
    for name in NAMES:
        samples = results.get(name)
        if isinstance(samples, str) and out:
            out[0].notes.append(f"{name} failed: {samples}")
        elif isinstance(samples, dict) and out:
            spreads = "; ".join(f"N={size}: {spread(values)}" for size, values in samples.items() if values)
            out[0].notes.append(f"{name}: {spreads} (seconds)")
    return out


def table(results: Results, latency: float) -> str:
    """The batches as a Markdown table: one line per N, one column per client, the floor first."""
    sizes = sorted({size for samples in results.values() if isinstance(samples, dict) for size in samples})
    header = [f"N concurrent, {latency:g} s server latency", "floor", *NAMES]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for size in sizes:
        cells = [str(size), f"{latency:g} s"]
        for name in NAMES:
            value = _value(results, name, size)
            cells.append("failed" if isinstance(results.get(name), str) else "-" if value is None else f"{value:.2f} s")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
