"""The `Orq` client and its namespaces. Generated from the API description: do not edit."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx2

from ._runtime.errors import RequestValidationError
from ._runtime.unset import DEFAULT, UNSET, DefaultType, Unset
from ._version import __version__

if TYPE_CHECKING:
    from ._runtime.batch import AsyncBatchResults, BatchResults, BatchSaveTo  # orq: batches (issue 17)
    from ._runtime.images import ImageFiles, SaveTo
    from ._runtime.progress import ProgressOption  # orq: batches (issue 17)
    from ._runtime.raw_response import RawResponse
    from ._runtime.retries import RetryConfig
    from ._runtime.transport import ClientCore
    from ._runtime.uploads import FileInput
    from .models import *  # noqa: F403
    from .params import *  # noqa: F403

# orq: the version as `platform.python_version()` gives it, without importing platform (~2 ms at import).
USER_AGENT = f"orq-images/{__version__} python/{sys.version.split()[0]}"
DEFAULT_SERVER_URL = "https://my.orq.ai"
_Result = TypeVar("_Result")


def _parser(
    parse_response: Callable[..., _Result],
    *,
    core: ClientCore,
    strict: bool,
    items: str | None = None,
    files: ImageFiles | None = None,
) -> Callable[[object], _Result]:
    """The parse function of one call: the operation's `parse_response` in the client's mode
    (`strict_responses`), after the check of `files`
    (`save_to=`) that the answer has no more images than were asked for; the image items (`items`) learn the
    client that fetched them, which downloads their URLs."""

    def parse(data: object) -> _Result:
        if files is not None:
            files.check_answer(data)
        result = parse_response(data, strict=strict)
        if items is not None:
            from ._runtime.images import attach_client  # loaded by the models already: `import orq_images` is not

            attach_client(getattr(result, items), core)
        return result

    return parse


def _image_files(
    save_to: SaveTo | None,
    *,
    items: str,
    field: str,
    expected: object,
    url_field: str | None = None,
    downloader: ClientCore | None = None,
) -> ImageFiles | None:
    """`save_to=`'s files for a call asking for `expected` images (`n`: 1 when not given; a whole float such as
    `2.0` counts as 2, as the API reads it); with a `downloader` (`download_urls=True`), the images given as URLs
    (`url_field`) are downloaded into them."""
    if save_to is None:
        if downloader is not None:
            raise RequestValidationError("download_urls", "True only with save_to= (where to download to)", True)
        return None
    from ._runtime.images import ImageFiles

    count = 1
    if isinstance(expected, int | float) and not isinstance(expected, bool) and float(expected).is_integer():
        count = int(expected)
    return ImageFiles(save_to, items=items, field=field, expected=count, url_field=url_field, downloader=downloader)


class RouterImagesGenerations:
    """`orq.router.images.generations`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    @functools.cached_property
    def with_raw_response(self) -> RouterImagesGenerationsWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return RouterImagesGenerationsWithRawResponse(self._core, strict_responses=self._strict_responses)

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
        download_urls: bool = False,
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
                of the image index returning the path (called once per image asked for, before sending).
                Every target is checked before anything is sent: one file per image, in an existing,
                writable directory. The files appear only once the whole answer has arrived and is valid,
                all of them or none (a failed call leaves existing files as they were); each image's
                `saved_to` is then its path and its `b64_json` is unset.
            download_urls: With `save_to=`, also download the images that come as URLs (`url`) into
                their files, once the answer is valid and within the call's `timeout_ms`, without sending the
                API key; a failed download fails the call and no file is written. URLs expire: download soon.
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
            ResponseValidationError: A 2xx answer that is not the documented JSON, or with more images than asked for.
        """

        from .api.images.create_image import parse_response, request_kwargs

        call = request_kwargs(
            {
                "prompt": prompt,
                "model": model,
                "background": background,
                "moderation": moderation,
                "n": n,
                "output_compression": output_compression,
                "output_format": output_format,
                "quality": quality,
                "response_format": response_format,
                "size": size,
                "style": style,
                "metadata": metadata,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "plugins": plugins,
                "orq": orq,
            }
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=False,
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
        download_urls: bool = False,
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

        from .api.images.create_image import parse_response, request_kwargs

        call = request_kwargs(
            {
                "prompt": prompt,
                "model": model,
                "background": background,
                "moderation": moderation,
                "n": n,
                "output_compression": output_compression,
                "output_format": output_format,
                "quality": quality,
                "response_format": response_format,
                "size": size,
                "style": style,
                "metadata": metadata,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "plugins": plugins,
                "orq": orq,
            },
            copy=True,
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=False,
        )

    def batch(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        download_urls: bool = False,
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
            download_urls: With `save_to`, also download the images that come as URLs
                (`url`) into the items' files, as `create(download_urls=True)` does.
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
            download_urls=download_urls,
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
        concurrency: int = 32,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        download_urls: bool = False,
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
            download_urls=download_urls,
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )


class RouterImagesGenerationsWithRawResponse:
    """`orq.router.images.generations.with_raw_response`: the methods of `RouterImagesGenerations`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

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
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> RawResponse[CreateImageResponse]:
        """`RouterImagesGenerations.create`, returning its result with the HTTP metadata of the answer.

        The arguments, the errors and what is written to files (`save_to=`) are those of
        `create`; the answer is parsed before this returns, so `.parse()` never raises.
        """
        from .api.images.create_image import parse_response, request_kwargs

        call = request_kwargs(
            {
                "prompt": prompt,
                "model": model,
                "background": background,
                "moderation": moderation,
                "n": n,
                "output_compression": output_compression,
                "output_format": output_format,
                "quality": quality,
                "response_format": response_format,
                "size": size,
                "style": style,
                "metadata": metadata,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "plugins": plugins,
                "orq": orq,
            }
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=True,
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
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, RawResponse[CreateImageResponse]]:
        """Async variant of `create`: `await` it (the arguments are checked at the call, as with
        `RouterImagesGenerations.create_async`)."""
        from .api.images.create_image import parse_response, request_kwargs

        call = request_kwargs(
            {
                "prompt": prompt,
                "model": model,
                "background": background,
                "moderation": moderation,
                "n": n,
                "output_compression": output_compression,
                "output_format": output_format,
                "quality": quality,
                "response_format": response_format,
                "size": size,
                "style": style,
                "metadata": metadata,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "plugins": plugins,
                "orq": orq,
            },
            copy=True,
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=True,
        )


class RouterImagesEdits:
    """`orq.router.images.edits`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    @functools.cached_property
    def with_raw_response(self) -> RouterImagesEditsWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return RouterImagesEditsWithRawResponse(self._core, strict_responses=self._strict_responses)

    def create(
        self,
        *,
        model: str,
        prompt: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        size: str | None | Unset = UNSET,
        quality: ImageEditQuality | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> ImageUploadResponse:
        """Edit an image.

        Change an image you upload, following a text prompt, through the orq.ai router. The router forwards
        the request to the chosen provider model and can retry, fall back, cache and load-balance on the
        way.

        `POST /v2/router/images/edits`, sent as `multipart/form-data`. Arguments are validated against the API description before anything
        is sent; nested values may be plain dicts or the models in `orq_images.models`.

        Args:
            model: The provider model that edits the image, as `provider/name`, for example
                `openai/gpt-image-1` or `openai/dall-e-2`.
            prompt: What to change, in plain words.
            image: The image to start from: a PNG, JPEG or WebP file under 50 MB. The API describes one
                file per call (its prose mentions up to 16, but not how several would be sent). A
                path, bytes, a binary file object, `{"file_name": ..., "content": ...}` or a
                tuple `(file_name, content, content_type)`; its format is told by its first bytes.
                Omitted when None.
            n: How many images to make, from 1 to 10. When omitted the server makes 1. Server
                default: 1.0. Omitted when unset or `None` (a form field has no null).
            size: The size of the new images, such as `1024x1024`; each model accepts its own list of
                sizes. Omitted when unset or `None` (a form field has no null).
            quality: The quality of the new images; `auto` lets the model pick the best quality it
                offers. Omitted when unset or `None` (a form field has no null).
            response_format: How the generated image is delivered. Omitted when None.
            user: Your own identifier of the end user the call is made for, which helps the provider
                spot abuse. Omitted when None.
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
            orq: Router settings grouped under `orq` for edits and variations: the settings of
                `OrqOptions`, plus a stored prompt to apply. Omitted when None.
            save_to: Write each image straight to a file while the answer arrives, instead of keeping it in
                memory: a path (image 0 goes there, image i beside it as `<stem>-i<suffix>`), or a function
                of the image index returning the path (called once per image asked for, before sending).
                Every target is checked before anything is sent: one file per image, in an existing,
                writable directory. The files appear only once the whole answer has arrived and is valid,
                all of them or none (a failed call leaves existing files as they were); each image's
                `saved_to` is then its path and its `b64_json` is unset.
            download_urls: With `save_to=`, also download the images that come as URLs (`url`) into
                their files, once the answer is valid and within the call's `timeout_ms`, without sending the
                API key; a failed download fails the call and no file is written. URLs expire: download soon.
            retries: Client-side retries for this call: a RetryConfig, None to disable, or the client's default.
            server_url: Send this call to another server.
            timeout_ms: Time limit of this call in milliseconds (default: the client's).
            http_headers: Extra HTTP headers for this call.

        Returns:
            ImageUploadResponse: The answer to an image-edit or image-variation request.

        Raises:
            RequestValidationError: An argument does not match the API description (nothing was sent).
            APIStatusError: The server answered with an error status (a subclass per status).
            APITimeoutError: No answer within the time limit.
            APIConnectionError: The server could not be reached, or dropped the connection.
            ResponseValidationError: A 2xx answer that is not the documented JSON, or with more images than asked for.
        """

        from .api.images.create_image_edit import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "prompt": prompt,
                "image": image,
                "n": n,
                "size": size,
                "quality": quality,
                "response_format": response_format,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            }
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=False,
        )

    def create_async(
        self,
        *,
        model: str,
        prompt: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        size: str | None | Unset = UNSET,
        quality: ImageEditQuality | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, ImageUploadResponse]:
        """Async variant of `create`, with the same arguments, result and errors: `await` it.

        The arguments are checked when it is called, before the coroutine is scheduled, so invalid input
        raises at the call (also under `asyncio.gather`) and deprecation warnings point at the caller's line.
        What is sent is what was checked: a copy, which later changes to the arguments do not reach.
        """

        from .api.images.create_image_edit import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "prompt": prompt,
                "image": image,
                "n": n,
                "size": size,
                "quality": quality,
                "response_format": response_format,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            },
            copy=True,
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=False,
        )

    def batch(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        download_urls: bool = False,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> BatchResults[ImageUploadResponse]:
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
            download_urls: With `save_to`, also download the images that come as URLs
                (`url`) into the items' files, as `create(download_urls=True)` does.
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
            download_urls=download_urls,
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
        concurrency: int = 32,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        download_urls: bool = False,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> AsyncBatchResults[ImageUploadResponse]:
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
            download_urls=download_urls,
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )


class RouterImagesEditsWithRawResponse:
    """`orq.router.images.edits.with_raw_response`: the methods of `RouterImagesEdits`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    def create(
        self,
        *,
        model: str,
        prompt: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        size: str | None | Unset = UNSET,
        quality: ImageEditQuality | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> RawResponse[ImageUploadResponse]:
        """`RouterImagesEdits.create`, returning its result with the HTTP metadata of the answer.

        The arguments, the errors and what is written to files (`save_to=`) are those of
        `create`; the answer is parsed before this returns, so `.parse()` never raises.
        """
        from .api.images.create_image_edit import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "prompt": prompt,
                "image": image,
                "n": n,
                "size": size,
                "quality": quality,
                "response_format": response_format,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            }
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=True,
        )

    def create_async(
        self,
        *,
        model: str,
        prompt: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        size: str | None | Unset = UNSET,
        quality: ImageEditQuality | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, RawResponse[ImageUploadResponse]]:
        """Async variant of `create`: `await` it (the arguments are checked at the call, as with
        `RouterImagesEdits.create_async`)."""
        from .api.images.create_image_edit import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "prompt": prompt,
                "image": image,
                "n": n,
                "size": size,
                "quality": quality,
                "response_format": response_format,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            },
            copy=True,
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=True,
        )


class RouterImagesVariations:
    """`orq.router.images.variations`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    @functools.cached_property
    def with_raw_response(self) -> RouterImagesVariationsWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return RouterImagesVariationsWithRawResponse(self._core, strict_responses=self._strict_responses)

    def create(
        self,
        *,
        model: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        size: ImageVariationSize | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> ImageUploadResponse:
        """Create image variations.

        Make new images in the manner of one you upload, through the orq.ai router, which forwards the
        request to the chosen provider model and can retry, fall back, cache and load-balance on the way.

        `POST /v2/router/images/variations`, sent as `multipart/form-data`. Arguments are validated against the API description before anything
        is sent; nested values may be plain dicts or the models in `orq_images.models`.

        Args:
            model: The provider model that makes the variations, as `provider/name`, for example
                `openai/dall-e-2`.
            image: The image to start from: a PNG, JPEG or WebP file under 50 MB. The API describes one
                file per call (its prose mentions up to 16, but not how several would be sent). A
                path, bytes, a binary file object, `{"file_name": ..., "content": ...}` or a
                tuple `(file_name, content, content_type)`; its format is told by its first bytes.
                Omitted when None.
            n: How many images to make, from 1 to 10. When omitted the server makes 1. Server
                default: 1.0. Omitted when unset or `None` (a form field has no null).
            response_format: Whether images come back as a URL or as base64 data. A URL stays valid for 60
                minutes. When omitted the server answers with URLs. Omitted when None.
            size: The size of the variations; when omitted the server makes `1024x1024` images.
                Omitted when None.
            user: Your own identifier of the end user the call is made for, which helps the provider
                spot abuse. Omitted when None.
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
            orq: Router settings grouped under `orq` for edits and variations: the settings of
                `OrqOptions`, plus a stored prompt to apply. Omitted when None.
            save_to: Write each image straight to a file while the answer arrives, instead of keeping it in
                memory: a path (image 0 goes there, image i beside it as `<stem>-i<suffix>`), or a function
                of the image index returning the path (called once per image asked for, before sending).
                Every target is checked before anything is sent: one file per image, in an existing,
                writable directory. The files appear only once the whole answer has arrived and is valid,
                all of them or none (a failed call leaves existing files as they were); each image's
                `saved_to` is then its path and its `b64_json` is unset.
            download_urls: With `save_to=`, also download the images that come as URLs (`url`) into
                their files, once the answer is valid and within the call's `timeout_ms`, without sending the
                API key; a failed download fails the call and no file is written. URLs expire: download soon.
            retries: Client-side retries for this call: a RetryConfig, None to disable, or the client's default.
            server_url: Send this call to another server.
            timeout_ms: Time limit of this call in milliseconds (default: the client's).
            http_headers: Extra HTTP headers for this call.

        Returns:
            ImageUploadResponse: The answer to an image-edit or image-variation request.

        Raises:
            RequestValidationError: An argument does not match the API description (nothing was sent).
            APIStatusError: The server answered with an error status (a subclass per status).
            APITimeoutError: No answer within the time limit.
            APIConnectionError: The server could not be reached, or dropped the connection.
            ResponseValidationError: A 2xx answer that is not the documented JSON, or with more images than asked for.
        """

        from .api.images.create_image_variation import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "image": image,
                "n": n,
                "response_format": response_format,
                "size": size,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            }
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=False,
        )

    def create_async(
        self,
        *,
        model: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        size: ImageVariationSize | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, ImageUploadResponse]:
        """Async variant of `create`, with the same arguments, result and errors: `await` it.

        The arguments are checked when it is called, before the coroutine is scheduled, so invalid input
        raises at the call (also under `asyncio.gather`) and deprecation warnings point at the caller's line.
        What is sent is what was checked: a copy, which later changes to the arguments do not reach.
        """

        from .api.images.create_image_variation import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "image": image,
                "n": n,
                "response_format": response_format,
                "size": size,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            },
            copy=True,
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=False,
        )

    def batch(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        download_urls: bool = False,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> BatchResults[ImageUploadResponse]:
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
            download_urls: With `save_to`, also download the images that come as URLs
                (`url`) into the items' files, as `create(download_urls=True)` does.
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
            download_urls=download_urls,
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
        concurrency: int = 32,
        save_to: BatchSaveTo | None = None,
        skip_existing: bool = False,
        download_urls: bool = False,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> AsyncBatchResults[ImageUploadResponse]:
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
            download_urls=download_urls,
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )


class RouterImagesVariationsWithRawResponse:
    """`orq.router.images.variations.with_raw_response`: the methods of `RouterImagesVariations`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    def create(
        self,
        *,
        model: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        size: ImageVariationSize | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> RawResponse[ImageUploadResponse]:
        """`RouterImagesVariations.create`, returning its result with the HTTP metadata of the answer.

        The arguments, the errors and what is written to files (`save_to=`) are those of
        `create`; the answer is parsed before this returns, so `.parse()` never raises.
        """
        from .api.images.create_image_variation import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "image": image,
                "n": n,
                "response_format": response_format,
                "size": size,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            }
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=True,
        )

    def create_async(
        self,
        *,
        model: str,
        image: FileInput | None = None,
        n: float | None | Unset = UNSET,
        response_format: ImageResponseFormat | None = None,
        size: ImageVariationSize | None = None,
        user: str | None = None,
        name: str | None = None,
        fallback_on_codes: Sequence[int] | None = None,
        fallbacks: Sequence[FallbackModel | FallbackModelParam] | None = None,
        retry: RetryPolicy | RetryPolicyParam | None = None,
        cache: CachePolicy | CachePolicyParam | None = None,
        load_balancer: WeightBasedLoadBalancer | WeightBasedLoadBalancerParam | None = None,
        timeout: TimeoutPolicy | TimeoutPolicyParam | None = None,
        orq: OrqOptionsWithPrompt | OrqOptionsWithPromptParam | None = None,
        save_to: SaveTo | None = None,
        download_urls: bool = False,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, RawResponse[ImageUploadResponse]]:
        """Async variant of `create`: `await` it (the arguments are checked at the call, as with
        `RouterImagesVariations.create_async`)."""
        from .api.images.create_image_variation import parse_response, request_kwargs

        call = request_kwargs(
            {
                "model": model,
                "image": image,
                "n": n,
                "response_format": response_format,
                "size": size,
                "user": user,
                "name": name,
                "fallback_on_codes": fallback_on_codes,
                "fallbacks": fallbacks,
                "retry": retry,
                "cache": cache,
                "load_balancer": load_balancer,
                "timeout": timeout,
                "orq": orq,
            },
            copy=True,
        )
        files = _image_files(
            save_to,
            items="data",
            field="b64_json",
            expected=n,
            url_field="url",
            downloader=self._core if download_urls else None,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses, items="data", files=files),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            diversion=files,
            raw=True,
        )


class RouterImages:
    """`orq.router.images`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses
        self.generations = RouterImagesGenerations(core, strict_responses=strict_responses)
        self.edits = RouterImagesEdits(core, strict_responses=strict_responses)
        self.variations = RouterImagesVariations(core, strict_responses=strict_responses)

    @functools.cached_property
    def with_raw_response(self) -> RouterImagesWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return RouterImagesWithRawResponse(self._core, strict_responses=self._strict_responses)


class RouterImagesWithRawResponse:
    """`orq.router.images.with_raw_response`: the methods of `RouterImages`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses
        self.generations = RouterImagesGenerationsWithRawResponse(core, strict_responses=strict_responses)
        self.edits = RouterImagesEditsWithRawResponse(core, strict_responses=strict_responses)
        self.variations = RouterImagesVariationsWithRawResponse(core, strict_responses=strict_responses)


class Router:
    """`orq.router`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses
        self.images = RouterImages(core, strict_responses=strict_responses)

    @functools.cached_property
    def with_raw_response(self) -> RouterWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return RouterWithRawResponse(self._core, strict_responses=self._strict_responses)


class RouterWithRawResponse:
    """`orq.router.with_raw_response`: the methods of `Router`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses
        self.images = RouterImagesWithRawResponse(core, strict_responses=strict_responses)


class Orq:
    """Client for the orq.ai API.

    Use it as a context manager (`with Orq(...) as orq:` or `async with`), or call `close()` /
    `await aclose()` when done.

    Args:
        api_key: The API key, or a function returning it (called for every request). Read from the
            `ORQ_API_KEY` environment variable when omitted. It never appears in a repr, log or error.
        server_url: Base URL of the API (default `https://my.orq.ai`).
        timeout_ms: Time limit of each whole call in milliseconds, retries and waits included (default
            600000: image generation is slow).
        retry_config: Client-side retries (default: 2 retries when the server certainly did not act on the
            request: connection not made, 408/429/503/529; honouring Retry-After); None disables them.
        client: Your own `httpx2.Client` (proxies, transports, event hooks). Never closed by the SDK.
        async_client: Your own `httpx2.AsyncClient`, never closed by the SDK; or `aiohttp_client()` (the
            aiohttp extra: the calls on aiohttp's networking), which this client owns and closes.
        max_response_bytes: Largest answer accepted, counted after decompression (default 256 MiB: ten
            large images as base64); a larger one raises ResponseValidationError.
        strict_responses: Raise ResponseValidationError for any 2xx answer that departs from the API
            description. By default a departure inside an optional part (such as `usage`) only drops that
            part, with a ResponseShapeWarning, and the images are returned.
    """

    def __init__(
        self,
        api_key: str | Callable[[], str] | None = None,
        *,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        retry_config: RetryConfig | None | DefaultType = DEFAULT,
        client: httpx2.Client | None = None,
        async_client: httpx2.AsyncClient | None = None,
        max_response_bytes: int | None = None,
        strict_responses: bool = False,
    ) -> None:
        from ._runtime.transport import ClientCore  # here, not at `import orq_images`: it loads the call machinery

        self._core = ClientCore(
            api_key=api_key,
            server_url=server_url,
            timeout_ms=timeout_ms,
            retry_config=retry_config,
            client=client,
            async_client=async_client,
            max_response_bytes=max_response_bytes,
            user_agent=USER_AGENT,
            default_server_url=DEFAULT_SERVER_URL,
        )
        self.router = Router(self._core, strict_responses=strict_responses)

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
