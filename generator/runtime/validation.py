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

Three modules, one job each: ``schema_plans`` reads a schema dict once into a ``Plan`` (what to check, with the
arguments ready), ``schema_text`` words the messages, and this module walks values. A ``Validator`` (one per
``components`` map) owns the plans of its schemas, cached by identity (schemas are treated as immutable constants),
and what each ``$ref`` names. ``$ref`` is followed during validation, so recursive schemas work. The hot path
allocates little: containers are copied only when something in
them changes (a model object, an enum member, a tuple), and the path of a value is a chain of ``(parent, key)``
pairs that is turned into text only for an error or a deprecation warning.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import RequestValidationError
from .reprs import clipped_repr
from .schema_plans import ANY, EMPTY, NONE, PLAIN_KINDS, REF_PREFIX, Plan, Schema, component_name, unresolvable
from .schema_text import (
    CYCLIC,
    JSON_VALUE,
    MISSING,
    REQUIRED,
    UNENCODABLE,
    UNENCODABLE_KEY,
    Path,
    count_text,
    depth_of,
    one_of,
    path_text,
    union_text,
    unknown_key_text,
)
from .warn import deprecation_message, warn_deprecated, warn_response_shape

if TYPE_CHECKING:
    from .schema_fast import FastChecks

__all__ = ["MAX_DEPTH", "MISSING", "SchemaMismatch", "Validator", "check_response", "prepare"]

_MAX_CACHED_PLANS = 10_000
_MAX_VALIDATORS = 64
MAX_DEPTH = 100
"""How deeply arrays and free-form objects (those without declared ``properties``) may nest in a value: far
beyond any real request or answer, well within the interpreter's recursion limit (the walk and ``json.dumps``
recurse), so a cyclic or absurdly deep value is a ``RequestValidationError`` naming where, not a
``RecursionError``."""
_TOO_DEEP = f"a value nested at most {MAX_DEPTH} levels deep"


class _LazyPattern:
    """A regular expression compiled when first used (this one takes 0.3 ms to compile, and most programs never
    send a string that is not ASCII)."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled.search(text)


_SURROGATE = _LazyPattern("[\ud800-\udfff]")


class SchemaMismatch(ValueError):  # noqa: N818 - the name is part of the runtime's contract
    """A value does not match its schema: where it sits (``path``), what was expected (``expected``, in words) and
    what was found (``value``). ``about_key`` marks a missing or unknown key: a fault of the enclosing object.

    The one type for this fact: the walk raises it, ``check_response`` lets it out (the transport reports a
    ``ResponseValidationError``) and ``prepare`` hands the same three facts to the public
    ``RequestValidationError``. The path is kept as a chain of keys and made text only when asked for.
    """

    def __init__(self, at: Path, expected: str, value: object, *, about_key: bool = False) -> None:
        self.at = at
        self.expected = expected
        self.value = value
        self.about_key = about_key

    @property
    def path(self) -> str:
        """``orq.load_balancer.models[0]``; ``""`` for the value itself."""
        return path_text(self.at)

    @property
    def depth(self) -> int:
        """How far below the root the fault lies (``orq.models[0]`` is 3 deep; a key fault counts at its object)."""
        return depth_of(self.path) - self.about_key

    def __str__(self) -> str:
        where = self.path or "response"
        if self.value is MISSING and self.expected == REQUIRED:
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
    validator = validator_for(components)
    plan = validator.plan(schema)
    if validator.passes(value, plan):  # plain JSON that fits: nothing to convert, warn about or report
        if not copy:
            return value
        try:
            return _plain_copy(value)
        except RecursionError:  # a recursive schema nested absurdly deep: the walk says so
            pass
    walk = _Walk(validator, copy)
    walk.root = value
    try:
        result = walk.check(value, plan, path, True)
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
    validator = validator_for(components)
    plan = validator.plan(schema)
    if validator.passes(value, plan):
        return value
    while True:
        walk = _Walk(validator)
        walk.root = value
        try:
            walk.check(value, plan, path, False)
        except SchemaMismatch as exc:
            optional = None if strict else validator.optional_part(value, plan, exc)
            if optional is None:
                raise
            container, key, at = optional
            del container[key]
            warn_response_shape(path_text(at), str(exc))
        except RecursionError:  # a nearly full stack of the caller: MAX_DEPTH is checked before this happens
            raise SchemaMismatch(path, _TOO_DEEP, value) from None
        else:
            return value


_VALIDATORS: dict[int, Validator] = {}


def validator_for(components: Mapping[str, Schema]) -> Validator:
    """The ``Validator`` of ``components`` (the generated ``_schemas.COMPONENTS``: one for the process)."""
    validator = _VALIDATORS.get(id(components))
    if validator is None or validator.components is not components:
        if len(_VALIDATORS) >= _MAX_VALIDATORS:  # components made on the fly (tests) must not pile up
            _VALIDATORS.clear()
        validator = _VALIDATORS[id(components)] = Validator(components)
    return validator


class Validator:
    """The schemas of one ``components`` map (``components.schemas``, what ``$ref`` names), read into plans.

    Owns the plan of each schema it was asked about, keyed by the schema's identity (the plan keeps the schema
    alive, so the identity stays unique), and remembers in each plan what its ``$ref`` names, its
    discriminator's branches and its deprecated properties: a plan belongs to one validator.
    """

    __slots__ = ("_compiled", "_plans", "components")

    def __init__(self, components: Mapping[str, Schema]) -> None:
        self.components = components
        self._plans: dict[int, Plan] = {}
        self._compiled: FastChecks | None = None  # made with the first compiled check

    def passes(self, value: object, plan: Plan) -> bool:
        """Whether ``value`` certainly passes ``plan`` unchanged, by ``plan``'s compiled check (made on first use,
        see ``schema_fast``); ``False`` means "walk it"."""
        compiled = self._compiled
        if compiled is None or len(compiled.plans) >= _MAX_CACHED_PLANS:  # schemas made on the fly must not pile up
            from .schema_fast import FastChecks

            compiled = self._compiled = FastChecks(self, MAX_DEPTH)
        return compiled.passes(value, plan)

    def plan(self, schema: Schema | bool) -> Plan:
        """The plan of ``schema``, made on first use."""
        plan = self._plans.get(id(schema))
        if plan is None:
            if len(self._plans) >= _MAX_CACHED_PLANS:  # schemas made on the fly must not grow the cache forever
                self._plans.clear()
            plan = self._plans[id(schema)] = Plan(schema, self.plan)
        return plan

    def target(self, plan: Plan) -> Plan:
        """The plan of the schema ``plan``'s ``$ref`` names (remembered in ``plan``)."""
        if plan.ref_target is None:
            target = self.components.get(plan.ref_name) if plan.ref_name is not None else None
            if target is None:
                raise unresolvable(plan.ref)
            plan.ref_target = self.plan(target)
        return plan.ref_target

    def resolve(self, ref: str) -> Schema:
        name = component_name(ref)
        target = self.components.get(name) if name is not None else None
        if target is None:
            raise unresolvable(ref)
        return target

    def tag_options(self, plan: Plan, branches: tuple[Plan, ...]) -> dict[str, Plan]:
        """Discriminator value -> branch: the explicit ``mapping``, then $ref branches it leaves out by name."""
        if plan.tag_options is None:
            options: dict[str, Plan] = {}
            for tag, ref in ((plan.discriminator or EMPTY).get("mapping") or EMPTY).items():
                options[tag] = self.plan(self.resolve(ref if ref.startswith("#") else REF_PREFIX + ref))
            mapped = set(options.values())
            for branch in branches:
                if branch.ref_name is not None and self.target(branch) not in mapped:
                    options.setdefault(branch.ref_name, self.target(branch))
            plan.tag_options = options
        return plan.tag_options

    def branch_name(self, branch: Plan, index: int) -> str:
        """How an error names a union branch: its title, its ``$ref`` name, its type, or its position."""
        target = self.target(branch) if branch.ref is not None else branch
        title = branch.schema.get("title") or target.schema.get("title")
        if title:
            return str(title)
        if branch.ref is not None:
            return branch.ref.rsplit("/", 1)[-1]
        return " or ".join(target.types) if target.types else f"option {index + 1}"

    def deprecated_keys(self, plan: Plan) -> Mapping[str, str | None]:
        """The properties of ``plan`` that are deprecated, themselves or in what their ``$ref`` names, each with
        its replacement (``x-replaced-by``, the property's own first) or ``None``."""
        if plan.deprecated_keys is None:
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
            plan.deprecated_keys = keys
        return plan.deprecated_keys

    def object_parts(self, plans: list[Plan]) -> list[Plan] | None:
        """The plans that together describe an object (``$ref`` targets and ``allOf`` branches included);
        ``None`` under a ``oneOf`` / ``anyOf``, where it is not known which branch describes it."""
        parts: list[Plan] = []
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

    def optional_part(self, root: object, plan: Plan, fault: SchemaMismatch) -> tuple[dict[str, Any], str, Path] | None:
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
        found: tuple[dict[str, Any], str, Path] | None = None
        node, plans = root, [plan]
        where: Path = at
        for key in keys:
            parts = self.object_parts(plans)
            if isinstance(key, int) or parts is None or type(node) is not dict or key not in node:
                break
            where = (where, key)
            if not any(key in part.required for part in parts):
                found = (node, key, where)
            sub = next((part.properties[key] for part in parts if key in part.properties), None)
            plans = [sub or next((part.extra for part in parts if part.extra is not None), ANY)]
            node = node[key]
        return found


class _Walk:
    """One validation run: the validator (schemas), whether to copy every container, the deprecations seen so far
    and how deep the walk is."""

    __slots__ = ("copy", "depth", "deprecations", "root", "validator")

    def __init__(self, validator: Validator, copy: bool = False) -> None:
        self.validator = validator
        self.copy = copy
        self.deprecations: list[str] = []
        self.depth = 0  # objects and arrays open around the value being checked
        self.root: object = None  # the value the walk started with (to tell a cycle from a deep value)

    def too_deep(self, value: object, path: Path) -> SchemaMismatch:
        """The error for a container past ``MAX_DEPTH``: a cycle, or a value that is simply too deep."""
        return SchemaMismatch(path, CYCLIC if _contains_itself(self.root, path, value) else _TOO_DEEP, value)

    def check(self, value: object, plan: Plan, path: Path, warn: bool) -> object:
        """Validate ``value`` at ``path`` and return its wire form; ``warn`` is false inside model objects.

        The wire form is ``value`` itself when it is plain JSON already (exact dicts and lists, nothing in them to
        convert) and the walk does not copy; otherwise new containers hold the converted parts."""
        while plan.ref is not None:
            target = plan.ref_target or self.validator.target(plan)
            if not plan.ref_only:
                value = self.check(value, target, path, warn)
                break
            plan = target  # nothing beside the $ref: check against what it names, in this call
        kind: type | None = type(value)
        if kind not in PLAIN_KINDS:
            value, warn = _normalize(value, path, warn)
            kind = _kind_of(value)
        if not plan.plain:
            value = self.check_keywords(value, kind, plan, path, warn)
        elif plan.types is not None and kind not in plan.kinds:
            raise SchemaMismatch(path, plan.type_text, value)

        if kind is str:
            if not value.isascii() and _SURROGATE.search(value):  # type: ignore[attr-defined, arg-type]
                raise SchemaMismatch(path, UNENCODABLE, value)
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
        if kind is bool or kind is NONE:
            return value
        raise SchemaMismatch(path, JSON_VALUE, value)

    def check_keywords(self, value: object, kind: type | None, plan: Plan, path: Path, warn: bool) -> object:
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

    def check_object(self, value: Mapping[Any, Any], plan: Plan, path: Path, warn: bool) -> Mapping[Any, Any]:
        properties = plan.properties
        # Only free-form objects count towards MAX_DEPTH: those with declared properties nest as deeply as the
        # schema does (a recursive schema nested absurdly deep meets prepare's RecursionError fallback).
        if not properties:
            self.depth = depth = self.depth + 1
            if depth > MAX_DEPTH:
                raise self.too_deep(value, path)
        deprecated = self.validator.deprecated_keys(plan) if warn and plan.may_deprecate else EMPTY
        changed: dict[str, object] | None = None
        for key, item in value.items():
            sub = properties.get(key)
            if sub is None:
                if not isinstance(key, str):
                    raise SchemaMismatch(path, "an object with string keys", key)
                if not key.isascii() and _SURROGATE.search(key):
                    raise SchemaMismatch((path, key), UNENCODABLE_KEY, key)
                if plan.closed:
                    raise SchemaMismatch(
                        (path, key), unknown_key_text(key, list(plan.properties)), item, about_key=True
                    )
                sub = plan.extra or ANY
            elif key in deprecated:
                self.deprecations.append(deprecation_message(path_text((path, key)), deprecated[key]))
            kind, span = type(item), sub.span  # the leaf shortcuts of Plan, inline: this loop is hot
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
                raise SchemaMismatch((path, name), REQUIRED, MISSING, about_key=True)
        low, high = plan.min_properties, plan.max_properties
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise SchemaMismatch(path, f"an object with {count_text(low, high, 'key')}", value)
        if not properties:
            self.depth -= 1
        if changed is None and type(value) is dict and not self.copy:
            return value
        out = dict(value)
        if changed is not None:
            out.update(changed)
        return out

    def check_array(self, value: Sequence[Any], plan: Plan, path: Path, warn: bool) -> Sequence[Any]:
        self.depth = depth = self.depth + 1
        if depth > MAX_DEPTH:
            raise self.too_deep(value, path)
        items = plan.items or ANY
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
            raise SchemaMismatch(path, f"an array with {count_text(low, high, 'item')}", value)
        if plan.unique_items:
            seen: dict[object, int] = {}
            for index, item in enumerate(out):
                first = seen.setdefault(_freeze(item), index)
                if first != index:
                    text = path_text(path)
                    raise SchemaMismatch((path, index), f"unique items (same as {text}[{first}])", item)
        self.depth -= 1
        return out

    def check_union(
        self, value: object, plan: Plan, branches: tuple[Plan, ...], path: Path, warn: bool, *, exactly_one: bool
    ) -> object:
        """``oneOf`` / ``anyOf``: the branch named by the discriminator, else the first (or only) that matches."""
        if plan.discriminator is not None and (type(value) is dict or isinstance(value, Mapping)):
            return self.check(value, self.pick_branch(value, plan, branches, path), path, warn)
        failures: list[SchemaMismatch] = []
        matches: list[tuple[int, object, list[str]]] = []
        for index, branch in enumerate(branches):
            target = (branch.ref_target or self.validator.target(branch)) if branch.ref_only else branch
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
        names = [self.validator.branch_name(branch, index) for index, branch in enumerate(branches)]
        if matches:
            matched = ", ".join(names[index] for index, _, _ in matches)
            raise SchemaMismatch(path, f"exactly one of {', '.join(names)} (matches {matched})", value)
        raise _best_failure(failures, path) or SchemaMismatch(path, union_text(failures, path, names), value)

    def pick_branch(self, value: Mapping[str, Any], plan: Plan, branches: tuple[Plan, ...], path: Path) -> Plan:
        """The branch ``plan``'s discriminator selects for ``value``."""
        options = self.validator.tag_options(plan, branches)
        name = (plan.discriminator or EMPTY)["propertyName"]
        tag = value.get(name, MISSING)
        chosen = options.get(tag) if isinstance(tag, str) else None
        if chosen is None:
            raise SchemaMismatch((path, name), one_of(list(options)), tag)
        return chosen


def _normalize(value: object, path: Path, warn: bool) -> tuple[object, bool]:
    """Turn model objects (``to_dict()``) into dicts and enum members into their values."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        try:
            result = to_dict()
        except RecursionError:  # model objects that contain each other
            raise SchemaMismatch(path, CYCLIC, value) from None
        if not isinstance(result, Mapping):
            raise SchemaMismatch(path, "to_dict() to return a dict", result)
        return result, False  # the model warned about its deprecated fields when they were set
    if isinstance(value, enum.Enum):
        return value.value, warn
    return value, warn


def _kind_of(value: object) -> type | None:
    """The JSON kind of ``value`` as one of ``PLAIN_KINDS`` (``None`` when it has none)."""
    kind = type(value)
    if kind in PLAIN_KINDS:
        return kind
    for plain in (bool, str, int, float):  # bool first: it is an int subclass
        if isinstance(value, plain):
            return plain
    if isinstance(value, Mapping):
        return dict
    if isinstance(value, (list, tuple)):
        return list
    return None


def _contains_itself(root: object, path: Path, value: object) -> bool:
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


def _plain_copy(value: object) -> object:
    """``value`` (plain JSON) with every dict and list copied: what the walk returns with ``copy=True``."""
    kind = type(value)
    if kind is dict:
        return {key: _plain_copy(item) for key, item in value.items()}  # type: ignore[attr-defined]
    if kind is list:
        return [_plain_copy(item) for item in value]  # type: ignore[attr-defined]
    return value


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


def _check_string(value: str, plan: Plan, path: Path) -> None:
    low, high = plan.min_length, plan.max_length
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        raise SchemaMismatch(path, f"a string of {count_text(low, high, 'character')}", value)
    if plan.pattern is not None and not plan.pattern.search(value):
        raise SchemaMismatch(path, f"a string matching the pattern {plan.pattern.pattern!r}", value)


def _check_number(value: float, plan: Plan, path: Path) -> None:
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


def _best_failure(failures: list[SchemaMismatch], path: Path) -> SchemaMismatch | None:
    """The error of the single branch that got deepest below ``path`` (that branch was most likely meant).

    A missing or unknown key counts as a fault of its object, so a branch whose keys all fit wins over one that
    lacks a required key at the same level."""
    if not failures:
        return None
    deepest = max(failure.depth for failure in failures)
    at_deepest = [failure for failure in failures if failure.depth == deepest]
    return at_deepest[0] if deepest > depth_of(path_text(path)) and len(at_deepest) == 1 else None
