"""images.ImageFiles (``save_to=``: where each image goes, its part file, commit and discard) and images._Base64File
(base64 text in pieces -> decoded bytes in a part file beside the target), used directly and under a JsonReader."""

from __future__ import annotations

import base64
import json
import os
import pathlib
import re
import tempfile
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from orq_images import RequestValidationError
from orq_images._runtime.images import ImageFiles, _Base64File, _part_path
from orq_images._runtime.jsonstream import JsonReader
from orq_images.models import CreateImageResponse, GeneratedImage
from orq_images.types import UNSET

PART_NAME = re.compile(r"\.(?P<target>.+)\.(?P<hex>[0-9a-f]{12})\.part")
IMAGE_PATH = ("data", 0, "b64_json")


def listing(directory: pathlib.Path) -> list[str]:
    """Every file in ``directory``, hidden ones (the ``.part`` files) included."""
    return sorted(path.name for path in directory.iterdir())


def written(file: _Base64File, pieces: Sequence[str]) -> bytes:
    """Write ``pieces`` to ``file``, close it, and return what is in its part file."""
    for piece in pieces:
        file.write(piece)
    file.close()
    return file.part.read_bytes()


def image_files(tmp_path: pathlib.Path, name: str = "fox.png", expected: int = 11) -> ImageFiles:
    return ImageFiles(tmp_path / name, items="data", field="b64_json", expected=expected)


def new_file(target: pathlib.Path) -> _Base64File:
    """A sink writing to a new part file beside ``target``."""
    return _Base64File(target, _part_path(target))


def response(*items: dict[str, Any]) -> CreateImageResponse:
    return CreateImageResponse.from_dict({"created": 1, "data": list(items)})


# -- ImageFiles: targets -------------------------------------------------------------------------------------------


def test_image_0_goes_to_the_path_the_others_beside_it(tmp_path: pathlib.Path) -> None:
    files = image_files(tmp_path)
    assert files.target(0) == tmp_path / "fox.png"
    assert files.target(1) == tmp_path / "fox-1.png"
    assert files.target(2) == tmp_path / "fox-2.png"
    assert files.target(10) == tmp_path / "fox-10.png"


@pytest.mark.parametrize(
    ("name", "second"),
    [
        ("fox", "fox-1"),  # no suffix
        ("fox.tar.gz", "fox.tar-1.gz"),  # the last suffix only
        ("my fox.webp", "my fox-1.webp"),
        ("fox-1.png", "fox-1-1.png"),
    ],
)
def test_target_names(tmp_path: pathlib.Path, name: str, second: str) -> None:
    files = image_files(tmp_path, name)
    assert files.target(0) == tmp_path / name
    assert files.target(1) == tmp_path / second


def test_a_str_path_and_an_existing_file_are_accepted(tmp_path: pathlib.Path) -> None:
    (tmp_path / "fox.png").write_bytes(b"old")
    files = ImageFiles(str(tmp_path / "fox.png"), items="data", field="b64_json", expected=11)
    assert files.target(0) == tmp_path / "fox.png"
    assert isinstance(files.target(3), pathlib.Path)
    assert listing(tmp_path) == ["fox.png"]  # nothing is created before an image arrives


def test_a_relative_path(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = ImageFiles("fox.png", items="data", field="b64_json", expected=11)
    assert files.target(0) == pathlib.Path("fox.png")
    assert files.target(1) == pathlib.Path("fox-1.png")


def test_a_function_of_the_index(tmp_path: pathlib.Path) -> None:
    asked: list[int] = []

    def target(index: int) -> str:
        asked.append(index)
        return f"{tmp_path}/image-{index:03d}.jpg"

    files = ImageFiles(target, items="data", field="b64_json", expected=11)
    assert asked == list(range(11))  # once for each image asked for, before anything is sent
    assert files.target(7) == tmp_path / "image-007.jpg"
    assert files.target(0) == tmp_path / "image-000.jpg"
    assert asked == list(range(11))
    with pytest.raises(IndexError):
        files.target(11)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp, "a file path, not a directory"),
        (lambda tmp: str(tmp), "a file path, not a directory"),
        (lambda tmp: tmp / "missing" / "fox.png", "a file path in an existing directory"),
        (lambda tmp: tmp / "file.txt" / "fox.png", "a file path in an existing directory"),
        (lambda tmp: 42, "a file path, or a function of the image index returning one"),
        (lambda tmp: "", "a file path, or a function of the image index returning one"),
        (lambda tmp: None, "a file path, or a function of the image index returning one"),
        (lambda tmp: b"fox.png", "a file path, or a function of the image index returning one"),
        (lambda tmp: 1.5, "a file path, or a function of the image index returning one"),
    ],
)
def test_invalid_save_to(tmp_path: pathlib.Path, make: Any, expected: str) -> None:
    (tmp_path / "file.txt").write_text("a file, not a directory")
    save_to = make(tmp_path)
    with pytest.raises(RequestValidationError) as caught:
        ImageFiles(save_to, items="data", field="b64_json", expected=11)
    assert caught.value.path == "save_to"
    assert caught.value.expected == expected
    assert caught.value.value == save_to
    assert str(caught.value).startswith(f"save_to: expected {expected}, got ")
    assert listing(tmp_path) == ["file.txt"]


# -- ImageFiles: divert --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ("data", 0, "url"),
        ("data", 0, "revised_prompt"),
        ("data", "0", "b64_json"),  # an object key, not an array index
        ("data", None, "b64_json"),
        ("images", 0, "b64_json"),
        ("data", 0, "b64_json", 0),
        ("data", 0),
        ("b64_json",),
        ("usage", "data", 0, "b64_json"),
        (),
    ],
)
def test_other_strings_are_not_diverted(tmp_path: pathlib.Path, path: tuple[str | int | None, ...]) -> None:
    assert image_files(tmp_path).divert(path) is None
    assert listing(tmp_path) == []


def test_an_image_gets_a_hidden_part_file_beside_its_target(tmp_path: pathlib.Path) -> None:
    files = image_files(tmp_path)
    sink = files.divert(("data", 2, "b64_json"))
    assert isinstance(sink, _Base64File)
    assert sink.target == tmp_path / "fox-2.png"
    assert sink.part.parent == tmp_path
    match = PART_NAME.fullmatch(sink.part.name)
    assert match is not None and match["target"] == "fox-2.png"
    assert listing(tmp_path) == [sink.part.name]
    assert sink.part.read_bytes() == b""
    files.discard()


def test_items_and_field_name_what_is_diverted(tmp_path: pathlib.Path) -> None:
    files = ImageFiles(tmp_path / "out.bin", items="images", field="data", expected=11)
    assert files.divert(("data", 0, "b64_json")) is None
    sink = files.divert(("images", 1, "data"))
    assert sink is not None and sink.target == tmp_path / "out-1.bin"
    files.discard()
    assert listing(tmp_path) == []


def test_a_duplicate_index_discards_the_first_file(tmp_path: pathlib.Path) -> None:
    files = image_files(tmp_path)
    first = files.divert(IMAGE_PATH)
    assert isinstance(first, _Base64File)
    first.write("QUFB")  # "AAA"
    second = files.divert(IMAGE_PATH)  # the same member again: the last one counts, as in json.loads
    assert isinstance(second, _Base64File)
    assert first.part != second.part
    assert not first.part.exists()
    assert listing(tmp_path) == [second.part.name]
    second.write("QkJC")  # "BBB"
    second.close()
    result = response({})
    files.commit(result)
    assert (tmp_path / "fox.png").read_bytes() == b"BBB"
    assert listing(tmp_path) == ["fox.png"]
    assert result.data[0].saved_to == tmp_path / "fox.png"


# -- ImageFiles: commit and discard --------------------------------------------------------------------------------


def test_commit_moves_the_files_into_place_and_marks_the_items(tmp_path: pathlib.Path) -> None:
    (tmp_path / "fox.png").write_bytes(b"an older image")
    files = image_files(tmp_path)
    for index, text in [(0, "QUJD"), (2, "WFla")]:
        sink = files.divert(("data", index, "b64_json"))
        assert sink is not None
        sink.write(text)
        sink.close()
    assert len(list(tmp_path.glob("*.part"))) == 2
    assert (tmp_path / "fox.png").read_bytes() == b"an older image"  # not before commit

    result = response({"revised_prompt": "zero"}, {"url": "https://example.com/1.png"}, {})
    files.commit(result)

    assert listing(tmp_path) == ["fox-2.png", "fox.png"]
    assert (tmp_path / "fox.png").read_bytes() == b"ABC"
    assert (tmp_path / "fox-2.png").read_bytes() == b"XYZ"
    assert [item.saved_to for item in result.data] == [tmp_path / "fox.png", None, tmp_path / "fox-2.png"]
    assert result.data[0].revised_prompt == "zero"
    assert result.data[1].url == "https://example.com/1.png"
    assert [item.b64_json for item in result.data] == [UNSET, UNSET, UNSET]

    files.discard()  # after commit there is nothing left to discard: the files stay
    assert listing(tmp_path) == ["fox-2.png", "fox.png"]


def test_commit_leaves_items_that_were_not_diverted_alone(tmp_path: pathlib.Path) -> None:
    # Answers that are not UTF-8 are transcoded and diverted too (bodies.py): commit only moves diverted files.
    files = image_files(tmp_path)
    result = response({"b64_json": "QUJD"}, {"url": "https://example.com/1.png"})
    files.commit(result)
    assert listing(tmp_path) == []
    assert [item.saved_to for item in result.data] == [None, None]
    assert result.data[0].b64_json == "QUJD"


def test_discard_deletes_every_part_file_and_nothing_else(tmp_path: pathlib.Path) -> None:
    (tmp_path / "fox.png").write_bytes(b"old 0")
    (tmp_path / "fox-1.png").write_bytes(b"old 1")
    files = image_files(tmp_path)
    open_sink = files.divert(("data", 0, "b64_json"))
    closed_sink = files.divert(("data", 1, "b64_json"))
    assert open_sink is not None and closed_sink is not None
    open_sink.write("QUJD" * 5000)  # still open, some of it maybe in a buffer
    closed_sink.write("WFla")
    closed_sink.close()
    assert len(listing(tmp_path)) == 4

    files.discard()
    assert listing(tmp_path) == ["fox-1.png", "fox.png"]
    assert (tmp_path / "fox.png").read_bytes() == b"old 0"
    assert (tmp_path / "fox-1.png").read_bytes() == b"old 1"

    files.discard()  # twice is fine
    files.commit(response({}, {}))  # and a commit after it has nothing to move
    assert listing(tmp_path) == ["fox-1.png", "fox.png"]


def test_a_new_attempt_after_discard(tmp_path: pathlib.Path) -> None:
    files = image_files(tmp_path)
    first = files.divert(IMAGE_PATH)
    assert first is not None
    first.write("QUFB")
    files.discard()  # the attempt failed
    second = files.divert(IMAGE_PATH)
    assert second is not None
    second.write("QkJC")
    second.close()
    files.commit(response({}))
    assert listing(tmp_path) == ["fox.png"]
    assert (tmp_path / "fox.png").read_bytes() == b"BBB"


# -- _Base64File ---------------------------------------------------------------------------------------------------


def test_the_part_file_is_new_hidden_and_random(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "fox.png"
    first, second = new_file(target), new_file(target)
    assert first.target == second.target == target
    assert first.part != second.part
    for file in (first, second):
        match = PART_NAME.fullmatch(file.part.name)
        assert match is not None and match["target"] == "fox.png"
        assert file.part.parent == tmp_path
        assert file.part.exists()
    assert not target.exists()
    first.discard()
    second.discard()
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["QUJD"], b"ABC"),
        (["Q", "U", "J", "D"], b"ABC"),
        (["QUJDQUJD", "QUJD"], b"ABCABCABC"),
        ([], b""),
        ([""], b""),
        (["", "", "QUJD", ""], b"ABC"),
        # a data: URL prefix, however it is cut
        (["data:image/png;base64,QUJD"], b"ABC"),
        (["da", "ta:image/png;base64,QUJD"], b"ABC"),
        (list("data:image/png;base64,QUJD"), b"ABC"),
        (["data:image/png;base64,", "QUJD"], b"ABC"),
        (["data:", ",QUJD"], b"ABC"),
        (["data:image/png;base64,"], b""),
        # base64 that merely starts like "data"
        (["dat", "aQUJD"], base64.b64decode("dataQUJD")),
        (["da"], base64.b64decode("da==")),
        # whitespace anywhere
        (["QU JD\n", "QU\r\nJD\t"], b"ABCABC"),
        ([" QUJD"], b"ABC"),
        (["QUJD", " ", "\n", "QUJD"], b"ABCABC"),
        (["data:image/png;base64,QU", "JD\nQU", "JD"], b"ABCABC"),
        # padding: present, missing, cut, followed by whitespace
        (["QQ=="], b"A"),
        (["QUI="], b"AB"),
        (["QQ"], b"A"),
        (["QUJDQUI"], b"ABCAB"),
        (["QQ=", "="], b"A"),
        (["Q", "Q", "=", "="], b"A"),
        (["QUJDQQ==", "", "  \n"], b"ABCA"),
        (["QUJDQQ", "=="], b"ABCA"),
    ],
)
def test_decoding(tmp_path: pathlib.Path, pieces: list[str], expected: bytes) -> None:
    file = new_file(tmp_path / "out.bin")
    assert written(file, pieces) == expected
    assert listing(tmp_path) == [file.part.name]


@pytest.mark.parametrize(
    ("pieces", "failing", "message"),
    [
        # data after the padding
        (["QQ==", "QUJD"], 1, "data after the padding"),
        (["QQ==", " ", "QUJD"], 2, "data after the padding"),
        (["QQ==QUJD"], 0, "Excess data after padding"),
        (["QQ=", "=QUJD"], 1, "Excess data after padding"),
        (["QQ==="], "close", "data after the padding"),
        (["QQ===="], "close", "data after the padding"),
        # characters that are not base64
        (["QU!D"], 0, "Only base64 data is allowed"),
        (["QUJD", "QUJ-"], 1, "Only base64 data is allowed"),
        (["Q==="], 0, "not valid base64"),
        # a length that no padding can fix
        (["QUJDQ"], "close", "cannot be 1 more than a multiple of 4"),
        # a data: URL without its comma
        (["data:image/png;base64"], "close", "a data: URL without a comma"),
        (["data:"], "close", "a data: URL without a comma"),
        (["d", "a", "t", "a", ":", "x"], "close", "a data: URL without a comma"),
        (["data:" + "x" * 600], 0, "a data: URL without a comma"),
        (["data:", "x" * 300, "x" * 300], 2, "a data: URL without a comma"),
    ],
)
def test_invalid_base64(tmp_path: pathlib.Path, pieces: list[str], failing: int | str, message: str) -> None:
    file = new_file(tmp_path / "out.bin")
    with pytest.raises(ValueError, match="^b64_json is not valid base64: ") as caught:
        for index, piece in enumerate(pieces):
            try:
                file.write(piece)
            except ValueError:
                assert index == failing
                raise
        assert failing == "close"
        file.close()
    assert message in str(caught.value)
    file.discard()
    assert listing(tmp_path) == []


def test_text_is_what_was_taken_as_received(tmp_path: pathlib.Path) -> None:
    file = new_file(tmp_path / "out.bin")
    assert file.text() == ""
    file.write("QUJD")
    file.write("QU")  # not decoded yet
    assert file.text() == "QUJDQU"
    file.write("J D\n")
    assert file.text() == "QUJDQUJ D\n"  # as it came
    with pytest.raises(ValueError, match="not valid base64"):
        file.write("!!!!")
    assert file.text() == "QUJDQUJ D\n"  # a refused piece was not taken
    file.write("QUI")
    file.close()
    assert file.text() == "QUJDQUJ D\nQUI"
    assert file.part.read_bytes() == b"ABCABCAB"
    file.discard()


def test_text_of_a_data_url(tmp_path: pathlib.Path) -> None:
    file = new_file(tmp_path / "out.bin")
    file.write("data:image/png")
    assert file.text() == "data:image/png"  # the prefix is pending until its comma
    file.write(";base64,QUJD")
    assert file.text() == "data:image/png;base64,QUJD"  # kept for the error report, not decoded
    file.discard()


def test_text_of_a_large_image_is_its_start_and_length_never_the_file(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = os.urandom(30_000)
    encoded = base64.b64encode(image).decode()
    file = new_file(tmp_path / "out.bin")
    file.write(encoded[:20_000])
    file.write(encoded[20_000:])
    file.close()

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the image was read back")

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    monkeypatch.setattr(pathlib.Path, "open", no_reading)
    text = file.text()
    assert text == f"{encoded[:1024]}<... {len(encoded)} characters of image data not kept (save_to=)>"
    monkeypatch.undo()
    assert file.part.read_bytes() == image
    file.discard()


def test_discard_closes_and_deletes_and_may_repeat(tmp_path: pathlib.Path) -> None:
    file = new_file(tmp_path / "out.bin")
    file.write("QUJD")
    file.discard()
    assert listing(tmp_path) == []
    file.discard()
    closed = new_file(tmp_path / "out.bin")
    assert written(closed, ["QUJD"]) == b"ABC"
    closed.discard()
    assert listing(tmp_path) == []


@settings(max_examples=300, deadline=None)
@given(
    image=st.binary(max_size=2000),
    cuts=st.lists(st.integers(min_value=0, max_value=2_800), max_size=12),
    line_length=st.sampled_from([0, 1, 4, 57, 76]),
    prefix=st.sampled_from(["", "data:image/png;base64,", "data:,"]),
)
def test_any_cutting_decodes_like_to_bytes(image: bytes, cuts: list[int], line_length: int, prefix: str) -> None:
    encoded = base64.b64encode(image).decode()
    if line_length:  # MIME-style lines
        encoded = "\r\n".join(encoded[start : start + line_length] for start in range(0, len(encoded), line_length))
    text = prefix + encoded
    positions = sorted({min(position, len(text)) for position in cuts} | {0, len(text)})
    pieces = [text[start:end] for start, end in zip(positions, positions[1:], strict=False)]
    with tempfile.TemporaryDirectory() as directory:
        file = new_file(pathlib.Path(directory) / "out.bin")
        assert written(file, pieces) == image
        assert file.text() == (
            text
            if len(text) <= 1024
            else f"{text[:1024]}<... {len(text)} characters of image data not kept (save_to=)>"
        )
        file.discard()
    if text:
        assert GeneratedImage(b64_json=text).to_bytes() == image  # the same as decoding it in memory


# -- under a JsonReader --------------------------------------------------------------------------------------------


def read(files: ImageFiles, chunks: Sequence[bytes]) -> JsonReader:
    reader = JsonReader(files.divert)
    for chunk in chunks:
        reader.feed(chunk)
    return reader


def test_a_diverted_image_is_left_out_and_summarised_for_error_reports(tmp_path: pathlib.Path) -> None:
    image = os.urandom(5_000)
    document = {"created": 1, "data": [{"b64_json": base64.b64encode(image).decode(), "revised_prompt": "p"}]}
    body = json.dumps(document).encode()
    files = image_files(tmp_path)
    reader = read(files, [body[start : start + 333] for start in range(0, len(body), 333)])

    # the error report's body: the image's start and length, not the image read back from the part file
    reported = json.loads(reader.raw())
    encoded = document["data"][0]["b64_json"]
    note = f"<... {len(encoded)} characters of image data not kept (save_to=)>"
    assert reported == {"created": 1, "data": [{"b64_json": encoded[:1024] + note, "revised_prompt": "p"}]}
    parsed = reader.json()
    assert parsed == {"created": 1, "data": [{"revised_prompt": "p"}]}
    (part,) = tmp_path.glob("*.part")
    assert part.read_bytes() == image

    result = CreateImageResponse.from_dict(parsed)
    files.commit(result)
    assert (tmp_path / "fox.png").read_bytes() == image
    assert listing(tmp_path) == ["fox.png"]


def test_a_duplicate_member_under_a_json_reader(tmp_path: pathlib.Path) -> None:
    files = image_files(tmp_path)
    reader = read(files, [b'{"created": 1, "data": [{"b64_json": "QUFB", "b64_json": "QkJC"}]}'])
    assert len(list(tmp_path.glob("*.part"))) == 1
    parsed = reader.json()
    assert parsed == {"created": 1, "data": [{}]}
    result = CreateImageResponse.from_dict(parsed)
    files.commit(result)
    assert (tmp_path / "fox.png").read_bytes() == b"BBB"
    assert listing(tmp_path) == ["fox.png"]


def test_a_refused_image_is_reported_by_json(tmp_path: pathlib.Path) -> None:
    files = image_files(tmp_path)
    reader = read(files, [b'{"created": 1, "data": [{"b64_json": "QUJD', b"!!!!", b'"}], "more": [1, 2]}'])
    with pytest.raises(ValueError, match="b64_json is not valid base64: Only base64 data is allowed"):
        reader.json()
    assert json.loads(reader.raw()) == {"created": 1, "data": [{"b64_json": "QUJD!!!!"}], "more": [1, 2]}
    files.discard()
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    "chunks",
    [
        # refused by close(), its last piece in the chunk of the closing quote (once came twice)
        [b'{"data": [{"b64_json": "QUJDQ"}]}'],
        [b'{"data": [{"b64_json": "data:image/png;base64"}]}'],
        # refused by close(), the closing quote in a chunk of its own (the undecoded tail was once lost)
        [b'{"data": [{"b64_json": "QUJDQ', b'"}]}'],
        # refused by write() while a tail was pending (that tail was once lost, the new one doubled)
        [b'{"data": [{"b64_json": "QUJDQU', b'!!!!A"}]}'],
        [b'{"data": [{"b64_json": "QUJD', b'Q"}]}'],
        [b'{"data": [{"b64_json": "data:image/png;base64', b'"}]}'],
        [b'{"data": [{"b64_json": "QUJD!!!!"}]}'],
        [b'{"data": [{"b64_json": "QQ==', b'QUJD"}]}'],
    ],
)
def test_the_raw_body_has_the_refused_image_as_received(tmp_path: pathlib.Path, chunks: list[bytes]) -> None:
    files = image_files(tmp_path)
    reader = read(files, chunks)
    with pytest.raises(ValueError, match="b64_json is not valid base64"):
        reader.json()
    assert json.loads(reader.raw()) == json.loads(b"".join(chunks))
    files.discard()
    assert listing(tmp_path) == []


# -- to_bytes() and save_to= read base64 by the same rules ---------------------------------------------------------


@pytest.mark.parametrize("text", ["QUJD=", "data:x", "QQ==QUJD", "QUJDQ", "data:image/png;base64"])
def test_to_bytes_refuses_what_save_to_refuses(text: str, tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="b64_json is not valid base64"):
        GeneratedImage(b64_json=text).to_bytes()
    with pytest.raises(ValueError, match="b64_json is not valid base64"):
        GeneratedImage(b64_json=text).save(tmp_path / "out.bin")
    file = new_file(tmp_path / "out.bin")
    with pytest.raises(ValueError, match="b64_json is not valid base64"):
        written(file, [text])
    file.discard()
    assert listing(tmp_path) == []


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="QUJDabc+/=\n :,data", max_size=24),
    cuts=st.lists(st.integers(min_value=0, max_value=24), max_size=4),
)
def test_to_bytes_save_and_save_to_agree_on_any_text(text: str, cuts: list[int]) -> None:
    """Accepted by one, accepted by all three with the same bytes; refused by one, refused by all."""

    def outcome(action: Any) -> bytes | str:
        try:
            result: bytes = action()
        except ValueError as exc:
            assert str(exc).startswith("b64_json is not valid base64") or "no b64_json data" in str(exc)
            return "refused"
        return result

    positions = sorted({min(cut, len(text)) for cut in cuts} | {0, len(text)})
    pieces = [text[start:end] for start, end in zip(positions, positions[1:], strict=False)]
    with tempfile.TemporaryDirectory() as directory:
        target = pathlib.Path(directory) / "out.bin"
        file = new_file(target)
        streamed = outcome(lambda: written(file, pieces))
        file.discard()
        in_memory = outcome(lambda: GeneratedImage(b64_json=text).to_bytes())
        saved = outcome(lambda: GeneratedImage(b64_json=text).save(target).read_bytes())
    if text:
        assert streamed == in_memory == saved
