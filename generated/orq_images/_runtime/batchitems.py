"""A batch's items: checking each argument dict against the operation's keywords (``ItemArguments``), and where
its images go (``Targets``, the batch's ``save_to``).

``inspect`` and ``string`` are imported when a batch starts, not by ``import orq_images``.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Callable, Mapping
from typing import Any

from .errors import RequestValidationError

__all__ = ["BatchSaveTo", "ItemArguments", "Targets", "image_count", "image_paths"]

BatchSaveTo = (
    str
    | os.PathLike[str]
    | Callable[[int], str | os.PathLike[str]]
    | Callable[[int, Mapping[str, Any]], str | os.PathLike[str]]
)
"""Where a batch writes item ``i``'s images: a format string with ``{i}`` (``"out/{i:05}.png"``), or a function of
``i`` (or of ``i`` and the item's dict) returning the path. Image 0 of the item goes there, image ``j`` beside it as
``<stem>-j<suffix>`` (as ``save_to=`` of a single call). Missing directories are created."""

_MAX_REMEMBERED_DIRECTORIES = 1024


class Targets:
    """The batch's ``save_to``: the path of item ``i``'s first image, its directory made, and no path twice.

    A pattern with ``{i}`` gives every item its own path; the paths a function returns are remembered (about 100
    bytes an item) so that two items never write one file.
    """

    def __init__(self, save_to: BatchSaveTo) -> None:
        self._takes_item = False
        self._seen: set[str] | None = None
        if callable(save_to):
            self._function: Callable[..., str | os.PathLike[str]] | None = save_to
            self._takes_item = _positional_arity(save_to) >= 2
            self._pattern = ""
            self._seen = set()
        elif isinstance(save_to, (str, os.PathLike)) and "i" in _format_fields(os.fspath(save_to)):
            self._function = None
            self._pattern = os.fspath(save_to)
        else:
            raise RequestValidationError(
                "save_to",
                'a path pattern with {i} (like "out/{i:05}.png"), or a function of the item index returning a path',
                save_to,
            )
        self._made_dirs: set[pathlib.Path] = set()

    def path(self, index: int, item: Mapping[str, Any]) -> pathlib.Path:
        """Item ``index``'s path; ``RequestValidationError`` when an earlier item already has it."""
        if self._function is None:
            return pathlib.Path(self._pattern.format(i=index))
        path = pathlib.Path(self._function(index, item) if self._takes_item else self._function(index))
        if self._seen is not None:
            key = os.fspath(path.absolute())
            if key in self._seen:
                raise RequestValidationError("save_to", "a different path for every item", os.fspath(path))
            self._seen.add(key)
        return path

    def ensure_directory(self, path: pathlib.Path) -> None:
        parent = path.parent
        if parent not in self._made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            if len(self._made_dirs) < _MAX_REMEMBERED_DIRECTORIES:
                self._made_dirs.add(parent)


def image_count(arguments: Mapping[str, Any]) -> int:
    """How many images an item asks for (``n``, 1 when unset)."""
    n = arguments.get("n")
    return n if isinstance(n, int) and not isinstance(n, bool) and n > 1 else 1


def image_paths(path: pathlib.Path, count: int) -> tuple[pathlib.Path, ...]:
    """The files of an item's ``count`` images when image 0 goes to ``path`` (the rule of ``ImageFiles``)."""
    return (path, *(path.with_stem(f"{path.stem}-{j}") for j in range(1, count)))


class ItemArguments:
    """Checks an item's keys against ``create``'s keywords, so a typo is the item's ``RequestValidationError``
    (not a ``TypeError`` from the call) and a missing required argument is named."""

    def __init__(self, create_async: Callable[..., object], managed: frozenset[str]) -> None:
        import inspect

        parameters = inspect.signature(create_async).parameters.values()
        self._names = frozenset(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)
        self._required = tuple(p.name for p in parameters if p.default is inspect.Parameter.empty)
        self._managed = managed

    def check(self, item: object) -> Mapping[str, Any]:
        if not isinstance(item, Mapping):
            raise RequestValidationError("", "a dict of create()'s arguments", item)
        for name, value in item.items():
            if name in self._managed:
                raise RequestValidationError(name, "the batch's own option, not a key of an item", value)
            if name not in self._names:
                raise RequestValidationError(name, "one of create()'s arguments", value)
        for name in self._required:
            if name not in item:
                raise RequestValidationError(name, "a value (required)", None)
        return item


def _format_fields(pattern: str) -> set[str]:
    import string

    try:
        return {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
    except ValueError:
        return set()


def _positional_arity(function: Callable[..., object]) -> int:
    """How many positional arguments ``function`` takes (2 for ``*args``; 1 when it cannot be told)."""
    import inspect

    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return 2
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in kinds)
