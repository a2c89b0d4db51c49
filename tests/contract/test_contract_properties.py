"""Property tests: bodies generated from the effective spec's schemas (hypothesis-jsonschema).

- any valid CreateImageRequest, passed as keyword arguments, is sent exactly (JSON-equal, kinds kept: ints stay ints);
- any valid CreateImageResponse is parsed, and ``to_dict()`` gives the body back;
- a valid request changed in one place (wrong type, out of range, not in the enum, unknown key, missing required
  key) is rejected by the client with RequestValidationError naming that place, and nothing is sent;
- a valid response changed in one place is refused with ResponseValidationError.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from orq_images.errors import RequestValidationError, ResponseValidationError

from tests.contract import harness, schemas

CONTRACT = schemas.CONTRACT

REQUEST_SCHEMA = schemas.schema_of("CreateImageRequest")
RESPONSE_SCHEMA = schemas.schema_of("CreateImageResponse")
requests = schemas.strategy("CreateImageRequest")
responses = schemas.strategy("CreateImageResponse")
MINIMAL = {"prompt": "a red fox", "model": "openai/gpt-image-1"}


def call(body: dict[str, Any], response: dict[str, Any] | None = None) -> tuple[harness.Recorder, object]:
    """Call ``create`` with ``body`` as keyword arguments; return the handler and the result or exception."""
    handler = harness.Recorder(response or {"status": 200, "body": {"created": 1, "data": []}})
    orq = harness.make_client(handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome: object = orq.router.images.generations.create(**body)
        except Exception as exc:
            outcome = exc
    orq.close()
    handler.close()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    uses_contact = isinstance(body.get("orq"), dict) and "contact" in body["orq"]
    if not isinstance(outcome, RequestValidationError):  # refused arguments may stop before the warning
        assert bool(deprecations) == uses_contact, [str(w.message) for w in deprecations]
    return handler, outcome


def as_fixture(response: dict[str, Any]) -> dict[str, Any]:
    """A fixture-shaped dict of the minimal call and ``response``, for the openapi-core checks."""
    request = {"method": "POST", "path": "/v2/router/images/generations", "body": MINIMAL}
    request["headers"] = {"authorization": "Bearer <redacted>", "content-type": "application/json"}
    return {"request": request, "response": response}


@CONTRACT
@given(body=requests)
def test_any_valid_request_is_sent_exactly(body: dict[str, Any]) -> None:
    handler, outcome = call(body)
    assert not isinstance(outcome, Exception), f"{type(outcome).__name__}: {outcome}"
    assert len(handler.requests) == 1
    sent = handler.requests[0]
    assert harness.json_difference(body, json.loads(sent.content)) is None
    recorded = {
        "method": "POST",
        "path": "/v2/router/images/generations",
        "headers": {"authorization": "Bearer <redacted>", "content-type": "application/json"},
        "body": body,
    }
    assert harness.sent_request_problems(recorded, sent) == []
    # what the client sent is what the contract validator (openapi-core) accepts
    problems = harness.request_problems({"request": recorded})
    assert problems == [], "\n".join(problems)


@CONTRACT
@given(body=responses)
def test_any_valid_response_parses_and_round_trips(body: dict[str, Any]) -> None:
    response = {"status": 200, "headers": {"content-type": "application/json"}, "body": body}
    problems = harness.response_problems(as_fixture(response))
    assert problems == [], "\n".join(problems)  # the contract validator (openapi-core) agrees it is valid
    handler, outcome = call(dict(MINIMAL), response)
    assert not isinstance(outcome, Exception), f"{type(outcome).__name__}: {outcome}"
    assert type(outcome).__name__ == "CreateImageResponse"
    assert harness.json_difference(body, outcome.to_dict()) is None  # type: ignore[attr-defined]
    assert len(outcome.data) == len(body["data"])  # type: ignore[attr-defined]
    from orq_images.models import CreateImageResponse

    assert harness.json_difference(body, CreateImageResponse.from_dict(body).to_dict()) is None


@st.composite
def invalid_requests(draw: st.DrawFn) -> tuple[dict[str, Any], schemas.Mutation]:
    body = draw(requests)
    injected = schemas.injected_mutations()
    found = schemas.mutations(body, REQUEST_SCHEMA)
    mutation = draw(st.sampled_from(found + injected))
    mutated = schemas.apply_injected(body, mutation) if mutation in injected else mutation.apply(body)
    return mutated, mutation


@CONTRACT
@given(case=invalid_requests())
def test_an_invalid_request_is_refused_before_sending(case: tuple[dict[str, Any], schemas.Mutation]) -> None:
    body, mutation = case
    assert not schemas.is_valid(body, REQUEST_SCHEMA), f"the mutation {mutation} left the body valid"
    handler, outcome = call(body)
    assert isinstance(outcome, RequestValidationError), f"{mutation}: the client returned {outcome!r}"
    assert handler.requests == [], f"{mutation}: {len(handler.requests)} request(s) sent"
    assert outcome.path == mutation.client_path, f"{mutation}: the error names {outcome.path!r} ({outcome})"
    # ... and the contract validator (openapi-core) refuses it too
    recorded = {"method": "POST", "path": "/v2/router/images/generations", "body": body}
    recorded["headers"] = {"authorization": "Bearer <redacted>", "content-type": "application/json"}
    assert harness.request_problems({"request": recorded}), f"{mutation}: openapi-core accepts it"


@st.composite
def invalid_responses(draw: st.DrawFn) -> tuple[dict[str, Any], schemas.Mutation]:
    body = draw(responses)
    found = [m for m in schemas.mutations(body, RESPONSE_SCHEMA) if m.kind != "missing-required"]
    found += [schemas.Mutation("missing-required", (name,)) for name in RESPONSE_SCHEMA["required"]]
    mutation = draw(st.sampled_from(found))
    return mutation.apply(body), mutation


@CONTRACT
@given(case=invalid_responses())
def test_an_invalid_response_is_refused(case: tuple[dict[str, Any], schemas.Mutation]) -> None:
    body, mutation = case
    assert not schemas.is_valid(body, RESPONSE_SCHEMA), f"the mutation {mutation} left the body valid"
    response = {"status": 200, "headers": {"content-type": "application/json"}, "body": body}
    assert harness.response_problems(as_fixture(response)), f"{mutation}: openapi-core accepts it"
    handler, outcome = call(dict(MINIMAL), response)
    assert isinstance(outcome, ResponseValidationError), f"{mutation}: the client returned {outcome!r}"
    assert mutation.client_path in outcome.detail, f"{mutation}: {outcome.detail}"
    assert len(handler.requests) == 1


@pytest.mark.parametrize("mutation", schemas.injected_mutations(), ids=str)
def test_each_kind_of_invalid_request_is_refused(mutation: schemas.Mutation) -> None:
    """The injected mutations, one by one (so each kind is exercised whatever hypothesis draws)."""
    body = schemas.apply_injected(dict(MINIMAL), mutation)
    assert not schemas.is_valid(body, REQUEST_SCHEMA)
    handler, outcome = call(body)
    assert isinstance(outcome, RequestValidationError), repr(outcome)
    assert handler.requests == []
    assert outcome.path == mutation.client_path
