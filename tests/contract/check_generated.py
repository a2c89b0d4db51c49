"""Run the contract checks (replay + openapi-core validation) against whichever ``orq_images`` is importable.

    PYTHONPATH=<generated tree> python -m tests.contract.check_generated --spec <tree>/openapi.effective.yaml

Used by the mutation test on a package generated from a deliberately broken spec. Prints the package it
checked, then one ``FAIL <fixture>: <check>: <problem>`` line per problem; exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.contract import harness


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.contract.check_generated")
    parser.add_argument("--spec", type=Path, default=harness.EFFECTIVE_SPEC, help="effective OpenAPI document")
    parser.add_argument("--fixtures", type=Path, default=harness.FIXTURES_DIR)
    args = parser.parse_args(argv)

    import orq_images

    print(f"package: {Path(orq_images.__file__).parent}")
    spec: Path = args.spec

    def request_valid(fixture: dict[str, Any]) -> list[str]:
        return harness.request_problems(fixture, spec)

    def response_valid(fixture: dict[str, Any]) -> list[str]:
        problems = harness.response_problems(fixture, spec)
        if harness.response_should_validate(fixture):
            return problems
        return [] if problems else ["meant to break the response contract, but it validates"]

    checks = {"replay": harness.replay, "request validation": request_valid, "response validation": response_valid}
    failures = list(harness.iter_problems(harness.load_fixtures(args.fixtures), checks))
    for line in failures:
        print(f"FAIL {line}")
    print(f"{len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
