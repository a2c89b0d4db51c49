"""orq_images.testing used as a user would, in their own pytest tests: no network, canned answers and errors."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from orq_images import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Orq,
    RateLimitError,
    RetryConfig,
)
from orq_images._runtime import fake_router
from orq_images.models import CreateImageResponse
from orq_images.testing import (
    FAKE_IMAGE_HOST,
    FakeRouter,
    fake_answer,
    fake_response,
    operation_names,
    skip_retry_sleeps,
)

from tests.testing.pngcheck import decode_png

FOX = {"prompt": "a red fox", "model": "openai/gpt-image-1"}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every attempt to open a socket connection or resolve a name fails the test (and is recorded)."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError(f"the test reached for the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == []


@pytest.fixture
def router(no_network: list[object]) -> FakeRouter:
    return FakeRouter()


def make_thumbnail(orq: Orq, prompt: str) -> bytes:
    """The kind of user code under test."""
    res = orq.router.images.generations.create(prompt=prompt, model="openai/gpt-image-1", size="1024x1024")
    return res.data[0].to_bytes()


def test_a_users_function_gets_a_real_png_without_a_network(router: FakeRouter) -> None:
    with router.orq() as orq:
        png = make_thumbnail(orq, "a red fox")
    assert decode_png(png).width == 8
    [seen] = router.requests
    assert seen.operation == "generations"
    assert seen.method == "POST"
    assert seen.json == {"prompt": "a red fox", "model": "openai/gpt-image-1", "size": "1024x1024"}
    assert seen.headers["authorization"] == "Bearer test-key"


def test_the_default_answer_follows_the_request(router: FakeRouter) -> None:
    with router.orq() as orq:
        three = orq.router.images.generations.create(**FOX, n=3)
        urls = orq.router.images.generations.create(**FOX, response_format="url")
        image = httpx2.Client(transport=router.transport).get(urls.data[0].url)
    assert len(three.data) == 3
    assert len({item.b64_json for item in three.data}) == 3  # each image of an answer differs
    assert urls.data[0].url.startswith("https://my.orq.ai/_images/")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert decode_png(image.content).height == 8
    assert [seen.operation for seen in router.requests] == ["generations", "generations"]  # image GETs not counted


def test_queued_errors_raise_the_sdks_exceptions_in_order(router: FakeRouter) -> None:
    router.fail("generations", 400, "Invalid size", code="invalid_size", param="size")
    router.fail("create_image", 401)  # the operation's module name works too
    router.respond("/v2/router/images/generations", {"created": 5, "data": [{"url": "https://cdn.example/x.png"}]})
    with router.orq() as orq:
        with pytest.raises(BadRequestError) as bad:
            orq.router.images.generations.create(**FOX)
        with pytest.raises(AuthenticationError) as unauthorised:
            orq.router.images.generations.create(**FOX)
        answered = orq.router.images.generations.create(**FOX)
    assert bad.value.error is not None
    assert (bad.value.error.type, bad.value.error.code, bad.value.error.param) == (
        "invalid_request_error",
        "invalid_size",
        "size",
    )
    assert unauthorised.value.error is not None and unauthorised.value.error.type == "authentication_error"
    assert answered.created == 5 and answered.data[0].url == "https://cdn.example/x.png"


def test_retries_happen_at_once_and_their_waits_are_recorded(router: FakeRouter) -> None:
    router.fail("generations", 429, headers={"Retry-After": "30"})
    router.fail("generations", 503)
    with router.orq(skip_sleeps=False, retry_config=RetryConfig(max_retries=2, initial_delay=5.0)) as orq:
        waits = skip_retry_sleeps(orq)
        res = orq.router.images.generations.create(**FOX)
    assert isinstance(res, CreateImageResponse)
    assert len(router.requests) == 3
    assert waits[0] == 30.0 and 0 <= waits[1] <= 10.0


def test_errors_that_outlast_the_retries_are_raised(router: FakeRouter) -> None:
    for _ in range(3):
        router.fail("generations", 429)
    router.fail_connection("generations")
    router.time_out("generations")
    with router.orq(retry_config=RetryConfig(max_retries=2)) as orq, pytest.raises(RateLimitError):
        orq.router.images.generations.create(**FOX)
    with router.orq(retry_config=None) as orq:
        with pytest.raises(APIConnectionError) as dropped:
            orq.router.images.generations.create(**FOX)
        with pytest.raises(APITimeoutError):
            orq.router.images.generations.create(**FOX)
    assert not isinstance(dropped.value, APITimeoutError)
    assert len(router.requests) == 5


def test_async_calls_use_the_same_router(router: FakeRouter) -> None:
    router.fail("generations", 503)

    async def main() -> list[CreateImageResponse]:
        async with router.orq() as orq:
            calls = [orq.router.images.generations.create_async(**FOX, n=2) for _ in range(3)]
            return list(await asyncio.gather(*calls))

    results = asyncio.run(main())
    assert [len(res.data) for res in results] == [2, 2, 2]
    assert len(router.requests) == 4  # one of the three was answered 503 first, then retried


def test_the_router_checks_what_the_sdk_would_not_send(router: FakeRouter) -> None:
    client = router.client()
    url = "https://my.orq.ai/v2/router/images/generations"
    no_key = client.post(url, json=FOX)
    invalid = client.post(url, json={"prompt": "x"}, headers={"Authorization": "Bearer k"})
    nowhere = client.post("https://my.orq.ai/v2/router/nothing", json=FOX, headers={"Authorization": "Bearer k"})
    assert no_key.status_code == 401
    assert no_key.json()["error"]["type"] == "authentication_error"
    assert set(no_key.json()["error"]) == {"type", "message", "code", "param"}
    assert invalid.status_code == 400 and invalid.json()["error"]["param"] == "model"
    assert nowhere.status_code == 404
    assert router.requests[-1].operation is None


def test_an_unknown_operation_is_refused_at_once_naming_the_choices() -> None:
    with pytest.raises(KeyError, match="generations"):
        FakeRouter().fail("generation", 500)


def test_factories_give_valid_models_with_real_pngs(no_network: list[object]) -> None:
    res = fake_response("generations", n=2)
    assert isinstance(res, CreateImageResponse)
    assert [decode_png(item.to_bytes()).width for item in res.data] == [8, 8]
    as_urls = fake_answer("generations", response_format="url")
    assert as_urls["data"][0]["url"].startswith(FAKE_IMAGE_HOST + "/_images/")
    assert fake_answer("generations", prompt="a") != fake_answer("generations", prompt="b")


@pytest.mark.parametrize("operation", fake_router.operations(), ids=lambda op: op.name)
def test_every_generated_operation_is_served_with_a_valid_answer(operation: fake_router.Operation) -> None:
    """Operations are found in the generated package, so one added to the description is served too."""
    assert operation.short_name in operation_names()
    for response_format in ("b64_json", "url"):
        value = fake_answer(operation.name, n=2, response_format=response_format)
        operation.parse_response(value)  # raises when the answer does not fit the response schema


def test_operations_are_those_of_the_generated_api_modules() -> None:
    from orq_images.api.images import create_image

    found = {(op.method, op.path) for op in fake_router.operations()}
    assert (create_image.METHOD, create_image.PATH) in found


def test_multipart_uploads_are_read_as_the_schema_describes() -> None:
    """How uploads (edits, variations) are checked: built with httpx2 the way a client sends them."""
    operation = fake_router.find("generations")
    request = httpx2.Request(
        "POST",
        "https://my.orq.ai" + operation.path,
        data={"prompt": "a fox", "model": "m", "n": "2", "metadata": '{"team": "a"}'},
        files={"image": ("fox.png", b"\x89PNG...")},
    )
    headers = {name.lower(): value for name, value in request.headers.items()}
    with pytest.raises(fake_router.Rejected) as rejected:  # generations takes no image: named as an unknown key
        fake_router.read_request(operation, headers, request.read())
    assert rejected.value.status == 400 and rejected.value.body["error"]["param"] == "image"
    fields = fake_router._form_fields(headers["content-type"], request.read())
    value = fake_router._form_value(fields, operation)
    assert value == {"prompt": "a fox", "model": "m", "n": 2, "metadata": {"team": "a"}, "image": "fox.png"}


def test_a_damaged_multipart_body_is_a_400() -> None:
    operation = fake_router.find("generations")
    headers = {"content-type": "multipart/form-data; boundary=xyz", "authorization": "Bearer k"}
    with pytest.raises(fake_router.Rejected) as rejected:
        fake_router.read_request(operation, headers, b"no parts here")
    assert rejected.value.status == 400
