"""Logging of API calls on the ``orq_images`` logger: one line per attempt, and the request body at DEBUG.

Switched on with the standard ``logging`` configuration (``logging.getLogger("orq_images").setLevel("INFO")``) or,
for a quick look, with the ``ORQ_LOG`` environment variable (``info`` or ``debug``), read when a client is
created: it sets the logger's level and, unless logging is configured already (a handler on the logger or the
root logger), adds a handler writing to stderr.

At INFO each attempt gives a line with the method, path, status, elapsed time, attempt number and the server's
request id (``x-request-id``)::

    POST /v2/router/images/generations 200 in 1.204 s (attempt 1, request id req_01HZX...)

At DEBUG a second line shows the request body, with image data and other long strings shortened by
``reprs.short_repr``. Headers are never logged, so the API key (in ``Authorization``) never appears.
"""

from __future__ import annotations

import json
import logging
import os
import sys

import httpx2

from .redaction import mask
from .reprs import short_repr

__all__ = ["LOGGER_NAME", "configure_from_environment", "log_attempt"]

LOGGER_NAME = "orq_images"
ENVIRONMENT_VARIABLE = "ORQ_LOG"
_LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"

logger = logging.getLogger(LOGGER_NAME)


def configure_from_environment() -> None:
    """Apply ``ORQ_LOG`` (``info`` or ``debug``, any case; other values are ignored) to the ``orq_images`` logger."""
    level = _LEVELS.get(os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if not logger.hasHandlers():  # with a logging configuration already (a root handler), lines would show twice
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)


def log_attempt(request: httpx2.Request, response: httpx2.Response, attempt: int) -> None:
    """Log one attempt that got an answer (``response``, already read and closed); ``attempt`` counts from 0.

    Costs one ``isEnabledFor`` check when logging is off.
    """
    if not logger.isEnabledFor(logging.INFO):
        return
    try:
        elapsed = f"{response.elapsed.total_seconds():.3f} s"
    except RuntimeError:  # the response was not closed: httpx2 has not measured it
        elapsed = "? s"
    # A server may echo what it was sent (in its request id, say): the key is masked in whatever is logged.
    key = request.headers.get("authorization", "").removeprefix("Bearer ")
    logger.info(
        "%s %s %d in %s (attempt %d, request id %s)",
        request.method,
        request.url.path,
        response.status_code,
        elapsed,
        attempt + 1,
        mask(response.headers.get("x-request-id", "-"), key),
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s %s request body: %s", request.method, request.url.path, mask(_body_text(request), key))


def _body_text(request: httpx2.Request) -> str:
    try:
        content = request.content
    except httpx2.RequestNotRead:  # a streamed upload: its parts were never held
        return f"(streamed, {request.headers.get('content-type', 'unknown type')})"
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        try:
            return short_repr(json.loads(content))
        except ValueError:
            pass
    return f"({len(content)} bytes of {media_type or 'unknown type'})"
