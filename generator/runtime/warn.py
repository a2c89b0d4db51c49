"""Warnings that point at the user's line, not at the library's internals: deprecations, and
``ResponseShapeWarning`` for a part of an answer that was dropped because it did not fit the description."""

from __future__ import annotations

import os
import sys
import warnings

import attrs

__all__ = [
    "ResponseShapeWarning",
    "deprecation_message",
    "warn_deprecated",
    "warn_response_shape",
]

# Frames in these places are ours (or attrs' machinery running our hooks): a warning is never attributed to them.
_PACKAGE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "")
_ATTRS_DIR = os.path.join(os.path.dirname(os.path.abspath(attrs.__file__)), "")
_ATTR_DIR = os.path.join(os.path.dirname(_ATTRS_DIR.rstrip(os.sep)), "attr", "")
_GENERATED_CODE_PREFIX = "<attrs generated"


class ResponseShapeWarning(UserWarning):
    """A 2xx answer departed from the API description inside an optional part, which was left out of the result
    (the images were kept). ``path`` names the part (``usage``), ``reason`` says what was wrong with it
    (``usage.input_tokens_details: required key missing``). ``Orq(strict_responses=True)`` raises
    ``ResponseValidationError`` instead. Silence it with ``warnings.filterwarnings("ignore",
    category=ResponseShapeWarning)``; make it an error with ``"error"``."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} was left out of the result: it does not match the API description ({reason})")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return type(self), (self.path, self.reason)


def warn_response_shape(path: str, reason: str) -> None:
    """Emit a ``ResponseShapeWarning`` attributed to the first calling frame outside ``orq_images``."""
    warnings.warn(ResponseShapeWarning(path, reason), stacklevel=_user_stacklevel())


def deprecation_message(name: str, replaced_by: str | None = None) -> str:
    """The one wording of a deprecation, for generated models and the validator alike:
    "`orq.contact` is deprecated; use `orq.identity` instead."."""
    if replaced_by:
        return f"`{name}` is deprecated; use `{replaced_by}` instead."
    return f"`{name}` is deprecated."


def warn_deprecated(message: str) -> None:
    """Emit ``DeprecationWarning(message)`` attributed to the first calling frame outside ``orq_images``."""
    warnings.warn(message, DeprecationWarning, stacklevel=_user_stacklevel())


def _user_stacklevel() -> int:
    """The ``stacklevel`` for ``warnings.warn`` called from a ``warn_*`` function here that names the user's frame."""
    frame = sys._getframe(1)  # the frame of warn_deprecated: stacklevel 1
    level = 1
    while frame.f_back is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level


def _is_internal(filename: str) -> bool:
    return (
        filename.startswith(_PACKAGE_DIR)
        or filename.startswith(_ATTRS_DIR)
        or filename.startswith(_ATTR_DIR)
        or filename.startswith(_GENERATED_CODE_PREFIX)
    )
