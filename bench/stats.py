"""Medians of repeated rounds, and the rows the figures produce."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def spread(samples: Sequence[float]) -> str:
    """`min..max over N rounds`, to show how noisy a median is."""
    return f"{min(samples):.4g}..{max(samples):.4g} over {len(samples)}"


@dataclass
class Row:
    """One line of the results table.

    `ours` and `baseline` are the medians (in `unit`); `ratio` is what the target is checked against
    (`ours / baseline`, or `ours / payload` for memory, or seconds for `make generate`), `target` its limit.
    `official` is the official SDK's median in the same unit (None when not measured or failed), `httpx` raw
    httpx 0.28's.
    """

    figure: str
    unit: str
    ours: float | None
    baseline: float | None
    baseline_name: str
    ratio: float | None = None
    target: float | None = None
    target_text: str = ""
    official: float | None = None
    httpx: float | None = None
    """The same figure with raw httpx 0.28 (the baseline of orq-images 1.x), when measured."""
    notes: list[str] = field(default_factory=list)
    ratio_digits: int = 2

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        if self.ratio is None:
            return "N/A"
        return "PASS" if self.ratio <= self.target else "MISS"


def paired_ratio(ours: Sequence[float], baseline: Sequence[float]) -> float | None:
    """The median over rounds of ours / baseline measured in the same round: steadier than the ratio of the
    medians when the machine's load changes between rounds (it is shared)."""
    pairs = [a / b for a, b in zip(ours, baseline, strict=False) if b > 0]
    return median(pairs) if pairs else None


def ratio(ours: float | None, baseline: float | None) -> float | None:
    if ours is None or baseline is None or baseline <= 0:
        return None
    return ours / baseline
