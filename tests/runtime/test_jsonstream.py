"""jsonstream: a JSON body parsed while its chunks arrive gives what json.loads gives, whatever the chunking."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orq_images._runtime.jsonstream import JsonPath, JsonReader

# Text with what makes JSON strings hard: escapes, surrogates (paired and lone), multi-byte UTF-8, controls.
CHARS = st.characters(codec=None) | st.sampled_from(["\ud83d", "\ude00", "😀", "\\", '"', "\n", "é", "\x00", "/"])
LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(CHARS, max_size=40)
DOCUMENTS = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(CHARS, max_size=8), inner, max_size=4)
)


def fed(body: bytes, cuts: Iterable[int], divert: Recorder | None = None, long_string: int = 4) -> JsonReader:
    reader = JsonReader(divert, long_string=long_string)
    previous = 0
    for cut in [*sorted(cuts), len(body)]:
        reader.feed(body[previous:cut])
        previous = cut
    return reader


def encoded(document: object, ascii_only: bool) -> bytes:
    return json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def same(a: object, b: object) -> bool:
    """Equal as JSON values, lone surrogates and -0.0 included (== alone would call 0.0 and -0.0 equal)."""
    return json.dumps(a) == json.dumps(b)


@settings(max_examples=400, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS, st.booleans(), st.integers(0, 12), st.data())
def test_any_document_any_chunking_any_threshold_parses_as_json_loads(
    document: object, ascii_only: bool, long_string: int, data: st.DataObject
) -> None:
    body = encoded(document, ascii_only)
    cuts = data.draw(st.lists(st.integers(0, len(body)), max_size=8))
    reader = fed(body, cuts, long_string=long_string)
    assert same(reader.json(), json.loads(body))
    assert same(json.loads(reader.raw()), json.loads(body))  # rebuilt: the same JSON


@settings(max_examples=600, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS, st.booleans(), st.integers(0, 12), st.data())
def test_damaged_bodies_fail_exactly_when_json_loads_fails(
    document: object, ascii_only: bool, long_string: int, data: st.DataObject
) -> None:
    body = bytearray(encoded(document, ascii_only))
    for _ in range(data.draw(st.integers(1, 3))):
        byte = data.draw(st.sampled_from(b'"\\u{}[],:0aZ\x00\x1f\xc3\xa9\xff\xed\xa0 '))
        position = data.draw(st.integers(0, len(body)))
        action = data.draw(st.sampled_from(["insert", "replace", "delete"]))
        if action == "insert" or position == len(body):
            body.insert(position, byte)
        elif action == "replace":
            body[position] = byte
        else:
            del body[position]
    damaged = bytes(body)
    reader = fed(damaged, data.draw(st.lists(st.integers(0, len(damaged)), max_size=8)), long_string=long_string)
    try:
        expected = json.loads(damaged)
    except ValueError:
        with pytest.raises(ValueError):
            reader.json()
    else:
        assert same(reader.json(), expected)


@pytest.mark.parametrize(
    "content",
    [
        "\\ud83d\\ude00 a surrogate pair in escapes",
        "😀é€ multi-byte UTF-8",
        "\\\\u1234 an escaped backslash, then u1234 as text",
        "\\\\\\ud83d\\ude00 odd backslashes",
        '\\ud83d lone high, \\ude00 lone low, \\u00e9\\/\\n\\t\\"',
    ],
)
def test_every_cut_through_escapes_and_utf8_gives_the_same_string(content: str) -> None:
    body = f'{{"s": "{content}"}}'.encode()
    expected = json.loads(body)
    for cut in range(len(body) + 1):
        for long_string in (0, 3):
            assert same(fed(body, [cut], long_string=long_string).json(), expected), (cut, long_string)


def test_a_long_string_is_built_once_whatever_the_chunk_size() -> None:
    payload = "QUJD" * 50_000
    body = json.dumps({"data": [{"b64_json": payload, "url": None}]}).encode()
    for size in (1, 7, 4096, 65536):
        reader = fed(body, range(size, len(body), size), long_string=1024)
        assert reader.json() == {"data": [{"b64_json": payload, "url": None}]}
        assert len(reader._skeleton) < 200  # the payload never went into the skeleton


def test_a_lookalike_of_the_marker_in_the_document_is_left_alone() -> None:
    body = json.dumps({"a": "orq-images:long-string:0000000000000000:0", "b": "x" * 100}).encode()
    assert fed(body, [10, 50], long_string=8).json() == json.loads(body)


class Recorder:
    """A ``divert`` that records what it is asked and takes the strings at ``take`` into pieces."""

    def __init__(self, *take: JsonPath, refuse: str | None = None) -> None:
        self.take = take
        self.refuse = refuse
        self.asked: list[JsonPath] = []
        self.pieces: list[str] = []
        self.closed = 0

    def __call__(self, path: JsonPath) -> Recorder | None:
        self.asked.append(path)
        return self if path in self.take else None

    def write(self, text: str) -> None:
        if self.refuse is not None and self.refuse in text:
            raise ValueError(f"refused {self.refuse!r}")
        self.pieces.append(text)

    def close(self) -> None:
        self.closed += 1

    def text(self) -> str:
        return "".join(self.pieces)


NESTED = (
    b'{"created": 1, "data": [{"url": "u0"}, {"b64\\u005fjson": "QU\\u004aD", "revised_prompt": "p"},'
    b' ["x", {"k": "v"}]],'
    b' "usage": {"input_tokens_details": {"text": "t"}}, "": "empty key", "esc\\"aped": ["a", "b"]}'
)


@pytest.mark.parametrize("size", [1, 3, 1000])
def test_divert_is_asked_about_every_string_value_with_its_path(size: int) -> None:
    divert = Recorder(("data", 1, "b64_json"))
    reader = fed(NESTED, range(size, len(NESTED), size), divert, long_string=2)
    assert divert.asked == [
        ("data", 0, "url"),
        ("data", 1, "b64_json"),  # the key's escape is decoded
        ("data", 1, "revised_prompt"),
        ("data", 2, 0),
        ("data", 2, 1, "k"),
        ("usage", "input_tokens_details", "text"),
        ("",),
        ('esc"aped', 0),
        ('esc"aped', 1),
    ]
    expected = json.loads(NESTED)
    del expected["data"][1]["b64_json"]  # a diverted member is left out of the document
    assert reader.json() == expected
    assert divert.text() == "QUJD" and divert.closed == 1


def test_a_diverted_array_element_becomes_null() -> None:
    divert = Recorder(("images", 1))
    assert fed(b'{"images": ["a", "b", "c"]}', [], divert).json() == {"images": ["a", None, "c"]}
    assert divert.text() == "b"


def test_a_sink_refusing_its_content_fails_the_body_and_raw_rebuilds_it() -> None:
    body = b'{"data": [{"b64_json": "QUJD!!!!QUJD"}], "after": [1, 2]}'
    divert = Recorder(("data", 0, "b64_json"), refuse="!")
    reader = fed(body, [25, 30], divert)
    with pytest.raises(ValueError, match="refused"):
        reader.json()
    assert reader.raw() == body
    assert divert.closed == 0


def test_other_sink_errors_propagate_from_feed() -> None:
    class Broken(Recorder):
        def write(self, text: str) -> None:
            raise OSError("disk full")

    reader = JsonReader(Broken(("a",)))
    with pytest.raises(OSError, match="disk full"):
        reader.feed(b'{"a": "QUJD"}')


def test_a_body_cut_inside_a_long_string_fails_and_keeps_what_came() -> None:
    body = b'{"data": [{"b64_json": "QUJDQUJDQUJD'
    reader = fed(body, [20, 28], long_string=2)
    with pytest.raises(json.JSONDecodeError, match="Unterminated string"):
        reader.json()
    assert reader.raw() == body


def test_bytes_that_are_not_utf8_in_a_long_string_fail_and_raw_keeps_them() -> None:
    body = b'{"s": "abcdefgh\xff\xfeijkl", "t": 1}'
    reader = fed(body, [12], long_string=2)
    with pytest.raises(UnicodeDecodeError):
        reader.json()
    assert reader.raw() == body


def test_a_control_character_in_a_long_string_is_refused_as_json_loads_does() -> None:
    body = b'{"s": "abcdefgh\x01ijkl"}'
    with pytest.raises(json.JSONDecodeError, match="Invalid control character"):
        json.loads(body)
    with pytest.raises(json.JSONDecodeError, match="Invalid control character"):
        fed(body, [9], long_string=2).json()


def test_nothing_but_the_document_keeps_a_long_string_alive() -> None:
    """No reference cycle holds the payload once the reader and the document are dropped (a 20 MiB image must go
    when the result goes, not when the garbage collector next runs)."""
    gc.disable()
    try:
        reader = fed(json.dumps({"data": [{"b64_json": "QUJD" * 1000}]}).encode(), [100, 2000], long_string=64)
        document: Any = reader.json()
        payload = document["data"][0]["b64_json"]
        del reader, document
        assert sys.getrefcount(payload) == 2  # `payload` and getrefcount's argument
    finally:
        gc.enable()
