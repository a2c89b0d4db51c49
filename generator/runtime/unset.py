"""``UNSET``: the "argument not given" marker, distinct from ``None`` (which the API may take as null).

Defined here, once, and re-exported by ``orq_images.types`` (where the generated models import it from), so the
runtime can recognise it by identity. ``without_unset`` builds a request body from all of a call's arguments in
one step, the way openai-python strips its ``NotGiven`` values.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final, Literal

__all__ = ["UNSET", "Unset", "without_unset"]


class Unset:
    """Type of ``UNSET``. Falsy, so ``if value:`` treats it like an empty value."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"  # pickles as the module-level singleton


UNSET: Final[Unset] = Unset()


def without_unset(arguments: Mapping[str, object], omitted_when_none: Collection[str] = ()) -> dict[str, object]:
    """``arguments`` without the values the caller did not give: ``UNSET``, and ``None`` for the names in
    ``omitted_when_none`` (arguments that cannot be null, where ``None`` is the "not given" default)."""
    return {
        name: value
        for name, value in arguments.items()
        if value is not UNSET and (value is not None or name not in omitted_when_none)
    }
