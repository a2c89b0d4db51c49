"""Start the benchmark server (`bench.server`) in its own process, and stop it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .paths import PYTHON, ROOT, child_env
from .seed import LARGE_PREFIX


@dataclass(frozen=True)
class Server:
    """A running server: `url` answers the small JSON, `large_url` the 20 MiB b64_json."""

    port: int
    pid: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def large_url(self) -> str:
        return self.url + LARGE_PREFIX


@contextmanager
def running_server(latency: float = 0.0) -> Iterator[Server]:
    """Run `python -m bench.server` for the duration of the block; it stops when its stdin closes. Every answer
    waits `latency` seconds."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "bench.server", "--latency", str(latency)],
        cwd=ROOT,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.strip():
            raise RuntimeError(f"the benchmark server did not start (exit code {proc.poll()})")
        yield Server(port=int(line), pid=proc.pid)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=5)
