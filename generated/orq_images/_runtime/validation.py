"""Client-side validation against the API's JSON Schema (the OpenAPI 3.1 dialect).

``prepare`` checks a request value before anything is sent and returns its wire form (plain JSON-ready dicts,
lists and scalars); ``check_response`` checks a parsed response body. Supported keywords:

- ``$ref`` (``#/components/schemas/Name``, resolved through ``components``, the ``components.schemas`` map),
  ``type`` (a name or a list, ``"null"`` included), OpenAPI 3.0's ``nullable``, ``enum``, ``const``;
- objects: ``properties``, ``required``, ``additionalProperties``, ``minProperties``, ``maxProperties``;
- arrays: ``items``, ``minItems``, ``maxItems``, ``uniqueItems``;
- numbers: ``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum`` (number or 3.0 boolean),
  ``multipleOf``;
- strings: ``minLength``, ``maxLength``, ``pattern``;
- ``allOf``, ``anyOf`` (first matching branch), ``oneOf`` (exactly one branch), ``discriminator``;
- ``deprecated`` with the ``x-replaced-by`` extension (request values only: a ``DeprecationWarning``).

Annotations (``format``, ``description``, ``title``, ``example``, ``default``...) are ignored and defaults are
never injected: the wire form holds exactly what the caller gave (an int stays an int).

Each schema dict is read once into a ``_Plan`` (what to check, with the arguments ready), cached by identity:
schemas are treated as immutable constants. ``$ref`` is followed during validation (so recursive schemas work) and
what it names is remembered per plan. The hot path allocates little: containers are copied only when something in
them changes (a model object, an enum member, a tuple), and the path of a value is a chain of ``(parent, key)``
pairs that is turned into text only for an error or a deprecation warning.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from .errors import RequestValidationError
from .reprs import clipped_repr
from .warn import deprecation_message, warn_deprecated, warn_response_shape

__all__ = ["MAX_DEPTH", "MISSING", "SchemaMismatch", "check_response", "prepare"]

Schema = Mapping[str, Any]

_REF_PREFIX = "#/components/schemas/"
_EMPTY: Schema = {}
_NONE = type(None)
# The value kinds of JSON, as Python types; values of other types are normalised or classified first.
_PLAIN_KINDS = frozenset({str, int, float, bool, _NONE, dict, list})
_KINDS_OF_TYPE: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (_NONE,),
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
_JSON_VALUE = "a JSON value (str, int, float, bool, None, list or dict)"
_REQUIRED = "a value (required key)"
_MAX_CACHED_PLANS = 10_000
_LARGEST = 1.7976931348623157e308  # sys.float_info.max: infinities and NaN fall outside every span
MAX_DEPTH = 100
"""How deeply arrays and free-form objects (those without declared ``properties``) may nest in a value: far
beyond any real request or answer, well within the interpreter's recursion limit (the walk and ``json.dumps``
recurse), so a cyclic or absurdly deep value is a ``RequestValidationError`` naming where, not a
``RecursionError``."""
_TOO_DEEP = f"a value nested at most {MAX_DEPTH} levels deep"
_CYCLIC = "a value without cycles (this one contains itself)"
_UNENCODABLE = "a string that can be encoded as UTF-8 (this one has a lone surrogate such as '\\ud800')"
_SURROGATE = re.compile("[\ud800-\udfff]")

_Path: TypeAlias = "str | tuple[_Path, str | int]"
"""Where a value sits: the root path (text), or ``(parent, key)`` for a property name or an array index."""


class _Missing:
    """Stands for an absent required key in error reports; its repr is ``nothing``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "nothing"


MISSING = _Missing()


class SchemaMismatch(ValueError):  # noqa: N818 - the name is part of the runtime's contract
    """A value does not match its schema: where it sits (``path``), what was expected (``expected``, in words) and
    what was found (``value``). ``about_key`` marks a missing or unknown key: a fault of the enclosing object.

    The one type for this fact: the walk raises it, ``check_response`` lets it out (the transport reports a
    ``ResponseValidationError``) and ``prepare`` hands the same three facts to the public
    ``RequestValidationError``. The path is kept as a chain of keys and made text only when asked for.
    """

    def __init__(self, at: _Path, expected: str, value: object, *, about_key: bool = False) -> None:
        self.at = at
        self.expected = expected
        self.value = value
        self.about_key = about_key

    @property
    def path(self) -> str:
        """``orq.load_balancer.models[0]``; ``""`` for the value itself."""
        return _path_text(self.at)

    @property
    def depth(self) -> int:
        """How far below the root the fault lies (``orq.models[0]`` is 3 deep; a key fault counts at its object)."""
        return _depth(self.path) - self.about_key

    def __str__(self) -> str:
        where = self.path or "response"
        if self.value is MISSING and self.expected == _REQUIRED:
            return f"{where}: required key missing"
        return f"{where}: expected {self.expected}, got {clipped_repr(self.value)}"


def prepare(
    value: object, schema: Schema, components: Mapping[str, Schema], path: str = "", *, copy: bool = False
) -> object:
    """Validate a request value against ``schema`` and return its wire form.

    ``value`` may mix plain dicts/lists/tuples/scalars, enum members and generated model objects (anything with
    a ``to_dict()`` method). Raises ``RequestValidationError`` naming the first offending ``path``. Emits a
    ``DeprecationWarning`` (pointing at the caller's line) for each deprecated property set in a plain dict.

    The wire form shares the dicts and lists of ``value`` that need no conversion, unless ``copy`` is true: pass
    it when the wire form is sent later (by a coroutine), so that changes made to ``value`` meanwhile are not.
    """
    walk = _Walk(components, copy)
    walk.root = value
    try:
        result = walk.check(value, _plan(schema), path, True)
    except SchemaMismatch as exc:
        raise RequestValidationError(exc.path, exc.expected, exc.value) from None
    except RecursionError:  # the caller's own stack was nearly full: MAX_DEPTH is checked before this happens
        raise RequestValidationError(path, _TOO_DEEP, value) from None
    for message in walk.deprecations:
        warn_deprecated(message)
    return result


def check_response(
    value: object, schema: Schema, components: Mapping[str, Schema], path: str = "", *, strict: bool = True
) -> object:
    """Check a parsed JSON response body against ``schema`` and return it; raises ``SchemaMismatch`` when it does
    not fit. Unknown keys are allowed unless the schema says ``additionalProperties: false``.

    With ``strict=False`` a departure inside an optional part is repaired instead: the smallest subtree that
    contains the fault and that the schema does not require (a property missing from its object's ``required``)
    is deleted from ``value`` (in place), with a ``ResponseShapeWarning`` naming it and the fault; then the body
    is checked again. A fault the result cannot do without (a required property, anything inside an array item,
    anything under a ``oneOf``/``anyOf`` whose branch is not known) still raises ``SchemaMismatch``.
    """
    plan = _plan(schema)
    while True:
        walk = _Walk(components)
        walk.root = value
        try:
            walk.check(value, plan, path, False)
        except SchemaMismatch as exc:
            optional = None if strict else walk.optional_part(value, plan, exc)
            if optional is None:
                raise
            container, key, at = optional
            del container[key]
            warn_response_shape(_path_text(at), str(exc))
        except RecursionError:  # a nearly full stack of the caller: MAX_DEPTH is checked before this happens
            raise SchemaMismatch(path, _TOO_DEEP, value) from None
        else:
            return value


_PLANS: dict[int, _Plan] = {}


def _plan(schema: Schema | bool) -> _Plan:
    """The plan of ``schema``, made on first use. A plan keeps its schema alive, so ``id`` stays unique."""
    plan = _PLANS.get(id(schema))
    if plan is None:
        if len(_PLANS) >= _MAX_CACHED_PLANS:  # schemas made on the fly must not grow the cache forever
            _PLANS.clear()
        plan = _PLANS[id(schema)] = _Plan(schema)
    return plan


class _Plan:
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

    def __init__(self, schema: Schema | bool) -> None:
        self.never = schema is False
        schema = _EMPTY if isinstance(schema, bool) else schema
        self.schema = schema
        self.ref: str | None = schema.get("$ref")
        self.ref_name = _component_name(self.ref) if self.ref is not None else None
        self.ref_only = self.ref is not None and _ASSERTIONS.isdisjoint(schema)
        self.deprecated = schema.get("deprecated") is True
        self.replaced_by: str | None = schema.get("x-replaced-by")
        # Filled on first use, for the components they were resolved against (see _Walk.target / deprecations).
        self.ref_target: tuple[Mapping[str, Schema], _Plan] | None = None
        self.deprecated_keys: tuple[Mapping[str, Schema], Mapping[str, str | None]] | None = None

        types = schema.get("type")
        self.types: tuple[str, ...] | None = (
            None if types is None else (types,) if isinstance(types, str) else tuple(types)
        )
        kinds = {kind for name in self.types or () for kind in _type_kinds(name)}
        if schema.get("nullable") is True:
            kinds.add(_NONE)
        self.kinds = frozenset(kinds)
        self.enum: Sequence[object] | None = schema.get("enum")
        self.type_text = _one_of(self.enum) if self.enum is not None else " or ".join(self.types or ())
        self.has_const = "const" in schema
        self.const = schema.get("const")

        self.all_of = tuple(_plan(sub) for sub in schema.get("allOf", ()))
        self.one_of = tuple(_plan(sub) for sub in schema.get("oneOf", ()))
        self.any_of = tuple(_plan(sub) for sub in schema.get("anyOf", ()))
        self.unions = bool(self.all_of or self.one_of or self.any_of)
        self.discriminator: Mapping[str, Any] | None = schema.get("discriminator")
        self.tag_options: tuple[Mapping[str, Schema], dict[str, _Plan]] | None = None  # filled on first use

        properties: Mapping[str, Any] = schema.get("properties") or _EMPTY
        self.properties = {key: _plan(sub) for key, sub in properties.items()}
        self.may_deprecate = any(sub.deprecated or sub.ref is not None for sub in self.properties.values())
        extra = schema.get("additionalProperties", True)
        self.closed = extra is False
        self.extra = _sub_plan(extra)
        self.required: tuple[str, ...] = tuple(schema.get("required") or ())
        self.min_properties: int | None = schema.get("minProperties")
        self.max_properties: int | None = schema.get("maxProperties")

        self.items = _sub_plan(schema.get("items", True))
        self.min_items: int | None = schema.get("minItems")
        self.max_items: int | None = schema.get("maxItems")
        self.unique_items = schema.get("uniqueItems") is True

        self.min_length: int | None = schema.get("minLength")
        self.max_length: int | None = schema.get("maxLength")
        pattern = schema.get("pattern")
        self.pattern = None if pattern is None else re.compile(pattern)
        self.string_checks = self.min_length is not None or self.max_length is not None or pattern is not None

        self.number_bounds = _bounds(schema)
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
        trivial = {str, int, bool, _NONE} if self.types is None else {str, int, bool, _NONE} & self.kinds
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


def _sub_plan(schema: Schema | bool) -> _Plan | None:
    """The plan of an ``items`` / ``additionalProperties`` schema; ``None`` when anything goes."""
    return None if schema is True or schema is False else _plan(schema)


class _Walk:
    """One validation run: the components to resolve ``$ref`` against, whether to copy every container, and the
    deprecations seen so far."""

    __slots__ = ("components", "copy", "depth", "deprecations", "root")

    def __init__(self, components: Mapping[str, Schema], copy: bool = False) -> None:
        self.components = components
        self.copy = copy
        self.deprecations: list[str] = []
        self.depth = 0  # objects and arrays open around the value being checked
        self.root: object = None  # the value the walk started with (to tell a cycle from a deep value)

    def too_deep(self, value: object, path: _Path) -> SchemaMismatch:
        """The error for a container past ``MAX_DEPTH``: a cycle, or a value that is simply too deep."""
        return SchemaMismatch(path, _CYCLIC if _contains_itself(self.root, path, value) else _TOO_DEEP, value)

    def target(self, plan: _Plan) -> _Plan:
        """The plan of the schema ``plan``'s ``$ref`` names (remembered in ``plan`` for these components)."""
        cached = plan.ref_target
        if cached is not None and cached[0] is self.components:
            return cached[1]
        target = self.components.get(plan.ref_name) if plan.ref_name is not None else None
        if target is None:
            raise _unresolvable(plan.ref)
        result = _plan(target)
        plan.ref_target = (self.components, result)
        return result

    def optional_part(
        self, root: object, plan: _Plan, fault: SchemaMismatch
    ) -> tuple[dict[str, Any], str, _Path] | None:
        """Where ``fault`` lies in ``root``: the smallest part that contains it and that the schema does not
        require, as (the object holding it, its key, its path); ``None`` when there is none (see
        ``check_response``). Object members only: nothing inside an array item, nor under a union."""
        keys: list[str | int] = []
        at = fault.at
        while isinstance(at, tuple):
            at, key = at
            keys.append(key)
        keys.reverse()
        if fault.about_key and fault.value is MISSING:  # a missing required key: the fault of its object
            keys.pop()
        found: tuple[dict[str, Any], str, _Path] | None = None
        node, plans = root, [plan]
        where: _Path = at
        for key in keys:
            parts = self.object_parts(plans)
            if isinstance(key, int) or parts is None or type(node) is not dict or key not in node:
                break
            where = (where, key)
            if not any(key in part.required for part in parts):
                found = (node, key, where)
            sub = next((part.properties[key] for part in parts if key in part.properties), None)
            plans = [sub or next((part.extra for part in parts if part.extra is not None), _ANY)]
            node = node[key]
        return found

    def object_parts(self, plans: list[_Plan]) -> list[_Plan] | None:
        """The plans that together describe an object (``$ref`` targets and ``allOf`` branches included);
        ``None`` under a ``oneOf`` / ``anyOf``, where it is not known which branch describes it."""
        parts: list[_Plan] = []
        todo = list(plans)
        while todo:
            part = todo.pop()
            if part.one_of or part.any_of:
                return None
            parts.append(part)
            todo.extend(part.all_of)
            if part.ref is not None:
                todo.append(self.target(part))
        return parts

    def resolve(self, ref: str) -> Schema:
        name = _component_name(ref)
        target = self.components.get(name) if name is not None else None
        if target is None:
            raise _unresolvable(ref)
        return target

    def check(self, value: object, plan: _Plan, path: _Path, warn: bool) -> object:
        """Validate ``value`` at ``path`` and return its wire form; ``warn`` is false inside model objects.

        The wire form is ``value`` itself when it is plain JSON already (exact dicts and lists, nothing in them to
        convert) and the walk does not copy; otherwise new containers hold the converted parts."""
        while plan.ref is not None:
            cached = plan.ref_target
            target = cached[1] if cached is not None and cached[0] is self.components else self.target(plan)
            if not plan.ref_only:
                value = self.check(value, target, path, warn)
                break
            plan = target  # nothing beside the $ref: check against what it names, in this call
        kind: type | None = type(value)
        if kind not in _PLAIN_KINDS:
            value, warn = _normalize(value, path, warn)
            kind = _kind_of(value)
        if not plan.plain:
            value = self.check_keywords(value, kind, plan, path, warn)
        elif plan.types is not None and kind not in plan.kinds:
            raise SchemaMismatch(path, plan.type_text, value)

        if kind is str:
            if not value.isascii() and _SURROGATE.search(value):  # type: ignore[attr-defined, call-overload]
                raise SchemaMismatch(path, _UNENCODABLE, value)
            if plan.string_checks:
                _check_string(value, plan, path)  # type: ignore[arg-type]
            return value
        if kind is dict:
            return self.check_object(value, plan, path, warn) if plan.object_checks else value  # type: ignore[arg-type]
        if kind is list:
            return self.check_array(value, plan, path, warn) if plan.array_checks else value  # type: ignore[arg-type]
        if kind is int or kind is float:
            if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
                raise SchemaMismatch(path, "a finite number", value)
            if plan.number_checks:
                _check_number(value, plan, path)  # type: ignore[arg-type]
            return value
        if kind is bool or kind is _NONE:
            return value
        raise SchemaMismatch(path, _JSON_VALUE, value)

    def check_keywords(self, value: object, kind: type | None, plan: _Plan, path: _Path, warn: bool) -> object:
        """The keywords about the value as a whole, in this order: ``false``, unions, ``type``, ``enum``, ``const``."""
        if plan.never:
            raise SchemaMismatch(path, "nothing (no value is allowed here)", value)
        if plan.unions:
            for branch in plan.all_of:
                value = self.check(value, branch, path, warn)
            if plan.one_of:
                value = self.check_union(value, plan, plan.one_of, path, warn, exactly_one=True)
            if plan.any_of:
                value = self.check_union(value, plan, plan.any_of, path, warn, exactly_one=False)
        if plan.types is not None and kind not in plan.kinds:
            raise SchemaMismatch(path, plan.type_text, value)
        if plan.enum is not None and not _in_enum(value, plan.enum):
            raise SchemaMismatch(path, plan.type_text, value)
        if plan.has_const and not _json_equal(value, plan.const):
            raise SchemaMismatch(path, repr(plan.const), value)
        return value

    def check_object(self, value: Mapping[Any, Any], plan: _Plan, path: _Path, warn: bool) -> Mapping[Any, Any]:
        properties = plan.properties
        # Only free-form objects count towards MAX_DEPTH: those with declared properties nest as deeply as the
        # schema does (a recursive schema nested absurdly deep meets prepare's RecursionError fallback).
        if not properties:
            self.depth = depth = self.depth + 1
            if depth > MAX_DEPTH:
                raise self.too_deep(value, path)
        deprecated = self.deprecated_keys(plan) if warn and plan.may_deprecate else _EMPTY
        changed: dict[str, object] | None = None
        for key, item in value.items():
            sub = properties.get(key)
            if sub is None:
                if not isinstance(key, str):
                    raise SchemaMismatch(path, "an object with string keys", key)
                if not key.isascii() and _SURROGATE.search(key):
                    raise SchemaMismatch((path, key), f"a key that {_UNENCODABLE.removeprefix('a string that ')}", key)
                if plan.closed:
                    raise SchemaMismatch((path, key), _unknown_key_text(key, plan), item, about_key=True)
                sub = plan.extra or _ANY
            elif key in deprecated:
                self.deprecations.append(deprecation_message(_path_text((path, key)), deprecated[key]))
            kind, span = type(item), sub.span  # the leaf shortcuts of _Plan, inline: this loop is hot
            if (kind in sub.trivial and (kind is not str or item.isascii())) or (
                span is not None and kind in span[0] and span[1] <= item <= span[2]
            ):
                continue
            result = self.check(item, sub, (path, key), warn)
            if result is not item:
                if changed is None:
                    changed = {}
                changed[key] = result
        for name in plan.required:
            if name not in value:
                raise SchemaMismatch((path, name), _REQUIRED, MISSING, about_key=True)
        low, high = plan.min_properties, plan.max_properties
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise SchemaMismatch(path, f"an object with {_count_text(low, high, 'key')}", value)
        if not properties:
            self.depth -= 1
        if changed is None and type(value) is dict and not self.copy:
            return value
        out = dict(value)
        if changed is not None:
            out.update(changed)
        return out

    def check_array(self, value: Sequence[Any], plan: _Plan, path: _Path, warn: bool) -> Sequence[Any]:
        self.depth = depth = self.depth + 1
        if depth > MAX_DEPTH:
            raise self.too_deep(value, path)
        items = plan.items or _ANY
        trivial, span = items.trivial, items.span
        out: list[object] | None = None  # made at the first item whose wire form is another object
        for index, item in enumerate(value):
            kind = type(item)
            if (kind in trivial and (kind is not str or item.isascii())) or (
                span is not None and kind in span[0] and span[1] <= item <= span[2]
            ):
                result = item
            else:
                result = self.check(item, items, (path, index), warn)
            if out is not None:
                out.append(result)
            elif result is not item:
                out = list(value[:index])
                out.append(result)
        if out is None:
            out = value if type(value) is list and not self.copy else list(value)
        low, high = plan.min_items, plan.max_items
        if (low is not None and len(out) < low) or (high is not None and len(out) > high):
            raise SchemaMismatch(path, f"an array with {_count_text(low, high, 'item')}", value)
        if plan.unique_items:
            seen: dict[object, int] = {}
            for index, item in enumerate(out):
                first = seen.setdefault(_freeze(item), index)
                if first != index:
                    text = _path_text(path)
                    raise SchemaMismatch((path, index), f"unique items (same as {text}[{first}])", item)
        self.depth -= 1
        return out

    def check_union(
        self, value: object, plan: _Plan, branches: tuple[_Plan, ...], path: _Path, warn: bool, *, exactly_one: bool
    ) -> object:
        """``oneOf`` / ``anyOf``: the branch named by the discriminator, else the first (or only) that matches."""
        if plan.discriminator is not None and (type(value) is dict or isinstance(value, Mapping)):
            return self.check(value, self.pick_branch(value, plan, branches, path), path, warn)
        failures: list[SchemaMismatch] = []
        matches: list[tuple[int, object, list[str]]] = []
        for index, branch in enumerate(branches):
            target = self.target(branch) if branch.ref_only else branch
            if target.types is not None and not target.unions and _kind_of(value) not in target.kinds:
                failures.append(SchemaMismatch(path, target.type_text, value))  # what check() would raise, but cheaper
                continue
            mark, depth = len(self.deprecations), self.depth
            try:
                result = self.check(value, target, path, warn)
            except SchemaMismatch as exc:
                del self.deprecations[mark:]
                self.depth = depth
                failures.append(exc)
                continue
            if not exactly_one:
                return result
            matches.append((index, result, self.deprecations[mark:]))
            del self.deprecations[mark:]
        if len(matches) == 1:
            self.deprecations.extend(matches[0][2])
            return matches[0][1]
        names = [self.branch_name(branch, index) for index, branch in enumerate(branches)]
        if matches:
            matched = ", ".join(names[index] for index, _, _ in matches)
            raise SchemaMismatch(path, f"exactly one of {', '.join(names)} (matches {matched})", value)
        raise _best_failure(failures, path) or SchemaMismatch(path, _union_text(failures, path, names), value)

    def pick_branch(self, value: Mapping[str, Any], plan: _Plan, branches: tuple[_Plan, ...], path: _Path) -> _Plan:
        """The branch ``plan``'s discriminator selects for ``value``."""
        discriminator = plan.discriminator or _EMPTY
        options = self.tag_options(plan, discriminator, branches)
        name = discriminator["propertyName"]
        tag = value.get(name, MISSING)
        chosen = options.get(tag) if isinstance(tag, str) else None
        if chosen is None:
            raise SchemaMismatch((path, name), _one_of(list(options)), tag)
        return chosen

    def tag_options(
        self, plan: _Plan, discriminator: Mapping[str, Any], branches: tuple[_Plan, ...]
    ) -> dict[str, _Plan]:
        """Discriminator value -> branch: the explicit ``mapping``, then $ref branches it leaves out by name."""
        cached = plan.tag_options
        if cached is not None and cached[0] is self.components:
            return cached[1]
        options: dict[str, _Plan] = {}
        for tag, ref in (discriminator.get("mapping") or _EMPTY).items():
            options[tag] = _plan(self.resolve(ref if ref.startswith("#") else _REF_PREFIX + ref))
        mapped = set(options.values())
        for branch in branches:
            if branch.ref_name is not None and self.target(branch) not in mapped:
                options.setdefault(branch.ref_name, self.target(branch))
        plan.tag_options = (self.components, options)
        return options

    def branch_name(self, branch: _Plan, index: int) -> str:
        """How an error names a union branch: its title, its ``$ref`` name, its type, or its position."""
        target = self.target(branch) if branch.ref is not None else branch
        title = branch.schema.get("title") or target.schema.get("title")
        if title:
            return str(title)
        if branch.ref is not None:
            return branch.ref.rsplit("/", 1)[-1]
        return " or ".join(target.types) if target.types else f"option {index + 1}"

    def deprecated_keys(self, plan: _Plan) -> Mapping[str, str | None]:
        """The properties of ``plan`` that are deprecated, themselves or in what their ``$ref`` names, each with
        its replacement (``x-replaced-by``, the property's own first) or ``None``."""
        cached = plan.deprecated_keys
        if cached is not None and cached[0] is self.components:
            return cached[1]
        keys: dict[str, str | None] = {}
        for key, sub in plan.properties.items():
            if sub.deprecated or sub.ref is None:
                target = sub
            else:
                try:
                    target = self.target(sub)
                except ValueError:  # reported when the key is checked, if it is present
                    continue
            if target.deprecated:
                keys[key] = sub.replaced_by or target.replaced_by
        plan.deprecated_keys = (self.components, keys)
        return keys


def _normalize(value: object, path: _Path, warn: bool) -> tuple[object, bool]:
    """Turn model objects (``to_dict()``) into dicts and enum members into their values."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        try:
            result = to_dict()
        except RecursionError:  # model objects that contain each other
            raise SchemaMismatch(path, _CYCLIC, value) from None
        if not isinstance(result, Mapping):
            raise SchemaMismatch(path, "to_dict() to return a dict", result)
        return result, False  # the model warned about its deprecated fields when they were set
    if isinstance(value, enum.Enum):
        return value.value, warn
    return value, warn


def _kind_of(value: object) -> type | None:
    """The JSON kind of ``value`` as one of ``_PLAIN_KINDS`` (``None`` when it has none)."""
    kind = type(value)
    if kind in _PLAIN_KINDS:
        return kind
    for plain in (bool, str, int, float):  # bool first: it is an int subclass
        if isinstance(value, plain):
            return plain
    if isinstance(value, Mapping):
        return dict
    if isinstance(value, (list, tuple)):
        return list
    return None


def _contains_itself(root: object, path: _Path, value: object) -> bool:
    """Whether ``value``, found at ``path`` below ``root``, is also one of the containers on the way there."""
    keys: list[str | int] = []
    while isinstance(path, tuple):
        path, key = path
        keys.append(key)
    node = root
    for key in reversed(keys):
        if node is value:
            return True
        try:
            node = node[key]  # type: ignore[index]
        except (LookupError, TypeError):  # a model object on the way: its to_dict() makes new containers
            return False
    return False


def _component_name(ref: str) -> str | None:
    """``Name`` for ``#/components/schemas/Name`` (JSON-pointer escapes undone); ``None`` for other refs."""
    if not ref.startswith(_REF_PREFIX):
        return None
    return ref[len(_REF_PREFIX) :].replace("~1", "/").replace("~0", "~")


def _unresolvable(ref: str | None) -> ValueError:
    return ValueError(f"cannot resolve $ref {ref!r}: only '#/components/schemas/<name>' of known names")


def _type_kinds(name: str) -> tuple[type, ...]:
    try:
        return _KINDS_OF_TYPE[name]
    except KeyError:
        raise ValueError(f"unknown JSON Schema type {name!r}") from None


def _path_text(path: _Path) -> str:
    """``path`` as text: ``orq.load_balancer.models[0]``, ``metadata['a b']``, ``[2]`` (an index at the root)."""
    keys: list[str | int] = []
    while isinstance(path, tuple):
        path, key = path
        keys.append(key)
    text = path
    for key in reversed(keys):
        if isinstance(key, int):
            text = f"{text}[{key}]"
        elif not key.isidentifier():
            text = f"{text}[{key!r}]"
        else:
            text = f"{text}.{key}" if text else key
    return text


def _bounds(schema: Schema) -> tuple[tuple[str, float], ...]:
    """The numeric bounds of ``schema`` as (operator, limit) pairs, reading OpenAPI 3.0's boolean flags too."""
    low, high = schema.get("minimum"), schema.get("maximum")
    low_x, high_x = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(low_x, bool):  # OpenAPI 3.0: a flag that makes "minimum" exclusive
        low, low_x = (None, low) if low_x else (low, None)
    if isinstance(high_x, bool):
        high, high_x = (None, high) if high_x else (high, None)
    pairs = ((">=", low), (">", low_x), ("<=", high), ("<", high_x))
    return tuple((operator, limit) for operator, limit in pairs if limit is not None)


def _in_enum(value: object, choices: Sequence[object]) -> bool:
    if type(value) is str:
        return value in choices
    return any(_json_equal(value, choice) for choice in choices)


def _json_equal(a: object, b: object) -> bool:
    """Equality as JSON sees it: ``True`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_json_equal(a[key], b[key]) for key in a)
    return a == b


def _freeze(value: object) -> object:
    """A hashable stand-in for a JSON value such that equal JSON values (only they) give equal stand-ins."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", value)
    if isinstance(value, (list, tuple)):
        return ("a", tuple(_freeze(item) for item in value))
    if isinstance(value, Mapping):
        return ("o", frozenset((key, _freeze(item)) for key, item in value.items()))
    return ("s", value)


def _one_of(choices: Sequence[object]) -> str:
    return "one of " + ", ".join(repr(choice) for choice in choices)


def _count_text(low: int | None, high: int | None, noun: str) -> str:
    if low is not None and high is not None:
        return f"{low} to {high} {noun}s"
    if low is not None:
        return f"at least {low} {noun}{'' if low == 1 else 's'}"
    return f"at most {high} {noun}{'' if high == 1 else 's'}"


def _check_string(value: str, plan: _Plan, path: _Path) -> None:
    low, high = plan.min_length, plan.max_length
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        raise SchemaMismatch(path, f"a string of {_count_text(low, high, 'character')}", value)
    if plan.pattern is not None and not plan.pattern.search(value):
        raise SchemaMismatch(path, f"a string matching the pattern {plan.pattern.pattern!r}", value)


def _check_number(value: float, plan: _Plan, path: _Path) -> None:
    low, high, low_x, high_x = plan.minimum, plan.maximum, plan.exclusive_minimum, plan.exclusive_maximum
    if (
        (low is not None and value < low)
        or (high is not None and value > high)
        or (low_x is not None and value <= low_x)
        or (high_x is not None and value >= high_x)
    ):
        noun = "integer" if plan.types and "integer" in plan.types else "number"
        text = " and ".join(f"{op} {bound}" for op, bound in plan.number_bounds)
        raise SchemaMismatch(path, f"{noun} {text}", value)
    step = plan.multiple_of
    if step is not None and not _is_multiple(value, step):
        raise SchemaMismatch(path, f"a multiple of {step}", value)


def _is_multiple(value: float, step: float) -> bool:
    if isinstance(value, int) and isinstance(step, int):
        return value % step == 0
    quotient = value / step
    return math.isclose(quotient, round(quotient), rel_tol=1e-9, abs_tol=1e-9)


def _unknown_key_text(key: str, plan: _Plan) -> str:
    from difflib import get_close_matches  # only for this error message: difflib is slow to import

    allowed = ", ".join(plan.properties) or "none"
    guess = get_close_matches(key, list(plan.properties), n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    return f"no unknown keys (allowed: {allowed}{hint})"


def _best_failure(failures: list[SchemaMismatch], path: _Path) -> SchemaMismatch | None:
    """The error of the single branch that got deepest below ``path`` (that branch was most likely meant).

    A missing or unknown key counts as a fault of its object, so a branch whose keys all fit wins over one that
    lacks a required key at the same level."""
    if not failures:
        return None
    deepest = max(failure.depth for failure in failures)
    at_deepest = [failure for failure in failures if failure.depth == deepest]
    return at_deepest[0] if deepest > _depth(_path_text(path)) and len(at_deepest) == 1 else None


def _union_text(failures: list[SchemaMismatch], path: _Path, names: list[str]) -> str:
    """What a union expected: the branches' own expectations when all of them failed on the value itself
    (``one of 'low', 'auto' or null``), else the branch names (``one of Identity, PublicContact``)."""
    text = _path_text(path)
    if all(failure.path == text for failure in failures):
        return " or ".join(dict.fromkeys(failure.expected for failure in failures))
    return f"one of {', '.join(names)}"


def _depth(path: str) -> int:
    """How many keys and indices deep ``path`` is (``orq.models[0]`` is 3 deep)."""
    return path.count(".") + path.count("[") + (1 if path[:1] not in ("", "[") else 0)


_ANY = _plan(True)  # the plan that accepts any JSON value (made last: it needs the helpers above)
