"""File arguments of edits and variations, on a real local server: every accepted input kind sends the same part,
refused files send nothing, retries send the same bytes again, and the multipart framing is what the API reads."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import pathlib
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import orq_images
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orq_images import Orq, RequestValidationError, UploadNotReplayableError
from orq_images.types import File

from tests.client.conftest import API_KEY, SleepRecorder
from tests.support.images import tiny_jpeg, tiny_png, tiny_webp
from tests.support.multipart import FormPart, parse_form
from tests.support.server import LocalServer

PNG = tiny_png()
EDIT = {"model": "openai/gpt-image-1", "prompt": "make it blue"}
MAX_BYTES = 50 * 1024 * 1024


def parts_of(server: LocalServer, index: int = -1) -> list[FormPart]:
    request = server.requests[index]
    return parse_form(request.headers["content-type"], request.body)


def image_part(server: LocalServer, index: int = -1) -> FormPart:
    (part,) = [part for part in parts_of(server, index) if part.name == "image"]
    return part


class Unseekable(io.RawIOBase):
    """A stream that can be read once only, as a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def write(tmp_path: pathlib.Path, name: str, data: bytes) -> pathlib.Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# Every accepted input kind, made from (bytes, a directory for files): (argument, file name the part must carry).
INPUT_KINDS: dict[str, Callable[[bytes, pathlib.Path], tuple[object, str]]] = {
    "path as str": lambda data, tmp: (str(write(tmp, "photo.png", data)), "photo.png"),
    "pathlib.Path": lambda data, tmp: (write(tmp, "photo.png", data), "photo.png"),
    "bytes": lambda data, tmp: (data, "image"),
    "bytearray": lambda data, tmp: (bytearray(data), "image"),
    "open file": lambda data, tmp: (write(tmp, "photo.png", data).open("rb"), "photo.png"),
    "BytesIO": lambda data, tmp: (io.BytesIO(data), "image"),
    "official SDK dict": lambda data, tmp: (
        {"file_name": "x.png", "content": data, "content_type": "image/png"},
        "x.png",
    ),
    "dict with a file object": lambda data, tmp: ({"file_name": "x.png", "content": io.BytesIO(data)}, "x.png"),
    "2-tuple": lambda data, tmp: (("x.png", data), "x.png"),
    "3-tuple": lambda data, tmp: (("x.png", io.BytesIO(data), "image/png"), "x.png"),
    "File record": lambda data, tmp: (File(payload=data, file_name="x.png"), "x.png"),
}
SNIFFED = {"png": (tiny_png(), "image/png", ".png"), "jpeg": (tiny_jpeg(), "image/jpeg", ".jpg")}
SNIFFED["webp"] = (tiny_webp(), "image/webp", ".webp")


@pytest.mark.parametrize("kind", list(INPUT_KINDS))
def test_every_input_kind_sends_the_file_as_one_image_part(
    kind: str, orq: Orq, server: LocalServer, tmp_path: pathlib.Path
) -> None:
    argument, file_name = INPUT_KINDS[kind](PNG, tmp_path)
    orq.router.images.edits.create(**EDIT, image=argument)
    part = image_part(server)
    expected_name = file_name + ".png" if "." not in file_name else file_name
    assert (part.filename, part.content_type, part.body) == (expected_name, "image/png", PNG)
    assert part.headers == (
        ("Content-Disposition", f'form-data; name="image"; filename="{expected_name}"'),
        ("Content-Type", "image/png"),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(list(INPUT_KINDS)),
    image=st.sampled_from(list(SNIFFED)),
    tail=st.binary(max_size=3000),
    offset=st.integers(min_value=0, max_value=40),
)
def test_any_input_kind_sends_exactly_the_files_bytes_with_the_type_they_show(
    kind: str, image: str, tail: bytes, offset: int, orq: Orq, server: LocalServer, tmp_path_factory: Any
) -> None:
    head, content_type, _ = SNIFFED[image]
    data = head + tail
    argument, _ = INPUT_KINDS[kind](data, tmp_path_factory.mktemp("upload"))
    if isinstance(argument, io.BytesIO) and offset:  # a file object is read from where it stands
        argument = io.BytesIO(os.urandom(offset) + data)
        argument.seek(offset)
    orq.router.images.variations.create(model="openai/dall-e-2", image=argument)
    part = image_part(server)
    assert (part.content_type, part.body) == (content_type, data)
    assert server.requests[-1].headers["content-length"] == str(len(server.requests[-1].body))


def test_the_content_type_comes_from_the_bytes_not_the_name(orq: Orq, server: LocalServer) -> None:
    orq.router.images.edits.create(**EDIT, image=("photo.jpg", PNG, "image/jpeg"))
    assert image_part(server).content_type == "image/png"
    assert image_part(server).filename == "photo.jpg"


def refused(orq: Orq, server: LocalServer, image: object) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as caught:
        orq.router.images.edits.create(**EDIT, image=image)
    assert server.requests == []
    assert caught.value.path == "image"
    return caught.value


def test_a_file_in_another_format_is_refused_naming_the_field_and_the_file(
    orq: Orq, server: LocalServer, tmp_path: pathlib.Path
) -> None:
    gif = write(tmp_path, "anim.png", b"GIF89a" + b"\x00" * 20)  # the name lies
    error = refused(orq, server, gif)
    assert error.value == str(gif)
    assert "expected a PNG, JPEG, WEBP file; 'anim.png' is not one, by its first bytes" in str(error)


def test_a_missing_file_is_refused(orq: Orq, server: LocalServer, tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "nowhere.png"
    error = refused(orq, server, missing)
    assert error.value == str(missing)
    assert "expected a readable file, not 'nowhere.png' (No such file or directory)" in str(error)


def test_a_directory_is_refused(orq: Orq, server: LocalServer, tmp_path: pathlib.Path) -> None:
    assert "directory" in str(refused(orq, server, tmp_path))


def test_a_file_over_the_50_mb_limit_is_refused_without_reading_it(
    orq: Orq, server: LocalServer, tmp_path: pathlib.Path
) -> None:
    big = write(tmp_path, "big.png", PNG)
    os.truncate(big, MAX_BYTES + 1)  # sparse: no 50 MB written
    error = refused(orq, server, big)
    assert error.value == str(big)
    assert f"expected a file of at most {MAX_BYTES} bytes; 'big.png' has {MAX_BYTES + 1}" in str(error)


def test_a_file_of_exactly_50_mb_is_taken(orq: Orq, server: LocalServer, tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "edge.png", PNG)
    os.truncate(path, MAX_BYTES)
    orq.router.images.edits.create(**EDIT, image=path)
    assert len(image_part(server).body) == MAX_BYTES


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(io.StringIO("text"), id="text stream"),
        pytest.param({"content": PNG, "filename": "x.png"}, id="unknown dict key"),
        pytest.param({"file_name": "x.png"}, id="dict without content"),
        pytest.param(("x.png",), id="1-tuple"),
        pytest.param((1, PNG), id="file name not a str"),
        pytest.param(42, id="a number"),
        pytest.param(b"", id="empty bytes"),
    ],
)
def test_values_that_are_not_files_are_refused(image: object, orq: Orq, server: LocalServer) -> None:
    refused(orq, server, image)


def test_a_closed_file_is_refused(orq: Orq, server: LocalServer, tmp_path: pathlib.Path) -> None:
    file = write(tmp_path, "x.png", PNG).open("rb")
    file.close()
    refused(orq, server, file)


def test_other_arguments_are_checked_as_for_generations(orq: Orq, server: LocalServer) -> None:
    with pytest.raises(RequestValidationError, match="quality"):
        orq.router.images.edits.create(**EDIT, image=PNG, quality="hd")  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError, match="size"):
        orq.router.images.variations.create(model="m", image=PNG, size="300x300")  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError, match="n"):
        orq.router.images.variations.create(model="m", image=PNG, n=11)
    assert server.requests == []


def test_integers_stay_integers_and_none_sends_no_part(orq: Orq, server: LocalServer) -> None:
    orq.router.images.edits.create(**EDIT, image=PNG, n=2, size=None, quality=None)
    names = [(part.name, part.body) for part in parts_of(server) if part.name != "image"]
    assert names == [("model", b"openai/gpt-image-1"), ("prompt", b"make it blue"), ("n", b"2")]
    orq.router.images.edits.create(**EDIT, image=PNG, n=2.5)
    assert [part.body for part in parts_of(server) if part.name == "n"] == [b"2.5"]


def test_names_with_quotes_and_line_breaks_cannot_break_the_framing(orq: Orq, server: LocalServer) -> None:
    orq.router.images.edits.create(**EDIT, image=('a"b\r\nc.png', PNG))
    assert image_part(server).filename == "a%22b%0D%0Ac.png"


@pytest.mark.parametrize("kind", ["path", "file at an offset", "bytes"])
def test_a_retried_call_sends_the_same_bytes_again(
    kind: str, orq: Orq, server: LocalServer, sleeps: SleepRecorder, tmp_path: pathlib.Path
) -> None:
    argument: object = {
        "path": write(tmp_path, "p.png", PNG),
        "bytes": PNG,
        "file at an offset": io.BytesIO(b"junk" + PNG),
    }[kind]
    if isinstance(argument, io.BytesIO):
        argument.seek(4)
    server.enqueue(503)
    server.enqueue(503)
    orq.router.images.edits.create(**EDIT, image=argument)
    assert len(server.requests) == 3 and len(sleeps.delays) == 2
    assert server.requests[0].body == server.requests[1].body == server.requests[2].body
    assert image_part(server).body == PNG


def test_a_stream_that_cannot_be_rewound_is_sent_once_and_retries_stop_with_a_clear_error(
    orq: Orq, server: LocalServer
) -> None:
    server.enqueue(503)
    with pytest.raises(UploadNotReplayableError, match="cannot be rewound"):
        orq.router.images.edits.create(**EDIT, image=Unseekable(PNG))
    assert len(server.requests) == 1
    assert "content-length" not in server.requests[0].headers  # its length was unknown: sent chunked
    assert image_part(server).body == PNG


def test_a_stream_that_cannot_be_rewound_works_when_no_retry_is_needed(orq: Orq, server: LocalServer) -> None:
    orq.router.images.variations.create(model="openai/dall-e-2", image=Unseekable(PNG))
    assert image_part(server).body == PNG


def test_async_edits_and_variations_send_the_same_parts_as_sync(server: LocalServer, tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "p.png", PNG)

    async def main() -> None:
        async with Orq(api_key=API_KEY, server_url=server.url) as client:
            await client.router.images.edits.create_async(**EDIT, image=path, retry={"count": 2})
            await client.router.images.variations.create_async(model="m", image=path)

    asyncio.run(main())
    with Orq(api_key=API_KEY, server_url=server.url) as client:
        client.router.images.edits.create(**EDIT, image=path, retry={"count": 2})
        client.router.images.variations.create(model="m", image=path)
    sent = [[(p.name, p.headers, p.body) for p in parts_of(server, index)] for index in range(4)]
    assert sent[0] == sent[2] and sent[1] == sent[3]


def test_async_checks_the_file_at_the_call(server: LocalServer, tmp_path: pathlib.Path) -> None:
    with Orq(api_key=API_KEY, server_url=server.url) as client, pytest.raises(RequestValidationError):
        client.router.images.edits.create_async(**EDIT, image=tmp_path / "missing.png")
    assert server.requests == []


def test_async_retries_resend_a_file_object(server: LocalServer) -> None:
    async def main() -> None:
        async with Orq(api_key=API_KEY, server_url=server.url) as client:
            client._core.async_sleep = SleepRecorder().async_sleep
            await client.router.images.variations.create_async(model="m", image=io.BytesIO(PNG))

    server.enqueue(503)
    asyncio.run(main())
    assert len(server.requests) == 2 and server.requests[0].body == server.requests[1].body


def test_save_to_writes_the_edited_images(orq: Orq, server: LocalServer, tmp_path: pathlib.Path) -> None:
    server.enqueue(json={"created": 1, "data": [{"b64_json": base64.b64encode(b"new image").decode()}]})
    result = orq.router.images.edits.create(**EDIT, image=PNG, save_to=tmp_path / "out.png")
    assert (tmp_path / "out.png").read_bytes() == b"new image"
    assert result.data[0].saved_to == tmp_path / "out.png"


def test_a_failed_call_leaves_save_to_untouched(orq: Orq, server: LocalServer, tmp_path: pathlib.Path) -> None:
    target = write(tmp_path, "out.png", b"before")
    server.enqueue(400, json={"error": "bad"})
    with pytest.raises(Exception, match="400"):
        orq.router.images.variations.create(model="m", image=PNG, save_to=target)
    assert target.read_bytes() == b"before"


def test_the_deprecated_orq_contact_warns_at_the_callers_line(orq: Orq, server: LocalServer) -> None:
    with pytest.warns(
        DeprecationWarning, match=r"^`orq.contact` is deprecated; use `orq.identity` instead.$"
    ) as caught:
        line = sys._getframe().f_lineno + 1
        orq.router.images.variations.create(model="m", image=PNG, orq={"contact": {"id": "c1"}})
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)
    assert [part.body for part in parts_of(server) if part.name == "orq"] == [b'{"contact":{"id":"c1"}}']


def test_import_orq_images_does_not_load_the_upload_machinery() -> None:
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(orq_images.__file__).parents[1])}

    def run(code: str) -> str:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    loaded = "[m for m in sys.modules if m.startswith('orq_images') and m.endswith(('uploads', 'multipart'))]"
    assert run(f"import sys, orq_images; print({loaded})") == "[]"
    assert run("from orq_images.types import File; print(File.__module__)") == "orq_images._runtime.uploads"
