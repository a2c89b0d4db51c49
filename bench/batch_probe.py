"""Probe of the batch figure, run in a fresh process per measurement:

    python -m bench.batch_probe VARIANT SERVER_URL --items N --concurrency C [--dir DIR] [--aiohttp]

VARIANT is one of:
- `batch`: `async for outcome in generations.batch_async(items, concurrency=C)`, each outcome dropped once seen;
- `batch-sync`: the same with the sync `generations.batch(...)` (the engine on its worker thread);
- `gather`: the loop people write by hand, `asyncio.gather` of `create_async` calls under an `asyncio.Semaphore(C)`;
- `one`: a single `create_async` call (the memory baseline: what one call costs).
With `--dir`, every call writes its image there (`save_to=`); with `--aiohttp`, the async calls go through the
`aiohttp` extra's transport (`httpx_aiohttp`'s httpx2 client, 1000 connections) instead of httpx2's own pool.
The probe makes one warm-up call (imports, schemas), resets the peak (`5` into /proc/self/clear_refs), runs the
variant, and prints one JSON object: the wall time, the peak resident memory added (VmHWM) and how many calls
succeeded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from .seed import API_KEY

VARIANTS = ("batch", "batch-sync", "gather", "one")
MODEL = "openai/gpt-image-1"


def _status_kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    assert match, field
    return int(match[1])


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")


def _items(count: int) -> Any:
    """A generator, as a batch read from a file would be: the items are never all in memory at once."""
    return ({"prompt": f"item {i}", "model": MODEL} for i in range(count))


def run(
    variant: str, url: str, count: int, concurrency: int, directory: Path | None, aiohttp: bool = False
) -> dict[str, Any]:
    from orq_images import Orq

    given_client: Any = None
    if aiohttp:
        import httpx2
        from httpx_aiohttp.httpx2 import Httpx2AiohttpClient

        limits = httpx2.Limits(max_connections=1000, max_keepalive_connections=1000)
        given_client = Httpx2AiohttpClient(limits=limits)
    orq = Orq(api_key=API_KEY, server_url=url, async_client=given_client)
    generations = orq.router.images.generations
    pattern = None if directory is None else str(directory / "{i:05}.png")
    options: dict[str, Any] = {} if pattern is None else {"save_to": pattern}
    measured: dict[str, float] = {}

    def begin() -> None:
        measured["rss_before"] = _status_kib("VmRSS")
        _reset_peak()
        measured["hwm_before"] = _status_kib("VmHWM")
        measured["start"] = time.perf_counter()

    if variant == "batch-sync":
        generations.create(prompt="warm-up", model=MODEL)
        begin()
        succeeded = 0
        for outcome in generations.batch(_items(count), concurrency=concurrency, progress=False, **options):
            succeeded += outcome.ok
    else:

        async def measured_run() -> int:
            await generations.create_async(prompt="warm-up", model=MODEL)
            begin()
            if variant == "batch":
                done = 0
                async with generations.batch_async(
                    _items(count), concurrency=concurrency, progress=False, **options
                ) as results:
                    async for outcome in results:
                        done += outcome.ok
                return done
            if variant == "one":
                save_to = None if pattern is None else pattern.format(i=0)
                await generations.create_async(prompt="one", model=MODEL, save_to=save_to)
                return 1
            semaphore = asyncio.Semaphore(concurrency)

            async def one(index: int, item: dict[str, Any]) -> Any:
                async with semaphore:
                    save_to = None if pattern is None else pattern.format(i=index)
                    return await generations.create_async(**item, save_to=save_to)

            answers = await asyncio.gather(
                *(one(i, item) for i, item in enumerate(_items(count))), return_exceptions=True
            )
            return sum(not isinstance(answer, BaseException) for answer in answers)

        async def main() -> int:
            # one event loop for the warm-up and the measured run: an aiohttp session belongs to its loop
            try:
                done = await measured_run()
                measured["end"] = time.perf_counter()
                return done
            finally:
                await orq.aclose()
                if given_client is not None:
                    await given_client.aclose()

        succeeded = asyncio.run(main())
    seconds = measured.get("end", time.perf_counter()) - measured["start"]
    return {
        "variant": variant + ("+aiohttp" if aiohttp else ""),
        "items": count,
        "concurrency": concurrency,
        "seconds": seconds,
        "succeeded": succeeded,
        "peak_added_kib": _status_kib("VmHWM") - measured["hwm_before"],
        "rss_before_kib": measured["rss_before"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.batch_probe", description=__doc__)
    parser.add_argument("variant", choices=VARIANTS)
    parser.add_argument("server_url")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="write the images there (save_to=)")
    parser.add_argument("--aiohttp", action="store_true", help="async calls on the aiohttp extra's transport")
    args = parser.parse_args()
    try:
        result = run(args.variant, args.server_url, args.items, args.concurrency, args.dir, args.aiohttp)
    except Exception as exc:
        result = {"variant": args.variant, "error": f"{type(exc).__name__}: {exc}"[:300]}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
