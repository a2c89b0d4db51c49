"""``python -m generator generate`` (write generated/) or ``python -m generator check`` (drift check)."""

from __future__ import annotations

import argparse
import sys

from .overlay import OverlayError
from .pipeline import PipelineError, check, generate
from .render import RenderError
from .template_helpers import GenerationError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("command", choices=["generate", "check"])
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            generate()
            return 0
        return check()
    except (OverlayError, PipelineError, RenderError, GenerationError) as exc:
        print(f"generation failed: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
