"""The local stand-in router: a real server on 127.0.0.1, called with the SDK and with raw HTTP."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from orq_images import AuthenticationError, NotFoundError, Orq
from orq_images._runtime import standin
from orq_images.testing import StandIn

from tests.testing.pngcheck import decode_png

PATH = "/v2/router/images/generations"
FOX = {"prompt": "a red fox", "model": "openai/gpt-image-1"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    with StandIn(port=0) as server:
        yield server


def test_the_sdk_gets_real_pngs_as_base64(stand_in: StandIn) -> None:
    with Orq("any-key", server_url=stand_in.url) as orq:
        res = orq.router.images.generations.create(**FOX, n=2)
    images = [decode_png(item.to_bytes()) for item in res.data]
    assert [(image.width, image.height) for image in images] == [(8, 8), (8, 8)]
    assert images[0].pixels != images[1].pixels


def test_url_answers_point_at_images_the_stand_in_serves(stand_in: StandIn, tmp_path: Path) -> None:
    async def main() -> bytes:
        async with Orq("any-key", server_url=stand_in.url) as orq:
            res = await orq.router.images.generations.create_async(**FOX, response_format="url")
        url = res.data[0].url
        assert url.startswith(stand_in.url + "/_images/")
        async with httpx2.AsyncClient() as client:
            return (await client.get(url)).content

    assert decode_png(asyncio.run(main())).width == 8


def test_save_to_writes_the_stand_ins_png(stand_in: StandIn, tmp_path: Path) -> None:
    with Orq("any-key", server_url=stand_in.url) as orq:
        res = orq.router.images.generations.create(**FOX, save_to=tmp_path / "fox.png")
    assert res.data[0].saved_to == tmp_path / "fox.png"
    assert decode_png((tmp_path / "fox.png").read_bytes()).height == 8


def test_without_a_bearer_key_the_answer_is_the_documented_401(stand_in: StandIn) -> None:
    response = httpx2.post(stand_in.url + PATH, json=FOX)
    assert response.status_code == 401
    assert response.headers["x-request-id"].startswith("req_")
    error = response.json()["error"]
    assert set(error) == {"type", "message", "code", "param"}
    assert (error["type"], error["code"], error["param"]) == ("authentication_error", "invalid_api_key", None)
    # a header of the call replaces the Bearer key
    with Orq("any-key", server_url=stand_in.url) as orq, pytest.raises(AuthenticationError) as raised:
        orq.router.images.generations.create(**FOX, http_headers={"Authorization": "Basic eDp5"})
    assert raised.value.request_id is not None and raised.value.error is not None


def test_an_invalid_request_is_a_400_naming_the_field(stand_in: StandIn) -> None:
    headers = {"Authorization": "Bearer k"}
    wrong_type = httpx2.post(stand_in.url + PATH, json={**FOX, "n": "two"}, headers=headers)
    missing = httpx2.post(stand_in.url + PATH, json={"prompt": "x"}, headers=headers)
    not_json = httpx2.post(stand_in.url + PATH, content=b"{", headers={**headers, "Content-Type": "application/json"})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["error"]["param"] == "n"
    assert "n: expected" in wrong_type.json()["error"]["message"]
    assert missing.status_code == 400 and missing.json()["error"]["param"] == "model"
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["error"]["message"]


def test_a_path_it_does_not_serve_is_a_404_for_the_sdk(stand_in: StandIn) -> None:
    with Orq("k", server_url=stand_in.url + "/nowhere") as orq, pytest.raises(NotFoundError) as raised:
        orq.router.images.generations.create(**FOX)
    assert raised.value.error is not None and raised.value.error.type == "not_found_error"


def test_other_methods_and_paths(stand_in: StandIn) -> None:
    assert httpx2.get(stand_in.url + PATH).status_code == 405
    assert httpx2.get(stand_in.url + "/_images/../../etc/passwd").status_code == 404
    assert httpx2.get(stand_in.url + "/_images/0-zz.png").status_code == 404


def test_a_body_over_the_limit_is_refused(stand_in: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(standin, "MAX_BODY_BYTES", 10)
    response = httpx2.post(stand_in.url + PATH, json=FOX, headers={"Authorization": "Bearer k"})
    assert response.status_code == 413


def test_python_m_orq_images_testing_serve_prints_its_url_and_answers() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    process = subprocess.Popen(
        [sys.executable, "-m", "orq_images.testing", "serve", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("orq-images stand-in router listening on http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1].strip()
        with Orq("k", server_url=url) as orq:
            res = orq.router.images.generations.create(**FOX)
        assert decode_png(res.data[0].to_bytes()).width == 8
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()


def test_a_port_in_use_is_reported_not_raised(stand_in: StandIn, capsys: pytest.CaptureFixture[str]) -> None:
    port = int(stand_in.url.rsplit(":", 1)[1])
    assert standin.serve(port=port) == 1
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_the_model_stand_in_fail_status_answers_that_error(stand_in: StandIn) -> None:
    headers = {"Authorization": "Bearer k"}
    limited = httpx2.post(stand_in.url + PATH, json={**FOX, "model": "stand-in/fail-429"}, headers=headers)
    broken = httpx2.post(stand_in.url + PATH, json={**FOX, "model": "stand-in/fail-500"}, headers=headers)
    assert limited.status_code == 429 and limited.headers["retry-after"] == "0"
    assert limited.json()["error"]["type"] == "rate_limit_error"
    assert broken.status_code == 500 and "retry-after" not in broken.headers
    assert broken.json()["error"]["type"] == "api_error"
    invalid = httpx2.post(stand_in.url + PATH, json={"model": "stand-in/fail-429"}, headers=headers)
    assert invalid.status_code == 400  # the request is checked first


def test_orq_server_url_points_the_client_at_the_stand_in(stand_in: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORQ_SERVER_URL", stand_in.url)
    with Orq("k") as orq:
        assert orq.router.images.generations.create(**FOX).data[0].b64_json
    with Orq("k", server_url="https://example.invalid") as orq:  # an explicit server_url wins
        assert repr(orq) == "Orq(server_url='https://example.invalid')"
