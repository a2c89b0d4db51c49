"""The row of a figure that times the same work with every client (figures 1 and 2): our median against raw
httpx2's, the ratio paired by round, and one note per client."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .clients import NAMES, OFFICIAL, ORQ, RAW, RAW_HTTPX
from .stats import Row, median, paired_ratio, ratio

Results = dict[str, list[float] | str]
"""Per client: its samples (one per round), or the error that stopped it."""


def client_row(
    results: Results,
    *,
    figure: str,
    unit: str,
    target: float,
    sample_note: Callable[[Sequence[float]], str],
    notes: Sequence[str] = (),
) -> Row:
    """``sample_note(samples)`` words one client's samples (after its name); ``notes`` go after the clients'."""

    def value(name: str) -> float | None:
        samples = results.get(name)
        return median(samples) if isinstance(samples, list) and samples else None

    ours, raw = value(ORQ), value(RAW)
    row = Row(
        figure=figure,
        unit=unit,
        ours=ours,
        baseline=raw,
        baseline_name=RAW,
        ratio=_paired(results, ORQ, RAW),
        target=target,
        target_text=f"<= {target}x",
        official=value(OFFICIAL),
        httpx=value(RAW_HTTPX),
    )
    for name in NAMES:
        samples = results.get(name)
        if isinstance(samples, str):
            row.notes.append(f"{name} failed: {samples}")
        elif samples:
            row.notes.append(f"{name}: {sample_note(samples)}")
    row.notes.extend(notes)
    medians = ratio(ours, raw)
    if medians is not None:
        row.notes.append(
            f"ratio column: median over rounds of the ratio in each round; ratio of medians {medians:.2f}x"
        )
    return row


def _paired(results: Results, ours: str, baseline: str) -> float | None:
    a, b = results.get(ours), results.get(baseline)
    return paired_ratio(a, b) if isinstance(a, list) and isinstance(b, list) else None
