"""The response model as the caller sees it: fields, to_dict(), the image bytes, a short repr."""

from __future__ import annotations

import base64
import os
import pathlib

import pytest
from orq_images import Orq, Unset
from orq_images.models import CreateImageResponse, GeneratedImage, ImageUsage

from tests.client.conftest import create
from tests.support.server import LocalServer

PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
BODY = {
    "created": 1700000123,
    "data": [
        {"b64_json": base64.b64encode(PNG).decode(), "revised_prompt": "a lighthouse at dusk, oil painting"},
        {"url": "https://cdn.example.com/2.png", "revised_prompt": None},
    ],
    "usage": {
        "input_tokens": 50,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": 50},
        "output_tokens": 4160,
        "total_tokens": 4210,
    },
}


@pytest.fixture
def res(server: LocalServer, orq: Orq) -> CreateImageResponse:
    server.enqueue(200, json=BODY)
    return create(orq, response_format="b64_json", n=2)


def test_fields(res: CreateImageResponse) -> None:
    assert isinstance(res, CreateImageResponse)
    assert res.created == 1700000123
    first, second = res.data
    assert isinstance(first, GeneratedImage)
    assert first.b64_json == BODY["data"][0]["b64_json"]  # type: ignore[index]
    assert first.revised_prompt == "a lighthouse at dusk, oil painting"
    assert isinstance(first.url, Unset)
    assert second.url == "https://cdn.example.com/2.png"
    assert second.revised_prompt is None
    assert isinstance(second.b64_json, Unset)
    assert isinstance(res.usage, ImageUsage)
    assert res.usage.input_tokens == 50
    assert res.usage.output_tokens == 4160
    assert res.usage.total_tokens == 4210
    assert res.usage.input_tokens_details.text_tokens == 50
    assert res.usage.input_tokens_details.image_tokens == 0


def test_to_dict_gives_back_the_body(res: CreateImageResponse) -> None:
    assert res.to_dict() == BODY


def test_to_bytes_and_save(res: CreateImageResponse, tmp_path: pathlib.Path) -> None:
    assert res.data[0].to_bytes() == PNG
    target = tmp_path / "x.png"
    assert res.data[0].save(target) == target
    assert target.read_bytes() == PNG
    assert sorted(path.name for path in tmp_path.iterdir()) == ["x.png"]  # no temporary file left behind


def test_an_item_with_neither_b64_json_nor_url(tmp_path: pathlib.Path) -> None:
    # An item with a URL downloads it (tests/client/test_url_images.py); one with neither cannot give an image.
    item = GeneratedImage(revised_prompt="a fox")
    with pytest.raises(ValueError) as caught:
        item.to_bytes()
    assert str(caught.value) == "this image has no b64_json data nor url: request response_format='b64_json'"
    with pytest.raises(ValueError, match="no b64_json data"):
        item.save(tmp_path / "y.png")
    assert list(tmp_path.iterdir()) == []


def test_repr_is_short_even_for_a_megabyte_image(server: LocalServer, orq: Orq) -> None:
    image = base64.b64encode(os.urandom(750_000)).decode()
    server.enqueue(200, json={"created": 1, "data": [{"b64_json": image}], "usage": BODY["usage"]})
    res = create(orq)
    text = repr(res)
    assert len(text) < 400, text
    assert "\n" not in text
    assert f"b64_json='{image[:24]}...' (1000000 chars)" in text
    assert str(res) == text
    assert res.data[0].to_bytes() == base64.b64decode(image)


def test_a_response_with_no_images(server: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json={"created": 5, "data": []})
    res = create(orq)
    assert res.data == []
    assert isinstance(res.usage, Unset)
    assert res.to_dict() == {"created": 5, "data": []}
    assert repr(res) == "CreateImageResponse(created=5, data=[])"
