"""Shared types of the generated models: `UNSET`, and `File` for file properties."""

from typing import TYPE_CHECKING, Any

from ._runtime.unset import UNSET, Unset

if TYPE_CHECKING:
    from ._runtime.uploads import File, FileTypes


def __getattr__(name: str) -> Any:
    if name in ("File", "FileTypes"):
        from ._runtime import uploads

        return getattr(uploads, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["UNSET", "File", "FileTypes", "Unset"]
