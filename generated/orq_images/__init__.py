"""A client library for accessing orq.ai image generation router

Typed client for the orq.ai image-generation router::

    from orq_images import Orq

    with Orq(api_key=os.getenv("ORQ_API_KEY", "")) as orq:
        res = orq.router.images.generations.create(prompt="a red fox", model="openai/gpt-image-1")
"""

from ._runtime.batch import DEFAULT_CONCURRENCY, BatchInterrupted, BatchOutcome, BatchStopped
from ._runtime.progress import BatchProgress, ProgressLine
from ._runtime.retries import RetryConfig
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    OrqError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .sdk import Orq
from .types import UNSET, Unset

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
    "RequestValidationError",
    "ResponseValidationError",
    "RetryConfig",
    "ServerError",
    "UnprocessableEntityError",
    "Unset",
    "__version__",
]
