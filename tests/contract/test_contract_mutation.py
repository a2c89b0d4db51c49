"""The contract suite can fail: regenerate the client from a deliberately broken copy of the spec and check that
replay and validation against the same fixtures fail, and say where.

(a) CreateImageResponse.created renamed to created_at (a response field);
(b) CreateImageRequest.n turned into a string (a request field's type).

Each mutant is generated with ``generator.pipeline.build`` into a temporary directory and checked in a
subprocess whose only ``orq_images`` is the fresh one (``python -m tests.contract.check_generated``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from tests.contract import harness


def rename_created(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["CreateImageResponse"]
    schema["properties"] = {("created_at" if k == "created" else k): v for k, v in schema["properties"].items()}
    schema["required"] = ["created_at" if name == "created" else name for name in schema["required"]]


def n_as_string(spec: dict[str, Any]) -> None:
    n = spec["components"]["schemas"]["CreateImageRequest"]["properties"]["n"]
    for keyword in ("minimum", "maximum", "default"):
        n.pop(keyword, None)
    n["type"] = ["string", "null"]


def build_mutant(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    spec_dir, overlays_dir, out_dir = tmp_path / "openapi", tmp_path / "overlays", tmp_path / "generated"
    shutil.copytree(pipeline.SPEC_PATH.parent, spec_dir)
    shutil.copytree(pipeline.OVERLAYS_DIR, overlays_dir)
    spec_path = spec_dir / pipeline.SPEC_PATH.name
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    mutate(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    pipeline.build(out_dir, spec_path=spec_path, overlays_dir=overlays_dir)
    return out_dir


def check(generated_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated_dir), str(harness.ROOT)])}
    spec = generated_dir / pipeline.EFFECTIVE_SPEC_NAME
    return subprocess.run(
        [sys.executable, "-m", "tests.contract.check_generated", "--spec", str(spec)],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def failures(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line[len("FAIL ") :] for line in result.stdout.splitlines() if line.startswith("FAIL ")]


def checked_package(result: subprocess.CompletedProcess[str]) -> Path:
    first = result.stdout.splitlines()[0]
    assert first.startswith("package: "), result.stdout + result.stderr
    return Path(first[len("package: ") :])


def test_the_unmutated_package_passes() -> None:
    """The control: the same subprocess check on the committed package finds nothing."""
    result = check(harness.ROOT / "generated")
    assert result.returncode == 0, result.stdout + result.stderr
    assert checked_package(result) == harness.ROOT / "generated" / "orq_images"


def test_renaming_a_response_field_is_caught(tmp_path: Path) -> None:
    out = build_mutant(tmp_path, rename_created)
    result = check(out)
    assert checked_package(result) == out / "orq_images"
    assert result.returncode == 1, result.stdout + result.stderr
    found = failures(result)
    # every fixture answered with a documented 200 now fails replay, naming the missing field
    replay = [line for line in found if ": replay: " in line]
    assert any(
        line.startswith("200_seed_call_b64_json_with_usage: replay: expected a CreateImageResponse")
        and "created_at: required key missing" in line
        for line in replay
    ), "\n".join(found)
    assert any("200_minimal_call: response validation: " in line for line in found), "\n".join(found)
    assert any("'created_at' is a required property" in line for line in result.stdout.splitlines())
    # requests are untouched by this mutation
    assert not any(": request validation: " in line for line in found), "\n".join(found)


def test_changing_a_request_field_type_is_caught(tmp_path: Path) -> None:
    out = build_mutant(tmp_path, n_as_string)
    result = check(out)
    assert checked_package(result) == out / "orq_images"
    assert result.returncode == 1, result.stdout + result.stderr
    found = failures(result)
    # the client now refuses n=3 before sending: nothing reaches the wire
    assert any(
        line.startswith("200_n_3_three_images: replay: expected exactly 1 request to be sent, 0 were") for line in found
    ), "\n".join(found)
    assert any(
        line.startswith("200_n_3_three_images: replay: expected a CreateImageResponse, but the call raised "
                        "RequestValidationError: n: expected string or null, got 3")
        for line in found
    ), "\n".join(found)  # fmt: skip
    # and the fixtures' requests no longer validate against the mutated document, at n
    assert any(line.startswith("200_n_3_three_images: request validation: ") for line in found)
    assert any("at n: 3 is not of type 'string', 'null'" in line for line in result.stdout.splitlines())
    # fixtures without n still pass: the failure is located, not global
    assert not any(line.startswith("200_minimal_call: ") for line in found), "\n".join(found)


@pytest.mark.parametrize("mutate", [rename_created, n_as_string])
def test_mutations_change_the_spec(mutate: Callable[[dict[str, Any]], None]) -> None:
    spec = yaml.safe_load(pipeline.SPEC_PATH.read_text(encoding="utf-8"))
    before = yaml.safe_dump(spec)
    mutate(spec)
    assert yaml.safe_dump(spec) != before
