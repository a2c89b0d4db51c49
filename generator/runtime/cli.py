"""The ``orq-images`` command line: one subcommand per operation of the generated table, built at run time.

The generated ``__main__`` calls ``run(argv, Command(...))`` with the package's client class, its operations table
(``_cli.OPERATIONS``) and its request schemas (``_schemas``). For each operation, ``cli_options`` turns the request
schema into options; the parsed values become the keyword arguments of the namespace method
(``orq.router.images.generations.create(**kwargs)``), so validation, ``save_to=``, retries and errors are the
library's own. Exit status: 0 on success, 2 on a usage or validation error (nothing was sent), 1 when the call
failed (API error, connection, timeout) or the images could not be written; 130 when interrupted.

The API key comes from ``ORQ_API_KEY`` or from the file named by ``--api-key-file``, never from an option (it
would stay in the shell's history and in ``ps``); it is never printed.

argparse (standard library) is enough for this and adds no dependency; the module is imported only by the
command line, never by ``import orq_images``.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import sys
import textwrap
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from .cli_batch import (
    CountedItemLines,
    ItemLines,
    OutcomeReport,
    add_from_options,
    count_items,
    first_line,
    is_json_line,
    line_field,
    open_lines,
    out_pattern,
)
from .cli_options import CliOperation, Kind, Option, convert_scalar, options_for, usage_line
from .errors import OrqError, RequestValidationError
from .reprs import short_repr

__all__ = ["Command", "cli_operations", "run"]

API_KEY_VARIABLE = "ORQ_API_KEY"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF8", ".gif"))
_TIMEOUT = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m)?\s*")


@attrs.frozen(kw_only=True)
class Command:
    """What the generated package hands the command line."""

    prog: str
    version: str
    client: Callable[..., Any]  # the ``Orq`` class
    operations: Sequence[Mapping[str, Any]]  # the generated table (``_cli.OPERATIONS``)
    requests: Mapping[str, Any]  # ``_schemas.REQUESTS``
    components: Mapping[str, Any]  # ``_schemas.COMPONENTS``


class UsageError(Exception):
    """A command line that cannot become a call; reported with exit status 2."""


def cli_operations(table: Sequence[Mapping[str, Any]]) -> list[CliOperation]:
    """The subcommands, from the generated operations table: the one place that reads the table's rows."""
    return [
        CliOperation(
            name=row["cli_name"],
            group=row.get("cli_group", ""),
            key=row["request_schema"],
            namespace=tuple(row["namespace"]),
            method=row["method"],
            summary=row.get("summary", ""),
            description=row.get("description", ""),
            positional=tuple(row.get("cli_positional", ())),
            short_flags=dict(row.get("cli_short_flags", {})),
            file_fields=tuple(row.get("file_fields", ())),
            images=(row["save_to"][0], row["save_to"][1]) if row.get("save_to") else None,
            image_urls=row.get("save_to_url"),
            help=dict(row.get("help", {})),
        )
        for row in table
    ]


def run(argv: Sequence[str] | None, command: Command) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), make the call, print the outcome; return the exit status."""
    operations = {op.name: op for op in cli_operations(command.operations)}
    options = {
        name: options_for(
            command.requests[op.key],
            command.components,
            positional=op.positional,
            short_flags=op.short_flags,
            file_fields=op.file_fields,
        )
        for name, op in operations.items()
    }
    parser, subparsers = _parser(command, operations, options)
    try:
        args = parser.parse_args(argv)
        _check_required(subparsers[args.command], options[args.command], args)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has reported
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    op = operations[args.command]
    label = f"{command.prog} {op.name}"
    try:
        if getattr(args, "from_file", None) is not None:
            return _call_from(command, op, options[op.name], args, label)
        return _call(command, op, options[op.name], args, label)
    except UsageError as exc:
        _error(label, str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error(label, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of stdout went away (`| head -1`): nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


# -- the parser ----------------------------------------------------------------------------------------------------


def _parser(
    command: Command, operations: Mapping[str, CliOperation], options: Mapping[str, list[Option]]
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog=command.prog,
        description="Call the orq.ai API from the shell. Each command takes the arguments of its Python method as "
        "options; run `%(prog)s COMMAND --help` for them.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {command.version}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    subparsers = {}
    for name, op in operations.items():
        sub = commands.add_parser(
            name,
            usage=_escape(usage_line(command.prog, op.name, options[name])),
            help=_escape(op.summary),
            description=_escape(textwrap.fill(f"{_sentence(op.summary)} {op.description}".strip())),
            epilog=_subcommand_epilog(op, line_field(options[name])),
            formatter_class=_Formatter,
            allow_abbrev=False,
        )
        body = sub.add_argument_group(f"arguments of {'.'.join(op.namespace)}.{op.method}()")
        for option in options[name]:
            _add(body, option, op)
        _add_command_options(sub, op, line_field(options[name]))
        subparsers[name] = sub
    return parser, subparsers


def _check_required(sub: argparse.ArgumentParser, options: list[Option], args: argparse.Namespace) -> None:
    """argparse's own check of required arguments, made here: with ``--from`` the lines may give them instead.
    The options that only go with ``--from`` are refused without it."""
    if getattr(args, "from_file", None) is not None:
        return
    missing = [
        option.metavar if option.positional else "/".join(option.flags)
        for option in options
        if option.required and not hasattr(args, option.dest)
    ]
    if missing:
        sub.error(f"the following arguments are required: {', '.join(missing)}")
    if getattr(args, "concurrency", None) is not None or getattr(args, "skip_existing", None):
        sub.error("--concurrency and --skip-existing go with --from FILE")


_EPILOG = f"""\
The API key is read from the environment variable {API_KEY_VARIABLE}, or from a file (--api-key-file); it is never
taken as an option, so it stays out of the shell's history.

Exit status: 0 on success, 2 on a usage or validation error (nothing was sent), 1 when the call failed."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """``-m, --model TEXT`` rather than argparse's ``-m TEXT, --model TEXT``."""

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        metavar = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {metavar}"


def _subcommand_epilog(op: CliOperation, line: Option | None) -> str:
    lines = [
        "An option with a dot sets one key of the JSON option before the dot (--a.b 3 is --a '{\"b\": 3}'); both",
        "may be given, the dotted ones win. A nullable option takes the word null, sent as JSON null.",
    ]
    if op.images is not None:
        lines += [
            "",
            "The images are written to -o PATH (the first one; image i beside it as <stem>-i<suffix>), or to",
            f"{op.name}-<date>-<time>.<format> in the current directory; the command prints where each went (or its",
            "URL, for images that come as URLs). --json prints the answer as JSON instead, images shortened.",
            "",
            textwrap.fill(
                "--from FILE makes one call per line of FILE (- for standard input), a few at a time "
                f"(--concurrency): a line is {_line_meaning(line)}a JSON object of arguments "
                '({"n": 2, ...}); blank lines are skipped. The other options are defaults for '
                "every line (a JSON line's keys replace them). -o is then a pattern with {i}, the item number "
                "(out/{i:05}.png); --skip-existing sends only the items whose files are missing; --json prints one "
                "JSON object per item. Exit status 1 when an item failed (each is named on stderr by its index and "
                "line number).",
                width=104,
            ),
        ]
    return "\n".join(lines)


def _line_meaning(line: Option | None) -> str:
    if line is None:
        return ""
    if line.kind in (Kind.FILE, Kind.FILES):
        return f"the path of the {line.field}, or "
    return f"the {line.field}, or "


def _add(group: argparse._ArgumentGroup, option: Option, op: CliOperation) -> None:
    description = op.help.get(option.field, option.description)
    if option.deprecated and not description.lower().startswith("deprecated"):
        description = f"Deprecated. {description}"
    help_text = argparse.SUPPRESS if option.hidden else _escape(description + _kind_note(option))
    keywords: dict[str, Any] = {"dest": option.dest, "help": help_text, "default": argparse.SUPPRESS}
    if option.positional:
        keywords.pop("dest")
        files = option.kind is Kind.FILES
        nargs = "*" if files else "?"  # required ones are checked by _check_required (--from may give them)
        if option.kind is Kind.VALUE:
            keywords["type"] = _scalar_converter(option)
        elif option.kind is not Kind.FILE and not files:
            keywords["type"] = _json_value  # a positional list, map or object is given as JSON
        group.add_argument(option.dest, metavar=option.metavar, nargs=nargs, **keywords)
        return
    keywords["metavar"] = option.metavar
    if option.kind is Kind.FLAG:
        keywords.pop("metavar")
        group.add_argument(*option.flags, action=argparse.BooleanOptionalAction, **keywords)
    elif option.kind is Kind.VALUE:
        group.add_argument(*option.flags, type=_scalar_converter(option), **keywords)
    elif option.kind is Kind.LIST:
        group.add_argument(*option.flags, action=_ListAction, option=option, **keywords)
    elif option.kind is Kind.MAP:
        group.add_argument(*option.flags, action=_MapAction, option=option, **keywords)
    elif option.kind is Kind.FILES:
        group.add_argument(*option.flags, action="append", **keywords)
    elif option.kind is Kind.FILE:
        group.add_argument(*option.flags, **keywords)
    else:
        group.add_argument(*option.flags, type=_json_value, **keywords)


def _kind_note(option: Option) -> str:
    notes = {
        Kind.LIST: "Repeat the option for each item, or give one JSON array.",
        Kind.MAP: "Repeat the option for each key, or give one JSON object.",
        Kind.FILE: "A file path, or - for standard input.",
        Kind.FILES: "File paths, or - for standard input.",
    }
    note = notes.get(option.kind, "")
    if option.kind is Kind.JSON:
        note = "As JSON" + ("; or set its keys with the dotted options below." if option.scalar == "object" else ".")
    elif option.nullable and not option.choices and option.kind is Kind.VALUE:
        note = "The word null sends null."
    return f" {note}" if note else ""


def _add_command_options(parser: argparse.ArgumentParser, op: CliOperation, line: Option | None) -> None:
    group = parser.add_argument_group("options of the command")
    if op.images is not None:
        group.add_argument(
            "-o",
            "--out",
            metavar="PATH",
            type=pathlib.Path,
            help="Write the images here: the first to PATH, image i beside it as <stem>-i<suffix>. With --from, a "
            "pattern with {i}, the item number: out/{i:05}.png.",
        )
        if op.image_urls is not None:
            group.add_argument(
                "--download-urls",
                action="store_true",
                default=None,
                help="Also download the images that come as URLs into their files (the API key is never sent to "
                "the image host); without it they are printed as URLs.",
            )
        add_from_options(group, op, line)
    group.add_argument("--json", action="store_true", help="Print the answer as JSON (images shortened).")
    group.add_argument("-q", "--quiet", action="store_true", help="No progress line and no warnings on stderr.")
    group.add_argument(
        "--api-key-file",
        metavar="PATH",
        type=pathlib.Path,
        help=f"Read the API key from this file (default: the environment variable {API_KEY_VARIABLE}).",
    )
    group.add_argument("--server-url", metavar="URL", help="Send the call to this server (default: the API's).")
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_timeout_ms,
        help="Time limit of the call in seconds (90, 1.5), or with a unit: 500ms, 90s, 10m (default: 10m).",
    )
    group.add_argument(
        "--retries",
        metavar="N",
        type=_retries,
        help="Retries when the server certainly did not act: no connection, or 408/429/503/529 (default: 2; 0: none).",
    )


class _ListAction(argparse.Action):
    """An array of scalars: each occurrence adds an item; a JSON array adds its items."""

    def __init__(self, option_strings: Sequence[str], dest: str, *, option: Option, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, **kwargs)
        self.option = option

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, flag: str | None = None
    ) -> None:
        text = str(values)
        items = list(getattr(namespace, self.dest, []))
        if text.lstrip().startswith("["):
            parsed = _json_value(text, flag)
            items.extend(parsed if isinstance(parsed, list) else [parsed])
        else:
            items.append(convert_scalar(text, self.option.scalar, nullable=False))
        setattr(namespace, self.dest, items)


class _MapAction(argparse.Action):
    """A map of scalars: each ``KEY=VALUE`` adds a key; a JSON object adds its keys."""

    def __init__(self, option_strings: Sequence[str], dest: str, *, option: Option, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, **kwargs)
        self.option = option

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, flag: str | None = None
    ) -> None:
        text = str(values)
        mapping = dict(getattr(namespace, self.dest, {}))
        if text.lstrip().startswith("{"):
            parsed = _json_value(text, flag)
            if not isinstance(parsed, dict):
                raise argparse.ArgumentError(self, "expected a JSON object")
            mapping.update(parsed)
        else:
            key, equals, value = text.partition("=")
            if not equals or not key:
                raise argparse.ArgumentError(self, f"expected KEY=VALUE or a JSON object, got {text!r}")
            mapping[key] = convert_scalar(value, self.option.scalar, nullable=False)
        setattr(namespace, self.dest, mapping)


def _scalar_converter(option: Option) -> Callable[[str], object]:
    def convert(text: str) -> object:
        return convert_scalar(text, option.scalar, nullable=option.nullable)

    convert.__name__ = option.scalar  # argparse names the converter in its messages
    return convert


def _json_value(text: str, flag: str | None = None) -> object:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text!r}") from None


def _timeout_ms(text: str) -> float:
    """``90`` or ``90s`` (seconds), ``500ms``, ``10m``: the time limit in milliseconds."""
    match = _TIMEOUT.fullmatch(text)
    if match is None or float(match[1]) <= 0:
        raise argparse.ArgumentTypeError(f"expected a time > 0 such as 90, 1.5, 500ms or 10m, got {text!r}")
    return float(match[1]) * {"ms": 1, "s": 1000, "m": 60_000, None: 1000}[match[2]]


def _retries(text: str) -> int:
    if not text.strip().isdecimal():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def _sentence(text: str) -> str:
    return text if not text or text.endswith(".") else text + "."


# -- the call ------------------------------------------------------------------------------------------------------


def _call(command: Command, op: CliOperation, options: list[Option], args: argparse.Namespace, label: str) -> int:
    kwargs = _arguments(options, args)
    api_key = _api_key(args.api_key_file)
    out: pathlib.Path | None = getattr(args, "out", None)
    default_names = None
    if op.images is not None and out is None and not args.json:
        default_names = _DefaultNames(op.name, kwargs.get("output_format"))
    if op.images is not None and (out is not None or default_names is not None):
        kwargs["save_to"] = out if out is not None else default_names
    if getattr(args, "download_urls", None):
        if "save_to" not in kwargs:
            raise UsageError("--download-urls: with --json, give -o PATH for the images")
        kwargs["download_urls"] = True
    failure: OrqError | OSError | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecationWarning)
        try:
            result = _send(command, op, kwargs, api_key, args, label)
        except (OrqError, OSError) as exc:
            failure = exc
    if not args.quiet:
        for warning in caught:
            print(f"{label}: warning: {warning.message}", file=sys.stderr)
    if isinstance(failure, RequestValidationError):
        _error(label, f"{failure}{_naming(failure, options)}")
        return EXIT_USAGE
    if failure is not None:
        _error(label, str(failure) or type(failure).__name__)
        return EXIT_FAILED
    if default_names is not None and op.images is not None:
        default_names.fix_suffixes(getattr(result, op.images[0], None) or ())
    _print_result(result, op, args, out, label)
    return EXIT_OK


def _call_from(command: Command, op: CliOperation, options: list[Option], args: argparse.Namespace, label: str) -> int:
    """``--from FILE``: the operation's ``batch()`` over the file's lines (``cli_batch`` says how lines become
    items). Everything that can be refused is refused before the first line is read."""
    from .batch import BatchInterrupted
    from .pacing import DEFAULT_CONCURRENCY
    from .progress import ProgressLine
    from .retries import RetryConfig

    if op.images is None:
        raise UsageError("--from: this command writes no images, so it has no batch form")
    try:
        pattern = out_pattern(getattr(args, "out", None))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    field = line_field(options)
    if field is not None and hasattr(args, field.dest):
        raise UsageError(f"{field.metavar}: with --from, each line gives the {field.field}; leave the argument out")
    if args.from_file == "-" and any(
        value == "-" or (isinstance(value, list) and "-" in value)
        for option in options
        if option.kind in (Kind.FILE, Kind.FILES)
        for value in [getattr(args, option.dest, None)]
    ):
        raise UsageError("--from -: standard input is already given to a file argument")
    defaults = _arguments(options, args)
    _check_plain_lines(options, field, defaults, args.from_file)
    api_key = _api_key(args.api_key_file)
    try:
        stream = open_lines(args.from_file)
    except OSError as exc:
        raise UsageError(f"--from: cannot read {args.from_file!r} ({exc.strerror or type(exc).__name__})") from None
    try:
        total = count_items(args.from_file)
    except ValueError as exc:
        stream.close()
        raise UsageError(str(exc)) from None
    lines = ItemLines(stream, defaults, field) if total is None else CountedItemLines(stream, defaults, field, total)
    settings: dict[str, Any] = {"server_url": args.server_url}
    if args.retries is not None:
        settings["retry_config"] = RetryConfig(max_retries=args.retries)
    show = _is_terminal(sys.stderr) and not args.quiet
    progress = ProgressLine(sys.stderr, label=label) if show else False
    try:
        with warnings.catch_warnings(), command.client(api_key, **settings) as client:
            _warnings_as_lines(label, quiet=args.quiet)
            target = client
            for name in op.namespace:
                target = getattr(target, name)
            with target.batch(
                lines,
                concurrency=args.concurrency or DEFAULT_CONCURRENCY,
                save_to=pattern,
                skip_existing=bool(args.skip_existing),
                progress=progress,
                **({"download_urls": True} if getattr(args, "download_urls", None) else {}),
                timeout_ms=args.timeout,
            ) as results:
                report = OutcomeReport(lines, args.json, op.images[0], label)
                try:
                    for outcome in results:
                        report(outcome)
                except BatchInterrupted as stop:  # Ctrl-C: the calls in flight were cancelled, no .part file is left
                    for outcome in stop.finished:
                        report(outcome)
                    _error(
                        label,
                        f"interrupted after {stop.progress.finished} items; the same command with --skip-existing "
                        "does only the rest",
                    )
                    return EXIT_INTERRUPTED
                failed = report.failed
    except BrokenPipeError:
        raise  # run() handles it
    except UnicodeDecodeError:
        _error(label, f"--from: not UTF-8 text near line {lines.last_line + 1}; stopped there")
        return EXIT_FAILED
    except OSError as exc:  # reading the --from file failed part way
        _error(label, f"--from: {exc}")
        return EXIT_FAILED
    finally:
        lines.close()
    if failed:
        _error(label, f"{failed} item{'s' if failed != 1 else ''} failed")
        return EXIT_FAILED
    return EXIT_OK


def _warnings_as_lines(label: str, *, quiet: bool) -> None:
    """Inside ``catch_warnings``: each warning once, as ``<label>: warning: <message>`` on stderr, or none with
    ``--quiet``. The batch's items are checked on its worker thread, which sees these process-wide settings."""
    if quiet:
        warnings.simplefilter("ignore")
        return
    warnings.simplefilter("default")  # once per place and message: not once per item

    def show(message: Warning | str, *_: object, **__: object) -> None:
        print(f"{label}: warning: {message}", file=sys.stderr)

    warnings.showwarning = show


def _send(
    command: Command, op: CliOperation, kwargs: dict[str, Any], api_key: str, args: argparse.Namespace, label: str
) -> Any:
    """Call the operation's method on a client made for this one call, drawing the progress line meanwhile."""
    import httpx2

    from .cli_progress import Progress, ProgressTransport
    from .retries import RetryConfig

    settings: dict[str, Any] = {"server_url": args.server_url, "timeout_ms": args.timeout}
    if args.retries is not None:
        settings["retry_config"] = RetryConfig(max_retries=args.retries)
    progress = Progress(sys.stderr, label, enabled=_is_terminal(sys.stderr) and not args.quiet)
    # The client gets an httpx2.Client whose transport counts the bytes for the progress line: the library's own
    # transport, retries and body reader stay as they are.
    transport = ProgressTransport(httpx2.HTTPTransport(), progress)
    with httpx2.Client(transport=transport, follow_redirects=False) as http, progress:
        target = command.client(api_key, client=http, **settings)
        for name in op.namespace:
            target = getattr(target, name)
        return getattr(target, op.method)(**kwargs)


def _check_plain_lines(options: list[Option], field: Option | None, defaults: Mapping[str, Any], source: str) -> None:
    """A file of plain lines (prompts) gives one argument per line: the other required ones must be options, or
    every item would fail alike (a thousand times "model: required"). Files of JSON lines may give them per line;
    standard input is not read ahead (its items fail one by one, saying why)."""
    if field is None:
        return
    missing = [
        option for option in options if option.required and option is not field and option.path[0] not in defaults
    ]
    if not missing:
        return
    first = first_line(source)
    if first is not None and not is_json_line(first):
        flags = ", ".join(max(option.flags, key=len) if option.flags else option.metavar for option in missing)
        raise UsageError(
            f"--from: each plain line gives the {field.field} only; also give {flags} "
            f"(or write JSON lines holding every required argument)"
        )


def _arguments(options: list[Option], args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of the method: option values set into the body by their paths (parents first)."""
    given = [(option, getattr(args, option.dest)) for option in options if hasattr(args, option.dest)]
    from_stdin = [
        option.field
        for option, value in given
        for item in (value if option.kind is Kind.FILES else [value] if option.kind is Kind.FILE else [])
        if item == "-"
    ]
    if len(from_stdin) > 1:
        raise UsageError(f"{from_stdin[1]}: standard input is already given to {from_stdin[0]}")
    body: dict[str, Any] = {}
    for option, value in given:
        if option.kind is Kind.FILE:
            value = _file(value)
        elif option.kind is Kind.FILES:
            value = [_file(item) for item in value]
        holder = body
        for depth, key in enumerate(option.path[:-1]):
            inner = holder.setdefault(key, {})
            if not isinstance(inner, dict):
                parent = ".".join(option.path[: depth + 1])
                raise UsageError(f"{option.flags[0]}: {parent} is not a JSON object here ({short_repr(inner)})")
            holder = inner
        holder[option.path[-1]] = value
    return body


def _file(text: str) -> object:
    """A path becomes a ``pathlib.Path`` (the library opens, checks and streams it); ``-`` the bytes of stdin."""
    return sys.stdin.buffer.read() if text == "-" else pathlib.Path(text)


def _api_key(path: pathlib.Path | None) -> str:
    if path is not None:
        try:
            key = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--api-key-file: cannot read {str(path)!r} ({type(exc).__name__})") from None
        if not key:
            raise UsageError(f"--api-key-file: {str(path)!r} is empty")
        return key
    key = os.environ.get(API_KEY_VARIABLE, "").strip()
    if not key:
        raise UsageError(f"no API key: set {API_KEY_VARIABLE} or pass --api-key-file PATH")
    return key


_COMMAND_OPTION_OF = {
    "save_to": "--out",
    "download_urls": "--download-urls",
    "server_url": "--server-url",
    "timeout_ms": "--timeout",
}


def _naming(error: RequestValidationError, options: list[Option]) -> str:
    """`` (option --n)``: the option that sets the field the library names, or the closest enclosing one."""
    if error.path in _COMMAND_OPTION_OF:
        return f" (option {_COMMAND_OPTION_OF[error.path]})"
    best: Option | None = None
    for option in options:
        field = option.field
        encloses = error.path == field or error.path.startswith((field + ".", field + "["))
        if encloses and (best is None or len(field) > len(best.field)):
            best = option
    if best is None:
        return ""
    return f" (argument {best.metavar})" if best.positional else f" (option {best.flags[-1]})"


class _DefaultNames:
    """``save_to`` when no ``-o`` is given: ``generate-20261128-091500.png`` (then ``-1``, ``-2``...) in the current
    directory, a new stem if that one is taken; the suffix follows the image's bytes once it is written."""

    def __init__(self, name: str, output_format: object) -> None:
        stem = f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
        taken = {path.name.split(".")[0] for path in pathlib.Path.cwd().glob(f"{stem}*")}
        counter = 1
        self.stem = stem
        while any(other == self.stem or other.startswith(self.stem + "-") for other in taken):
            counter += 1
            self.stem = f"{stem}-{counter}"
        self.suffix = f".{output_format}" if output_format in ("png", "jpeg", "webp") else ".png"

    def __call__(self, index: int) -> pathlib.Path:
        return pathlib.Path(f"{self.stem}{'' if index == 0 else f'-{index}'}{self.suffix}")

    def fix_suffixes(self, items: Sequence[Any]) -> None:
        """Rename each written image whose bytes say it is another format than its suffix."""
        for item in items:
            path = getattr(item, "saved_to", None)
            if path is None:
                continue
            suffix = _suffix_of(path)
            if suffix is not None and suffix != path.suffix and not path.with_suffix(suffix).exists():
                path.rename(path.with_suffix(suffix))
                item._saved_to = path.with_suffix(suffix)  # ImageMixin's slot: saved_to follows the rename


def _suffix_of(path: pathlib.Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(16)
    for signature, suffix in _SIGNATURES:
        if head.startswith(signature):
            return suffix
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return None


# -- the outcome ---------------------------------------------------------------------------------------------------


def _print_result(
    result: Any, op: CliOperation, args: argparse.Namespace, out: pathlib.Path | None, label: str
) -> None:
    items_name, field = op.images if op.images is not None else ("", "")
    items = list(getattr(result, items_name, None) or ()) if items_name else []
    if args.json:
        answer = result.to_dict() if hasattr(result, "to_dict") else result
        for index, item in enumerate(items):
            shown = answer[items_name][index]
            value = shown.get(field)
            if isinstance(value, str) and len(value) > 64:
                shown[field] = short_repr(value)
            if item.saved_to is not None:
                shown["saved_to"] = str(item.saved_to)
        print(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    not_saved = []
    for index, item in enumerate(items):
        saved, url = getattr(item, "saved_to", None), getattr(item, "url", None)
        if saved is not None:
            print(saved)
        elif isinstance(url, str):
            print(url)
            if out is not None:
                not_saved.append(index)
        else:
            print(f"image {index}: no data in the answer")
    if not_saved and not args.quiet:
        which = ", ".join(str(index) for index in not_saved)
        print(
            f"{label}: note: image {which} came as a URL and was not written to {out}; add "
            + ("--download-urls to download it there, or " if op.image_urls is not None else "")
            + "--response-format b64_json to receive the image data",
            file=sys.stderr,
        )


def _error(label: str, message: str) -> None:
    print(f"{label}: error: {message}", file=sys.stderr)


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False
