"""The `Orq` constructor and the client's life cycle: API key, server URL, timeouts, own httpx2 clients, closing."""

from __future__ import annotations

import asyncio
import time
import traceback

import httpx2
import pytest
from orq_images import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    Orq,
    OrqError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
)

from tests.client.conftest import API_KEY, PATH, create, create_async, only_request, record_sleeps
from tests.support.server import DEFAULT_RESPONSE, LocalServer, refused_port

# -- the API key -----------------------------------------------------------------------------------------------------


def test_api_key_string_is_sent_as_bearer_token(server: LocalServer) -> None:
    with Orq(api_key=API_KEY, server_url=server.url) as orq:
        create(orq)
    assert only_request(server).headers["authorization"] == f"Bearer {API_KEY}"


def test_api_key_function_is_called_for_every_request(server: LocalServer) -> None:
    calls: list[str] = []

    def current_key() -> str:
        calls.append(f"sk-rotating-key-{len(calls) + 1}")
        return calls[-1]

    with Orq(api_key=current_key, server_url=server.url) as orq:
        assert calls == []  # not called before a request is made
        create(orq)
        create(orq)
    assert calls == ["sk-rotating-key-1", "sk-rotating-key-2"]
    assert [request.headers["authorization"] for request in server.requests] == [
        "Bearer sk-rotating-key-1",
        "Bearer sk-rotating-key-2",
    ]


def test_api_key_is_read_from_orq_api_key_when_omitted(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORQ_API_KEY", "sk-from-the-environment-42")
    with Orq(server_url=server.url) as orq:
        create(orq)
    assert only_request(server).headers["authorization"] == "Bearer sk-from-the-environment-42"


@pytest.mark.parametrize(
    "api_key",
    [None, "", lambda: ""],
    ids=["omitted-and-no-env", "empty-string", "function-returning-empty"],
)
def test_missing_api_key_raises_before_anything_is_sent(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, api_key: object
) -> None:
    monkeypatch.delenv("ORQ_API_KEY", raising=False)
    orq = Orq(api_key=api_key, server_url=server.url)  # type: ignore[arg-type]
    with pytest.raises(OrqError) as caught:
        create(orq)
    assert type(caught.value) is OrqError
    assert str(caught.value) == "no API key: pass api_key=... or set ORQ_API_KEY"
    with pytest.raises(OrqError, match="no API key"):
        asyncio.run(create_async(orq))
    assert server.requests == []


# -- server_url and timeouts -----------------------------------------------------------------------------------------


def test_server_url_per_client_and_per_call(server: LocalServer) -> None:
    with LocalServer() as other, Orq(api_key=API_KEY, server_url=server.url + "/") as orq:
        assert repr(orq) == f"Orq(server_url={server.url!r})"
        create(orq)
        create(orq, server_url=other.url)
        assert [request.path for request in server.requests] == [PATH]
        assert [request.path for request in other.requests] == [PATH]


def test_server_url_must_be_http(server: LocalServer) -> None:
    with pytest.raises(RequestValidationError) as caught:
        Orq(api_key=API_KEY, server_url="my.orq.ai")
    assert caught.value.path == "server_url"
    assert str(caught.value) == "server_url: expected an http:// or https:// URL, got 'my.orq.ai'"


def test_client_timeout_raises_api_timeout_error_quickly(server: LocalServer) -> None:
    server.enqueue(200, json=DEFAULT_RESPONSE, delay=3)
    with Orq(api_key=API_KEY, server_url=server.url, timeout_ms=200, retry_config=None) as orq:
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as caught:
            create(orq)
        elapsed = time.monotonic() - started
    assert 0.15 <= elapsed < 1.5
    assert isinstance(caught.value, APIConnectionError)
    assert isinstance(caught.value, OrqError)
    assert str(caught.value) == (
        "The call's time limit (timeout_ms=200 ms, for the whole call with its retries) was reached while waiting"
        " for the answer; the server may have received the request."
    )
    assert len(server.requests) == 1


def test_per_call_timeout_overrides_the_client_one(server: LocalServer) -> None:
    server.enqueue(200, json=DEFAULT_RESPONSE, delay=3)
    server.enqueue(200, json={"created": 2, "data": []}, delay=0.4)
    with Orq(api_key=API_KEY, server_url=server.url) as orq:  # the default limit is 600 s
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            create(orq, timeout_ms=200, retries=None)
        assert time.monotonic() - started < 1.5
    with Orq(api_key=API_KEY, server_url=server.url, timeout_ms=200, retry_config=None) as orq:
        assert create(orq, timeout_ms=5000).created == 2  # a longer limit for this call only


def test_a_timeout_is_not_sent_again(server: LocalServer) -> None:
    for _ in range(3):
        server.enqueue(200, json=DEFAULT_RESPONSE, delay=3)
    with Orq(api_key=API_KEY, server_url=server.url, timeout_ms=150) as orq:
        sleeps = record_sleeps(orq)
        with pytest.raises(APITimeoutError):
            create(orq)
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_bad_timeout_is_rejected(server: LocalServer) -> None:
    with pytest.raises(RequestValidationError, match="timeout_ms: expected a number of milliseconds > 0, got 0"):
        Orq(api_key=API_KEY, server_url=server.url, timeout_ms=0)
    with Orq(api_key=API_KEY, server_url=server.url) as orq, pytest.raises(RequestValidationError):
        create(orq, timeout_ms=-1)
    assert server.requests == []


# -- the caller's own httpx2 clients ----------------------------------------------------------------------------------


def test_own_httpx_client_is_used_and_left_open(server: LocalServer) -> None:
    seen: list[httpx2.Request] = []
    with httpx2.Client(event_hooks={"request": [seen.append]}, headers={"X-Proxy-Tag": "corp"}) as http:
        orq = Orq(api_key=API_KEY, server_url=server.url, client=http)
        assert create(orq).created == DEFAULT_RESPONSE["created"]

        (hooked,) = seen
        assert hooked.method == "POST"
        assert str(hooked.url) == server.url + PATH
        assert hooked.headers["authorization"] == f"Bearer {API_KEY}"
        assert hooked.content == only_request(server).body
        assert only_request(server).headers["x-proxy-tag"] == "corp"  # the client's own settings apply

        orq.close()
        orq.close()  # idempotent
        assert not http.is_closed
        assert http.get(server.url + "/still-usable").status_code == 200
        assert server.requests[-1].path == "/still-usable"
        with pytest.raises(ClientClosedError):
            create(orq)
    assert len(server.requests) == 2


def test_own_httpx_async_client_is_used_and_left_open(server: LocalServer) -> None:
    seen: list[httpx2.Request] = []

    async def hook(request: httpx2.Request) -> None:
        seen.append(request)

    async def main() -> None:
        async with httpx2.AsyncClient(event_hooks={"request": [hook]}) as http:
            async with Orq(api_key=API_KEY, server_url=server.url, async_client=http) as orq:
                assert (await create_async(orq)).created == DEFAULT_RESPONSE["created"]
            assert not http.is_closed
            assert (await http.get(server.url + "/still-usable")).status_code == 200
            with pytest.raises(ClientClosedError):
                await create_async(orq)

    asyncio.run(main())
    assert [(request.method, request.url.path) for request in seen] == [("POST", PATH), ("GET", "/still-usable")]
    assert seen[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert [request.path for request in server.requests] == [PATH, "/still-usable"]


# -- closing ---------------------------------------------------------------------------------------------------------


def test_with_block_closes_the_client(server: LocalServer) -> None:
    with Orq(api_key=API_KEY, server_url=server.url) as orq:
        create(orq)
    with pytest.raises(ClientClosedError) as caught:
        create(orq)
    assert isinstance(caught.value, OrqError)
    assert isinstance(caught.value, RuntimeError)
    assert str(caught.value) == "this client has been closed; create a new one"
    assert len(server.requests) == 1


def test_async_with_block_closes_the_client(server: LocalServer) -> None:
    async def main() -> None:
        async with Orq(api_key=API_KEY, server_url=server.url) as orq:
            await create_async(orq)
        with pytest.raises(ClientClosedError):
            await create_async(orq)
        with pytest.raises(ClientClosedError):
            create(orq)
        await orq.aclose()  # idempotent
        orq.close()

    asyncio.run(main())
    assert len(server.requests) == 1


def test_close_is_idempotent_and_a_call_after_close_sends_nothing(server: LocalServer) -> None:
    orq = Orq(api_key=API_KEY, server_url=server.url)
    orq.close()
    orq.close()
    asyncio.run(orq.aclose())
    with pytest.raises(ClientClosedError):
        create(orq)
    with pytest.raises(ClientClosedError):
        asyncio.run(create_async(orq))
    assert server.requests == []


# -- the key stays secret ----------------------------------------------------------------------------------------------


def _errors_from_every_kind_of_failure(server: LocalServer) -> list[BaseException]:
    """One exception of each kind, from calls whose server echoes the key wherever it can."""
    errors: list[BaseException] = []
    server.enqueue(
        401,
        json={"error": {"type": "invalid_request_error", "message": f"Invalid API key {API_KEY}", "code": None}},
    )
    server.enqueue(500, body=f"upstream rejected Authorization: Bearer {API_KEY}\nsecond line")
    server.enqueue(200, json={"created": f"{API_KEY}", "data": []})
    server.enqueue(200, body=f"not json {API_KEY}")
    server.enqueue(200, json=DEFAULT_RESPONSE, delay=3)
    with Orq(api_key=API_KEY, server_url=server.url, retry_config=None, timeout_ms=200) as orq:
        assert API_KEY not in repr(orq)
        for expected in (AuthenticationError, ServerError, ResponseValidationError, ResponseValidationError):
            with pytest.raises(expected) as caught:
                create(orq)
            errors.append(caught.value)
        with pytest.raises(APITimeoutError) as timeout:
            create(orq)
        errors.append(timeout.value)
        with pytest.raises(RequestValidationError) as invalid:
            create(orq, n=0)
        errors.append(invalid.value)
        with pytest.raises(APIConnectionError) as refused:
            create(orq, server_url=f"http://127.0.0.1:{refused_port()}")
        errors.append(refused.value)
    with pytest.raises(ClientClosedError) as closed:
        create(orq)
    errors.append(closed.value)
    return errors


def test_key_never_appears_in_repr_or_str_of_errors(server: LocalServer) -> None:
    errors = _errors_from_every_kind_of_failure(server)
    assert [type(error).__name__ for error in errors] == [
        "AuthenticationError",
        "ServerError",
        "ResponseValidationError",
        "ResponseValidationError",
        "APITimeoutError",
        "RequestValidationError",
        "APIConnectionError",
        "ClientClosedError",
    ]
    for error in errors:
        assert isinstance(error, OrqError)
        assert API_KEY not in str(error), str(error)
        assert API_KEY not in repr(error), repr(error)
        response = getattr(error, "response", None)
        if response is not None:
            assert "authorization" not in response.request.headers
    assert str(errors[0]) == "Error code: 401 - Invalid API key ***"
    assert str(errors[2]) == "Unexpected response (HTTP 200): created: expected number, got '***'"
    # Apart from the 2xx body that quotes the key (tested below), neither does a printed traceback.
    for error in errors[:2] + errors[3:]:
        assert API_KEY not in "".join(traceback.format_exception(error))


def test_key_echoed_in_a_2xx_body_stays_out_of_the_traceback(server: LocalServer) -> None:
    server.enqueue(200, json={"created": API_KEY, "data": []})
    with Orq(api_key=API_KEY, server_url=server.url) as orq, pytest.raises(ResponseValidationError) as caught:
        create(orq)
    assert API_KEY not in str(caught.value)
    assert API_KEY not in "".join(traceback.format_exception(caught.value))


def test_repr_of_client_never_contains_the_key(server: LocalServer) -> None:
    orq = Orq(api_key=API_KEY, server_url=server.url)
    assert repr(orq) == f"Orq(server_url={server.url!r})"
    assert API_KEY not in repr(orq._core)
    called: list[int] = []

    def key() -> str:
        called.append(1)
        return API_KEY

    rotating = Orq(api_key=key, server_url=server.url)
    assert API_KEY not in repr(rotating)
    assert called == []  # repr does not call the key function


def test_key_echoed_in_an_error_body_is_masked_in_body_and_detail(server: LocalServer) -> None:
    echoed = {"error": {"type": "auth", "message": f"bad key {API_KEY}", "code": None, "param": API_KEY}}
    server.enqueue(401, json=echoed)
    with Orq(api_key=API_KEY, server_url=server.url) as orq, pytest.raises(AuthenticationError) as caught:
        create(orq)
    error = caught.value
    assert API_KEY not in error.body
    assert "***" in error.body
    assert error.error is not None
    assert error.error.message == "bad key ***"
    assert error.error.param == "***"
    assert error.error.type == "auth"
