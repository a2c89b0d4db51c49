"""The aiohttp extra stays optional: `import orq_images` loads nothing of it, and `aiohttp_client()` without it
says how to install it. (The wheel's own test runs the same check in a fresh environment without the extra.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT / "generated",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_import_orq_images_loads_nothing_of_aiohttp() -> None:
    script = (
        "import sys, orq_images\n"
        "from orq_images import aiohttp_client\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'httpx_aiohttp', 'asyncio')))"
    )
    result = _python(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_aiohttp_client_without_the_extra_says_how_to_install_it() -> None:
    script = (
        "import sys; sys.modules['aiohttp'] = None\n"  # as if it were not installed
        "import orq_images\n"
        "try:\n"
        "    orq_images.aiohttp_client()\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    result = _python(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "ImportError aiohttp_client() needs the aiohttp extra: pip install 'orq-images[aiohttp]'"
    )
