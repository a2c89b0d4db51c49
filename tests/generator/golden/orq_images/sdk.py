"""The `Orq` client and its namespaces. Generated from the API description: do not edit."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx2

from ._runtime.unset import DEFAULT, UNSET, DefaultType, Unset
from ._version import __version__

if TYPE_CHECKING:
    from ._runtime.batch import AsyncBatchResults, BatchResults  # orq: batches (issue 17)
    from ._runtime.progress import ProgressOption  # orq: batches (issue 17)
    from ._runtime.raw_response import RawResponse
    from ._runtime.retries import RetryConfig
    from ._runtime.transport import ClientCore
    from ._runtime.uploads import FileInput
    from .models import *  # noqa: F403
    from .params import *  # noqa: F403

# orq: the version as `platform.python_version()` gives it, without importing platform (~2 ms at import).
USER_AGENT = f"orq-images/{__version__} python/{sys.version.split()[0]}"
DEFAULT_SERVER_URL = "https://pets.example.invalid"
_Result = TypeVar("_Result")


def _parser(
    parse_response: Callable[..., _Result],
    *,
    core: ClientCore,
    strict: bool,
) -> Callable[[object], _Result]:
    """The parse function of one call: the operation's `parse_response` in the client's mode
    (`strict_responses`)."""

    def parse(data: object) -> _Result:
        return parse_response(data, strict=strict)

    return parse


class MediaPhotos:
    """`orq.media.photos`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    @functools.cached_property
    def with_raw_response(self) -> MediaPhotosWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return MediaPhotosWithRawResponse(self._core, strict_responses=self._strict_responses)

    def upload(
        self,
        *,
        photo: FileInput,
        caption: str | None = None,
        rating: int | None | Unset = UNSET,
        options: UploadPhotoRequestOptions | UploadPhotoRequestOptionsParam | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> PhotoReceipt:
        """Upload a photo.

        Store a photo of a pet, with a caption and options.

        `POST /v1/media/photos`, sent as `multipart/form-data`. Arguments are validated against the API description before anything
        is sent; nested values may be plain dicts or the models in `orq_images.models`.

        Args:
            photo: A PNG or JPEG photo of at most 1 MiB. A path, bytes, a binary file object,
                `{"file_name": ..., "content": ...}` or a
                tuple `(file_name, content, content_type)`; its format is told by its first bytes.
            caption: A caption shown under the photo. Omitted when None.
            rating: Stars, from 1 to 5. Omitted when unset or `None` (a form field has no null).
            options: How to store the photo. Omitted when None.
            retries: Client-side retries for this call: a RetryConfig, None to disable, or the client's default.
            server_url: Send this call to another server.
            timeout_ms: Time limit of this call in milliseconds (default: the client's).
            http_headers: Extra HTTP headers for this call.

        Returns:
            PhotoReceipt: What was stored.

        Raises:
            RequestValidationError: An argument does not match the API description (nothing was sent).
            APIStatusError: The server answered with an error status (a subclass per status).
            APITimeoutError: No answer within the time limit.
            APIConnectionError: The server could not be reached, or dropped the connection.
            ResponseValidationError: A 2xx answer that is not the documented JSON.
        """

        from .api.media.upload_photo import parse_response, request_kwargs

        call = request_kwargs(
            {
                "photo": photo,
                "caption": caption,
                "rating": rating,
                "options": options,
            }
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=False,
        )

    def upload_async(
        self,
        *,
        photo: FileInput,
        caption: str | None = None,
        rating: int | None | Unset = UNSET,
        options: UploadPhotoRequestOptions | UploadPhotoRequestOptionsParam | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, PhotoReceipt]:
        """Async variant of `upload`, with the same arguments, result and errors: `await` it.

        The arguments are checked when it is called, before the coroutine is scheduled, so invalid input
        raises at the call (also under `asyncio.gather`) and deprecation warnings point at the caller's line.
        What is sent is what was checked: a copy, which later changes to the arguments do not reach.
        """

        from .api.media.upload_photo import parse_response, request_kwargs

        call = request_kwargs(
            {
                "photo": photo,
                "caption": caption,
                "rating": rating,
                "options": options,
            },
            copy=True,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=False,
        )

    def upload_batch(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> BatchResults[PhotoReceipt]:
        """`upload` for every argument dict of `items`, `concurrency` calls at a time.

        Iterate over the result for one `BatchOutcome` per item, in the order of `items`, each with its
        `index` and either its `result`, its `error` (an `OrqError`; one failed item does not stop the others)
        or `skipped`, plus the `paths` of its images. `items` is read lazily (a generator of any length is
        fine) and each item is checked like the arguments of `upload` before it is sent. A 429 or 503
        slows the whole batch down (fewer calls in flight, all waiting out the Retry-After), which then
        speeds up again; an item is retried only as `retries` allows for a single call. The calls run on a
        private event loop in a worker thread, so this also works inside Jupyter.

        Args:
            items: Argument dicts of `upload` (the same keywords), one per call.
            concurrency: Most calls in flight at once. The default, `DEFAULT_CONCURRENCY`, fits the usual
                image rate limits; the batch slows itself down when the server says it is too much.
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
            self.upload_async,
            items,
            concurrency=concurrency,
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )

    def upload_batch_async(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> AsyncBatchResults[PhotoReceipt]:
        """Async variant of `upload_batch`, with the same arguments: `async for outcome in ...`.

        Use `async with` (or call `aclose()`) when you may leave the loop early: it cancels the calls
        still in flight. When the task is cancelled, `unreported` holds the outcomes that had finished.
        """
        from ._runtime.batch import run_batch_async

        return run_batch_async(
            self.upload_async,
            items,
            concurrency=concurrency,
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )


class MediaPhotosWithRawResponse:
    """`orq.media.photos.with_raw_response`: the methods of `MediaPhotos`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    def upload(
        self,
        *,
        photo: FileInput,
        caption: str | None = None,
        rating: int | None | Unset = UNSET,
        options: UploadPhotoRequestOptions | UploadPhotoRequestOptionsParam | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> RawResponse[PhotoReceipt]:
        """`MediaPhotos.upload`, returning its result with the HTTP metadata of the answer.

        The arguments and the errors are those of
        `upload`; the answer is parsed before this returns, so `.parse()` never raises.
        """
        from .api.media.upload_photo import parse_response, request_kwargs

        call = request_kwargs(
            {
                "photo": photo,
                "caption": caption,
                "rating": rating,
                "options": options,
            }
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=True,
        )

    def upload_async(
        self,
        *,
        photo: FileInput,
        caption: str | None = None,
        rating: int | None | Unset = UNSET,
        options: UploadPhotoRequestOptions | UploadPhotoRequestOptionsParam | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, RawResponse[PhotoReceipt]]:
        """Async variant of `upload`: `await` it (the arguments are checked at the call, as with
        `MediaPhotos.upload_async`)."""
        from .api.media.upload_photo import parse_response, request_kwargs

        call = request_kwargs(
            {
                "photo": photo,
                "caption": caption,
                "rating": rating,
                "options": options,
            },
            copy=True,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=True,
        )


class Pets:
    """`orq.pets`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    @functools.cached_property
    def with_raw_response(self) -> PetsWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return PetsWithRawResponse(self._core, strict_responses=self._strict_responses)

    def create(
        self,
        *,
        name: str,
        kind: Cat | CatParam | Dog | DogParam,
        color: Color | None | Unset = UNSET,
        owner: CreatePetRequestOwner | CreatePetRequestOwnerParam | None = None,
        owner_email: str | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Pet:
        """Create a pet.

        Register a pet with its kind, colour and owner.

        `POST /v1/pets`. Arguments are validated against the API description before anything
        is sent; nested values may be plain dicts or the models in `orq_images.models`.

        Args:
            name: What the pet answers to.
            kind: A cat or a dog, told apart by `type`.
            color: Its colour; null when unknown. Omitted when unset; `None` is sent as null.
            owner: Who looks after it. Omitted when None.
            owner_email: Deprecated: use `owner.contact.email`. Omitted when None. Deprecated.
            retries: Client-side retries for this call: a RetryConfig, None to disable, or the client's default.
            server_url: Send this call to another server.
            timeout_ms: Time limit of this call in milliseconds (default: the client's).
            http_headers: Extra HTTP headers for this call.

        Returns:
            Pet: A stored pet.

        Raises:
            RequestValidationError: An argument does not match the API description (nothing was sent).
            APIStatusError: The server answered with an error status (a subclass per status).
            APITimeoutError: No answer within the time limit.
            APIConnectionError: The server could not be reached, or dropped the connection.
            ResponseValidationError: A 2xx answer that is not the documented JSON.
        """

        from .api.pets.create_pet import parse_response, request_kwargs

        call = request_kwargs(
            {
                "name": name,
                "kind": kind,
                "color": color,
                "owner": owner,
                "owner_email": owner_email,
            }
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=False,
        )

    def create_async(
        self,
        *,
        name: str,
        kind: Cat | CatParam | Dog | DogParam,
        color: Color | None | Unset = UNSET,
        owner: CreatePetRequestOwner | CreatePetRequestOwnerParam | None = None,
        owner_email: str | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, Pet]:
        """Async variant of `create`, with the same arguments, result and errors: `await` it.

        The arguments are checked when it is called, before the coroutine is scheduled, so invalid input
        raises at the call (also under `asyncio.gather`) and deprecation warnings point at the caller's line.
        What is sent is what was checked: a copy, which later changes to the arguments do not reach.
        """

        from .api.pets.create_pet import parse_response, request_kwargs

        call = request_kwargs(
            {
                "name": name,
                "kind": kind,
                "color": color,
                "owner": owner,
                "owner_email": owner_email,
            },
            copy=True,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=False,
        )

    def batch(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 32,
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> BatchResults[Pet]:
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
        stop_on_error: bool = False,
        progress: ProgressOption = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> AsyncBatchResults[Pet]:
        """Async variant of `batch`, with the same arguments: `async for outcome in ...`.

        Use `async with` (or call `aclose()`) when you may leave the loop early: it cancels the calls
        still in flight. When the task is cancelled, `unreported` holds the outcomes that had finished.
        """
        from ._runtime.batch import run_batch_async

        return run_batch_async(
            self.create_async,
            items,
            concurrency=concurrency,
            stop_on_error=stop_on_error,
            progress=progress,
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            core=self._core,
        )


class PetsWithRawResponse:
    """`orq.pets.with_raw_response`: the methods of `Pets`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses

    def create(
        self,
        *,
        name: str,
        kind: Cat | CatParam | Dog | DogParam,
        color: Color | None | Unset = UNSET,
        owner: CreatePetRequestOwner | CreatePetRequestOwnerParam | None = None,
        owner_email: str | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> RawResponse[Pet]:
        """`Pets.create`, returning its result with the HTTP metadata of the answer.

        The arguments and the errors are those of
        `create`; the answer is parsed before this returns, so `.parse()` never raises.
        """
        from .api.pets.create_pet import parse_response, request_kwargs

        call = request_kwargs(
            {
                "name": name,
                "kind": kind,
                "color": color,
                "owner": owner,
                "owner_email": owner_email,
            }
        )
        return self._core.request(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=True,
        )

    def create_async(
        self,
        *,
        name: str,
        kind: Cat | CatParam | Dog | DogParam,
        color: Color | None | Unset = UNSET,
        owner: CreatePetRequestOwner | CreatePetRequestOwnerParam | None = None,
        owner_email: str | None = None,
        retries: RetryConfig | None | DefaultType = DEFAULT,
        server_url: str | None = None,
        timeout_ms: float | None = None,
        http_headers: Mapping[str, str] | None = None,
    ) -> Coroutine[Any, Any, RawResponse[Pet]]:
        """Async variant of `create`: `await` it (the arguments are checked at the call, as with
        `Pets.create_async`)."""
        from .api.pets.create_pet import parse_response, request_kwargs

        call = request_kwargs(
            {
                "name": name,
                "kind": kind,
                "color": color,
                "owner": owner,
                "owner_email": owner_email,
            },
            copy=True,
        )
        return self._core.request_async(
            **call,
            parse=_parser(parse_response, core=self._core, strict=self._strict_responses),
            retries=retries,
            server_url=server_url,
            timeout_ms=timeout_ms,
            http_headers=http_headers,
            raw=True,
        )


class Media:
    """`orq.media`"""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses
        self.photos = MediaPhotos(core, strict_responses=strict_responses)

    @functools.cached_property
    def with_raw_response(self) -> MediaWithRawResponse:
        """The same methods, returning the result with the HTTP metadata of its answer: a `RawResponse`
        (`.status_code`, `.headers`, `.request_id`, `.elapsed`, `.retries_taken`; `.parse()` gives the result)."""
        return MediaWithRawResponse(self._core, strict_responses=self._strict_responses)


class MediaWithRawResponse:
    """`orq.media.with_raw_response`: the methods of `Media`, each returning
    a `RawResponse` of its result."""

    def __init__(self, core: ClientCore, *, strict_responses: bool = False) -> None:
        self._core = core
        self._strict_responses = strict_responses
        self.photos = MediaPhotosWithRawResponse(core, strict_responses=strict_responses)


class Orq:
    """Client for the orq.ai API.

    Use it as a context manager (`with Orq(...) as orq:` or `async with`), or call `close()` /
    `await aclose()` when done.

    Args:
        api_key: The API key, or a function returning it (called for every request). Read from the
            `ORQ_API_KEY` environment variable when omitted. It never appears in a repr, log or error.
        server_url: Base URL of the API (default `https://pets.example.invalid`).
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
        self.pets = Pets(self._core, strict_responses=strict_responses)
        self.media = Media(self._core, strict_responses=strict_responses)

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
