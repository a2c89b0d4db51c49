"""``forks``: hooks run in a forked child, held by weak reference (so their modules can be freed at exit)."""

from __future__ import annotations

import gc
import os
import weakref
from collections.abc import Callable, Iterator

import pytest
from orq_images._runtime import forks

Hooks = list[weakref.ref[Callable[[], None]]]


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    """The registry, emptied for the test and restored after it (the package's own hooks are in it)."""
    saved = list(forks._hooks)
    forks._hooks.clear()
    yield forks._hooks
    forks._hooks[:] = saved


def test_hooks_run_in_order_and_a_failing_one_does_not_stop_the_others(hooks: Hooks) -> None:
    ran: list[str] = []

    def first() -> None:
        ran.append("first")
        raise RuntimeError("first failed")

    def second() -> None:
        ran.append("second")
        raise ValueError("second failed")

    def third() -> None:
        ran.append("third")

    for hook in (first, second, third):
        forks.after_fork_in_child(hook)

    with pytest.raises(RuntimeError, match="first failed"):
        forks._run_hooks()
    assert ran == ["first", "second", "third"]


def test_a_hook_is_held_weakly(hooks: Hooks) -> None:
    ran: list[str] = []

    def hook() -> None:
        ran.append("ran")

    forks.after_fork_in_child(hook)
    (ref,) = hooks
    del hook
    gc.collect()

    assert ref() is None
    forks._run_hooks()  # a dead hook is skipped
    assert ran == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_the_package_hooks_run_in_a_forked_child() -> None:
    from orq_images._runtime import logmask

    lock = logmask._recent_lock
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        os._exit(0 if logmask._recent_lock is not lock else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0  # the lock another thread may have held was made anew
    assert logmask._recent_lock is lock  # the parent's is left alone
