"""The clients under test, each making the seed call against the local server.

- `orq-images`: `orq.router.images.generations.create(**seed)` / `create_async`.
- `raw httpx2` (the baseline): a pooled `httpx2.Client` / `httpx2.AsyncClient`: JSON-encode the same arguments,
  post, JSON-decode.
- `raw httpx`: the same with `httpx` 0.28.1, the baseline of orq-images 1.x (bench group), to show the move.
- `official SDK`: `orq_ai_sdk.Orq(api_key=..., server_url=...)`, same call (`orq-ai-sdk==4.17.13`, bench group).

Imports happen inside the factories, so a broken client is reported as such and the others still run.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .seed import API_KEY, OPERATION_PATH, seed_kwargs

ORQ = "orq-images"
RAW = "raw httpx2"
RAW_HTTPX = "raw httpx"
OFFICIAL = "official SDK"
NAMES = (ORQ, RAW, RAW_HTTPX, OFFICIAL)


@dataclass
class SyncClient:
    call: Callable[[], object]
    close: Callable[[], None]


@dataclass
class AsyncClient:
    call: Callable[[], Awaitable[object]]
    aclose: Callable[[], Awaitable[None]]


def _headers() -> dict[str, str]:
    return {
        "Authorization": f"Bearer {API_KEY}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class UnexpectedAnswer(RuntimeError):
    pass


def _decode(status: int, content: bytes) -> Any:
    if status != 200:
        raise UnexpectedAnswer(f"HTTP {status}: {content[:200]!r}")
    return json.loads(content)


def orq_sync(server_url: str, kwargs: dict[str, Any] | None = None) -> SyncClient:
    from orq_images import Orq

    orq = Orq(api_key=API_KEY, server_url=server_url)
    args = seed_kwargs() if kwargs is None else kwargs
    create = orq.router.images.generations.create

    def call() -> object:
        return create(**args)

    return SyncClient(call, orq.close)


def raw_sync(server_url: str, kwargs: dict[str, Any] | None = None, *, module: str = "httpx2") -> SyncClient:
    http = importlib.import_module(module)
    client = http.Client()
    url = server_url + OPERATION_PATH
    body = seed_kwargs() if kwargs is None else kwargs
    headers = _headers()

    def call() -> object:
        response = client.post(url, content=_encode(body), headers=headers)
        return _decode(response.status_code, response.content)

    return SyncClient(call, client.close)


def raw_httpx_sync(server_url: str, kwargs: dict[str, Any] | None = None) -> SyncClient:
    return raw_sync(server_url, kwargs, module="httpx")


def official_sync(server_url: str, kwargs: dict[str, Any] | None = None) -> SyncClient:
    from orq_ai_sdk import Orq as OfficialOrq

    sdk = OfficialOrq(api_key=API_KEY, server_url=server_url)
    args = seed_kwargs() if kwargs is None else kwargs
    create = sdk.router.images.generations.create

    def call() -> object:
        return create(**args)

    def close() -> None:
        sdk.__exit__(None, None, None)  # type: ignore[no-untyped-call]

    return SyncClient(call, close)


def orq_async(server_url: str) -> AsyncClient:
    from orq_images import Orq

    orq = Orq(api_key=API_KEY, server_url=server_url)
    args = seed_kwargs()
    create = orq.router.images.generations.create_async

    async def call() -> object:
        return await create(**args)

    return AsyncClient(call, orq.aclose)


def raw_async(server_url: str, *, module: str = "httpx2") -> AsyncClient:
    """With the pool orq-images' own clients have (1000 connections, 100 kept alive): a pool's size changes the
    cost per request of httpcore's bookkeeping, so the comparison is on equal pools."""
    http = importlib.import_module(module)
    client = http.AsyncClient(limits=http.Limits(max_connections=1000, max_keepalive_connections=100))
    url = server_url + OPERATION_PATH
    body = seed_kwargs()
    headers = _headers()

    async def call() -> object:
        response = await client.post(url, content=_encode(body), headers=headers)
        return _decode(response.status_code, response.content)

    return AsyncClient(call, client.aclose)


def raw_httpx_async(server_url: str) -> AsyncClient:
    return raw_async(server_url, module="httpx")


def official_async(server_url: str) -> AsyncClient:
    from orq_ai_sdk import Orq as OfficialOrq

    sdk = OfficialOrq(api_key=API_KEY, server_url=server_url)
    args = seed_kwargs()
    create = sdk.router.images.generations.create_async

    async def call() -> object:
        return await create(**args)

    async def aclose() -> None:
        await sdk.__aexit__(None, None, None)  # type: ignore[no-untyped-call]

    return AsyncClient(call, aclose)


SYNC_FACTORIES: dict[str, Callable[[str], SyncClient]] = {
    ORQ: orq_sync,
    RAW: raw_sync,
    RAW_HTTPX: raw_httpx_sync,
    OFFICIAL: official_sync,
}
ASYNC_FACTORIES: dict[str, Callable[[str], AsyncClient]] = {
    ORQ: orq_async,
    RAW: raw_async,
    RAW_HTTPX: raw_httpx_async,
    OFFICIAL: official_async,
}


def describe_error(exc: BaseException) -> str:
    """One line for a client that failed: exception type and the start of its message."""
    text = " ".join(str(exc).split())
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
