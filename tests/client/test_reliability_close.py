"""`close()` / `aclose()` from another thread or task while a call is in flight or waiting to retry: that call
raises `ClientClosedError` at once, not a raw RuntimeError, and is not sent again."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from orq_images import ClientClosedError, Orq

from tests.client.conftest import API_KEY, create, create_async
from tests.support.raw_server import Behaviour, RawServer, answer, drip, headers_then_silence

WAIT_TO_RETRY = answer(503, b'{"error": "busy"}', {"Retry-After": "20"})
SILENT = headers_then_silence(after=20)  # the request is read, no answer comes


def close_soon(orq: Orq, server: RawServer, after: float = 0.3) -> threading.Thread:
    """Close ``orq`` from another thread once the server has the request and ``after`` more seconds passed."""

    def run() -> None:
        while server.posts == 0:
            time.sleep(0.01)
        time.sleep(after)
        orq.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("behaviour", [WAIT_TO_RETRY, drip(interval=0.1), SILENT], ids=["retry-wait", "drip", "silent"])
def test_close_from_another_thread_ends_a_call_in_flight(behaviour: Behaviour) -> None:
    with RawServer(behaviour) as server:
        orq = Orq(API_KEY, server_url=server.url)
        closer = close_soon(orq, server)
        started = time.monotonic()
        with pytest.raises(ClientClosedError):
            create(orq)
        elapsed = time.monotonic() - started
        closer.join()
        assert server.posts == 1
    assert elapsed < 1.5


@pytest.mark.parametrize("behaviour", [WAIT_TO_RETRY, drip(interval=0.1), SILENT], ids=["retry-wait", "drip", "silent"])
def test_aclose_from_another_task_ends_a_call_in_flight(behaviour: Behaviour) -> None:
    async def main(server: RawServer) -> float:
        orq = Orq(API_KEY, server_url=server.url)
        call = asyncio.create_task(create_async(orq))
        while server.posts == 0:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        started = time.monotonic()
        await orq.aclose()
        with pytest.raises(ClientClosedError):
            await call
        return time.monotonic() - started

    with RawServer(behaviour) as server:
        assert asyncio.run(main(server)) < 1.0
        assert server.posts == 1
