"""Images that come as URLs: `to_bytes`, `save` and their async twins download them with the client that received
the answer, and `save_to=..., download_urls=True` downloads them into its files, all or nothing. The API and the
image host are two real local servers; the image host must never see the API key."""

from __future__ import annotations

import asyncio
import pathlib
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from orq_images import (
    APIConnectionError,
    APIStatusError,
    NotFoundError,
    Orq,
    RequestValidationError,
    ResponseValidationError,
    RetryConfig,
)
from orq_images.models import GeneratedImage

from tests.client.conftest import API_KEY, ON_BOTH_ASYNC_TRANSPORTS, AsyncTransport, new_orq
from tests.support.images import tiny_png
from tests.support.server import LocalServer, RecordedRequest, refused_port

PNG = tiny_png(3, 3)


@pytest.fixture
def host() -> Iterator[LocalServer]:
    """The image host: another real local server."""
    with LocalServer() as server:
        yield server


def url_answer(host: LocalServer, *names: str) -> dict[str, Any]:
    return {"created": 1, "data": [{"url": f"{host.url}/img/{name}.png?sig=abc"} for name in names]}


def assert_no_key(requests: list[RecordedRequest]) -> None:
    """No request to the image host carried an Authorization header or the key anywhere."""
    assert requests
    for request in requests:
        assert "authorization" not in request.headers
        assert API_KEY not in repr(request)


def test_to_bytes_and_save_download_the_url_without_the_key(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(200, body=PNG, headers={"Content-Type": "image/png"})
    host.enqueue(200, body=PNG, headers={"Content-Type": "image/png"})
    item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]

    assert item.to_bytes() == PNG
    assert item.save(tmp_path / "fox.png") == tmp_path / "fox.png"

    assert (tmp_path / "fox.png").read_bytes() == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox.png"]  # no part file left
    assert [(r.method, r.path) for r in host.requests] == [("GET", "/img/fox.png?sig=abc")] * 2
    assert_no_key(host.requests)
    assert server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


@ON_BOTH_ASYNC_TRANSPORTS
def test_the_async_twins_download_too(
    server: LocalServer, host: LocalServer, tmp_path: pathlib.Path, async_transport: AsyncTransport
) -> None:
    async def run() -> tuple[bytes, pathlib.Path]:
        async with new_orq(async_transport, server_url=server.url) as orq:
            item = (await orq.router.images.generations.create_async(prompt="a fox", model="m")).data[0]
            return await item.to_bytes_async(), await item.save_async(tmp_path / "fox.png")

    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(200, body=PNG)
    host.enqueue(200, body=PNG)
    data, path = asyncio.run(run())

    assert data == PNG and path.read_bytes() == PNG
    assert len(host.requests) == 2
    assert_no_key(host.requests)


def test_a_given_clients_own_authorization_header_is_not_sent_to_the_image_host(
    server: LocalServer, host: LocalServer
) -> None:
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(200, body=PNG)
    with httpx2.Client(headers={"Authorization": "Bearer proxy-credential"}) as client:
        orq = Orq(api_key=API_KEY, server_url=server.url, client=client)
        item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]
        assert item.to_bytes() == PNG
    assert_no_key(host.requests)


def test_a_download_uses_the_clients_retry_policy(server: LocalServer, host: LocalServer, orq: Orq) -> None:
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(503, body="busy", headers={"Retry-After": "0"})
    host.enqueue(200, body=PNG)
    item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]
    assert item.to_bytes() == PNG
    assert len(host.requests) == 2


def test_a_missing_image_raises_not_found_and_writes_nothing(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    (tmp_path / "fox.png").write_bytes(b"an older image")
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(404, body="<Error>BlobNotFound</Error>", headers={"x-request-id": "blob-1"})
    item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]

    with pytest.raises(NotFoundError) as caught:
        item.save(tmp_path / "fox.png")

    assert caught.value.url == f"{host.url}/img/fox.png?sig=abc"
    assert (tmp_path / "fox.png").read_bytes() == b"an older image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox.png"]


def test_an_unreachable_image_host_raises_a_connection_error(tmp_path: pathlib.Path) -> None:
    item = GeneratedImage(url=f"http://127.0.0.1:{refused_port()}/fox.png")
    with pytest.raises(APIConnectionError):
        item.to_bytes()
    with pytest.raises(APIConnectionError):
        asyncio.run(item.save_async(tmp_path / "fox.png"))
    assert list(tmp_path.iterdir()) == []


def test_an_image_over_max_response_bytes_is_refused(server: LocalServer, host: LocalServer) -> None:
    server.enqueue(200, json=url_answer(host, "big"))
    host.enqueue(200, body=b"\x89PNG" + b"\0" * 5000)
    with Orq(api_key=API_KEY, server_url=server.url, max_response_bytes=4096) as orq:
        item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]
        with pytest.raises(ResponseValidationError, match="max_response_bytes=4096"):
            item.to_bytes()


def test_an_image_larger_than_a_json_buffer_comes_back_whole(server: LocalServer, host: LocalServer, orq: Orq) -> None:
    image = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 5000  # over bodies.STREAM_FROM: never read as JSON
    server.enqueue(200, json=url_answer(host, "big"))
    host.enqueue(200, body=image)
    item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]
    assert item.to_bytes() == image


def test_an_item_made_by_hand_downloads_with_a_short_lived_client(host: LocalServer) -> None:
    host.enqueue(200, body=PNG)
    assert GeneratedImage(url=f"{host.url}/fox.png").to_bytes() == PNG
    assert_no_key(host.requests)


def test_an_item_still_downloads_after_its_client_is_closed(server: LocalServer, host: LocalServer) -> None:
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(200, body=PNG)
    with Orq(api_key=API_KEY, server_url=server.url) as orq:
        item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]
    assert item.to_bytes() == PNG


def test_a_url_that_is_not_http_is_refused_before_sending() -> None:
    with pytest.raises(RequestValidationError, match="url"):
        GeneratedImage(url="file:///etc/passwd").to_bytes()


# -- save_to=..., download_urls=True -----------------------------------------------------------------------------


def test_save_to_downloads_url_images_when_asked(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.enqueue(200, json=url_answer(host, "a", "b"))
    host.enqueue(200, body=PNG)
    host.enqueue(200, body=PNG[::-1])

    res = orq.router.images.generations.create(
        prompt="a fox", model="m", n=2, save_to=tmp_path / "fox.png", download_urls=True
    )

    assert (tmp_path / "fox.png").read_bytes() == PNG
    assert (tmp_path / "fox-1.png").read_bytes() == PNG[::-1]
    assert [item.saved_to for item in res.data] == [tmp_path / "fox.png", tmp_path / "fox-1.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox-1.png", "fox.png"]
    assert_no_key(host.requests)


@ON_BOTH_ASYNC_TRANSPORTS
def test_save_to_downloads_url_images_in_async_calls(
    server: LocalServer, host: LocalServer, tmp_path: pathlib.Path, async_transport: AsyncTransport
) -> None:
    async def run() -> Any:
        async with new_orq(async_transport, server_url=server.url) as orq:
            return await orq.router.images.variations.with_raw_response.create_async(
                model="m", image=PNG, save_to=tmp_path / "fox.png", download_urls=True
            )

    server.enqueue(200, json=url_answer(host, "a"), headers={"x-request-id": "req_v"})
    host.enqueue(200, body=PNG)
    raw = asyncio.run(run())

    assert (tmp_path / "fox.png").read_bytes() == PNG
    assert raw.parse().data[0].saved_to == tmp_path / "fox.png"
    assert raw.request_id == "req_v"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_one_failed_download_writes_no_file_at_all(
    server: LocalServer, host: LocalServer, tmp_path: pathlib.Path, is_async: bool
) -> None:
    (tmp_path / "fox-1.png").write_bytes(b"an older image")
    server.enqueue(200, json=url_answer(host, "a", "b", "c"))
    host.enqueue(200, body=PNG)
    host.enqueue(404, body="gone")
    arguments: dict[str, Any] = {
        "prompt": "a fox",
        "model": "m",
        "n": 3,
        "save_to": tmp_path / "fox.png",
        "download_urls": True,
    }

    async def run() -> None:
        async with Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
            await orq.router.images.generations.create_async(**arguments)

    with pytest.raises(NotFoundError):
        if is_async:
            asyncio.run(run())
        else:
            with Orq(api_key=API_KEY, server_url=server.url, retry_config=None) as orq:
                orq.router.images.generations.create(**arguments)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["fox-1.png"]  # no new file, no part file
    assert (tmp_path / "fox-1.png").read_bytes() == b"an older image"
    assert len(host.requests) == 2  # the third image was never fetched
    assert len(server.requests) == 1  # the paid call is not sent again


def test_without_download_urls_save_to_leaves_url_images_alone(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.enqueue(200, json=url_answer(host, "a"))
    res = orq.router.images.generations.create(prompt="a fox", model="m", save_to=tmp_path / "fox.png")
    assert res.data[0].saved_to is None
    assert list(tmp_path.iterdir()) == []
    assert host.requests == []


def test_downloads_count_against_the_calls_time_limit(
    server: LocalServer, host: LocalServer, tmp_path: pathlib.Path
) -> None:
    server.enqueue(200, json=url_answer(host, "a"))
    host.enqueue(200, body=PNG, delay=2.0)
    config = RetryConfig(max_retries=0)
    orq = Orq(api_key=API_KEY, server_url=server.url, timeout_ms=500, retry_config=config)
    with orq, pytest.raises(APIConnectionError, match="timeout_ms=500"):
        orq.router.images.generations.create(
            prompt="a fox", model="m", save_to=tmp_path / "fox.png", download_urls=True
        )
    assert list(tmp_path.iterdir()) == []


def test_download_urls_needs_save_to(server: LocalServer, orq: Orq) -> None:
    with pytest.raises(RequestValidationError, match="download_urls"):
        orq.router.images.generations.create(prompt="a fox", model="m", download_urls=True)
    assert server.requests == []


def test_url_images_of_the_fake_router_download_without_a_network(tmp_path: pathlib.Path) -> None:
    from orq_images.testing import FakeRouter

    router = FakeRouter()
    with router.orq() as orq:
        raw = orq.router.images.generations.with_raw_response.create(
            prompt="a fox", model="openai/dall-e-2", response_format="url"
        )
        saved = raw.parse().data[0].save(tmp_path / "fox.png")
    assert raw.request_id is not None and raw.request_id.startswith("req_fake_")
    assert saved.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert len(router.requests) == 1  # the image is served, not recorded as a call


# -- redirects ----------------------------------------------------------------------------------------------------


def test_a_download_follows_redirects_relative_and_to_another_host_without_the_key(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    with LocalServer() as cdn:
        server.enqueue(200, json=url_answer(host, "fox"))
        host.enqueue(302, headers={"Location": "/img/moved.png?sig=abc"})  # relative to the image's URL
        host.enqueue(301, headers={"Location": f"{cdn.url}/files/fox.png"})
        cdn.enqueue(200, body=PNG, headers={"Content-Type": "image/png"})
        item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]

        assert item.save(tmp_path / "fox.png").read_bytes() == PNG

    assert [r.path for r in host.requests] == ["/img/fox.png?sig=abc", "/img/moved.png?sig=abc"]
    assert [r.path for r in cdn.requests] == ["/files/fox.png"]
    assert_no_key(host.requests + cdn.requests)


@ON_BOTH_ASYNC_TRANSPORTS
def test_an_async_download_follows_redirects_too(
    server: LocalServer, host: LocalServer, async_transport: AsyncTransport
) -> None:
    async def run() -> bytes:
        async with new_orq(async_transport, server_url=server.url) as orq:
            item = (await orq.router.images.generations.create_async(prompt="a fox", model="m")).data[0]
            return await item.to_bytes_async()

    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(307, headers={"Location": f"{host.url}/img/there.png"})
    host.enqueue(200, body=PNG)

    assert asyncio.run(run()) == PNG
    assert [r.path for r in host.requests] == ["/img/fox.png?sig=abc", "/img/there.png"]
    assert_no_key(host.requests)


def test_a_redirects_own_body_is_not_waited_for(server: LocalServer, host: LocalServer) -> None:
    """A redirect's body (of any size, at any pace) is not read: its connection is closed instead."""
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(302, body=b"x" * 100_000, headers={"Location": "/img/there.png"}, body_delay=5)
    host.enqueue(200, body=PNG)
    with Orq(api_key=API_KEY, server_url=server.url, timeout_ms=2000) as orq:
        item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]
        assert item.to_bytes() == PNG  # reading that body would take 5 s: past the 2 s limit


def test_past_the_redirect_limit_the_last_redirect_is_the_error(
    server: LocalServer, host: LocalServer, orq: Orq
) -> None:
    server.enqueue(200, json=url_answer(host, "fox"))
    for _ in range(10):
        host.enqueue(302, headers={"Location": "/img/again.png"})
    item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]

    with pytest.raises(APIStatusError) as caught:
        item.to_bytes()
    assert caught.value.status_code == 302
    assert len(host.requests) == 1 + 5  # the first GET and five redirects followed


@pytest.mark.parametrize("location", ["ftp://files.example/fox.png", "", "http://[::1"])
def test_a_redirect_to_nowhere_to_go_is_not_followed(
    server: LocalServer, host: LocalServer, orq: Orq, location: str
) -> None:
    server.enqueue(200, json=url_answer(host, "fox"))
    host.enqueue(302, headers={"Location": location})
    item = orq.router.images.generations.create(prompt="a fox", model="m").data[0]

    with pytest.raises(APIStatusError) as caught:
        item.to_bytes()
    assert caught.value.status_code == 302
    assert len(host.requests) == 1


def test_api_calls_do_not_follow_redirects(server: LocalServer, orq: Orq) -> None:
    """A POST to the API is never sent on to wherever a redirect points (with the key, or a second time)."""
    server.enqueue(307, headers={"Location": "/elsewhere"})

    with pytest.raises(APIStatusError) as caught:
        orq.router.images.generations.create(prompt="a fox", model="m")
    assert caught.value.status_code == 307
    assert len(server.requests) == 1


# -- batches ---------------------------------------------------------------------------------------------------------


def test_a_batch_downloads_url_images_into_its_files_when_asked(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    for name in ("a", "b", "c"):
        server.enqueue(200, json=url_answer(host, name))
        host.enqueue(200, body=PNG + name.encode())
    items = [{"prompt": f"item {i}", "model": "m"} for i in range(3)]

    with orq.router.images.generations.batch(
        items, concurrency=1, save_to=str(tmp_path / "{i}.png"), download_urls=True, progress=False
    ) as results:
        outcomes = list(results)

    assert [outcome.ok for outcome in outcomes] == [True] * 3
    assert [outcome.paths for outcome in outcomes] == [(tmp_path / f"{i}.png",) for i in range(3)]
    assert [(tmp_path / f"{i}.png").read_bytes() for i in range(3)] == [PNG + b"a", PNG + b"b", PNG + b"c"]
    assert_no_key(host.requests)


def test_a_batch_without_download_urls_leaves_url_images_alone(
    server: LocalServer, host: LocalServer, orq: Orq, tmp_path: pathlib.Path
) -> None:
    server.enqueue(200, json=url_answer(host, "a"))
    items = [{"prompt": "item 0", "model": "m"}]

    with orq.router.images.generations.batch(items, save_to=str(tmp_path / "{i}.png"), progress=False) as results:
        (outcome,) = list(results)

    assert outcome.ok and outcome.result is not None
    assert outcome.result.data[0].url == f"{host.url}/img/a.png?sig=abc"
    assert host.requests == [] and list(tmp_path.iterdir()) == []


def test_a_batch_refuses_download_urls_without_save_to_before_sending(server: LocalServer, orq: Orq) -> None:
    with pytest.raises(RequestValidationError, match="download_urls"):
        orq.router.images.generations.batch([{"prompt": "p", "model": "m"}], download_urls=True)
    assert server.requests == []
