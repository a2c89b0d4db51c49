"""Fixtures for the command-line tests: `main(argv)` run in-process against the real local server."""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from orq_images.__main__ import main

from tests.support.server import LocalServer

API_KEY = "sk-cli-test-KEY-4d1e8a77c2"
PATH = "/v2/router/images/generations"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(200))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def answer(*images: bytes, **extra: Any) -> dict[str, Any]:
    """A 200 answer carrying ``images`` as base64."""
    return {"created": 1700000000, "data": [{"b64_json": b64(image)} for image in images], **extra}


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str


class Terminal(io.StringIO):
    """A stand-in for standard error on a terminal."""

    def isatty(self) -> bool:
        return True


Run = Callable[..., Outcome]


@pytest.fixture
def run(server: LocalServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*argv)``: ``main`` with the key in ORQ_API_KEY and ``--server-url`` of the local server appended."""
    monkeypatch.setenv("ORQ_API_KEY", API_KEY)

    def run_main(*argv: str, server_url: bool = True, stderr: io.StringIO | None = None) -> Outcome:
        """``stderr``: a stream to use as standard error instead of pytest's capture (a ``Terminal``)."""
        capsys.readouterr()
        with monkeypatch.context() as patch:
            if stderr is not None:
                patch.setattr(sys, "stderr", stderr)
            status = main([*argv, *(["--server-url", server.url] if server_url else [])])
        captured = capsys.readouterr()
        return Outcome(status, captured.out, captured.err)

    return run_main


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh current directory (where images without -o go)."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")], "temporary files left"


def files_in(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


__all__ = ["API_KEY", "JPEG", "PATH", "PNG", "Outcome", "Run", "Terminal", "answer", "b64", "files_in"]
