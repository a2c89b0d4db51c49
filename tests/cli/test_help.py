"""`--help` for the command and every subcommand: every reachable body field is listed, with its description."""

from __future__ import annotations

import re

import pytest
from orq_images import _cli, _schemas
from orq_images._runtime.cli import cli_operations
from orq_images._runtime.cli_options import options_for, usage_line

from tests.cli.conftest import Run

OPERATIONS = cli_operations(_cli.OPERATIONS)


def test_every_operation_with_a_cli_name_is_a_subcommand(run: Run) -> None:
    outcome = run("--help", server_url=False)

    assert outcome.status == 0
    assert [op.name for op in OPERATIONS] == ["generate", "edit", "variation"]
    for op in OPERATIONS:
        assert re.search(rf"^    {op.name}\s+{re.escape(op.summary)}", outcome.stdout, re.M), op.name
    assert "ORQ_API_KEY" in outcome.stdout


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_help_of_every_subcommand_lists_every_option_with_its_description(run: Run, op: object) -> None:
    from orq_images._runtime.cli_options import CliOperation

    assert isinstance(op, CliOperation)
    outcome = run(op.name, "--help", server_url=False)

    assert outcome.status == 0
    assert outcome.stderr == ""
    text = " ".join(outcome.stdout.split())  # argparse wraps lines
    options = options_for(
        _schemas.REQUESTS[op.key],
        _schemas.COMPONENTS,
        positional=op.positional,
        short_flags=op.short_flags,
        file_fields=op.file_fields,
    )
    assert len(options) > 40
    for option in options:
        if option.hidden:
            assert f"{option.flags[-1]} " not in text  # accepted, but not listed (inside a deprecated object)
            continue
        shown = option.metavar if option.positional else f"{', '.join(option.flags)} {option.metavar}"
        assert shown in text, shown
        description = " ".join(op.help.get(option.field, "").split())
        assert description and description in text, option.field
    for own in ("-o, --out PATH", "--json", "-q, --quiet", "--api-key-file PATH", "--server-url URL"):
        assert own in text
    assert "--timeout SECONDS" in text and "500ms" in text
    assert text.startswith(f"usage: {usage_line('orq-images', op.name, options)}")
    assert text.startswith(f"usage: orq-images {op.name} {'[image] ' if op.file_fields else ''}")


def test_enumerations_show_their_values_and_null_when_nullable(run: Run) -> None:
    text = run("generate", "--help", server_url=False).stdout

    assert "--quality {auto,high,medium,low,hd,standard,null}" in text
    assert "--cache.type {exact_match}" in text
    assert "-n, --n INT" in text
    assert "--api-timeout JSON" in text and "--api-timeout.call-timeout NUMBER" in text
    assert "--orq.contact JSON" in text and "--orq.contact.id" not in text


def test_version(run: Run) -> None:
    from orq_images import __version__

    outcome = run("--version", server_url=False)
    assert (outcome.status, outcome.stdout) == (0, f"orq-images {__version__}\n")


def test_no_subcommand_is_a_usage_error(run: Run) -> None:
    outcome = run(server_url=False)
    assert outcome.status == 2
    assert "required: COMMAND" in outcome.stderr


def test_the_parameter_reference_lists_the_option_of_every_argument() -> None:
    from pathlib import Path

    reference = (Path(__file__).resolve().parents[2] / "generated" / "docs" / "parameters.md").read_text()
    for op in OPERATIONS:
        section = reference.split(f"### Command line: `orq-images {op.name}`", 1)[1].split("\n### ", 1)[0]
        rows = {line.split(" | ")[0].strip("| `"): line.split(" | ")[1] for line in section.splitlines()[6:] if line}
        options = options_for(
            _schemas.REQUESTS[op.key],
            _schemas.COMPONENTS,
            positional=op.positional,
            short_flags=op.short_flags,
            file_fields=op.file_fields,
        )
        listed = [option for option in options if not option.hidden]
        assert list(rows) == [option.field for option in listed]
        for option in listed:
            assert (option.metavar if option.positional else option.flags[-1]) in rows[option.field]
