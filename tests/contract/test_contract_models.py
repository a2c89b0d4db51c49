"""The generated models and TypedDicts agree with the effective spec.

- every model whose schema is a component round-trips any valid instance: ``from_dict(x).to_dict()`` is ``x``
  (kinds kept, unknown keys kept where the schema allows them);
- passing model objects instead of dicts sends exactly the same request (fixtures and generated bodies);
- every ``<Name>Param`` TypedDict has the schema's keys, with the schema's required ones marked ``Required``.
"""

from __future__ import annotations

import importlib
import inspect
import re
import typing
import warnings
from typing import Any

import httpx2
import orq_images.models as models
import orq_images.params as params
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images.errors import RequestValidationError

from tests.contract import harness, schemas
from tests.contract.schemas import CONTRACT

COMPONENTS = schemas.components()
MODEL_COMPONENTS = sorted(
    name
    for name, schema in COMPONENTS.items()
    if inspect.isclass(getattr(models, name, None)) and hasattr(getattr(models, name), "from_dict")
)
# Multipart bodies hold files (bytes), which have no JSON form: their wire form is tested in tests/client/test_uploads*.
JSON_MODELS = sorted(
    name
    for name in MODEL_COMPONENTS
    if not any(sub.get("$ref", "").endswith("/ImageFile") for sub in COMPONENTS[name].get("properties", {}).values())
)
ENUM_COMPONENTS = sorted(
    name for name, schema in COMPONENTS.items() if "enum" in schema and getattr(models, name, None) is not None
)
FIXTURES = [f for f in harness.load_fixtures() if "result" in f["expect"]]


# Error bodies are parsed by the runtime (orq_images.ErrorDetail, held by APIStatusError.error), not by models.
ERROR_ONLY = {"ErrorResponse", "ErrorDetail"}


def test_every_object_component_has_a_model_except_the_error_bodies() -> None:
    objects = {name for name, schema in COMPONENTS.items() if schema.get("type") == "object"}
    assert objects - ERROR_ONLY <= set(MODEL_COMPONENTS), objects - ERROR_ONLY - set(MODEL_COMPONENTS)
    assert not ERROR_ONLY & set(dir(models))
    enums = {name for name, schema in COMPONENTS.items() if "enum" in schema and schema.get("type") == "string"}
    assert enums <= set(ENUM_COMPONENTS), enums - set(ENUM_COMPONENTS)


@pytest.mark.parametrize("name", JSON_MODELS)
@settings(CONTRACT, max_examples=max(1, CONTRACT.max_examples // 2))
@given(data=st.data())
def test_models_round_trip_any_valid_instance(name: str, data: st.DataObject) -> None:
    value = data.draw(schemas.strategy(name), label=name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # OrqOptions / CreateImageRequest with orq.contact
        model = getattr(models, name).from_dict(value)
    difference = harness.json_difference(value, model.to_dict())
    assert difference is None, difference
    text = repr(model)
    assert text.startswith(f"{name}(") and "\n" not in text


@pytest.mark.parametrize("name", ENUM_COMPONENTS)
def test_enums_hold_exactly_the_spec_values(name: str) -> None:
    """String enums are generated as ``Literal`` types with a ``check_<name>`` function."""
    values = COMPONENTS[name]["enum"]
    assert sorted(typing.get_args(getattr(models, name))) == sorted(values)
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    module = importlib.import_module(f"orq_images.models.{snake}")
    check = getattr(module, f"check_{snake}")
    assert getattr(module, f"{snake.upper()}_VALUES") == set(values)
    for value in values:
        assert check(value) == value
    with pytest.raises(TypeError):
        check("definitely-not-a-member")


def send_with_models(body: dict[str, Any]) -> tuple[harness.Recorder, object]:
    """Call create with the attributes of ``CreateImageRequest.from_dict(body)`` (models, enums) as arguments."""
    handler = harness.Recorder({"status": 200, "body": {"created": 1, "data": []}})
    orq = harness.make_client(handler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        request = models.CreateImageRequest.from_dict(body)
        kwargs = {key: getattr(request, key) for key in body}
        try:
            outcome: object = orq.router.images.generations.create(**kwargs)
        except Exception as exc:
            outcome = exc
    orq.close()
    handler.close()
    return handler, outcome


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["name"] for f in FIXTURES])
def test_model_arguments_send_the_fixture_request(fixture: dict[str, Any]) -> None:
    handler, outcome = send_with_models(fixture["call"])
    assert not isinstance(outcome, Exception), repr(outcome)
    assert harness.sent_request_problems(fixture["request"], handler.requests[0]) == []


@CONTRACT
@given(body=schemas.strategy("CreateImageRequest"))
def test_model_arguments_send_any_valid_request_exactly(body: dict[str, Any]) -> None:
    handler, outcome = send_with_models(body)
    assert not isinstance(outcome, Exception), repr(outcome)
    sent = handler.requests[0]
    assert isinstance(sent, httpx2.Request)
    assert harness.json_difference(body, httpx2.Response(200, content=sent.content).json()) is None


PARAM_CLASSES = sorted(name for name in dir(params) if name.endswith("Param") and name[: -len("Param")] in COMPONENTS)


ANSWER_MODELS = [
    "CreateImageResponse",
    "ImageUploadResponse",
    "GeneratedImage",
    "ImageUsage",
    "ImageInputTokensDetails",
]


def test_every_object_a_request_holds_has_a_param_typeddict_and_no_other_does() -> None:
    objects = {name for name, schema in COMPONENTS.items() if schema.get("type") == "object" and "properties" in schema}
    answers_only = set(ANSWER_MODELS) | ERROR_ONLY
    assert {f"{name}Param" for name in objects - answers_only} == set(PARAM_CLASSES)


@pytest.mark.parametrize("name", ANSWER_MODELS)
def test_answer_models_leave_the_shape_to_the_validator(name: str) -> None:
    # One owner per rule: parse_response runs check_response first, so from_dict of a model only answers hold
    # checks nothing (no closed-schema key check, no enum, no discriminator) and cannot disagree with it.
    source = inspect.getsource(getattr(models, name).from_dict)
    assert "raise" not in source
    assert "Enum" not in source


@pytest.mark.parametrize("name", PARAM_CLASSES)
def test_param_typeddicts_match_the_spec(name: str) -> None:
    schema = COMPONENTS[name[: -len("Param")]]
    annotations: dict[str, Any] = getattr(params, name).__annotations__
    assert list(annotations) == sorted(schema["properties"], key=list(annotations).index)
    assert set(annotations) == set(schema["properties"])
    texts = {key: getattr(value, "__forward_arg__", str(value)) for key, value in annotations.items()}
    required = {key for key, text in texts.items() if text.startswith("Required[")}
    optional = {key for key, text in texts.items() if text.startswith("NotRequired[")}
    assert required == set(schema.get("required", []))
    assert optional == set(annotations) - required


CLOSED_MODELS = sorted(name for name in JSON_MODELS if COMPONENTS[name].get("additionalProperties") is False)
OPEN_MODELS = sorted(name for name in JSON_MODELS if COMPONENTS[name].get("additionalProperties") is not False)


@pytest.mark.parametrize("name", CLOSED_MODELS)
@settings(CONTRACT, max_examples=10)
@given(data=st.data())
def test_closed_models_refuse_unknown_keys(name: str, data: st.DataObject) -> None:
    """``additionalProperties: false`` in the spec: ``from_dict`` refuses a key the schema does not know."""
    value = data.draw(schemas.strategy(name), label=name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match="unexpected_key"):
            getattr(models, name).from_dict({**value, "unexpected_key": 1})


@pytest.mark.parametrize("name", OPEN_MODELS)
@settings(CONTRACT, max_examples=10)
@given(data=st.data())
def test_open_models_keep_unknown_keys_as_items(name: str, data: st.DataObject) -> None:
    """Unknown keys (allowed by the schema) are kept, readable and writable as items, and round-trip."""
    value = data.draw(schemas.strategy(name), label=name)
    model = getattr(models, name).from_dict({**value, "x_future_field": [1, "two"]})
    assert "x_future_field" in model and model["x_future_field"] == [1, "two"]
    assert "x_future_field" in model.additional_keys
    model["x_other"] = None
    assert model.to_dict()["x_other"] is None
    del model["x_other"], model["x_future_field"]
    assert harness.json_difference(value, model.to_dict()) is None


NULLABLE_ENUMS = ["background", "moderation", "output_format", "quality", "response_format", "style"]


@pytest.mark.parametrize("value", ["not-in-the-enum", 5])
@pytest.mark.parametrize("field", NULLABLE_ENUMS)
def test_a_request_model_holding_a_value_outside_the_enum_is_refused_when_sent(field: str, value: object) -> None:
    """``from_dict`` keeps a value it does not know (lenient parsing), but the client never sends it."""
    handler, outcome = send_with_models({"prompt": "p", "model": "m", field: value})
    assert isinstance(outcome, RequestValidationError) and outcome.path == field, repr(outcome)
    assert handler.requests == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("CachePolicy", {"type": "semantic"}), ("WeightBasedLoadBalancer", {"type": "round_robin", "models": []})],
)
def test_models_refuse_a_required_value_outside_the_enum(name: str, value: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="Expected one of"):
        getattr(models, name).from_dict(value)


def test_identity_metadata_items_are_open_mappings() -> None:
    identity = models.Identity.from_dict({"id": "u1", "metadata": [{"department": "Engineering", "level": 3}]})
    item = identity.metadata[0]  # type: ignore[index]
    assert repr(item).startswith("IdentityMetadataItem(")
    assert "department" in item and item["level"] == 3 and item.additional_keys == ["department", "level"]
    item["team"] = "images"
    del item["level"]
    assert identity.to_dict() == {"id": "u1", "metadata": [{"department": "Engineering", "team": "images"}]}


def test_response_models_expose_unknown_fields_and_stay_short_in_repr() -> None:
    fixture = next(f for f in harness.load_fixtures() if f["name"] == "200_unknown_response_fields")
    handler = harness.Recorder({**fixture["response"], "body": {**fixture["response"]["body"]}})
    handler.response["body"]["data"] = [{"b64_json": "A" * 100_000, "seed": 7}]  # type: ignore[index]
    with harness.make_client(handler) as orq:
        result = orq.router.images.generations.create(**fixture["call"])
    handler.close()
    assert result["background"] == "opaque" and "quality" in result.additional_keys
    assert result.data[0]["seed"] == 7
    assert result.usage["output_tokens_details"] == {"image_tokens": 1056}
    assert result.usage.input_tokens_details["cached_tokens"] == 0
    text = repr(result)
    assert "\n" not in text and len(text) < 2_000 and "A" * 200 not in text
    assert repr(result.data[0]).startswith("GeneratedImage(")


MULTIPART_MODELS = sorted(set(MODEL_COMPONENTS) - set(JSON_MODELS))


def test_the_multipart_body_models_are_the_edit_and_variation_requests() -> None:
    assert MULTIPART_MODELS == ["CreateImageEditRequest", "CreateImageVariationRequest"]


@pytest.mark.parametrize("name", MULTIPART_MODELS)
@settings(CONTRACT, max_examples=max(1, CONTRACT.max_examples // 2))
@given(data=st.data(), image=st.none() | st.binary(max_size=64))
def test_multipart_body_models_round_trip_with_their_file(name: str, data: st.DataObject, image: bytes | None) -> None:
    """The SDK sends these bodies from its methods' arguments; the models still hold one faithfully."""
    value = data.draw(schemas.strategy(name), label=name)
    value.pop("image", None)
    if image is not None:
        value["image"] = image
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # orq.contact
        model = getattr(models, name).from_dict(value)
    out = model.to_dict()
    if image is not None:
        file_name, payload, mime_type = out.pop("image")
        assert (file_name, payload.read(), mime_type) == (None, image, None)
        value.pop("image")
    assert harness.json_difference(value, out) is None
    parts = dict(model.to_multipart())  # upstream's encoder (the SDK uses its own): an empty list sends no part
    assert set(parts) == {key for key, item in value.items() if item != []} | (
        {"image"} if image is not None else set()
    )
