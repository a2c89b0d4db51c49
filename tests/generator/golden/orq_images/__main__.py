"""The `orq-images` command line: `orq-images COMMAND --help` (generated: do not edit)."""

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv[1:]`) and return its exit status."""
    from . import _cli, _schemas
    from ._runtime.cli import Command, run
    from ._version import __version__
    from .sdk import Orq

    command = Command(
        prog="orq-images",
        version=__version__,
        client=Orq,
        operations=_cli.OPERATIONS,
        requests=_schemas.REQUESTS,
        components=_schemas.COMPONENTS,
    )
    return run(argv, command)


if __name__ == "__main__":
    sys.exit(main())
