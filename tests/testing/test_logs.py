"""Logging: one line per attempt (ORQ_LOG or the logging configuration), the body at DEBUG, never the key."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from orq_images import Orq
from orq_images._runtime import logs
from orq_images.testing import FakeRouter, StandIn

API_KEY = "sk-logging-test-KEY-5e1d07c2a9"
FOX = {"prompt": "a red fox", "model": "openai/gpt-image-1"}
ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"POST /v2/router/images/generations (\d{3}) in \d+\.\d{3} s \(attempt (\d), request id (req_[\w]+)\)"
)


def test_one_info_line_per_attempt_with_status_time_attempt_and_request_id(caplog: pytest.LogCaptureFixture) -> None:
    router = FakeRouter()
    router.fail("generations", 503, headers={"x-request-id": "req_first"})
    caplog.set_level(logging.INFO, logger="orq_images")
    with router.orq(API_KEY) as orq:
        orq.router.images.generations.create(**FOX)
    lines = [record.getMessage() for record in caplog.records if record.levelno == logging.INFO]
    matches = [LINE.fullmatch(line) for line in lines]
    assert all(matches), lines
    assert [(m.group(1), m.group(2)) for m in matches if m] == [("503", "1"), ("200", "2")]
    assert matches[0] is not None and matches[0].group(3) == "req_first"
    assert not [r for r in caplog.records if r.levelno == logging.DEBUG]  # INFO only: no body


def test_debug_shows_the_body_with_long_strings_shortened(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="orq_images")
    with FakeRouter().orq(API_KEY) as orq:
        orq.router.images.generations.create(prompt="fox " * 500, model="openai/gpt-image-1")
    [body_line] = [r.getMessage() for r in caplog.records if "request body" in r.getMessage()]
    assert "(2000 chars)" in body_line and "'model': 'openai/gpt-image-1'" in body_line
    assert len(body_line) < 300


def test_logging_off_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="orq_images")
    with FakeRouter().orq(API_KEY) as orq:
        orq.router.images.generations.create(**FOX)
    assert caplog.records == []


def test_orq_log_sets_the_level_and_a_handler_when_a_client_is_created(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("orq_images")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # pytest's own capture handlers
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setenv("ORQ_LOG", "nonsense")
    Orq(API_KEY).close()
    assert (logger.level, logger.handlers) == (logging.NOTSET, [])
    monkeypatch.setenv("ORQ_LOG", " Debug ")
    Orq(API_KEY).close()
    Orq(API_KEY).close()
    assert logger.level == logging.DEBUG
    assert len(logger.handlers) == 1  # not one per client
    logging.getLogger().addHandler(logging.NullHandler())
    monkeypatch.setattr(logger, "handlers", [])
    Orq(API_KEY).close()
    assert logger.handlers == []  # logging was configured: no second handler, no line shown twice


def test_orq_log_debug_in_a_process_never_shows_the_key_even_with_httpx2_and_httpcore2_at_debug() -> None:
    """The real thing: ORQ_LOG=debug, the HTTP stack's own loggers at DEBUG too, a real server, a retry."""
    with StandIn(port=0) as stand_in:
        script = textwrap.dedent(
            """
            import logging, sys
            logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
            for name in ("httpx2", "httpcore2", "httpx", "httpcore"):
                logging.getLogger(name).setLevel(logging.DEBUG)
            from orq_images import Orq, AuthenticationError
            with Orq() as orq:
                orq.router.images.generations.create(prompt="a red fox", model="m", n=2)
                try:
                    orq.router.images.generations.create(
                        prompt="x", model="m", http_headers={"Authorization": "Basic eDp5"}
                    )
                except AuthenticationError:
                    pass
            """
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "generated"),
            "ORQ_LOG": "debug",
            "ORQ_API_KEY": API_KEY,
            "ORQ_SERVER_URL": stand_in.url,
        }
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
        )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert API_KEY not in output
    assert API_KEY[:12] not in output
    attempts = LINE.findall(output)
    assert [status for status, _, _ in attempts] == ["200", "401"]
    assert all(request_id.startswith("req_standin_") for _, _, request_id in attempts)
    assert "request body: {'prompt': 'a red fox', 'model': 'm', 'n': 2}" in output
    assert "httpcore2" in output or "httpx2" in output  # the HTTP stack did log, and showed no key


def test_an_unreadable_body_is_described_not_logged() -> None:
    import httpx2

    request = httpx2.Request("POST", "https://x.test/p", content=b"\x00\x01", headers={"content-type": "image/png"})
    assert logs._body_text(request) == "(2 bytes of image/png)"
    streamed = httpx2.Request("POST", "https://x.test/p", content=iter([b"a"]))
    assert logs._body_text(streamed).startswith("(streamed")
