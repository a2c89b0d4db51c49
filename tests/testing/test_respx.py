"""What the README says about respx and pytest-httpx2: they mock httpx2 too (pytest-httpx2's `httpx2_mock` fixture
is a respx router patching httpcore2), so a user's code that makes its own `Orq()` can be tested with them."""

from __future__ import annotations

import respx
from orq_images import Orq, RateLimitError, RetryConfig
from orq_images.testing import fake_answer

URL = "https://my.orq.ai/v2/router/images/generations"


def test_pytest_httpx2_answers_the_sdk(httpx2_mock: respx.Router) -> None:
    route = httpx2_mock.post(URL).respond(200, json=fake_answer("generations", n=2))
    with Orq("k") as orq:
        res = orq.router.images.generations.create(prompt="a fox", model="openai/gpt-image-1")
    assert len(res.data) == 2
    assert route.call_count == 1
    assert route.calls.last.request.headers["authorization"] == "Bearer k"


def test_pytest_httpx2_errors_map_to_the_sdks_exceptions(httpx2_mock: respx.Router) -> None:
    httpx2_mock.post(URL).respond(429, json={"error": {"type": "rate_limit_error", "message": "slow down"}})
    with Orq("k", retry_config=RetryConfig(max_retries=0)) as orq:
        try:
            orq.router.images.generations.create(prompt="a fox", model="openai/gpt-image-1")
        except RateLimitError as exc:
            assert exc.error is not None and exc.error.message == "slow down"
        else:
            raise AssertionError("no RateLimitError")
