"""`python -m bench`: measure orq-images against raw httpx2 (and raw httpx 0.28, the 1.x baseline), the official SDK
and openai-python; print a table with targets.

Every figure is the median of repeated rounds, printed next to its baseline measured in the same run. PASS/MISS
is printed per target, but the exit status is 0 either way: benchmarks are not tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from . import batch, concurrent, imports, inflight, memory, memprobe, percall, pipeline, profiling
from .paths import OUTPUT_DIR, ensure_importable
from .report import machine, markdown_table, save_json, text_table
from .serverproc import Server, running_server
from .stats import Row

FIGURES = ("percall", "async", "inflight", "import", "firstcall", "memory", "batch", "generate")
PROFILE_OF_FIGURE = {"percall": "percall", "async": "async", "memory": "large"}


@dataclass(frozen=True)
class Settings:
    percall_rounds: int
    percall_calls: int
    async_rounds: int
    concurrency: int
    inflight_rounds: int
    import_runs: int
    firstcall_runs: int
    memory_runs: int
    generate_runs: int


FULL = Settings(21, 200, 21, 200, 5, 15, 7, 3, 2)
QUICK = Settings(3, 50, 3, 200, 1, 3, 2, 1, 1)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _figure(
    name: str, settings: Settings, server: Server, latency: float, inflight_results: dict[str, object]
) -> list[Row]:
    if name == "percall":
        return percall.rows(
            percall.measure(server, settings.percall_rounds, settings.percall_calls), settings.percall_calls
        )
    if name == "async":
        return concurrent.rows(
            concurrent.measure(server, settings.async_rounds, settings.concurrency), settings.concurrency
        )
    if name == "inflight":
        results = inflight.measure(settings.inflight_rounds, latency)
        inflight_results.update(results)
        return inflight.rows(results, latency)
    if name == "import":
        minimal = imports.measure(imports.IMPORTS, settings.import_runs, imports.MINIMAL)
        as_is = imports.measure(imports.IMPORTS, settings.import_runs)
        return imports.import_rows(minimal, minimal=True) + imports.import_rows(as_is, minimal=False)
    if name == "firstcall":
        return imports.first_call_rows(imports.measure(imports.first_call_statements(server), settings.firstcall_runs))
    if name == "memory":
        return memory.rows(memory.measure(server, settings.memory_runs, memprobe.VARIANTS))
    if name == "generate":
        return pipeline.rows(pipeline.measure(settings.generate_runs))
    if name == "batch":  # its own server (with latency) and probes: `server` is not used
        return batch.rows(batch.measure(1 if settings is QUICK else 3))
    raise ValueError(name)


def _selection(text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (choose from {', '.join(allowed)})")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: few rounds (numbers are noisy)")
    parser.add_argument(
        "--only",
        default=",".join(FIGURES),
        help=f"comma-separated figures to run (default: all of {','.join(FIGURES)})",
    )
    parser.add_argument(
        "--profile",
        default="none",
        help="after the figures, pyinstrument profiles of orq-images: 'auto' (the figures that MISS), 'all', "
        f"'none' (default), or a comma-separated list of {','.join(profiling.PROFILES)}",
    )
    parser.add_argument(
        "--latency", type=float, default=1.0, help="server latency of the inflight figure, in seconds (default 1)"
    )
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument(
        "--imports", action="store_true", help="also print the modules `import orq_images` adds to httpx2 and attrs"
    )
    args = parser.parse_args(argv)
    figures = _selection(args.only, FIGURES, "figure")
    if args.profile in ("none", "auto", "all"):
        profiles: list[str] = list(profiling.PROFILES) if args.profile == "all" else []
    else:
        profiles = _selection(args.profile, profiling.PROFILES, "profile")

    ensure_importable()
    settings = QUICK if args.quick else FULL
    info = machine()
    _log(f"bench: {info['cpus']} CPUs, {info['cpu_model']}, {info['python']}; {'quick' if args.quick else 'full'} run")
    rows: list[Row] = []
    started = time.perf_counter()
    # `make generate` runs last: it may re-sync .venv (when pyproject.toml or uv.lock changed meanwhile), which
    # would drop the bench group's packages that the other figures and the profiles use.
    ordered = [name for name in figures if name != "generate"] + [name for name in figures if name == "generate"]
    summaries: list[str] = []
    inflight_results: dict[str, object] = {}
    with running_server() as server:
        _log(f"bench: server process {server.pid} on {server.url}")
        for name in ordered:
            if name == "generate" and profiles:
                _log(f"bench: profiles {', '.join(profiles)} ...")
                summaries = profiling.run(profiles, server, args.quick)
                profiles = []
            figure_start = time.perf_counter()
            _log(f"bench: {name} ...")
            new_rows = _figure(name, settings, server, args.latency, inflight_results)
            rows += new_rows
            _log(f"bench: {name} done in {time.perf_counter() - figure_start:.1f} s")
            if name in PROFILE_OF_FIGURE and args.profile == "auto" and any(r.verdict == "MISS" for r in new_rows):
                profiles.append(PROFILE_OF_FIGURE[name])
        if profiles:
            _log(f"bench: profiles {', '.join(profiles)} ...")
            summaries = profiling.run(profiles, server, args.quick)
    elapsed = time.perf_counter() - started

    print()
    print(f"machine: {info['cpus']} CPUs ({info['cpu_model']}), {info['python']}, {info['platform']}")
    print(f"load average (1, 5, 15 min): {info['load']} at the start, {machine()['load']} at the end")
    print(f"run: {'quick' if args.quick else 'full'}, {elapsed:.0f} s; every figure is a median of repeated rounds")
    print()
    print(text_table(rows))
    if args.markdown:
        print()
        print(markdown_table(rows))
    if inflight_results:
        print()
        print(inflight.table(inflight_results, args.latency))  # type: ignore[arg-type]
    if args.imports:
        delta = imports.import_delta("import orq_images", "import httpx2, attrs")
        print()
        print(
            f"`import orq_images` beyond `import httpx2, attrs`: {len(delta)} more modules, "
            f"{sum(ms for ms, _ in delta):.1f} ms of self time (median of 7 runs of python -X importtime):"
        )
        groups: dict[str, float] = {}
        for own, module in delta:
            top = module.split(".")[0]
            groups[top] = groups.get(top, 0.0) + own
        print(
            "  by top-level package: "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in sorted(groups.items(), key=lambda item: -item[1])[:10])
        )
        for own, module in delta[:15]:
            print(f"  {own:6.2f} ms  {module}")
    for summary in summaries:
        print()
        print(summary)
    misses = [row.figure for row in rows if row.verdict == "MISS"]
    unmeasured = [row.figure for row in rows if row.verdict == "N/A"]
    print()
    print(f"targets missed: {', '.join(misses)}" if misses else "targets missed: none")
    if unmeasured:
        print(f"targets not measured (a client failed, see the notes): {', '.join(unmeasured)}")
    save_json(
        rows,
        OUTPUT_DIR / "last-run.json",
        {"quick": args.quick, "seconds": elapsed, "latency": args.latency, "inflight": inflight_results},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
