"""reprs (short_repr, model_repr), images (ImageMixin) and warn (deprecation helpers)."""

from __future__ import annotations

import base64
import os
import pathlib
import sys
import warnings
from typing import Any

import attrs
import pytest
from orq_images._runtime.images import ImageMixin
from orq_images._runtime.reprs import is_unset, model_repr, short_repr
from orq_images._runtime.warn import deprecation_message, warn_deprecated


class Unset:
    """Stands in for the generated package's UNSET sentinel class (recognised by name)."""

    def __repr__(self) -> str:
        return "<UNSET>"


UNSET: Any = Unset()


@attrs.define(repr=False)
class Image(ImageMixin):
    revised_prompt: Any = UNSET
    b64_json: Any = UNSET
    url: Any = UNSET
    additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    def __repr__(self) -> str:
        return model_repr(self)


PNG_START = bytes.fromhex("89504e470d0a1a0a0000000d49484452")  # signature and IHDR chunk header


# -- short_repr ----------------------------------------------------------------------------------------------------


def test_long_strings_are_abbreviated() -> None:
    data = base64.b64encode(PNG_START + bytes(1_600_000)).decode()
    assert short_repr(data) == f"'iVBORw0KGgoAAAANSUhEUgAA...' ({len(data)} chars)"
    assert short_repr(b"x" * 100) == "b'xxxxxxxxxxxxxxxxxxxxxxxx...' (100 bytes)"


def test_short_values_are_plain_repr() -> None:
    for value in ["", "short", 1, 2.5, None, True, b"ab", [1, "a"], {"k": "v"}, (1,), (1, 2)]:
        assert short_repr(value) == repr(value)
    assert short_repr("x" * 64) == repr("x" * 64)
    assert short_repr("x" * 65) == "'xxxxxxxxxxxxxxxxxxxxxxxx...' (65 chars)"
    assert short_repr("x" * 11, limit=10) == "'xxxxxxxxxx...' (11 chars)"


def test_containers_recurse() -> None:
    big = "A" * 1000
    assert (
        short_repr({"data": [{"b64_json": big}]})
        == "{'data': [{'b64_json': 'AAAAAAAAAAAAAAAAAAAAAAAA...' (1000 chars)}]}"
    )
    assert short_repr((big,)) == "('AAAAAAAAAAAAAAAAAAAAAAAA...' (1000 chars),)"
    assert (
        short_repr(list(range(25)))
        == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, ... (25 items)]"
    )


def test_cycles_do_not_recurse_forever() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    assert short_repr(loop) == "[1, ...]"


# -- model_repr ----------------------------------------------------------------------------------------------------


def test_model_repr_skips_unset_and_empty_additional_properties() -> None:
    image = Image(url="https://example.com/a.png")
    assert repr(image) == "Image(url='https://example.com/a.png')"
    image.additional_properties["seed"] = 7
    assert repr(image) == "Image(url='https://example.com/a.png', additional_properties={'seed': 7})"
    assert repr(Image(revised_prompt=None)) == "Image(revised_prompt=None)"


def test_model_repr_abbreviates_and_nests() -> None:
    data = base64.b64encode(PNG_START + bytes(160_000)).decode()
    image = Image(b64_json=data)
    assert repr(image) == f"Image(b64_json='iVBORw0KGgoAAAANSUhEUgAA...' ({len(data)} chars))"

    @attrs.define
    class Response:
        data: list[Image]

    assert model_repr(Response([image])) == f"Response(data=[{image!r}])"
    assert short_repr(Response([image])) == f"Response(data=[{image!r}])"


def test_model_repr_of_non_attrs_object_is_repr() -> None:
    assert model_repr(42) == "42"
    assert is_unset(UNSET)
    assert not is_unset(None)


# -- ImageMixin ----------------------------------------------------------------------------------------------------


def test_mixin_keeps_attrs_classes_slotted() -> None:
    # where save_to= wrote the image, and the client that downloads its URL: not attrs fields
    assert ImageMixin.__slots__ == ("_client", "_saved_to")
    image = Image()
    assert not hasattr(image, "__dict__")
    assert image.saved_to is None
    assert "saved_to" not in [field.name for field in attrs.fields(Image)]


def test_to_bytes() -> None:
    raw = os.urandom(1000)
    assert Image(b64_json=base64.b64encode(raw).decode()).to_bytes() == raw


def test_to_bytes_is_lenient_about_padding_newlines_and_data_urls() -> None:
    raw = b"hello image!!"
    encoded = base64.b64encode(raw).decode()
    assert Image(b64_json=encoded.rstrip("=")).to_bytes() == raw
    assert Image(b64_json=encoded[:8] + "\n" + encoded[8:]).to_bytes() == raw
    assert Image(b64_json="data:image/png;base64," + encoded).to_bytes() == raw


def test_without_b64_json_nor_url_raises_clear_value_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match=r"no b64_json data nor url"):
        Image().to_bytes()
    with pytest.raises(ValueError, match="response_format='b64_json'"):
        Image().save(tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_invalid_base64_raises_value_error_and_leaves_no_file(tmp_path: pathlib.Path) -> None:
    image = Image(b64_json="not base64 at all!!")
    with pytest.raises(ValueError, match="not valid base64"):
        image.to_bytes()
    target = tmp_path / "out.png"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="not valid base64"):
        image.save(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_save_writes_exactly_the_decoded_bytes(tmp_path: pathlib.Path) -> None:
    raw = os.urandom(9 * 1024 * 1024 + 7)  # several 4 MiB chunks and a ragged end
    encoded = base64.b64encode(raw).decode()
    target = tmp_path / "image.png"
    result = Image(b64_json=encoded).save(str(target))
    assert result == target
    assert isinstance(result, pathlib.Path)
    assert target.read_bytes() == base64.b64decode(encoded) == raw
    assert [p.name for p in tmp_path.iterdir()] == ["image.png"]


def test_save_replaces_existing_file(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "image.png"
    target.write_bytes(b"previous content that is longer")
    Image(b64_json=base64.b64encode(b"new").decode()).save(target)
    assert target.read_bytes() == b"new"


# -- warn ----------------------------------------------------------------------------------------------------------


def test_deprecation_message() -> None:
    assert (
        deprecation_message("orq.contact", "orq.identity") == "`orq.contact` is deprecated; use `orq.identity` instead."
    )
    assert deprecation_message("orq.contact") == "`orq.contact` is deprecated."


def test_warn_deprecated_points_at_the_caller() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = sys._getframe().f_lineno + 1
        warn_deprecated("old thing")
    assert [(str(w.message), w.category, w.filename, w.lineno) for w in caught] == [
        ("old thing", DeprecationWarning, __file__, line)
    ]
