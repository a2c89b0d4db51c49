"""The command line's table of operations (``orq_images/_cli.py``), from the operations' ``x-cli-*`` hints.

An operation gets a subcommand when it carries ``x-cli-name`` (the API's published description has these hints;
``overlays/30-cli.yaml`` adds them to ours). Its hints:

- ``x-cli-name``: the subcommand (``generate``); ``x-cli-group``: the API's group (``images``), recorded;
- ``x-cli-positional``: the body fields taken as positional arguments, in order (``[image, prompt]``); without
  it, the required file fields are positional, in the body's order;
- ``x-cli-short-flags``: one-letter flags for body fields (``{model: m}``).

Everything else comes from the operation: its namespace and method (``x-sdk-namespace``, ``x-sdk-method``), the
key of its request schema in ``_schemas.REQUESTS``, the file fields of a multipart body (``format: binary``), its
``save_to`` hint, and the descriptions of every field the command line reaches (``--help`` reads them from the
table: ``_schemas`` carries no prose). The flags themselves are derived at run time by the runtime's
``cli_options`` from the request schema, the same module the parameter reference uses.

The table's rows are plain data, so that another table (the operations table of the generated package) can
replace them: the runtime reads them in one function, ``cli.cli_operations``.
"""

from __future__ import annotations

import pprint
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .runtime.cli_options import options_for
from .template_helpers import COMPONENT_PREFIX, Operation

__all__ = ["cli_hints", "console_script", "globals_for"]

ROOT = Path(__file__).resolve().parent.parent
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def console_script(package: str = "orq_images") -> str:
    """The command's name: the ``[project.scripts]`` entry of pyproject.toml that runs ``<package>.__main__``."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        scripts: dict[str, str] = tomllib.load(file)["project"].get("scripts", {})
    for name, target in scripts.items():
        if target == f"{package}.__main__:main":
            return name
    raise ValueError(f"pyproject.toml has no [project.scripts] entry for {package}.__main__:main")


def cli_hints(document: Mapping[str, Any], operation: Mapping[str, Any]) -> dict[str, Any] | None:
    """The command-line facts of one operation (None without ``x-cli-name``); raises ``ValueError`` naming the
    operation when its hints do not fit its request body."""
    name = operation.get("x-cli-name")
    if name is None:
        return None
    label = operation.get("operationId", "an operation")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"{label}: x-cli-name {name!r} is not a command name (lower case, digits and dashes)")
    body = request_schema(operation)
    components = document.get("components", {}).get("schemas", {})
    files = file_fields(body, components)
    positional = operation.get("x-cli-positional")
    if positional is None:
        required = set(_resolve(body, components).get("required", ()))
        positional = [field for field in files if field in required]
    short_flags = operation.get("x-cli-short-flags", {})
    if not isinstance(positional, list) or not all(isinstance(field, str) for field in positional):
        raise ValueError(f"{label}: x-cli-positional must be a list of field names, got {positional!r}")
    if not isinstance(short_flags, dict):
        raise ValueError(f"{label}: x-cli-short-flags must map field names to letters, got {short_flags!r}")
    try:
        options = options_for(body, components, positional=positional, short_flags=short_flags, file_fields=files)
    except ValueError as exc:
        raise ValueError(f"{label} (x-cli-name {name!r}): {exc}") from None
    return {
        "cli_name": name,
        "cli_group": str(operation.get("x-cli-group", "")),
        "cli_positional": list(positional),
        "cli_short_flags": dict(short_flags),
        "file_fields": files,
        "options": options,
    }


def request_schema(operation: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema of the operation's request body (its first media type)."""
    content: Mapping[str, Any] = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        return media.get("schema", {})  # type: ignore[no-any-return]
    return {}


def file_fields(body: Mapping[str, Any], components: Mapping[str, Any]) -> list[str]:
    """The body's properties that hold files (``format: binary``, ``contentMediaType``, or arrays of those)."""
    found = []
    for field, prop in _resolve(body, components).get("properties", {}).items():
        schema = _resolve(prop, components)
        if schema.get("type") == "array":
            schema = _resolve(schema.get("items", {}), components)
        if schema.get("format") == "binary" or "contentMediaType" in schema:
            found.append(field)
    return found


def _resolve(schema: Mapping[str, Any], components: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
        return _resolve(components.get(ref.removeprefix(COMPONENT_PREFIX), {}), components)
    return schema


def table(document: Mapping[str, Any], operations: Sequence[Operation]) -> list[dict[str, Any]]:
    """The rows of ``_cli.OPERATIONS``: one per SDK operation with ``x-cli-name``, in path order."""
    rows: list[dict[str, Any]] = []
    for op in operations:
        operation = document["paths"][op.path][op.method.lower()]
        hints = cli_hints(document, operation)
        if hints is None:
            continue
        if hints["cli_name"] in [row["cli_name"] for row in rows]:
            raise ValueError(f"two operations have x-cli-name {hints['cli_name']!r}")
        rows.append(
            {
                "cli_name": hints["cli_name"],
                "cli_group": hints["cli_group"],
                "request_schema": op.key,
                "namespace": list(op.namespace),
                "method": op.name,
                "summary": " ".join(str(operation.get("summary", "")).split()),
                "description": " ".join(str(operation.get("description", "")).split()),
                "cli_positional": hints["cli_positional"],
                "cli_short_flags": hints["cli_short_flags"],
                "file_fields": hints["file_fields"],
                "save_to": [op.save_to.items, op.save_to.field] if op.save_to else None,
                "save_to_url": op.save_to.url if op.save_to else None,
                "help": {o.field: o.description for o in hints["options"] if o.description and not o.hidden},
            }
        )
    return rows


def globals_for(document: Mapping[str, Any], sdk_operations: Sequence[Operation]) -> dict[str, Any]:
    """Template globals: ``cli_table()`` (the table as a Python literal) and ``cli_prog`` (the command's name)."""
    return {
        "cli_table": lambda: pprint.pformat(table(document, sdk_operations), width=120, sort_dicts=False),
        "cli_prog": console_script(),
    }
