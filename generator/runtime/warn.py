"""Deprecation warnings that point at the user's line, not at the library's internals."""

from __future__ import annotations

import os
import sys
import warnings

import attrs

__all__ = ["deprecation_message", "warn_deprecated"]

# Frames in these places are ours (or attrs' machinery running our hooks): a warning is never attributed to them.
_PACKAGE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "")
_ATTRS_DIR = os.path.join(os.path.dirname(os.path.abspath(attrs.__file__)), "")
_ATTR_DIR = os.path.join(os.path.dirname(_ATTRS_DIR.rstrip(os.sep)), "attr", "")
_GENERATED_CODE_PREFIX = "<attrs generated"


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
    """The ``stacklevel`` for ``warnings.warn`` called from ``warn_deprecated`` that names the user's frame."""
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
