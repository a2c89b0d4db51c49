"""The command-line options of one operation, derived from its request schema: the one owner of the flag rules.

Used at run time by ``cli`` (from the schemas in ``_schemas``) and at generation time by the parameter reference
(from the effective API description), so the flags the docs list are the flags the command takes.

The rules, for each property of the request body (``orq.retry.count`` stands for a nested property):

- a scalar (string, integer, number, possibly an enumeration or nullable) is ``--field VALUE``; an enumeration
  lists its values; a nullable field also takes the word ``null`` (sent as JSON null); a boolean is
  ``--field`` / ``--no-field``;
- an array of scalars is ``--field VALUE``, repeated for each item (or one JSON array);
- a map of scalars (``additionalProperties``) is ``--field KEY=VALUE``, repeated (or one JSON object);
- an object with declared properties is ``--field JSON`` for the whole object, and each of its properties is
  reachable as a dotted flag, recursively (``--orq.retry.count 3``); dotted values are merged into the JSON;
- anything else (arrays of objects, unions, free-form values) is ``--field JSON``;
- a file field (named by the operation's table) is a path, ``-`` for standard input;
- fields named by the operation's ``positional`` list are positional arguments, in that order.

Names: underscores become dashes (``output_compression`` -> ``--output-compression``). A top-level field whose flag
would be one of the command's own options (``--timeout``, ``--json``...) gets the prefix ``api-``
(``--api-timeout``, the router's ``timeout`` object). Values are converted only as far as their schema type says
(``"3"`` -> 3 for an integer); anything that does not convert is passed on as text, so the library's validation
reports it with the same message as in Python.

Only the standard library and attrs are used here: the generator imports this module too.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = [
    "COMMAND_FLAGS",
    "CliOperation",
    "Kind",
    "Option",
    "convert_scalar",
    "options_for",
    "usage_line",
]

Schema = Mapping[str, Any]

COMMAND_FLAGS = frozenset(
    {
        "-h",
        "--help",
        "-o",
        "--out",
        "--json",
        "-q",
        "--quiet",
        "--api-key-file",
        "--server-url",
        "--timeout",
        "--retries",
        "--version",
        "--from",
        "--concurrency",
        "--skip-existing",
    }
)
"""The options every subcommand has of its own; a body field never takes one of these flags."""
SHADOWED_PREFIX = "api-"

_REF_PREFIX = "#/components/schemas/"
_SCALARS = ("string", "integer", "number", "boolean")
_INTEGER = re.compile(r"[+-]?\d+")


class Kind(enum.Enum):
    """How an option's text becomes a value."""

    VALUE = "value"  # one scalar
    FLAG = "flag"  # a boolean: --x / --no-x
    LIST = "list"  # an array of scalars: repeated, or one JSON array
    MAP = "map"  # a map of scalars: KEY=VALUE repeated, or one JSON object
    JSON = "json"  # any JSON value
    FILE = "file"  # a path, or - for standard input
    FILES = "files"  # an array of files: several paths


@attrs.frozen(kw_only=True)
class CliOperation:
    """One subcommand: an operation with an ``x-cli-name`` hint, as the generated table describes it."""

    name: str
    group: str
    key: str  # the operation's key in ``_schemas.REQUESTS``
    namespace: tuple[str, ...]  # the client's attribute path: ("router", "images", "generations")
    method: str  # the namespace's method: "create"
    summary: str = ""
    description: str = ""
    positional: tuple[str, ...] = ()
    short_flags: Mapping[str, str] = attrs.field(factory=dict)  # field -> one letter
    file_fields: tuple[str, ...] = ()
    images: tuple[str, str] | None = None  # the save_to hint: (items, field) of the answer: ("data", "b64_json")
    image_urls: str | None = None  # the hint's field of images given as URLs ("url"): --download-urls
    help: Mapping[str, str] = attrs.field(factory=dict)  # dotted field path -> description


@attrs.frozen(kw_only=True)
class Option:
    """One body field as a command-line option (or positional argument)."""

    path: tuple[str, ...]
    kind: Kind
    flags: tuple[str, ...] = ()  # empty for a positional argument
    scalar: str = "string"  # the JSON type of a value (of an item, for LIST; of a value, for MAP)
    choices: tuple[Any, ...] = ()
    nullable: bool = False
    required: bool = False
    deprecated: bool = False
    hidden: bool = False  # accepted but left out of --help (inside a deprecated object)
    description: str = ""

    @property
    def dest(self) -> str:
        """The attribute argparse stores the value under (``body:orq.retry.count``)."""
        return "body:" + ".".join(self.path)

    @property
    def positional(self) -> bool:
        return not self.flags

    @property
    def field(self) -> str:
        """The dotted path as the library's messages name it: ``orq.retry.count``."""
        return ".".join(self.path)

    @property
    def metavar(self) -> str:
        if self.kind in (Kind.FILE, Kind.FILES):
            return self.path[-1] if self.positional else "PATH"
        if self.positional:
            return self.path[-1]
        if self.kind is Kind.JSON:
            return "JSON"
        if self.kind is Kind.MAP:
            return "KEY=VALUE"
        if self.choices:
            shown = [*("null" if value is None else str(value) for value in self.choices)]
            if self.nullable and None not in self.choices:
                shown.append("null")
            return "{" + ",".join(shown) + "}"
        return {"integer": "INT", "number": "NUMBER", "boolean": "BOOL"}.get(self.scalar, "TEXT")


def options_for(
    schema: Schema,
    components: Mapping[str, Schema],
    *,
    positional: Sequence[str] = (),
    short_flags: Mapping[str, str] | None = None,
    file_fields: Sequence[str] = (),
) -> list[Option]:
    """The options of a request body ``schema`` (positional ones first, in ``positional`` order).

    Raises ``ValueError`` when a hint names a field the body does not have, or a short flag is taken.
    """
    walker = _Walker(components)
    body = walker.resolve(schema)
    properties: dict[str, Schema] = dict(body.get("properties", {}))
    for name in file_fields:  # the request schema of a multipart body leaves its files out (``uploads`` checks them)
        properties.setdefault(name, {"type": "string", "format": "binary"})
    required = set(body.get("required", ()))
    short_flags = dict(short_flags or {})
    for name in [*positional, *short_flags, *file_fields]:
        if name not in properties:
            raise ValueError(f"the CLI hints name {name!r}, which is not a field of the request body")
    for name, letter in short_flags.items():
        flag = f"-{letter}"
        if len(letter) != 1 or not letter.isalpha() or flag in COMMAND_FLAGS:
            raise ValueError(f"short flag {flag!r} for {name!r}: one letter, not one of the command's own")
    if len(set(short_flags.values())) != len(short_flags):
        raise ValueError(f"two fields share a short flag: {short_flags}")

    options: list[Option] = []
    for name, prop in properties.items():
        flags: tuple[str, ...] = ()
        if name not in positional:
            long = "--" + name.replace("_", "-")
            if long in COMMAND_FLAGS:
                long = "--" + SHADOWED_PREFIX + name.replace("_", "-")
            flags = (f"-{short_flags[name]}", long) if name in short_flags else (long,)
        is_file = name in file_fields
        options += walker.field((name,), prop, flags, required=name in required, is_file=is_file, hidden=False)
    order = {name: index for index, name in enumerate(positional)}
    return sorted(options, key=lambda option: (not option.positional, order.get(option.path[0], 0)))


class _Walker:
    def __init__(self, components: Mapping[str, Schema]) -> None:
        self.components = components
        self.seen: list[str] = []  # the components being walked, against recursion

    def resolve(self, schema: Schema) -> Schema:
        """``schema`` with a ``$ref`` followed (its own siblings, such as ``description``, win)."""
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith(_REF_PREFIX):
            return schema
        target = self.components.get(ref[len(_REF_PREFIX) :], {})
        return {**self.resolve(target), **{key: value for key, value in schema.items() if key != "$ref"}}

    def unwrap(self, schema: Schema) -> tuple[Schema, bool, bool]:
        """(the schema with null taken out, whether it admits null, whether it is a union of several shapes)."""
        schema = self.resolve(schema)
        nullable = bool(schema.get("nullable"))
        types = schema.get("type")
        if isinstance(types, list):
            nullable = nullable or "null" in types
            rest = [name for name in types if name != "null"]
            schema = {**schema, "type": rest[0] if len(rest) == 1 else rest}
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if not isinstance(branches, list):
                continue
            kept = [branch for branch in branches if self.resolve(branch).get("type") != "null"]
            nullable = nullable or len(kept) < len(branches)
            if len(kept) == 1 and "discriminator" not in schema:
                outer = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
                inner, inner_null, union = self.unwrap(kept[0])
                return {**inner, **outer}, nullable or inner_null, union
            return schema, nullable, True
        if "allOf" in schema:
            return schema, nullable, True
        if isinstance(schema.get("enum"), list) and None in schema["enum"]:
            nullable = True
        return schema, nullable, False

    def field(
        self,
        path: tuple[str, ...],
        prop: Schema,
        flags: tuple[str, ...],
        *,
        required: bool,
        is_file: bool,
        hidden: bool,
    ) -> list[Option]:
        schema, nullable, union = self.unwrap(prop)
        described = self.resolve(prop)
        common: dict[str, Any] = {
            "path": path,
            "flags": flags,
            "nullable": nullable,
            "required": required,
            "deprecated": bool(described.get("deprecated") or prop.get("deprecated")),
            "hidden": hidden,
            "description": " ".join(str(prop.get("description") or described.get("description") or "").split()),
        }
        kind_of_type = schema.get("type")
        if is_file:
            return [Option(kind=Kind.FILES if kind_of_type == "array" else Kind.FILE, **common)]
        if union:
            return [Option(kind=Kind.JSON, scalar="any", **common)]
        scalar = _scalar_type(schema)
        if scalar is not None:
            kind = Kind.FLAG if scalar == "boolean" and not nullable else Kind.VALUE
            return [Option(kind=kind, scalar=scalar, choices=_choices(schema), **common)]
        if kind_of_type == "array":
            items, _, items_union = self.unwrap(schema.get("items", {}))
            item_scalar = None if items_union else _scalar_type(items)
            if item_scalar is not None:
                return [Option(kind=Kind.LIST, scalar=item_scalar, choices=_choices(items), **common)]
            return [Option(kind=Kind.JSON, scalar="any", **common)]
        properties = schema.get("properties")
        if isinstance(properties, Mapping) and properties:
            return self.object_field(path, schema, common)
        extra = schema.get("additionalProperties")
        if kind_of_type == "object" and isinstance(extra, Mapping):
            value, _, value_union = self.unwrap(extra)
            value_scalar = None if value_union else _scalar_type(value)
            if value_scalar is not None:
                return [Option(kind=Kind.MAP, scalar=value_scalar, **common)]
        return [Option(kind=Kind.JSON, scalar="any", **common)]

    def object_field(self, path: tuple[str, ...], schema: Schema, common: dict[str, Any]) -> list[Option]:
        options = [Option(kind=Kind.JSON, scalar="object", **common)]
        marker = repr(sorted(schema.get("properties", {})))
        if not common["flags"] or marker in self.seen:  # positional objects, or a schema that contains itself
            return options
        self.seen.append(marker)
        try:
            hidden = common["hidden"] or common["deprecated"]
            for name, prop in schema["properties"].items():
                flag = common["flags"][-1] + "." + name.replace("_", "-")
                # never required on the command line: the library reports a missing key inside an object
                options += self.field((*path, name), prop, (flag,), required=False, is_file=False, hidden=hidden)
        finally:
            self.seen.pop()
        return options


def usage_line(prog: str, command: str, options: Sequence[Option]) -> str:
    """``orq-images generate prompt -m TEXT [options]``: what must be given, then the rest (argparse's own usage
    would list all fifty options)."""
    words = [prog, command]
    for option in options:
        if option.positional:
            shown = option.metavar + (" ..." if option.kind is Kind.FILES else "")
            words.append(shown if option.required else f"[{shown}]")
        elif option.required:
            words.append(f"{option.flags[0]} {option.metavar}")
    return " ".join([*words, "[options]"])


def _scalar_type(schema: Schema) -> str | None:
    """The JSON type of a scalar schema (an enumeration included), or None when it is not one."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind if kind in _SCALARS else None
    values = schema.get("enum")
    if kind is None and isinstance(values, list) and values:
        if all(isinstance(value, str) or value is None for value in values):
            return "string"
        if all(isinstance(value, (int, float)) and not isinstance(value, bool) or value is None for value in values):
            return "number"
    if kind is None and "const" in schema and isinstance(schema["const"], str):
        return "string"
    return None


def _choices(schema: Schema) -> tuple[Any, ...]:
    if isinstance(schema.get("enum"), list):
        return tuple(schema["enum"])
    if "const" in schema:
        return (schema["const"],)
    return ()


def convert_scalar(text: str, scalar: str, *, nullable: bool) -> object:
    """The value a command-line word stands for, as far as ``scalar`` (a JSON type) says; else the text itself,
    for the library's validation to report."""
    if nullable and text == "null":
        return None
    if scalar == "integer":
        return int(text) if _INTEGER.fullmatch(text.strip()) else text
    if scalar == "number":
        if _INTEGER.fullmatch(text.strip()):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    if scalar == "boolean":
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "1", "on"):
            return True
        if lowered in ("false", "no", "0", "off"):
            return False
        return text
    return text
