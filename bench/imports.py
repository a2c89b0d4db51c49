"""Figure 3: import time in a fresh process, and (for information) the time to a first answer in a fresh process.

Each statement runs as `python -c STATEMENT` in a new process; the figure is the median wall time minus the median
wall time of `python -c pass`, measured interleaved in the same run.
"""

from __future__ import annotations

import re
import resource
import subprocess
import time

from .clients import OFFICIAL, ORQ, RAW, RAW_HTTPX
from .paths import PYTHON, ROOT, child_env
from .seed import API_KEY, OPERATION_PATH, seed_kwargs
from .serverproc import Server
from .stats import Row, median, ratio, spread

TARGET = 1.1
BASE = "httpx2 + attrs"
OLD_BASE = "httpx + attrs"
IMPORTS = {
    ORQ: "import orq_images",
    BASE: "import httpx2, attrs",
    OLD_BASE: "import httpx, attrs",
    OFFICIAL: "import orq_ai_sdk",
}
EMPTY = "pass"
MINIMAL = "import sys; sys.modules.update(click=None, pygments=None, rich=None)\n"
"""Prelude for "as a user installs it": httpx 0.28 imports its CLI (click, pygments, rich, ~35 ms) whenever those
are installed, as they are in the dev venv (the generator's toolchain brings them); `pip install orq-images` does
not. (httpx2 imports its CLI only when `httpx2.main` is used.)"""


def first_call_statements(server: Server) -> dict[str, str]:
    """Per client: import, construct, make one seed call (the arguments inlined as a literal)."""
    args = repr(seed_kwargs())
    url = server.url + OPERATION_PATH
    return {
        ORQ: (
            "from orq_images import Orq\n"
            f"Orq(api_key={API_KEY!r}, server_url={server.url!r}).router.images.generations.create(**{args})"
        ),
        RAW: (
            "import httpx2, json\n"
            f"r = httpx2.Client().post({url!r}, headers={{'Authorization': 'Bearer {API_KEY}', "
            f"'Content-Type': 'application/json'}}, content=json.dumps({args}).encode())\n"
            "assert r.status_code == 200\n"
            "json.loads(r.content)"
        ),
        RAW_HTTPX: (
            "import httpx, json\n"
            f"r = httpx.Client().post({url!r}, headers={{'Authorization': 'Bearer {API_KEY}', "
            f"'Content-Type': 'application/json'}}, content=json.dumps({args}).encode())\n"
            "assert r.status_code == 200\n"
            "json.loads(r.content)"
        ),
        OFFICIAL: (
            "from orq_ai_sdk import Orq\n"
            f"Orq(api_key={API_KEY!r}, server_url={server.url!r}).router.images.generations.create(**{args})"
        ),
    }


CPU = " (cpu)"
"""Suffix of the keys holding the CPU time (user + system) of the same runs: steadier than wall time on a busy
machine."""


def _time_once(statement: str) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one `python -c statement` run, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([PYTHON, "-c", statement], cwd=ROOT, env=child_env(), check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(statements: dict[str, str], runs: int, prelude: str = "") -> dict[str, list[float] | str]:
    """Per statement (and `pass`): the wall time in ms of each run, or the error of the first failing run.
    `prelude` runs first in every process, `pass` included."""
    results: dict[str, list[float] | str] = {}
    live = {name: prelude + statement for name, statement in statements.items()}
    live[EMPTY] = prelude + EMPTY
    for name, statement in list(live.items()):  # warm-up: compile .pyc files, fill the page cache
        try:
            _time_once(statement)
        except subprocess.CalledProcessError as exc:
            last = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
            results[name] = "failed: " + (last[-1] if last else f"exit code {exc.returncode}")
            del live[name]
        else:
            results[name] = []
            results[name + CPU] = []
    for _ in range(runs):
        for name, statement in live.items():
            wall, cpu = _time_once(statement)
            for key, value in ((name, wall), (name + CPU, cpu)):
                samples = results[key]
                assert isinstance(samples, list)
                samples.append(value * 1e3)
    return results


def _net(results: dict[str, list[float] | str], name: str) -> float | None:
    samples, empty = results.get(name), results.get(EMPTY)
    if not isinstance(samples, list) or not isinstance(empty, list) or not samples or not empty:
        return None
    return median(samples) - median(empty)


def _cpu_note(results: dict[str, list[float] | str], ours: str, base: str) -> str:
    net_ours, net_base = _net_cpu(results, ours + CPU), _net_cpu(results, base + CPU)
    if net_ours is None or net_base is None or net_base <= 0:
        return "CPU time (user + system): not available"
    return (
        f"CPU time (user + system) of the same runs, minus `pass`: {ours} {net_ours:.1f} ms, {base} {net_base:.1f} ms"
        f" = {net_ours / net_base:.2f}x"
    )


def _net_cpu(results: dict[str, list[float] | str], name: str) -> float | None:
    samples, empty = results.get(name), results.get(EMPTY + CPU)
    if not isinstance(samples, list) or not isinstance(empty, list) or not samples or not empty:
        return None
    return median(samples) - median(empty)


def _notes(results: dict[str, list[float] | str], names: list[str]) -> list[str]:
    notes = []
    for name in names + [EMPTY]:
        samples = results.get(name)
        if isinstance(samples, str):
            notes.append(f"{name}: {samples}")
        elif samples:
            notes.append(f"{name}: median {median(samples):.1f} ms wall ({spread(samples)} runs)")
    return notes


def import_rows(results: dict[str, list[float] | str], minimal: bool) -> list[Row]:
    ours, base, official = _net(results, ORQ), _net(results, BASE), _net(results, OFFICIAL)
    how = (
        "as installed by pip (httpx 0.28's optional CLI deps click/pygments/rich hidden)"
        if minimal
        else "in the dev venv as is (httpx 0.28 also imports its CLI: click, pygments, rich)"
    )
    row = Row(
        figure="import, fresh process" + ("" if minimal else " (dev venv)"),
        unit="ms",
        ours=ours,
        baseline=base,
        baseline_name="import httpx2, attrs",
        ratio=ratio(ours, base),
        target=TARGET if minimal else None,
        target_text=f"<= {TARGET}x" if minimal else "(info)",
        official=official,
        httpx=_net(results, OLD_BASE),
        notes=[how]
        + _notes(results, list(IMPORTS))
        + [
            "each figure: median wall time minus median of `python -c pass`",
            _cpu_note(results, ORQ, BASE),
        ],
    )
    return [row]


def first_call_rows(results: dict[str, list[float] | str]) -> list[Row]:
    ours, raw, official = _net(results, ORQ), _net(results, RAW), _net(results, OFFICIAL)
    row = Row(
        figure="import + first call, fresh process",
        unit="ms",
        ours=ours,
        baseline=raw,
        baseline_name=RAW,
        ratio=ratio(ours, raw),
        official=official,
        httpx=_net(results, RAW_HTTPX),
        notes=_notes(results, [ORQ, RAW, RAW_HTTPX, OFFICIAL])
        + ["information only: what lazy loading moves to the first call", _cpu_note(results, ORQ, RAW)],
    )
    return [row]


def _importtime(statement: str) -> dict[str, int]:
    """`python -X importtime -c STATEMENT`, once: the self time in microseconds of each module imported."""
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", statement], cwd=ROOT, env=child_env(), capture_output=True, text=True
    )
    own = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (.*)$", line)
        if match:
            own[match[3].strip()] = int(match[1])
    return own


def import_delta(statement: str, baseline: str, runs: int = 7) -> list[tuple[float, str]]:
    """The modules `statement` imports beyond what `baseline` imports, with their median self time in ms over
    `runs` runs of `python -X importtime` (both with the MINIMAL prelude), most expensive first."""
    samples: dict[str, list[int]] = {}
    before: set[str] = set()
    for _ in range(runs):
        before |= set(_importtime(MINIMAL + baseline))
        for module, own in _importtime(MINIMAL + statement).items():
            samples.setdefault(module, []).append(own)
    delta = [(median(values) / 1000, module) for module, values in samples.items() if module not in before]
    return sorted(delta, reverse=True)
