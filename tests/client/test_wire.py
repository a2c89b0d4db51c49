"""What goes on the wire: the headers, and exactly the arguments that were set (as they were set)."""

from __future__ import annotations

import pathlib
import platform
import re
import tomllib
from typing import Any

import orq_images
import pytest
from orq_images import Orq
from orq_images.models import (
    CachePolicy,
    FallbackModel,
    Identity,
    IdentityMetadataItem,
    OrqOptions,
    RequestMetadata,
    RetryPolicy,
    TimeoutPolicy,
    WeightBasedLoadBalancer,
    WeightedModel,
)

from tests.client.conftest import API_KEY, MINIMAL, PATH, SEED_ARGS, create, only_request, wire_json
from tests.support.server import LocalServer

NULLABLE = ["background", "moderation", "n", "output_compression", "output_format", "quality"]
NULLABLE += ["response_format", "size", "style"]

# -- headers ---------------------------------------------------------------------------------------------------------


def test_headers(server: LocalServer, orq: Orq) -> None:
    create(orq)
    request = only_request(server)
    assert request.method == "POST"
    assert request.path == PATH
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-length"] == str(len(request.body))


def test_version_is_the_project_version() -> None:
    pyproject = tomllib.loads((pathlib.Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert orq_images.__version__ == pyproject["project"]["version"]


def test_user_agent_on_the_wire(server: LocalServer, orq: Orq) -> None:
    create(orq)
    user_agent = only_request(server).headers["user-agent"]
    assert user_agent == f"orq-images/{orq_images.__version__} python/{platform.python_version()}"
    assert re.fullmatch(r"orq-images/\d+\.\d+\.\d+\S* python/\d+\.\d+\.\d+", user_agent)


def test_http_headers_per_call_are_added(server: LocalServer, orq: Orq) -> None:
    create(orq, http_headers={"X-Trace-Id": "trace-1", "X-Team": "imaging"})
    create(orq)
    first, second = server.requests
    assert first.headers["x-trace-id"] == "trace-1"
    assert first.headers["x-team"] == "imaging"
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    assert first.headers["content-type"] == "application/json"
    assert first.headers["user-agent"].startswith("orq-images/")
    assert "x-trace-id" not in second.headers  # for that call only


# -- the body --------------------------------------------------------------------------------------------------------


def test_only_what_was_set_is_sent(server: LocalServer, orq: Orq) -> None:
    create(orq)
    assert only_request(server).body == b'{"prompt":"a lighthouse at dusk","model":"openai/gpt-image-1"}'


@pytest.mark.parametrize("field", NULLABLE)
def test_explicit_none_on_a_nullable_field_is_sent_as_null(server: LocalServer, orq: Orq, field: str) -> None:
    create(orq, **{field: None})
    request = only_request(server)
    assert request.json == {**MINIMAL, field: None}
    assert request.body.endswith(f',"{field}":null}}'.encode())


def test_all_nullable_fields_as_null_at_once(server: LocalServer, orq: Orq) -> None:
    create(orq, **dict.fromkeys(NULLABLE))
    assert only_request(server).json == {**MINIMAL, **dict.fromkeys(NULLABLE)}


@pytest.mark.parametrize(
    "field", ["metadata", "name", "fallbacks", "retry", "cache", "load_balancer", "timeout", "orq"]
)
def test_none_on_a_non_nullable_field_means_omitted(server: LocalServer, orq: Orq, field: str) -> None:
    create(orq, **{field: None})
    assert only_request(server).json == MINIMAL


def test_every_top_level_field_is_sent_as_given(server: LocalServer, orq: Orq) -> None:
    arguments: dict[str, Any] = {
        "background": "transparent",
        "moderation": "low",
        "n": 2,
        "output_compression": 80,
        "output_format": "webp",
        "quality": "high",
        "response_format": "b64_json",
        "size": "1024x1536",
        "style": "natural",
        "metadata": {"team": "imaging", "ticket": "IMG-42"},
        "name": "poster run",
        "fallbacks": [{"model": "openai/dall-e-3"}, {"model": "openai/dall-e-2"}],
        "retry": {"count": 3, "on_codes": [429, 503]},
        "cache": {"type": "exact_match", "ttl": 600},
        "load_balancer": {"type": "weight_based", "models": [{"model": "a/b", "weight": 0.25}]},
        "timeout": {"call_timeout": 45000},
    }
    create(orq, **arguments)
    request = only_request(server)
    assert request.body == wire_json({**MINIMAL, **arguments})


def test_ints_stay_ints_and_floats_stay_floats(server: LocalServer, orq: Orq) -> None:
    create(
        orq,
        n=3,
        retry={"count": 3, "on_codes": [429]},
        cache={"type": "exact_match", "ttl": 3600},
        timeout={"call_timeout": 30000},
        orq={"load_balancer": {"type": "weight_based", "models": [{"model": "x/y", "weight": 1}]}},
    )
    body = only_request(server).body
    assert b'"n":3,' in body
    assert b'"retry":{"count":3,"on_codes":[429]}' in body
    assert b'"ttl":3600}' in body
    assert b'"call_timeout":30000}' in body
    assert b'"weight":1}' in body
    assert b".0" not in body

    server.reset()
    create(orq, retry={"count": 2.5, "on_codes": [429.0]}, load_balancer={"type": "weight_based", "models": []})
    assert b'"retry":{"count":2.5,"on_codes":[429.0]}' in only_request(server).body  # a float stays a float too


def test_no_defaults_are_injected(server: LocalServer, orq: Orq) -> None:
    orq.router.images.generations.create(**SEED_ARGS)
    sent = only_request(server).json
    assert "count" not in sent["retry"]
    assert "count" not in sent["orq"]["retry"]
    assert "ttl" not in sent.get("timeout", {})
    assert set(sent) == set(SEED_ARGS)
    assert sent["load_balancer"] == {"type": "weight_based", "models": []}

    server.reset()
    create(orq, retry={"on_codes": [429]}, load_balancer={"type": "weight_based", "models": [{"model": "a/b"}]})
    sent = only_request(server).json
    assert "n" not in sent
    assert sent["retry"] == {"on_codes": [429]}
    assert sent["load_balancer"] == {"type": "weight_based", "models": [{"model": "a/b"}]}


def _seed_orq_as_models() -> OrqOptions:
    identity = SEED_ARGS["orq"]["identity"]
    metadata_item = IdentityMetadataItem()
    metadata_item.additional_properties = dict(identity["metadata"][0])
    return OrqOptions(
        retry=RetryPolicy(on_codes=[429, 500, 502, 503, 504]),
        fallbacks=[FallbackModel(model="openai/gpt-4o-mini")],
        identity=Identity(
            id=identity["id"],
            display_name=identity["display_name"],
            email=identity["email"],
            metadata=[metadata_item],
            logo_url=identity["logo_url"],
            tags=["hr", "engineering"],
        ),
        cache=CachePolicy(ttl=3600, type_="exact_match"),
        load_balancer=WeightBasedLoadBalancer(
            type_="weight_based",
            models=[
                WeightedModel(model="openai/gpt-4o", weight=0.7),
                WeightedModel(model="anthropic/claude-3-5-sonnet", weight=0.3),
            ],
        ),
        timeout=TimeoutPolicy(call_timeout=30000),
    )


def test_models_are_accepted_instead_of_dicts_and_sent_identically(server: LocalServer, orq: Orq) -> None:
    metadata = RequestMetadata()
    metadata["team"] = "imaging"
    models: dict[str, Any] = {
        "metadata": metadata,
        "fallbacks": [FallbackModel(model="openai/dall-e-3")],
        "retry": RetryPolicy(count=3, on_codes=[429, 503]),
        "cache": CachePolicy(type_="exact_match", ttl=3600),
        "load_balancer": WeightBasedLoadBalancer(type_="weight_based", models=[WeightedModel(model="a/b", weight=1)]),
        "timeout": TimeoutPolicy(call_timeout=30000),
        "orq": _seed_orq_as_models(),
    }
    # The same values as dicts, keys in the order the models write them.
    orq_dict = dict(SEED_ARGS["orq"])
    orq_dict["cache"] = {"type": "exact_match", "ttl": 3600}
    dicts: dict[str, Any] = {
        "metadata": {"team": "imaging"},
        "fallbacks": [{"model": "openai/dall-e-3"}],
        "retry": {"count": 3, "on_codes": [429, 503]},
        "cache": {"type": "exact_match", "ttl": 3600},
        "load_balancer": {"type": "weight_based", "models": [{"model": "a/b", "weight": 1}]},
        "timeout": {"call_timeout": 30000},
        "orq": orq_dict,
    }
    create(orq, **models)
    create(orq, **dicts)
    from_models, from_dicts = server.requests
    assert from_models.body == from_dicts.body == wire_json({**MINIMAL, **dicts})
    assert b'"count":3,' in from_models.body


def test_models_and_dicts_mix(server: LocalServer, orq: Orq) -> None:
    create(orq, orq={"identity": Identity(id="u-1", tags=["a"]), "retry": {"count": 2}})
    assert only_request(server).json["orq"] == {"identity": {"id": "u-1", "tags": ["a"]}, "retry": {"count": 2}}


def test_unicode_is_sent_as_utf8(server: LocalServer, orq: Orq) -> None:
    create(orq, prompt='un phare « la nuit » 🌊 "quoted"')
    request = only_request(server)
    assert request.json["prompt"] == 'un phare « la nuit » 🌊 "quoted"'
    assert "« la nuit » 🌊".encode() in request.body
