"""The `Orq` client and its namespaces. Generated from the API description: do not edit."""

from __future__ import annotations

import platform
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx2

from ._runtime.images import ImageFiles, SaveTo
from ._runtime.pacing import DEFAULT_CONCURRENCY  # orq: batches (issue 17)
from ._runtime.retries import DEFAULT_RETRY_CONFIG, RetryConfig
from ._runtime.transport import DEFAULT, ClientCore, DefaultType
from ._runtime.validation import prepare
from ._version import __version__
from .types import UNSET, Unset

if TYPE_CHECKING:
    from ._runtime.batch import AsyncBatchResults, BatchResults, BatchSaveTo  # orq: batches (issue 17)
    from ._runtime.progress import ProgressOption  # orq: batches (issue 17)
    from .models import *  # noqa: F403
    from .params import *  # noqa: F403

USER_AGENT = f"orq-images/{__version__} python/{platform.python_version()}"
DEFAULT_SERVER_URL = "https://my.orq.ai"
DEFAULT_TIMEOUT_MS = 600_000


def _image_files(save_to: SaveTo | None, *, items: str, field: str) -> ImageFiles | None:
    return None if save_to is None else ImageFiles(save_to, items=items, field=field)


def _prepare_create_image(body: dict[str, Any], *, copy: bool = False) -> object:
    from . import _schemas  # the schemas load on the first call, not at import

    return prepare(body, _schemas.REQUESTS["create_image"], _schemas.COMPONENTS, copy=copy)


class RouterImagesGenerations:
    """`orq.router.images.generations`"""

    def __init__(self, core: ClientCore) -> None:
        self._core = core

    def create(
        self,
        *,
        prompt: str,
        model: str,
        background: ImageBackground | None | Unset = UNSET,
        moderation: ImageModeration | None | Unset = UNSET,
        n: int | None | Unset = UNSET,
        output_compression: int | None | Unset = UNSET,
        output_format: ImageOutputFormat | None | Unset = UNSET,
        quality: ImageQuality | None | Unset = UNSET,
        response_format: ImageResponseFormat | None | Unset = UNSET,
        size: str | None | Unset = UNSET,
        style: ImageStyle | None | Unset = UNSET,
        metadata: RequestMetadata | Mapping[str, str] | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        plugins: Sequence[
            PiiRedactionPluginAuto
            | PiiRedactionPluginAutoParam
            | PiiRedactionPluginEn
            | PiiRedactionPluginEnParam
            | PiiRedactionPluginNl
            | PiiRedactionPluginNlParam
        ]
        | None = None,
        orq: OrqOptions | OrqOptionsParam | None = None,
        save_to: SaveTo | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> CreateImageResponse:
        """Create an image.

        Generate one or more images from a text prompt through the orq.ai router, which forwards the request
        to the chosen provider model and can retry, fall back, cache and load-balance on the way.

        `POST /v2/router/images/generations`. Arguments are validated against the API description before anything
        is sent; nested values may be plain dicts or the models in `orq_images.models`.

        Args:
            prompt: What the image should show, in plain words.
            model: The provider model that draws the image, as `provider/name`, for example
                `openai/dall-e-2`, `openai/dall-e-3` or `openai/gpt-image-1`.
            background: Whether the background is transparent, opaque or chosen by the model. Only
                `openai/gpt-image-1` honours it. Send null to leave it to the provider. Omitted when
                unset; `None` is sent as null.
            moderation: How strictly `gpt-image-1` moderates what it generates. Send null to leave it to the
                provider. Omitted when unset; `None` is sent as null.
            n: How many images to generate, from 1 to 10. `dall-e-3` makes one image per request.
                When omitted the server generates 1. Server default: 1. Omitted when unset; `None`
                is sent as null.
            output_compression: Compression level in percent (0-100) of the returned images. Only `gpt-image-1` with
                the `webp` or `jpeg` output formats honours it. Omitted when unset; `None` is sent
                as null.
            output_format: The file format of the returned images. Only `openai/gpt-image-1` honours it.
                Omitted when unset; `None` is sent as null.
            quality: The quality of the generated image; `auto` lets the model pick the best quality it
                offers. Omitted when unset; `None` is sent as null.
            response_format: Whether images come back as a URL or as base64 data. `gpt-image-1` ignores it and
                always answers with base64 data. Omitted when unset; `None` is sent as null.
            size: The size of the generated images, such as `1024x1024`; each model accepts its own
                list of sizes. Omitted when unset; `None` is sent as null.
            style: The look of the generated images. Only `openai/dall-e-3` honours it. Omitted when
                unset; `None` is sent as null.
            metadata: Free-form string labels stored with the trace, useful for filtering later. Each
                value holds at most 512 characters. Omitted when None.
            name: The name shown on the trace. When omitted the router uses its default system name.
                Omitted when None.
            fallback_on_codes: The HTTP status codes from the provider that make the router move on to the fallback
                models: up to 20 unique codes from 400 to 599. When omitted or empty the router uses
                408, 429, 500, 502, 503, 504 and 529. Omitted when None.
            fallbacks: Models to try, in order, when the primary model fails. Omitted when None.
            retry: How the router retries a failed call to the provider (this is the gateway's retry,
                not the SDK's). Omitted when None.
            cache: Whether and how long the router caches answers to identical requests. Omitted when
                None.
            load_balancer: Sends each request to one of the listed models, chosen at random in proportion to
                its weight. Omitted when None.
            timeout: How long the router waits for the provider. A call that runs over is retried, or
                handed to the next fallback model, when those are configured. Omitted when None.
            plugins: Transforms the router applies, for this request only, to the text exchanged with the
                model. Today the one plugin is `pii_redaction`: personal data is replaced by
                placeholders before the provider sees it, and put back in the answer. Omitted when
                None.
            orq: Router settings grouped under `orq`: trace name, identity, and the same retry,
                fallback, cache, load balancing and timeout settings that the top level accepts.
                Omitted when None.
            save_to: Write each image straight to a file while the answer arrives, instead of keeping it in
                memory: a path (image 0 goes there, image i beside it as `<stem>-i<suffix>`), or a function
                of the image index returning the path. The files appear only once the whole answer has
                arrived and is valid (a failed call leaves existing files untouched); each image's
                `saved_to` is then its path and its `b64_json` is unset. Images that come as
                URLs are not downloaded.
            retries: Client-side retries for this call: a RetryConfig, None to disable, or the client's default.
            server_url: Send this call to another server.
            timeout_ms: Time limit of this call in milliseconds (default: the client's).
            http_headers: Extra HTTP headers for this call.

        Returns:
            CreateImageResponse: The answer to an image-generation request.

        Raises:
            RequestValidationError: An argument does not match the API description (nothing was sent).
            APIStatusError: The server answered with an error status (a subclass per status).
            APITimeoutError: No answer within the time limit.
            APIConnectionError: The server could not be reached, or dropped the connection.
            ResponseValidationError: A 2xx answer that is not the documented JSON.
        """

        from .api.images import create_image as operation

        body: dict[str, Any] = {
            "prompt": prompt,
            "model": model,
        }
        if background is not UNSET:
            body["background"] = background
        if moderation is not UNSET:
            body["moderation"] = moderation
        if n is not UNSET:
            body["n"] = n
        if output_compression is not UNSET:
            body["output_compression"] = output_compression
        if output_format is not UNSET:
            body["output_format"] = output_format
        if quality is not UNSET:
            body["quality"] = quality
        if response_format is not UNSET:
            body["response_format"] = response_format
        if size is not UNSET:
            body["size"] = size
        if style is not UNSET:
            body["style"] = style
        if metadata is not None:
            body["metadata"] = metadata
        if name is not None:
            body["name"] = name
        if fallback_on_codes is not None:
            body["fallback_on_codes"] = fallback_on_codes
        if fallbacks is not None:
            body["fallbacks"] = fallbacks
        if retry is not None:
            body["retry"] = retry
        if cache is not None:
            body["cache"] = cache
        if load_balancer is not None:
            body["load_balancer"] = load_balancer
        if timeout is not None:
            body["timeout"] = timeout
        if plugins is not None:
            body["plugins"] = plugins
        if orq is not None:
            body["orq"] = orq

        return self._core.request(
            method=operation.METHOD,
            path=operation.PATH,
            json_body=_prepare_create_image(body),
            parse=operation.parse_response,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=_image_files(save_to, items="data", field="b64_json"),
        )

    def create_async(
        self,
        *,
        prompt: str,
        model: str,
        background: ImageBackground | None | Unset = UNSET,
        moderation: ImageModeration | None | Unset = UNSET,
        n: int | None | Unset = UNSET,
        output_compression: int | None | Unset = UNSET,
        output_format: ImageOutputFormat | None | Unset = UNSET,
        quality: ImageQuality | None | Unset = UNSET,
        response_format: ImageResponseFormat | None | Unset = UNSET,
        size: str | None | Unset = UNSET,
        style: ImageStyle | None | Unset = UNSET,
        metadata: RequestMetadata | Mapping[str, str] | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        plugins: Sequence[
            PiiRedactionPluginAuto
            | PiiRedactionPluginAutoParam
            | PiiRedactionPluginEn
            | PiiRedactionPluginEnParam
            | PiiRedactionPluginNl
            | PiiRedactionPluginNlParam
        ]
        | None = None,
        orq: OrqOptions | OrqOptionsParam | None = None,
        save_to: SaveTo | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, CreateImageResponse]:
        """Async variant of `create`, with the same arguments, result and errors: `await` it.

        The arguments are checked when it is called, before the coroutine is scheduled, so invalid input
        raises at the call (also under `asyncio.gather`) and deprecation warnings point at the caller's line.
        What is sent is what was checked: a copy, which later changes to the arguments do not reach.
        """
        from .api.images import create_image as operation

        body: dict[str, Any] = {
            "prompt": prompt,
            "model": model,
        }
        if background is not UNSET:
            body["background"] = background
        if moderation is not UNSET:
            body["moderation"] = moderation
        if n is not UNSET:
            body["n"] = n
        if output_compression is not UNSET:
            body["output_compression"] = output_compression
        if output_format is not UNSET:
            body["output_format"] = output_format
        if quality is not UNSET:
            body["quality"] = quality
        if response_format is not UNSET:
            body["response_format"] = response_format
        if size is not UNSET:
            body["size"] = size
        if style is not UNSET:
            body["style"] = style
        if metadata is not None:
            body["metadata"] = metadata
        if name is not None:
            body["name"] = name
        if fallback_on_codes is not None:
            body["fallback_on_codes"] = fallback_on_codes
        if fallbacks is not None:
            body["fallbacks"] = fallbacks
        if retry is not None:
            body["retry"] = retry
        if cache is not None:
            body["cache"] = cache
        if load_balancer is not None:
            body["load_balancer"] = load_balancer
        if timeout is not None:
            body["timeout"] = timeout
        if plugins is not None:
            body["plugins"] = plugins
        if orq is not None:
            body["orq"] = orq

        return self._core.request_async(
            method=operation.METHOD,
            path=operation.PATH,
            json_body=_prepare_create_image(body, copy=True),
            parse=operation.parse_response,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=_image_files(save_to, items="data", field="b64_json"),
        )

    def batch(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> BatchResults[CreateImageResponse]:
        """`create` for every argument dict of `items`, `concurrency` calls at a time.

        Iterate over the result for one `BatchOutcome` per item, in the order of `items`, each with its
        `index` and either its `result`, its `error` (an `OrqError`; one failed item does not stop the others)
        or `skipped`, plus the `paths` of its images. `items` is read lazily (a generator of any length is
        fine) and each item is checked like the arguments of `create` before it is sent. A 429 or 503
        slows the whole batch down (fewer calls in flight, all waiting out the Retry-After), which then
        speeds up again; an item is retried only as `retries` allows for a single call. The calls run on a
        private event loop in a worker thread, so this also works inside Jupyter.

        Args:
            items: Argument dicts of `create` (the same keywords), one per call.
            concurrency: Most calls in flight at once. The default, `DEFAULT_CONCURRENCY`, fits the usual
                image rate limits; the batch slows itself down when the server says it is too much.
            save_to: Write each item's images to files instead of keeping them in memory: a pattern with
                `{i}` (`"out/{i:05}.png"`), or a function of the index (or of the index and the item's
                dict) returning a path. Image j > 0 of an item goes beside it (`-j` after the stem).
                Missing directories are created.
            skip_existing: With `save_to`, items whose files all exist are not sent (outcome `skipped`):
                rerunning an interrupted batch does only the rest.
            stop_on_error: Start no more items after the first failure; the calls in flight finish,
                then iterating raises `BatchStopped`.
            progress: None (default): a progress line on stderr when it is a terminal; True/False:
                always/never; a function: receives a `BatchProgress` snapshot as each item finishes.
            retries: Client-side retries of each call: a RetryConfig, or None to disable them. By default
                the client's; when those are the defaults, up to 8 retries per item instead of 2 (a
                long batch meets rate limits; which statuses and errors are retried stays the same).
            server_url: Send the calls to another server.
            timeout_ms: Time limit of each call in milliseconds (default: the client's).
            http_headers: Extra HTTP headers for every call.

        Returns:
            BatchResults: an iterator of `BatchOutcome`, in input order. Nothing is sent before the first
            `next()`. Ctrl-C cancels the calls in flight (no temporary file is left) and raises
            `BatchInterrupted` carrying the outcomes that had finished; `close()` or `with` stops early.
        """
        from ._runtime.batch import run_batch

        return run_batch(
            self.create_async,
            items,
            concurrency=concurrency,
            save_to=save_to,
            skip_existing=skip_existing,
            images_field="data",
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )

    def batch_async(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> AsyncBatchResults[CreateImageResponse]:
        """Async variant of `batch`, with the same arguments: `async for outcome in ...`.

        Use `async with` (or call `aclose()`) when you may leave the loop early: it cancels the calls
        still in flight. When the task is cancelled, `unreported` holds the outcomes that had finished.
        """
        from ._runtime.batch import run_batch_async

        return run_batch_async(
            self.create_async,
            items,
            concurrency=concurrency,
            save_to=save_to,
            skip_existing=skip_existing,
            images_field="data",
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )


class RouterImages:
    """`orq.router.images`"""

    def __init__(self, core: ClientCore) -> None:
        self._core = core
        self.generations = RouterImagesGenerations(core)


class Router:
    """`orq.router`"""

    def __init__(self, core: ClientCore) -> None:
        self._core = core
        self.images = RouterImages(core)


class Orq:
    """Client for the orq.ai API.

    Use it as a context manager (`with Orq(...) as orq:` or `async with`), or call `close()` /
    `await aclose()` when done.

    Args:
        api_key: The API key, or a function returning it (called for every request). Read from the
            `ORQ_API_KEY` environment variable when omitted. It never appears in a repr, log or error.
        server_url: Base URL of the API (default `https://my.orq.ai`).
        timeout_ms: Time limit of each call in milliseconds (default 600000: image generation is slow).
        retry_config: Client-side retries (default: 2 retries on connection errors and 408/429/502/503/504,
            honouring Retry-After); None disables them.
        client: Your own `httpx2.Client` (proxies, transports, event hooks). Never closed by the SDK.
        async_client: Your own `httpx2.AsyncClient`. Never closed by the SDK.
    """

    def __init__(
        self,
        api_key: str | Callable[[], str] | None = None,
        *,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        retry_config: RetryConfig | None = DEFAULT_RETRY_CONFIG,
        client: httpx2.Client | None = None,
        async_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self._core = ClientCore(
            api_key=api_key,
            server_url=server_url,
            timeout_ms=DEFAULT_TIMEOUT_MS if timeout_ms is None else timeout_ms,
            retry_config=retry_config,
            client=client,
            async_client=async_client,
            user_agent=USER_AGENT,
            default_server_url=DEFAULT_SERVER_URL,
        )
        self.router = Router(self._core)

    def close(self) -> None:
        """Close the HTTP clients the SDK created (idempotent)."""
        self._core.close()

    async def aclose(self) -> None:
        """Close the HTTP clients the SDK created, from async code (idempotent)."""
        await self._core.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"Orq(server_url={self._core.server_url!r})"
