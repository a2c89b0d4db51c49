"""The fake router's pieces on their own: answers synthesized for any response schema, form fields read by the
schema, refusals, and the command line."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from orq_images._runtime import fake_router, standin, testing
from orq_images._runtime.pngs import png_bytes
from orq_images._runtime.validation import check_response

from tests.testing.pngcheck import decode_png

COMPONENTS: dict[str, Any] = {
    "Image": {"type": "object", "properties": {"b64_json": {"type": "string"}}, "x-sdk-mixin": "ImageMixin"},
    "Kind": {"type": "string", "enum": ["a", "b"]},
    "Loop": {"$ref": "#/components/schemas/Loop"},
    "Answer": {
        "type": "object",
        "required": ["created", "data", "kind", "fixed", "either", "count", "ok", "name", "tags", "nested", "any"],
        "properties": {
            "created": {"type": "integer"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/Image"}},
            "kind": {"$ref": "#/components/schemas/Kind"},
            "fixed": {"const": 7},
            "either": {"oneOf": [{"type": "null"}, {"type": "number", "minimum": 2.5}]},
            "count": {"type": "integer", "minimum": 3},
            "ok": {"type": "boolean"},
            "name": {"type": "string", "minLength": 2},
            "tags": {"type": "array", "minItems": 2, "items": {"type": "string"}},
            "nested": {
                "type": "object",
                "required": ["image"],
                "properties": {"image": {"$ref": "#/components/schemas/Image"}},
            },
            "any": {},
            "optional": {"type": "string"},
        },
    },
}


def operation(response: str = "Answer", request: dict[str, Any] | None = None) -> fake_router.Operation:
    return fake_router.Operation(
        name="op",
        method="POST",
        path="/v1/things",
        request_schema=request,
        response_schema={"$ref": f"#/components/schemas/{response}"},
        components=COMPONENTS,
        parse_response=lambda data: data,
    )


def test_an_answer_fits_any_response_schema_with_the_requested_number_of_images() -> None:
    value = fake_router.answer(operation(), {"n": 3, "prompt": "p"}, image_url=lambda path: path)
    check_response(value, operation().response_schema, COMPONENTS)
    assert len(value["data"]) == 3 and value["nested"]["image"]["b64_json"]
    assert (value["kind"], value["fixed"], value["count"], value["ok"], value["name"]) == ("a", 7, 3, False, "xx")
    assert value["tags"] == ["", ""] and "optional" not in value and value["any"] is None
    assert value["created"] > 1_700_000_000  # a time, as the API sends
    assert decode_png(__import__("base64").b64decode(value["data"][2]["b64_json"])).width == 8


@pytest.mark.parametrize("n", [0, 11, True, "2", None])
def test_an_out_of_range_n_gives_one_image(n: object) -> None:
    value = fake_router.answer(operation(), {"n": n}, image_url=lambda path: path)
    assert len(value["data"]) == 1


def test_a_reference_cycle_resolves_to_nothing_instead_of_hanging() -> None:
    assert fake_router.resolve({"$ref": "#/components/schemas/Loop"}, COMPONENTS) == {}


def test_form_fields_are_read_as_the_schema_wants() -> None:
    request = {
        "type": "object",
        "properties": {
            "prompt": {"type": "string"},
            "n": {"type": "integer"},
            "quality": {"type": ["number", "null"]},
            "strength": {"type": "number"},
            "flag": {"type": "boolean"},
            "image": {"type": "array", "items": {"type": "string"}},
            "sizes": {"type": "array", "items": {"type": "integer"}},
        },
    }
    fields: list[tuple[str, str | None, bytes]] = [
        ("prompt", None, b"12"),
        ("n", None, b"x2"),
        ("quality", None, b"0.5"),
        ("strength", None, b"3"),
        ("flag", None, b"true"),
        ("image[]", "a.png", b"\x89PNG"),
        ("sizes", None, b"1"),
        ("sizes", None, b"2"),
        ("other", None, b"a"),
        ("other", None, b"b"),
        ("broken", None, b"{"),
    ]
    value = fake_router._form_value(fields, operation(request=request))
    assert value == {
        "prompt": "12",
        "n": "x2",  # left as text: the schema check names the field
        "quality": 0.5,
        "strength": 3,
        "flag": True,
        "image": ["a.png"],
        "sizes": [1, 2],
        "other": ["a", "b"],
        "broken": "{",
    }


def test_an_empty_file_and_a_nameless_part_are_refused() -> None:
    with pytest.raises(fake_router.Rejected, match="empty"):
        fake_router._form_value([("image", "a.png", b"")], operation(request={"type": "object"}))
    body = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"
    with pytest.raises(fake_router.Rejected, match="no name"):
        fake_router._form_fields("multipart/form-data; boundary=b", body)


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("text/plain", b"hi", "Unsupported content type"),
        ("application/json", b"[1]", "must be a JSON object"),
    ],
)
def test_bodies_the_api_would_refuse(content_type: str, body: bytes, message: str) -> None:
    with pytest.raises(fake_router.Rejected, match=message) as rejected:
        fake_router.read_request(fake_router.find("generations"), {"content-type": content_type}, body)
    assert rejected.value.status == 400


def test_an_ambiguous_or_unknown_name_lists_the_choices() -> None:
    choices = "create_image, create_image_edit, create_image_variation, edits, generations, variations"
    with pytest.raises(KeyError, match=f"is not an operation; choose one of: {choices}"):
        fake_router.find("images")


def test_png_bytes_refuses_impossible_images() -> None:
    with pytest.raises(ValueError, match="width and height"):
        png_bytes(0, 1)
    with pytest.raises(ValueError, match="rgb"):
        png_bytes(1, 1, (256, 0, 0))
    assert decode_png(png_bytes(3, 2, (1, 2, 3))).pixels == [b"\x01\x02\x03" * 3] * 2


def test_serve_prints_how_to_use_it_and_stops_on_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(self: standin.StandIn) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(standin.StandIn, "serve_forever", interrupted)
    assert testing.main(["serve", "--port", "0", "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("orq-images stand-in router listening on http://127.0.0.1:")
    assert out[1] == (
        "serving: POST /v2/router/images/edits, POST /v2/router/images/generations, POST /v2/router/images/variations"
    )
    assert out[2].startswith("use it with: export ORQ_SERVER_URL=http://127.0.0.1:")


def test_the_stand_in_logs_one_line_per_request_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    import httpx2

    log = io.StringIO()
    with standin.StandIn(port=0, log=log) as server:
        httpx2.get(server.url + "/nothing")
        chunked = httpx2.post(server.url + "/x", content=iter([b"a"]))
        with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))) as raw:
            raw.sendall(b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: ten\r\n\r\n")
            bad_length = raw.recv(1000)
    assert '"GET /nothing HTTP/1.1" 404' in log.getvalue()
    assert chunked.status_code == 411
    assert bad_length.startswith(b"HTTP/1.1 400")
