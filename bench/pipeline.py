"""Figure 5: wall time of `make generate` and `make check-generated` (the generation pipeline)."""

from __future__ import annotations

import os
import subprocess
import time

from .paths import ROOT
from .stats import Row, median, spread

TARGET_SECONDS = 15.0
TARGETS = ("generate", "check-generated")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # run as if typed at a shell, not as a sub-make
        env.pop(name, None)
    return env


def measure(runs: int) -> dict[str, list[float] | str]:
    """Per make target: the wall time in seconds of each run, or the error that stopped it."""
    results: dict[str, list[float] | str] = {}
    for target in TARGETS:
        samples: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(
                ["make", "--no-print-directory", "-s", target], cwd=ROOT, env=_env(), capture_output=True, text=True
            )
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                lines = (done.stdout + "\n" + done.stderr).strip().splitlines()
                useful = [line for line in lines if line.strip() and not line.startswith(("make", "Generating"))]
                results[target] = f"exit code {done.returncode}: " + " / ".join(useful[:2])[:300]
                break
            samples.append(elapsed)
        else:
            results[target] = samples
    return results


def rows(results: dict[str, list[float] | str]) -> list[Row]:
    out = []
    for target in TARGETS:
        samples = results.get(target)
        value = median(samples) if isinstance(samples, list) and samples else None
        row = Row(
            figure=f"make {target}",
            unit="s",
            ours=value,
            baseline=None,
            baseline_name="",
            ratio=value if target == "generate" else None,
            target=TARGET_SECONDS if target == "generate" else None,
            target_text=f"<= {TARGET_SECONDS:g} s" if target == "generate" else "(info)",
        )
        if isinstance(samples, str):
            row.notes.append(f"failed: {samples}")
        elif samples:
            row.notes.append(f"{spread(samples)} runs")
        out.append(row)
    return out
