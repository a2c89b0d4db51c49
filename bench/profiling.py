"""pyinstrument profiles of orq-images calls against the local server: where orq-images' own time goes.

For each profile, the full call tree is written to `.bench/profile-NAME.txt`, and a summary is printed: self time
by area (orq_images modules, httpx, httpcore, json, asyncio...), the functions with the most self time, and the
inclusive time of each orq_images function, all per call.
"""

from __future__ import annotations

import asyncio
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .clients import orq_async, orq_sync
from .paths import OUTPUT_DIR
from .seed import API_KEY, seed_kwargs
from .serverproc import Server

PROFILES = ("percall", "async", "large")


@dataclass
class Profile:
    name: str
    calls: int
    tree: str
    areas: list[tuple[str, float]]
    functions: list[tuple[str, float]]
    orq_inclusive: list[tuple[str, float]]
    total: float


def _area(path: str | None) -> str:
    if not path:
        return "(unknown)"
    marker = "/orq_images/"
    if marker in path:
        rest = path.split(marker, 1)[1].removesuffix(".py").replace("/", ".")
        return "orq_images." + rest
    for name in ("httpx", "httpcore", "h11", "anyio", "attr", "attrs", "json", "asyncio", "ssl", "socket"):
        if f"/{name}/" in path or path.endswith(f"/{name}.py"):
            return name
    if "/bench/" in path:
        return "bench (the measuring loop)"
    return path.rsplit("/", 1)[-1]


def _walk(frame: Any) -> Iterator[Any]:
    stack = [frame]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _label(frame: Any) -> str:
    return f"{frame.function} ({_area(frame.file_path)}:{frame.line_no})"


def _summarise(name: str, profiler: Any, calls: int) -> Profile:
    session = profiler.last_session
    root = session.root_frame()
    tree = profiler.output_text(unicode=False, color=False, show_all=False)
    if root is None:
        return Profile(name, calls, tree, [], [], [], 0.0)
    areas: dict[str, float] = defaultdict(float)
    functions: dict[str, float] = defaultdict(float)
    inclusive: dict[str, float] = defaultdict(float)
    for frame in _walk(root):
        if frame.is_synthetic:
            continue
        own = frame.total_self_time
        areas[_area(frame.file_path)] += own
        functions[_label(frame)] += own
        if "/orq_images/" in (frame.file_path or ""):
            ancestor, recursive = frame.parent, False
            while ancestor is not None:
                if ancestor.identifier == frame.identifier:
                    recursive = True
                    break
                ancestor = ancestor.parent
            if not recursive:
                inclusive[_label(frame)] += frame.time

    def top(values: dict[str, float], count: int) -> list[tuple[str, float]]:
        return sorted(values.items(), key=lambda item: -item[1])[:count]

    return Profile(name, calls, tree, top(areas, 12), top(functions, 20), top(inclusive, 25), root.time)


def _profiler(interval: float) -> Any:
    from pyinstrument import Profiler

    return Profiler(interval=interval, async_mode="disabled")


def profile_percall(server: Server, calls: int) -> Profile:
    client = orq_sync(server.url)
    try:
        for _ in range(50):
            client.call()
        gc.collect()
        profiler = _profiler(0.0001)
        profiler.start()
        for _ in range(calls):
            client.call()
        profiler.stop()
    finally:
        client.close()
    return _summarise("percall", profiler, calls)


def profile_async(server: Server, rounds: int, concurrency: int) -> Profile:
    async def run() -> Any:
        client = orq_async(server.url)
        try:
            await asyncio.gather(*(client.call() for _ in range(concurrency)))
            gc.collect()
            profiler = _profiler(0.0001)
            profiler.start()
            for _ in range(rounds):
                await asyncio.gather(*(client.call() for _ in range(concurrency)))
            profiler.stop()
            return profiler
        finally:
            await client.aclose()

    return _summarise("async", asyncio.run(run()), rounds * concurrency)


def profile_large(server: Server, calls: int) -> Profile:
    from orq_images import Orq

    args = seed_kwargs()
    with Orq(api_key=API_KEY, server_url=server.large_url) as orq:
        create = orq.router.images.generations.create
        create(**args, server_url=server.url)
        profiler = _profiler(0.0005)
        profiler.start()
        for _ in range(calls):
            create(**args)
        profiler.stop()
    return _summarise("large", profiler, calls)


def render(profile: Profile) -> str:
    per_call = 1e6 / profile.calls
    lines = [
        f"profile {profile.name}: {profile.calls} calls, {profile.total:.3f} s sampled "
        f"= {profile.total * per_call:.1f} us/call; tree: {OUTPUT_DIR.name}/profile-{profile.name}.txt",
        "  self time by area (us/call):",
    ]
    lines += [f"    {value * per_call:10.1f}  {area}" for area, value in profile.areas]
    lines.append("  functions with the most self time (us/call):")
    lines += [f"    {value * per_call:10.1f}  {label}" for label, value in profile.functions]
    lines.append("  orq_images functions, inclusive time (us/call):")
    lines += [f"    {value * per_call:10.1f}  {label}" for label, value in profile.orq_inclusive]
    return "\n".join(lines)


def run(names: list[str], server: Server, quick: bool) -> list[str]:
    """Profile each of `names` (of PROFILES); return the printed summaries, write the trees under .bench/."""
    jobs: dict[str, Callable[[], Profile]] = {
        "percall": lambda: profile_percall(server, 300 if quick else 3000),
        "async": lambda: profile_async(server, 2 if quick else 10, 200),
        "large": lambda: profile_large(server, 1 if quick else 3),
    }
    OUTPUT_DIR.mkdir(exist_ok=True)
    out = []
    for name in names:
        try:
            profile = jobs[name]()
        except Exception as exc:
            out.append(f"profile {name}: failed: {type(exc).__name__}: {exc}")
            continue
        (OUTPUT_DIR / f"profile-{name}.txt").write_text(profile.tree)
        out.append(render(profile))
    return out
