"""Bad body values fail before sending, as `RequestValidationError` naming the field (issue 12): cyclic and absurdly
deep values, strings that cannot be encoded. Against the real local server: nothing reaches it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images import Orq, RequestValidationError
from orq_images._runtime.validation import MAX_DEPTH, prepare

from tests.client.conftest import create
from tests.support.server import LocalServer

TOO_DEEP = f"a value nested at most {MAX_DEPTH} levels deep"
CYCLIC = "a value without cycles (this one contains itself)"
# orq.identity.metadata is a list of free-form objects: any JSON value may nest inside.
FREE_FORM = "orq.identity.metadata[0]"


def identity_metadata(value: object) -> dict[str, Any]:
    return {"identity": {"id": "user-1", "metadata": [{"x": value}]}}


def nested(depth: int) -> object:
    """``depth`` levels of objects and arrays, alternating, around a string."""
    value: object = "leaf"
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


def test_a_cyclic_dict_is_refused_before_sending(server: LocalServer, orq: Orq) -> None:
    cyclic: dict[str, Any] = {"name": "loop"}
    cyclic["self"] = cyclic
    with pytest.raises(RequestValidationError) as caught:
        create(orq, orq=identity_metadata(cyclic))
    assert caught.value.expected == CYCLIC
    assert caught.value.path.startswith(f"{FREE_FORM}.x.self.self")
    assert caught.value.value is cyclic
    assert len(str(caught.value)) < 2000  # the value is shown shortened, however deep
    assert server.requests == []


def test_a_cyclic_list_is_refused_before_sending(server: LocalServer, orq: Orq) -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    with pytest.raises(RequestValidationError) as caught:
        create(orq, orq=identity_metadata(cyclic))
    assert caught.value.expected == CYCLIC
    assert caught.value.path.startswith(f"{FREE_FORM}.x[0][0]")
    assert server.requests == []


def test_a_1000_levels_deep_value_is_refused_before_sending(server: LocalServer, orq: Orq) -> None:
    with pytest.raises(RequestValidationError) as caught:
        create(orq, orq=identity_metadata(nested(1000)))
    assert caught.value.expected == TOO_DEEP
    assert caught.value.path.startswith(f"{FREE_FORM}.x")
    assert server.requests == []
    assert not isinstance(caught.value.__context__, RecursionError)


def test_a_deep_but_allowed_value_is_sent_as_given(server: LocalServer, orq: Orq) -> None:
    depth = MAX_DEPTH - 2  # the levels above that count: the metadata list and its free-form item
    create(orq, orq=identity_metadata(nested(depth)))
    (request,) = server.requests
    assert request.json["orq"]["identity"]["metadata"][0]["x"] == nested(depth)


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(min_value=0, max_value=3 * MAX_DEPTH), shared=st.booleans())
def test_any_depth_is_sent_or_refused_by_the_limit(depth: int, shared: bool) -> None:
    """prepare() directly (what every call runs first): the limit, not the interpreter's stack, decides."""
    schema = {"type": "object", "properties": {"v": {}}}
    inner = nested(depth)
    value = {"v": [inner, inner] if shared else inner}  # the same object twice is not a cycle
    levels = depth + shared  # the list around the shared pair (the body object has declared properties)
    if levels <= MAX_DEPTH:
        assert prepare(value, schema, {}) == value
    else:
        with pytest.raises(RequestValidationError) as caught:
            prepare(value, schema, {})
        assert caught.value.expected == TOO_DEEP
        assert caught.value.path.startswith("v")


def test_an_object_whose_to_dict_never_ends(server: LocalServer, orq: Orq) -> None:
    """A model-like object (``to_dict()``) whose parts contain each other: its own recursion is caught too."""

    class Node:
        def __init__(self) -> None:
            self.next = self

        def to_dict(self) -> dict[str, Any]:
            return {"next": self.next.to_dict()}

    with pytest.raises(RequestValidationError) as caught:
        create(orq, orq=identity_metadata(Node()))
    assert caught.value.path == f"{FREE_FORM}.x"
    assert caught.value.expected == CYCLIC
    assert server.requests == []


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"prompt": "a fox \ud800 in the snow"}, "prompt"),
        ({"prompt": "\udfff"}, "prompt"),
        ({"metadata": {"team": "ok", "label": "bad \udc80"}}, "metadata.label"),
        ({"metadata": {"bad \ud83d key": "value"}}, "metadata['bad \\ud83d key']"),
        ({"orq": identity_metadata(["fine", "x\ud800"])}, f"{FREE_FORM}.x[1]"),
    ],
)
def test_a_lone_surrogate_is_refused_with_its_path(
    server: LocalServer, orq: Orq, arguments: dict[str, Any], path: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        create(orq, **arguments)
    assert caught.value.path == path
    assert "lone surrogate" in caught.value.expected
    assert server.requests == []


def test_text_beyond_ascii_is_sent(server: LocalServer, orq: Orq) -> None:
    prompt = "un renard 🦊 dans la neige, 雪の中の狐"
    create(orq, prompt=prompt, metadata={"clé": "valeur ✓"})
    (request,) = server.requests
    assert request.json["prompt"] == prompt
    assert request.json["metadata"] == {"clé": "valeur ✓"}


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=20))
def test_any_string_is_sent_exactly_when_it_encodes(text: str) -> None:
    schema = {"type": "object", "properties": {"prompt": {"type": "string"}}}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(RequestValidationError) as caught:
            prepare({"prompt": text}, schema, {})
        assert caught.value.path == "prompt"
    else:
        assert prepare({"prompt": text}, schema, {}) == {"prompt": text}


def test_the_tables_metadata_cases(server: LocalServer, orq: Orq) -> None:
    """Issue 12's rows as a user tried them: top-level ``metadata`` (string labels) cyclic or 1000 levels deep."""
    cyclic: dict[str, Any] = {}
    cyclic["a"] = cyclic
    deep: dict[str, Any] = {"a": "leaf"}
    for _ in range(1000):
        deep = {"a": deep}
    for value in (cyclic, deep):
        with pytest.raises(RequestValidationError) as caught:
            create(orq, metadata=value)
        assert caught.value.path == "metadata.a"
        assert caught.value.expected.startswith("string")
        assert len(str(caught.value)) < 300
    assert server.requests == []
