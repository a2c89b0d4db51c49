"""The recorder (``make record``), run against the local test server: fixtures written, secrets redacted,
provenance honest, and what it writes passes the same checks as the hand-written fixtures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.contract import harness, record
from tests.support.server import LocalServer

SECRET = "sk-orq-SECRET-recorder-test-7f3a9c1e5b"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def write_calls(path: Path, calls: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"calls": calls}), encoding="utf-8")
    return path


CALLS: dict[str, dict[str, Any]] = {
    "ok_minimal": {"description": "minimal", "call": {"prompt": "a red fox", "model": "openai/gpt-image-1"}},
    "ok_contact": {
        "call": {"prompt": "a cat", "model": "openai/dall-e-2", "orq": {"contact": {"id": "c1"}}, "n": 2},
    },
    "echoes_the_key": {"call": {"prompt": "a dog", "model": "openai/dall-e-2", "metadata": {"note": "x"}}},
    "unauthorized": {"use_invalid_api_key": True, "call": {"prompt": "a sunflower", "model": "openai/dall-e-2"}},
    "truncated": {"call": {"prompt": "a tree", "model": "openai/dall-e-2"}},
    "overloaded": {"call": {"prompt": "a boat", "model": "openai/dall-e-2"}},
}


def script(server: LocalServer) -> None:
    server.enqueue(200, json={"created": 1713833628, "data": [{"b64_json": PNG}]}, headers={"x-request-id": "r1"})
    server.enqueue(
        200, json={"created": 1713833629, "data": [{"url": "https://e.x/1.png"}, {"url": "https://e.x/2.png"}]}
    )
    # a server that quotes the key back, in a header and in the body, and sets a cookie
    server.enqueue(
        400,
        json={"error": {"type": "invalid_request_error", "message": f"bad key {SECRET}", "code": None, "param": None}},
        headers={"x-request-id": f"req-{SECRET}", "set-cookie": f"session={SECRET}"},
    )
    server.enqueue(
        401,
        json={
            "error": {
                "type": "authentication_error",
                "message": "Invalid API key",
                "code": "invalid_api_key",
                "param": None,
            }
        },
    )
    server.enqueue(200, body='{"created": 1, "data": [', headers={"content-type": "application/json"})
    server.enqueue(529, body="Overloaded", headers={"content-type": "text/plain", "retry-after": "3"})


@pytest.fixture
def recorded(server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    monkeypatch.setenv("ORQ_API_KEY", SECRET)
    script(server)
    calls = write_calls(tmp_path / "calls.json", CALLS)
    out = tmp_path / "fixtures"
    code = record.main(
        ["--calls", str(calls), "--out", str(out), "--server-url", server.url, "--source", "the test server"]
    )
    assert code == 0
    assert len(server.requests) == len(CALLS)  # one request per call: client retries are off
    return {path.stem: json.loads(path.read_text()) for path in sorted(out.glob("*.json"))}


def test_one_fixture_per_call(recorded: dict[str, dict[str, Any]]) -> None:
    assert sorted(recorded) == sorted(CALLS)


def test_no_secret_is_written(recorded: dict[str, dict[str, Any]], tmp_path: Path, server: LocalServer) -> None:
    for path in (tmp_path / "fixtures").glob("*.json"):
        text = path.read_text()
        assert SECRET not in text and record.INVALID_API_KEY not in text, path.name
    # ... although the key did go over the wire, and the server echoed it
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert server.requests[3].headers["authorization"] == f"Bearer {record.INVALID_API_KEY}"
    echoed = recorded["echoes_the_key"]
    assert echoed["response"]["body"]["error"]["message"] == "bad key <redacted>"
    assert echoed["response"]["headers"]["x-request-id"] == "req-<redacted>"
    assert "set-cookie" not in echoed["response"]["headers"]
    for fixture in recorded.values():
        assert fixture["request"]["headers"]["authorization"] == "Bearer <redacted>"


def test_provenance_is_honest(recorded: dict[str, dict[str, Any]], server: LocalServer) -> None:
    for fixture in recorded.values():
        assert fixture["provenance"]["kind"] == "fault-model"
        assert server.url in fixture["provenance"]["source"]
        assert "not the live API" in fixture["provenance"]["source"]


def test_recorded_fixtures_capture_request_and_answer(recorded: dict[str, dict[str, Any]]) -> None:
    minimal = recorded["ok_minimal"]
    assert minimal["call"] == CALLS["ok_minimal"]["call"]
    assert minimal["request"] == {
        "method": "POST",
        "path": "/v2/router/images/generations",
        "headers": {
            "authorization": "Bearer <redacted>",
            "content-type": "application/json",
            "accept": "application/json",
        },
        "body": CALLS["ok_minimal"]["call"],
    }
    assert minimal["response"]["status"] == 200 and minimal["response"]["headers"]["x-request-id"] == "r1"
    assert minimal["expect"] == {"result": "CreateImageResponse"}
    assert recorded["ok_contact"]["expect"]["warnings"][0]["category"] == "DeprecationWarning"
    assert recorded["unauthorized"]["expect"]["error"] == "AuthenticationError"
    assert recorded["truncated"]["response"]["text"] == '{"created": 1, "data": ['
    assert recorded["truncated"]["expect"]["error"] == "ResponseValidationError"
    assert recorded["truncated"]["expect"]["response_matches_spec"] is False
    assert recorded["overloaded"]["expect"]["error"] == "ServerError"
    assert recorded["overloaded"]["response"]["headers"]["retry-after"] == "3"


def test_recorded_fixtures_pass_the_contract_checks(recorded: dict[str, dict[str, Any]]) -> None:
    for name, fixture in recorded.items():
        fixture["name"] = name
        assert harness.request_problems(fixture) == [], name
        assert bool(harness.response_problems(fixture)) != harness.response_should_validate(fixture), name
        # the key echoed back was redacted, so the replayed message differs from the recording there
        if name != "echoes_the_key":
            assert harness.replay(fixture) == [], name


def test_existing_fixtures_are_kept_unless_overwrite(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORQ_API_KEY", SECRET)
    calls = write_calls(tmp_path / "calls.json", {"ok_minimal": CALLS["ok_minimal"]})
    out = tmp_path / "out"
    out.mkdir()
    (out / "ok_minimal.json").write_text("{}")
    args = ["--calls", str(calls), "--out", str(out), "--server-url", server.url]
    assert record.main(args) == 0
    assert (out / "ok_minimal.json").read_text() == "{}" and server.requests == []
    assert record.main([*args, "--overwrite", "--only", "ok_minimal"]) == 0
    assert json.loads((out / "ok_minimal.json").read_text())["expect"] == {"result": "CreateImageResponse"}


def test_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ORQ_API_KEY", raising=False)
    out = tmp_path / "out"
    assert record.main(["--out", str(out)]) == 2  # the live API without a key
    assert "ORQ_API_KEY" in capsys.readouterr().err
    assert record.main(["--out", str(out), "--server-url", "ftp://example.com"]) == 2
    assert record.main(["--out", str(out), "--server-url", "http://127.0.0.1:9", "--kind", "documented-example"]) == 2
    assert record.main(["--out", str(out), "--server-url", "http://127.0.0.1:9", "--only", "nope"]) == 2
    assert not out.exists()
    with pytest.raises(SystemExit):  # a non-live server can never be labelled a live recording
        record.main(["--server-url", "http://127.0.0.1:9", "--kind", "live-recording"])


def test_live_target_and_nothing_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert record.target(None) == ("https://my.orq.ai", True)
    assert record.target("https://my.orq.ai/") == ("https://my.orq.ai", True)
    assert record.target("http://my.orq.ai") == ("http://my.orq.ai", False)
    assert record.provenance("https://my.orq.ai", True, "fault-model", None, "T")["kind"] == "live-recording"
    # a call the client refuses (nothing sent) is reported and nothing is written
    monkeypatch.setenv("ORQ_API_KEY", SECRET)
    calls = write_calls(tmp_path / "calls.json", {"bad": {"call": {"prompt": "x", "model": "m", "n": 0}}})
    out = tmp_path / "out"
    assert record.main(["--calls", str(calls), "--out", str(out), "--server-url", "http://127.0.0.1:9"]) == 1
    assert list(out.glob("*.json")) == []


def test_write_fixture_refuses_a_leak(tmp_path: Path) -> None:
    with pytest.raises(record.RecordError):
        record.write_fixture(tmp_path / "x.json", {"note": SECRET}, [SECRET])
    assert not (tmp_path / "x.json").exists()


def test_make_record_entry_point(server: LocalServer, tmp_path: Path) -> None:
    """``python -m tests.contract.record`` as the Makefile runs it (PYTHONPATH=generated)."""
    server.enqueue(200, json={"created": 1, "data": []})
    calls = write_calls(tmp_path / "calls.json", {"ok_minimal": CALLS["ok_minimal"]})
    env = {**os.environ, "PYTHONPATH": "generated", "ORQ_API_KEY": SECRET}
    result = subprocess.run(
        [sys.executable, "-m", "tests.contract.record", "--calls", str(calls), "--out", str(tmp_path / "o"),
         "--server-url", server.url],
        cwd=harness.ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert SECRET not in (tmp_path / "o" / "ok_minimal.json").read_text()
