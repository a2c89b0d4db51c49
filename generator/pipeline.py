"""The pipeline: validate the API description, apply overlays, render the package, format it, place it.

``generate`` replaces ``generated/`` with fresh output; ``check`` renders into a temporary directory and
reports how the committed ``generated/`` differs. Both run exactly the same steps, so a clean ``check``
means ``generate`` would change nothing.
"""

from __future__ import annotations

import difflib
import filecmp
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any, cast

import yaml
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .overlay import apply_overlays
from .reference_docs import write_reference
from .render import render_package

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "orq-images.yaml"
OVERLAYS_DIR = ROOT / "overlays"
GENERATED_DIR = ROOT / "generated"
PACKAGE_NAME = "orq_images"
EFFECTIVE_SPEC_NAME = "openapi.effective.yaml"
RUFF_CONFIG = Path(__file__).resolve().parent / "ruff-generated.toml"


class PipelineError(Exception):
    """A step of the pipeline failed; the message says which and why."""


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """Read and validate the hand-maintained OpenAPI document."""
    label = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PipelineError(f"{label} is not valid YAML: {exc}") from exc
    validate_spec(document, label)
    return document  # type: ignore[no-any-return]


def validate_spec(document: Any, label: str) -> None:
    try:
        validate_openapi(document)
    except OpenAPIValidationError as exc:
        location = " or ".join(_locate(document, list(exc.absolute_path), exc.instance)) or "(root)"
        raise PipelineError(f"{label} is not a valid OpenAPI document at {location}: {exc.message}") from exc


_MISSING = object()


def _locate(document: Any, relative: list[str | int], instance: Any) -> list[str]:
    """Full paths of an error. Errors inside a schema carry a path relative to the component schema the
    validator was checking (``properties/prompt/type``), so find the node(s) that path leads from."""

    def follow(node: Any, path: list[str | int]) -> Any:
        for key in path:
            if not isinstance(node, dict | list):
                return _MISSING
            try:
                node = cast(Any, node)[key]
            except (KeyError, IndexError, TypeError):
                return _MISSING
        return node

    def matches(node: Any) -> bool:
        value = follow(node, relative)
        if isinstance(instance, dict | list):
            return value is instance
        return type(value) is type(instance) and value == instance

    found: list[str] = []

    def walk(node: Any, prefix: list[str | int]) -> None:
        if matches(node):
            found.append("/".join(str(part) for part in [*prefix, *relative]))
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            walk(child, [*prefix, key])

    if not relative or matches(document):
        return ["/".join(str(part) for part in relative)] if relative else []
    walk(document, [])
    return found or ["/".join(str(part) for part in relative)]


def overlay_paths(directory: Path = OVERLAYS_DIR) -> list[Path]:
    """Overlay documents apply in file-name order."""
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def effective_spec(spec_path: Path = SPEC_PATH, overlays_dir: Path = OVERLAYS_DIR) -> dict[str, Any]:
    """The API description with every overlay applied, validated again."""
    document = apply_overlays(load_spec(spec_path), overlay_paths(overlays_dir))
    validate_spec(document, "the effective document (after overlays)")
    return document


def package_version() -> str:
    """The single source of the version: ``[project] version`` in pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def build(
    out_dir: Path, spec_path: Path = SPEC_PATH, overlays_dir: Path = OVERLAYS_DIR, *, version: str | None = None
) -> None:
    """Run every step and write the generated tree (package + effective document) into ``out_dir``.

    ``version`` defaults to the project's (pyproject.toml); the generator's golden records pin their own."""
    document = effective_spec(spec_path, overlays_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / EFFECTIVE_SPEC_NAME).write_text(
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8"
    )
    render_package(document, out_dir / PACKAGE_NAME, version=version or package_version())
    write_reference(document, out_dir / "docs" / "parameters.md")
    _ruff(out_dir / PACKAGE_NAME)


def _ruff(package_dir: Path) -> None:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    ruff = find_ruff_bin()
    for args in (["check", "--fix-only", "--exit-zero", "--quiet"], ["format", "--quiet"]):
        result = subprocess.run(
            [ruff, *args, "--no-cache", "--config", str(RUFF_CONFIG), "."],
            cwd=package_dir,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PipelineError(f"ruff {args[0]} failed on the generated package:\n{result.stderr or result.stdout}")


def generate() -> None:
    """Replace ``generated/`` with fresh output (rendered aside first, so a failure leaves it untouched)."""
    with tempfile.TemporaryDirectory(prefix="orq-images-gen-") as tmp:
        staged = Path(tmp) / "generated"
        build(staged)
        shutil.rmtree(GENERATED_DIR, ignore_errors=True)
        shutil.copytree(staged, GENERATED_DIR)
    print(f"generated {GENERATED_DIR.relative_to(ROOT)}/{PACKAGE_NAME} (version {package_version()})")


def diff_trees(expected: Path, actual: Path, *, max_lines: int = 80) -> list[str]:
    """A readable, bounded, unified diff of two trees (``expected`` = fresh output, ``actual`` = committed)."""
    lines: list[str] = []
    for relative in sorted(_files(expected) | _files(actual)):
        fresh, committed = expected / relative, actual / relative
        if not committed.exists():
            lines.append(f"missing from generated/: {relative}")
        elif not fresh.exists():
            lines.append(f"not produced by the pipeline: generated/{relative}")
        elif not filecmp.cmp(fresh, committed, shallow=False):
            diff = list(
                difflib.unified_diff(
                    committed.read_text(encoding="utf-8", errors="replace").splitlines(),
                    fresh.read_text(encoding="utf-8", errors="replace").splitlines(),
                    fromfile=f"generated/{relative} (committed)",
                    tofile=f"generated/{relative} (pipeline)",
                    lineterm="",
                )
            )
            # splitlines() hides line-ending and final-newline differences; they are drift all the same.
            lines.extend(diff or [f"differs in line endings or the final newline only: generated/{relative}"])
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], f"... ({len(lines) - max_lines} more lines)"]
    return lines


def _files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".pyc")
    }


def check() -> int:
    """0 when ``generated/`` is exactly what the pipeline produces, 1 (with a diff) otherwise."""
    with tempfile.TemporaryDirectory(prefix="orq-images-check-") as tmp:
        fresh = Path(tmp) / "generated"
        build(fresh)
        differences = diff_trees(fresh, GENERATED_DIR)
    if differences:
        print("generated/ differs from what the pipeline produces; run `make generate` and commit:", file=sys.stderr)
        print("\n".join(differences), file=sys.stderr)
        return 1
    print("generated/ is up to date")
    return 0
