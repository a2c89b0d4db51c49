"""The progress line: on a terminal only, never with --quiet; what it says while a call waits and receives."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2
import pytest
from orq_images._runtime.cli_progress import Progress, ProgressTransport

from tests.cli.conftest import PNG, Run, Terminal, answer, files_in
from tests.support.server import LocalServer


@pytest.fixture
def terminal() -> Terminal:
    return Terminal()


def test_on_a_terminal_a_line_shows_the_wait_and_is_cleared_at_the_end(
    run: Run, server: LocalServer, workdir: Path, terminal: Terminal
) -> None:
    server.enqueue(200, json=answer(PNG), delay=0.7)

    outcome = run("generate", "a fox", "-m", "m", "-o", "fox.png", stderr=terminal)

    assert outcome.status == 0 and outcome.stdout == "fox.png\n"
    drawn = terminal.getvalue()
    assert re.search(r"\r\x1b\[Korq-images generate: waiting for the answer, \d+ s", drawn)
    assert drawn.endswith("\r\x1b[K")  # nothing is left on the line
    assert files_in(workdir) == {"fox.png": PNG}


def test_on_a_terminal_the_line_counts_the_answer_while_it_arrives(
    run: Run, server: LocalServer, workdir: Path, terminal: Terminal
) -> None:
    image = PNG * 2000  # about 2 MiB, half of it sent at once and the rest 0.7 s later
    server.enqueue(200, json=answer(image), body_delay=0.7)

    outcome = run("generate", "a fox", "-m", "m", "-o", "fox.png", stderr=terminal)

    assert outcome.status == 0
    assert re.search(r"orq-images generate: receiving 1\.\d of 2\.\d MiB, \d+ s", terminal.getvalue())
    assert files_in(workdir) == {"fox.png": image}


def test_with_quiet_a_terminal_gets_nothing(run: Run, server: LocalServer, workdir: Path, terminal: Terminal) -> None:
    server.enqueue(200, json=answer(PNG), delay=0.5)

    assert run("generate", "a fox", "-m", "m", "-o", "fox.png", "--quiet", stderr=terminal).status == 0
    assert terminal.getvalue() == ""


def test_when_stderr_is_not_a_terminal_nothing_is_drawn(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(200, json=answer(PNG), delay=0.5)

    outcome = run("generate", "a fox", "-m", "m", "-o", "fox.png")

    assert (outcome.status, outcome.stderr) == (0, "")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_follows_the_call_through_its_phases() -> None:
    clock = Clock()
    progress = Progress(Terminal(), "orq-images edit", enabled=False, clock=clock)
    assert progress.text() == "orq-images edit: connecting, 0 s"

    progress.request_started(8 * 1024 * 1024)
    progress.sent(2 * 1024 * 1024)
    clock.now += 3
    assert progress.text() == "orq-images edit: sending 2.0 of 8.0 MiB, 3 s"
    progress.sent(6 * 1024 * 1024)
    assert progress.text() == "orq-images edit: waiting for the answer, 3 s"

    clock.now += 20
    progress.answer_started(12 * 1024 * 1024)
    progress.received(3 * 1024 * 1024 + 300_000)
    assert progress.text() == "orq-images edit: receiving 3.3 of 12.0 MiB, 23 s"

    progress.request_started(100)  # a retry
    progress.answer_started(None)
    progress.received(5 * 1024 * 1024)
    assert progress.text() == "orq-images edit: receiving 5.0 MiB (attempt 2), 23 s"


def test_the_transport_counts_the_bytes_sent_and_received(server: LocalServer) -> None:
    body = b"x" * 100_000
    server.enqueue(200, body=body)
    progress = Progress(Terminal(), "t", enabled=False)
    with httpx2.Client(transport=ProgressTransport(httpx2.HTTPTransport(), progress)) as client:
        response = client.post(server.url + "/upload", content=b"y" * 12345)

    assert response.content == body
    assert (progress.attempt, progress.uploaded, progress.upload_total) == (1, 12345, 12345)
    assert (progress.downloaded, progress.download_total, progress.answering) == (100_000, 100_000, True)
    assert server.requests[0].body == b"y" * 12345
