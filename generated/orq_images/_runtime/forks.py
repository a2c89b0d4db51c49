"""``after_fork_in_child``: work a forked child does first, registered without keeping any module alive.

``os.register_at_fork`` keeps its callables until the interpreter itself is cleared, out of reach of the garbage
collector. A module's function registered there keeps that module's globals alive, and through them every module it
imports: at exit, the package, ``httpx2`` and ``attrs`` (some 90 modules) then outlive the collection that frees
modules, and are wiped one by one afterwards (measured: about 4 ms more for the exit of every process that made a
client, on a 2-core machine). Hooks are therefore held here by weak reference, and the one function registered with
``os`` is this module's, whose globals hold nothing but ``os``, ``weakref`` and those references.
"""

from __future__ import annotations

import os
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["after_fork_in_child"]

_hooks: list[weakref.ref[Callable[[], None]]] = []


def after_fork_in_child(hook: Callable[[], None]) -> None:
    """Call ``hook`` in the child after every ``os.fork()`` (nothing on Windows, which has no fork).

    ``hook`` is a function of a module (alive while its module is): it is held by weak reference, so that the
    module can be freed with the others at exit."""
    _hooks.append(weakref.ref(hook))


def _run_hooks() -> None:
    """Call every hook still alive, in the order they were registered; the first error, if any, once all ran."""
    failure: BaseException | None = None
    for ref in list(_hooks):
        hook = ref()
        if hook is None:
            continue
        try:
            hook()
        except BaseException as exc:  # the others must still run: each repairs its own module's state
            failure = failure or exc
    if failure is not None:
        raise failure


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_run_hooks)
