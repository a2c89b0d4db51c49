"""A client library for accessing orq.ai image generation router

Typed client for the orq.ai image-generation router::

    from orq_images import Orq

    with Orq(api_key=os.getenv("ORQ_API_KEY", "")) as orq:
        res = orq.router.images.generations.create(prompt="a red fox", model="openai/gpt-image-1")
"""

from ._runtime.raw_response import RawResponse
from ._runtime.retries import RetryConfig
from ._runtime.unset import UNSET, Unset
from ._runtime.warn import ResponseShapeWarning
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
    UploadNotReplayableError,
)
from .sdk import Orq

__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "ErrorDetail",
    "NotFoundError",
    "Orq",
    "OrqError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "RawResponse",
    "ResponseShapeWarning",
    "ResponseValidationError",
    "RetryConfig",
    "ServerError",
    "UnprocessableEntityError",
    "UploadNotReplayableError",
    "Unset",
    "__version__",
]
