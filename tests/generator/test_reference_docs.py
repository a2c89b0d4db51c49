"""The parameter reference (generated/docs/parameters.md) that generator/reference_docs.py renders."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.reference_docs import render_reference

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "generated" / "docs" / "parameters.md"

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Test API", "version": "9"},
    "paths": {
        "/things": {
            "post": {
                "operationId": "makeThing",
                "summary": "Make a thing",
                "x-sdk-namespace": "things",
                "x-sdk-method": "make",
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingRequest"}}}
                },
                "responses": {
                    "200": {
                        "description": "The thing.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "4XX": {"description": "Rejected.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                },
            }
        }
    },
    "components": {
        "schemas": {
            "ThingRequest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 40, "description": "The name | with a pipe."},
                    "count": {"type": ["integer", "null"], "minimum": 1, "maximum": 10, "default": 1},
                    "colour": {"oneOf": [{"$ref": "#/components/schemas/Colour"}, {"type": "null"}]},
                    "codes": {"type": "array", "minItems": 1, "items": {"type": "number", "minimum": 100}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 5}},
                    "owner": {
                        "$ref": "#/components/schemas/Owner",
                        "deprecated": True,
                        "x-replaced-by": "things.person",
                    },
                    "shape": {"$ref": "#/components/schemas/Shape"},
                },
            },
            "Colour": {"type": "string", "description": "A colour.", "enum": ["red", "green"]},
            "Owner": {
                "type": "object",
                "description": "Who owns it.",
                "properties": {"id": {"type": "string", "format": "email"}},
            },
            "Shape": {
                "oneOf": [{"$ref": "#/components/schemas/Square"}],
                "discriminator": {"propertyName": "kind", "mapping": {"square": "#/components/schemas/Square"}},
            },
            "Square": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string", "enum": ["square"]}, "side": {"type": "number"}},
            },
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "note": {"type": ["string", "null"]}},
            },
        }
    },
}


def _row(text: str, field: str) -> list[str]:
    """The cells of the first table row whose first cell names ``field``."""
    for line in text.splitlines():
        if line.startswith(f"| `{field}`"):
            return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
    raise AssertionError(f"no row for {field}")


def test_rows_carry_type_required_nullable_constraints_default() -> None:
    text = render_reference(DOCUMENT)
    assert "## `orq.things.make`" in text
    assert "`POST /things`: Make a thing." in text
    name = ["`name`", "`str`", "yes", "no", "at most 40 characters", "", "The name \\| with a pipe."]
    assert _row(text, "name") == name
    assert _row(text, "count") == ["`count`", "`int`", "no", "yes", "from 1 to 10", "`1`", ""]
    colour = _row(text, "colour")
    assert colour[1:5] == ["[`Colour`](#colour)", "no", "yes", 'one of `"red"`, `"green"`']
    assert _row(text, "codes")[1] == "`list`\\[`float`\\]"
    assert _row(text, "codes")[4] == "at least 1 item; each item: >= 100"
    assert _row(text, "labels")[1] == "`dict`\\[`str`, `str`\\]"
    assert _row(text, "labels")[4] == "each value: at most 5 characters"
    assert "| `owner` (deprecated) | [`Owner`](#owner) |" in text
    assert "**Deprecated**: use `things.person` instead. Who owns it." in text
    assert "Other keys are rejected." in text


def test_reached_schemas_unions_enums_and_the_response() -> None:
    text = render_reference(DOCUMENT)
    assert "#### Owner" in text
    assert "format `email` (not checked)" in text
    assert '- [`Square`](#square) (`kind: "square"`)' in text
    assert 'Type: `str`, one of `"red"`, `"green"`.' in text
    assert text.index("#### Square") < text.index("#### Colour")  # objects first, enumerations last
    assert "### Result (200)" in text
    assert "| Field | Type | Always present | Nullable | Description |" in text
    assert _row(text.split("### Result (200)")[1], "note") == ["`note`", "`str`", "no", "yes", ""]
    assert "| `4XX` | Rejected. | not documented (JSON or text) |" in text
    assert text.count("#### Square") == 1


def test_rendering_is_deterministic() -> None:
    assert render_reference(DOCUMENT) == render_reference(yaml.safe_load(yaml.safe_dump(DOCUMENT, sort_keys=False)))


def test_the_committed_reference_covers_every_argument_of_create() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    effective = yaml.safe_load((ROOT / "generated" / "openapi.effective.yaml").read_text(encoding="utf-8"))
    arguments = text.split("### Arguments")[1].split("####")[0]
    for name in effective["components"]["schemas"]["CreateImageRequest"]["properties"]:
        assert f"| `{name}` |" in arguments, name
    assert "## `orq.router.images.generations.create`" in text
    assert "| `contact` (deprecated) |" in text


def test_the_readme_links_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "generated/docs/parameters.md" in readme


def test_less_common_schema_shapes() -> None:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Other", "version": "1"},
        "paths": {
            "/a": {
                "get": {"operationId": "first", "responses": {"204": {"description": "Nothing."}}},
                "put": {
                    "operationId": "second",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "mode": {"$ref": "#/components/schemas/Mode"},
                                        "fixed": {"const": "x"},
                                        "wrapped": {"allOf": [{"$ref": "#/components/schemas/Mode"}]},
                                        "open": {"properties": {"a": {"type": "string"}}},
                                        "listish": {"items": {"type": ["string", "null"]}, "uniqueItems": True},
                                        "ratio": {
                                            "type": "number",
                                            "minimum": 0,
                                            "exclusiveMinimum": True,
                                            "maximum": 1,
                                            "multipleOf": 0.5,
                                        },
                                        "cap": {"type": "integer", "maximum": 3, "exclusiveMaximum": 9},
                                        "code": {"type": "string", "pattern": "^[a-z]+$", "nullable": True},
                                        "gone": {"type": "string", "deprecated": True},
                                        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "Inline.",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}
                                }
                            },
                        }
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "Mode": {"type": "string", "enum": ["fast", "slow"]},
                "Nullable": {"type": "string", "nullable": True, "maxLength": 3},
            }
        },
    }
    text = render_reference(document)
    assert "## Methods" in text
    assert "- [`first`](#first)" in text
    assert "## `second`" in text
    assert _row(text, "mode")[4] == 'one of `"fast"`, `"slow"`'
    assert _row(text, "fixed")[1] == '`"x"`'
    assert _row(text, "wrapped")[1] == "[`Mode`](#mode)"
    assert _row(text, "open")[1] == "[`arguments.open`](#argumentsopen)"  # an inline object gets its own table
    assert "#### arguments.open" in text and _row(text, "a")[1] == "`str`"
    assert _row(text, "listish")[1] == "`list`\\[`str` \\| `None`\\]"
    assert _row(text, "listish")[4] == "no duplicates"
    assert _row(text, "ratio")[4] == "> 0; <= 1; a multiple of 0.5"
    assert _row(text, "cap")[4] == "<= 3; < 9"
    assert _row(text, "code")[3:5] == ["yes", "matches `^[a-z]+$`"]
    assert _row(text, "gone")[6] == "**Deprecated**."
    assert _row(text, "either")[1] == "`str` \\| `int`"
    assert _row(text, "ok") == ["`ok`", "`bool`", "no", "no", ""]
    assert "Other keys are allowed." in text


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        ({"type": "string", "minLength": 1, "maxLength": 4}, "1 to 4 characters"),
        ({"type": "array", "minItems": 1}, "at least 1 item"),
        ({"type": "number", "minimum": 0, "maximum": 1}, "from 0 to 1"),
        ({"type": "number", "minimum": 0, "exclusiveMinimum": True}, "> 0"),  # OpenAPI 3.0's flag
        ({"type": "number", "exclusiveMinimum": 0, "maximum": 1}, "> 0; <= 1"),
    ],
)
def test_constraints_are_worded_as_the_validator_words_them(schema: dict[str, Any], words: str) -> None:
    document = copy.deepcopy(DOCUMENT)
    body = document["components"]["schemas"]["ThingRequest"]
    body["properties"]["limited"] = schema
    assert _row(render_reference(document), "limited")[4] == words
