"""Bad arguments are refused before anything is sent, with the path and a message that says what was expected.

Also: the deprecated `orq.contact`, which is sent as given but warns once, at the caller's line.
"""

from __future__ import annotations

import asyncio
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images import Orq, OrqError, RequestValidationError
from orq_images.models import Identity, OrqOptions
from orq_images.params import IdentityParam

from tests.client.conftest import API_KEY, MINIMAL, create, create_async, only_request
from tests.support.server import LocalServer

CONTACT_WARNING = "`orq.contact` is deprecated; use `orq.identity` instead."
WEIGHT_BASED = "weight_based"

# (arguments, path, the whole message)
BAD_INPUT: list[tuple[dict[str, Any], str, str]] = [
    (
        {"orq": {"identity": {"id": "x", "emial": "a"}}},
        "orq.identity.emial",
        "orq.identity.emial: expected no unknown keys (allowed: id, display_name, email, metadata, logo_url, tags; "
        "did you mean 'email'?), got 'a'",
    ),
    (
        {"fallbacks": [{"modle": "openai/dall-e-3"}]},
        "fallbacks[0].modle",
        "fallbacks[0].modle: expected no unknown keys (allowed: model; did you mean 'model'?), got 'openai/dall-e-3'",
    ),
    ({"n": "3"}, "n", "n: expected integer or null, got '3'"),
    ({"n": 2.0}, "n", "n: expected integer or null, got 2.0"),
    ({"n": True}, "n", "n: expected integer or null, got True"),
    ({"prompt": 123}, "prompt", "prompt: expected string, got 123"),
    ({"orq": {"identity": {"id": 7}}}, "orq.identity.id", "orq.identity.id: expected string, got 7"),
    ({"metadata": {"team": 5}}, "metadata.team", "metadata.team: expected string, got 5"),
    (
        {"background": "purple"},
        "background",
        "background: expected one of 'transparent', 'opaque', 'auto' or null, got 'purple'",
    ),
    (
        {"quality": "ultra"},
        "quality",
        "quality: expected one of 'auto', 'high', 'medium', 'low', 'hd', 'standard' or null, got 'ultra'",
    ),
    ({"cache": {"ttl": 3600}}, "cache.type", "cache.type: expected a value (required key), got nothing"),
    ({"timeout": {}}, "timeout.call_timeout", "timeout.call_timeout: expected a value (required key), got nothing"),
    (
        {"load_balancer": {"type": "round_robin", "models": []}},
        "load_balancer.type",
        "load_balancer.type: expected one of 'weight_based', got 'round_robin'",
    ),
    (
        {"orq": {"load_balancer": {"models": []}}},
        "orq.load_balancer.type",
        "orq.load_balancer.type: expected one of 'weight_based', got nothing",
    ),
    ({"n": 0}, "n", "n: expected integer >= 1 and <= 10, got 0"),
    ({"n": 11}, "n", "n: expected integer >= 1 and <= 10, got 11"),
    ({"output_compression": -1}, "output_compression", "output_compression: expected integer >= 0 and <= 100, got -1"),
    (
        {"output_compression": 101},
        "output_compression",
        "output_compression: expected integer >= 0 and <= 100, got 101",
    ),
    ({"retry": {"count": 0}}, "retry.count", "retry.count: expected number >= 1 and <= 5, got 0"),
    ({"orq": {"retry": {"count": 6}}}, "orq.retry.count", "orq.retry.count: expected number >= 1 and <= 5, got 6"),
    (
        {"retry": {"on_codes": [429, 99]}},
        "retry.on_codes[1]",
        "retry.on_codes[1]: expected number >= 100 and <= 599, got 99",
    ),
    (
        {"retry": {"on_codes": [600]}},
        "retry.on_codes[0]",
        "retry.on_codes[0]: expected number >= 100 and <= 599, got 600",
    ),
    ({"retry": {"on_codes": []}}, "retry.on_codes", "retry.on_codes: expected an array with at least 1 item, got []"),
    (
        {"cache": {"type": "exact_match", "ttl": 0}},
        "cache.ttl",
        "cache.ttl: expected number >= 1 and <= 259200, got 0",
    ),
    (
        {"orq": {"cache": {"type": "exact_match", "ttl": 259201}}},
        "orq.cache.ttl",
        "orq.cache.ttl: expected number >= 1 and <= 259200, got 259201",
    ),
    (
        {"load_balancer": {"type": WEIGHT_BASED, "models": [{"model": "a/b", "weight": 0.0009}]}},
        "load_balancer.models[0].weight",
        "load_balancer.models[0].weight: expected number >= 0.001 and <= 1, got 0.0009",
    ),
    (
        {
            "orq": {
                "load_balancer": {"type": WEIGHT_BASED, "models": [{"model": "a/b"}, {"model": "c", "weight": 1.01}]}
            }
        },
        "orq.load_balancer.models[1].weight",
        "orq.load_balancer.models[1].weight: expected number >= 0.001 and <= 1, got 1.01",
    ),
    ({"timeout": {"call_timeout": 0}}, "timeout.call_timeout", "timeout.call_timeout: expected number >= 1, got 0"),
    (
        {"metadata": {"ticket": "x" * 513}},
        "metadata.ticket",
        "metadata.ticket: expected a string of at most 512 characters, got 'xxxxxxxxxxxxxxxxxxxxxxxx...' (513 chars)",
    ),
    ({"size": float("nan")}, "size", "size: expected string or null, got nan"),
]


@pytest.mark.parametrize(("arguments", "path", "message"), BAD_INPUT, ids=[case[1] for case in BAD_INPUT])
def test_bad_input_is_refused_before_sending(
    server: LocalServer, orq: Orq, arguments: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        create(orq, **arguments)
    error = caught.value
    assert error.path == path
    assert str(error) == message
    assert isinstance(error, OrqError)
    assert isinstance(error, ValueError)
    assert isinstance(error, TypeError)
    with pytest.raises(RequestValidationError) as caught_async:
        asyncio.run(create_async(orq, **arguments))
    assert str(caught_async.value) == message
    assert server.requests == []


def test_limits_themselves_are_accepted(server: LocalServer, orq: Orq) -> None:
    edges: dict[str, Any] = {
        "n": 10,
        "output_compression": 0,
        "retry": {"count": 5, "on_codes": [100, 599]},
        "cache": {"type": "exact_match", "ttl": 259200},
        "load_balancer": {
            "type": WEIGHT_BASED,
            "models": [{"model": "a/b", "weight": 0.001}, {"model": "c", "weight": 1}],
        },
        "timeout": {"call_timeout": 1},
        "metadata": {"ticket": "x" * 512},
    }
    create(orq, **edges)
    assert only_request(server).json == {**MINIMAL, **edges}


def test_the_first_fault_of_several_is_reported(server: LocalServer, orq: Orq) -> None:
    with pytest.raises(RequestValidationError) as caught:
        create(orq, n=0, background="purple")
    assert caught.value.path == "background"  # arguments are checked in the order of the signature
    assert server.requests == []


# -- bounds, for any value (hypothesis) -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[LocalServer, Orq]]:
    """One server and client for all examples of a property (hypothesis runs many examples per test)."""
    with LocalServer() as server, Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
        yield server, orq


def _refused(shared: tuple[LocalServer, Orq], path: str, **arguments: Any) -> None:
    server, orq = shared
    sent = len(server.requests)
    with pytest.raises(RequestValidationError) as caught:
        create(orq, **arguments)
    assert caught.value.path == path
    assert len(server.requests) == sent


def _accepted(shared: tuple[LocalServer, Orq], **arguments: Any) -> Any:
    server, orq = shared
    create(orq, **arguments)
    return server.requests[-1].json


@settings(max_examples=60, deadline=None)
@given(n=st.one_of(st.integers(max_value=0), st.integers(min_value=11)))
def test_n_outside_1_to_10_is_refused(shared: tuple[LocalServer, Orq], n: int) -> None:
    _refused(shared, "n", n=n)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(min_value=1, max_value=10))
def test_n_inside_1_to_10_is_sent(shared: tuple[LocalServer, Orq], n: int) -> None:
    sent = _accepted(shared, n=n)
    assert sent["n"] == n
    assert type(sent["n"]) is int


@settings(max_examples=60, deadline=None)
@given(value=st.one_of(st.integers(max_value=-1), st.integers(min_value=101)))
def test_output_compression_outside_0_to_100_is_refused(shared: tuple[LocalServer, Orq], value: int) -> None:
    _refused(shared, "output_compression", output_compression=value)


@settings(max_examples=30, deadline=None)
@given(value=st.integers(min_value=0, max_value=100))
def test_output_compression_inside_0_to_100_is_sent(shared: tuple[LocalServer, Orq], value: int) -> None:
    assert _accepted(shared, output_compression=value)["output_compression"] == value


@settings(max_examples=60, deadline=None)
@given(
    count=st.one_of(
        st.floats(max_value=1, exclude_max=True, allow_nan=False, allow_infinity=False),
        st.floats(min_value=5, exclude_min=True, allow_nan=False, allow_infinity=False),
        st.integers(max_value=0),
        st.integers(min_value=6),
    )
)
def test_retry_count_outside_1_to_5_is_refused(shared: tuple[LocalServer, Orq], count: float) -> None:
    _refused(shared, "orq.retry.count", orq={"retry": {"count": count}})


@settings(max_examples=30, deadline=None)
@given(count=st.one_of(st.integers(min_value=1, max_value=5), st.floats(min_value=1, max_value=5)))
def test_retry_count_inside_1_to_5_is_sent_as_given(shared: tuple[LocalServer, Orq], count: float) -> None:
    sent = _accepted(shared, retry={"count": count})
    assert sent["retry"] == {"count": count}
    assert type(sent["retry"]["count"]) is type(count)


@settings(max_examples=60, deadline=None)
@given(code=st.one_of(st.integers(max_value=99), st.integers(min_value=600)))
def test_on_codes_outside_100_to_599_are_refused(shared: tuple[LocalServer, Orq], code: int) -> None:
    _refused(shared, "retry.on_codes[1]", retry={"on_codes": [429, code]})


@settings(max_examples=60, deadline=None)
@given(
    weight=st.one_of(
        st.floats(max_value=0.001, exclude_max=True, allow_nan=False, allow_infinity=False),
        st.floats(min_value=1, exclude_min=True, allow_nan=False, allow_infinity=False),
    )
)
def test_weight_outside_0_001_to_1_is_refused(shared: tuple[LocalServer, Orq], weight: float) -> None:
    models = [{"model": "a/b", "weight": weight}]
    _refused(shared, "load_balancer.models[0].weight", load_balancer={"type": WEIGHT_BASED, "models": models})


@settings(max_examples=60, deadline=None)
@given(ttl=st.one_of(st.integers(max_value=0), st.integers(min_value=259201)))
def test_cache_ttl_outside_1_to_259200_is_refused(shared: tuple[LocalServer, Orq], ttl: int) -> None:
    _refused(shared, "cache.ttl", cache={"type": "exact_match", "ttl": ttl})


@settings(max_examples=30, deadline=None)
@given(length=st.integers(min_value=513, max_value=5000))
def test_metadata_values_over_512_characters_are_refused(shared: tuple[LocalServer, Orq], length: int) -> None:
    _refused(shared, "metadata.k", metadata={"k": "é" * length})


# -- the deprecated orq.contact --------------------------------------------------------------------------------------


def test_contact_as_dict_warns_once_at_the_callers_line_and_is_sent(server: LocalServer, orq: Orq) -> None:
    contact: IdentityParam = {"id": "contact_01", "email": "jane.doe@example.com"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        orq.router.images.generations.create(prompt="p", model="m", orq={"contact": contact})
    assert [(w.category, str(w.message)) for w in caught] == [(DeprecationWarning, CONTACT_WARNING)]
    assert "orq.identity" in str(caught[0].message)
    assert caught[0].filename == __file__
    assert caught[0].lineno == line
    assert only_request(server).json == {"prompt": "p", "model": "m", "orq": {"contact": contact}}


def test_contact_as_model_warns_once_at_the_callers_line_and_is_sent(server: LocalServer, orq: Orq) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        options = OrqOptions(contact=Identity(id="contact_01", tags=["hr"]))
        orq.router.images.generations.create(prompt="p", model="m", orq=options)
    assert [(w.category, str(w.message)) for w in caught] == [(DeprecationWarning, CONTACT_WARNING)]
    assert caught[0].filename == __file__
    assert caught[0].lineno == line
    assert only_request(server).json["orq"] == {"contact": {"id": "contact_01", "tags": ["hr"]}}


def test_contact_from_create_async_warns_at_the_await(server: LocalServer, orq: Orq) -> None:
    lines: list[int] = []

    async def main() -> None:
        lines.append(sys._getframe().f_lineno + 1)
        await orq.router.images.generations.create_async(prompt="p", model="m", orq={"contact": {"id": "c"}})

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(main())
    assert [(w.filename, w.lineno, str(w.message)) for w in caught] == [(__file__, lines[0], CONTACT_WARNING)]
    assert only_request(server).json["orq"] == {"contact": {"id": "c"}}


def test_contact_from_create_async_in_gather_warns_at_the_call(server: LocalServer, orq: Orq) -> None:
    lines: list[int] = []

    async def main() -> None:
        lines.append(sys._getframe().f_lineno + 2)  # the line of the create_async(...) call
        await asyncio.gather(
            orq.router.images.generations.create_async(prompt="p", model="m", orq={"contact": {"id": "c"}})
        )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(main())
    assert only_request(server).json["orq"] == {"contact": {"id": "c"}}
    assert [str(w.message) for w in caught] == [CONTACT_WARNING]
    assert [(w.filename, w.lineno) for w in caught] == [(__file__, lines[0])]


def test_identity_does_not_warn(server: LocalServer, orq: Orq) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        orq.router.images.generations.create(prompt="p", model="m", orq={"identity": {"id": "u"}})
        orq.router.images.generations.create(prompt="p", model="m", orq=OrqOptions(identity=Identity(id="u")))
    assert [request.json["orq"] for request in server.requests] == [{"identity": {"id": "u"}}] * 2


def test_invalid_contact_is_refused_like_identity(server: LocalServer, orq: Orq) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(RequestValidationError) as caught:
            create(orq, orq={"contact": {"id": "c", "emial": "x"}})
    assert caught.value.path == "orq.contact.emial"
    assert server.requests == []
