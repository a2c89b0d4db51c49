"""`orq-images COMMAND --from FILE`: one call per line through the operation's `batch()`, against the local server.

Each test checks what the server received (how many requests, which arguments), what is on disk (the bytes and
names of the images, no `.part` files) and what the command printed and returned.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from orq_images.testing import StandIn

from tests.cli.conftest import API_KEY, PATH, PNG, Run, Terminal, answer, files_in
from tests.support.multipart import parse_form
from tests.support.server import LocalServer, RecordedRequest, ScriptedResponse, scripted

ROOT = Path(__file__).resolve().parents[2]


def image_of(prompt: str) -> bytes:
    return PNG + prompt.encode()


def by_prompt(request: RecordedRequest, count: int) -> ScriptedResponse:
    """Each answer carries an image made from the request's prompt; the prompt `fail` gets a 400."""
    prompt = request.json["prompt"]
    if prompt == "fail":
        return scripted(400, json={"error": {"message": "prompt refused\nby policy"}}, headers={"x-request-id": "r7"})
    return scripted(200, json=answer(*[image_of(prompt)] * (request.json.get("n") or 1)))


@pytest.fixture
def answering(server: LocalServer) -> LocalServer:
    server.respond = by_prompt
    return server


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def prompts_of(server: LocalServer) -> list[str]:
    return sorted(request.json["prompt"] for request in server.requests)


def test_ten_prompts_become_ten_pngs_named_by_the_pattern(run: Run, answering: LocalServer, workdir: Path) -> None:
    prompts = [f"a fox number {k}" for k in range(10)]
    source = write_lines(workdir / "prompts.txt", *prompts)

    outcome = run("generate", "--from", str(source), "-m", "openai/gpt-image-1", "-o", "out/{i:05}.png")

    assert (outcome.status, outcome.stderr) == (0, "")
    names = [f"{k:05}.png" for k in range(10)]
    assert files_in(workdir / "out") == {name: image_of(prompt) for name, prompt in zip(names, prompts, strict=True)}
    assert outcome.stdout.splitlines() == [f"out/{name}" for name in names]  # in input order
    assert prompts_of(answering) == sorted(prompts)
    assert {request.path for request in answering.requests} == {PATH}
    assert all(request.json["model"] == "openai/gpt-image-1" for request in answering.requests)
    assert all(request.headers["authorization"] == f"Bearer {API_KEY}" for request in answering.requests)


def test_json_lines_override_the_options_and_blank_lines_are_skipped(
    run: Run, answering: LocalServer, workdir: Path
) -> None:
    source = write_lines(
        workdir / "items.jsonl",
        "a plain prompt",
        "",
        '{"prompt": "two owls", "n": 2, "size": "512x512", "orq": {"retry": {"count": 2}}}',
        "   ",
        '{"prompt": "a cat", "model": "openai/dall-e-3", "quality": "hd"}',
    )

    outcome = run(
        "generate", "--from", str(source), "-m", "openai/gpt-image-1", "--size", "1024x1024", "--quality", "high",
        "-o", "{i}.png",
    )  # fmt: skip

    assert outcome.status == 0, outcome.stderr
    received = {request.json["prompt"]: request.json for request in answering.requests}
    assert received == {
        "a plain prompt": {"prompt": "a plain prompt", "model": "openai/gpt-image-1", "size": "1024x1024",
                           "quality": "high"},
        "two owls": {"prompt": "two owls", "model": "openai/gpt-image-1", "size": "512x512", "quality": "high",
                     "n": 2, "orq": {"retry": {"count": 2}}},
        "a cat": {"prompt": "a cat", "model": "openai/dall-e-3", "size": "1024x1024", "quality": "hd"},
    }  # fmt: skip
    # blank lines take no index: the items are 0, 1 and 2; item 1 asked for two images
    assert files_in(workdir) == {
        "items.jsonl": source.read_bytes(),
        "0.png": image_of("a plain prompt"),
        "1.png": image_of("two owls"),
        "1-1.png": image_of("two owls"),
        "2.png": image_of("a cat"),
    }
    assert outcome.stdout.splitlines() == ["0.png", "1.png", "1-1.png", "2.png"]


def test_skip_existing_after_half_the_files_exist_sends_only_the_missing_ones(
    run: Run, answering: LocalServer, workdir: Path
) -> None:
    prompts = [f"p{k}" for k in range(10)]
    source = write_lines(workdir / "prompts.txt", *prompts)
    (workdir / "out").mkdir()
    for k in range(0, 10, 2):  # a first run that was killed half way
        (workdir / "out" / f"{k:03}.png").write_bytes(b"from the first run")

    outcome = run("generate", "--from", str(source), "-m", "m", "-o", "out/{i:03}.png", "--skip-existing")

    assert (outcome.status, outcome.stderr) == (0, "")
    assert prompts_of(answering) == [f"p{k}" for k in range(1, 10, 2)]
    written = files_in(workdir / "out")
    assert written == {f"{k:03}.png": b"from the first run" if k % 2 == 0 else image_of(f"p{k}") for k in range(10)}
    assert outcome.stdout.splitlines() == [f"out/{k:03}.png" for k in range(1, 10, 2)]  # what this run wrote


def test_one_failing_item_exits_1_names_it_and_the_others_are_written(
    run: Run, answering: LocalServer, workdir: Path
) -> None:
    source = write_lines(workdir / "prompts.txt", "p0", "", "fail", "p2", "p3")

    outcome = run("generate", "--from", str(source), "-m", "m", "-o", "{i}.png", "--retries", "0")

    assert outcome.status == 1
    assert outcome.stderr == (
        "orq-images generate: error: item 1 (line 3): Error code: 400 - prompt refused by policy (request id: r7)\n"
        "orq-images generate: error: 1 item failed\n"
    )
    assert outcome.stdout.splitlines() == ["0.png", "2.png", "3.png"]
    assert files_in(workdir) == {
        "prompts.txt": source.read_bytes(),
        "0.png": image_of("p0"),
        "2.png": image_of("p2"),
        "3.png": image_of("p3"),
    }
    assert len(answering.requests) == 4


def test_a_bad_line_fails_its_item_without_sending_it(run: Run, answering: LocalServer, workdir: Path) -> None:
    source = write_lines(
        workdir / "items.jsonl",
        "p0",
        '{"prompt": "p1", "n": 11}',  # the library's validation: this item only
        '{"prompt": "p2",',  # not JSON: never sent as a prompt
        '{"promt": "p3"}',  # a typo in a key
        "p4",
    )

    outcome = run("generate", "--from", str(source), "-m", "m", "-o", "{i}.png")

    assert outcome.status == 1
    errors = outcome.stderr.splitlines()
    assert errors[0] == "orq-images generate: error: item 1 (line 2): n: expected integer >= 1 and <= 10, got 11"
    assert errors[1].startswith("orq-images generate: error: item 2 (line 3): not a valid JSON line (")
    assert errors[2].startswith("orq-images generate: error: item 3 (line 4): promt: ")
    assert errors[3:] == ["orq-images generate: error: 3 items failed"]
    assert prompts_of(answering) == ["p0", "p4"]
    assert sorted(files_in(workdir)) == ["0.png", "4.png", "items.jsonl"]


def test_prompts_from_standard_input(
    run: Run, answering: LocalServer, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = "\ufeffp0\np1\r\n\np2".encode()  # a BOM, CRLF, no final newline
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(piped), encoding="latin-1"))

    outcome = run("generate", "--from", "-", "-m", "m", "-o", "{i}.png")

    assert (outcome.status, outcome.stderr) == (0, "")
    assert files_in(workdir) == {f"{k}.png": image_of(f"p{k}") for k in range(3)}


def test_json_prints_one_record_per_item(run: Run, answering: LocalServer, workdir: Path) -> None:
    source = write_lines(workdir / "prompts.txt", "p0", "fail", "p2")
    (workdir / "2.png").write_bytes(b"already there")

    outcome = run(
        "generate", "--from", str(source), "-m", "m", "-o", "{i}.png", "--json", "--skip-existing", "--retries", "0"
    )

    assert outcome.status == 1
    records = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert records == [
        {"index": 0, "line": 1, "status": "ok", "paths": ["0.png"], "urls": [], "error": None},
        {
            "index": 1,
            "line": 2,
            "status": "failed",
            "paths": [],
            "urls": [],
            "error": "Error code: 400 - prompt refused by policy (request id: r7)",
        },
        {"index": 2, "line": 3, "status": "skipped", "paths": ["2.png"], "urls": [], "error": None},
    ]


def test_edit_lines_are_prompts_for_the_image_given_or_json_naming_their_image(
    run: Run, server: LocalServer, workdir: Path
) -> None:
    server.respond = lambda request, count: scripted(200, json=answer(PNG))
    (workdir / "fox.png").write_bytes(PNG + b"fox")
    (workdir / "owl.png").write_bytes(PNG + b"owl")
    source = write_lines(workdir / "edits.txt", "add a hat", '{"image": "owl.png", "prompt": "add a scarf"}')

    outcome = run("edit", "fox.png", "--from", str(source), "-m", "openai/gpt-image-1", "-o", "out/{i}.png")

    assert outcome.status == 0, outcome.stderr
    sent = []
    for request in server.requests:
        parts = {part.name: part for part in parse_form(request.headers["content-type"], request.body)}
        sent.append((parts["prompt"].body.decode(), parts["image"].filename, parts["image"].body))
    assert sorted(sent) == [("add a hat", "fox.png", PNG + b"fox"), ("add a scarf", "owl.png", PNG + b"owl")]
    assert files_in(workdir / "out") == {"0.png": PNG, "1.png": PNG}


def test_variation_lines_are_image_paths(run: Run, server: LocalServer, workdir: Path) -> None:
    server.respond = lambda request, count: scripted(200, json=answer(PNG))
    for name in ("a.png", "b.png"):
        (workdir / name).write_bytes(PNG + name.encode())
    source = write_lines(workdir / "images.txt", "a.png", "b.png", "missing.png")

    outcome = run("variation", "--from", str(source), "-m", "openai/dall-e-2", "-o", "v{i}.png")

    assert outcome.status == 1
    assert re.fullmatch(
        r"orq-images variation: error: item 2 \(line 3\): image: .*missing\.png.*\n"
        r"orq-images variation: error: 1 item failed\n",
        outcome.stderr,
    )
    forms = [parse_form(request.headers["content-type"], request.body) for request in server.requests]
    received = sorted(part.filename for form in forms for part in form if part.name == "image")
    assert received == ["a.png", "b.png"]
    assert files_in(workdir)["v0.png"] == PNG and files_in(workdir)["v1.png"] == PNG


def test_the_progress_line_is_drawn_on_a_terminal_only(run: Run, answering: LocalServer, workdir: Path) -> None:
    source = write_lines(workdir / "prompts.txt", "p0", "", "p1", "p2")
    argv = ("generate", "--from", str(source), "-m", "m", "-o", "{i}.png")

    terminal = Terminal()
    assert run(*argv, stderr=terminal).status == 0
    drawn = terminal.getvalue()  # a file's items are counted first: the line has the total (and the time left)
    assert re.search(r"^\rorq-images generate: 0/3 done · 0 in flight · ", drawn), drawn
    assert re.search(r"\rorq-images generate: 3/3 done · [\d.]+/s · in 0:\d\d *\n$", drawn), drawn

    quiet = Terminal()
    assert run(*argv, "--quiet", stderr=quiet).status == 0
    assert quiet.getvalue() == ""

    piped = run(*argv)
    assert (piped.status, piped.stderr) == (0, "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "--from needs -o PATTERN with {i}"),
        (["-o", "out.png"], "with --from, -o is a pattern with {i}"),
        (["-o", "out/{j}.png"], "with --from, -o is a pattern with {i}"),
        (["-o", "out/{i:q}.png"], "is not a valid pattern"),
        (["-o", "{i}.png", "a prompt"], "prompt: with --from, each line gives the prompt"),
        (["-o", "{i}.png", "--concurrency", "0"], "argument --concurrency: expected a whole number >= 1"),
        (["-o", "{i}.png", "--from", "nowhere.txt"], "--from: cannot read 'nowhere.txt'"),
    ],
)
def test_refusals_exit_2_and_send_nothing(
    run: Run, answering: LocalServer, workdir: Path, argv: list[str], message: str
) -> None:
    source = write_lines(workdir / "prompts.txt", "p0")
    outcome = run("generate", "--from", str(source), "-m", "m", *argv)

    assert outcome.status == 2
    assert message in outcome.stderr and outcome.stdout == ""
    assert answering.requests == []
    assert sorted(files_in(workdir)) == ["prompts.txt"]


def test_plain_prompt_lines_without_a_required_option_are_refused_before_sending(
    run: Run, answering: LocalServer, workdir: Path
) -> None:
    source = write_lines(workdir / "prompts.txt", "", "a red fox", "a lighthouse")
    outcome = run("generate", "--from", str(source), "-o", "{i}.png")  # no --model

    assert outcome.status == 2
    assert outcome.stderr == (
        "orq-images generate: error: --from: each plain line gives the prompt only; also give --model "
        "(or write JSON lines holding every required argument)\n"
    )
    assert answering.requests == []
    assert sorted(files_in(workdir)) == ["prompts.txt"]


def test_json_lines_may_give_the_required_options_themselves(run: Run, answering: LocalServer, workdir: Path) -> None:
    source = write_lines(workdir / "items.jsonl", '{"prompt": "p0", "model": "m0"}', '{"prompt": "p1"}')
    outcome = run("generate", "--from", str(source), "-o", "{i}.png")  # no --model: the first line has one

    assert outcome.status == 1  # the second line has none: that item alone fails, and says why
    assert "item 1 (line 2): model" in outcome.stderr
    assert [request.json["model"] for request in answering.requests] == ["m0"]
    assert sorted(files_in(workdir)) == ["0.png", "items.jsonl"]


def test_download_urls_with_from_downloads_each_items_url_images(run: Run, server: LocalServer, workdir: Path) -> None:
    with LocalServer() as host:
        for name in ("a", "b"):
            server.enqueue(200, json={"created": 1, "data": [{"url": f"{host.url}/{name}.png"}]})
            host.enqueue(200, body=PNG + name.encode())
        source = write_lines(workdir / "prompts.txt", "p0", "p1")

        outcome = run(
            "generate", "--from", str(source), "-m", "m", "-o", "out/{i}.png", "--concurrency", "1", "--download-urls"
        )

    assert outcome.status == 0, outcome.stderr
    assert files_in(workdir / "out") == {"0.png": PNG + b"a", "1.png": PNG + b"b"}
    assert all("authorization" not in request.headers for request in host.requests)


def test_batch_options_without_from_are_refused(run: Run, answering: LocalServer, workdir: Path) -> None:
    for extra in (["--skip-existing"], ["--concurrency", "4"]):
        outcome = run("generate", "a fox", "-m", "m", "-o", "fox.png", *extra)
        assert outcome.status == 2 and "go with --from FILE" in outcome.stderr
    assert answering.requests == []


def test_concurrency_bounds_the_calls_in_flight(run: Run, server: LocalServer, workdir: Path) -> None:
    server.respond = lambda request, count: scripted(200, json=answer(PNG), delay=0.05)
    source = write_lines(workdir / "prompts.txt", *[f"p{k}" for k in range(12)])

    outcome = run("generate", "--from", str(source), "-m", "m", "-o", "{i}.png", "--concurrency", "3")

    assert outcome.status == 0, outcome.stderr
    assert len(server.requests) == 12 and server.peak_in_flight <= 3


def test_python_m_orq_images_generate_from_a_file(server: LocalServer, tmp_path: Path) -> None:
    server.respond = by_prompt
    source = write_lines(tmp_path / "prompts.txt", "p0", '{"prompt": "p1", "n": 2}')
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update({"ORQ_API_KEY": API_KEY, "PYTHONPATH": str(ROOT / "generated")})

    done = subprocess.run(
        [sys.executable, "-m", "orq_images", "generate", "--from", str(source), "-m", "m", "-o", "out/{i}.png",
         "--server-url", server.url],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=False,
    )  # fmt: skip

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == ["out/0.png", "out/1.png", "out/1-1.png"]
    assert files_in(tmp_path / "out") == {"0.png": image_of("p0"), "1.png": image_of("p1"), "1-1.png": image_of("p1")}
    assert API_KEY not in done.stdout + done.stderr


def test_a_batch_at_full_concurrency_against_the_local_stand_in(run: Run, workdir: Path) -> None:
    """What a new user tries first: the stand-in router takes a batch's burst of connections (64 at once)."""
    source = write_lines(workdir / "prompts.txt", *[f"prompt {k}" for k in range(64)])
    with StandIn(port=0) as stand_in:
        outcome = run(
            "generate", "--from", str(source), "-m", "openai/gpt-image-1", "-o", "out/{i:03}.png",
            "--concurrency", "64", "--retries", "0", "--server-url", stand_in.url, server_url=False,
        )  # fmt: skip

    assert (outcome.status, outcome.stderr) == (0, "")
    written = files_in(workdir / "out")
    assert sorted(written) == [f"{k:03}.png" for k in range(64)]
    assert all(data.startswith(b"\x89PNG\r\n\x1a\n") for data in written.values())


def test_ctrl_c_leaves_whole_files_only_and_a_rerun_sends_only_the_rest(server: LocalServer, tmp_path: Path) -> None:
    server.respond = lambda request, count: scripted(200, json=answer(image_of(request.json["prompt"])), delay=0.2)
    prompts = [f"p{k}" for k in range(20)]
    source = write_lines(tmp_path / "prompts.txt", *prompts)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update({"ORQ_API_KEY": API_KEY, "PYTHONPATH": str(ROOT / "generated")})
    argv = [sys.executable, "-m", "orq_images", "generate", "--from", str(source), "-m", "m", "-o", "out/{i:02}.png",
            "--concurrency", "2", "--server-url", server.url]  # fmt: skip

    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    deadline = time.monotonic() + 30
    while len(server.requests) < 6 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)

    assert process.returncode == 130, stderr
    assert re.fullmatch(
        r"orq-images generate: error: interrupted after \d+ items; the same command with --skip-existing does only "
        r"the rest\n",
        stderr,
    )
    first = files_in(tmp_path / "out")  # only whole images: no .part file, every file the bytes of its prompt
    assert first and len(first) < 20
    assert first == {name: image_of(f"p{int(name[:2])}") for name in first}
    # What was printed was written; an item whose files were put in place as the interrupt arrived may go
    # unprinted (its files are whole, and the rerun skips it).
    printed = stdout.splitlines()
    assert printed == sorted(printed) and set(printed) <= {f"out/{name}" for name in first}
    assert len(printed) >= len(first) - 2  # at most the calls in flight (--concurrency 2) go unreported
    sent_before = len(server.requests)

    rerun = subprocess.run(
        [*argv, "--skip-existing"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=False
    )

    assert (rerun.returncode, rerun.stderr) == (0, "")
    assert len(server.requests) - sent_before == 20 - len(first)
    assert files_in(tmp_path / "out") == {f"{k:02}.png": image_of(f"p{k}") for k in range(20)}


def test_a_deprecation_is_said_once_for_the_batch_and_not_with_quiet(
    run: Run, answering: LocalServer, workdir: Path
) -> None:
    source = write_lines(workdir / "prompts.txt", "p0", "p1", "p2")
    argv = ("generate", "--from", str(source), "-m", "m", "--orq.contact.id", "u1")

    loud = run(*argv, "-o", "a{i}.png")
    quiet = run(*argv, "-o", "b{i}.png", "-q")

    assert (loud.status, quiet.status) == (0, 0)
    assert loud.stderr == "orq-images generate: warning: `orq.contact` is deprecated; use `orq.identity` instead.\n"
    assert quiet.stderr == ""
    assert [request.json["orq"] for request in answering.requests] == [{"contact": {"id": "u1"}}] * 6


def test_a_file_that_is_not_utf8_is_refused_before_sending(run: Run, answering: LocalServer, workdir: Path) -> None:
    source = workdir / "prompts.txt"
    source.write_bytes(b"p0\np1\n" * 3000 + b"caf\xe9\n")  # Latin-1 on line 6001

    outcome = run("generate", "--from", str(source), "-m", "m", "-o", "{i}.png")

    assert outcome.status == 2
    assert outcome.stderr == f"orq-images generate: error: --from: line 6001 of {str(source)!r} is not UTF-8 text\n"
    assert answering.requests == []


def test_standard_input_that_is_not_utf8_stops_the_batch_with_exit_1(
    run: Run, answering: LocalServer, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = b"p" * 199 + b"\n"
    piped = piped * 60 + b"caf\xe9\n"  # past the first read (8 KiB): some items are sent before it is found
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(piped), encoding="latin-1"))

    outcome = run("generate", "--from", "-", "-m", "m", "-o", "out/{i}.png", "--concurrency", "4")

    assert outcome.status == 1
    assert re.fullmatch(
        r"orq-images generate: error: --from: not UTF-8 text near line \d+; stopped there\n", outcome.stderr
    )
    assert 0 < len(answering.requests) < 5000
    assert not [path for path in (workdir / "out").iterdir() if path.suffix == ".part"]
