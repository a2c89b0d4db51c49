"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 (see ``tests/support/server.py``), stopped after the test."""
    with LocalServer() as local_server:
        yield local_server


@pytest.fixture(scope="session", autouse=True)
def ctrl_c_reaches_python() -> Iterator[None]:
    """Ctrl-C as a user sends it, even when the test run was started in the background of a non-interactive shell,
    which starts it with SIGINT ignored (POSIX): Python then installs no KeyboardInterrupt handler, and the
    processes the CLI tests start inherit the ignoring. The tests that press Ctrl-C (batches, the CLI's ``--from``)
    would see nothing happen."""
    import signal

    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    if ignored:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
