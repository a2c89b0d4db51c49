"""Replay: the client, given a fixture's ``call``, sends exactly its ``request`` and turns its ``response`` into
the expected result or exception (sync and async, on a user-supplied httpx2 client with a MockTransport)."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx2
import pytest

from tests.contract import harness

FIXTURES = harness.load_fixtures()
IDS = [fixture["name"] for fixture in FIXTURES]


def by_name(name: str) -> dict[str, Any]:
    return copy.deepcopy(next(fixture for fixture in FIXTURES if fixture["name"] == name))


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_replay_sync(fixture: dict[str, Any]) -> None:
    problems = harness.replay(fixture)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_replay_async(fixture: dict[str, Any]) -> None:
    problems = asyncio.run(harness.replay_async(fixture))
    assert not problems, "\n".join(problems)


def test_the_seed_call_is_accepted_as_written() -> None:
    """The seed's call, written out as Python (only the import changes), sends the seed's arguments verbatim."""
    from orq_images import Orq

    fixture = by_name("200_seed_call_b64_json_with_usage")
    handler = harness.Recorder(fixture["response"])
    with (
        httpx2.Client(transport=httpx2.MockTransport(handler)) as client,
        Orq(api_key=harness.REPLAY_API_KEY, client=client, strict_responses=True) as orq,
    ):
        res = orq.router.images.generations.create(
            prompt="<value>",
            model="2",
            n=1,
            retry={
                "on_codes": [429, 500, 502, 503, 504],
            },
            cache={
                "ttl": 3600,
                "type": "exact_match",
            },
            load_balancer={
                "type": "weight_based",
                "models": [],
            },
            timeout={
                "call_timeout": 30000,
            },
            orq={
                "retry": {"on_codes": [429, 500, 502, 503, 504]},
                "fallbacks": [{"model": "openai/gpt-4o-mini"}],
                "identity": {
                    "id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
                    "display_name": "Jane Doe",
                    "email": "jane.doe@example.com",
                    "metadata": [{"department": "Engineering", "role": "Senior Developer"}],
                    "logo_url": "https://example.com/avatars/jane-doe.jpg",
                    "tags": ["hr", "engineering"],
                },
                "cache": {"ttl": 3600, "type": "exact_match"},
                "load_balancer": {
                    "type": "weight_based",
                    "models": [
                        {"model": "openai/gpt-4o", "weight": 0.7},
                        {"model": "anthropic/claude-3-5-sonnet", "weight": 0.3},
                    ],
                },
                "timeout": {"call_timeout": 30000},
            },
        )
    assert harness.sent_request_problems(fixture["request"], handler.requests[0]) == []
    assert res.to_dict() == fixture["response"]["body"]
    assert res.data[0].to_bytes().startswith(b"\x89PNG")


def test_error_fixtures_are_not_hidden_by_default_retries() -> None:
    """With the default retry policy a 429 is retried (Retry-After honoured): the replay's retries=None matters."""
    fixture = by_name("429_rate_limited_retry_after")
    fixture["response"]["headers"]["retry-after"] = "0"
    handler = harness.Recorder(fixture["response"])
    from orq_images import Orq, RateLimitError

    with (
        httpx2.Client(transport=httpx2.MockTransport(handler)) as client,
        Orq(api_key=harness.REPLAY_API_KEY, client=client, strict_responses=True) as orq,
        pytest.raises(RateLimitError),
    ):
        orq.router.images.generations.create(**fixture["call"])
    assert len(handler.requests) == 3  # 1 + the default 2 retries


# -- the checks themselves can fail: a tampered fixture is caught, and the message says where -----------------


def test_replay_catches_a_request_body_difference() -> None:
    fixture = by_name("200_seed_call_b64_json_with_usage")
    fixture["request"]["body"]["n"] = 1.0  # the client must send the int it was given; 1.0 is another JSON value
    problems = harness.replay(fixture)
    assert problems == ["request body differs at $.n: expected float 1.0, got int 1"]


def test_replay_catches_a_header_difference() -> None:
    fixture = by_name("200_minimal_call")
    fixture["request"]["headers"]["accept"] = "image/png"
    assert harness.replay(fixture) == ["request header accept: expected 'image/png', sent 'application/json'"]


def test_replay_catches_a_wrong_outcome() -> None:
    fixture = by_name("401_invalid_api_key")
    fixture["expect"]["error"] = "PermissionDeniedError"
    assert harness.replay(fixture)[0].startswith("expected PermissionDeniedError, the call raised AuthenticationError")
    fixture = by_name("401_invalid_api_key")
    fixture["expect"]["attributes"]["error.code"] = "expired_api_key"
    assert harness.replay(fixture) == [
        "AuthenticationError.error.code: expected str 'expired_api_key', got str 'invalid_api_key'"
    ]
    fixture = by_name("200_minimal_call")
    fixture["response"]["body"]["data"] = "nope"
    assert "data: expected array" in harness.replay(fixture)[0]


def test_replay_catches_a_missing_deprecation_warning() -> None:
    fixture = by_name("200_minimal_call")
    fixture["expect"]["warnings"] = [{"category": "DeprecationWarning", "contains": "orq.identity"}]
    assert harness.replay(fixture)[0].startswith("expected a DeprecationWarning mentioning 'orq.identity'")
