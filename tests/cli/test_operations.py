"""Any operation of the table becomes a subcommand with no CLI code: files (paths, `-` for stdin) and positional order
from the row, checked here with an edit-like and a variation-like operation on a stand-in client."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from orq_images._runtime.cli import Command, run

from tests.cli.conftest import API_KEY

COMPONENTS: dict[str, Any] = {
    "EditRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["image", "prompt", "model"],
        "properties": {
            "image": {"type": "string"},
            "prompt": {"type": "string"},
            "model": {"type": "string"},
            "n": {"type": ["integer", "null"], "minimum": 1},
            "transparent": {"type": "boolean"},
        },
    },
    "VariationRequest": {
        "type": "object",
        "required": ["images", "model"],
        "properties": {"images": {"type": "array", "items": {"type": "string"}}, "model": {"type": "string"}},
    },
}
REQUESTS = {
    "create_image_edit": {"$ref": "#/components/schemas/EditRequest"},
    "create_image_variation": {"$ref": "#/components/schemas/VariationRequest"},
}
TABLE = [
    {
        "cli_name": "edit",
        "cli_group": "images",
        "request_schema": "create_image_edit",
        "namespace": ["router", "images", "edits"],
        "method": "create",
        "summary": "Edit an image",
        "cli_positional": ["image", "prompt"],
        "cli_short_flags": {"model": "m"},
        "file_fields": ["image"],
        "save_to": ["data", "b64_json"],
        "help": {"image": "The image to edit.", "prompt": "What to change."},
    },
    {
        "cli_name": "variation",
        "request_schema": "create_image_variation",
        "namespace": ["router", "images", "variations"],
        "method": "create",
        "cli_positional": ["images"],
        "file_fields": ["images"],
        "save_to": ["data", "b64_json"],
    },
]


class StandIn:
    """Plays ``Orq``: records how it was made and the keyword arguments of each call; writes what save_to asks."""

    made: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []

    def __init__(self, api_key: str, **settings: Any) -> None:
        StandIn.made.append({"api_key": api_key, **settings})
        method = SimpleNamespace(create=self.create)
        self.router = SimpleNamespace(images=SimpleNamespace(edits=method, variations=method))

    def create(self, **kwargs: Any) -> Any:
        StandIn.calls.append(kwargs)
        target = kwargs.get("save_to")
        image = SimpleNamespace(saved_to=None, url=None)
        if target is not None:
            path = Path(target if not callable(target) else target(0))
            path.write_bytes(b"\x89PNG\r\n\x1a\nedited")
            image.saved_to = path
        return SimpleNamespace(data=[image])


@pytest.fixture
def command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Command:
    monkeypatch.setenv("ORQ_API_KEY", API_KEY)
    monkeypatch.chdir(tmp_path)
    StandIn.made.clear()
    StandIn.calls.clear()
    return Command(
        prog="orq-images", version="0", client=StandIn, operations=TABLE, requests=REQUESTS, components=COMPONENTS
    )


def test_edit_takes_the_file_then_the_prompt_and_passes_a_path(
    command: Command, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(["edit", "fox.png", "add a hat", "-m", "openai/gpt-image-1", "-o", "fox-hat.png"], command)

    assert status == 0
    (call,) = StandIn.calls
    assert call == {
        "image": Path("fox.png"),
        "prompt": "add a hat",
        "model": "openai/gpt-image-1",
        "save_to": Path("fox-hat.png"),
    }
    assert StandIn.made[0]["api_key"] == API_KEY
    assert capsys.readouterr().out == "fox-hat.png\n"
    assert Path("fox-hat.png").read_bytes() == b"\x89PNG\r\n\x1a\nedited"


def test_a_dash_reads_the_image_from_standard_input(
    command: Command, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(b"\x89PNG from a pipe")))

    assert run(["edit", "-", "add a hat", "-m", "m", "-o", "out.png"], command) == 0
    assert StandIn.calls[0]["image"] == b"\x89PNG from a pipe"


def test_standard_input_can_be_given_once(command: Command, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["variation", "-", "-", "--model", "m"], command) == 2
    assert "images: standard input is already given to images" in capsys.readouterr().err
    assert StandIn.calls == []


def test_an_array_of_files_takes_several_paths(command: Command, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["variation", "a.png", "b.webp", "--model", "m", "-o", "v.png"], command) == 0
    assert StandIn.calls[0]["images"] == [Path("a.png"), Path("b.webp")]


def test_the_help_of_a_new_operation_comes_from_its_row(command: Command, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["edit", "--help"], command) == 0
    text = " ".join(capsys.readouterr().out.split())

    assert text.startswith("usage: orq-images edit image prompt -m TEXT [options]")
    assert "image The image to edit. A file path, or - for standard input." in text
    assert "prompt What to change." in text
    assert "--n INT" in text and "-n," not in text  # no short flag in this row
    assert run(["--help"], command) == 0
    listing = capsys.readouterr().out
    assert "edit Edit an image" in " ".join(listing.split()) and "variation" in listing


def test_without_out_the_images_go_to_the_current_directory(
    command: Command, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["edit", "fox.png", "add a hat", "-m", "m"], command) == 0
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("edit-") and written.suffix == ".png"
    assert capsys.readouterr().out == f"{written.name}\n"


def test_a_boolean_is_a_pair_of_flags(command: Command, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["edit", "a.png", "hat", "-m", "m", "-o", "x.png", "--transparent"], command) == 0
    assert run(["edit", "a.png", "hat", "-m", "m", "-o", "x.png", "--no-transparent"], command) == 0
    assert run(["edit", "a.png", "hat", "-m", "m", "-o", "x.png"], command) == 0
    assert [call.get("transparent", "unset") for call in StandIn.calls] == [True, False, "unset"]
