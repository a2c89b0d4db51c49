"""The README's quick start, run as written (shell block and all) against the local stand-in: it writes fox.png."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from orq_images.testing import StandIn

from tests.testing.pngcheck import decode_png

ROOT = Path(__file__).resolve().parents[2]


def quick_start_blocks() -> tuple[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    serve, run = re.findall(r"```sh\n(.*?)```", section, flags=re.S)[:2]
    return serve, run


def test_the_quick_start_starts_the_stand_in_first() -> None:
    serve, _ = quick_start_blocks()
    assert serve.strip() == "python -m orq_images.testing serve"


def test_the_quick_start_writes_an_image_with_no_account(tmp_path: Path) -> None:
    _, script = quick_start_blocks()
    assert "export ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010" in script
    with StandIn(port=0) as stand_in:
        script = script.replace("http://127.0.0.1:4010", stand_in.url)  # the default port may be taken here
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # `python` is ours
            "PYTHONPATH": str(ROOT / "generated"),
        }
        for name in ("ORQ_API_KEY", "ORQ_SERVER_URL", "ORQ_LOG"):
            env.pop(name, None)
        result = subprocess.run(
            ["sh", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fox.png"
    assert decode_png((tmp_path / "fox.png").read_bytes()).width == 8
