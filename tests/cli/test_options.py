"""The flag rules of `cli_options` on small purpose-built schemas: every shape of field, names that would shadow
the command's own options, recursion, and how command-line words become values."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from orq_images._runtime.cli_options import Kind, convert_scalar, options_for, usage_line

COMPONENTS: dict[str, Any] = {
    "Color": {"type": "string", "enum": ["red", "green"]},
    "Node": {
        "type": "object",
        "properties": {"label": {"type": "string"}, "child": {"$ref": "#/components/schemas/Node"}},
    },
    "Old": {"type": "object", "deprecated": True, "properties": {"id": {"type": "string"}}},
}
BODY: dict[str, Any] = {
    "type": "object",
    "required": ["prompt", "json"],
    "properties": {
        "prompt": {"type": "string"},
        "json": {"type": "boolean"},
        "timeout": {"type": "object", "properties": {"ms": {"type": "integer"}}},
        "quiet": {"type": ["boolean", "null"]},
        "color": {"oneOf": [{"$ref": "#/components/schemas/Color"}, {"type": "null"}]},
        "ratio": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
        "shapes": {"type": "array", "items": {"type": "object"}},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "free": {},
        "tree": {"$ref": "#/components/schemas/Node"},
        "old": {"$ref": "#/components/schemas/Old"},
    },
}


def _by_field() -> dict[str, Any]:
    options = options_for(BODY, COMPONENTS, positional=["prompt"], short_flags={"ratio": "r"})
    return {option.field: option for option in options}


def test_each_shape_of_field_gets_its_kind_of_option() -> None:
    options = _by_field()

    kinds = {field: (option.kind, option.flags, option.metavar) for field, option in options.items()}
    assert kinds == {
        "prompt": (Kind.VALUE, (), "prompt"),
        "json": (Kind.FLAG, ("--api-json",), "BOOL"),
        "timeout": (Kind.JSON, ("--api-timeout",), "JSON"),
        "timeout.ms": (Kind.VALUE, ("--api-timeout.ms",), "INT"),
        "quiet": (Kind.VALUE, ("--api-quiet",), "BOOL"),
        "color": (Kind.VALUE, ("--color",), "{red,green,null}"),
        "ratio": (Kind.VALUE, ("-r", "--ratio"), "NUMBER"),
        "tags": (Kind.LIST, ("--tags",), "TEXT"),
        "labels": (Kind.MAP, ("--labels",), "KEY=VALUE"),
        "shapes": (Kind.JSON, ("--shapes",), "JSON"),
        "either": (Kind.JSON, ("--either",), "JSON"),
        "free": (Kind.JSON, ("--free",), "JSON"),
        "tree": (Kind.JSON, ("--tree",), "JSON"),
        "tree.label": (Kind.VALUE, ("--tree.label",), "TEXT"),
        "tree.child": (Kind.JSON, ("--tree.child",), "JSON"),  # the schema contains itself: no deeper flags
        "old": (Kind.JSON, ("--old",), "JSON"),
        "old.id": (Kind.VALUE, ("--old.id",), "TEXT"),
    }
    assert options["json"].required and options["prompt"].required and not options["tree.label"].required
    assert options["old"].deprecated and options["old.id"].hidden and not options["old"].hidden
    assert options["color"].nullable and options["quiet"].nullable and not options["ratio"].nullable


def test_the_usage_line_names_what_must_be_given() -> None:
    options = options_for(BODY, COMPONENTS, positional=["prompt"])
    assert usage_line("orq-images", "draw", options) == "orq-images draw prompt --api-json BOOL [options]"


@pytest.mark.parametrize(
    ("hints", "message"),
    [
        ({"positional": ["nope"]}, "'nope', which is not a field"),
        ({"short_flags": {"ratio": "q"}}, "short flag '-q' for 'ratio'"),
        ({"short_flags": {"ratio": "rr"}}, "short flag '-rr' for 'ratio'"),
        ({"short_flags": {"ratio": "x", "tags": "x"}}, "two fields share a short flag"),
    ],
)
def test_hints_that_do_not_fit_are_refused(hints: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        options_for(BODY, COMPONENTS, **hints)


def test_a_file_field_left_out_of_the_schema_is_an_argument_all_the_same() -> None:
    """``_schemas.REQUESTS`` leaves a multipart body's files out (the runtime's ``uploads`` checks them)."""
    options = options_for(BODY, COMPONENTS, positional=["upload"], file_fields=["upload"])
    assert [(option.field, option.positional, option.kind) for option in options][0] == ("upload", True, Kind.FILE)


@given(st.integers())
def test_integer_words_become_integers(number: int) -> None:
    assert convert_scalar(str(number), "integer", nullable=False) == number
    assert type(convert_scalar(str(number), "number", nullable=False)) is int  # integers stay integers


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_words_become_the_same_float(number: float) -> None:
    assert convert_scalar(repr(number), "number", nullable=False) == number


@pytest.mark.parametrize(
    ("text", "scalar", "nullable", "value"),
    [
        ("null", "string", True, None),
        ("null", "string", False, "null"),
        ("2.5", "integer", False, "2.5"),  # left as text: the library reports it
        ("nan", "number", False, "nan"),
        ("1e3", "number", False, 1000.0),
        ("yes", "boolean", False, True),
        ("off", "boolean", False, False),
        ("maybe", "boolean", False, "maybe"),
        ("007", "string", False, "007"),
    ],
)
def test_words_convert_as_far_as_their_type_says(text: str, scalar: str, nullable: bool, value: object) -> None:
    converted = convert_scalar(text, scalar, nullable=nullable)
    assert converted == value and type(converted) is type(value)
