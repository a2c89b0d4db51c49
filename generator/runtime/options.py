"""Checks of the SDK's own options (client settings and per-call ``retries``, ``server_url``, ``timeout_ms``,
``http_headers``): a wrong one is a ``RequestValidationError`` naming it (also a ``TypeError`` / ``ValueError``),
raised before anything is sent, never a raw error from ``httpx2`` or ``h11`` once connected."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .errors import RequestValidationError
from .retries import RetryConfig

__all__ = ["checked_headers", "checked_max_bytes", "checked_retry_config", "checked_server_url", "checked_timeout"]

_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
"""The characters of a header name (RFC 9110 ``token``)."""
_CONTROL_CHARS = frozenset(chr(code) for code in [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F])
"""Characters a header value cannot carry (RFC 9110 ``field-value``: tab is allowed)."""
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
"""Headers whose value an error does not show (it is a credential)."""


def checked_timeout(timeout_ms: object, name: str = "timeout_ms") -> float:
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, (int, float)) or not 0 < timeout_ms < math.inf:
        raise RequestValidationError(name, "a number of milliseconds > 0", timeout_ms)
    return float(timeout_ms)


def checked_server_url(url: object) -> str:
    if not isinstance(url, str) or not url[:8].lower().startswith(("http://", "https://")):
        raise RequestValidationError("server_url", "an http:// or https:// URL", url)
    return url.rstrip("/")


def checked_retry_config(config: object, name: str) -> RetryConfig | None:
    """``config`` when it is a ``RetryConfig`` or ``None`` (the caller resolves ``DEFAULT`` first)."""
    if config is not None and not isinstance(config, RetryConfig):
        raise RequestValidationError(name, "a RetryConfig, or None for no retries", config)
    return config


def checked_max_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RequestValidationError("max_response_bytes", "a number of bytes > 0", value)
    return value


def checked_headers(headers: object) -> Mapping[str, str]:
    """``headers`` when it is a mapping of header names to values that can be sent as they are."""
    if not isinstance(headers, Mapping):
        raise RequestValidationError("http_headers", "a mapping of header names to values", headers)
    for name, value in headers.items():
        if not isinstance(name, str) or not name or not _TOKEN_CHARS.issuperset(name):
            raise RequestValidationError(
                "http_headers", "header names made of letters, digits and !#$%&'*+-.^_`|~", name
            )
        shown = _Hidden() if name.lower() in _SECRET_HEADERS else value
        if not isinstance(value, str):
            raise RequestValidationError(f"http_headers[{name!r}]", "a str", shown)
        if not _sendable_value(value):
            raise RequestValidationError(
                f"http_headers[{name!r}]",
                "a header value: Latin-1 text without control characters (CR, LF...) or surrounding whitespace",
                shown,
            )
    return headers


def _sendable_value(value: str) -> bool:
    """Whether h11 sends ``value`` as it is: Latin-1, no control characters, no whitespace at either end."""
    if value != value.strip(" \t") or _CONTROL_CHARS.intersection(value):
        return False
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class _Hidden:
    """Stands for a credential in an error: its repr says it is not shown."""

    def __repr__(self) -> str:
        return "<hidden>"
