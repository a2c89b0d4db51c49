"""``ErrorDetail``: the ``error`` object of an API error body, parsed (``APIStatusError.error``).

A module of its own, loaded with the first error body that has one (or when the name is first used): attrs compiles
a class's methods when the class is made, which would cost every ``import orq_images`` about 0.7 ms.
"""

from __future__ import annotations

import attrs

__all__ = ["ErrorDetail"]


@attrs.frozen
class ErrorDetail:
    """The ``error`` object of an API error body: ``{"error": {"type", "message", "code", "param", "failures"}}``."""

    type: str | None = None
    message: str | None = None
    code: str | None = None
    param: str | None = None
    failures: object = None
