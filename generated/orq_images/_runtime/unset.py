"""The markers of arguments: ``UNSET`` ("not given", distinct from ``None``, which the API may take as null) and
``DEFAULT`` ("the client's setting", for the SDK's own options such as ``retries``).

Defined here, once, so that the runtime recognises them by identity (``UNSET`` is re-exported by
``orq_images.types``, where the generated models import it from; ``DEFAULT`` lives here rather than in ``transport``
so that ``sdk`` can use it without loading the transport at ``import orq_images``). ``without_unset`` builds a
request body from all of a call's arguments in one step, the way openai-python strips its ``NotGiven`` values.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from typing import Final, Literal

__all__ = ["DEFAULT", "UNSET", "DefaultType", "Unset", "without_unset"]


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


class DefaultType(enum.Enum):
    """Type of ``DEFAULT``, the "use the client's setting" marker for per-call arguments."""

    DEFAULT = "DEFAULT"

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final = DefaultType.DEFAULT


def without_unset(arguments: Mapping[str, object], omitted_when_none: Collection[str] = ()) -> dict[str, object]:
    """``arguments`` without the values the caller did not give: ``UNSET``, and ``None`` for the names in
    ``omitted_when_none`` (arguments that cannot be null, where ``None`` is the "not given" default)."""
    return {
        name: value
        for name, value in arguments.items()
        if value is not UNSET and (value is not None or name not in omitted_when_none)
    }
