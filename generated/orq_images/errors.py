"""Every exception the client raises is an `OrqError`."""

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

if TYPE_CHECKING:
    from ._runtime.error_detail import ErrorDetail


def __getattr__(name: str) -> Any:
    if name == "ErrorDetail":
        from ._runtime.error_detail import ErrorDetail

        return ErrorDetail
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
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
    "OrqError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseValidationError",
    "ServerError",
    "UnprocessableEntityError",
    "UploadNotReplayableError",
]
