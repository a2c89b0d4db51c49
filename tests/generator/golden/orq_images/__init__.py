"""A client library for accessing Generator fixture (pets and photos)

Typed client for the orq.ai image-generation router::

    from orq_images import Orq

    with Orq(api_key=os.getenv("ORQ_API_KEY", "")) as orq:
        res = orq.router.images.generations.create(prompt="a red fox", model="openai/gpt-image-1")
"""

from typing import TYPE_CHECKING, Any

from ._runtime.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    NotFoundError,
    OrqError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
    UploadNotReplayableError,
)
from ._runtime.unset import UNSET, Unset
from ._version import __version__
from .sdk import Orq

if TYPE_CHECKING:
    from ._runtime.batch import BatchInterrupted, BatchOutcome, BatchStopped
    from ._runtime.clients import aiohttp_client
    from ._runtime.error_detail import ErrorDetail
    from ._runtime.pacing import DEFAULT_CONCURRENCY
    from ._runtime.progress import BatchProgress, ProgressLine
    from ._runtime.raw_response import RawResponse
    from ._runtime.retries import RetryConfig
    from ._runtime.warn import ResponseShapeWarning

# orq: the records of batches (issue 17) and raw responses (issue 15), `RetryConfig`, `ErrorDetail`,
# `aiohttp_client`, `DEFAULT_CONCURRENCY` and `ResponseShapeWarning` load with their first use, or when named here,
# so that `import orq_images` stays cheap (tests/packaging/test_import.py pins what it loads).
_LAZY = {
    "aiohttp_client": "clients",
    "DEFAULT_CONCURRENCY": "pacing",
    "ErrorDetail": "error_detail",
    "ResponseShapeWarning": "warn",
    "RetryConfig": "retries",
    "BatchInterrupted": "batch",
    "BatchOutcome": "batch",
    "BatchStopped": "batch",
    "BatchProgress": "progress",
    "ProgressLine": "progress",
    "RawResponse": "raw_response",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"._runtime.{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_CONCURRENCY",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchInterrupted",
    "BatchOutcome",
    "BatchProgress",
    "BatchStopped",
    "ClientClosedError",
    "ConflictError",
    "ErrorDetail",
    "NotFoundError",
    "Orq",
    "OrqError",
    "PermissionDeniedError",
    "ProgressLine",
    "RateLimitError",
    "RawResponse",
    "RequestValidationError",
    "ResponseShapeWarning",
    "ResponseValidationError",
    "RetryConfig",
    "ServerError",
    "UnprocessableEntityError",
    "UploadNotReplayableError",
    "Unset",
    "__version__",
    "aiohttp_client",
]
