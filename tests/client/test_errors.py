"""Every error the API can answer with, through the client, against the real local server."""

from __future__ import annotations

import json

import pytest
from orq_images import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    Orq,
    OrqError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from orq_images.models import CreateImageResponse

from tests.client.conftest import API_KEY, PATH, create
from tests.support.server import LocalServer

AUTH_BODY = {
    "error": {"type": "invalid_request_error", "message": "Invalid API key", "code": "invalid_api_key", "param": None}
}

STATUS_CLASSES = [
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
    (504, ServerError),
    (520, ServerError),
    (529, ServerError),
    (418, APIStatusError),
    (451, APIStatusError),
]


@pytest.fixture
def no_retries(server: LocalServer) -> Orq:
    return Orq(api_key=API_KEY, server_url=server.url, retry_config=None)


@pytest.mark.parametrize(("status", "expected"), STATUS_CLASSES)
def test_each_status_maps_to_its_class(
    server: LocalServer, no_retries: Orq, status: int, expected: type[APIStatusError]
) -> None:
    body = {"error": {"type": "t", "message": f"failure {status}", "code": None, "param": None}}
    server.enqueue(status, json=body, headers={"x-request-id": f"req-{status}", "X-Extra": "kept"})
    with pytest.raises(APIStatusError) as caught:
        create(no_retries)
    error = caught.value
    assert type(error) is expected
    assert isinstance(error, APIError)
    assert isinstance(error, OrqError)
    assert error.status_code == status
    assert error.request_id == f"req-{status}"
    assert error.headers["x-extra"] == "kept"
    assert json.loads(error.body) == body
    assert error.error == ErrorDetail(type="t", message=f"failure {status}", code=None, param=None)
    assert str(error) == f"Error code: {status} - failure {status} (request id: req-{status})"
    assert error.method == "POST"
    assert error.url == no_retries._core.server_url + PATH
    assert len(server.requests) == 1


def test_401_with_the_documented_body(server: LocalServer, no_retries: Orq) -> None:
    server.enqueue(401, json=AUTH_BODY, headers={"x-request-id": "req_8f2a"})
    with pytest.raises(AuthenticationError) as caught:
        create(no_retries)
    error = caught.value
    assert error.error is not None
    assert error.error.message == "Invalid API key"
    assert error.error.type == "invalid_request_error"
    assert error.error.code == "invalid_api_key"
    assert error.error.param is None
    assert error.error.failures is None
    assert error.status_code == 401
    assert error.request_id == "req_8f2a"
    assert json.loads(error.body) == AUTH_BODY
    assert str(error) == "Error code: 401 - Invalid API key (request id: req_8f2a)"
    assert "\n" not in str(error)
    assert repr(error) == "AuthenticationError('Error code: 401 - Invalid API key (request id: req_8f2a)')"


def test_error_bodies_that_are_not_the_documented_shape(server: LocalServer, no_retries: Orq) -> None:
    server.enqueue(500, body="upstream exploded\n  at provider.call()\n", headers={"Content-Type": "text/plain"})
    server.enqueue(400, json={"message": "prompt is too long"})
    server.enqueue(404, json={"error": "no such route"})
    server.enqueue(503, body="")
    server.enqueue(422, json=[1, 2])
    messages = []
    for _ in range(5):
        with pytest.raises(APIStatusError) as caught:
            create(no_retries)
        assert "\n" not in str(caught.value)
        assert caught.value.request_id is None
        assert caught.value.error is None
        messages.append(str(caught.value))
    assert messages == [
        "Error code: 500 - upstream exploded at provider.call()",
        "Error code: 400 - prompt is too long",
        "Error code: 404 - no such route",
        "Error code: 503 - Service Unavailable",
        "Error code: 422 - [1, 2]",
    ]


def test_status_error_keeps_the_raw_body(server: LocalServer, no_retries: Orq) -> None:
    server.enqueue(529, body="<html>overloaded</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ServerError) as caught:
        create(no_retries)
    assert caught.value.body == "<html>overloaded</html>"
    assert caught.value.headers["content-type"] == "text/html"
    assert str(caught.value) == "Error code: 529 - <html>overloaded</html>"


def test_2xx_that_is_not_json(server: LocalServer, no_retries: Orq) -> None:
    server.enqueue(200, body="<html>maintenance</html>", headers={"Content-Type": "text/html", "x-request-id": "r1"})
    with pytest.raises(ResponseValidationError) as caught:
        create(no_retries)
    error = caught.value
    assert isinstance(error, OrqError)
    assert error.body == "<html>maintenance</html>"
    assert error.status_code == 200
    assert error.headers["x-request-id"] == "r1"
    assert str(error).startswith("Unexpected response (HTTP 200): the body is not valid JSON (Expecting value")
    assert len(server.requests) == 1  # never retried


def test_2xx_missing_created(server: LocalServer, no_retries: Orq) -> None:
    server.enqueue(201, json={"data": []})
    with pytest.raises(ResponseValidationError) as caught:
        create(no_retries)
    assert caught.value.detail == "created: required key missing"
    assert str(caught.value) == "Unexpected response (HTTP 201): created: required key missing"
    assert caught.value.body == '{"data": []}'


def test_2xx_with_wrong_types(server: LocalServer, no_retries: Orq) -> None:
    server.enqueue(200, json={"created": 1, "data": [{"url": 7}]})
    with pytest.raises(ResponseValidationError) as caught:
        create(no_retries)
    assert caught.value.detail == "data[0].url: expected string, got 7"


def test_2xx_with_unknown_extra_fields_is_accepted_and_kept(server: LocalServer, no_retries: Orq) -> None:
    body = {
        "created": 1700000000,
        "data": [{"url": "https://example.com/a.png", "seed": 42}],
        "system_fingerprint": "fp_1",
        "provider": {"name": "openai"},
    }
    server.enqueue(200, json=body)
    res = create(no_retries)
    assert isinstance(res, CreateImageResponse)
    assert res.additional_properties == {"system_fingerprint": "fp_1", "provider": {"name": "openai"}}
    assert res["system_fingerprint"] == "fp_1"
    assert res.data[0].additional_properties == {"seed": 42}
    assert res.to_dict() == body
