"""`orq-images generate` against the local server: what is sent, what is written, what is printed, exit statuses."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from orq_images import Orq, RequestValidationError

from tests.cli.conftest import API_KEY, JPEG, PATH, PNG, Run, answer, b64, files_in
from tests.support.server import LocalServer, refused_port


def test_generate_writes_the_image_to_out_and_prints_its_path(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(200, json=answer(PNG))

    outcome = run("generate", "a red fox", "-m", "openai/gpt-image-1", "-o", "fox.png")

    assert (outcome.status, outcome.stdout, outcome.stderr) == (0, "fox.png\n", "")
    assert files_in(workdir) == {"fox.png": PNG}
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", PATH)
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.json == {"prompt": "a red fox", "model": "openai/gpt-image-1"}


def test_several_images_go_beside_the_first_as_stem_dash_index(run: Run, server: LocalServer, workdir: Path) -> None:
    images = [PNG, PNG[::-1], JPEG]
    server.enqueue(200, json=answer(*images))

    outcome = run("generate", "three foxes", "-m", "m", "-n", "3", "-o", str(workdir / "out" / "fox.png"))

    assert outcome.status == 2  # the directory does not exist: refused before sending
    assert outcome.stderr.startswith("orq-images generate: error: save_to: expected a file path in an existing")
    assert outcome.stderr.endswith(" (option --out)\n") and server.requests == []
    (workdir / "out").mkdir()
    outcome = run("generate", "three foxes", "-m", "m", "-n", "3", "-o", str(workdir / "out" / "fox.png"))

    assert outcome.status == 0, outcome.stderr
    assert files_in(workdir / "out") == {"fox.png": PNG, "fox-1.png": PNG[::-1], "fox-2.png": JPEG}
    names = ("fox.png", "fox-1.png", "fox-2.png")
    assert outcome.stdout.splitlines() == [str(workdir / "out" / name) for name in names]
    assert server.requests[0].json["n"] == 3


def test_without_out_images_go_to_the_current_directory_named_by_their_format(
    run: Run, server: LocalServer, workdir: Path
) -> None:
    server.enqueue(200, json=answer(PNG, JPEG))

    outcome = run("generate", "a fox", "-m", "m", "-n", "2")

    assert outcome.status == 0, outcome.stderr
    written = files_in(workdir)
    first, second = outcome.stdout.splitlines()
    assert first.startswith("generate-") and first.endswith(".png")
    assert second == first.removesuffix(".png") + "-1.jpg"  # JPEG bytes: the suffix follows them
    assert written == {first: PNG, second: JPEG}

    server.enqueue(200, json=answer(PNG))
    again = run("generate", "a fox", "-m", "m").stdout.strip()
    assert again not in written and files_in(workdir)[again] == PNG  # a second run in the same second keeps both


def test_json_prints_the_answer_with_images_shortened(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(200, json=answer(PNG, revised_prompt_unused=None) | {"usage": {"input_tokens_details": {}}})

    outcome = run("generate", "a fox", "-m", "m", "--json")

    assert outcome.status == 0, outcome.stderr
    printed = json.loads(outcome.stdout)
    assert printed["created"] == 1700000000
    shown = printed["data"][0]["b64_json"]
    assert shown.startswith("'" + b64(PNG)[:24] + "...'") and shown.endswith(f"({len(b64(PNG))} chars)")
    assert files_in(workdir) == {}  # --json without -o writes nothing


def test_json_with_out_says_where_each_image_went(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(200, json=answer(PNG, JPEG))

    outcome = run("generate", "a fox", "-m", "m", "-n", "2", "--json", "-o", "fox.png")

    printed = json.loads(outcome.stdout)
    assert [item["saved_to"] for item in printed["data"]] == ["fox.png", "fox-1.png"]
    assert all("b64_json" not in item for item in printed["data"])
    assert files_in(workdir) == {"fox.png": PNG, "fox-1.png": JPEG}


def test_images_that_come_as_urls_are_printed_and_a_note_says_they_were_not_written(
    run: Run, server: LocalServer, workdir: Path
) -> None:
    server.enqueue(200, json={"created": 1, "data": [{"url": "https://example.com/a.png"}]})

    outcome = run("generate", "a fox", "-m", "openai/dall-e-3", "-o", "fox.png")

    assert outcome.status == 0
    assert outcome.stdout == "https://example.com/a.png\n"
    assert "not written to fox.png" in outcome.stderr and "--response-format b64_json" in outcome.stderr
    assert "--download-urls" in outcome.stderr
    assert files_in(workdir) == {}


def test_download_urls_writes_the_images_that_come_as_urls_without_the_key(
    run: Run, server: LocalServer, workdir: Path
) -> None:
    with LocalServer() as host:
        server.enqueue(200, json={"created": 1, "data": [{"url": f"{host.url}/a.png"}, {"url": f"{host.url}/b.png"}]})
        host.enqueue(200, body=PNG)
        host.enqueue(200, body=JPEG)

        outcome = run("generate", "a fox", "-m", "openai/dall-e-3", "-n", "2", "-o", "fox.png", "--download-urls")

    assert outcome.status == 0, outcome.stderr
    assert outcome.stdout == "fox.png\nfox-1.png\n" and outcome.stderr == ""
    assert files_in(workdir) == {"fox.png": PNG, "fox-1.png": JPEG}
    assert [request.path for request in host.requests] == ["/a.png", "/b.png"]
    assert all("authorization" not in request.headers for request in host.requests)


def test_download_urls_with_json_needs_a_path(run: Run, server: LocalServer, workdir: Path) -> None:
    outcome = run("generate", "a fox", "-m", "m", "--json", "--download-urls")

    assert outcome.status == 2
    assert "--download-urls: with --json, give -o PATH" in outcome.stderr
    assert server.requests == []


def test_every_kind_of_option_reaches_the_body_with_its_json_type(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(200, json=answer(PNG))

    outcome = run(
        "generate", "a fox", "-m", "m",
        "-n", "2",
        "--quality", "high",
        "--background", "null",
        "--size", "1024x1024",
        "--metadata", "team=design", "--metadata", '{"run": "7"}',
        "--fallback-on-codes", "429", "--fallback-on-codes", "529",
        "--fallbacks", '[{"model": "openai/dall-e-3"}]',
        "--retry.count", "3",
        "--retry.on-codes", "[500, 502]",
        "--api-timeout.call-timeout", "30000",
        "--cache", '{"type": "exact_match"}', "--cache.ttl", "1.5",
        "--orq", '{"identity": {"id": "u1"}, "name": "from-json"}',
        "--orq.identity.tags", "a", "--orq.identity.tags", "b",
        "--orq.name", "from-flag",
        "--timeout", "90",
        "-o", "fox.png",
    )  # fmt: skip

    assert outcome.status == 0, outcome.stderr
    sent = server.requests[0].json
    assert sent == {
        "prompt": "a fox",
        "model": "m",
        "background": None,
        "n": 2,
        "quality": "high",
        "size": "1024x1024",
        "metadata": {"team": "design", "run": "7"},
        "fallback_on_codes": [429, 529],
        "fallbacks": [{"model": "openai/dall-e-3"}],
        "retry": {"count": 3, "on_codes": [500, 502]},
        "cache": {"type": "exact_match", "ttl": 1.5},
        "timeout": {"call_timeout": 30000},
        "orq": {"identity": {"id": "u1", "tags": ["a", "b"]}, "name": "from-flag"},
    }
    assert type(sent["n"]) is int and type(sent["retry"]["count"]) is int  # integers stay integers
    assert sent["timeout"] == {"call_timeout": 30000}  # --timeout is the command's own; --api-timeout the body's


def _library_message(**arguments: object) -> str:
    """What the library says about these arguments (nothing is sent: validation comes first)."""
    orq = Orq(api_key="unused", server_url=f"http://127.0.0.1:{refused_port()}")
    with orq, pytest.raises(RequestValidationError) as raised:
        orq.router.images.generations.create(**{"prompt": "a fox", "model": "m", **arguments})  # type: ignore[arg-type]
    return str(raised.value)


@pytest.mark.parametrize(
    ("argv", "arguments", "option"),
    [
        (["-n", "11"], {"n": 11}, "--n"),
        (["-n", "two"], {"n": "two"}, "--n"),
        (["--quality", "ultra"], {"quality": "ultra"}, "--quality"),
        (["--orq.retry.count", "9"], {"orq": {"retry": {"count": 9}}}, "--orq.retry.count"),
        (["--cache.ttl", "60"], {"cache": {"ttl": 60}}, "--cache.type"),  # the required key is missing
        (["--metadata", "k=" + "x" * 600], {"metadata": {"k": "x" * 600}}, "--metadata"),
        (["--fallbacks", '[{"name": "x"}]'], {"fallbacks": [{"name": "x"}]}, "--fallbacks"),
    ],
)
def test_a_value_the_library_refuses_exits_2_with_its_message_and_nothing_is_sent(
    run: Run, server: LocalServer, workdir: Path, argv: list[str], arguments: dict[str, object], option: str
) -> None:
    outcome = run("generate", "a fox", "-m", "m", *argv)

    assert outcome.status == 2
    assert outcome.stdout == ""
    assert outcome.stderr == f"orq-images generate: error: {_library_message(**arguments)} (option {option})\n"
    assert server.requests == []
    assert files_in(workdir) == {}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["a fox"], "the following arguments are required: -m/--model"),
        (["-m", "m"], "the following arguments are required: prompt"),
        (["a fox", "-m", "m", "--retry", "{count: 3}"], "argument --retry: not valid JSON"),
        (["a fox", "-m", "m", "--metadata", "novalue"], "argument --metadata: expected KEY=VALUE"),
        (["a fox", "-m", "m", "--timeout", "soon"], "argument --timeout: expected a time > 0"),
        (["a fox", "-m", "m", "--timeout", "0"], "argument --timeout: expected a time > 0"),
        (["a fox", "-m", "m", "--retries", "-1"], "argument --retries: expected a whole number"),
        (["a fox", "-m", "m", "--no-such-option", "1"], "unrecognized arguments: --no-such-option"),
        (["a fox", "-m", "m", "--mod", "x"], "unrecognized arguments: --mod"),  # no abbreviations
        (["a fox", "-m", "m", "--retry", "3", "--retry.count", "2"], "--retry.count: retry is not a JSON object"),
    ],
)
def test_a_usage_error_exits_2_and_sends_nothing(
    run: Run, server: LocalServer, workdir: Path, argv: list[str], expected: str
) -> None:
    outcome = run("generate", *argv)

    assert outcome.status == 2
    assert expected in outcome.stderr
    assert server.requests == []


def test_without_a_key_nothing_is_sent_and_the_status_is_2(
    run: Run, server: LocalServer, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORQ_API_KEY")

    outcome = run("generate", "a fox", "-m", "m")

    assert outcome.status == 2
    assert outcome.stderr == "orq-images generate: error: no API key: set ORQ_API_KEY or pass --api-key-file PATH\n"
    assert server.requests == []


def test_the_key_can_come_from_a_file(
    run: Run, server: LocalServer, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORQ_API_KEY")
    (workdir / "key").write_text("sk-from-file-0123456789\n")
    (workdir / "empty").write_text("\n")
    server.enqueue(200, json=answer(PNG))

    assert run("generate", "a fox", "-m", "m", "-o", "f.png", "--api-key-file", "key").status == 0
    assert server.requests[0].headers["authorization"] == "Bearer sk-from-file-0123456789"
    empty = run("generate", "a fox", "-m", "m", "--api-key-file", "empty")
    missing = run("generate", "a fox", "-m", "m", "--api-key-file", "nowhere")
    assert (empty.status, missing.status) == (2, 2)
    assert "'empty' is empty" in empty.stderr and "cannot read 'nowhere'" in missing.stderr
    assert len(server.requests) == 1


def test_an_api_error_exits_1_with_its_one_line_message(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(
        400,
        json={"error": {"message": f"model not found\n(key {API_KEY} was used)"}},
        headers={"x-request-id": "req_42"},
    )

    outcome = run("generate", "a fox", "-m", "nope/none", "-o", "fox.png")

    assert outcome.status == 1
    assert outcome.stdout == ""
    assert outcome.stderr == (
        "orq-images generate: error: Error code: 400 - model not found (key *** was used) (request id: req_42)\n"
    )
    assert files_in(workdir) == {}


def test_a_connection_error_exits_1(run: Run, workdir: Path) -> None:
    refused = f"http://127.0.0.1:{refused_port()}"
    outcome = run("generate", "a fox", "-m", "m", "--retries", "0", "--server-url", refused, server_url=False)

    assert outcome.status == 1
    assert outcome.stderr.startswith("orq-images generate: error: Connection error")
    assert outcome.stderr.count("\n") == 1


def test_timeout_and_retries_reach_the_client(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(503, json={"error": "busy"}, headers={"Retry-After": "0"})
    server.enqueue(200, json=answer(PNG))
    assert run("generate", "a fox", "-m", "m", "-o", "f.png", "--retries", "1").status == 0
    assert len(server.requests) == 2

    server.reset()
    server.enqueue(503, json={"error": "busy"}, headers={"Retry-After": "0"})
    outcome = run("generate", "a fox", "-m", "m", "--retries", "0")
    assert (outcome.status, len(server.requests)) == (1, 1)
    assert "Error code: 503" in outcome.stderr

    server.reset()
    server.enqueue(200, json=answer(PNG), delay=2)
    outcome = run("generate", "a fox", "-m", "m", "--retries", "0", "--timeout", "200ms")
    assert outcome.status == 1
    assert "time limit" in outcome.stderr and "timeout_ms=200 ms" in outcome.stderr


def test_a_deprecated_option_warns_on_stderr_unless_quiet(run: Run, server: LocalServer, workdir: Path) -> None:
    server.enqueue(200, json=answer(PNG))
    server.enqueue(200, json=answer(PNG))

    loud = run("generate", "a fox", "-m", "m", "-o", "a.png", "--orq.contact.id", "u1")
    quiet = run("generate", "a fox", "-m", "m", "-o", "b.png", "--orq.contact.id", "u1", "-q")

    assert loud.stderr == "orq-images generate: warning: `orq.contact` is deprecated; use `orq.identity` instead.\n"
    assert quiet.stderr == ""
    assert [request.json["orq"] for request in server.requests] == [{"contact": {"id": "u1"}}] * 2


def test_the_key_never_appears_in_any_output(run: Run, server: LocalServer, workdir: Path) -> None:
    echo = {"error": {"message": f"bad key {API_KEY}"}, "key": API_KEY}
    server.enqueue(200, json=answer(PNG))
    server.enqueue(200, json=answer(PNG))
    server.enqueue(401, json=echo)
    server.enqueue(500, body=f"upstream said {API_KEY}")
    server.enqueue(200, body=f'{{"created": "{API_KEY}"}}', headers={"Content-Type": "application/json"})
    outcomes = [
        run("generate", "a fox", "-m", "m", "-o", "a.png"),
        run("generate", "a fox", "-m", "m", "--json"),
        run("generate", "a fox", "-m", "m", "--retries", "0"),
        run("generate", "a fox", "-m", "m", "--retries", "0"),
        run("generate", "a fox", "-m", "m", "--retries", "0"),
        run("generate", "a fox", "-m", "m", "-n", "0"),
        run("generate", "--help"),
        run("--help", server_url=False),
    ]

    assert [outcome.status for outcome in outcomes] == [0, 0, 1, 1, 1, 2, 0, 0]
    for outcome in outcomes:
        assert API_KEY not in outcome.stdout and API_KEY not in outcome.stderr
    assert len(server.requests) == 5


def test_a_server_url_that_is_not_http_is_a_usage_error(run: Run, server: LocalServer, workdir: Path) -> None:
    outcome = run("generate", "a fox", "-m", "m", "--server-url", "ftp://example.com", server_url=False)

    assert outcome.status == 2
    assert outcome.stderr == (
        "orq-images generate: error: server_url: expected an http:// or https:// URL, got 'ftp://example.com'"
        " (option --server-url)\n"
    )


def test_a_reader_that_goes_away_ends_the_command_without_a_traceback(
    run: Run, server: LocalServer, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class ClosedPipe(io.StringIO):
        def __init__(self, fd: int) -> None:
            super().__init__()
            self.fd = fd

        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return self.fd

    server.enqueue(200, json=answer(PNG))
    with open(workdir / "stdout", "wb") as sink:
        monkeypatch.setattr(sys, "stdout", ClosedPipe(sink.fileno()))
        outcome = run("generate", "a fox", "-m", "m", "--json")
    assert (outcome.status, outcome.stderr) == (1, "")
