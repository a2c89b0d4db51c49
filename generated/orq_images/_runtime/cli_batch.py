"""``--from FILE``: one call of the command for every line of a file, through the operation's ``batch()``.

The lines (``-`` reads standard input), read lazily so a file of a million prompts is never held in memory:

- a blank line is skipped (it is not an item and takes no index);
- a line starting with ``{`` is a JSON object of the method's keyword arguments (``{"prompt": "a fox", "n": 2}``);
  if it is not a valid JSON object, that item fails without being sent (a typo in a JSON line must not become a
  paid prompt);
- any other line is the value of the operation's *line field*: its first positional field that is not a file
  (``prompt`` for generate and edit), else its first positional field (``image`` for variation: a path).

The command's other options and positional arguments are defaults for every item; a JSON line's keys replace them
(a key replaces the whole value: ``{"orq": {...}}`` replaces ``--orq.retry.count``). ``-o`` is a pattern with ``{i}``
(``out/{i:05}.png``), ``i`` counting the items from 0; it is required, so that a rerun with ``--skip-existing``
finds the files of the first run.

Output: the paths (or URLs) of the images of every item that succeeded, on standard output; with ``--json`` one
JSON object per item instead (``index``, ``line``, ``status``, ``paths``, ``urls``, ``error``). Each failed item
gets one line on standard error (``item 3 (line 5): <the error's message>``). Exit status 0 when every item
succeeded or was skipped, 1 when one failed, 2 for a usage error found before anything was sent.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pathlib
import string
import sys
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from .cli_options import CliOperation, Kind, Option

__all__ = [
    "CountedItemLines",
    "ItemLines",
    "OutcomeReport",
    "add_from_options",
    "count_items",
    "first_line",
    "is_json_line",
    "line_field",
    "open_lines",
    "out_pattern",
    "outcome_record",
]


_BAD_LINE = " --from line"  # a key no method takes: the batch refuses the item before sending it


def line_field(options: list[Option]) -> Option | None:
    """The field a plain line sets: the first positional field that is not a file, else the first positional."""
    positional = [option for option in options if option.positional]
    text = [option for option in positional if option.kind not in (Kind.FILE, Kind.FILES)]
    chosen = text or positional
    return chosen[0] if chosen else None


def out_pattern(out: pathlib.Path | None) -> str:
    """``-o`` as the batch's ``save_to`` pattern; ``ValueError`` with the reason when it is not one."""
    if out is None:
        raise ValueError('--from needs -o PATTERN with {i} for the item number, like -o "out/{i:05}.png"')
    pattern = os.fspath(out)
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None}
    except ValueError as exc:
        raise ValueError(f"-o {pattern!r} is not a valid pattern ({exc}); use {{i}} for the item number") from None
    if fields != {"i"}:
        raise ValueError(
            f"-o {pattern!r}: with --from, -o is a pattern with {{i}} (and no other field) for the item number, "
            'like "out/{i:05}.png", so that every item has its own file'
        )
    try:
        pattern.format(i=0)
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"-o {pattern!r} is not a valid pattern ({exc}); use {{i}} for the item number") from None
    return pattern


def open_lines(source: str) -> TextIO:
    """The ``--from`` file (``-``: standard input) as UTF-8 text, a byte-order mark dropped. ``OSError`` if it cannot
    be opened."""
    if source != "-":
        return open(source, encoding="utf-8-sig")  # noqa: SIM115 (closed by ItemLines.close)
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream standing in for stdin (tests, embedding)
        return sys.stdin
    return io.TextIOWrapper(buffer, encoding="utf-8-sig")


def count_items(source: str) -> int | None:
    """How many items a regular ``--from`` file holds (its lines that are not blank), for the progress line's
    total and time left; None for standard input or a pipe, which can be read only once. ``ValueError`` naming
    the first line that is not UTF-8 text, so that such a file is refused before anything is sent."""
    if source == "-" or not os.path.isfile(source):
        return None
    count = 0
    try:
        with open(source, "rb") as file:
            for number, line in enumerate(file, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    raise ValueError(f"--from: line {number} of {source!r} is not UTF-8 text") from None
                count += 1 if line.strip() else 0
    except OSError:
        return None
    return count


def is_json_line(text: str) -> bool:
    """Whether a line of a ``--from`` file (stripped) is a JSON object of arguments, not the line field's value."""
    return text.startswith("{")


def first_line(source: str) -> str | None:
    """The first non-blank line of the file ``source``, stripped; ``None`` for standard input (it cannot be read
    twice), an empty or unreadable file."""
    if source == "-":
        return None
    try:
        with open(source, encoding="utf-8", errors="replace") as file:
            return next((text for line in file if (text := line.strip())), None)
    except OSError:
        return None


class ItemLines:
    """The items of a ``--from`` file, read lazily, each the defaults with its line's value or keys.

    ``lines`` maps the index of each item handed out (and not yet ``taken``) to its line number and, for a line
    that could not be read, the reason; only the items between the batch's reading and the caller's reporting are
    held (at most twice the concurrency).
    """

    def __init__(self, stream: TextIO, defaults: Mapping[str, Any], field: Option | None) -> None:
        self._stream = stream
        self._defaults = dict(defaults)
        self._field = field
        self.lines: dict[int, tuple[int, str | None]] = {}
        self.last_line = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        index = 0
        for number, raw in enumerate(self._stream, start=1):
            self.last_line = number
            text = raw.strip()
            if not text:
                continue
            item, problem = self._item(text)
            self.lines[index] = (number, problem)
            index += 1
            yield item

    def take(self, index: int) -> tuple[int, str | None]:
        """The line number of item ``index`` and why it could not be read (None when it could)."""
        return self.lines.pop(index, (0, None))

    def close(self) -> None:
        if self._stream is not sys.stdin:
            self._stream.close()

    def _item(self, text: str) -> tuple[dict[str, Any], str | None]:
        if is_json_line(text):
            try:
                value = json.loads(text)
            except ValueError as exc:
                return {_BAD_LINE: None}, f"not a valid JSON line ({exc})"
            if not isinstance(value, dict):
                return {_BAD_LINE: None}, "a line starting with { must be a JSON object of arguments"
            return {**self._defaults, **value}, None
        if self._field is None:
            return {_BAD_LINE: None}, "this command takes JSON lines only"
        return {**self._defaults, self._field.path[0]: text}, None


class CountedItemLines(ItemLines):
    """``ItemLines`` whose number is known: the batch reads ``len()`` for its progress (total, time left)."""

    def __init__(self, stream: TextIO, defaults: Mapping[str, Any], field: Option | None, total: int) -> None:
        super().__init__(stream, defaults, field)
        self._total = total

    def __len__(self) -> int:
        return self._total


def outcome_record(outcome: Any, number: int, error: str | None, images_field: str) -> dict[str, Any]:
    """One ``--json`` line: what became of an item."""
    images = getattr(outcome.result, images_field, None) or ()
    urls = [image.url for image in images if getattr(image, "saved_to", None) is None and _is_text(image, "url")]
    status = "failed" if error is not None else "skipped" if outcome.skipped else "ok"
    return {
        "index": outcome.index,
        "line": number,
        "status": status,
        "paths": [str(path) for path in outcome.paths],
        "urls": urls,
        "error": error,
    }


class OutcomeReport:
    """Prints what became of each item of a ``--from`` batch (paths or URLs, or a ``--json`` line, on stdout; a
    failure on stderr, naming the item by index and line) and counts the failures."""

    def __init__(self, lines: ItemLines, as_json: bool, images_field: str, label: str) -> None:
        self.lines, self.as_json, self.images_field, self.label = lines, as_json, images_field, label
        self.failed = 0

    def __call__(self, outcome: Any) -> None:
        number, problem = self.lines.take(outcome.index)
        error = problem if problem is not None else _one_line(outcome.error)
        if error is not None:
            self.failed += 1
            print(f"{self.label}: error: item {outcome.index} (line {number}): {error}", file=sys.stderr)
        if self.as_json:
            print(json.dumps(outcome_record(outcome, number, error, self.images_field), ensure_ascii=False))
        elif error is None and not outcome.skipped:
            _print_outcome(outcome, self.images_field)


def _one_line(error: Exception | None) -> str | None:
    if error is None:
        return None
    return " ".join(str(error).split()) or type(error).__name__


def _print_outcome(outcome: Any, images_field: str) -> None:
    if outcome.paths:
        for path in outcome.paths:
            print(path)
        return
    for image in getattr(outcome.result, images_field, None) or ():
        url = getattr(image, "url", None)
        if isinstance(url, str):
            print(url)


def _is_text(item: object, name: str) -> bool:
    return isinstance(getattr(item, name, None), str)


def add_from_options(group: argparse._ArgumentGroup, op: CliOperation, line: Option | None) -> None:
    """``--from``, ``--concurrency`` and ``--skip-existing`` (their flags are in ``COMMAND_FLAGS``)."""
    from .pacing import DEFAULT_CONCURRENCY

    what = "a JSON object of arguments" if line is None else f"the {line.field}, or a JSON object of arguments"
    group.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help=f"One call for every line of FILE (- for standard input): each line is {what}; blank lines are "
        "skipped. The other options are defaults for every line; needs -o with {i} (out/{i:05}.png).",
    )
    group.add_argument(
        "--concurrency",
        metavar="N",
        type=_positive,
        help=f"With --from: the most calls in flight at once (default: {DEFAULT_CONCURRENCY}).",
    )
    group.add_argument(
        "--skip-existing",
        action="store_true",
        default=None,
        help="With --from: items whose files already exist are not sent (a rerun does only the rest).",
    )


def _positive(text: str) -> int:
    if not text.strip().isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)
