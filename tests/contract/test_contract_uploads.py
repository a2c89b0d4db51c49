"""Contract tests of the multipart operations (edits, variations): fixtures in ``uploads/``, replayed on a real server.

Each fixture's ``request.parts`` is the body the reference (shared/reference/orq-api/multipart-wire-2026-08.md)
shows orq-ai-sdk sending for the same call, minus the values that SDK injects and with integers as integers. The
client must send exactly those parts (names, headers, bytes, order); the parts must satisfy the request schema of
the effective spec, and the answer its response schema (openapi-core).

openapi-core 0.23.1 cannot decode these multipart bodies itself: its default part content type reads a property's
``type`` as one string and raises TypeError on OpenAPI 3.1's ``type: [number, "null"]``. So the parts are decoded
here, as the spec's ``encoding`` says (text, JSON, file), and checked with jsonschema against the same schema.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import orq_images
import pytest
import yaml

from tests.contract import harness
from tests.support.multipart import FormPart, parse_form
from tests.support.server import LocalServer

UPLOADS_DIR = Path(__file__).resolve().parent / "uploads"
FIXTURES = harness.load_fixtures(UPLOADS_DIR)
IDS = [fixture["name"] for fixture in FIXTURES]
API_KEY = "sk-orq-contract-uploads-0123456789"
EFFECTIVE = yaml.safe_load(harness.EFFECTIVE_SPEC.read_text(encoding="utf-8"))
METHODS = {
    "createImageEdit": ("edits", "/v2/router/images/edits", "CreateImageEditRequest"),
    "createImageVariation": ("variations", "/v2/router/images/variations", "CreateImageVariationRequest"),
}


def call_arguments(fixture: dict[str, Any]) -> dict[str, Any]:
    """The fixture's call, with the file as the official SDK's dict ({file_name, content})."""
    call = dict(fixture["call"])
    image = call["image"]
    call["image"] = {"file_name": image["file_name"], "content": base64.b64decode(image["content_base64"])}
    return call


def expected_parts(fixture: dict[str, Any]) -> list[tuple[str, str | None, str | None, bytes]]:
    return [
        (
            part["name"],
            part.get("filename"),
            part.get("content_type"),
            base64.b64decode(part["base64"]) if "base64" in part else part["text"].encode(),
        )
        for part in fixture["request"]["parts"]
    ]


def sent_parts(parts: list[FormPart]) -> list[tuple[str, str | None, str | None, bytes]]:
    return [(part.name, part.filename, part.content_type, part.body) for part in parts]


def decoded_body(fixture: dict[str, Any]) -> dict[str, Any]:
    """The request parts as the API reads them: JSON parts parsed, ``name[]`` parts gathered, numbers as numbers."""
    body: dict[str, Any] = {}
    for part in fixture["request"]["parts"]:
        name = part["name"]
        if "base64" in part:
            body[name] = "<file>"
        elif part.get("content_type") == "application/json":
            body[name] = json.loads(part["text"])
        elif name.endswith("[]"):
            body.setdefault(name[:-2], []).append(json.loads(part["text"]))
        else:
            text = part["text"]
            body[name] = json.loads(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
    return body


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_upload_fixtures_say_where_they_come_from(fixture: dict[str, Any]) -> None:
    provenance = fixture["provenance"]
    assert provenance["kind"] in harness.PROVENANCE_KINDS
    assert "multipart-wire-2026-08.md" in provenance["source"]
    assert fixture["request"]["path"] == METHODS[fixture["operation"]][1]


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_upload_fixture_requests_satisfy_the_request_schema(fixture: dict[str, Any]) -> None:
    component = METHODS[fixture["operation"]][2]
    validator = jsonschema.Draft202012Validator({**EFFECTIVE, "$ref": f"#/components/schemas/{component}"})
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(decoded_body(fixture))
    ]
    assert errors == []


def test_the_request_schema_check_can_fail() -> None:
    fixture = next(f for f in FIXTURES if f["name"] == "edits_full_call")
    body = decoded_body(fixture) | {"quality": "hd"}  # generations take hd, edits do not
    validator = jsonschema.Draft202012Validator({**EFFECTIVE, "$ref": "#/components/schemas/CreateImageEditRequest"})
    assert not validator.is_valid(body)


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_upload_fixture_responses_satisfy_the_spec(fixture: dict[str, Any]) -> None:
    assert harness.response_problems(fixture) == []


def check_result(fixture: dict[str, Any], outcome: object) -> None:
    expect = fixture["expect"]
    if "result" in expect:
        assert type(outcome).__name__ == expect["result"]
        assert harness.json_difference(fixture["response"]["body"], outcome.to_dict()) is None  # type: ignore[attr-defined]
        return
    assert type(outcome).__name__ == expect["error"]
    for dotted, value in expect["attributes"].items():
        current: Any = outcome
        for attribute in dotted.split("."):
            current = getattr(current, attribute)
        assert current == value, dotted


def check_request(fixture: dict[str, Any], server: LocalServer) -> None:
    assert len(server.requests) == 1
    sent = server.requests[0]
    request = fixture["request"]
    assert (sent.method, sent.path) == (request["method"], request["path"])
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert sent.headers["accept"] == request["headers"]["accept"]
    assert sent.headers["content-length"] == str(len(sent.body))
    assert sent_parts(parse_form(sent.headers["content-type"], sent.body)) == expected_parts(fixture)


def enqueue(server: LocalServer, fixture: dict[str, Any]) -> None:
    response = fixture["response"]
    server.enqueue(response["status"], json=response["body"], headers=response["headers"])


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_the_client_sends_the_fixture_parts_and_reads_the_answer(fixture: dict[str, Any]) -> None:
    namespace = METHODS[fixture["operation"]][0]
    with LocalServer() as server, orq_images.Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
        enqueue(server, fixture)
        try:
            outcome: object = getattr(orq.router.images, namespace).create(**call_arguments(fixture))
        except orq_images.APIError as exc:
            outcome = exc
        check_request(fixture, server)
    check_result(fixture, outcome)


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_the_async_client_sends_the_fixture_parts_and_reads_the_answer(fixture: dict[str, Any]) -> None:
    namespace = METHODS[fixture["operation"]][0]

    async def main(server: LocalServer) -> object:
        async with orq_images.Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
            try:
                return await getattr(orq.router.images, namespace).create_async(**call_arguments(fixture))
            except orq_images.APIError as exc:
                return exc

    with LocalServer() as server:
        enqueue(server, fixture)
        outcome = asyncio.run(main(server))
        check_request(fixture, server)
    check_result(fixture, outcome)
