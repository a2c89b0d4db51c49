"""The documentation site builds with `mkdocs build --strict` (no warning at all) and holds what it promises: the
README as the guide, the API reference from the docstrings, the generated parameter reference."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The docs group is not in dev: `make docs-deps` adds it to .venv (pinned by uv.lock), as `make docs` does.
    subprocess.run(["make", "--no-print-directory", "docs-deps"], cwd=ROOT, check=True, capture_output=True)
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def test_the_guide_is_the_readme(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    for heading in ("Quick start", "Logging", "Testing your code", "python -m orq_images.testing serve"):
        assert heading in html


def test_the_api_reference_comes_from_the_docstrings(site: Path) -> None:
    client = (site / "reference" / "client" / "index.html").read_text(encoding="utf-8")
    assert "Create an image." in client  # the first line of create's docstring
    assert "RequestValidationError" in client
    testing = (site / "reference" / "testing" / "index.html").read_text(encoding="utf-8")
    assert "FakeRouter" in testing and "skip_retry_sleeps" in testing
    assert "AuthenticationError" in (site / "reference" / "errors" / "index.html").read_text(encoding="utf-8")


def test_the_parameter_reference_is_the_generated_one(site: Path) -> None:
    html = (site / "reference" / "parameters" / "index.html").read_text(encoding="utf-8")
    assert "orq.router.images.generations.create" in html
    assert "fallback_on_codes" in html
