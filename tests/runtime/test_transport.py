"""transport: ClientCore against a real local HTTP server (tests/support/server.py)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import logging
import random
import time
from typing import Any

import httpx2
import pytest
from orq_images._runtime.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    NotFoundError,
    OrqError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from orq_images._runtime.retries import RetryConfig
from orq_images._runtime.transport import DEFAULT, ClientCore
from orq_images._runtime.validation import SchemaMismatch

from tests.support.server import DEFAULT_RESPONSE, LocalServer, refused_port

FAKE_KEY = "sk-FAKE-KEY-4f1c9e2b7a"
PATH = "/v2/router/images/generations"
USER_AGENT = "orq-images-tests/1.0"
UNUSED_URL = "https://default.invalid"
BODY = {"prompt": "a lighthouse", "model": "openai/gpt-image-1"}


def parse_json(data: object) -> Any:
    return data


class Sleeps:
    """Records the waits instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, delay: float) -> None:
        self.delays.append(delay)

    async def async_sleep(self, delay: float) -> None:
        self.delays.append(delay)


def make_core(url: str, sleeps: Sleeps | None = None, **kwargs: Any) -> ClientCore:
    kwargs.setdefault("api_key", FAKE_KEY)
    core = ClientCore(server_url=url, user_agent=USER_AGENT, default_server_url=UNUSED_URL, **kwargs)
    if sleeps is not None:
        core.sleep = sleeps
        core.async_sleep = sleeps.async_sleep
    return core


def call(core: ClientCore, body: object = BODY, **kwargs: Any) -> Any:
    return core.request(method="POST", path=PATH, json_body=body, parse=parse_json, **kwargs)


async def call_async(core: ClientCore, body: object = BODY, **kwargs: Any) -> Any:
    return await core.request_async(method="POST", path=PATH, json_body=body, parse=parse_json, **kwargs)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def core(server: LocalServer, sleeps: Sleeps) -> ClientCore:
    return make_core(server.url, sleeps)


# -- what goes on the wire -----------------------------------------------------------------------------------------


def test_headers_sent_exactly(server: LocalServer, core: ClientCore) -> None:
    assert call(core) == DEFAULT_RESPONSE
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == PATH
    assert request.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == USER_AGENT


def test_body_bytes_are_exactly_json_dumps(server: LocalServer, core: ClientCore) -> None:
    body = {"prompt": 'café ☕ "quoted"', "n": 2, "weight": 0.5, "nested": {"a": [1, 2.0, None, True]}}
    call(core, body)
    expected = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    (request,) = server.requests
    assert request.body == expected
    assert b'"n":2,' in request.body  # an int stays an int
    assert request.json == body
    assert type(request.json["n"]) is int


def test_per_call_headers_override_and_extend(server: LocalServer, core: ClientCore) -> None:
    call(core, http_headers={"X-Trace": "abc", "user-agent": "custom/2"})
    (request,) = server.requests
    assert request.headers["x-trace"] == "abc"
    assert request.headers["user-agent"] == "custom/2"
    assert request.headers["authorization"] == f"Bearer {FAKE_KEY}"


def test_url_joining_and_per_call_server_url(server: LocalServer, sleeps: Sleeps) -> None:
    core = make_core(f"http://127.0.0.1:{refused_port()}", sleeps, retry_config=None)
    assert call(core, server_url=server.url + "/") == DEFAULT_RESPONSE
    assert server.requests[0].path == PATH
    trailing = make_core(server.url + "///", sleeps)
    call(trailing)
    assert server.requests[1].path == PATH
    assert trailing.server_url == server.url


def test_default_server_url_is_used_when_none_given(server: LocalServer) -> None:
    core = ClientCore(api_key=FAKE_KEY, server_url=None, user_agent=USER_AGENT, default_server_url=server.url)
    assert core.server_url == server.url
    assert call(core) == DEFAULT_RESPONSE


def test_api_key_from_environment_and_callable(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORQ_API_KEY", "sk-from-env-123456")
    call(make_core(server.url, api_key=None))
    keys = iter(["sk-rotating-1111111", "sk-rotating-2222222"])
    rotating = make_core(server.url, api_key=lambda: next(keys))
    call(rotating)
    call(rotating)
    assert [r.headers["authorization"] for r in server.requests] == [
        "Bearer sk-from-env-123456",
        "Bearer sk-rotating-1111111",
        "Bearer sk-rotating-2222222",
    ]


def test_missing_key_raises_before_sending(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORQ_API_KEY", raising=False)
    core = make_core(server.url, api_key=None)
    with pytest.raises(OrqError, match=r"no API key: pass api_key=\.\.\. or set ORQ_API_KEY"):
        call(core)
    with pytest.raises(OrqError, match="no API key"):
        call(make_core(server.url, api_key=lambda: ""))
    with pytest.raises(OrqError, match="cannot be sent"):
        call(make_core(server.url, api_key="sk-bad\nkey-123456"))
    assert server.requests == []


def test_unserializable_body_and_bad_timeout_are_rejected_before_sending(server: LocalServer, core: ClientCore) -> None:
    with pytest.raises(RequestValidationError):
        call(core, {"n": float("nan")})
    with pytest.raises(RequestValidationError):
        call(core, {"when": object()})
    with pytest.raises(RequestValidationError, match="timeout_ms"):
        call(core, timeout_ms=0)
    with pytest.raises(RequestValidationError, match="timeout_ms"):
        make_core(server.url, timeout_ms=-5)
    assert server.requests == []


def test_invalid_server_url_is_a_validation_error(server: LocalServer, core: ClientCore) -> None:
    with pytest.raises(RequestValidationError, match="server_url"):
        call(core, server_url="http://[::1")
    with pytest.raises(
        RequestValidationError, match=r"server_url: expected an http:// or https:// URL, got 'my.orq.ai'"
    ):
        call(core, server_url="my.orq.ai")
    with pytest.raises(RequestValidationError, match="server_url"):
        make_core("ftp://example.com")
    assert server.requests == []


def test_redirects_are_not_followed(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(302, headers={"Location": "/elsewhere"}, body="moved")
    with pytest.raises(APIStatusError) as info:
        call(core)
    assert type(info.value) is APIStatusError
    assert info.value.status_code == 302
    assert len(server.requests) == 1


# -- retries -------------------------------------------------------------------------------------------------------


def test_retry_on_503_then_success(server: LocalServer, core: ClientCore, sleeps: Sleeps) -> None:
    server.enqueue(503, json={"error": "busy"})
    assert call(core) == DEFAULT_RESPONSE
    assert len(server.requests) == 2
    assert len(sleeps.delays) == 1
    assert 0.0 <= sleeps.delays[0] <= 0.5
    assert server.requests[0].body == server.requests[1].body


def test_retry_after_is_honoured_exactly(server: LocalServer, core: ClientCore, sleeps: Sleeps) -> None:
    server.enqueue(429, json={"error": "slow down"}, headers={"Retry-After": "2"})
    server.enqueue(503, headers={"retry-after-ms": "150"})
    assert call(core) == DEFAULT_RESPONSE
    assert sleeps.delays == [2.0, 0.15]
    assert len(server.requests) == 3


def test_retry_after_above_limit_raises_at_once(server: LocalServer, core: ClientCore, sleeps: Sleeps) -> None:
    server.enqueue(429, json={"error": {"message": "quota"}}, headers={"Retry-After": "120"})
    with pytest.raises(RateLimitError) as info:
        call(core)
    assert info.value.retry_after == 120.0
    assert str(info.value) == "Error code: 429 - quota"
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_retries_exhausted(server: LocalServer, core: ClientCore, sleeps: Sleeps) -> None:
    for _ in range(3):
        server.enqueue(503, body="down")
    with pytest.raises(ServerError) as info:
        call(core)
    assert info.value.status_code == 503
    assert len(server.requests) == 3
    assert len(sleeps.delays) == 2
    assert 0.0 <= sleeps.delays[1] <= 1.0


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(400, BadRequestError), (401, AuthenticationError), (404, NotFoundError), (422, UnprocessableEntityError)],
)
def test_no_retry_on_client_errors(
    server: LocalServer, core: ClientCore, sleeps: Sleeps, status: int, error_class: type[APIStatusError]
) -> None:
    server.enqueue(status, json={"error": {"type": "x", "message": "no", "code": None, "param": None}})
    with pytest.raises(error_class):
        call(core)
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_500_is_not_retried_by_default(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(500, body="boom")
    with pytest.raises(ServerError):
        call(core)
    assert len(server.requests) == 1


def test_retries_none_disables(server: LocalServer, sleeps: Sleeps) -> None:
    server.enqueue(503)
    with pytest.raises(ServerError):
        call(make_core(server.url, sleeps), retries=None)
    server.enqueue(503)
    with pytest.raises(ServerError):
        call(make_core(server.url, sleeps, retry_config=None))
    assert len(server.requests) == 2
    assert sleeps.delays == []


def test_per_call_retry_config_replaces_the_clients(server: LocalServer, sleeps: Sleeps) -> None:
    core = make_core(server.url, sleeps, retry_config=None)
    for _ in range(4):
        server.enqueue(500)
    config = RetryConfig(max_retries=4, retry_on_status=frozenset({500}), initial_delay=0.01)
    assert call(core, retries=config) == DEFAULT_RESPONSE
    assert len(server.requests) == 5
    assert len(sleeps.delays) == 4
    assert all(0.0 <= delay <= 0.08 for delay in sleeps.delays)
    server.enqueue(500)
    with pytest.raises(ServerError):
        call(core, retries=DEFAULT)  # the client's configuration: no retries


def test_real_sleep_is_used_by_default(server: LocalServer) -> None:
    core = make_core(server.url)
    server.enqueue(503, headers={"retry-after-ms": "120"})
    started = time.monotonic()
    call(core)
    assert time.monotonic() - started >= 0.1


def test_real_async_sleep_is_used_by_default(server: LocalServer) -> None:
    core = make_core(server.url)
    server.enqueue(503, headers={"retry-after-ms": "120"})

    async def main() -> float:
        started = time.monotonic()
        await call_async(core)
        await core.aclose()
        return time.monotonic() - started

    assert asyncio.run(main()) >= 0.1
    assert len(server.requests) == 2


# -- transport failures --------------------------------------------------------------------------------------------


def test_connection_refused_after_retries(sleeps: Sleeps) -> None:
    core = make_core(f"http://127.0.0.1:{refused_port()}", sleeps)
    with pytest.raises(APIConnectionError) as info:
        call(core)
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx2.ConnectError)
    assert len(sleeps.delays) == 2
    assert info.value.method == "POST"
    assert info.value.url.endswith(PATH)
    no_retry = make_core(
        f"http://127.0.0.1:{refused_port()}", sleeps, retry_config=RetryConfig(retry_on_connection_errors=False)
    )
    with pytest.raises(APIConnectionError):
        call(no_retry)
    assert len(sleeps.delays) == 2


def test_timeout(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(200, json=DEFAULT_RESPONSE, delay=3.0)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        call(core, timeout_ms=200, retries=None)
    assert time.monotonic() - started < 1.0
    assert isinstance(info.value.__cause__, httpx2.TimeoutException)
    assert "time limit (timeout_ms=200 ms" in str(info.value)
    assert "the server may have received the request" in str(info.value)


def test_a_timeout_ends_the_call_even_with_retries(server: LocalServer, core: ClientCore, sleeps: Sleeps) -> None:
    server.enqueue(200, json={"late": True}, delay=3.0)
    with pytest.raises(APITimeoutError):
        call(core, timeout_ms=200, retries=RetryConfig(retry_possibly_received=True))
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_client_timeout_applies(server: LocalServer, sleeps: Sleeps) -> None:
    server.enqueue(200, delay=3.0)
    with pytest.raises(APITimeoutError):
        call(make_core(server.url, sleeps, timeout_ms=200, retry_config=None))


def test_dropped_connection(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(drop=True)
    with pytest.raises(APIConnectionError) as info:
        call(core)
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)
    assert str(info.value).endswith("; the server may have received the request.")
    server.enqueue(drop=True)
    assert call(core, retries=RetryConfig(retry_possibly_received=True)) == DEFAULT_RESPONSE
    assert len(server.requests) == 3


def test_partial_headers(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(partial=True)
    with pytest.raises(APIConnectionError) as info:
        call(core, retries=None)
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)


# -- 2xx answers that do not parse ---------------------------------------------------------------------------------


def test_invalid_json_on_2xx(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(200, body="<html>not json</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ResponseValidationError) as info:
        call(core)
    error = info.value
    assert error.status_code == 200
    assert error.body == "<html>not json</html>"
    assert error.headers["content-type"] == "text/html"
    assert "not valid JSON" in error.detail
    assert isinstance(error.__cause__, json.JSONDecodeError)
    assert len(server.requests) == 1


def test_schema_mismatch_detail(server: LocalServer, core: ClientCore) -> None:
    def parse(data: object) -> None:
        raise SchemaMismatch("created", "a value (required key)", None)

    server.enqueue(200, json={"data": []})
    with pytest.raises(ResponseValidationError) as info:
        core.request(method="POST", path=PATH, json_body=BODY, parse=parse)
    assert info.value.detail == "created: expected a value (required key), got None"
    assert info.value.body == '{"data": []}'


def test_parse_errors_of_any_kind_are_wrapped_and_orq_errors_pass(server: LocalServer, core: ClientCore) -> None:
    with pytest.raises(ResponseValidationError, match="KeyError"):
        core.request(method="POST", path=PATH, json_body=BODY, parse=lambda data: data["missing"])
    with pytest.raises(ResponseValidationError, match="AttributeError"):
        core.request(method="POST", path=PATH, json_body=BODY, parse=lambda data: data.nope)

    own = OrqError("from parse")

    def parse(data: object) -> None:
        raise own

    with pytest.raises(OrqError) as info:
        core.request(method="POST", path=PATH, json_body=BODY, parse=parse)
    assert info.value is own


# -- streamed answers: the body is read after the headers, into one buffer ------------------------------------------


def test_a_body_cut_short_is_a_connection_error_retried_only_when_asked(
    server: LocalServer, core: ClientCore, sleeps: Sleeps
) -> None:
    server.enqueue(200, json=DEFAULT_RESPONSE, truncate=True)
    with pytest.raises(APIConnectionError) as info:
        call(core, retries=None)
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)
    assert "authorization" not in info.value.__cause__.request.headers
    server.enqueue(200, json={"first": "half"}, truncate=True)
    assert call(core, retries=RetryConfig(retry_possibly_received=True)) == DEFAULT_RESPONSE
    assert len(sleeps.delays) == 1


def test_a_body_that_stops_arriving_times_out(server: LocalServer, core: ClientCore, sleeps: Sleeps) -> None:
    server.enqueue(200, json=DEFAULT_RESPONSE, body_delay=3.0)
    with pytest.raises(APITimeoutError) as info:
        call(core, timeout_ms=200, retries=None)
    assert isinstance(info.value.__cause__, httpx2.ReadTimeout)
    assert len(server.requests) == 1
    assert sleeps.delays == []


def test_error_bodies_are_read_whole_before_the_error_is_built(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(429, json={"error": {"message": "slow down", "type": "rate_limit"}}, headers={"Retry-After": "0"})
    server.enqueue(400, json={"error": {"message": "bad prompt", "type": "invalid_request_error"}})
    with pytest.raises(BadRequestError) as info:
        call(core)
    assert info.value.body == '{"error": {"message": "bad prompt", "type": "invalid_request_error"}}'
    assert info.value.response.content == info.value.body.encode()
    assert info.value.response.is_closed
    server.enqueue(503, json={"error": "down"}, truncate=True)
    with pytest.raises(APIConnectionError):  # an error body cut short is a connection error too
        call(core, retries=None)


def test_compressed_and_unsized_answers(server: LocalServer, core: ClientCore) -> None:
    body = json.dumps({"created": 1, "data": [{"b64_json": "QUJD" * 5000}]}).encode()
    server.enqueue(200, body=gzip.compress(body), headers={"Content-Encoding": "gzip"})
    assert call(core) == json.loads(body)

    def unsized(request: httpx2.Request) -> httpx2.Response:  # chunked transfer: no Content-Length
        return httpx2.Response(200, stream=httpx2.ByteStream(body), headers={"Content-Type": "application/json"})

    mocked = make_core("http://api.test", client=httpx2.Client(transport=httpx2.MockTransport(unsized)))
    assert call(mocked) == json.loads(body)


def test_json_encodings_are_detected_and_bad_bytes_are_reported(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(200, body="\ufeff" + json.dumps({"é": 1}))  # UTF-8 with a byte order mark
    assert call(core) == {"é": 1}
    server.enqueue(200, body=json.dumps({"x": "é"}).encode("utf-16"))
    assert call(core) == {"x": "é"}
    server.enqueue(200, body=b'{"x": "\xe9t\xe9"}', headers={"Content-Type": "application/json; charset=latin-1"})
    with pytest.raises(ResponseValidationError) as info:
        call(core)
    assert info.value.detail.startswith("UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9")
    assert info.value.body == '{"x": "été"}'  # decoded with the declared charset, for the report


# 3 MiB of base64 (of random bytes, compressing as a real image does): parsed while it arrives (bodies.STREAM_FROM)
LARGE_IMAGE = base64.b64encode(random.Random(7).randbytes(3 * 1024 * 1024 // 4 * 3)).decode()


def test_a_large_answer_parses_as_a_small_one(server: LocalServer, core: ClientCore) -> None:
    answer = {"created": 1, "data": [{"b64_json": LARGE_IMAGE, "revised_prompt": 'é 😀 \\ "'}]}
    server.enqueue(200, json=answer)
    assert call(core) == answer
    server.enqueue(200, body=gzip.compress(json.dumps(answer).encode()), headers={"Content-Encoding": "gzip"})
    assert call(core) == answer


def test_a_large_answer_that_fails_keeps_its_body_for_the_error(server: LocalServer, core: ClientCore) -> None:
    def parse(data: Any) -> None:
        raise SchemaMismatch("created", "a value (required key)", None)

    wire = json.dumps({"data": [{"b64_json": LARGE_IMAGE}]})
    server.enqueue(200, body=wire)
    with pytest.raises(ResponseValidationError) as info:
        core.request(method="POST", path=PATH, json_body=BODY, parse=parse)
    assert info.value.body == wire  # rebuilt from what was parsed: here byte for byte
    cut = wire[:-5]  # not JSON: the string is closed but not the object
    server.enqueue(200, body=cut)
    with pytest.raises(ResponseValidationError, match="not valid JSON") as info:
        call(core)
    assert info.value.body == cut
    bad = wire.replace(
        LARGE_IMAGE[:4], LARGE_IMAGE[:2] + "\x01" + LARGE_IMAGE[3], 1
    ).encode()  # a control character inside the long string
    server.enqueue(200, body=bad)
    with pytest.raises(ResponseValidationError, match="Invalid control character") as info:
        call(core)
    assert info.value.body == bad.decode()


def test_event_hooks_see_the_answer_and_may_read_it(server: LocalServer) -> None:
    seen: list[tuple[int, bytes]] = []

    def read_it(response: httpx2.Response) -> None:
        seen.append((response.status_code, response.read()))

    client = httpx2.Client(event_hooks={"response": [read_it]})
    core = make_core(server.url, client=client, retry_config=None)
    assert call(core) == DEFAULT_RESPONSE
    server.enqueue(200, body="not json")
    with pytest.raises(ResponseValidationError) as info:
        call(core)
    assert info.value.body == "not json"
    server.enqueue(404, body="gone")
    with pytest.raises(NotFoundError):
        call(core)
    assert seen == [(200, json.dumps(DEFAULT_RESPONSE).encode()), (200, b"not json"), (404, b"gone")]
    client.close()


def test_async_body_errors_and_hooks(server: LocalServer, sleeps: Sleeps) -> None:
    hooked: list[int] = []

    async def hook(response: httpx2.Response) -> None:
        hooked.append(response.status_code)

    async def main() -> None:
        client = httpx2.AsyncClient(event_hooks={"response": [hook]})
        core = make_core(server.url, sleeps, async_client=client)
        server.enqueue(200, json=DEFAULT_RESPONSE, truncate=True)
        assert await call_async(core, retries=RetryConfig(retry_possibly_received=True)) == DEFAULT_RESPONSE
        server.enqueue(200, json=DEFAULT_RESPONSE, body_delay=3.0)
        with pytest.raises(APITimeoutError):
            await call_async(core, timeout_ms=200, retries=None)
        server.enqueue(200, body=gzip.compress(b'{"zipped": true}'), headers={"Content-Encoding": "gzip"})
        assert await call_async(core) == {"zipped": True}
        server.enqueue(500, body="boom")
        with pytest.raises(ServerError) as info:
            await call_async(core)
        assert info.value.body == "boom"
        await client.aclose()

    asyncio.run(main())
    assert hooked == [200, 200, 200, 200, 500]
    assert len(sleeps.delays) == 1


# -- client lifecycle ----------------------------------------------------------------------------------------------


def test_user_client_is_used_and_never_closed(server: LocalServer) -> None:
    seen: list[str] = []
    client = httpx2.Client(event_hooks={"request": [lambda request: seen.append(request.url.path)]})
    core = make_core(server.url, client=client)
    call(core)
    core.close()
    assert seen == [PATH]
    assert not client.is_closed
    assert client.post(server.url + "/still-open").status_code == 200
    client.close()


def test_a_given_client_gets_the_headers_per_request_and_is_not_changed(server: LocalServer) -> None:
    client = httpx2.Client(headers={"User-Agent": "theirs/1", "X-Team": "art"})
    before = dict(client.headers)
    call(make_core(server.url, client=client), http_headers={"X-Trace": "t1"})
    assert dict(client.headers) == before
    headers = server.requests[0].headers
    assert headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert headers["content-type"] == headers["accept"] == "application/json"
    assert headers["user-agent"] == USER_AGENT  # ours, per request, over the client's own
    assert headers["x-team"] == "art" and headers["x-trace"] == "t1"
    client.close()


def test_close_is_idempotent_and_blocks_later_calls(server: LocalServer, core: ClientCore) -> None:
    call(core)
    owned = core._client
    assert owned is not None
    core.close()
    core.close()
    assert owned.is_closed
    with pytest.raises(ClientClosedError):
        call(core)
    assert len(server.requests) == 1
    fresh = make_core(server.url)
    fresh.close()
    with pytest.raises(ClientClosedError):
        call(fresh)


def test_repr_hides_the_key(core: ClientCore) -> None:
    assert FAKE_KEY not in repr(core)
    assert "ClientCore" in repr(core)


# -- logging and secrets -------------------------------------------------------------------------------------------


def test_debug_log_on_retry_without_secrets(
    server: LocalServer, core: ClientCore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="orq_images")
    server.enqueue(503, body=f"echo {FAKE_KEY}", headers={"Retry-After": "1"})
    call(core)
    retry_lines = [record for record in caplog.records if record.getMessage().startswith("Retrying")]
    assert len(retry_lines) == 1
    message = retry_lines[0].getMessage()
    assert retry_lines[0].levelno == logging.DEBUG
    assert message == f"Retrying POST {PATH} (retry 1 of 2) after HTTP 503; waiting 1.000 s"
    for record in caplog.records:
        assert FAKE_KEY not in record.getMessage()
        assert FAKE_KEY not in repr(record.args)


def test_connection_retry_is_logged_with_exception_name(caplog: pytest.LogCaptureFixture, sleeps: Sleeps) -> None:
    caplog.set_level(logging.DEBUG, logger="orq_images")
    with pytest.raises(APIConnectionError):
        call(make_core(f"http://127.0.0.1:{refused_port()}", sleeps))
    messages = [record.getMessage() for record in caplog.records if record.name == "orq_images"]
    assert len(messages) == 2
    assert "(retry 2 of 2) after ConnectError" in messages[1]


def test_errors_never_show_the_key(server: LocalServer, core: ClientCore) -> None:
    server.enqueue(
        401, json={"error": {"type": "auth", "message": f"Invalid key {FAKE_KEY}", "code": None, "param": None}}
    )
    with pytest.raises(AuthenticationError) as info:
        call(core)
    error = info.value
    assert FAKE_KEY not in str(error)
    assert FAKE_KEY not in repr(error)
    assert "Invalid key ***" in str(error)
    assert "authorization" not in error.response.request.headers
    with pytest.raises(APIConnectionError) as refused:
        call(make_core(f"http://127.0.0.1:{refused_port()}", retry_config=None))
    assert FAKE_KEY not in str(refused.value) + repr(refused.value)
    cause = refused.value.__cause__
    assert isinstance(cause, httpx2.RequestError)
    assert "authorization" not in cause.request.headers


# -- async ---------------------------------------------------------------------------------------------------------


def test_async_basic_and_headers(server: LocalServer, sleeps: Sleeps) -> None:
    async def main() -> Any:
        core = make_core(server.url, sleeps)
        try:
            return await call_async(core, {"prompt": "x", "n": 3})
        finally:
            await core.aclose()

    assert asyncio.run(main()) == DEFAULT_RESPONSE
    (request,) = server.requests
    assert request.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert request.headers["user-agent"] == USER_AGENT
    assert request.body == b'{"prompt":"x","n":3}'


def test_async_retry_and_errors(server: LocalServer, sleeps: Sleeps) -> None:
    server.enqueue(503, headers={"Retry-After": "1.5"})
    server.enqueue(404, body="missing")

    async def main() -> None:
        core = make_core(server.url, sleeps)
        with pytest.raises(NotFoundError):
            await call_async(core)
        server.enqueue(200, delay=3.0)
        with pytest.raises(APITimeoutError):
            await call_async(core, timeout_ms=200, retries=None)
        server.enqueue(drop=True)
        with pytest.raises(APIConnectionError):
            await call_async(core, retries=None)
        server.enqueue(200, body="nope")
        with pytest.raises(ResponseValidationError):
            await call_async(core)
        await core.aclose()
        await core.aclose()
        with pytest.raises(ClientClosedError):
            await call_async(core)

    asyncio.run(main())
    assert sleeps.delays == [1.5]
    assert len(server.requests) == 5


def test_async_connection_refused_retries(sleeps: Sleeps) -> None:
    core = make_core(f"http://127.0.0.1:{refused_port()}", sleeps)
    with pytest.raises(APIConnectionError):
        asyncio.run(call_async(core))
    assert len(sleeps.delays) == 2


def test_async_50_concurrent_calls(server: LocalServer) -> None:
    async def main() -> list[Any]:
        core = make_core(server.url)
        try:
            return await asyncio.gather(*(call_async(core, {"prompt": f"image {i}", "i": i}) for i in range(50)))
        finally:
            await core.aclose()

    results = asyncio.run(main())
    assert results == [DEFAULT_RESPONSE] * 50
    assert sorted(request.json["i"] for request in server.requests) == list(range(50))
    assert len({request.body for request in server.requests}) == 50


def test_async_user_client_is_not_closed(server: LocalServer) -> None:
    async def main() -> bool:
        client = httpx2.AsyncClient()
        core = make_core(server.url, async_client=client)
        await call_async(core)
        await core.aclose()
        still_open = not client.is_closed
        await client.aclose()
        return still_open

    assert asyncio.run(main())


def test_async_missing_key(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORQ_API_KEY", raising=False)
    with pytest.raises(OrqError, match="no API key"):
        asyncio.run(call_async(make_core(server.url, api_key=None)))
    assert server.requests == []
