"""Exceptions raised by the client, and the mapping of HTTP error responses onto them.

Hierarchy::

    OrqError
    ├── RequestValidationError      (also ValueError, TypeError) a request value does not fit the API schema
    ├── ClientClosedError           (also RuntimeError) the client was used after close()
    ├── UploadNotReplayableError    a retry would need a file stream that was read once and cannot be rewound
    └── APIError                    something went wrong talking to the API
        ├── APIStatusError          the API answered with a non-2xx status
        │   ├── BadRequestError            400
        │   ├── AuthenticationError        401
        │   ├── PermissionDeniedError      403
        │   ├── NotFoundError              404
        │   ├── ConflictError              409
        │   ├── UnprocessableEntityError   422
        │   ├── RateLimitError             429
        │   └── ServerError                >= 500
        ├── APIConnectionError      no answer: refused, reset, dropped, DNS failure, ...
        │   └── APITimeoutError     no answer within the timeout
        └── ResponseValidationError a 2xx answer whose body is not what the API promises

No exception keeps the request (its headers hold the API key); ``str()`` is always a single line.
"""

from __future__ import annotations

import codecs
import json
from typing import TYPE_CHECKING, Any

import httpx2

if TYPE_CHECKING:
    from .error_detail import ErrorDetail

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
    "status_error_from_response",
]


def __getattr__(name: str) -> Any:
    if name == "ErrorDetail":  # loaded with the first error body that has one (see error_detail)
        from .error_detail import ErrorDetail

        return ErrorDetail
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-orq-request-id")
_MAX_VALUE_REPR = 80
_MAX_BODY_IN_MESSAGE = 200
_MAX_SERVER_MESSAGE = 1000


class OrqError(Exception):
    """Base class of every exception raised by ``orq_images``."""


class RequestValidationError(OrqError, ValueError, TypeError):
    """A request value does not match the API schema; raised before anything is sent.

    ``path`` locates the value (``orq.load_balancer.models[0].weight``; ``""`` is the request itself),
    ``expected`` says what was expected in words and ``value`` is the offending value.
    """

    def __init__(self, path: str, expected: str, value: object) -> None:
        super().__init__(path, expected, value)
        self.path = path
        self.expected = expected
        self.value = value

    def __str__(self) -> str:
        from .reprs import clipped_repr  # when shown: `import orq_images` does not load reprs

        where = f"{self.path}: " if self.path else ""
        return _one_line(f"{where}expected {self.expected}, got {clipped_repr(self.value, _MAX_VALUE_REPR)}")


class ClientClosedError(OrqError, RuntimeError):
    """The client was used after ``close()`` / ``aclose()``."""


class UploadNotReplayableError(OrqError):
    """A call was to be sent again (a retry), but a file argument is a stream that was read once and cannot be
    rewound; nothing more is sent. Pass a path, bytes or a seekable file object to make such calls retryable."""


class APIError(OrqError):
    """A request to the API failed. ``method`` and ``url`` say which request."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # The constructors take keyword arguments, which the default pickling (``cls(*args)``) cannot pass.
        return _restore, (type(self), self.args, self.__dict__)


class APIStatusError(APIError):
    """The API answered with a non-2xx status.

    ``body`` is the response text, ``error`` the parsed ``ErrorDetail`` when the body has the documented shape,
    ``request_id`` the server's request id (quote it when contacting support) and ``retry_after`` the wait in
    seconds the server asked for, if it did.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx2.Response,
        body: str,
        error: ErrorDetail | None = None,
        method: str = "",
        url: str = "",
    ) -> None:
        from .retries import parse_retry_after  # with the first error: `import orq_images` does not load retries

        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.error = error
        self.request_id = _request_id(response.headers)
        self.retry_after = parse_retry_after(response.headers)
        self.response = response
        text = f"Error code: {self.status_code} - {message}"
        if self.request_id:
            text += f" (request id: {self.request_id})"
        super().__init__(_one_line(text), method=method, url=url)


class BadRequestError(APIStatusError):
    """HTTP 400: the API rejected the request."""


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the API key may not do this."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the request is well-formed but the API cannot process it."""


class RateLimitError(APIStatusError):
    """HTTP 429: too many requests; see ``retry_after``."""


class ServerError(APIStatusError):
    """HTTP 5xx (including non-standard codes such as 520 or 529): a problem on the server side."""


class APIConnectionError(APIError):
    """No answer from the API: connection refused, reset or dropped, DNS failure, protocol error..."""

    def __init__(self, message: str = "Connection error.", *, method: str, url: str) -> None:
        super().__init__(message, method=method, url=url)


class APITimeoutError(APIConnectionError):
    """No answer from the API within the timeout."""

    def __init__(self, message: str = "Request timed out.", *, method: str, url: str) -> None:
        super().__init__(message, method=method, url=url)


class ResponseValidationError(APIError):
    """A 2xx answer whose body is not JSON or does not match the response schema.

    ``detail`` says what was wrong (``created: required key missing``); ``body`` is the raw response text.
    """

    def __init__(
        self, detail: str, *, method: str, url: str, status_code: int, headers: httpx2.Headers, body: str
    ) -> None:
        self.detail = detail
        self.status_code = status_code
        self.headers = headers
        self.body = body
        super().__init__(_one_line(f"Unexpected response (HTTP {status_code}): {detail}"), method=method, url=url)


def _restore(cls: type[APIError], args: tuple[object, ...], state: dict[str, object]) -> APIError:
    """Unpickle an ``APIError`` without calling its constructor."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_from_response(response: httpx2.Response) -> APIStatusError:
    """Build the exception for a non-2xx ``response`` (whose body has been read); never raises itself.

    The class follows the status code (``ServerError`` for any code >= 500, ``APIStatusError`` for codes with no
    dedicated class). The message is the server's own (``error.message``, ``error`` or ``message`` of a JSON
    body) or else the start of the body.
    """
    status = response.status_code
    cls = ServerError if status >= 500 else _STATUS_CLASSES.get(status, APIStatusError)
    body = response_text(response)
    message, error = _parse_error_body(body)
    if not message:
        message = body.strip()[:_MAX_BODY_IN_MESSAGE] or response.reason_phrase or "(empty body)"
    method, url = _request_line(response)
    return cls(message, response=response, body=body, error=error, method=method, url=url)


def response_text(response: httpx2.Response) -> str:
    """The response body as text, decoded leniently (declared charset, else UTF-8; bad bytes replaced)."""
    try:
        content = response.content
    except httpx2.ResponseNotRead:
        return ""
    return decode_body(content, response)


def decode_body(content: bytes, response: httpx2.Response) -> str:
    """``content``, the body of ``response``, decoded as ``response_text`` does."""
    encoding = "utf-8"
    try:
        declared = response.charset_encoding
        if declared:
            encoding = codecs.lookup(declared).name
    except LookupError:
        pass
    return content.decode(encoding, errors="replace")


def _parse_error_body(body: str) -> tuple[str | None, ErrorDetail | None]:
    if not body.lstrip().startswith("{"):
        return None, None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if isinstance(error, dict):
        from .error_detail import ErrorDetail

        detail = ErrorDetail(
            type=_str_or_none(error.get("type")),
            message=_str_or_none(error.get("message")),
            code=_str_or_none(error.get("code")),
            param=_str_or_none(error.get("param")),
            failures=error.get("failures"),
        )
        return _clip(detail.message), detail
    if isinstance(error, str):
        return _clip(error), None
    message = data.get("message")
    return _clip(message if isinstance(message, str) else None), None


def _str_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _clip(message: str | None) -> str | None:
    if message and len(message) > _MAX_SERVER_MESSAGE:
        return message[:_MAX_SERVER_MESSAGE] + "..."
    return message


def _request_id(headers: httpx2.Headers) -> str | None:
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


def _request_line(response: httpx2.Response) -> tuple[str, str]:
    try:
        request = response.request
    except RuntimeError:  # a response built by hand, without a request
        return "", ""
    return request.method, str(request.url)


def _one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        return " ".join(text.split())
    return text
