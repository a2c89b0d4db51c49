"""A fast first pass over plain JSON values: each schema's ``Plan`` compiled into Python code that answers one
question, "does this value certainly pass, unchanged?".

Most calls send plain dicts, lists, strings and numbers that fit their schema; for them the walk of ``validation``
(written for every case: model objects, enum members, tuples, deprecations, errors worded with their path) costs
more than the request itself. The compiled check inlines what the walk decides per value at run time (which
keywords apply, the shortcuts for leaves) and stops at the first doubt:

- ``True``: the value passes and the walk would return it unchanged (no deprecated key set, nothing to convert);
- ``False``: the value certainly fails (the walk raises for it; only unions rely on this answer);
- ``_Bail`` raised: anything else (a value that is not plain JSON, a deprecated key, a value nested deeper than
  ``MAX_DEPTH``, a ``$ref`` that does not resolve).

Callers use ``True`` and run the walk for anything else, so errors, warnings and conversions keep one owner. A test
pits the two against each other on generated values (``tests/runtime/test_schema_fast.py``).

Why not a library: fastjsonschema compiles JSON Schema the same way but knows neither OpenAPI's ``nullable`` and
``discriminator`` nor our rules (JSON equality of ``True`` and ``1`` in ``enum``, a surrogate is not encodable), and
it would be a third runtime dependency.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .schema_plans import ANY, PLAIN_KINDS, Plan

if TYPE_CHECKING:
    from .validation import Validator

__all__ = ["FastChecks"]


class _Bail(Exception):  # noqa: N818 - not an error: "ask the walk"
    """The compiled check cannot tell: the walk decides."""


class FastChecks:
    """The compiled checks of one validator's plans, in one namespace: each plan becomes one small function, compiled
    on its own (the compiler's memory follows one function, not a whole schema) the first time a value reaches it.
    Plans are kept alive here, so that their identities stay theirs."""

    def __init__(self, validator: Validator, max_depth: int) -> None:
        from .validation import _SURROGATE, _freeze, _in_enum, _is_multiple, _json_equal

        self.validator = validator
        self.names: dict[int, str] = {}
        self.plans: list[Plan] = []
        self.namespace: dict[str, Any] = {
            "_Bail": _Bail,
            "_PLAIN": PLAIN_KINDS,
            "_SURROGATE": _SURROGATE,
            "_MISSING": _MISSING,
            "_isfinite": math.isfinite,
            "_in_enum": _in_enum,
            "_json_equal": _json_equal,
            "_is_multiple": _is_multiple,
            "_unique": lambda items: len({_freeze(item) for item in items}) == len(items),
            "_MAX_DEPTH": max_depth,
        }
        # Names are numbered by itertools.count, whose next() is atomic: threads compiling at once (the first calls
        # of a server) never give two functions or constants the same name.
        self.numbers = itertools.count()
        self.writer = _Writer(self.name_of, self.namespace, validator, self.numbers)

    def passes(self, value: object, plan: Plan) -> bool:
        """The compiled check of ``plan`` (``$ref`` targets followed through the validator) on ``value``: ``True``
        when it certainly passes unchanged, ``False`` for "walk it"."""
        try:
            return bool(self.namespace[self.name_of(plan)](value, 0))
        except (_Bail, RecursionError):
            return False
        except Exception:  # noqa: BLE001 - a fault of this shortcut (a bug) must not reach the caller: the walk decides
            return False

    def name_of(self, plan: Plan) -> str:
        """The name of ``plan``'s function in the namespace, given (with a stand-in compiling it on first call) when
        first asked for: plans are named as the code that calls them is written. The name is published last, once
        its stand-in exists; two threads naming one plan at once give it two names, both valid."""
        name = self.names.get(id(plan))
        if name is None:
            name = f"c{next(self.numbers)}"
            self.plans.append(plan)
            self.namespace[name] = self._compiled_on_first_call(plan, name)
            self.names[id(plan)] = name
        return name

    def _compiled_on_first_call(self, plan: Plan, name: str) -> Callable[[object, int], bool]:
        """A stand-in for ``plan``'s function that compiles it when first called: most plans of a schema (its
        leaves, options nobody sets) are never reached by a value, and need not cost the time nor the memory."""
        compiled: list[Callable[[object, int], bool]] = []

        def first_call(value: object, depth: int) -> bool:
            if not compiled:
                source = "\n".join(self.writer.function(plan, name))
                exec(compile(source, f"<orq_images fast check {name}>", "exec"), self.namespace)  # noqa: S102
                compiled.append(self.namespace[name])
            return compiled[0](value, depth)

        return first_call


_MISSING = object()


def _target(plan: Plan, validator: Validator) -> Plan | None:
    try:
        return validator.target(plan)
    except ValueError:  # unresolvable: the walk reports it
        return None


def _tag_options(plan: Plan, validator: Validator) -> dict[str, Plan] | None:
    branches = plan.one_of or plan.any_of
    try:
        return validator.tag_options(plan, branches)
    except (ValueError, KeyError):
        return None


class _Writer:
    """Writes the source of one function per plan; constants go into the namespace as ``k<n>``."""

    def __init__(
        self, name_of: Callable[[Plan], str], namespace: dict[str, Any], validator: Validator, numbers: Iterator[int]
    ) -> None:
        self.name_of = name_of
        self.namespace = namespace
        self.validator = validator
        self.numbers = numbers

    def constant(self, value: object) -> str:
        name = f"k{next(self.numbers)}"
        self.namespace[name] = value
        return name

    def call(self, plan: Plan, value: str) -> str:
        return f"{self.name_of(plan)}({value}, d)"

    def function(self, plan: Plan, name: str) -> Iterator[str]:
        yield f"def {name}(v, d):"
        for line in self.body(plan):
            yield "    " + line
        yield ""

    def body(self, plan: Plan) -> Iterator[str]:
        if plan.ref is not None:
            target = _target(plan, self.validator)
            if target is None:
                yield "raise _Bail"
                return
            if plan.ref_only:
                yield f"return {self.call(target, 'v')}"
                return
            yield f"if not {self.call(target, 'v')}: return False"
        yield "k = type(v)"
        yield "if k not in _PLAIN: raise _Bail"
        if plan.never:
            yield "return False"
            return
        yield from self.keywords(plan)
        yield from self.by_kind(plan)

    def keywords(self, plan: Plan) -> Iterator[str]:
        """What the walk's ``check_keywords`` checks (and ``type`` for plain plans), in its order."""
        for branch in plan.all_of:
            yield f"if not {self.call(branch, 'v')}: return False"
        for branches, exactly_one in ((plan.one_of, True), (plan.any_of, False)):
            if branches:
                yield from self.union(plan, branches, exactly_one=exactly_one)
        if plan.types is not None:
            yield f"if k not in {self.constant(plan.kinds)}: return False"
        if plan.enum is not None:
            yield f"if not _in_enum(v, {self.constant(plan.enum)}): return False"
        if plan.has_const:
            yield f"if not _json_equal(v, {self.constant(plan.const)}): return False"

    def union(self, plan: Plan, branches: tuple[Plan, ...], *, exactly_one: bool) -> Iterator[str]:
        if plan.discriminator is not None:
            options = _tag_options(plan, self.validator)
            name = plan.discriminator.get("propertyName")
            if options is None or not isinstance(name, str):
                yield "if k is dict: raise _Bail"
            else:
                table = self.constant({tag: self.name_of(plan) for tag, plan in options.items()})
                yield "if k is dict:"
                yield f"    t = v.get({name!r}, _MISSING)"
                yield f"    b = {table}.get(t) if isinstance(t, str) else None"
                yield "    if b is None or not globals()[b](v, d): return False"
                yield "else:"
                yield from ("    " + line for line in self.branches(branches, exactly_one=exactly_one))
                return
        yield from self.branches(branches, exactly_one=exactly_one)

    def branches(self, branches: tuple[Plan, ...], *, exactly_one: bool) -> Iterator[str]:
        calls = [self.call(branch, "v") for branch in branches]
        if exactly_one:
            yield f"if ({' + '.join(f'bool({call})' for call in calls)}) != 1: return False"
        else:
            yield f"if not ({' or '.join(calls)}): return False"

    def by_kind(self, plan: Plan) -> Iterator[str]:
        """What the walk's ``check`` does per kind of value; only for the kinds ``plan`` admits (``keywords``
        returned False for the others)."""
        admits = (lambda kind: True) if plan.types is None else plan.kinds.__contains__
        if admits(str):
            yield "if k is str:"
            yield "    if not v.isascii() and _SURROGATE.search(v): return False"
            yield from ("    " + line for line in _length_bounds(plan.min_length, plan.max_length))
            if plan.pattern is not None:
                yield f"    if not {self.constant(plan.pattern)}.search(v): return False"
            yield "    return True"
        if plan.object_checks and admits(dict):
            yield "if k is dict:"
            yield from ("    " + line for line in self.object(plan))
        if plan.array_checks and admits(list):
            yield "if k is list:"
            yield from ("    " + line for line in self.array(plan))
        if admits(float):
            yield "if k is float and not _isfinite(v): return False"
        if plan.number_checks and (admits(int) or admits(float)):
            yield "if k is int or k is float:"
            for operator, limit in plan.number_bounds:
                yield f"    if not v {operator} {self.constant(limit)}: return False"
            if plan.multiple_of is not None:
                yield f"    if not _is_multiple(v, {self.constant(plan.multiple_of)}): return False"
        yield "return True"

    def object(self, plan: Plan) -> Iterator[str]:
        properties = plan.properties
        if not properties:  # free-form objects count towards MAX_DEPTH, as in the walk
            yield "d += 1"
            yield "if d > _MAX_DEPTH: raise _Bail"
        deprecated = self.validator.deprecated_keys(plan) if plan.may_deprecate else {}
        if deprecated:
            yield f"if not {self.constant(frozenset(deprecated))}.isdisjoint(v): raise _Bail"
        if properties:
            yield "n = 0"
        for key, sub in properties.items():
            yield f"x = v.get({key!r}, _MISSING)"
            yield "if x is not _MISSING:"
            yield "    n += 1"
            yield from ("    " + line for line in self.leaf(sub, "x"))
        extra = "n != len(v)" if properties else "v"
        yield f"if {extra}:"  # keys the schema does not declare
        if plan.closed:
            yield "    return False"
        else:
            known = self.constant(frozenset(properties))
            yield "    for key, x in v.items():"
            yield f"        if key in {known}: continue"
            yield "        if not isinstance(key, str): return False"
            yield "        if not key.isascii() and _SURROGATE.search(key): return False"
            yield from ("        " + line for line in self.leaf(plan.extra or ANY, "x"))
        for name in plan.required:
            yield f"if {name!r} not in v: return False"
        yield from _length_bounds(plan.min_properties, plan.max_properties)
        yield "return True"

    def array(self, plan: Plan) -> Iterator[str]:
        yield "d += 1"
        yield "if d > _MAX_DEPTH: raise _Bail"
        yield "for x in v:"
        yield from ("    " + line for line in self.leaf(plan.items or ANY, "x"))
        yield from _length_bounds(plan.min_items, plan.max_items)
        if plan.unique_items:
            yield "if not _unique(v): return False"
        yield "return True"

    def leaf(self, plan: Plan, value: str) -> Iterator[str]:
        """Return False unless ``value`` passes ``plan`` (the walk's shortcuts for leaves first)."""
        shortcuts = []
        if plan.trivial:
            trivial = self.constant(plan.trivial)
            shortcuts.append(f"(t in {trivial} and (t is not str or {value}.isascii()))")
        if plan.span is not None:
            kinds, low, high = plan.span
            bounds = f"{self.constant(low)} <= {value} <= {self.constant(high)}"
            shortcuts.append(f"(t in {self.constant(kinds)} and {bounds})")
        check = f"not {self.call(plan, value)}"
        if not shortcuts:
            yield f"if {check}: return False"
            return
        yield f"t = type({value})"
        yield f"if not ({' or '.join(shortcuts)}) and {check}: return False"


def _length_bounds(low: int | None, high: int | None) -> Iterator[str]:
    """Return False when ``len(v)`` (characters, keys or items) is below ``low`` or above ``high``."""
    if low is not None:
        yield f"if len(v) < {low!r}: return False"
    if high is not None:
        yield f"if len(v) > {high!r}: return False"
