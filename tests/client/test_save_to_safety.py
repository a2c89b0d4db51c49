"""`save_to=` never loses or clobbers a file (issue 12), against the real local server: targets decided and checked
before sending, all files or none, the answer decides no paths, no temporary file survives an interrupt, and no
image is read back into memory for an error report."""

from __future__ import annotations

import base64
import concurrent.futures
import os
import pathlib
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orq_images import Orq, RequestValidationError, ResponseValidationError
from orq_images._runtime import images as images_module

from tests.client.conftest import API_KEY, MINIMAL, create
from tests.support.server import LocalServer

OLD = b"an older image"


def image(seed: int, size: int = 300) -> bytes:
    return random.Random(seed).randbytes(size)


def answer(*contents: bytes) -> dict[str, Any]:
    return {"created": 1, "data": [{"b64_json": base64.b64encode(content).decode()} for content in contents]}


def leftovers(directory: pathlib.Path) -> list[str]:
    """Temporary files of save_to= (part files and backups) still in ``directory``."""
    return sorted(path.name for path in directory.iterdir() if path.suffix in (".part", ".bak"))


def contents(directory: pathlib.Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in directory.iterdir() if path.is_file()}


@pytest.fixture
def client(server: LocalServer) -> Iterator[Orq]:
    with Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
        yield orq


# -- two images, one path ------------------------------------------------------------------------------------------


def test_a_function_giving_two_images_one_path_is_refused_before_sending(
    server: LocalServer, client: Orq, tmp_path: pathlib.Path
) -> None:
    (tmp_path / "same.png").write_bytes(OLD)
    with pytest.raises(RequestValidationError) as caught:
        create(client, n=3, save_to=lambda index: tmp_path / ("same.png" if index < 2 else "other.png"))
    assert caught.value.path == "save_to"
    assert "images 0 and 1 both go to" in caught.value.expected
    assert caught.value.value == tmp_path / "same.png"
    assert server.requests == []
    assert contents(tmp_path) == {"same.png": OLD}


def test_two_spellings_of_one_path_are_one_path(server: LocalServer, client: Orq, tmp_path: pathlib.Path) -> None:
    (tmp_path / "sub").mkdir()
    spellings = [tmp_path / "fox.png", tmp_path / "sub" / ".." / "fox.png"]
    with pytest.raises(RequestValidationError, match="images 0 and 1 both go to"):
        create(client, n=2, save_to=lambda index: spellings[index])
    assert server.requests == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(["a.png", "b.png", "c.png", "d.png"]), min_size=1, max_size=4))
def test_any_mapping_of_images_to_paths(server: LocalServer, client: Orq, names: list[str]) -> None:
    server.reset()
    images = [image(seed) for seed in range(len(names))]
    server.enqueue(200, json=answer(*images))
    with tempfile.TemporaryDirectory() as name:
        directory = pathlib.Path(name)
        for old in ("a.png", "b.png"):
            (directory / old).write_bytes(OLD)
        before = contents(directory)

        def target(index: int) -> pathlib.Path:
            return directory / names[index]

        if len(set(names)) < len(names):
            with pytest.raises(RequestValidationError, match="a different file for each image"):
                create(client, n=len(names), save_to=target)
            assert server.requests == []
            assert contents(directory) == before
        else:
            result = create(client, n=len(names), save_to=target)
            assert len(server.requests) == 1
            assert contents(directory) == {**before, **dict(zip(names, images, strict=True))}
            assert [item.saved_to for item in result.data] == [directory / name for name in names]
        assert leftovers(directory) == []


# -- all or nothing ------------------------------------------------------------------------------------------------


def test_a_directory_at_an_images_target_is_refused_before_sending(
    server: LocalServer, client: Orq, tmp_path: pathlib.Path
) -> None:
    (tmp_path / "fox.png").write_bytes(OLD)
    (tmp_path / "fox-1.png").mkdir()
    with pytest.raises(RequestValidationError) as caught:
        create(client, n=2, save_to=tmp_path / "fox.png")
    assert caught.value.expected == "a file path, not a directory"
    assert server.requests == []
    assert contents(tmp_path) == {"fox.png": OLD}


@pytest.mark.parametrize("blocked", [0, 1, 2])
def test_a_directory_appearing_during_the_call_leaves_every_file_as_it_was(
    server: LocalServer, tmp_path: pathlib.Path, blocked: int
) -> None:
    """Image ``blocked``'s target becomes a directory after the request was sent: no file is replaced."""
    (tmp_path / "fox.png").write_bytes(b"old 0")
    (tmp_path / "fox-2.png").write_bytes(b"old 2")  # fox-1.png does not exist yet
    server.enqueue(200, json=answer(image(1), image(2), image(3)))
    blocker = tmp_path / ("fox.png" if blocked == 0 else f"fox-{blocked}.png")

    def in_the_way(response: httpx2.Response) -> None:
        blocker.unlink(missing_ok=True)
        blocker.mkdir()

    with (
        httpx2.Client(event_hooks={"response": [in_the_way]}) as http,
        Orq(api_key=API_KEY, server_url=server.url, client=http, retry_config=None) as orq,
        pytest.raises(IsADirectoryError),
    ):
        create(orq, n=3, save_to=tmp_path / "fox.png")

    expected = {"fox.png": b"old 0", "fox-2.png": b"old 2"}
    expected.pop(blocker.name, None)
    assert contents(tmp_path) == expected
    assert blocker.is_dir()
    assert leftovers(tmp_path) == []
    assert len(server.requests) == 1


def test_a_failure_while_replacing_restores_the_files_replaced_already(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third os.replace fails (a disk error, say): the first two targets get their old content back."""
    targets = [tmp_path / f"{index}.png" for index in range(3)]
    targets[0].write_bytes(b"old 0")  # 1.png is new, 2.png is where the failure happens
    targets[2].write_bytes(b"old 2")
    parts = []
    for index, target in enumerate(targets):
        part = images_module._part_path(target)
        part.write_bytes(f"new {index}".encode())
        parts.append(part)
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(source: Any, destination: Any) -> None:
        calls.append(pathlib.Path(destination).name)
        if pathlib.Path(source) == parts[2]:
            raise OSError(28, "No space left on device")
        real_replace(source, destination)

    monkeypatch.setattr(images_module.os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        images_module._replace_all(list(zip(parts, targets, strict=True)), set())
    monkeypatch.undo()
    for part in parts:
        part.unlink(missing_ok=True)
    assert contents(tmp_path) == {"0.png": b"old 0", "2.png": b"old 2"}
    assert leftovers(tmp_path) == []


def test_without_hard_links_existing_files_are_moved_aside_and_back(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = [tmp_path / "a.png", tmp_path / "b"]
    targets[0].write_bytes(b"old a")
    targets[1].mkdir()  # in the way of the second image
    parts = [images_module._part_path(target) for target in targets]
    for part in parts:
        part.write_bytes(b"new")

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(images_module.os, "link", no_links)
    with pytest.raises(IsADirectoryError):
        images_module._replace_all(list(zip(parts, targets, strict=True)), set())
    assert (tmp_path / "a.png").read_bytes() == b"old a"
    assert leftovers(tmp_path) == [parts[1].name]  # the part file is the caller's (ImageFiles.discard) to delete


# -- the answer decides no paths -----------------------------------------------------------------------------------


def test_more_images_than_asked_for_write_nothing(server: LocalServer, client: Orq, tmp_path: pathlib.Path) -> None:
    (tmp_path / "fox.png").write_bytes(b"old 0")
    (tmp_path / "fox-7.png").write_bytes(b"an unrelated picture")
    server.enqueue(200, json=answer(*(image(seed) for seed in range(12))))

    with pytest.raises(ResponseValidationError) as caught:
        create(client, save_to=tmp_path / "fox.png")  # n unset: one image

    assert caught.value.detail.startswith("data[1]: expected at most 1 image")
    assert contents(tmp_path) == {"fox.png": b"old 0", "fox-7.png": b"an unrelated picture"}
    assert leftovers(tmp_path) == []
    assert len(server.requests) == 1


def test_an_extra_item_without_an_image_is_refused_too(
    server: LocalServer, client: Orq, tmp_path: pathlib.Path
) -> None:
    document = answer(image(1), image(2))
    document["data"].append({})
    server.enqueue(200, json=document)
    with pytest.raises(ResponseValidationError) as caught:
        create(client, n=2, save_to=tmp_path / "fox.png")
    assert caught.value.detail.startswith("data: expected at most 2 images")
    assert contents(tmp_path) == {}
    assert leftovers(tmp_path) == []


def test_n_images_asked_for_n_received(server: LocalServer, client: Orq, tmp_path: pathlib.Path) -> None:
    images = [image(seed) for seed in range(3)]
    server.enqueue(200, json=answer(*images))
    create(client, n=3, save_to=tmp_path / "fox.png")
    assert contents(tmp_path) == {"fox.png": images[0], "fox-1.png": images[1], "fox-2.png": images[2]}
    assert server.requests[0].json["n"] == 3


# -- directories checked before sending ----------------------------------------------------------------------------


def test_a_missing_directory_of_a_later_image_is_refused_before_sending(
    server: LocalServer, client: Orq, tmp_path: pathlib.Path
) -> None:
    def target(index: int) -> pathlib.Path:
        return tmp_path / ("missing" if index == 2 else "") / f"{index}.png"

    with pytest.raises(RequestValidationError) as caught:
        create(client, n=3, save_to=target)
    assert caught.value.expected == "a file path in an existing directory"
    assert caught.value.value == tmp_path / "missing" / "2.png"
    assert server.requests == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind root")
def test_a_directory_that_is_not_writable_is_refused_before_sending(
    server: LocalServer, client: Orq, tmp_path: pathlib.Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(RequestValidationError) as caught:
            create(client, save_to=locked / "fox.png")
    finally:
        locked.chmod(0o700)
    assert caught.value.expected == "a file path in a writable directory"
    assert server.requests == []


def test_the_writable_check_asks_the_operating_system(
    server: LocalServer, client: Orq, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs as root too (where permissions always allow): os.access is what decides, for each image's directory."""
    (tmp_path / "locked").mkdir()
    asked: list[str] = []

    def access(path: Any, mode: int) -> bool:
        asked.append(pathlib.Path(path).name)
        return pathlib.Path(path).name != "locked" or not mode & os.W_OK

    monkeypatch.setattr(images_module.os, "access", access)
    with pytest.raises(RequestValidationError, match="a file path in a writable directory"):
        create(client, n=2, save_to=lambda index: tmp_path / ("locked" if index else "") / "fox.png")
    assert asked == [tmp_path.name, "locked"]
    assert server.requests == []


# -- interrupts ----------------------------------------------------------------------------------------------------

RUNTIME_DIR = str(pathlib.Path(images_module.__file__).parent)


def interrupt_at(step: int, files: tuple[str, ...]) -> tuple[Callable[..., Any], list[int]]:
    """A trace function raising KeyboardInterrupt at the ``step``-th line run in ``files`` (of this thread)."""
    seen = [0]

    def local(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            seen[0] += 1
            if seen[0] == step:
                raise KeyboardInterrupt
        return local

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        if event == "call" and frame.f_code.co_filename.startswith(files):
            return local
        return None

    return trace, seen


def test_an_interrupt_at_any_line_leaves_no_temporary_file_and_all_or_no_images(
    server: LocalServer, tmp_path: pathlib.Path
) -> None:
    """KeyboardInterrupt injected at 80 points spread over the lines that save_to='s code runs (images.py), and at
    40 points spread over the rest of the runtime (transport, body reading, JSON streaming, validation), for
    several small images. (Every line of images.py was swept once, 421 points, while this was written.)"""
    images = [image(seed, size=200) for seed in range(4)]
    old = {"fox.png": b"old 0", "fox-3.png": b"old 3"}
    image_lines = (str(pathlib.Path(RUNTIME_DIR) / "images.py"),)

    def run(step: int, files: tuple[str, ...]) -> int:
        for name in list(contents(tmp_path)):
            (tmp_path / name).unlink()
        for name, content in old.items():
            (tmp_path / name).write_bytes(content)
        server.enqueue(200, json=answer(*images))
        trace, seen = interrupt_at(step, files)
        previous = sys.gettrace()  # coverage's tracer, when it runs: put back afterwards
        with Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:  # a new pool each time
            sys.settrace(trace)
            try:
                create(orq, n=4, save_to=tmp_path / "fox.png")
            except KeyboardInterrupt:
                pass
            finally:
                sys.settrace(previous)
        assert leftovers(tmp_path) == [], (files, step)
        now = contents(tmp_path)
        new = {"fox.png" if index == 0 else f"fox-{index}.png": content for index, content in enumerate(images)}
        assert now in (old, new), (files, step, now)
        return seen[0]

    def sweep() -> None:
        for files, steps in ((image_lines, 80), ((RUNTIME_DIR,), 40)):
            total = run(10**9, files)  # no interrupt: how many lines run
            assert total > 50
            for step in range(1, total + 1, max(1, total // steps)):
                run(step, files)

    # In a thread of its own: an exception raised from a trace function can leave a stale "exception being
    # handled" in its thread, which later exceptions of that thread would take as their __context__.
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        executor.submit(sweep).result()


# -- cancelled tasks -------------------------------------------------------------------------------------------------


def test_a_task_cancelled_at_any_await_leaves_no_temporary_file(server: LocalServer, tmp_path: pathlib.Path) -> None:
    """create_async(save_to=...) cancelled after 0, 1, 2... turns of the event loop, until it completes."""
    import asyncio

    images = [image(seed, size=3_000) for seed in range(4)]
    old = {"fox.png": b"old 0", "fox-2.png": b"old 2"}
    new = {"fox.png" if index == 0 else f"fox-{index}.png": content for index, content in enumerate(images)}

    async def attempt(turns: int) -> bool:
        async with Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
            task = asyncio.create_task(
                orq.router.images.generations.create_async(**MINIMAL, n=4, save_to=tmp_path / "fox.png")
            )
            for _ in range(turns):
                await asyncio.sleep(0)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                return False
            return True

    completed, turns = False, 0
    while not completed and turns < 2_000:
        for name in list(contents(tmp_path)):
            (tmp_path / name).unlink()
        for name, content in old.items():
            (tmp_path / name).write_bytes(content)
        server.enqueue(200, json=answer(*images))
        completed = asyncio.run(attempt(turns))
        assert leftovers(tmp_path) == [], turns
        assert contents(tmp_path) == (new if completed else old), turns
        turns += 1
    assert completed


# -- memory: an invalid answer's images are not read back ----------------------------------------------------------

CHILD = """
import json, sys
from orq_images import Orq, ResponseValidationError

def kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

with Orq(api_key="sk-memory-test-0123456789", server_url=sys.argv[1], retry_config=None) as orq:
    orq.router.images.generations.create(prompt="warm-up", model="m")  # imports and the connection, first
    open("/proc/self/clear_refs", "w").write("5")
    before = kib("VmHWM")
    try:
        orq.router.images.generations.create(prompt="p", model="m", save_to=sys.argv[2])
    except ResponseValidationError as exc:
        body = len(exc.body)
    print(json.dumps({"added_kib": kib("VmHWM") - before, "body": body}))
"""


@pytest.mark.skipif(not pathlib.Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_an_invalid_answer_under_save_to_costs_no_image_in_memory(server: LocalServer, tmp_path: pathlib.Path) -> None:
    """A 24 MiB image, then a `created` that is not a number: the error is raised without reading the image back
    (1.1.0 re-read the part file to rebuild the body: several times the image at the peak)."""
    import json
    import subprocess

    payload = base64.b64encode(image(1, size=24 * 1024 * 1024)).decode()
    server.enqueue(200, json={"created": 1, "data": [{"url": "https://example.com/warm-up.png"}]})
    server.enqueue(200, body=f'{{"data": [{{"b64_json": "{payload}"}}], "created": "not a number"}}')
    del payload
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, str(tmp_path / "fox.png")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(pathlib.Path(images_module.__file__).parents[2])},
        check=True,
    )
    measured = json.loads(result.stdout)
    assert measured["added_kib"] < 8 * 1024, measured  # the image is 32 MiB as base64
    assert measured["body"] < 64 * 1024, measured
    assert contents(tmp_path) == {}
    assert leftovers(tmp_path) == []
