"""A paid image is not thrown away over a detail (issue 12): a 2xx answer that departs from the description only
inside an optional part keeps its images; that part is dropped with a `ResponseShapeWarning`. What the result
cannot do without still raises `ResponseValidationError`; `Orq(strict_responses=True)` raises for anything."""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import pathlib
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orq_images import Orq, ResponseShapeWarning, ResponseValidationError
from orq_images._runtime.validation import check_response
from orq_images.types import UNSET

from tests.client.conftest import API_KEY, create, create_async
from tests.support.server import LocalServer

IMAGE = b"\x89PNG a paid image"
USAGE = {
    "input_tokens": 50,
    "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
    "output_tokens": 4160,
    "total_tokens": 4210,
}


def answer(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "created": 1700000000,
        "data": [{"b64_json": base64.b64encode(IMAGE).decode(), "revised_prompt": "a fox"}],
        "usage": copy.deepcopy(USAGE),
    }
    document.update(changes)
    return document


def without_details() -> dict[str, Any]:
    document = answer()
    del document["usage"]["input_tokens_details"]
    return document


def test_usage_without_its_required_details_is_dropped_and_the_image_kept(server: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json=without_details())
    with pytest.warns(ResponseShapeWarning) as caught:
        result = orq.router.images.generations.create(prompt="a fox", model="openai/gpt-image-1")
    assert result.data[0].to_bytes() == IMAGE
    assert result.created == 1700000000
    assert result.usage is UNSET
    (warning,) = caught.list
    message = warning.message
    assert isinstance(message, ResponseShapeWarning)
    assert message.path == "usage"
    assert message.reason == "usage.input_tokens_details: required key missing"
    assert str(message) == (
        "usage was left out of the result: it does not match the API description "
        "(usage.input_tokens_details: required key missing)"
    )
    assert warning.filename == __file__  # it points at the caller's line
    assert len(server.requests) == 1


def test_only_the_smallest_optional_part_is_dropped(server: LocalServer, orq: Orq) -> None:
    document = answer()
    document["usage"]["input_tokens_details"]["image_tokens"] = "forty"
    document["usage"]["total_tokens"] = None
    server.enqueue(200, json=document)
    with pytest.warns(ResponseShapeWarning) as caught:
        result = create(orq)
    assert sorted(str(warning.message.path) for warning in caught.list) == [  # type: ignore[union-attr]
        "usage.input_tokens_details.image_tokens",
        "usage.total_tokens",
    ]
    assert result.usage.to_dict() == {  # type: ignore[union-attr]
        "input_tokens": 50,
        "input_tokens_details": {"text_tokens": 10},
        "output_tokens": 4160,
    }


def test_the_images_survive_with_save_to(server: LocalServer, orq: Orq, tmp_path: pathlib.Path) -> None:
    server.enqueue(200, json=without_details())
    with pytest.warns(ResponseShapeWarning):
        result = create(orq, save_to=tmp_path / "fox.png")
    assert (tmp_path / "fox.png").read_bytes() == IMAGE
    assert result.data[0].saved_to == tmp_path / "fox.png"


def test_async_calls_repair_the_same_way(server: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json=without_details())
    with pytest.warns(ResponseShapeWarning, match="usage was left out"):
        result = asyncio.run(create_async(orq))
    assert result.data[0].to_bytes() == IMAGE
    assert result.usage is UNSET


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        ({k: v for k, v in answer().items() if k != "created"}, "created: required key missing"),
        (answer(created="yesterday"), "created: expected number, got 'yesterday'"),
        ({k: v for k, v in answer().items() if k != "data"}, "data: required key missing"),
        (answer(data={"b64_json": "QUJD"}), "data: expected array"),
        (answer(data=["QUJD"]), "data[0]: expected object"),
        (answer(data=[{"b64_json": 5}]), "data[0].b64_json: expected string, got 5"),
        (answer(data=[{"b64_json": "QUJD", "revised_prompt": 7}]), "data[0].revised_prompt: expected"),
    ],
)
def test_a_fault_in_what_the_result_needs_still_raises(
    server: LocalServer, orq: Orq, document: dict[str, Any], detail: str
) -> None:
    server.enqueue(200, json=document)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and nothing is dropped on the way
        with pytest.raises(ResponseValidationError) as caught:
            create(orq)
    assert caught.value.detail.startswith(detail)
    assert json.loads(caught.value.body) == document


def test_strict_responses_raise_for_a_detail_too(server: LocalServer) -> None:
    server.enqueue(200, json=without_details())
    with (
        Orq(api_key=API_KEY, server_url=server.url, strict_responses=True) as strict,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("error")
        with pytest.raises(ResponseValidationError) as caught:
            create(strict)
    assert caught.value.detail == "usage.input_tokens_details: required key missing"
    assert json.loads(caught.value.body) == without_details()


def test_the_warning_made_an_error_is_a_response_validation_error(server: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json=without_details())
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResponseShapeWarning)
        with pytest.raises(ResponseValidationError) as caught:
            create(orq)
    assert isinstance(caught.value.__cause__, ResponseShapeWarning)
    assert json.loads(caught.value.body) == without_details()


# -- check_response directly: any fault in usage is repaired, any fault elsewhere raises ---------------------------


def schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    from orq_images import _schemas

    return _schemas.RESPONSES["create_image"], _schemas.COMPONENTS


BAD_VALUES = st.one_of(st.none(), st.booleans(), st.text(max_size=3), st.lists(st.integers(), max_size=2), st.just({}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["input_tokens", "input_tokens_details", "output_tokens", "total_tokens", "image_tokens"]),
    value=BAD_VALUES,
    remove=st.booleans(),
)
def test_any_fault_in_usage_drops_part_of_usage_only(key: str, value: object, remove: bool) -> None:
    schema, components = schemas()
    document = answer()
    holder = document["usage"]["input_tokens_details"] if key == "image_tokens" else document["usage"]
    if remove:
        del holder[key]
    else:
        holder[key] = value
    original = copy.deepcopy(document)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        repaired = check_response(document, schema, components, strict=False)
    assert isinstance(repaired, dict)
    assert repaired["created"] == original["created"]
    assert repaired["data"] == original["data"]
    check_response(repaired, schema, components)  # what is left is valid, strictly
    dropped = [warning.message.path for warning in caught if isinstance(warning.message, ResponseShapeWarning)]
    assert all(path.startswith("usage") for path in dropped)
    try:
        check_response(copy.deepcopy(original), schema, components)
    except ValueError:
        assert dropped  # a fault: something was dropped, with a warning
    else:
        assert dropped == [] and repaired == original  # no fault: nothing touched
