"""Memory stays bounded whatever the server sends: an endless answer, a decompression bomb, a huge error body.

The memory tests run the call in a fresh process without coverage (as bench/memprobe.py does) and read the peak
resident memory it adds (``VmHWM`` after resetting it through ``/proc/self/clear_refs``); the hostile server runs
in this process. Limits are configured small so that nothing streams gigabytes."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any

import orq_images
import pytest
from orq_images import Orq, ResponseValidationError, ServerError

from tests.client.conftest import API_KEY, create
from tests.support.raw_server import Behaviour, RawServer, endless, gzip_bomb
from tests.support.server import LocalServer

MIB = 1024 * 1024

PROBE = """
import json, re, sys
from pathlib import Path
from orq_images import Orq

def kib(field):
    return int(re.search(rf"^{field}:\\s+(\\d+) kB", Path("/proc/self/status").read_text(), re.M)[1])

hostile, warm, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with Orq("sk-memory-probe-0123456789", server_url=hostile, retry_config=None, **options) as orq:
    create = orq.router.images.generations.create
    create(prompt="warm up", model="m", server_url=warm)  # imports, schemas, the pool: done before measuring
    Path("/proc/self/clear_refs").write_text("5")
    before = kib("VmRSS")
    try:
        create(prompt="p", model="m")
        outcome = {"error": None}
    except Exception as exc:
        body = getattr(exc, "body", None)
        outcome = {"error": type(exc).__name__, "message": str(exc), "body_chars": None if body is None else len(body)}
    outcome["added_mib"] = (kib("VmHWM") - before) / 1024
print(json.dumps(outcome))
"""


def probe(behaviour: Behaviour, **options: Any) -> dict[str, Any]:
    """Run one call against ``behaviour`` in a fresh process; what it raised and the peak memory it added."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("COV_CORE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(pathlib.Path(orq_images.__file__).parents[1]), env.get("PYTHONPATH", "")])
    with RawServer(behaviour) as hostile, LocalServer() as warm:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, hostile.url, warm.url, json.dumps(options)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        posts = hostile.posts
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    assert posts == 1
    return result


needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")


def test_an_endless_answer_is_refused_at_max_response_bytes() -> None:
    with RawServer(endless()) as server, Orq(API_KEY, server_url=server.url, max_response_bytes=2 * MIB) as orq:
        with pytest.raises(ResponseValidationError) as caught:
            create(orq)
        assert server.posts == 1
    assert caught.value.status_code == 200
    assert "larger than max_response_bytes=2097152 (counted after decompression)" in str(caught.value)


@needs_proc
def test_an_endless_answer_costs_about_the_limit_not_more() -> None:
    result = probe(endless(), max_response_bytes=8 * MIB)
    assert result["error"] == "ResponseValidationError", result
    assert "max_response_bytes" in result["message"]
    assert result["added_mib"] < 8 + 12, result


@needs_proc
def test_a_decompression_bomb_is_refused_early_with_a_few_mib() -> None:
    """64 MiB inflated from about 64 KiB of gzip, under the default 256 MiB limit: refused by its ratio."""
    result = probe(gzip_bomb(64 * MIB))
    assert result["error"] == "ResponseValidationError", result
    assert "decompression bomb" in result["message"]
    assert result["added_mib"] < 4, result


@needs_proc
def test_an_endless_error_body_keeps_1_mib_and_costs_a_few() -> None:
    result = probe(endless(status=500, prefix=b'{"error": {"message": "'))
    assert result["error"] == "ServerError", result
    assert result["body_chars"] == MIB
    assert result["added_mib"] < 6, result


@needs_proc
def test_a_compressed_error_body_is_cut_at_1_mib_after_inflating() -> None:
    result = probe(gzip_bomb(64 * MIB, status=503, prefix=b'{"error": "'))
    assert result["error"] == "ServerError", result
    assert result["body_chars"] == MIB
    assert result["added_mib"] < 6, result


def test_an_error_body_cut_at_1_mib_still_names_the_status(server: LocalServer) -> None:
    server.enqueue(500, body=b'{"error": {"message": "' + b"x" * (2 * MIB) + b'"}}')
    with Orq(API_KEY, server_url=server.url) as orq, pytest.raises(ServerError) as caught:
        create(orq)
    assert len(caught.value.body) == MIB
    assert caught.value.response.content == caught.value.body.encode()
    assert str(caught.value).startswith('Error code: 500 - {"error"')


@pytest.mark.parametrize("value", [0, -1, 1.5, "256MiB", True])
def test_max_response_bytes_must_be_a_positive_int(value: object) -> None:
    from orq_images import RequestValidationError

    with pytest.raises(RequestValidationError, match="max_response_bytes"):
        Orq(API_KEY, max_response_bytes=value)  # type: ignore[arg-type]


def test_an_endless_answer_with_save_to_is_refused_and_leaves_no_file(tmp_path: pathlib.Path) -> None:
    """With `save_to=` the images go to files as they arrive: what is written is bounded the same way."""
    with (
        RawServer(endless()) as server,
        Orq(API_KEY, server_url=server.url, max_response_bytes=2 * MIB) as orq,
        pytest.raises(ResponseValidationError, match="max_response_bytes"),
    ):
        create(orq, save_to=tmp_path / "fox.png")
    assert list(tmp_path.iterdir()) == []
