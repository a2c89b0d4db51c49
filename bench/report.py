"""The results table (plain text and Markdown) and the machine description."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

from .stats import Row


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return {
        "load": load,
        "cpus": str(os.cpu_count()),
        "cpu_model": cpu,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "executable": sys.executable,
    }


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit in ("x",):
        return f"{value:.2f}x"
    return f"{value:.4g} {unit}"


def _ratio(row: Row) -> str:
    if row.ratio is None:
        return "-"
    if row.target_text.endswith(" s"):
        return f"{row.ratio:.2f} s"
    if row.target_text.endswith(" MiB above"):
        return f"{row.ratio:.{row.ratio_digits}f} MiB"
    return f"{row.ratio:.{row.ratio_digits}f}x"


def _columns(row: Row) -> list[str]:
    official = _num(row.official, row.unit)
    if row.official is not None and row.baseline:
        official += f" ({row.official / row.baseline:.2f}x)"
    httpx = _num(row.httpx, row.unit)
    if row.httpx is not None and row.baseline:
        httpx += f" ({row.httpx / row.baseline:.2f}x)"
    return [
        row.figure,
        _num(row.ours, row.unit),
        f"{_num(row.baseline, row.unit)}" + (f" [{row.baseline_name}]" if row.baseline_name else ""),
        _ratio(row),
        row.target_text or "-",
        row.verdict,
        official,
        httpx,
    ]


HEADER = [
    "figure",
    "orq-images",
    "baseline",
    "ratio",
    "target",
    "result",
    "official SDK (vs baseline)",
    "raw httpx 0.28 (vs baseline)",
]


def text_table(rows: list[Row]) -> str:
    table = [HEADER] + [_columns(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    out = []
    for index, line in enumerate(table):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    for row in rows:
        for note in row.notes:
            out.append(f"  [{row.figure}] {note}")
    return "\n".join(out)


def markdown_table(rows: list[Row]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(cell.replace("|", "/") for cell in _columns(row)) + " |" for row in rows]
    return "\n".join(out)


def save_json(rows: list[Row], path: Path, extra: dict[str, object]) -> None:
    data = {
        "machine": machine(),
        **extra,
        "rows": [
            {
                "figure": row.figure,
                "unit": row.unit,
                "orq_images": row.ours,
                "baseline": row.baseline,
                "baseline_name": row.baseline_name,
                "ratio": row.ratio,
                "target": row.target,
                "result": row.verdict,
                "official_sdk": row.official,
                "raw_httpx": row.httpx,
                "notes": row.notes,
            }
            for row in rows
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
