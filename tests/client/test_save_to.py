"""`create(..., save_to=...)` and `create_async(..., save_to=...)`: the images of the answer are decoded into
files while the answer arrives, moved into place only when the answer is complete and valid, and left out of the
result. A failed call (bad answer, error status, dropped connection, timeout) leaves no file behind.

The real local server is used where the transport matters (large bodies, truncation, timeouts, retries);
`httpx2.MockTransport` where it does not, and where the body is cut into chunks chosen by the test.
"""

from __future__ import annotations

import asyncio
import base64
import json
import pathlib
import random
import re
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orq_images import (
    APIConnectionError,
    APITimeoutError,
    Orq,
    RequestValidationError,
    ResponseValidationError,
    RetryConfig,
    ServerError,
)
from orq_images.models import CreateImageResponse
from orq_images.types import UNSET

from tests.client.conftest import (
    API_KEY,
    MINIMAL,
    WIRE_MODES,
    AsyncTransport,
    Mode,
    SleepRecorder,
    create,
    create_async,
    generate,
    new_orq,
    wire_json,
)
from tests.support.server import LocalServer

Respond = Callable[[httpx2.Request], httpx2.Response]

MODES = pytest.mark.parametrize("mode", ["sync", "async"])
MOCK_URL = "https://api.orq.test"
PNG_SIGNATURE = bytes.fromhex("89504e470d0a1a0a")
DATA_URL_PREFIX = "data:image/png;base64,"
PART_NAME = re.compile(r"\.(?P<target>.+)\.[0-9a-f]{12}\.part")


# -- helpers -------------------------------------------------------------------------------------------------------


def image_bytes(size: int, seed: int) -> bytes:
    """``size`` bytes that start like a PNG file and go on at random (reproducibly, from ``seed``)."""
    rest = random.Random(seed).randbytes(max(size - len(PNG_SIGNATURE), 0))
    return (PNG_SIGNATURE + rest)[:size]


def b64(image: bytes) -> str:
    return base64.b64encode(image).decode("ascii")


def answer(*images: bytes | str, prefix: str = "") -> dict[str, Any]:
    """An answer with one item per image: bytes come as ``b64_json`` (after ``prefix``), a str as ``url``."""
    data = [
        {"url": image} if isinstance(image, str) else {"b64_json": prefix + b64(image), "revised_prompt": f"#{i}"}
        for i, image in enumerate(images)
    ]
    return {"created": 1700000000, "data": data}


def body_of(document: object) -> bytes:
    return json.dumps(document).encode()


def listing(directory: pathlib.Path) -> list[str]:
    """Every file in ``directory``, hidden ones (the ``.part`` files) included."""
    return sorted(path.name for path in directory.iterdir())


def part_files(directory: pathlib.Path) -> list[pathlib.Path]:
    """The temporary files of images on their way (pathlib's glob matches hidden files too)."""
    return sorted(directory.glob("*.part"))


def mock_generate(mode: Mode, respond: Respond, **arguments: Any) -> CreateImageResponse:
    """One call through an `Orq` whose ``httpx2`` client answers with ``respond`` (no retries)."""
    transport = httpx2.MockTransport(respond)
    if mode == "sync":
        with httpx2.Client(transport=transport) as http, Orq(API_KEY, server_url=MOCK_URL, client=http) as orq:
            return create(orq, retries=None, **arguments)

    async def main() -> CreateImageResponse:
        async with (
            httpx2.AsyncClient(transport=transport) as http,
            Orq(API_KEY, server_url=MOCK_URL, async_client=http) as orq,
        ):
            return await create_async(orq, retries=None, **arguments)

    return asyncio.run(main())


class Chunks(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response body delivered in the given chunks; ``between(i)`` runs after chunk ``i`` has been taken (it
    may look at the directory, or raise to cut the connection)."""

    def __init__(self, chunks: Sequence[bytes], between: Callable[[int], None] | None = None) -> None:
        self.chunks = list(chunks)
        self.between = between

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            yield chunk
            if self.between is not None:
                self.between(index)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            yield chunk
            if self.between is not None:
                self.between(index)


def json_response(document: object) -> Respond:
    return lambda request: httpx2.Response(200, json=document)


def chunked_response(chunks: Sequence[bytes], between: Callable[[int], None] | None = None) -> Respond:
    headers = {"Content-Type": "application/json"}
    return lambda request: httpx2.Response(200, headers=headers, stream=Chunks(chunks, between))


def cut(data: bytes, sizes: Sequence[int]) -> list[bytes]:
    """``data`` cut into pieces of the given sizes (the last piece takes what is left)."""
    pieces, start = [], 0
    for size in sizes:
        pieces.append(data[start : start + size])
        start += size
    pieces.append(data[start:])
    return [piece for piece in pieces if piece]


def tiny_chunks(data: bytes, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    chunks, start = [], 0
    while start < len(data):
        size = rng.randint(1, 7)
        chunks.append(data[start : start + size])
        start += size
    return chunks


# -- the happy path: through the local server ----------------------------------------------------------------------


@WIRE_MODES
def test_one_image_is_written_and_left_out_of_the_result(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    image = image_bytes(20_000, seed=1)
    server.enqueue(200, json=answer(image))
    target = tmp_path / "fox.png"

    result = generate(orq, mode, save_to=target)

    assert target.read_bytes() == image
    assert listing(tmp_path) == ["fox.png"]
    (item,) = result.data
    assert item.saved_to == target
    assert item.b64_json is UNSET
    assert item.revised_prompt == "#0"
    assert result.created == 1700000000
    assert result.to_dict() == {"created": 1700000000, "data": [{"revised_prompt": "#0"}]}
    # save_to is not an API argument: the request is the same as without it
    (request,) = server.requests
    assert request.body == wire_json(MINIMAL)


@WIRE_MODES
def test_a_3_mib_image_is_written_byte_for_byte(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    image = image_bytes(3 * 1024 * 1024, seed=2)
    document = answer(image)
    assert len(body_of(document)) > 4 * 1024 * 1024  # well past bodies.STREAM_FROM (1 MiB)
    server.enqueue(200, json=document)
    target = tmp_path / "large.png"

    result = generate(orq, mode, save_to=target)

    assert target.stat().st_size == len(image)
    assert target.read_bytes() == image
    assert listing(tmp_path) == ["large.png"]
    assert result.data[0].saved_to == target
    assert result.data[0].b64_json is UNSET


@WIRE_MODES
def test_three_images_go_beside_the_target_with_their_index(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    images = [image_bytes(5_000 + 1_000 * i, seed=10 + i) for i in range(3)]
    server.enqueue(200, json=answer(*images))

    result = generate(orq, mode, n=3, save_to=str(tmp_path / "fox.png"))  # a str path works as well

    assert listing(tmp_path) == ["fox-1.png", "fox-2.png", "fox.png"]
    expected_paths = [tmp_path / "fox.png", tmp_path / "fox-1.png", tmp_path / "fox-2.png"]
    assert [path.read_bytes() for path in expected_paths] == images
    assert [item.saved_to for item in result.data] == expected_paths
    assert [item.b64_json for item in result.data] == [UNSET, UNSET, UNSET]
    assert [item.revised_prompt for item in result.data] == ["#0", "#1", "#2"]
    assert server.requests[0].json["n"] == 3


@WIRE_MODES
def test_an_existing_file_at_the_target_is_replaced(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    target = tmp_path / "fox.png"
    target.write_bytes(b"an older image")
    image = image_bytes(1_000, seed=3)
    server.enqueue(200, json=answer(image))

    assert generate(orq, mode, save_to=target).data[0].saved_to == target

    assert target.read_bytes() == image
    assert listing(tmp_path) == ["fox.png"]


# -- the forms of save_to, data: URLs, URL items (the transport does not matter: MockTransport) ---------------------


@MODES
def test_save_to_as_a_function_of_the_index(tmp_path: pathlib.Path, mode: Mode) -> None:
    images = [image_bytes(300 * (i + 1), seed=20 + i) for i in range(3)]
    document = answer(images[0], "https://example.com/1.png", images[1], images[2])
    asked: list[int] = []

    def target(index: int) -> pathlib.Path:
        asked.append(index)
        return tmp_path / f"image_{index:02d}.webp"

    result = mock_generate(mode, json_response(document), n=4, save_to=target)

    assert asked == [0, 1, 2, 3]  # once for each image asked for, in order, before sending
    assert listing(tmp_path) == ["image_00.webp", "image_02.webp", "image_03.webp"]
    assert (tmp_path / "image_00.webp").read_bytes() == images[0]
    assert (tmp_path / "image_02.webp").read_bytes() == images[1]
    assert (tmp_path / "image_03.webp").read_bytes() == images[2]
    assert [item.saved_to for item in result.data] == [
        tmp_path / "image_00.webp",
        None,
        tmp_path / "image_02.webp",
        tmp_path / "image_03.webp",
    ]
    assert result.data[1].url == "https://example.com/1.png"


@MODES
def test_save_to_function_may_return_a_str(tmp_path: pathlib.Path, mode: Mode) -> None:
    image = image_bytes(64, seed=4)
    result = mock_generate(mode, json_response(answer(image)), n=10, save_to=lambda index: f"{tmp_path}/out{index}.png")
    assert result.data[0].saved_to == tmp_path / "out0.png"
    assert isinstance(result.data[0].saved_to, pathlib.Path)
    assert (tmp_path / "out0.png").read_bytes() == image


@MODES
def test_a_data_url_prefix_is_not_part_of_the_image(tmp_path: pathlib.Path, mode: Mode) -> None:
    images = [image_bytes(4_000, seed=5), image_bytes(1, seed=6)]
    document = answer(*images, prefix=DATA_URL_PREFIX)
    assert document["data"][0]["b64_json"].startswith("data:image/png;base64,iVBORw0KGg")

    result = mock_generate(mode, json_response(document), n=10, save_to=tmp_path / "fox.png")

    assert (tmp_path / "fox.png").read_bytes() == images[0]
    assert (tmp_path / "fox-1.png").read_bytes() == images[1]
    assert listing(tmp_path) == ["fox-1.png", "fox.png"]
    assert [item.saved_to for item in result.data] == [tmp_path / "fox.png", tmp_path / "fox-1.png"]


@MODES
def test_url_items_are_left_alone(tmp_path: pathlib.Path, mode: Mode) -> None:
    document = answer("https://example.com/a.png", "https://example.com/b.png")
    result = mock_generate(mode, json_response(document), n=10, save_to=tmp_path / "fox.png")
    assert listing(tmp_path) == []
    assert [item.saved_to for item in result.data] == [None, None]
    assert [item.url for item in result.data] == ["https://example.com/a.png", "https://example.com/b.png"]
    assert result.to_dict() == document


@MODES
def test_only_the_base64_items_of_a_mixed_answer_are_written(tmp_path: pathlib.Path, mode: Mode) -> None:
    image = image_bytes(500, seed=7)
    document = answer("https://example.com/first.png", image)
    result = mock_generate(mode, json_response(document), n=10, save_to=tmp_path / "fox.png")
    assert listing(tmp_path) == ["fox-1.png"]  # index 1: fox.png would have been image 0
    assert (tmp_path / "fox-1.png").read_bytes() == image
    assert [item.saved_to for item in result.data] == [None, tmp_path / "fox-1.png"]
    assert result.data[0].url == "https://example.com/first.png"


def test_without_save_to_nothing_is_written(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    image = image_bytes(700, seed=8)
    result = mock_generate("sync", json_response(answer(image)))
    assert listing(tmp_path) == []
    assert result.data[0].saved_to is None
    assert result.data[0].to_bytes() == image


# -- the saved item ------------------------------------------------------------------------------------------------


def test_a_saved_item_shows_its_path_and_refuses_to_decode(tmp_path: pathlib.Path) -> None:
    image = image_bytes(2_000, seed=9)
    target = tmp_path / "fox.png"
    (item,) = mock_generate("sync", json_response(answer(image)), save_to=target).data

    assert repr(item) == f"GeneratedImage(revised_prompt='#0', saved_to={target!r})"
    with pytest.raises(ValueError, match=re.escape(f"this image was written to {target} (save_to=)")):
        item.to_bytes()
    with pytest.raises(ValueError, match=re.escape(str(target))):
        item.save(tmp_path / "copy.png")
    assert listing(tmp_path) == ["fox.png"]  # save() wrote nothing
    assert target.read_bytes() == image


def test_the_repr_of_the_whole_result_shows_where_the_images_went(tmp_path: pathlib.Path) -> None:
    images = [image_bytes(100, seed=30), image_bytes(100, seed=31)]
    result = mock_generate("sync", json_response(answer(*images)), n=10, save_to=tmp_path / "a.png")
    text = repr(result)
    assert f"saved_to={tmp_path / 'a.png'!r}" in text
    assert f"saved_to={tmp_path / 'a-1.png'!r}" in text
    assert "b64_json" not in text


# -- how the body arrives: tiny chunks, part files while it streams ------------------------------------------------


@MODES
def test_a_body_in_tiny_chunks(tmp_path: pathlib.Path, mode: Mode) -> None:
    images = [image_bytes(1_500, seed=40), image_bytes(700, seed=41)]
    document = answer(images[0], images[1], prefix=DATA_URL_PREFIX)
    chunks = tiny_chunks(body_of(document), seed=42)
    assert len(chunks) > 500
    assert max(len(chunk) for chunk in chunks) <= 7

    result = mock_generate(mode, chunked_response(chunks), n=10, save_to=tmp_path / "fox.png")

    assert (tmp_path / "fox.png").read_bytes() == images[0]
    assert (tmp_path / "fox-1.png").read_bytes() == images[1]
    assert listing(tmp_path) == ["fox-1.png", "fox.png"]
    assert [item.revised_prompt for item in result.data] == ["#0", "#1"]


@MODES
def test_escaped_json_strings_are_decoded_before_base64(tmp_path: pathlib.Path, mode: Mode) -> None:
    image = image_bytes(3_000, seed=43)
    encoded = b64(image)
    assert "/" in encoded
    # "\/" for "/" (as PHP writes it), "\u0041" for "A", and base64 broken into MIME lines ("\n")
    escaped = encoded.replace("/", "\\/")
    escaped = "\\n".join(escaped[start : start + 76] for start in range(0, len(escaped), 76))
    escaped = escaped.replace("A", "\\u0041")
    body = b'{"created": 1, "data": [{"b64_json": "' + escaped.encode() + b'"}]}'
    assert json.loads(body)["data"][0]["b64_json"].replace("\n", "") == encoded
    chunks = cut(body, [31, 1, 1, 2, 5, 3] * 300)  # cuts fall inside escapes

    mock_generate(mode, chunked_response(chunks), save_to=tmp_path / "fox.png")

    assert (tmp_path / "fox.png").read_bytes() == image
    assert listing(tmp_path) == ["fox.png"]


@MODES
def test_the_image_goes_to_a_hidden_part_file_until_the_answer_is_complete(tmp_path: pathlib.Path, mode: Mode) -> None:
    target = tmp_path / "fox.png"
    target.write_bytes(b"previous")
    image = image_bytes(10_000, seed=44)
    body = body_of(answer(image))
    seen: list[list[str]] = []
    sizes: list[int] = []

    def look(index: int) -> None:
        seen.append(listing(tmp_path))
        sizes.extend(part.stat().st_size for part in part_files(tmp_path))
        assert target.read_bytes() == b"previous"  # the old file is there until the end

    mock_generate(mode, chunked_response(cut(body, [1_000] * 12), look), save_to=target)

    assert len(seen) == 13  # one look after each chunk
    for names in seen:
        (part,) = (name for name in names if name != "fox.png")
        match = PART_NAME.fullmatch(part)
        assert match is not None and match["target"] == "fox.png", part
    assert len({tuple(names) for names in seen}) == 1  # one part file for the whole image
    assert sizes == sorted(sizes) and sizes[-1] == len(image)  # it grows as the image arrives
    assert target.read_bytes() == image
    assert listing(tmp_path) == ["fox.png"]


def test_an_event_hook_that_reads_the_body_first(tmp_path: pathlib.Path) -> None:
    image = image_bytes(5_000, seed=45)
    read: list[int] = []

    def read_it(response: httpx2.Response) -> None:
        read.append(len(response.read()))

    transport = httpx2.MockTransport(chunked_response(cut(body_of(answer(image)), [100] * 80)))
    with (
        httpx2.Client(transport=transport, event_hooks={"response": [read_it]}) as http,
        Orq(API_KEY, server_url=MOCK_URL, client=http) as orq,
    ):
        result = create(orq, save_to=tmp_path / "fox.png")
    assert read == [len(body_of(answer(image)))]
    assert (tmp_path / "fox.png").read_bytes() == image
    assert result.data[0].saved_to == tmp_path / "fox.png"
    assert result.data[0].b64_json is UNSET
    assert listing(tmp_path) == ["fox.png"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    image=st.binary(max_size=3000),
    cuts=st.lists(st.integers(min_value=0, max_value=4_200), max_size=25),
    slash_escaped=st.booleans(),
    prefix=st.sampled_from(["", DATA_URL_PREFIX]),
)
def test_any_image_in_any_chunking_is_saved_exactly(
    image: bytes, cuts: list[int], slash_escaped: bool, prefix: str
) -> None:
    encoded = prefix + b64(image)
    if slash_escaped:
        encoded = encoded.replace("/", "\\/")
    body = b'{"created":1,"data":[{"revised_prompt":"a \\"fox\\"","b64_json":"' + encoded.encode() + b'"}]}'
    positions = sorted({min(position, len(body)) for position in cuts} | {0, len(body)})
    chunks = [body[start:end] for start, end in zip(positions, positions[1:], strict=False) if end > start]
    assert b"".join(chunks) == body

    with tempfile.TemporaryDirectory() as directory:
        folder = pathlib.Path(directory)
        result = mock_generate("sync", chunked_response(chunks), save_to=folder / "image.bin")
        assert (folder / "image.bin").read_bytes() == image
        assert listing(folder) == ["image.bin"]
    assert result.data[0].saved_to == folder / "image.bin"
    assert result.data[0].revised_prompt == 'a "fox"'
    assert result.data[0].b64_json is UNSET


# -- invalid save_to: refused before anything is sent --------------------------------------------------------------


def invalid_targets(tmp_path: pathlib.Path) -> list[tuple[Any, str]]:
    """Values of save_to that are refused, and what the error says was expected."""
    a_path = "a file path in an existing directory"
    anything = "a file path, or a function of the image index returning one"
    not_a_directory = "a file path, not a directory"
    return [
        (tmp_path, not_a_directory),
        (str(tmp_path), not_a_directory),
        (tmp_path / "missing" / "fox.png", a_path),  # a parent that does not exist
        (tmp_path / "file.txt" / "fox.png", a_path),  # a parent that is a file
        (42, anything),
        ("", anything),
        (b"fox.png", anything),
        (["fox.png"], anything),
    ]


@WIRE_MODES
def test_invalid_save_to_is_refused_before_sending(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    (tmp_path / "file.txt").write_text("not a directory")
    for save_to, expected in invalid_targets(tmp_path):
        with pytest.raises(RequestValidationError) as caught:
            if mode == "sync":
                create(orq, save_to=save_to)
            else:  # refused at the call, before there is a coroutine to await
                orq.router.images.generations.create_async(**MINIMAL, save_to=save_to)  # type: ignore[unused-coroutine]
        error = caught.value
        assert error.path == "save_to"
        assert error.expected == expected
        assert error.value is save_to
        assert str(error).startswith(f"save_to: expected {expected}, got ")
        assert isinstance(error, ValueError)
    assert server.requests == []
    assert listing(tmp_path) == ["file.txt"]


def test_invalid_save_to_is_importable_from_the_package_root() -> None:
    import orq_images

    assert "RequestValidationError" in orq_images.__all__
    assert orq_images.RequestValidationError is RequestValidationError


# -- failed calls leave nothing behind -----------------------------------------------------------------------------


def prepare_targets(tmp_path: pathlib.Path, count: int) -> dict[str, bytes]:
    """Put older files where the images of a call would go (fox.png, fox-1.png...); return name -> content."""
    old = {("fox.png" if i == 0 else f"fox-{i}.png"): f"old image {i}".encode() for i in range(count)}
    for name, content in old.items():
        (tmp_path / name).write_bytes(content)
    return old


def assert_untouched(tmp_path: pathlib.Path, old: dict[str, bytes]) -> None:
    assert listing(tmp_path) == sorted(old)  # no part file, no new file
    assert {name: (tmp_path / name).read_bytes() for name in old} == old


@WIRE_MODES
def test_an_invalid_answer_leaves_existing_files_untouched(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    old = prepare_targets(tmp_path, 2)
    images = [image_bytes(80_000, seed=50), image_bytes(100, seed=51)]
    document = answer(*images)
    del document["created"]  # a required field
    server.enqueue(200, json=document)

    with pytest.raises(ResponseValidationError) as caught:
        generate(orq, mode, n=10, save_to=tmp_path / "fox.png")

    assert_untouched(tmp_path, old)
    error = caught.value
    assert error.status_code == 200
    assert "created" in error.detail
    # the error's body has the images as received when they are short, else their start and length: the part
    # files are never read back
    reported = json.loads(error.body)
    long_image = document["data"][0]["b64_json"]
    assert reported["data"][0]["b64_json"] == (
        f"{long_image[:1024]}<... {len(long_image)} characters of image data not kept (save_to=)>"
    )
    assert reported["data"][1] == document["data"][1]
    assert {key: value for key, value in reported.items() if key != "data"} == {}
    assert len(server.requests) == 1


@MODES
def test_invalid_base64_is_a_response_validation_error(tmp_path: pathlib.Path, mode: Mode) -> None:
    old = prepare_targets(tmp_path, 3)
    document = answer(*(image_bytes(700, seed=52 + i) for i in range(3)))
    document["data"][2]["b64_json"] = "QUJD!!!!"  # the last image: the first two were written already

    with pytest.raises(ResponseValidationError) as caught:
        mock_generate(mode, json_response(document), n=10, save_to=tmp_path / "fox.png")

    assert_untouched(tmp_path, old)
    assert caught.value.status_code == 200
    assert caught.value.detail.startswith("ValueError: b64_json is not valid base64")
    # the error's body is the answer again (images this short are kept as received; longer ones are summarised,
    # never read back from their part files)
    assert json.loads(caught.value.body) == document


@pytest.mark.parametrize(
    ("pieces", "reason"),
    [
        (["QUJD!!!!"], "Only base64 data is allowed"),
        (["QQ==QUJD"], "Excess data after padding"),
        (["QQ==", "QUJD"], "data after the padding"),
        (["data:image/png;base64"], "a data: URL without a comma"),
        (["QUJDQ"], "cannot be 1 more"),
        (["QUJD", "Q"], "cannot be 1 more"),
        (["QUJDQU", "!!!!A"], "Only base64 data"),
    ],
)
def test_invalid_base64_forms(tmp_path: pathlib.Path, pieces: list[str], reason: str) -> None:
    """Each piece of the image arrives in its own chunk (the closing quote in the next one); the error's body has
    the image as it was received."""
    chunks = [b'{"created": 1, "data": [{"b64_json": "', *(piece.encode() for piece in pieces), b'"}]}']
    with pytest.raises(ResponseValidationError) as caught:
        mock_generate("sync", chunked_response(chunks), save_to=tmp_path / "fox.png")
    assert caught.value.detail.startswith("ValueError: b64_json is not valid base64: ")
    assert reason in caught.value.detail
    assert listing(tmp_path) == []
    assert json.loads(caught.value.body) == {"created": 1, "data": [{"b64_json": "".join(pieces)}]}


@WIRE_MODES
def test_an_error_status_writes_nothing(server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode) -> None:
    old = prepare_targets(tmp_path, 1)
    server.enqueue(500, json=answer(image_bytes(1_000, seed=55)))  # an error body that looks like images

    with pytest.raises(ServerError) as caught:
        generate(orq, mode, save_to=tmp_path / "fox.png")

    assert caught.value.status_code == 500
    assert_untouched(tmp_path, old)
    assert len(server.requests) == 1  # 500 is not retried


@WIRE_MODES
def test_a_connection_dropped_in_the_middle_of_the_image(
    server: LocalServer, orq: Orq, tmp_path: pathlib.Path, mode: Mode
) -> None:
    old = prepare_targets(tmp_path, 1)
    image = image_bytes(200_000, seed=56)
    server.enqueue(200, json=answer(image), truncate=True)  # half the body, then the connection closes

    with pytest.raises(APIConnectionError) as caught:
        generate(orq, mode, save_to=tmp_path / "fox.png", retries=None)

    assert not isinstance(caught.value, APITimeoutError)
    assert "RemoteProtocolError" in str(caught.value)
    assert_untouched(tmp_path, old)


@WIRE_MODES
def test_a_timeout_in_the_middle_of_the_image(
    server: LocalServer, async_transport: AsyncTransport, tmp_path: pathlib.Path, mode: Mode
) -> None:
    old = prepare_targets(tmp_path, 1)
    server.enqueue(200, json=answer(image_bytes(200_000, seed=57)), body_delay=5)  # half now, the rest later

    with (
        new_orq(async_transport, server_url=server.url, timeout_ms=300, retry_config=None) as orq,
        pytest.raises(APITimeoutError) as caught,
    ):
        generate(orq, mode, save_to=tmp_path / "fox.png")

    assert str(caught.value).startswith("The call's time limit (timeout_ms=300 ms")
    assert_untouched(tmp_path, old)


def test_a_connection_cut_while_the_part_file_exists(tmp_path: pathlib.Path) -> None:
    old = prepare_targets(tmp_path, 2)
    body = body_of(answer(image_bytes(6_000, seed=58), image_bytes(6_000, seed=59)))
    parts_seen: list[int] = []

    def cut_connection(index: int) -> None:
        parts_seen.append(len(part_files(tmp_path)))
        if index == 12:  # inside the second image
            raise httpx2.RemoteProtocolError("peer closed connection without sending complete message body")

    with pytest.raises(APIConnectionError) as caught:
        mock_generate(
            "sync", chunked_response(cut(body, [1_000] * 20), cut_connection), n=10, save_to=tmp_path / "fox.png"
        )

    assert parts_seen[-1] == 2  # both images had part files when the connection was cut...
    assert_untouched(tmp_path, old)  # ...and both are gone
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)


def test_a_connection_cut_while_the_part_file_exists_async(tmp_path: pathlib.Path) -> None:
    old = prepare_targets(tmp_path, 1)
    body = body_of(answer(image_bytes(6_000, seed=60)))

    def cut_connection(index: int) -> None:
        if index == 3:
            assert len(part_files(tmp_path)) == 1
            raise httpx2.ReadError("connection reset by peer")

    with pytest.raises(APIConnectionError):
        mock_generate("async", chunked_response(cut(body, [1_000] * 8), cut_connection), save_to=tmp_path / "fox.png")
    assert_untouched(tmp_path, old)


def test_a_cancelled_async_call_leaves_nothing(tmp_path: pathlib.Path) -> None:
    old = prepare_targets(tmp_path, 1)
    body = body_of(answer(image_bytes(6_000, seed=61)))
    started = asyncio.Event()

    class SlowChunks(httpx2.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield body[:3_000]
            started.set()
            await asyncio.sleep(30)
            yield body[3_000:]

    async def main() -> None:
        transport = httpx2.MockTransport(lambda request: httpx2.Response(200, stream=SlowChunks()))
        async with (
            httpx2.AsyncClient(transport=transport) as http,
            Orq(API_KEY, server_url=MOCK_URL, async_client=http) as orq,
        ):
            task = asyncio.create_task(create_async(orq, save_to=tmp_path / "fox.png"))
            await started.wait()
            assert len(part_files(tmp_path)) == 1
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(main())
    assert_untouched(tmp_path, old)


# -- retries: only the successful attempt's files remain -----------------------------------------------------------


@WIRE_MODES
def test_a_retry_after_a_dropped_connection_keeps_the_second_image(
    server: LocalServer, orq: Orq, sleeps: SleepRecorder, tmp_path: pathlib.Path, mode: Mode
) -> None:
    prepare_targets(tmp_path, 1)
    first, second = image_bytes(200_000, seed=62), image_bytes(150_000, seed=63)
    server.enqueue(200, json=answer(first), truncate=True)
    server.enqueue(200, json=answer(second))

    result = generate(orq, mode, save_to=tmp_path / "fox.png", retries=RetryConfig(retry_possibly_received=True))

    assert (tmp_path / "fox.png").read_bytes() == second
    assert listing(tmp_path) == ["fox.png"]
    assert result.data[0].saved_to == tmp_path / "fox.png"
    assert len(server.requests) == 2
    assert len(sleeps.delays) == 1


@WIRE_MODES
def test_a_retry_after_a_cut_answer_keeps_the_second_image(
    server: LocalServer, async_transport: AsyncTransport, tmp_path: pathlib.Path, mode: Mode
) -> None:
    second = image_bytes(100_000, seed=65)
    # Half the first answer arrives: all of its image 0 and part of image 1, whose file must not appear either.
    first_answer = answer(image_bytes(20_000, seed=64), image_bytes(80_000, seed=71))
    server.enqueue(200, json=first_answer, truncate=True)
    server.enqueue(200, json=answer(second))

    retry = RetryConfig(retry_possibly_received=True)
    with new_orq(async_transport, server_url=server.url, retry_config=retry) as orq:
        orq._core.sleep = SleepRecorder()
        orq._core.async_sleep = SleepRecorder().async_sleep
        result = generate(orq, mode, save_to=tmp_path / "fox.png")

    assert listing(tmp_path) == ["fox.png"]
    assert (tmp_path / "fox.png").read_bytes() == second
    assert [item.saved_to for item in result.data] == [tmp_path / "fox.png"]
    assert len(server.requests) == 2


@WIRE_MODES
def test_a_retried_status_then_success(
    server: LocalServer, orq: Orq, sleeps: SleepRecorder, tmp_path: pathlib.Path, mode: Mode
) -> None:
    image = image_bytes(2_000, seed=66)
    server.enqueue(503, json=answer(image_bytes(2_000, seed=67)), headers={"Retry-After": "0"})
    server.enqueue(200, json=answer(image))

    result = generate(orq, mode, save_to=tmp_path / "fox.png")

    assert (tmp_path / "fox.png").read_bytes() == image
    assert listing(tmp_path) == ["fox.png"]
    assert result.data[0].saved_to == tmp_path / "fox.png"
    assert sleeps.delays == [0.0]


@WIRE_MODES
def test_every_attempt_fails_then_nothing_remains(
    server: LocalServer, orq: Orq, sleeps: SleepRecorder, tmp_path: pathlib.Path, mode: Mode
) -> None:
    old = prepare_targets(tmp_path, 1)
    for seed in (68, 69, 70):
        server.enqueue(200, json=answer(image_bytes(100_000, seed=seed)), truncate=True)

    with pytest.raises(APIConnectionError):
        generate(orq, mode, save_to=tmp_path / "fox.png", retries=RetryConfig(retry_possibly_received=True))

    assert len(server.requests) == 3
    assert len(sleeps.delays) == 2
    assert_untouched(tmp_path, old)


# -- duplicate members and answers that are not UTF-8 ---------------------------------------------------------------


def test_a_duplicate_data_member_follows_json_loads(tmp_path: pathlib.Path) -> None:
    # json.loads keeps the last "data": one image. The first "data" array had two.
    body = b'{"created": 1, "data": [{"b64_json": "QUFB"}, {"b64_json": "QkJC"}], "data": [{"b64_json": "Q0ND"}]}'
    result = mock_generate("sync", chunked_response([body]), n=10, save_to=tmp_path / "fox.png")
    assert listing(tmp_path) == ["fox.png"]
    assert (tmp_path / "fox.png").read_bytes() == b"CCC"
    assert [item.saved_to for item in result.data] == [tmp_path / "fox.png"]


def test_invalid_base64_in_a_utf16_answer(tmp_path: pathlib.Path) -> None:
    document = {"created": 1, "data": [{"b64_json": "QUJD"}, {"b64_json": "!!!!"}]}
    body = json.dumps(document).encode("utf-16-le")
    with pytest.raises(ResponseValidationError):
        mock_generate("sync", chunked_response([body]), save_to=tmp_path / "fox.png")
    assert listing(tmp_path) == []


def test_a_utf16_answer_is_saved_like_a_utf8_one(tmp_path: pathlib.Path) -> None:
    body = json.dumps({"created": 1, "data": [{"b64_json": "QUJD"}]}).encode("utf-16-le")
    result = mock_generate("sync", chunked_response([body]), save_to=tmp_path / "fox.png")
    assert (tmp_path / "fox.png").read_bytes() == b"ABC"
    assert result.data[0].saved_to == tmp_path / "fox.png"
    assert result.data[0].b64_json is UNSET


def test_a_duplicate_data_member_of_urls_gets_no_file(tmp_path: pathlib.Path) -> None:
    # The images of the first "data" were written while they arrived; json.loads keeps the second, URLs only.
    body = b'{"created": 1, "data": [{"b64_json": "QUFB"}, {"b64_json": "QkJC"}], "data": [{"url": "u"}, {"url": "v"}]}'
    result = mock_generate("sync", chunked_response([body]), n=10, save_to=tmp_path / "fox.png")
    assert listing(tmp_path) == []
    assert [(item.url, item.saved_to) for item in result.data] == [("u", None), ("v", None)]
