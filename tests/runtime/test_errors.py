"""errors: status -> class mapping, error body parsing, one-line messages, no API key anywhere."""

from __future__ import annotations

import json
import pickle

import httpx2
import pytest
from orq_images._runtime.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    OrqError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
    status_error_from_response,
)

FAKE_KEY = "sk-FAKE-KEY-4f1c9e2b7a"
URL = "https://my.orq.ai/v2/router/images/generations"


def make_response(
    status: int, body: bytes | str = b"", headers: dict[str, str] | None = None, *, with_key: bool = True
) -> httpx2.Response:
    request_headers = {"Authorization": f"Bearer {FAKE_KEY}"} if with_key else {}
    request = httpx2.Request("POST", URL, headers=request_headers)
    content = body.encode() if isinstance(body, str) else body
    return httpx2.Response(status, content=content, headers=headers or {}, request=request)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (520, ServerError),
        (529, ServerError),
        (599, ServerError),
        (418, APIStatusError),
        (402, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_class_per_status(status: int, expected: type[APIStatusError]) -> None:
    error = status_error_from_response(make_response(status, "nope"))
    assert type(error) is expected
    assert error.status_code == status
    assert str(error) == f"Error code: {status} - nope"


def test_hierarchy() -> None:
    assert issubclass(RateLimitError, APIStatusError)
    assert issubclass(APIStatusError, APIError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIConnectionError, APIError)
    assert issubclass(ResponseValidationError, APIError)
    assert issubclass(APIError, OrqError)
    assert issubclass(RequestValidationError, ValueError)
    assert issubclass(RequestValidationError, TypeError)
    assert issubclass(RequestValidationError, OrqError)
    assert issubclass(ClientClosedError, RuntimeError)
    assert issubclass(ClientClosedError, OrqError)


def test_documented_401_body_is_parsed() -> None:
    body = {
        "error": {
            "type": "authentication_error",
            "message": "Invalid API key provided",
            "code": "invalid_api_key",
            "param": None,
            "failures": [{"field": "authorization"}],
        }
    }
    response = make_response(401, json.dumps(body), {"x-request-id": "req_123"})
    error = status_error_from_response(response)
    assert isinstance(error, AuthenticationError)
    assert error.error == ErrorDetail(
        type="authentication_error",
        message="Invalid API key provided",
        code="invalid_api_key",
        param=None,
        failures=[{"field": "authorization"}],
    )
    assert error.request_id == "req_123"
    assert str(error) == "Error code: 401 - Invalid API key provided (request id: req_123)"
    assert error.body == json.dumps(body)
    assert error.method == "POST"
    assert error.url == URL
    assert error.response is response


def test_error_detail_without_failures_defaults_to_none() -> None:
    body = '{"error": {"type": "invalid_request_error", "message": "bad n", "code": null, "param": "n"}}'
    error = status_error_from_response(make_response(400, body))
    assert error.error is not None
    assert error.error.failures is None
    assert error.error.param == "n"
    assert error.error.code is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"error": "model overloaded"}', "model overloaded"),
        ('{"message": "try later"}', "try later"),
        ('{"detail": "x"}', '{"detail": "x"}'),
        ("[1, 2, 3]", "[1, 2, 3]"),
        ("{not json", "{not json"),
        ("<html><body>Bad gateway</body></html>", "<html><body>Bad gateway</body></html>"),
        ('"just a string"', '"just a string"'),
    ],
)
def test_lenient_bodies(body: str, message: str) -> None:
    error = status_error_from_response(make_response(502, body))
    assert isinstance(error, ServerError)
    assert error.error is None
    assert str(error) == f"Error code: 502 - {message}"
    assert error.body == body


def test_long_body_is_cut_to_200_chars_on_one_line() -> None:
    body = "line one\nline two\r\n" + "x" * 1000
    error = status_error_from_response(make_response(500, body))
    text = str(error)
    assert "\n" not in text and "\r" not in text
    assert text.startswith("Error code: 500 - line one line two xxx")
    assert len(text) < 260
    assert error.body == body  # the attribute keeps everything


def test_binary_and_empty_bodies_never_raise() -> None:
    binary = status_error_from_response(make_response(500, bytes(range(256))))
    assert isinstance(binary, ServerError)
    assert "\n" not in str(binary)
    empty = status_error_from_response(make_response(503, b""))
    assert str(empty) == "Error code: 503 - Service Unavailable"
    odd = status_error_from_response(make_response(520, b""))
    assert str(odd).startswith("Error code: 520 - ")


def test_declared_charset_and_unknown_charset() -> None:
    latin = make_response(400, "café".encode("latin-1"), {"Content-Type": "text/plain; charset=latin-1"})
    assert status_error_from_response(latin).body == "café"
    bogus = make_response(400, b"ok", {"Content-Type": "text/plain; charset=no-such-codec"})
    assert status_error_from_response(bogus).body == "ok"


def test_request_id_header_order() -> None:
    response = make_response(500, "x", {"request-id": "second", "x-orq-request-id": "third"})
    assert status_error_from_response(response).request_id == "second"
    response = make_response(500, "x", {"x-orq-request-id": "third"})
    assert status_error_from_response(response).request_id == "third"
    assert status_error_from_response(make_response(500, "x")).request_id is None


def test_retry_after_is_exposed() -> None:
    error = status_error_from_response(make_response(429, "slow down", {"Retry-After": "120"}))
    assert error.retry_after == 120.0
    assert status_error_from_response(make_response(429, "slow down")).retry_after is None


def test_unread_response_and_response_without_request() -> None:
    stream = httpx2.Response(500, stream=httpx2.ByteStream(b"later"), request=httpx2.Request("GET", URL))
    error = status_error_from_response(stream)
    assert error.body == ""
    bare = status_error_from_response(httpx2.Response(404, content=b"gone"))
    assert (bare.method, bare.url) == ("", "")
    assert str(bare) == "Error code: 404 - gone"


def test_api_key_never_in_str_or_repr() -> None:
    errors: list[Exception] = [
        status_error_from_response(make_response(status, '{"error": {"message": "denied"}}'))
        for status in (400, 401, 429, 500, 418)
    ]
    errors.append(APIConnectionError(method="POST", url=URL))
    errors.append(APITimeoutError(method="POST", url=URL))
    errors.append(
        ResponseValidationError("bad", method="POST", url=URL, status_code=200, headers=httpx2.Headers(), body="")
    )
    for error in errors:
        assert FAKE_KEY not in str(error)
        assert FAKE_KEY not in repr(error)
        assert FAKE_KEY not in repr(vars(error).get("error"))


def test_request_validation_error_message() -> None:
    error = RequestValidationError("orq.load_balancer.models[0].weight", "number >= 0.001 and <= 1", 7)
    assert str(error) == "orq.load_balancer.models[0].weight: expected number >= 0.001 and <= 1, got 7"
    assert (error.path, error.expected, error.value) == (
        "orq.load_balancer.models[0].weight",
        "number >= 0.001 and <= 1",
        7,
    )
    root = RequestValidationError("", "an object", [1])
    assert str(root) == "expected an object, got [1]"


def test_request_validation_error_truncates_long_values() -> None:
    error = RequestValidationError("prompt", "string", ["x" * 10_000] * 5)
    text = str(error)
    assert len(text) < 140
    assert text.endswith("...")
    assert "\n" not in text


def test_request_validation_error_pickles() -> None:
    error = RequestValidationError("n", "integer", "3")
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
    assert copy.path == "n"


def test_response_validation_error_attributes() -> None:
    headers = httpx2.Headers({"content-type": "text/html"})
    error = ResponseValidationError(
        "created: required key missing", method="POST", url=URL, status_code=200, headers=headers, body="<html>"
    )
    assert error.detail == "created: required key missing"
    assert error.status_code == 200
    assert error.body == "<html>"
    assert error.headers is headers
    assert str(error) == "Unexpected response (HTTP 200): created: required key missing"


def test_api_errors_pickle() -> None:
    status = status_error_from_response(make_response(429, '{"error": {"message": "slow"}}', {"Retry-After": "3"}))
    copy = pickle.loads(pickle.dumps(status))
    assert type(copy) is RateLimitError
    assert (str(copy), copy.status_code, copy.retry_after, copy.body) == (str(status), 429, 3.0, status.body)
    assert copy.error == status.error
    timeout = pickle.loads(pickle.dumps(APITimeoutError(method="POST", url=URL)))
    assert (type(timeout), str(timeout), timeout.url) == (APITimeoutError, "Request timed out.", URL)
