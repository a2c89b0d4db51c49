"""The fixtures are well-formed, honest about where they come from, and valid against the effective OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract import harness

FIXTURES = harness.load_fixtures()
IDS = [fixture["name"] for fixture in FIXTURES]
ERROR_STATUSES = {400, 401, 403, 404, 422, 429, 500, 503, 529}


def by_name(name: str) -> dict[str, Any]:
    return next(fixture for fixture in FIXTURES if fixture["name"] == name)


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_fixture_is_well_formed(fixture: dict[str, Any]) -> None:
    assert fixture["operation"] == harness.OPERATION
    provenance = fixture["provenance"]
    assert provenance["kind"] in harness.PROVENANCE_KINDS
    # No live API access was available when these were written: nothing may claim to be a live recording.
    assert provenance["kind"] != "live-recording"
    assert provenance["source"].strip()
    if provenance["kind"] == "documented-example" and "body" in fixture["response"]:
        assert "invented" in provenance["source"], "documented-example responses with made-up values must say so"
    request = fixture["request"]
    assert request["method"] == "POST"
    assert request["path"] == "/v2/router/images/generations"
    headers = {key.lower(): value for key, value in request["headers"].items()}
    assert headers["authorization"] == "Bearer <redacted>"
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    # The body is exactly the call's arguments: the client adds nothing and drops nothing.
    assert harness.json_identical(request["body"], fixture["call"])
    response = fixture["response"]
    assert isinstance(response["status"], int)
    assert ("body" in response) != ("text" in response)
    expect = fixture["expect"]
    assert ("result" in expect) != ("error" in expect)
    if "result" in expect:
        assert expect["result"] == "CreateImageResponse"
        assert 200 <= response["status"] < 300 and "body" in response


def test_the_required_interactions_are_covered() -> None:
    seed = by_name("200_seed_call_b64_json_with_usage")
    assert seed["call"]["load_balancer"] == {"type": "weight_based", "models": []}
    assert seed["response"]["body"]["data"][0].get("b64_json") and "usage" in seed["response"]["body"]
    url = by_name("200_url_with_revised_prompt")["response"]["body"]["data"][0]
    assert url["url"] and url["revised_prompt"]
    assert by_name("200_revised_prompt_null")["response"]["body"]["data"][0]["revised_prompt"] is None
    three = by_name("200_n_3_three_images")
    assert three["call"]["n"] == 3 and len(three["response"]["body"]["data"]) == 3
    assert set(by_name("200_minimal_call")["call"]) == {"prompt", "model"}
    nullable = {"background", "moderation", "n", "output_compression", "output_format", "quality"}
    nullable |= {"response_format", "size", "style"}
    nulls = by_name("200_every_nullable_field_null")["call"]
    assert {key for key, value in nulls.items() if value is None} == nullable
    assert "contact" in by_name("200_deprecated_orq_contact")["call"]["orq"]
    statuses = {fixture["response"]["status"] for fixture in FIXTURES if "error" in fixture["expect"]}
    assert statuses >= ERROR_STATUSES
    rate_limited = [f for f in FIXTURES if f["response"]["status"] == 429]
    assert any(harness.header(f["response"]["headers"], "retry-after") for f in rate_limited)
    assert "text" in by_name("200_malformed_json")["response"]
    assert "created" not in by_name("200_missing_created")["response"]["body"]
    assert by_name("200_unknown_response_fields")["expect"] == {"result": "CreateImageResponse"}


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_request_validates_against_the_effective_spec(fixture: dict[str, Any]) -> None:
    problems = harness.request_problems(fixture)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "fixture", [f for f in FIXTURES if f["provenance"]["kind"] != "fault-model"], ids=lambda f: f["name"]
)
def test_documented_response_validates_against_the_effective_spec(fixture: dict[str, Any]) -> None:
    assert harness.response_should_validate(fixture)
    problems = harness.response_problems(fixture)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "fixture", [f for f in FIXTURES if f["provenance"]["kind"] == "fault-model"], ids=lambda f: f["name"]
)
def test_fault_response_validates_exactly_when_it_should(fixture: dict[str, Any]) -> None:
    """Faults with a documented status (4XX/5XX, unknown fields) are valid answers; malformed 200s are not."""
    problems = harness.response_problems(fixture)
    if harness.response_should_validate(fixture):
        assert not problems, "\n".join(problems)
    else:
        assert problems, f"{fixture['name']} is meant to break the response contract, but it validates"


def test_malformed_bodies_fail_validation_for_the_right_reason() -> None:
    malformed = harness.response_problems(by_name("200_malformed_json"))
    assert any("Deserialize" in line or "JSON" in line or "Expecting" in line for line in malformed), malformed
    missing = harness.response_problems(by_name("200_missing_created"))
    assert any("'created' is a required property" in line for line in missing), missing


def test_the_validator_rejects_a_request_that_breaks_the_spec() -> None:
    """Guard against a validator that accepts everything (wrong path, wrong server, no body checks)."""
    fixture = by_name("200_minimal_call")
    broken = {**fixture, "request": {**fixture["request"], "body": {"prompt": "x", "model": "m", "n": 0}}}
    assert any("n" in line for line in harness.request_problems(broken))
    unknown = {**fixture, "request": {**fixture["request"], "body": {"prompt": "x", "model": "m", "colour": "red"}}}
    assert harness.request_problems(unknown)
    headers = {"content-type": "application/json", "accept": "application/json"}
    anonymous = {**fixture, "request": {**fixture["request"], "headers": headers}}
    assert harness.request_problems(anonymous), "a request without Authorization must fail the security check"
