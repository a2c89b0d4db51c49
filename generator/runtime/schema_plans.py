"""``Plan``: one JSON Schema (the OpenAPI 3.1 dialect) read once into what a validator checks, with the
arguments ready. Compiling only: plans are made and cached by ``validation.Validator``, which walks values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .schema_text import one_of

__all__ = [
    "ANY",
    "EMPTY",
    "NONE",
    "PLAIN_KINDS",
    "REF_PREFIX",
    "Plan",
    "Schema",
    "component_name",
    "numeric_bounds",
    "unresolvable",
]

Schema = Mapping[str, Any]

REF_PREFIX = "#/components/schemas/"
EMPTY: Schema = {}
NONE = type(None)
# The value kinds of JSON, as Python types; values of other types are normalised or classified first.
PLAIN_KINDS = frozenset({str, int, float, bool, NONE, dict, list})
_KINDS_OF_TYPE: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (NONE,),
    "object": (dict,),
    "array": (list,),
}
# Keywords that constrain a value (everything else in a schema is an annotation).
# fmt: off
_ASSERTIONS = frozenset({
    "type", "nullable", "enum", "const", "allOf", "anyOf", "oneOf",
    "properties", "required", "additionalProperties", "minProperties", "maxProperties",
    "items", "minItems", "maxItems", "uniqueItems",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern",
})
# fmt: on
_LARGEST = 1.7976931348623157e308  # sys.float_info.max: infinities and NaN fall outside every span


class Plan:
    """One schema, read once: the keywords that apply, their arguments, the plans of inline sub-schemas."""

    __slots__ = (
        "all_of",
        "any_of",
        "array_checks",
        "closed",
        "const",
        "deprecated",
        "deprecated_keys",
        "discriminator",
        "enum",
        "exclusive_maximum",
        "exclusive_minimum",
        "extra",
        "has_const",
        "items",
        "kinds",
        "max_items",
        "max_length",
        "max_properties",
        "may_deprecate",
        "maximum",
        "min_items",
        "min_length",
        "min_properties",
        "minimum",
        "multiple_of",
        "never",
        "number_bounds",
        "number_checks",
        "object_checks",
        "one_of",
        "pattern",
        "plain",
        "properties",
        "ref",
        "ref_name",
        "ref_only",
        "ref_target",
        "replaced_by",
        "required",
        "schema",
        "span",
        "string_checks",
        "tag_options",
        "trivial",
        "type_text",
        "types",
        "unions",
        "unique_items",
    )

    def __init__(self, schema: Schema | bool, plan_of: Callable[[Schema | bool], Plan]) -> None:
        """Read ``schema``; ``plan_of`` gives the plans of its sub-schemas (the validator's cache)."""
        self.never = schema is False
        schema = EMPTY if isinstance(schema, bool) else schema
        self.schema = schema
        self.ref: str | None = schema.get("$ref")
        self.ref_name = component_name(self.ref) if self.ref is not None else None
        self.ref_only = self.ref is not None and _ASSERTIONS.isdisjoint(schema)
        self.deprecated = schema.get("deprecated") is True
        self.replaced_by: str | None = schema.get("x-replaced-by")
        # Filled on first use by the validator that owns this plan (see Validator.target / deprecated_keys).
        self.ref_target: Plan | None = None
        self.deprecated_keys: Mapping[str, str | None] | None = None

        types = schema.get("type")
        self.types: tuple[str, ...] | None = (
            None if types is None else (types,) if isinstance(types, str) else tuple(types)
        )
        kinds = {kind for name in self.types or () for kind in _type_kinds(name)}
        if schema.get("nullable") is True:
            kinds.add(NONE)
        self.kinds = frozenset(kinds)
        self.enum: Sequence[object] | None = schema.get("enum")
        self.type_text = one_of(self.enum) if self.enum is not None else " or ".join(self.types or ())
        self.has_const = "const" in schema
        self.const = schema.get("const")

        self.all_of = tuple(plan_of(sub) for sub in schema.get("allOf", ()))
        self.one_of = tuple(plan_of(sub) for sub in schema.get("oneOf", ()))
        self.any_of = tuple(plan_of(sub) for sub in schema.get("anyOf", ()))
        self.unions = bool(self.all_of or self.one_of or self.any_of)
        self.discriminator: Mapping[str, Any] | None = schema.get("discriminator")
        self.tag_options: dict[str, Plan] | None = None  # filled on first use

        properties: Mapping[str, Any] = schema.get("properties") or EMPTY
        self.properties = {key: plan_of(sub) for key, sub in properties.items()}
        self.may_deprecate = any(sub.deprecated or sub.ref is not None for sub in self.properties.values())
        extra = schema.get("additionalProperties", True)
        self.closed = extra is False
        self.extra = None if isinstance(extra, bool) else plan_of(extra)  # None: anything goes
        self.required: tuple[str, ...] = tuple(schema.get("required") or ())
        self.min_properties: int | None = schema.get("minProperties")
        self.max_properties: int | None = schema.get("maxProperties")

        items = schema.get("items", True)
        self.items = None if isinstance(items, bool) else plan_of(items)
        self.min_items: int | None = schema.get("minItems")
        self.max_items: int | None = schema.get("maxItems")
        self.unique_items = schema.get("uniqueItems") is True

        self.min_length: int | None = schema.get("minLength")
        self.max_length: int | None = schema.get("maxLength")
        pattern = schema.get("pattern")
        self.pattern = None if pattern is None else re.compile(pattern)
        self.string_checks = self.min_length is not None or self.max_length is not None or pattern is not None

        self.number_bounds = numeric_bounds(schema)
        limits = dict(self.number_bounds)
        self.minimum: float | None = limits.get(">=")
        self.exclusive_minimum: float | None = limits.get(">")
        self.maximum: float | None = limits.get("<=")
        self.exclusive_maximum: float | None = limits.get("<")
        self.multiple_of: float | None = schema.get("multipleOf")
        self.number_checks = bool(self.number_bounds) or self.multiple_of is not None

        # Containers are descended into here unless another schema (a $ref or a union branch) already did so.
        delegates = self.ref is not None or self.unions
        object_keywords = ("properties", "additionalProperties", "required", "minProperties", "maxProperties")
        array_keywords = ("items", "minItems", "maxItems", "uniqueItems")
        self.object_checks = not delegates or any(keyword in schema for keyword in object_keywords)
        self.array_checks = not delegates or any(keyword in schema for keyword in array_keywords)

        # Whether only `type` applies to the value as a whole (no false schema, union, enum or const).
        self.plain = not (self.never or self.unions or self.enum is not None or self.has_const)
        # Shortcuts for leaves, taken by check_object and check_array before calling check(): the value types
        # accepted as they are with nothing more to check, and for numbers with inclusive bounds at most,
        # (types, low, high): a number of those types in [low, high] passes (infinities and NaN fall outside).
        plain = self.plain and self.ref is None
        trivial = {str, int, bool, NONE} if self.types is None else {str, int, bool, NONE} & self.kinds
        if self.string_checks:
            trivial.discard(str)
        if self.number_checks:
            trivial.discard(int)
        self.trivial = frozenset(trivial) if plain else frozenset()
        numbers = {int, float} if self.types is None else {int, float} & self.kinds
        simple_bounds = self.multiple_of is None and self.exclusive_minimum is None and self.exclusive_maximum is None
        self.span: tuple[frozenset[type], float, float] | None = None
        if plain and numbers and simple_bounds:
            low = -_LARGEST if self.minimum is None else self.minimum
            high = _LARGEST if self.maximum is None else self.maximum
            self.span = (frozenset(numbers), low, high)


def component_name(ref: str) -> str | None:
    """``Name`` for ``#/components/schemas/Name`` (JSON-pointer escapes undone); ``None`` for other refs."""
    if not ref.startswith(REF_PREFIX):
        return None
    return ref[len(REF_PREFIX) :].replace("~1", "/").replace("~0", "~")


def unresolvable(ref: str | None) -> ValueError:
    return ValueError(f"cannot resolve $ref {ref!r}: only '#/components/schemas/<name>' of known names")


def _type_kinds(name: str) -> tuple[type, ...]:
    try:
        return _KINDS_OF_TYPE[name]
    except KeyError:
        raise ValueError(f"unknown JSON Schema type {name!r}") from None


def numeric_bounds(schema: Schema) -> tuple[tuple[str, float], ...]:
    """The numeric bounds of ``schema`` as (operator, limit) pairs, reading OpenAPI 3.0's boolean flags too."""
    low, high = schema.get("minimum"), schema.get("maximum")
    low_x, high_x = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(low_x, bool):  # OpenAPI 3.0: a flag that makes "minimum" exclusive
        low, low_x = (None, low) if low_x else (low, None)
    if isinstance(high_x, bool):
        high, high_x = (None, high) if high_x else (high, None)
    pairs = ((">=", low), (">", low_x), ("<=", high), ("<", high_x))
    return tuple((operator, limit) for operator, limit in pairs if limit is not None)


def _no_sub_schemas(schema: Schema | bool) -> Plan:
    raise AssertionError("ANY has no sub-schemas")


ANY = Plan(True, _no_sub_schemas)
"""The plan that accepts any JSON value."""
