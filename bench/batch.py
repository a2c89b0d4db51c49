"""Figure: batches (issue 17). 2000 items at `concurrency=500` against a server answering after 1 s: the wall time of
`batch_async` next to the ideal (2000 / 500 x 1 s = 4 s) and next to the loop people write by hand (`asyncio.gather`
over `create_async` under a semaphore), on httpx2's pool and on the aiohttp extra; and the peak memory of a batch
with `save_to=`, which must stay flat: no more for 2000 items than for 500, and a few MiB above one call's at the
default concurrency.

Every measurement runs in a fresh process (`bench.batch_probe`) against `bench.batch_server` (its own process, with
the latency; `bench.server` answers at once).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .paths import PYTHON, ROOT, child_env
from .stats import Row, median, spread

ITEMS = 2000
CONCURRENCY = 500
LATENCY_S = 1.0
IMAGE_BYTES = 16 * 1024
IDEAL_S = ITEMS / CONCURRENCY * LATENCY_S
WALL_TARGET = 1.2
SMALL_ITEMS = 500
FLAT_TARGET = 1.1
"""Peak memory of 2000 items over that of 500 at the same concurrency: what grows with the item count."""
DEFAULT_CONCURRENCY = 32
ABOVE_ONE_CALL_TARGET_MIB = 8.0
MIB = 1024


@contextmanager
def latency_server() -> Iterator[str]:
    """Run `python -m bench.batch_server` for the block; yields its URL."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "bench.batch_server", "--latency", str(LATENCY_S), "--image-bytes", str(IMAGE_BYTES)],
        cwd=ROOT,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.strip():
            raise RuntimeError(f"the batch server did not start (exit code {proc.poll()})")
        yield f"http://127.0.0.1:{int(line)}"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=5)


def _probe(url: str, variant: str, items: int, concurrency: int, *options: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="orq-bench-batch-") as tmp:
        arguments = [str(Path(tmp)) if option == "{dir}" else option for option in options]
        done = subprocess.run(
            [PYTHON, "-m", "bench.batch_probe", variant, url, "--items", str(items), "--concurrency", str(concurrency)]
            + arguments,
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()
        return {"error": tail[-1] if tail else f"exit code {done.returncode}"}
    result: dict[str, Any] = json.loads(lines[-1])
    if "error" not in result and result["succeeded"] != items and variant != "one":
        result["error"] = f"only {result['succeeded']} of {items} calls succeeded"
    return result


MEASUREMENTS: dict[str, tuple[str, int, int, tuple[str, ...]]] = {
    # name: (probe variant, items, concurrency, probe options)
    "batch": ("batch", ITEMS, CONCURRENCY, ()),
    "gather": ("gather", ITEMS, CONCURRENCY, ()),
    "batch-sync": ("batch-sync", ITEMS, CONCURRENCY, ()),
    "batch+aiohttp": ("batch", ITEMS, CONCURRENCY, ("--aiohttp",)),
    "gather+aiohttp": ("gather", ITEMS, CONCURRENCY, ("--aiohttp",)),
    "save-2000": ("batch", ITEMS, CONCURRENCY, ("--dir", "{dir}")),
    "save-500": ("batch", SMALL_ITEMS, CONCURRENCY, ("--dir", "{dir}")),
    "gather-save-2000": ("gather", ITEMS, CONCURRENCY, ("--dir", "{dir}")),
    "save-2000-default": ("batch", ITEMS, DEFAULT_CONCURRENCY, ("--dir", "{dir}")),
    "one-save": ("one", 1, 1, ("--dir", "{dir}")),
}
REPEATED = ("batch", "gather", "batch+aiohttp", "gather+aiohttp", "save-2000", "save-500")


def measure(rounds: int) -> dict[str, list[dict[str, Any]] | str]:
    """Per measurement: the probe's result of each round (`REPEATED` ones `rounds` times, the others once)."""
    results: dict[str, list[dict[str, Any]] | str] = {}
    with latency_server() as url:
        for index in range(rounds):
            for name, (variant, items, concurrency, options) in MEASUREMENTS.items():
                if isinstance(results.get(name), str) or (index and name not in REPEATED):
                    continue
                probe = _probe(url, variant, items, concurrency, *options)
                if "error" in probe:
                    results[name] = str(probe["error"])
                else:
                    runs = results.setdefault(name, [])
                    assert isinstance(runs, list)
                    runs.append(probe)
    return results


def _median(results: dict[str, list[dict[str, Any]] | str], name: str, field: str) -> float | None:
    runs = results.get(name)
    if not isinstance(runs, list) or not runs:
        return None
    return median([float(run[field]) for run in runs])


def rows(results: dict[str, list[dict[str, Any]] | str]) -> list[Row]:
    seconds = {name: _median(results, name, "seconds") for name in MEASUREMENTS}
    peak = {name: _median(results, name, "peak_added_kib") for name in MEASUREMENTS}
    ours = seconds["batch"]
    wall = Row(
        figure=f"batch {ITEMS} x {LATENCY_S:g} s, concurrency {CONCURRENCY}",
        unit="s",
        ours=ours,
        baseline=IDEAL_S,
        baseline_name="ideal",
        ratio=None if ours is None else ours / IDEAL_S,
        target=WALL_TARGET,
        target_text=f"<= {WALL_TARGET}x ideal",
    )
    for name in ("gather", "batch-sync", "batch+aiohttp", "gather+aiohttp"):
        if seconds[name] is not None:
            wall.notes.append(f"{name}: {seconds[name]:.2f} s ({seconds[name] / IDEAL_S:.2f}x ideal)")
    if ours is not None and seconds["gather"] is not None:
        wall.notes.append(f"batch / hand-written gather+semaphore: {ours / seconds['gather']:.2f}x (httpx2 pool)")
    if seconds["batch+aiohttp"] is not None and seconds["gather+aiohttp"] is not None:
        ratio = seconds["batch+aiohttp"] / seconds["gather+aiohttp"]
        wall.notes.append(f"batch / gather+semaphore on the aiohttp transport: {ratio:.2f}x")
    for name in REPEATED:
        runs = results.get(name)
        if isinstance(runs, list) and runs:
            wall.notes.append(f"{name}: {spread([run['seconds'] for run in runs])} rounds")

    def mib(name: str) -> float | None:
        value = peak[name]
        return None if value is None else value / MIB

    big, small = mib("save-2000"), mib("save-500")
    flat = Row(
        figure=f"batch save_to= peak, {ITEMS} vs {SMALL_ITEMS} items (c={CONCURRENCY})",
        unit="MiB",
        ours=big,
        baseline=small,
        baseline_name=f"{SMALL_ITEMS} items",
        ratio=None if big is None or small is None or small <= 0 else big / small,
        target=FLAT_TARGET,
        target_text=f"<= {FLAT_TARGET}x",
    )
    gathered = mib("gather-save-2000")
    if gathered is not None:
        flat.notes.append(f"hand-written gather+semaphore, {ITEMS} items with save_to=: {gathered:.1f} MiB")
    default, one = mib("save-2000-default"), mib("one-save")
    above = Row(
        figure=f"batch save_to= peak, {ITEMS} items (c={DEFAULT_CONCURRENCY}) above one call",
        unit="MiB",
        ours=default,
        baseline=one,
        baseline_name="one call",
        ratio=None if default is None or one is None else default - one,
        target=ABOVE_ONE_CALL_TARGET_MIB,
        target_text=f"<= {ABOVE_ONE_CALL_TARGET_MIB:g} MiB above",
        ratio_digits=1,
    )
    for row in (wall, flat, above):
        for name, value in results.items():
            if isinstance(value, str):
                row.notes.append(f"{name} failed: {value}")
    return [wall, flat, above]
