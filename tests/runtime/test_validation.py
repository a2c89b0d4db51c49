"""validation: prepare() and check_response() against a small schema that uses every supported keyword."""

from __future__ import annotations

import enum
import json
import math
import os
import warnings
from typing import Any

import attrs
import orq_images._runtime.validation as validation_module
import pytest
from hypothesis import given
from hypothesis import strategies as st
from orq_images._runtime.errors import OrqError, RequestValidationError
from orq_images._runtime.validation import MISSING, SchemaMismatch, check_response, prepare

REF = "#/components/schemas/"

COMPONENTS: dict[str, Any] = {
    "Request": {
        "type": "object",
        "additionalProperties": False,
        "required": ["prompt", "model"],
        "properties": {
            "prompt": {"type": "string", "minLength": 1, "maxLength": 100_000_000, "description": "ignored"},
            "model": {"type": "string", "pattern": "^[a-z0-9-]+/[a-z0-9.-]+$"},
            "n": {"type": ["integer", "null"], "minimum": 1, "maximum": 10, "default": 1},
            "quality": {"type": ["string", "null"], "enum": ["low", "auto", None]},
            "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "legacy_ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
            "step": {"type": "integer", "multipleOf": 5},
            "metadata": {
                "type": "object",
                "additionalProperties": {"type": "string", "maxLength": 8},
                "maxProperties": 2,
            },
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "minItems": 1, "maxItems": 3},
            "flag": {"type": "boolean"},
            "kind": {"const": "image"},
            "nullable_name": {"type": "string", "nullable": True},
            "extra": {},
            "plugins": {
                "type": "array",
                "items": {"anyOf": [{"$ref": REF + "PluginAuto"}, {"$ref": REF + "PluginEn"}]},
            },
            "combo": {"allOf": [{"type": "object", "properties": {"a": {"type": "integer"}}}, {"required": ["a"]}]},
            "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "overlap": {"oneOf": [{"type": "number"}, {"type": "integer"}]},
            "background": {"oneOf": [{"$ref": REF + "Background"}, {"type": "null"}]},
            "orq": {"$ref": REF + "Orq"},
        },
    },
    "Background": {"type": "string", "enum": ["transparent", "opaque"]},
    "Orq": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "identity": {"$ref": REF + "Identity"},
            "contact": {"$ref": REF + "Identity", "deprecated": True, "x-replaced-by": "orq.identity"},
            "legacy": {"$ref": REF + "Legacy"},
            "load_balancer": {"$ref": REF + "LoadBalancer"},
        },
    },
    "Identity": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            "display_name": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Legacy": {"type": "string", "deprecated": True},
    "LoadBalancer": {
        "oneOf": [{"$ref": REF + "WeightBased"}, {"$ref": REF + "RoundRobin"}],
        "discriminator": {
            "propertyName": "type",
            "mapping": {"weight_based": REF + "WeightBased", "round_robin": "RoundRobin"},
        },
    },
    "WeightBased": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "models"],
        "properties": {
            "type": {"type": "string", "enum": ["weight_based"]},
            "models": {"type": "array", "items": {"$ref": REF + "WeightedModel"}},
        },
    },
    "WeightedModel": {
        "type": "object",
        "required": ["model"],
        "properties": {"model": {"type": "string"}, "weight": {"type": "number", "minimum": 0.001, "maximum": 1}},
    },
    "RoundRobin": {
        "type": "object",
        "required": ["type", "models"],
        "properties": {"type": {"const": "round_robin"}, "models": {"type": "array", "items": {"type": "string"}}},
    },
    "PluginAuto": {
        "title": "PII plugin (auto)",
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {"id": {"enum": ["pii_redaction"]}, "threshold": {"type": "number", "minimum": 0, "maximum": 1}},
    },
    "PluginEn": {
        "title": "PII plugin (English)",
        "type": "object",
        "required": ["id", "language"],
        "properties": {"id": {"enum": ["pii_redaction"]}, "language": {"enum": ["en"]}},
    },
    "Response": {
        "type": "object",
        "required": ["created", "data"],
        "properties": {
            "created": {"type": "number"},
            "data": {"type": "array", "items": {"$ref": REF + "Image"}},
        },
    },
    "Image": {"type": "object", "properties": {"url": {"type": "string"}, "b64_json": {"type": "string"}}},
}
ROOT = {"$ref": REF + "Request"}
RESPONSE = {"$ref": REF + "Response"}
BASE: dict[str, Any] = {"prompt": "a lighthouse at dusk", "model": "openai/gpt-image-1"}


def request(**fields: Any) -> dict[str, Any]:
    return {**BASE, **fields}


def invalid(value: object, schema: Any = ROOT) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as info:
        prepare(value, schema, COMPONENTS)
    return info.value


# -- accepted values -----------------------------------------------------------------------------------------------


def test_full_valid_request_passes_unchanged() -> None:
    value = request(
        n=2,
        quality=None,
        ratio=0.5,
        legacy_ratio=0.1,
        step=15,
        metadata={"team": "art"},
        tags=["a", "b"],
        flag=False,
        kind="image",
        nullable_name=None,
        extra={"anything": [1, 2.5, None, {"deep": True}]},
        plugins=[{"id": "pii_redaction"}, {"id": "pii_redaction", "language": "en"}],
        combo={"a": 1},
        choice=3,
        overlap=1.5,
        background="opaque",
        orq={
            "identity": {"id": "contact_1", "email": "jane@example.com", "tags": ["hr"]},
            "load_balancer": {"type": "weight_based", "models": [{"model": "openai/gpt-4o", "weight": 0.7}]},
        },
    )
    result = prepare(value, ROOT, COMPONENTS)
    assert result == value
    assert json.dumps(result, sort_keys=True) == json.dumps(value, sort_keys=True)
    assert isinstance(result, dict)
    assert type(result["n"]) is int
    assert type(result["ratio"]) is float


def test_tuples_become_lists_and_big_strings_are_not_copied() -> None:
    big = "A" * (20 * 1024 * 1024)
    result = prepare(request(prompt=big, tags=("x", "y")), ROOT, COMPONENTS)
    assert isinstance(result, dict)
    assert result["tags"] == ["x", "y"]
    assert type(result["tags"]) is list
    assert result["prompt"] is big


def test_a_ref_with_assertions_beside_it_checks_both() -> None:
    schema = {"$ref": REF + "Identity", "maxProperties": 1}

    class Tag(enum.Enum):
        HR = "hr"

    assert prepare({"id": "c1"}, schema, COMPONENTS) == {"id": "c1"}
    assert prepare({"id": "c1", "tags": (Tag.HR,)}, {"$ref": REF + "Identity"}, COMPONENTS) == {
        "id": "c1",
        "tags": ["hr"],
    }
    error = invalid({"id": "c1", "email": "jane@example.com"}, schema)
    assert (error.path, error.expected) == ("", "an object with at most 1 key")
    assert invalid({"id": 1}, schema).path == "id"  # what the $ref names is checked first


def test_plain_containers_are_shared_unless_a_copy_is_asked_for() -> None:
    identity = {"id": "c1", "tags": ["hr"]}
    tags = ("x", "y")
    value = request(orq={"identity": identity}, metadata={"team": "art"}, tags=tags)
    shared = prepare(value, ROOT, COMPONENTS)
    assert shared == {**value, "tags": ["x", "y"]}
    assert isinstance(shared, dict)
    assert shared is not value  # a tuple inside became a list: the object holding it is new...
    assert shared["orq"] is value["orq"] and shared["metadata"] is value["metadata"]  # ...the others are not
    plain = request(orq={"identity": identity})
    assert prepare(plain, ROOT, COMPONENTS) is plain

    copied = prepare(value, ROOT, COMPONENTS, copy=True)
    assert copied == shared
    assert isinstance(copied, dict)
    assert copied["orq"] is not value["orq"]
    assert copied["orq"]["identity"] is not identity and copied["orq"]["identity"]["tags"] is not identity["tags"]
    assert copied["metadata"] is not value["metadata"]


def test_enum_members_are_sent_as_values() -> None:
    class Quality(enum.StrEnum):
        LOW = "low"

    class Count(enum.IntEnum):
        TWO = 2

    result = prepare(request(quality=Quality.LOW, n=Count.TWO), ROOT, COMPONENTS)
    assert isinstance(result, dict)
    assert result["quality"] == "low" and type(result["quality"]) is str
    assert result["n"] == 2 and type(result["n"]) is int


@attrs.define
class IdentityModel:
    id: str
    display_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.display_name is not None:
            out["display_name"] = self.display_name
        return out


@attrs.define
class OrqModel:
    contact: IdentityModel | None = None
    identity: IdentityModel | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.contact is not None:
            out["contact"] = self.contact.to_dict()
        if self.identity is not None:
            out["identity"] = self.identity
        return out


def test_model_objects_with_to_dict_are_accepted() -> None:
    result = prepare(request(orq=OrqModel(identity=IdentityModel("c1", "Jane"))), ROOT, COMPONENTS)
    assert result == request(orq={"identity": {"id": "c1", "display_name": "Jane"}})
    assert isinstance(result, dict)
    assert type(result["orq"]) is dict


def test_model_object_contents_are_validated() -> None:
    error = invalid(request(orq={"identity": IdentityModel(id=42)}))  # type: ignore[arg-type]
    assert error.path == "orq.identity.id"
    assert error.expected == "string"


# -- errors: path, expected, value ---------------------------------------------------------------------------------


def test_unknown_nested_key() -> None:
    error = invalid(request(orq={"identity": {"id": "c1", "emial": "jane@example.com"}}))
    assert error.path == "orq.identity.emial"
    assert error.expected == "no unknown keys (allowed: id, display_name, email, tags; did you mean 'email'?)"
    assert error.value == "jane@example.com"
    assert str(error) == (
        "orq.identity.emial: expected no unknown keys (allowed: id, display_name, email, tags; did you mean 'email'?),"
        " got 'jane@example.com'"
    )


def test_unknown_top_level_key() -> None:
    error = invalid(request(colour="red"))
    assert error.path == "colour"
    assert error.expected.startswith("no unknown keys (allowed: prompt, model, n, quality,")


def test_wrong_type() -> None:
    error = invalid(request(n="3"))
    assert (error.path, error.expected, error.value) == ("n", "integer or null", "3")
    assert str(error) == "n: expected integer or null, got '3'"
    assert invalid(request(prompt=7)).expected == "string"
    assert invalid(request(tags="abc")).expected == "array"
    assert invalid(request(orq=[])).expected == "object"
    assert invalid(request(flag=1)).expected == "boolean"
    assert invalid(["not", "an", "object"]).path == ""


def test_bool_is_not_an_integer_or_number() -> None:
    assert invalid(request(n=True)).expected == "integer or null"
    assert invalid(request(ratio=False)).expected == "number"


def test_float_is_not_an_integer() -> None:
    assert invalid(request(n=2.0)).expected == "integer or null"


def test_nan_and_infinity_are_rejected() -> None:
    error = invalid(request(ratio=float("nan")))
    assert error.path == "ratio"
    assert error.expected == "a finite number"
    assert invalid(request(extra=[float("inf")])).path == "extra[0]"


def test_enum_lists_allowed_values() -> None:
    error = invalid(request(quality="high"))
    assert str(error) == "quality: expected one of 'low', 'auto', None, got 'high'"
    assert invalid(request(quality=5)).expected == "one of 'low', 'auto', None"


def test_nullable_enum_as_one_of_ref_or_null() -> None:
    error = invalid(request(background="Opaque"))
    assert error.path == "background"
    assert error.expected == "one of 'transparent', 'opaque' or null"


def test_const() -> None:
    assert invalid(request(kind="video")).expected == "'image'"


def test_missing_required_key() -> None:
    error = invalid({"prompt": "x"})
    assert error.path == "model"
    assert error.value is MISSING
    assert str(error) == "model: expected a value (required key), got nothing"
    assert invalid(request(orq={"identity": {"email": "a@b.c"}})).path == "orq.identity.id"


def test_numeric_bounds() -> None:
    assert str(invalid(request(n=11))) == "n: expected integer >= 1 and <= 10, got 11"
    assert invalid(request(n=0)).expected == "integer >= 1 and <= 10"
    assert invalid(request(ratio=0)).expected == "number > 0 and < 1"
    assert invalid(request(ratio=1.0)).expected == "number > 0 and < 1"
    assert invalid(request(legacy_ratio=0)).expected == "number > 0"
    assert prepare(request(legacy_ratio=0.001), ROOT, COMPONENTS) == request(legacy_ratio=0.001)
    assert invalid(request(step=7)).expected == "a multiple of 5"


def test_bounds_inside_arrays_report_the_index() -> None:
    lb = {"type": "weight_based", "models": [{"model": "a", "weight": 0.5}, {"model": "b", "weight": 0}]}
    error = invalid(request(orq={"load_balancer": lb}))
    assert str(error) == "orq.load_balancer.models[1].weight: expected number >= 0.001 and <= 1, got 0"


def test_string_length_and_pattern() -> None:
    assert invalid(request(prompt="")).expected == "a string of 1 to 100000000 characters"
    assert invalid(request(metadata={"team": "x" * 9})).path == "metadata.team"
    assert invalid(request(metadata={"team": "x" * 9})).expected == "a string of at most 8 characters"
    assert invalid(request(model="GPT 4")).expected == "a string matching the pattern '^[a-z0-9-]+/[a-z0-9.-]+$'"


def test_object_keys_must_be_strings_and_max_properties() -> None:
    assert invalid(request(metadata={1: "x"})).expected == "an object with string keys"
    assert invalid(request(metadata={"a": "1", "b": "2", "c": "3"})).expected == "an object with at most 2 keys"
    assert invalid(request(metadata={"odd key": 5})).path == "metadata['odd key']"


def test_arrays_min_max_and_unique_items() -> None:
    assert invalid(request(tags=[])).expected == "an array with 1 to 3 items"
    assert invalid(request(tags=["a", "b", "c", "d"])).expected == "an array with 1 to 3 items"
    error = invalid(request(tags=["a", "b", "a"]))
    assert (error.path, error.expected, error.value) == ("tags[2]", "unique items (same as tags[0])", "a")


def test_unique_items_follow_json_equality() -> None:
    schema = {"type": "array", "uniqueItems": True}
    assert prepare([1, True, "1", [1], {"a": 1}], schema, COMPONENTS) == [1, True, "1", [1], {"a": 1}]
    assert invalid([1, 1.0], schema).path == "[1]"
    assert invalid([{"a": [1, 2]}, {"a": [1, 2]}], schema).path == "[1]"


def test_non_json_values_are_rejected() -> None:
    assert invalid(request(extra={1, 2})).expected == "a JSON value (str, int, float, bool, None, list or dict)"
    assert invalid(request(extra=b"bytes")).path == "extra"


def test_one_of_with_discriminator_reports_inside_the_chosen_branch() -> None:
    error = invalid(request(orq={"load_balancer": {"type": "round_robin", "models": ["a", 5]}}))
    assert (error.path, error.expected, error.value) == ("orq.load_balancer.models[1]", "string", 5)
    error = invalid(request(orq={"load_balancer": {"type": "weight_based", "models": [{"weight": 1}]}}))
    assert error.path == "orq.load_balancer.models[0].model"


def test_discriminator_unknown_or_missing_tag() -> None:
    error = invalid(request(orq={"load_balancer": {"type": "random", "models": []}}))
    assert str(error) == "orq.load_balancer.type: expected one of 'weight_based', 'round_robin', got 'random'"
    error = invalid(request(orq={"load_balancer": {"models": []}}))
    assert error.path == "orq.load_balancer.type"
    assert error.value is MISSING
    assert invalid(request(orq={"load_balancer": "weight_based"})).path == "orq.load_balancer"


def test_any_of_takes_the_first_matching_branch() -> None:
    plugins = [{"id": "pii_redaction", "threshold": 0.5}, {"id": "pii_redaction", "language": "en"}]
    assert prepare(request(plugins=plugins), ROOT, COMPONENTS) == request(plugins=plugins)


def test_any_of_without_match_picks_the_deepest_error_or_names_branches() -> None:
    deepest = invalid(request(plugins=[{"id": "pii_redaction", "threshold": 7}]))
    assert (deepest.path, deepest.expected) == ("plugins[0].threshold", "number >= 0 and <= 1")
    language = invalid(request(plugins=[{"id": "pii_redaction", "language": "fr"}]))
    assert str(language) == "plugins[0].language: expected one of 'en', got 'fr'"  # beats "unknown key" in auto
    tied = invalid(request(plugins=[{"id": "other"}]))
    assert tied.path == "plugins[0]"
    assert tied.expected == "one of PII plugin (auto), PII plugin (English)"
    shallow = invalid(request(plugins=["pii_redaction"]))
    assert (shallow.path, shallow.expected) == ("plugins[0]", "object")


def test_one_of_without_discriminator() -> None:
    assert prepare(request(choice="x"), ROOT, COMPONENTS) == request(choice="x")
    assert invalid(request(choice=1.5)).expected == "string or integer"
    error = invalid(request(overlap=3))
    assert error.expected == "exactly one of number, integer (matches number, integer)"


def test_all_of() -> None:
    assert invalid(request(combo={"a": "x"})).path == "combo.a"
    assert invalid(request(combo={})).path == "combo.a"


def test_false_schema_and_unresolvable_ref() -> None:
    assert invalid(1, False).expected == "nothing (no value is allowed here)"
    with pytest.raises(ValueError, match="cannot resolve"):
        prepare({}, {"$ref": REF + "Nope"}, COMPONENTS)


def test_path_prefix() -> None:
    error = invalid_at({"identity": {"id": 1}}, path="orq")
    assert error.path == "orq.identity.id"


def invalid_at(value: object, path: str) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as info:
        prepare(value, {"$ref": REF + "Orq"}, COMPONENTS, path=path)
    return info.value


def test_validation_error_is_value_and_type_error() -> None:
    error = invalid(request(n="3"))
    assert isinstance(error, ValueError) and isinstance(error, TypeError) and isinstance(error, OrqError)


# -- deprecation ---------------------------------------------------------------------------------------------------


def test_deprecated_property_warns_at_the_callers_line() -> None:
    value = request(orq={"contact": {"id": "c1"}, "legacy": "x"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_after()
        result = prepare(value, ROOT, COMPONENTS)
    assert result == value  # still sent as given
    assert [str(w.message) for w in caught] == [
        "`orq.contact` is deprecated; use `orq.identity` instead.",
        "`orq.legacy` is deprecated.",
    ]
    for warning in caught:
        assert warning.category is DeprecationWarning
        assert warning.filename == __file__
        assert warning.lineno == line


def test_no_warning_for_values_from_model_objects() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepare(request(orq=OrqModel(contact=IdentityModel("c1"))), ROOT, COMPONENTS)
    assert caught == []


def test_no_warning_when_validation_fails_or_branch_is_discarded() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RequestValidationError):
            prepare(request(orq={"contact": {"id": "c1"}}, n=0), ROOT, COMPONENTS)
    assert caught == []


def test_warning_skips_frames_inside_the_package() -> None:
    package_dir = os.path.dirname(os.path.dirname(validation_module.__file__))
    source = "def send(value, schema, components):\n    return prepare(value, schema, components)\n"
    namespace: dict[str, Any] = {"prepare": prepare}
    exec(compile(source, os.path.join(package_dir, "sdk_like.py"), "exec"), namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_after()
        namespace["send"](request(orq={"contact": {"id": "c1"}}), ROOT, COMPONENTS)
    assert [(w.filename, w.lineno) for w in caught] == [(__file__, line)]


def _line_after() -> int:
    """The line number just after the caller's line."""
    import sys

    return sys._getframe(1).f_lineno + 1


# -- responses -----------------------------------------------------------------------------------------------------


def test_check_response_accepts_valid_and_unknown_keys() -> None:
    check_response({"created": 1700000000, "data": [{"url": "u", "new_field": 1}], "more": True}, RESPONSE, COMPONENTS)


def test_check_response_mismatches() -> None:
    with pytest.raises(SchemaMismatch) as info:
        check_response({"data": []}, RESPONSE, COMPONENTS)
    assert str(info.value) == "created: required key missing"
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, OrqError)
    with pytest.raises(SchemaMismatch) as info:
        check_response({"created": 1, "data": [{"url": 5}]}, RESPONSE, COMPONENTS)
    assert str(info.value) == "data[0].url: expected string, got 5"
    assert info.value.path == "data[0].url"
    with pytest.raises(SchemaMismatch, match="response: expected object, got"):
        check_response([], RESPONSE, COMPONENTS)


# -- properties ----------------------------------------------------------------------------------------------------

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
IDENTITY = st.fixed_dictionaries(
    {"id": st.text()},
    optional={"display_name": st.text(), "email": st.text(), "tags": st.lists(st.text(), max_size=5)},
)


@given(value=JSON_VALUES)
def test_any_json_value_passes_an_empty_schema_unchanged(value: Any) -> None:
    result = prepare(value, {}, COMPONENTS)
    assert result == value
    assert json.dumps(result, sort_keys=True) == json.dumps(value, sort_keys=True)


@given(identity=IDENTITY, n=st.none() | st.integers(min_value=1, max_value=10))
def test_valid_requests_pass_unchanged(identity: dict[str, Any], n: int | None) -> None:
    value = request(n=n, orq={"identity": identity})
    assert json.dumps(prepare(value, ROOT, COMPONENTS)) == json.dumps(value)


@given(n=st.integers().filter(lambda n: not 1 <= n <= 10))
def test_integers_outside_bounds_are_always_rejected(n: int) -> None:
    error = invalid(request(n=n))
    assert error.path == "n"
    assert error.value == n


@given(weight=st.floats().filter(lambda w: math.isnan(w) or not 0.001 <= w <= 1))
def test_weights_outside_bounds_are_always_rejected(weight: float) -> None:
    lb = {"type": "weight_based", "models": [{"model": "m", "weight": weight}]}
    assert invalid(request(orq={"load_balancer": lb})).path == "orq.load_balancer.models[0].weight"
