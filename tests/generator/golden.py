"""The generator's golden record: ``tests/generator/fixture/`` rendered, committed in ``tests/generator/golden/``.

``python -m tests.generator.golden`` renders the fixture again and replaces the record (review the diff, then
commit it). ``tests/generator/test_golden.py`` renders it on every test run and fails on any difference.

The runtime (``_runtime/``) is copied verbatim by the pipeline, not rendered, so the record leaves it out: a change
to the runtime is not a change to the templates. The version is pinned for the same reason.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from generator import pipeline

HERE = Path(__file__).resolve().parent
FIXTURE_SPEC = HERE / "fixture" / "openapi.yaml"
FIXTURE_OVERLAYS = HERE / "fixture" / "overlays"
GOLDEN_DIR = HERE / "golden"
VERSION = "0.0.0"
NOT_RECORDED = ("_runtime",)


def render(out_dir: Path) -> Path:
    """Render the fixture into ``out_dir`` (a complete, importable tree) and return it."""
    pipeline.build(out_dir, spec_path=FIXTURE_SPEC, overlays_dir=FIXTURE_OVERLAYS, version=VERSION)
    return out_dir


def recorded_files(tree: Path) -> dict[str, bytes]:
    """The files of ``tree`` the record holds, by relative path."""
    return {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(part in NOT_RECORDED for part in path.relative_to(tree).parts)
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="orq-golden-") as tmp:
        fresh = recorded_files(render(Path(tmp) / "out"))
    shutil.rmtree(GOLDEN_DIR, ignore_errors=True)
    for name, content in fresh.items():
        target = GOLDEN_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"wrote {len(fresh)} files to {GOLDEN_DIR.relative_to(pipeline.ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
