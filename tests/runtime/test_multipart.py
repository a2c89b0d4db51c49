"""``multipart``: the body's framing, length and part order, for any values (hypothesis), read back with ``email``."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images._runtime.multipart import FormField, encode_form, prepare_files
from orq_images._runtime.uploads import FileRules

from tests.support.images import tiny_png
from tests.support.multipart import parse_form

FORM = (
    FormField(name="label", kind="text"),
    FormField(name="photo", kind="file", required=True, rules=FileRules(accept=("image/png",), max_bytes=None)),
    FormField(name="codes", kind="text", part_name="codes[]"),
    FormField(name="options", kind="json"),
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    label=st.none() | TEXT | st.integers() | st.booleans(),
    codes=st.none() | st.lists(st.integers(min_value=400, max_value=599), max_size=4),
    options=st.none() | st.dictionaries(TEXT, JSON, max_size=3),
    tail=st.binary(max_size=200_000),
)
def test_any_form_has_its_announced_length_and_reads_back_part_for_part(
    label: Any, codes: list[int] | None, options: dict[str, Any] | None, tail: bytes
) -> None:
    data = tiny_png() + tail
    arguments: dict[str, object] = {"label": label, "photo": data, "codes": codes, "options": options}
    uploads = prepare_files(arguments, FORM)
    body = encode_form(arguments, uploads, FORM)
    wire = b"".join(body.chunks())
    assert body.content_length == len(wire)
    assert b"".join(body.chunks()) == wire  # a second pass (a retry) sends the same bytes
    parts = [(p.name, p.filename, p.content_type, p.body) for p in parse_form(body.content_type, wire)]
    expected: list[tuple[str, str | None, str | None, bytes]] = []
    if label is not None:
        text = ("true" if label else "false") if isinstance(label, bool) else str(label)
        expected.append(("label", None, None, text.encode()))
    expected += [("codes[]", None, None, str(code).encode()) for code in codes or []]
    expected.append(("photo", "image.png", "image/png", data))
    if options is not None:
        expected.append(
            (
                "options",
                None,
                "application/json",
                json.dumps(options, separators=(",", ":"), ensure_ascii=False).encode(),
            )
        )
    assert parts == expected


def test_the_async_stream_is_the_sync_stream() -> None:
    arguments: dict[str, object] = {"label": "x", "photo": tiny_png(), "options": {"a": 1}}
    body = encode_form(arguments, prepare_files(arguments, FORM), FORM)

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in body.achunks()])

    assert asyncio.run(collect()) == b"".join(body.chunks())


def test_each_body_has_its_own_boundary() -> None:
    arguments: dict[str, object] = {"photo": tiny_png()}
    first = encode_form(arguments, prepare_files(dict(arguments), FORM), FORM)
    second = encode_form(arguments, prepare_files(dict(arguments), FORM), FORM)
    assert first.content_type != second.content_type
