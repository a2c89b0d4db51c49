"""A large upload streams: the client never holds the file in memory (measured in a child process's VmHWM)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import orq_images
import pytest

from tests.support.images import tiny_png
from tests.support.multipart import parse_form
from tests.support.server import LocalServer

FILE_BYTES = 50 * 1024 * 1024  # the API's limit

UPLOAD = """
import json, sys
from orq_images import Orq

def hwm_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

url, path, kind = sys.argv[1:4]
with Orq(api_key="sk-memory-test-0123456789", server_url=url, retry_config=None) as orq:
    orq.router.images.variations.create(model="m", image=path + ".small")  # imports and connections made
    before = hwm_kib()
    if kind == "path":
        orq.router.images.edits.create(model="m", prompt="p", image=path)
    else:
        with open(path, "rb") as file:
            orq.router.images.edits.create(model="m", prompt="p", image=file)
    after = hwm_kib()
print(json.dumps({"added_kib": after - before, "traced": sys.gettrace() is not None}))
"""


@pytest.mark.skipif(not pathlib.Path("/proc/self/status").exists(), reason="VmHWM is read from /proc")
@pytest.mark.parametrize("kind", ["path", "file object"])
def test_a_50_mb_upload_adds_a_small_fraction_of_its_size_to_peak_memory(kind: str, tmp_path: pathlib.Path) -> None:
    """Measured in a fresh process without coverage (a trace function changes how much CPython allocates)."""
    path = tmp_path / "large.png"
    path.write_bytes(tiny_png())
    os.truncate(path, FILE_BYTES)  # a PNG signature, then zeros (sparse on disk)
    (tmp_path / "large.png.small").write_bytes(tiny_png())
    env = {name: value for name, value in os.environ.items() if not name.startswith("COV_CORE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(pathlib.Path(orq_images.__file__).parents[1]), env.get("PYTHONPATH", "")])
    with LocalServer() as server:
        done = subprocess.run(
            [sys.executable, "-c", UPLOAD, server.url, str(path), kind.split()[0]],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        sent = server.requests[1]
        (image,) = [part for part in parse_form(sent.headers["content-type"], sent.body) if part.name == "image"]
    assert len(image.body) == FILE_BYTES and image.body[:8] == b"\x89PNG\r\n\x1a\n"
    result = json.loads(done.stdout)
    assert not result["traced"]
    assert result["added_kib"] * 1024 < FILE_BYTES / 20, result  # under 5% of the file (it sends 64 KiB pieces)
