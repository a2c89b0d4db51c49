"""Keeping the API key in the ``Authorization`` header and nowhere else.

- ``checked_api_key`` refuses, before anything is sent, a key that a header cannot carry as it is (surrounding
  whitespace, control characters, non-ASCII): ``h11`` would refuse it while sending, in an error quoting it.
- ``scrub`` masks a key the server echoed (in the message, body, parsed detail, headers and response of an
  ``APIError``), drops the request headers from every ``httpx2`` error in its chain, and cuts the chain before any
  exception that still mentions the key. Pickles, ``traceback.format_exception`` and ``logging.exception`` then
  show nothing more than the error itself does.
- ``KeyMask``, a logging filter on ``httpcore2``'s loggers, masks echoes in their DEBUG lines (``logmask``: a
  module of its own, as the loggers keep it until the interpreter ends; re-exported here).
"""

from __future__ import annotations

from typing import Any

import attrs
import httpx2

from .errors import APIError, OrqError
from .logmask import MASK, SHORTEST_MASKED, KeyMask, remember

__all__ = ["MASK", "KeyMask", "checked_api_key", "mask", "remember", "scrub"]


def checked_api_key(key: str) -> str:
    """``key`` when an HTTP header can carry it unchanged; else ``OrqError`` with a message that does not show it."""
    if key != key.strip():
        raise OrqError("the API key starts or ends with whitespace; remove it (the key is not shown here)")
    if not (key.isascii() and key.isprintable()):
        raise OrqError(
            "the API key contains characters that cannot be sent in an HTTP header "
            "(control or non-ASCII characters; the key is not shown here)"
        )
    return key


def mask(text: str, key: str) -> str:
    return text.replace(key, MASK) if len(key) >= SHORTEST_MASKED and key in text else text


# -- exceptions ------------------------------------------------------------------------------------------------------


def scrub(error: APIError, key: str) -> APIError:
    """``error`` with every trace of ``key`` removed (see the module docstring); returns ``error``."""
    if len(key) >= SHORTEST_MASKED:
        _mask_fields(error, key)
    _scrub_chain(error, key)
    return error


def _mask_fields(error: APIError, key: str) -> None:
    """Mask ``key`` in every attribute of ``error``: strings (message, body, detail, request id...), the parsed
    ``ErrorDetail``, headers, and the response (replaced by a masked copy: the object the transport returned, which
    event hooks or a recording transport may hold, is left as it was)."""
    if key in error.message:
        error.message = mask(error.message, key)
        error.args = (error.message,)
    for name, value in list(vars(error).items()):
        if isinstance(value, str):
            setattr(error, name, mask(value, key))
        elif isinstance(value, httpx2.Headers):
            setattr(error, name, masked_headers(value, key))
        elif isinstance(value, httpx2.Response):
            setattr(error, name, _masked_response(value, key))
        elif attrs.has(type(value)):  # the parsed ErrorDetail (not imported here: it loads with the first one)
            setattr(error, name, _masked_record(value, key))


def masked_headers(headers: httpx2.Headers, key: str) -> httpx2.Headers:
    """``headers`` itself when no value holds ``key``, else a copy with it masked."""
    if not any(key in value for value in headers.values()):
        return headers
    return httpx2.Headers([(name, mask(value, key)) for name, value in headers.multi_items()])


def _masked_record(record: Any, key: str) -> Any:
    """``record`` (an attrs instance) itself when no string field holds ``key``, else a copy with it masked."""
    values = {field.alias: getattr(record, field.name) for field in attrs.fields(type(record)) if field.init}
    masked = {name: mask(value, key) for name, value in values.items() if isinstance(value, str) and key in value}
    return attrs.evolve(record, **masked) if masked else record


def _masked_response(response: httpx2.Response, key: str) -> httpx2.Response:
    """``response`` itself when neither its headers nor its (read) body hold ``key``, else a masked copy."""
    content = getattr(response, "_content", b"")  # the body the SDK read, if it read it
    secret = key.encode()
    headers = masked_headers(response.headers, key)
    if headers is response.headers and secret not in content:
        return response
    extensions = {name: value for name, value in response.extensions.items() if name != "network_stream"}
    copy = httpx2.Response(response.status_code, headers=headers, request=response.request, extensions=extensions)
    copy._content = content.replace(secret, MASK.encode())
    return copy


def _scrub_chain(exc: BaseException, key: str, seen: set[int] | None = None) -> None:
    """Walk ``__cause__`` / ``__context__`` from ``exc``: forget the request of each ``httpx2`` error (its headers
    hold the key), and cut the chain before an exception that still mentions the key."""
    seen = set() if seen is None else seen
    seen.add(id(exc))
    for name in ("__cause__", "__context__"):
        linked = getattr(exc, name)
        if linked is None or id(linked) in seen:
            continue
        _forget_request(linked)
        if _mentions(linked, key):
            setattr(exc, name, None)
        else:
            _scrub_chain(linked, key, seen)


def _forget_request(exc: BaseException) -> None:
    if isinstance(exc, httpx2.RequestError):
        try:
            request = exc.request
        except RuntimeError:  # raised without a request
            return
        if "authorization" in request.headers:
            exc.request = httpx2.Request(request.method, request.url)


def _mentions(exc: BaseException, key: str) -> bool:
    if len(key) < SHORTEST_MASKED:
        return False
    try:
        texts = [str(exc), repr(exc), *(repr(arg) for arg in exc.args)]
        texts += [repr(value) for value in vars(exc).values()] if hasattr(exc, "__dict__") else []
    except Exception:  # an exception that cannot describe itself is not kept either
        return True
    return any(key in text for text in texts)
