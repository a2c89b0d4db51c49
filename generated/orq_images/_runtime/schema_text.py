"""The wording of validation messages: how a path, an expectation and a count read (one source for each phrase).

Nothing here knows a schema or walks a value; ``validation`` and ``schema_plans`` ask for the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from .validation import SchemaMismatch

__all__ = [
    "CYCLIC",
    "JSON_VALUE",
    "MISSING",
    "REQUIRED",
    "UNENCODABLE",
    "UNENCODABLE_KEY",
    "Path",
    "count_text",
    "depth_of",
    "one_of",
    "path_text",
    "union_text",
    "unknown_key_text",
]

Path: TypeAlias = "str | tuple[Path, str | int]"
"""Where a value sits: the root path (text), or ``(parent, key)`` for a property name or an array index."""

JSON_VALUE = "a JSON value (str, int, float, bool, None, list or dict)"
REQUIRED = "a value (required key)"
CYCLIC = "a value without cycles (this one contains itself)"
UNENCODABLE = "a string that can be encoded as UTF-8 (this one has a lone surrogate such as '\\ud800')"
UNENCODABLE_KEY = "a key that can be encoded as UTF-8 (this one has a lone surrogate such as '\\ud800')"


class _Missing:
    """Stands for an absent required key in error reports; its repr is ``nothing``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "nothing"


MISSING = _Missing()


def path_text(path: Path) -> str:
    """``path`` as text: ``orq.load_balancer.models[0]``, ``metadata['a b']``, ``[2]`` (an index at the root)."""
    keys: list[str | int] = []
    while isinstance(path, tuple):
        path, key = path
        keys.append(key)
    text = path
    for key in reversed(keys):
        if isinstance(key, int):
            text = f"{text}[{key}]"
        elif not key.isidentifier():
            text = f"{text}[{key!r}]"
        else:
            text = f"{text}.{key}" if text else key
    return text


def depth_of(path: str) -> int:
    """How many keys and indices deep ``path`` is (``orq.models[0]`` is 3 deep)."""
    return path.count(".") + path.count("[") + (1 if path[:1] not in ("", "[") else 0)


def one_of(choices: Sequence[object]) -> str:
    return "one of " + ", ".join(repr(choice) for choice in choices)


def count_text(low: int | None, high: int | None, noun: str) -> str:
    if low is not None and high is not None:
        return f"{low} to {high} {noun}s"
    if low is not None:
        return f"at least {low} {noun}{'' if low == 1 else 's'}"
    return f"at most {high} {noun}{'' if high == 1 else 's'}"


def unknown_key_text(key: str, allowed: Sequence[str]) -> str:
    from difflib import get_close_matches  # only for this error message: difflib is slow to import

    guess = get_close_matches(key, list(allowed), n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    return f"no unknown keys (allowed: {', '.join(allowed) or 'none'}{hint})"


def union_text(failures: list[SchemaMismatch], path: Path, names: list[str]) -> str:
    """What a union expected: the branches' own expectations when all of them failed on the value itself
    (``one of 'low', 'auto' or null``), else the branch names (``one of Identity, PublicContact``)."""
    text = path_text(path)
    if all(failure.path == text for failure in failures):
        return " or ".join(dict.fromkeys(failure.expected for failure in failures))
    return f"one of {', '.join(names)}"
