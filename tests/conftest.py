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
