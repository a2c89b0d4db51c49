"""schema_fast: the compiled first pass agrees with the walk of `validation` on every value it answers for.

For plain JSON values, "the walk accepts it unchanged and warns about nothing" must hold exactly when the compiled
check says True: a True the walk would refuse lets a bad request through, a missing True only costs speed (and is
caught here too, so the fast path does not silently stop working). Values come from the schemas themselves
(hypothesis-jsonschema), then are damaged at a random place.
"""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from orq_images import _schemas
from orq_images._runtime.errors import RequestValidationError
from orq_images._runtime.validation import MAX_DEPTH, SchemaMismatch, check_response, prepare, validator_for

from tests.contract.schemas import _install_many_shim, inline

from .test_validation import COMPONENTS as TEST_COMPONENTS
from .test_validation import JSON_VALUES

SCHEMAS: list[tuple[str, Any, Any]] = [
    *((f"request {name}", schema, _schemas.COMPONENTS) for name, schema in _schemas.REQUESTS.items()),
    *((f"response {name}", schema, _schemas.COMPONENTS) for name, schema in _schemas.RESPONSES.items()),
    *(
        (f"test component {name}", {"$ref": f"#/components/schemas/{name}"}, TEST_COMPONENTS)
        for name in ("Request", "Response", "Orq", "LoadBalancer", "Identity")
    ),
]


def _generable(schema: Any, components: Any) -> Any:
    """``schema`` with its $refs inlined, for hypothesis-jsonschema (OpenAPI's own keywords dropped)."""
    _install_many_shim()
    return inline(schema, components)


ODD_TEXT = st.text(st.characters(categories=["Cs", "Ll", "Nd"]), max_size=4)
"""Text that may hold lone surrogates (not encodable as UTF-8: refused) and digits (keys that look like numbers)."""
ODD_VALUES = JSON_VALUES | ODD_TEXT | st.integers() | st.floats() | st.tuples(st.integers())


@st.composite
def damaged(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> Any:
    """A valid value with one place replaced by any JSON value, removed, or given an unknown key."""
    value = draw(valid)
    parent: Any = None
    key: Any = None
    node = value
    for _ in range(draw(st.integers(0, 5))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(0, len(node) - 1))
        else:
            break
        parent, node = node, node[key]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        replacement = draw(ODD_VALUES)
        if parent is None:
            return replacement
        parent[key] = replacement
    elif action == "remove" and parent is not None:
        del parent[key]
    elif action == "add" and isinstance(node, dict):
        node[draw(st.text(max_size=6) | ODD_TEXT)] = draw(ODD_VALUES)
    return value


def _walk_verdict(value: Any, schema: Any, components: Any, *, response: bool) -> bool:
    """Whether the walk alone accepts ``value`` unchanged, without a warning."""
    before = json.dumps(value, sort_keys=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if response:
                result = check_response(copy.deepcopy(value), schema, components, strict=True)
            else:
                result = prepare(value, schema, components)
        except (SchemaMismatch, RequestValidationError):
            return False
    unchanged = json.dumps(result, sort_keys=True) == before if response else result is value
    return not caught and unchanged


def _plain(value: Any) -> bool:
    """Whether ``value`` is JSON made of exact dicts, lists, str, int, float, bool and None (no tuples, no
    subclasses): what the compiled check answers for."""
    kind = type(value)
    if kind is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    if kind is list:
        return all(_plain(item) for item in value)
    return kind in (str, int, float, bool, type(None))


def _walk_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(validator_for(_schemas.COMPONENTS)), "passes", lambda self, value, plan: False)


@pytest.mark.parametrize(("name", "schema", "components"), SCHEMAS, ids=[name for name, _, _ in SCHEMAS])
def test_the_compiled_check_says_true_exactly_when_the_walk_accepts_unchanged(
    name: str, schema: Any, components: Any
) -> None:
    validator = validator_for(components)
    plan = validator.plan(schema)
    valid = from_schema(_generable(schema, components))
    response = name.startswith("response")

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=st.one_of(valid, damaged(valid), JSON_VALUES))
    def check(value: Any) -> None:
        fast = validator.passes(value, plan)
        with pytest.MonkeyPatch.context() as patch:
            _walk_only(patch)
            walk = _walk_verdict(value, schema, components, response=response)
        if fast:  # never a bad value let through
            assert walk, f"compiled check said True, the walk refused or changed {value!r}"
        elif _plain(value):  # and the fast path does not silently stop working
            assert not walk, f"compiled check said False, the walk accepted {value!r} unchanged"

    check()


def test_a_passing_value_is_returned_as_is_or_copied_whole() -> None:
    schema = _schemas.REQUESTS["create_image"]
    value = {"prompt": "p", "model": "m", "orq": {"identity": {"id": "c", "tags": ["a"]}}}
    assert prepare(value, schema, _schemas.COMPONENTS) is value
    copied: Any = prepare(value, schema, _schemas.COMPONENTS, copy=True)
    assert copied == value
    assert copied is not value
    assert copied["orq"] is not value["orq"]
    assert copied["orq"]["identity"]["tags"] is not value["orq"]["identity"]["tags"]


def test_values_the_walk_must_see_are_left_to_it() -> None:
    """Enum members, tuples, deprecated keys, cycles and absurd depth: not True, so the walk converts, warns or
    reports them as before."""
    schema = _schemas.REQUESTS["create_image"]
    validator = validator_for(_schemas.COMPONENTS)
    plan = validator.plan(schema)
    base = {"prompt": "p", "model": "m"}
    assert validator.passes(base, plan)
    assert not validator.passes({**base, "fallback_on_codes": (500,)}, plan)
    assert not validator.passes({**base, "prompt": "lone \ud800"}, plan)
    assert not validator.passes({**base, "metadata": {"k\udc00": "v"}}, plan)
    assert not validator.passes({**base, "orq": {"contact": {"id": "c"}}}, plan)
    deep: Any = "leaf"
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    assert not validator.passes({**base, "metadata": {"k": deep}}, plan)
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    assert not validator.passes({**base, "orq": {"identity": {"id": "c", "metadata": [{"k": cyclic}]}}}, plan)
    with pytest.warns(DeprecationWarning):
        prepare({**base, "orq": {"contact": {"id": "c"}}}, schema, _schemas.COMPONENTS)


def test_threads_compiling_at_once_get_the_checks_of_their_own_schemas() -> None:
    """The first calls of a server arrive together: checks compiled by several threads at the same time must not
    mix up their functions or constants (names are numbered atomically)."""
    import copy as copying
    import sys
    import threading

    components = copying.deepcopy(_schemas.COMPONENTS)  # a validator of its own: nothing compiled yet
    schemas = [_schemas.REQUESTS["create_image"], *_schemas.RESPONSES.values(), _schemas.REQUESTS["create_image_edit"]]
    good: list[Any] = [
        {"prompt": "p", "model": "m", "n": 2, "orq": {"identity": {"id": "c"}, "timeout": {"call_timeout": 5}}},
        *({"created": 1, "data": []} for _ in _schemas.RESPONSES),
        {"prompt": "p", "model": "m"},
    ]
    bad: list[Any] = [{**good[0], "n": "two"}, *({"created": "x", "data": []} for _ in _schemas.RESPONSES), {"x": 1}]
    validator = validator_for(components)
    barrier = threading.Barrier(len(schemas) * 2)
    verdicts: dict[tuple[int, bool], bool] = {}

    def first_call(index: int, value_is_good: bool) -> None:
        plan = validator.plan(schemas[index])
        barrier.wait()
        verdicts[index, value_is_good] = validator.passes((good if value_is_good else bad)[index], plan)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [
            threading.Thread(target=first_call, args=(index, value_is_good))
            for index in range(len(schemas))
            for value_is_good in (True, False)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)

    assert verdicts == {
        (index, value_is_good): value_is_good for index, _ in enumerate(schemas) for value_is_good in (True, False)
    }


def test_a_fault_of_the_compiled_check_leaves_the_decision_to_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled check is a shortcut: should it ever raise (a bug), the value is walked as before, and the caller
    sees the walk's verdict, not the fault."""
    import orq_images._runtime.schema_fast as schema_fast

    def broken(self: Any, plan: Any, name: str) -> Any:
        def first_call(value: object, depth: int) -> bool:
            raise TypeError("a bug in the compiled check")

        return first_call

    monkeypatch.setattr(schema_fast.FastChecks, "_compiled_on_first_call", broken)
    components = copy.deepcopy(_schemas.COMPONENTS)  # a validator of its own, compiled with the broken stand-ins
    schema = _schemas.REQUESTS["create_image"]
    value = {"prompt": "p", "model": "m"}
    assert not validator_for(components).passes(value, validator_for(components).plan(schema))
    assert prepare(value, schema, components) is value
    with pytest.raises(RequestValidationError) as error:
        prepare({"prompt": "p", "model": 3}, schema, components)
    assert error.value.path == "model"
