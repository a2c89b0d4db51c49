"""JSON Schemas of the effective OpenAPI document for hypothesis, and negative examples built from valid ones."""

from __future__ import annotations

import copy
import functools
import os
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as conjecture_utils
from hypothesis_jsonschema import _from_schema, from_schema

from tests.contract.harness import EFFECTIVE_SPEC

# JSON Schema keywords kept when inlining; OpenAPI annotations (discriminator, example, x-*...) are dropped.
_KEEP = frozenset(
    {
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "uniqueItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
        "maxLength", "pattern", "oneOf", "anyOf", "allOf", "minProperties", "maxProperties", "format",
    }
)  # fmt: skip


# Hypothesis settings of the contract's property tests: CONTRACT_MAX_EXAMPLES (default 50) examples each, no
# deadline (the first call loads the schemas), and no complaints about hypothesis-jsonschema's filtering.
CONTRACT = settings(
    max_examples=int(os.environ.get("CONTRACT_MAX_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@functools.cache
def components(spec_path: Path = EFFECTIVE_SPEC) -> dict[str, Any]:
    document = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def inline(schema: Any, schemas: Mapping[str, Any]) -> Any:
    """``schema`` with every ``#/components/schemas/...`` reference replaced by its target (no cycles here)."""
    if isinstance(schema, list):
        return [inline(item, schemas) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    if "$ref" in schema:
        return inline(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _KEEP:
            continue
        if key == "properties":
            out[key] = {name: inline(sub, schemas) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
            out[key] = inline(value, schemas)
        else:
            out[key] = copy.deepcopy(value)
    return out


@functools.cache
def schema_of(name: str, spec_path: Path = EFFECTIVE_SPEC) -> dict[str, Any]:
    schema: dict[str, Any] = inline(components(spec_path)[name], components(spec_path))
    return schema


def strategy(name: str, spec_path: Path = EFFECTIVE_SPEC) -> st.SearchStrategy[Any]:
    """hypothesis-jsonschema's ``from_schema`` for the (inlined) component ``name``."""
    _install_many_shim()
    return from_schema(schema_of(name, spec_path))


class _LegacyMany:
    """``many(data, ...)`` with the ``more()`` / ``reject()`` API that hypothesis-jsonschema 0.23.1 calls.

    The pinned hypothesis (6.170.15) turned ``many`` into a context manager iterated with ``for``; the last
    hypothesis-jsonschema release still calls ``while elements.more():`` and fails with AttributeError on every
    object schema. This adapter drives the new ``many`` the old way (enter, iterate, exit at the end).
    """

    def __init__(self, data: Any, min_size: int, max_size: float, average_size: float) -> None:
        self._many = conjecture_utils.many(data, min_size=min_size, max_size=max_size, average_size=average_size)
        self._many.__enter__()
        self._elements = iter(self._many)
        self._finished = False

    def more(self) -> bool:
        if self._finished:
            return False
        try:
            next(self._elements)
        except StopIteration:
            self._finished = True
            self._many.__exit__(None, None, None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


def _install_many_shim() -> None:
    if not hasattr(conjecture_utils.many, "more") and getattr(_from_schema, "cu", None) is conjecture_utils:
        setattr(_from_schema, "cu", types.SimpleNamespace(many=_LegacyMany))  # noqa: B010


def is_valid(value: object, schema: Mapping[str, Any]) -> bool:
    return bool(jsonschema.Draft202012Validator(schema).is_valid(value))


# ------------------------------------------------------------------------------------------- negative examples


@dataclass(frozen=True)
class Mutation:
    """Change one place of a valid value so that it is no longer valid."""

    kind: str  # wrong-type | out-of-range | not-in-enum | unknown-key | missing-required
    path: tuple[str | int, ...]  # where the change is (a key to add or delete is the last element)
    value: object = None  # the new value (not for missing-required)

    def apply(self, document: Any) -> Any:
        result = copy.deepcopy(document)
        *parents, last = self.path
        node = result
        for part in parents:
            node = node[part]
        if self.kind == "missing-required":
            del node[last]
        else:
            node[last] = self.value
        return result

    @property
    def client_path(self) -> str:
        """The path as the client's RequestValidationError spells it (``orq.load_balancer.models[0].weight``)."""
        text = ""
        for part in self.path:
            if isinstance(part, int):
                text += f"[{part}]"
            elif part.isidentifier():
                text = f"{text}.{part}" if text else part
            else:
                text += f"[{part!r}]"
        return text

    def __str__(self) -> str:
        return f"{self.kind} at {self.client_path or '(root)'}: {self.value!r}"


_WRONG_VALUES: tuple[object, ...] = (True, 12345, 2.5, "not-a-valid-value", [], {}, None)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    names = {int: "integer", float: "number", str: "string", list: "array", dict: "object", type(None): "null"}
    return names[type(value)]


def _types_of(schema: Mapping[str, Any]) -> set[str]:
    if "type" in schema:
        declared = schema["type"]
        return {declared} if isinstance(declared, str) else set(declared)
    found: set[str] = set()
    for branch in schema.get("oneOf", []) + schema.get("anyOf", []):
        found |= _types_of(branch)
    return found


def mutations(value: Any, schema: Mapping[str, Any], path: tuple[str | int, ...] = ()) -> list[Mutation]:
    """Every single-place change of ``value`` (valid for ``schema``) this function knows how to make invalid.

    At the top level (the call's keyword arguments) no key is removed or added and nothing is set to None:
    those are Python-level errors (missing/unexpected argument) or mean "omit" for non-nullable arguments.
    """
    found: list[Mutation] = []
    if path:
        top = len(path) == 1
        allowed = _types_of(schema)
        if "number" in allowed:
            allowed.add("integer")
        for wrong in _WRONG_VALUES:
            if allowed and _json_type(wrong) not in allowed and not (wrong is None and top):
                assert not is_valid(wrong, schema)
                found.append(Mutation("wrong-type", path, wrong))
        found.extend(_range_mutations(value, schema, path))
        if "enum" in schema or any("enum" in branch for branch in schema.get("oneOf", [])):
            found.append(Mutation("not-in-enum", path, "definitely-not-a-member"))
    for branch in schema.get("oneOf", []):  # a union: look inside the branch the value matches
        if isinstance(value, (dict, list)) and is_valid(value, branch):
            return found + _inside(value, branch, path)
    return found + _inside(value, schema, path)


def _inside(value: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Mutation]:
    found: list[Mutation] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if path and schema.get("additionalProperties") is False:
            found.append(Mutation("unknown-key", (*path, "unexpected_key"), 1))
        if path:
            found.extend(Mutation("missing-required", (*path, name)) for name in schema.get("required", []))
        for key, item in value.items():
            sub = properties.get(key, schema.get("additionalProperties", {}))
            if isinstance(sub, Mapping):
                found.extend(mutations(item, sub, (*path, key)))
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            found.extend(mutations(item, schema["items"], (*path, index)))
    return found


def _range_mutations(value: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Mutation]:
    found: list[Mutation] = []
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric and "minimum" in schema:
        found.append(Mutation("out-of-range", path, schema["minimum"] - 1))
    if numeric and "maximum" in schema:
        found.append(Mutation("out-of-range", path, schema["maximum"] + 1))
    if isinstance(value, str) and "maxLength" in schema:
        found.append(Mutation("out-of-range", path, "x" * (schema["maxLength"] + 1)))
    if isinstance(value, list) and "minItems" in schema:
        found.append(Mutation("out-of-range", path, []))
    return found


def injected_mutations() -> list[Mutation]:
    """Changes that apply to any request body (they set a top-level argument), so every example has some."""
    return [
        Mutation("wrong-type", ("prompt",), 7),
        Mutation("wrong-type", ("n",), "3"),
        Mutation("wrong-type", ("n",), True),
        Mutation("out-of-range", ("n",), 11),
        Mutation("out-of-range", ("output_compression",), -1),
        Mutation("not-in-enum", ("response_format",), "gif"),
        Mutation("wrong-type", ("size",), 1024),
        Mutation("wrong-type", ("metadata", "team"), 1),
        Mutation("out-of-range", ("metadata", "team"), "x" * 513),
        Mutation("missing-required", ("timeout", "call_timeout")),
        Mutation("unknown-key", ("cache", "strategy"), "exact_match"),
        Mutation("out-of-range", ("retry", "count"), 6),
        Mutation("missing-required", ("fallbacks", 0, "model")),
        Mutation("not-in-enum", ("load_balancer", "type"), "round_robin"),
        Mutation("out-of-range", ("orq", "load_balancer", "models", 0, "weight"), 0),
        Mutation("missing-required", ("orq", "identity", "id")),
        Mutation("unknown-key", ("orq", "identity", "nickname"), "JD"),
    ]


# A valid value of each top-level argument the injected mutations reach into.
INJECTION_BASES: dict[str, Any] = {
    "timeout": {"call_timeout": 1000},
    "metadata": {"team": "design"},
    "cache": {"type": "exact_match"},
    "retry": {"count": 3},
    "fallbacks": [{"model": "openai/dall-e-2"}],
    "load_balancer": {"type": "weight_based", "models": []},
    "orq": {
        "load_balancer": {"type": "weight_based", "models": [{"model": "openai/gpt-4o", "weight": 0.5}]},
        "identity": {"id": "user-1"},
    },
}


def apply_injected(body: dict[str, Any], mutation: Mutation) -> dict[str, Any]:
    """Put a valid base value for the mutation's top-level argument into ``body``, then apply the mutation."""
    base = copy.deepcopy(body)
    top = mutation.path[0]
    if len(mutation.path) > 1:
        assert isinstance(top, str)
        base[top] = copy.deepcopy(INJECTION_BASES[top])
    mutated: dict[str, Any] = mutation.apply(base)
    return mutated
