"""The seed's call example, run as written (only the import and server_url changed) and type-checked."""

from __future__ import annotations

import ast
import asyncio
import base64
import os
import pathlib
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from orq_images import Orq
from orq_images.models import CreateImageResponse

from tests.client.conftest import (
    API_KEY,
    ON_BOTH_ASYNC_TRANSPORTS,
    PATH,
    SEED_ARGS,
    AsyncTransport,
    new_orq,
    only_request,
    wire_json,
)
from tests.support.server import LocalServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEED_CALL = pathlib.Path(__file__).with_name("seed_call.py")
GENERATED = ROOT / "generated"


def seed_call_arguments() -> dict[str, Any]:
    """The keyword arguments of the `create(...)` call in seed_call.py, read from its source."""
    tree = ast.parse(SEED_CALL.read_text())
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "create"
    ]
    assert len(calls) == 1
    return {keyword.arg: ast.literal_eval(keyword.value) for keyword in calls[0].keywords if keyword.arg}


def test_seed_call_passes_exactly_the_seed_arguments() -> None:
    arguments = seed_call_arguments()
    assert arguments == SEED_ARGS
    assert wire_json(arguments) == wire_json(SEED_ARGS)  # same order, and 30000 is an int in both
    source = SEED_CALL.read_text()
    assert "from orq_images import Orq\nimport os\n" in source
    assert "import orq_ai_sdk" not in source and "from orq_ai_sdk" not in source


def run_seed_script(server: LocalServer, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ORQ_SERVER_URL": server.url, "PYTHONPATH": str(GENERATED), **env}
    return subprocess.run(
        [sys.executable, str(SEED_CALL)], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_seed_script_sends_the_seed_arguments_and_prints_one_short_line(server: LocalServer) -> None:
    image = base64.b64encode(os.urandom(750_000)).decode()
    assert len(image) == 1_000_000
    server.enqueue(200, json={"created": 1700000000, "data": [{"b64_json": image, "revised_prompt": "a red fox"}]})

    result = run_seed_script(server, ORQ_API_KEY=API_KEY)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warning, no traceback
    request = only_request(server)
    assert request.method == "POST"
    assert request.path == PATH
    assert request.json == SEED_ARGS
    assert request.body == wire_json(SEED_ARGS)  # byte for byte: same keys, same order, ints stay ints
    assert request.headers["authorization"] == f"Bearer {API_KEY}"

    lines = result.stdout.splitlines()
    assert len(lines) == 1
    (line,) = lines
    assert len(line) < 200, line
    assert line.startswith("CreateImageResponse(created=1700000000, data=[GeneratedImage(")
    assert "revised_prompt='a red fox'" in line
    assert f"b64_json='{image[:24]}...' (1000000 chars)" in line


def test_seed_script_without_a_key_fails_before_sending(server: LocalServer) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "ORQ_API_KEY"}
    environment.update(ORQ_SERVER_URL=server.url, PYTHONPATH=str(GENERATED))
    result = subprocess.run(
        [sys.executable, str(SEED_CALL)], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "orq_images._runtime.errors.OrqError: " + (
        "no API key: pass api_key=... or set ORQ_API_KEY"
    )
    assert server.requests == []


@ON_BOTH_ASYNC_TRANSPORTS
def test_seed_call_with_create_async_sends_the_same_bytes(server: LocalServer, async_transport: AsyncTransport) -> None:
    with Orq(api_key=API_KEY, server_url=server.url) as orq:
        sync_result = orq.router.images.generations.create(**SEED_ARGS)

    async def main() -> CreateImageResponse:
        async with new_orq(async_transport, server_url=server.url) as orq:
            return await orq.router.images.generations.create_async(**SEED_ARGS)

    async_result = asyncio.run(main())
    first, second = server.requests
    assert first.body == second.body == wire_json(SEED_ARGS)
    assert (
        async_result.to_dict()
        == sync_result.to_dict()
        == {
            "created": 1700000000,
            "data": [{"url": "https://example.com/img.png"}],
        }
    )


# -- mypy --strict ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mypy(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `mypy --strict` on files in a subprocess (MYPYPATH=generated), with a cache shared by this module."""
    cache = tmp_path_factory.mktemp("mypy-cache")

    def run(*files: pathlib.Path) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "MYPYPATH": str(GENERATED)}
        command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "--no-color-output"]
        return subprocess.run(
            [*command, *map(str, files)], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120
        )

    return run


def test_mypy_strict_accepts_the_seed_script(mypy: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    result = mypy(SEED_CALL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found in 1 source file")


BAD_KEY = """\
    from orq_images import Orq

    with Orq(api_key="sk-x") as orq:
        res = orq.router.images.generations.create(
            prompt="p",
            model="m",
            orq={"identity": {"id": "x", "emial": "a"}},
        )
"""

BAD_ENUM = """\
    from orq_images import Orq

    with Orq(api_key="sk-x") as orq:
        res = orq.router.images.generations.create(
            prompt="p",
            model="m",
            background="purple",
        )
"""

BAD_ARGUMENT = """\
    from orq_images import Orq

    with Orq(api_key="sk-x") as orq:
        res = orq.router.images.generations.create(
            promt="p",
            model="m",
        )
"""


def test_mypy_strict_rejects_misspelled_nested_key_and_wrong_enum(
    mypy: Callable[..., subprocess.CompletedProcess[str]], tmp_path: pathlib.Path
) -> None:
    files = {}
    for name, source in {"bad_key": BAD_KEY, "bad_enum": BAD_ENUM, "bad_argument": BAD_ARGUMENT}.items():
        files[name] = tmp_path / f"{name}.py"
        files[name].write_text(textwrap.dedent(source))

    result = mypy(*files.values())

    assert result.returncode == 1, result.stdout + result.stderr
    errors: dict[str, list[str]] = {name: [] for name in files}
    for line in result.stdout.splitlines():
        for name, path in files.items():
            if line.startswith(f"{path}:"):
                errors[name].append(line.removeprefix(f"{path}:"))
    # Each error points at the offending argument's line and names the argument and what it accepts.
    assert errors["bad_key"] == [
        '7: error: Argument "orq" to "create" of "RouterImagesGenerations" has incompatible type '
        '"dict[str, dict[str, str]]"; expected "OrqOptions | OrqOptionsParam | None"  [arg-type]'
    ]
    assert errors["bad_enum"] == [
        '7: error: Argument "background" to "create" of "RouterImagesGenerations" has incompatible type '
        "\"Literal['purple']\"; expected \"Literal['auto', 'opaque', 'transparent'] | Unset | None\"  [arg-type]"
    ]
    assert errors["bad_argument"][0] == (
        '4: error: Unexpected keyword argument "promt" for "create" of "RouterImagesGenerations"; '
        'did you mean "prompt"?  [call-arg]'
    )
    assert result.stdout.splitlines()[-1] == "Found 3 errors in 3 files (checked 3 source files)"
