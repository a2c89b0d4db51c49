"""The command line is generated from the API description: a field added to a copy of the spec is a flag after a
build; the x-cli hints are checked at generation; `python -m orq_images` runs as a real process; and
`import orq_images` does not load the command line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from generator import cli_table, pipeline
from tests.cli.conftest import API_KEY, PNG, answer
from tests.support.server import LocalServer

ROOT = pipeline.ROOT
OPERATION = "$.paths['/v2/router/images/generations'].post"


def _sources(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(ROOT / "openapi", tmp_path / "openapi")
    shutil.copytree(ROOT / "overlays", tmp_path / "overlays")
    return tmp_path / "openapi" / pipeline.SPEC_PATH.name, tmp_path / "overlays"


def _python(args: list[str], *, pythonpath: Path, cwd: Path, env: dict[str, str] | None = None) -> Any:
    clean = {key: value for key, value in os.environ.items() if key not in ("ORQ_API_KEY", "PYTHONPATH")}
    clean.update({"PYTHONPATH": str(pythonpath), **(env or {})})
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=clean, timeout=60, check=False
    )


def test_a_field_added_to_the_spec_is_a_flag_after_generation(tmp_path: Path, server: LocalServer) -> None:
    spec, overlays = _sources(tmp_path)
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    schemas["CreateImageRequest"]["properties"]["seed"] = {"type": "integer", "description": "A seed to sample from."}
    schemas["OrqOptions"]["properties"]["priority"] = {
        "type": "string",
        "enum": ["low", "high"],
        "description": "How soon the router serves the call.",
    }
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    out = tmp_path / "generated"
    pipeline.build(out, spec_path=spec, overlays_dir=overlays)

    shown = _python(["-m", "orq_images", "generate", "--help"], pythonpath=out, cwd=tmp_path)
    text = " ".join(shown.stdout.split())
    assert shown.returncode == 0, shown.stderr
    assert "--seed INT A seed to sample from." in text
    assert "--orq.priority {low,high} How soon the router serves the call." in text

    server.enqueue(200, json=answer(PNG))
    argv = ["-m", "orq_images", "generate", "a fox", "-m", "m", "--seed", "7", "--orq.priority", "high", "-o", "f.png"]
    called = _python([*argv, "--server-url", server.url], pythonpath=out, cwd=tmp_path, env={"ORQ_API_KEY": API_KEY})
    assert called.returncode == 0, called.stderr
    assert server.requests[0].json == {"prompt": "a fox", "model": "m", "seed": 7, "orq": {"priority": "high"}}
    assert (tmp_path / "f.png").read_bytes() == PNG


def test_python_dash_m_runs_the_command_in_a_real_process(tmp_path: Path, server: LocalServer) -> None:
    server.enqueue(200, json=answer(PNG, PNG[::-1]))
    argv = ["-m", "orq_images", "generate", "a red fox", "-m", "openai/gpt-image-1", "-n", "2", "-o", "fox.png"]

    result = _python(
        [*argv, "--server-url", server.url], pythonpath=ROOT / "generated", cwd=tmp_path, env={"ORQ_API_KEY": API_KEY}
    )

    assert (result.returncode, result.stdout, result.stderr) == (0, "fox.png\nfox-1.png\n", "")
    assert (tmp_path / "fox.png").read_bytes() == PNG and (tmp_path / "fox-1.png").read_bytes() == PNG[::-1]

    failed = _python(
        ["-m", "orq_images", "generate", "x", "-m", "m", "-n", "0"], pythonpath=ROOT / "generated", cwd=tmp_path
    )
    assert failed.returncode == 2 and "no API key" in failed.stderr


def test_importing_the_package_does_not_load_the_command_line(tmp_path: Path) -> None:
    script = (
        "import sys, orq_images\n"
        "from orq_images import Orq\n"
        "cli = ('orq_images.__main__', 'orq_images._cli', 'orq_images._runtime.cli', 'orq_images._runtime.cli_options',"
        " 'orq_images._runtime.cli_progress', 'orq_images._runtime.cli_batch')\n"
        "print(sorted(m for m in sys.modules if m == 'argparse' or m in cli))"
    )
    result = _python(
        ["-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'generated')!r})\n{script}"],
        pythonpath=tmp_path,
        cwd=tmp_path,
    )

    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


def _write_overlay(overlays: Path, update: dict[str, Any]) -> None:
    document = {
        "overlay": "1.0.0",
        "info": {"title": "t", "version": "1"},
        "actions": [{"target": OPERATION, "update": update}],
    }
    (overlays / "99-test.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"x-cli-positional": ["prompt", "seed"]}, "createImage (x-cli-name 'generate'): the CLI hints name 'seed'"),
        ({"x-cli-short-flags": {"model": "o"}}, "createImage (x-cli-name 'generate'): short flag '-o' for 'model'"),
        ({"x-cli-short-flags": {"size": "m"}}, "two fields share a short flag"),
        ({"x-cli-name": "Generate Image"}, "createImage: x-cli-name 'Generate Image' is not a command name"),
    ],
)
def test_hints_that_do_not_fit_the_body_stop_the_build(tmp_path: Path, update: dict[str, Any], message: str) -> None:
    spec, overlays = _sources(tmp_path)
    if "x-cli-name" in update:  # replace, not merge
        path = overlays / "30-cli.yaml"
        path.write_text(path.read_text().replace("x-cli-name: generate", f"x-cli-name: {update.pop('x-cli-name')}"))
    if update:
        _write_overlay(overlays, update)

    with pytest.raises(ValueError, match=re.escape(message)):
        pipeline.build(tmp_path / "generated", spec_path=spec, overlays_dir=overlays)


def test_without_a_positional_hint_the_required_files_are_positional() -> None:
    operation = {
        "operationId": "createImageEdit",
        "x-cli-name": "edit",
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["image", "prompt"],
                        "properties": {
                            "image": {"type": "string", "format": "binary"},
                            "mask": {"type": "string", "contentMediaType": "image/png"},
                            "prompt": {"type": "string"},
                        },
                    }
                }
            }
        },
    }

    hints = cli_table.cli_hints({}, operation)

    assert hints is not None
    assert (hints["file_fields"], hints["cli_positional"]) == (["image", "mask"], ["image"])
    assert cli_table.cli_hints({}, {"operationId": "x"}) is None


def test_two_operations_with_one_cli_name_stop_the_build() -> None:
    body = {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {}}}}}}
    operation = {"x-cli-name": "generate", **body}
    document = {"paths": {"/a": {"post": operation}, "/b": {"post": operation}}}
    rows = [
        SimpleNamespace(path=path, method="POST", key="create_image", namespace=("a",), name="m", save_to=None)
        for path in ("/a", "/b")
    ]

    with pytest.raises(ValueError, match="two operations have x-cli-name 'generate'"):
        cli_table.table(document, rows)  # type: ignore[arg-type]


def test_the_command_is_named_by_the_console_script() -> None:
    assert cli_table.console_script() == "orq-images"
    assert '"prog="orq-images"' not in (ROOT / "generated" / "orq_images" / "__main__.py").read_text()
    assert 'prog="orq-images"' in (ROOT / "generated" / "orq_images" / "__main__.py").read_text()
