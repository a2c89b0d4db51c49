"""Checks of the SDK's own options (client settings and per-call ``retries``, ``server_url``, ``timeout_ms``,
``http_headers``): a wrong one is a ``RequestValidationError`` naming it (also a ``TypeError`` / ``ValueError``),
raised before anything is sent, never a raw error from ``httpx2`` or ``h11`` once connected."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .errors import RequestValidationError
from .retries import RetryConfig

__all__ = ["checked_headers", "checked_max_bytes", "checked_retry_config", "checked_server_url", "checked_timeout"]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""A header name (RFC 9110 ``token``)."""
_FIELD_VALUE = re.compile(r"(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?")
"""A header value h11 sends as it is (RFC 9110 ``field-value``): Latin-1 without control characters, no
whitespace at either end."""
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
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise RequestValidationError(
                "http_headers", "header names made of letters, digits and !#$%&'*+-.^_`|~", name
            )
        shown = _Hidden() if name.lower() in _SECRET_HEADERS else value
        if not isinstance(value, str):
            raise RequestValidationError(f"http_headers[{name!r}]", "a str", shown)
        if not _FIELD_VALUE.fullmatch(value):
            raise RequestValidationError(
                f"http_headers[{name!r}]",
                "a header value: Latin-1 text without control characters (CR, LF...) or surrounding whitespace",
                shown,
            )
    return headers


class _Hidden:
    """Stands for a credential in an error: its repr says it is not shown."""

    def __repr__(self) -> str:
        return "<hidden>"
