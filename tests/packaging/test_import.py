"""What `import orq_images` costs, pinned (issue 11: import <= 1.1x `import httpx2, attrs`, measured by `make bench`).

- It loads `httpx2` and the six modules the public names need at once: not even `attrs` (nor `platform`), which
  the call machinery and the models load; the call machinery loads with `Orq()`, the rest with its first use. A
  module that comes back at import time fails here: add it to `IMPORTED` only knowing its cost.
- Every public name still resolves, lazily, from the package and from `orq_images.errors`.
- At exit nothing of the package (nor of `httpx2` or `attrs`, through it) is left alive after the collection that
  frees modules: a function of ours held by a registry that lives until the interpreter ends (`os.register_at_fork`,
  a filter on a logger) kept some 90 modules alive into the slower teardown that follows (~4-6 ms per process).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orq_images
import orq_images.errors

ROOT = Path(__file__).resolve().parents[2]

IMPORTED = {
    "orq_images",
    "orq_images._runtime",
    "orq_images._runtime.errors",
    "orq_images._runtime.unset",
    "orq_images._version",
    "orq_images.sdk",
}
"""The modules `import orq_images` loads beyond those of `import httpx2`."""

LOADED_BY_ORQ = {
    "orq_images._runtime.transport",
    "orq_images._runtime.retries",
    "orq_images._runtime.bodies",
    "orq_images._runtime.deadline",
    "orq_images._runtime.redaction",
    "orq_images._runtime.options",
    "orq_images._runtime.logs",
}
"""Modules that load with `Orq()` (and are not loaded by `import orq_images`)."""

LOADED_WITH_FIRST_USE = {
    "ErrorDetail": "orq_images._runtime.error_detail",
    "RetryConfig": "orq_images._runtime.retries",
    "DEFAULT_CONCURRENCY": "orq_images._runtime.pacing",
    "ResponseShapeWarning": "orq_images._runtime.warn",
    "aiohttp_client": "orq_images._runtime.clients",
}
"""Public names of the package whose module loads when the name is first used."""


def _run(script: str, *flags: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *flags, "-c", script], cwd=ROOT / "generated", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done


def _modules_after(script: str) -> set[str]:
    """The modules `script` adds to those `import httpx2` loads, in a fresh process."""
    out = _run(
        "import json, sys\nimport httpx2\nbefore = set(sys.modules)\n"
        f"{script}\nprint(json.dumps(sorted(set(sys.modules) - before)))"
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_loads_only_the_modules_the_public_names_need_at_once() -> None:
    loaded = _modules_after("import orq_images")

    assert loaded == IMPORTED  # nothing else: not attrs, nor a module of the standard library httpx2 does not load


def test_orq_loads_the_call_machinery_and_each_lazy_name_its_module() -> None:
    loaded = _modules_after("import orq_images\norq_images.Orq(api_key='test-key')")
    assert LOADED_BY_ORQ - loaded == set()
    for name, module in LOADED_WITH_FIRST_USE.items():
        assert module in _modules_after(f"import orq_images\norq_images.{name}"), name


def test_every_public_name_resolves_from_the_package() -> None:
    from orq_images import ErrorDetail, RetryConfig, aiohttp_client  # what a user writes
    from orq_images._runtime import clients, error_detail, retries

    assert [name for name in orq_images.__all__ if getattr(orq_images, name, None) is None] == []
    assert (ErrorDetail, RetryConfig, aiohttp_client) == (
        error_detail.ErrorDetail,
        retries.RetryConfig,
        clients.aiohttp_client,
    )
    assert orq_images.errors.ErrorDetail is ErrorDetail
    assert orq_images._runtime.errors.ErrorDetail is ErrorDetail  # where a pickle of 1.x looks for it


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    for module in (orq_images, orq_images.errors, orq_images._runtime.errors):
        try:
            module.NoSuchName  # noqa: B018
        except AttributeError as exc:
            assert "NoSuchName" in str(exc)
        else:
            raise AssertionError(f"{module.__name__}.NoSuchName resolved")


_CALLS = """
from orq_images import APIStatusError
from orq_images.testing import FakeRouter

router = FakeRouter()
with router.orq() as orq:
    orq.router.images.generations.create(prompt="a fox", model="openai/gpt-image-1")
    router.fail("generations", 400, message="bad prompt")
    try:
        orq.router.images.generations.create(prompt="a fox", model="openai/gpt-image-1")
    except APIStatusError as exc:
        assert exc.error is not None and exc.error.message == "bad prompt"
"""


def _left_for_the_late_teardown(script: str) -> list[str]:
    """The modules of the package and of its dependencies still alive after the exit's module collection: CPython
    (3.11-3.13) wipes them one by one afterwards, and `-v` names them (`# cleanup[3] wiping NAME`)."""
    stderr = _run(script, "-v").stderr
    wiped = [line.rpartition(" ")[2] for line in stderr.splitlines() if line.startswith("# cleanup[3] wiping ")]
    assert wiped, "no teardown lines: did CPython change what -v prints at exit?"
    return [name for name in wiped if name.partition(".")[0] in {"orq_images", "httpx2", "httpcore2", "attr", "attrs"}]


def test_at_exit_nothing_of_the_package_outlives_the_collection_of_modules() -> None:
    assert _left_for_the_late_teardown("import orq_images") == []
    assert _left_for_the_late_teardown(_CALLS) == []  # after calls: fork hooks and the logging filter registered
