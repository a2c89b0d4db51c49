"""Where things are: the repo root, the generated package, and the environment for child processes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
OUTPUT_DIR = ROOT / ".bench"
PYTHON = sys.executable


def ensure_importable() -> None:
    """Make `import orq_images` resolve to generated/orq_images (the project is not installed in the venv)."""
    for path in (str(GENERATED), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


def child_env() -> dict[str, str]:
    """The environment for child Python processes: generated/ and the repo root on PYTHONPATH, no stray flags."""
    env = dict(os.environ)
    for name in ("PYTHONDEVMODE", "PYTHONTRACEMALLOC", "PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join([str(GENERATED), str(ROOT)])
    return env
