"""A client used in a child after `os.fork()` (gunicorn workers, multiprocessing) opens its own connections: parent
and child never read each other's answers. The parent keeps its connection and keeps working."""

from __future__ import annotations

import json
import os

import pytest
from orq_images import Orq

from tests.client.conftest import API_KEY, create
from tests.support.raw_server import RawServer, answer
from tests.support.server import DEFAULT_RESPONSE

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

OK = answer(200, json.dumps(DEFAULT_RESPONSE).encode(), {"Content-Type": "application/json"})


def in_child(run: object) -> int:
    """Fork; the child runs ``run()`` and exits 0 when it returned what the server answers, else 1 or 2."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 2
        try:
            code = 0 if run() == DEFAULT_RESPONSE else 1  # type: ignore[operator]
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_forked_child_opens_its_own_connection_and_the_parent_keeps_its_own() -> None:
    with RawServer(OK) as server, Orq(API_KEY, server_url=server.url) as orq:
        create(orq)  # the parent's pool now holds an idle keep-alive connection
        assert in_child(lambda: [create(orq).to_dict() for _ in range(2)][-1]) == 0
        assert create(orq).to_dict() == DEFAULT_RESPONSE
        ports = [request.port for request in server.requests]
    parent, child_first, child_second, parent_again = ports
    assert child_first != parent  # not the parent's socket
    assert child_second == child_first  # the child keeps its own pool
    assert parent_again == parent  # the parent's connection was left alone


def test_a_client_closed_before_the_fork_stays_closed_in_the_child() -> None:
    from orq_images import ClientClosedError

    def closed_call() -> object:
        try:
            create(orq)
        except ClientClosedError:
            return DEFAULT_RESPONSE
        return None

    with RawServer(OK) as server:
        orq = Orq(API_KEY, server_url=server.url)
        create(orq)
        orq.close()
        assert in_child(closed_call) == 0
        assert server.posts == 1


def test_a_forked_child_keeps_the_aiohttp_transport_it_was_given_with_its_own_connections() -> None:
    import asyncio

    from orq_images import aiohttp_client
    from orq_images._runtime.aiohttp_transport import AiohttpClient

    from tests.client.conftest import create_async

    def child_calls() -> object:
        async def calls() -> object:
            answers = [(await create_async(orq)).to_dict() for _ in range(2)]
            client = orq._core._async_client
            if not isinstance(client, AiohttpClient) or client is parent_client:
                return None  # a default client, or the parent's
            if client.headers.get("user-agent") != parent_client.headers.get("user-agent"):
                return None  # the SDK's own headers are set on it as on the parent's
            return answers[-1]

        return asyncio.run(calls())

    with RawServer(OK) as server:
        orq = Orq(API_KEY, server_url=server.url, async_client=aiohttp_client())
        loop = asyncio.new_event_loop()  # the parent's, kept (not running) across the fork to close its session
        try:
            loop.run_until_complete(create_async(orq))  # the parent's aiohttp session has opened its connection
            parent_client = orq._core._async_client
            assert in_child(child_calls) == 0
            ports = [request.port for request in server.requests]
            loop.run_until_complete(orq.aclose())
        finally:
            loop.close()
    parent, child_first, child_second = ports
    assert child_first != parent  # not the parent's socket
    assert child_second == child_first  # the child keeps its own aiohttp pool
