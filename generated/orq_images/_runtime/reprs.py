"""Compact ``repr`` helpers.

Generated image responses carry base64 strings of tens of megabytes; printing one in a log line, a traceback or
the REPL must not dump all of it. ``short_repr`` behaves like ``repr`` but abbreviates long strings (and long
containers), and ``model_repr`` renders attrs model instances with it.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import attrs

__all__ = ["clipped_repr", "is_unset", "model_repr", "short_repr"]

_SHOWN_CHARS = 24  # characters kept from the start of an abbreviated string
_MAX_ITEMS = 20  # container items shown before the rest is summarised
_MAX_DEPTH = 8  # containers nested deeper are shown as "..." (a 1000-deep value must not exhaust the stack)


def is_unset(value: object) -> bool:
    """Whether ``value`` is the generated code's ``UNSET`` sentinel (recognised by its class name ``Unset``)."""
    return type(value).__name__ == "Unset"


def short_repr(value: object, limit: int = 64) -> str:
    """Return ``repr(value)``, abbreviating every ``str``/``bytes`` longer than ``limit``.

    An abbreviated string keeps its first characters and states its length::

        'iVBORw0KGgoAAAANSUhEUgAA...' (27962028 chars)

    Lists, tuples, dicts and attrs instances are rendered recursively (showing at most 20 items each, 8 levels
    deep); self-referencing containers are shown as ``...``.
    """
    return _short(value, limit, set())


def clipped_repr(value: object, width: int = 80) -> str:
    """``short_repr(value)`` cut to ``width`` characters (ending in ``...``): how an error message shows a value."""
    shown = short_repr(value)
    return shown if len(shown) <= width else shown[: width - 3] + "..."


def model_repr(obj: object) -> str:
    """Render an attrs instance as ``ClassName(field=..., ...)`` using ``short_repr`` for every field.

    Fields holding the ``UNSET`` sentinel are left out, as is ``additional_properties`` when it is empty; an
    image's ``saved_to`` (not a field) is shown when it is set.
    Objects that are not attrs instances get their plain ``repr``.
    """
    return _model(obj, 64, set())


def _short(value: object, limit: int, seen: set[int]) -> str:
    kind = type(value)
    if kind is str or kind is bytes:
        text: Any = value
        if len(text) <= limit:
            return repr(text)
        head = repr(text[: min(_SHOWN_CHARS, limit)])
        unit = "chars" if kind is str else "bytes"
        return f"{head[:-1]}...{head[-1]} ({len(text)} {unit})"
    if kind is list or kind is tuple or kind is dict or attrs.has(kind):
        if id(value) in seen or len(seen) >= _MAX_DEPTH:
            return "..."
        seen.add(id(value))
        try:
            if isinstance(value, dict):
                items = [
                    f"{_short(k, limit, seen)}: {_short(v, limit, seen)}" for k, v in islice(value.items(), _MAX_ITEMS)
                ]
                return "{" + _join(items, len(value)) + "}"
            if isinstance(value, (list, tuple)):
                items = [_short(v, limit, seen) for v in islice(value, _MAX_ITEMS)]
                if kind is tuple and len(value) == 1:
                    return f"({items[0]},)"
                text = _join(items, len(value))
                return f"[{text}]" if kind is list else f"({text})"
            return _model(value, limit, seen)
        finally:
            seen.discard(id(value))
    return repr(value)


def _model(obj: object, limit: int, seen: set[int]) -> str:
    cls = type(obj)
    if not attrs.has(cls):
        return repr(obj)
    seen.add(id(obj))
    try:
        parts = []
        for field in attrs.fields(cls):
            if not field.repr:
                continue
            value = getattr(obj, field.name, None)
            if is_unset(value) or (field.name == "additional_properties" and not value):
                continue
            parts.append(f"{field.name}={_short(value, limit, seen)}")
        saved_to = getattr(obj, "saved_to", None)  # ImageMixin: where save_to= wrote the image
        if saved_to is not None:
            parts.append(f"saved_to={saved_to!r}")
        return f"{cls.__name__}({', '.join(parts)})"
    finally:
        seen.discard(id(obj))


def _join(items: list[str], total: int) -> str:
    text = ", ".join(items)
    if total > len(items):
        text += f", ... ({total} items)"
    return text
