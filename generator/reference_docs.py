"""The parameter reference (``generated/docs/parameters.md``), rendered from the effective OpenAPI document.

Every ``make generate`` writes it again and ``make check-generated`` compares it, so it cannot fall behind the
API description. For each operation it lists the arguments of the SDK method (the request body), every object,
union and enumeration they reach, the response and the error statuses: one table per schema with the field,
its Python type, whether it is required or nullable, its constraints, the server default and the description.

The output depends on the document alone, in the document's own order, so it is deterministic. This module
works out what the page says (``_Renderer`` turns schemas into blocks: headings, paragraphs, lists and tables with
their cells); ``generator/templates/parameters.md.jinja`` says how it looks in Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import jinja2

from . import cli_table
from .runtime.cli_options import Kind, usage_line

__all__ = ["render_reference", "write_reference"]

from .template_helpers import BODY_MEDIA_TYPES, COMPONENT_PREFIX, HTTP_METHODS

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "parameters.md.jinja"

RESPONSE_PREFIX = "#/components/responses/"
FILE_TYPE = (
    'file: a path (`str` or `pathlib.Path`), `bytes`, a binary file object, `{"file_name", "content",'
    ' "content_type"}` or a tuple `(file_name, content, content_type)`'
)
PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
    "object": "dict[str, Any]",
    "array": "list[Any]",
}
REQUEST_COLUMNS = ("Field", "Type", "Required", "Nullable", "Constraints", "Server default", "Description")
RESPONSE_COLUMNS = ("Field", "Type", "Always present", "Nullable", "Description")

Schema = Mapping[str, Any]


def write_reference(document: Mapping[str, Any], path: Path) -> None:
    """Render the reference of ``document`` into ``path`` (creating its directory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_reference(document), encoding="utf-8")


def render_reference(document: Mapping[str, Any]) -> str:
    """The whole reference as Markdown."""
    info = document.get("info", {})
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: cells are escaped for tables by _cell
    )
    text = environment.get_template(TEMPLATE_NAME).render(
        title=_inline(str(info.get("title", ""))),
        version=_inline(str(info.get("version", ""))),
        blocks=_Renderer(document).blocks(),
    )
    return text.rstrip("\n") + "\n"


@attrs.frozen
class Block:
    """One piece of the page: a heading (``level``, ``text``), a paragraph (``text``), a bulleted list (``items``)
    or a table (``columns``, ``rows`` of cells, and a ``note`` under it)."""

    kind: Literal["heading", "paragraph", "bullets", "table"]
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    note: str | None = None


def _heading(level: int, text: str) -> Block:
    return Block("heading", text=text, level=level)


def _paragraph(text: str) -> Block:
    return Block("paragraph", text=text)


class _Renderer:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.components: Mapping[str, Schema] = document.get("components", {}).get("schemas", {})
        self.documented: set[str] = set()  # each component is described once, where it is first reached
        # Inline objects get a section of their own too, named after where they sit (`CreatePetRequest.owner`).
        self.inline: dict[str, Schema] = {}

    # ---- document structure ------------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        """The page after its fixed introduction (which the template holds)."""
        blocks: list[Block] = []
        operations = list(self._operations())
        if len(operations) > 1:
            blocks += [
                _heading(2, "Methods"),
                Block("bullets", items=tuple(f"[`{name}`](#{_anchor(name)})" for name, _, _, _ in operations)),
            ]
        for name, method, path, operation in operations:
            blocks += self._operation(name, method, path, operation)
        return blocks

    def _operations(self) -> Iterator[tuple[str, str, str, Schema]]:
        for path, item in self.document.get("paths", {}).items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                namespace, sdk_method = operation.get("x-sdk-namespace"), operation.get("x-sdk-method")
                if namespace and sdk_method:
                    name = f"orq.{namespace}.{sdk_method}"
                else:
                    name = str(operation.get("operationId", f"{method} {path}"))
                yield name, method, path, operation

    def _operation(self, name: str, method: str, path: str, operation: Schema) -> list[Block]:
        blocks = [_heading(2, f"`{name}`")]
        summary = operation.get("summary")
        blocks.append(_paragraph(f"`{method.upper()} {path}`" + (f": {_inline(str(summary))}." if summary else "")))
        if operation.get("description"):
            blocks.append(_paragraph(_inline(str(operation["description"]))))
        if operation.get("x-sdk-method"):
            save_to = operation.get("x-sdk-save-to")
            blocks.append(
                _paragraph(
                    f"`{operation['x-sdk-method']}_async` takes the same arguments. Both also take the per-call options"
                    " `retries`, `server_url`, `timeout_ms` and `http_headers` (see the README)"
                    + (
                        f", and `save_to`, which writes each `{save_to.get('items')}[i].{save_to.get('field')}` image"
                        " straight to a file while the answer arrives"
                        + (
                            f"; with `download_urls=True`, each `{save_to.get('items')}[i].{save_to['url']}` image is"
                            " downloaded into it too"
                            if save_to.get("url")
                            else ""
                        )
                        + " (see the README)."
                        if isinstance(save_to, dict)
                        else "."
                    )
                )
            )

        body, media_type = _body_schema(operation.get("requestBody", {}))
        reached: list[str] = []
        if body is not None:
            blocks.append(_heading(3, "Arguments"))
            if media_type == "multipart/form-data":
                blocks.append(
                    _paragraph(
                        "Sent as `multipart/form-data`: a file as a file part (its content type told by its first"
                        " bytes), an object or a list of objects as one JSON part, any other value as text. `None`"
                        " sends no part."
                    )
                )
            encoding = operation["requestBody"]["content"][media_type].get("encoding") or {}
            owner = _ref_name(body) or "arguments"
            resolved = self._resolve(body)
            blocks += self._schema_table(
                resolved, reached, request=True, first_column="Argument", owner=owner, encoding=encoding
            )
            blocks += self._reached(reached, level=3, request=True)
            blocks += _command_line(self.document, operation)

        responses = {status: self._response(response) for status, response in operation.get("responses", {}).items()}
        for status, response in responses.items():
            if str(status).startswith("2"):
                schema = _json_schema(response)
                blocks.append(_heading(3, f"Result ({status})"))
                if response.get("description"):
                    blocks.append(_paragraph(_inline(str(response["description"]))))
                if schema is not None:
                    reached = []
                    target = _ref_name(schema)
                    if target:
                        blocks.append(_paragraph(f"Type: {self._link(target)}."))
                        reached.append(target)
                    else:
                        blocks += self._schema_table(schema, reached, request=False, owner="result")
                    blocks += self._reached(reached, level=3, request=False)

        errors = [(str(status), response) for status, response in responses.items()]
        errors = [(status, response) for status, response in errors if not status.startswith("2")]
        if errors:
            reached = []
            rows = []
            for status, response in errors:
                schema = _json_schema(response)
                target = _ref_name(schema) if schema is not None else None
                if target:
                    reached.append(target)
                body_text = self._link(target) if target else "not documented (JSON or text)"
                rows.append((f"`{status}`", _cell(str(response.get("description", ""))), body_text))
            blocks += [_heading(3, "Errors"), Block("table", columns=("Status", "When", "Body"), rows=tuple(rows))]
            blocks += self._reached(reached, level=3, request=False)
        return blocks

    def _reached(self, queue: list[str], *, level: int, request: bool) -> list[Block]:
        """Sections for ``queue`` and everything they reach (objects and unions first, then enumerations)."""
        objects: list[Block] = []
        enums: list[Block] = []
        while queue:
            name = queue.pop(0)
            if name in self.documented or (name not in self.components and name not in self.inline):
                continue
            self.documented.add(name)
            schema = self.components[name] if name in self.components else self.inline[name]
            section = [_heading(level + 1, name)]
            if schema.get("description"):
                section.append(_paragraph(_inline(str(schema["description"]))))
            if _is_enum(schema):
                values = ", ".join(f"`{_json(value)}`" for value in schema["enum"])
                section.append(
                    _paragraph(f"Type: `{PRIMITIVES.get(str(schema.get('type')), 'Any')}`, one of {values}.")
                )
                enums += section
                continue
            found: list[str] = []
            if "properties" in schema:
                section += self._schema_table(schema, found, request=request, owner=name)
            elif "oneOf" in schema or "anyOf" in schema:
                section += self._union(schema, found)
            else:
                type_text, nullable = self._type(schema, found)
                facts = [f"Type: {type_text}"]
                if nullable:
                    facts.append("nullable")
                constraints = self._constraints(schema) if request else ""
                if constraints:
                    facts.append(constraints)
                section.append(_paragraph("; ".join(facts) + "."))
            objects += section
            queue += found
        return objects + enums

    def _union(self, schema: Schema, found: list[str]) -> list[Block]:
        key = "oneOf" if "oneOf" in schema else "anyOf"
        discriminator = schema.get("discriminator", {})
        by_target = {target: value for value, target in discriminator.get("mapping", {}).items()}
        prop = discriminator.get("propertyName")
        items = []
        for option in schema[key]:
            text, _ = self._type(option, found)
            ref = option.get("$ref")
            if prop and ref in by_target:
                text += f" (`{prop}: {_json(by_target[ref])}`)"
            items.append(text)
        return [_paragraph("One of:"), Block("bullets", items=tuple(items))]

    # ---- tables -----------------------------------------------------------------------------------------

    def _schema_table(
        self,
        schema: Schema,
        found: list[str],
        *,
        request: bool,
        owner: str,
        first_column: str = "Field",
        encoding: Mapping[str, Any] | None = None,
    ) -> list[Block]:
        required = set(schema.get("required", []))
        columns = (first_column, *(REQUEST_COLUMNS if request else RESPONSE_COLUMNS)[1:])
        rows: list[tuple[str, ...]] = []
        for field, prop in schema.get("properties", {}).items():
            type_text, nullable = self._inline_object(f"{owner}.{field}", prop, found) or self._type(prop, found)
            target = self._target(prop)
            deprecated = bool(prop.get("deprecated") or target.get("deprecated"))
            description = str(prop.get("description") or target.get("description") or "")
            if deprecated:
                replaced = prop.get("x-replaced-by")
                if description.lower().startswith("deprecated"):
                    description = f"**Deprecated**{description[len('deprecated') :]}"
                elif replaced:
                    description = f"**Deprecated**: use `{replaced}` instead. {description}".strip()
                else:
                    description = f"**Deprecated**. {description}".strip()
            example = prop.get("example")
            if example is not None and not isinstance(example, dict) and len(_json(example)) <= 60:
                description = f"{description} Example: `{_json(example)}`.".strip()
            name_text = f"`{field}`" + (" (deprecated)" if deprecated else "")
            cells = [name_text, type_text, "yes" if field in required else "no", "yes" if nullable else "no"]
            if request:
                constraints = self._constraints(prop)
                file_types = (encoding or {}).get(field, {}).get("contentType", "")
                if type_text == FILE_TYPE or self._target(prop).get("format") == "binary":
                    kinds = " or ".join(f"`{kind.strip()}`" for kind in str(file_types).split(",") if kind.strip())
                    told = f"{kinds}, told by its first bytes" if kinds else ""
                    constraints = "; ".join(part for part in (told, constraints) if part)
                cells.append(constraints)
                cells.append(f"`{_json(prop['default'])}`" if "default" in prop else "")
            cells.append(_cell(description))
            rows.append(tuple(cells))
        if not request:
            note = "An answer may hold other keys too; the model keeps them in `additional_properties`."
        elif schema.get("additionalProperties") is False:
            note = "Other keys are rejected."
        else:
            note = "Other keys are allowed."
        return [Block("table", columns=columns, rows=tuple(rows), note=note)]

    # ---- types and constraints --------------------------------------------------------------------------

    def _inline_object(self, name: str, schema: Schema, found: list[str]) -> tuple[str, bool] | None:
        """A link to the section of an inline object (or list of them) at ``name``; None for anything else."""
        items = schema.get("items")
        if schema.get("type") == "array" and isinstance(items, Mapping) and "properties" in items:
            self.inline[f"{name}[]"] = items
            found.append(f"{name}[]")
            return f"`list`\\[{self._link(name + '[]')}\\]", False
        if "properties" in schema and "$ref" not in schema:
            self.inline[name] = schema
            found.append(name)
            return self._link(name), _admits_null(schema)
        return None

    def _response(self, response: Schema) -> Schema:
        """A response, with a ``$ref`` to ``components/responses`` followed."""
        ref = response.get("$ref")
        if isinstance(ref, str) and ref.startswith(RESPONSE_PREFIX):
            return self.document.get("components", {}).get("responses", {}).get(ref[len(RESPONSE_PREFIX) :], {})  # type: ignore[no-any-return]
        return response

    def _type(self, schema: Schema, found: list[str]) -> tuple[str, bool]:
        """The Python type of ``schema`` (Markdown, with links) and whether it admits null."""
        if schema.get("format") == "binary":
            return FILE_TYPE, False
        name = _ref_name(schema)
        if name:
            found.append(name)
            target = self.components.get(name, {})
            return self._link(name), _admits_null(target)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                parts: list[str] = []
                nullable = False
                for option in schema[key]:
                    if option.get("type") == "null":
                        nullable = True
                        continue
                    text, option_nullable = self._type(option, found)
                    nullable = nullable or option_nullable
                    if text not in parts:
                        parts.append(text)
                return " \\| ".join(parts) or "None", nullable
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self._type(schema["allOf"][0], found)
        if "const" in schema:
            return f"`{_json(schema['const'])}`", False

        types = schema.get("type")
        type_list: list[str] = list(types) if isinstance(types, list) else [types] if types else []
        nullable = "null" in type_list or bool(schema.get("nullable"))
        type_list = [t for t in type_list if t != "null"]
        if not type_list:
            if "properties" in schema or "additionalProperties" in schema:
                type_list = ["object"]
            elif "items" in schema:
                type_list = ["array"]
            else:
                return "`Any`", True
        texts = [self._single_type(t, schema, found) for t in type_list]
        return " \\| ".join(texts), nullable

    def _single_type(self, type_name: str, schema: Schema, found: list[str]) -> str:
        if type_name == "array" and isinstance(schema.get("items"), Mapping):
            inner, inner_nullable = self._type(schema["items"], found)
            if inner_nullable:
                inner += " \\| `None`"
            return f"`list`\\[{inner}\\]"
        if type_name == "object" and not schema.get("properties"):
            extra = schema.get("additionalProperties", True)
            if isinstance(extra, Mapping) and extra:
                inner, _ = self._type(extra, found)
                return f"`dict`\\[`str`, {inner}\\]"
            return "`dict[str, Any]`"
        return f"`{PRIMITIVES.get(type_name, type_name)}`"

    def _constraints(self, schema: Schema) -> str:
        """Constraints of a field, its items and its map values, in words."""
        parts = _own_constraints(schema)
        target = self._target(schema)
        if _is_enum(target) and not _is_enum(schema):
            parts.append("one of " + ", ".join(f"`{_json(value)}`" for value in target["enum"]))
        for key in ("oneOf", "anyOf"):
            for option in schema.get(key, []):
                option_target = self._target(option)
                if _is_enum(option_target):
                    parts.append("one of " + ", ".join(f"`{_json(value)}`" for value in option_target["enum"]))
                else:
                    parts += _own_constraints(option)
        items = schema.get("items")
        if isinstance(items, Mapping):
            inner = self._constraints(items)
            if inner:
                parts.append(f"each item: {inner}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            inner = self._constraints(extra)
            if inner:
                parts.append(f"each value: {inner}")
        return "; ".join(_cell(part) for part in parts)

    def _target(self, schema: Schema) -> Schema:
        name = _ref_name(schema)
        return self.components.get(name, {}) if name else schema

    def _resolve(self, schema: Schema) -> Schema:
        name = _ref_name(schema)
        if name:
            self.documented.add(name)
            return self.components.get(name, {})
        return schema

    def _link(self, name: str) -> str:
        return f"[`{name}`](#{_anchor(name)})"


def _own_constraints(schema: Schema) -> list[str]:
    parts: list[str] = []
    low, high = schema.get("minimum"), schema.get("maximum")
    # OpenAPI 3.0 spelled an exclusive bound as a boolean flag next to minimum / maximum.
    low_open, high_open = schema.get("exclusiveMinimum") is True, schema.get("exclusiveMaximum") is True
    if low is not None and high is not None and not (low_open or high_open):
        parts.append(f"from {_json(low)} to {_json(high)}")
    else:
        if low is not None:
            parts.append(f"{'>' if low_open else '>='} {_json(low)}")
        if high is not None:
            parts.append(f"{'<' if high_open else '<='} {_json(high)}")
    for key, symbol in (("exclusiveMinimum", ">"), ("exclusiveMaximum", "<")):
        if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool):
            parts.append(f"{symbol} {_json(schema[key])}")
    if schema.get("multipleOf") is not None:
        parts.append(f"a multiple of {_json(schema['multipleOf'])}")
    for key, bound, unit in (
        ("minLength", "at least", "character"),
        ("maxLength", "at most", "character"),
        ("minItems", "at least", "item"),
        ("maxItems", "at most", "item"),
        ("minProperties", "at least", "key"),
        ("maxProperties", "at most", "key"),
    ):
        if schema.get(key) is not None:
            parts.append(f"{bound} {schema[key]} {unit}{'' if schema[key] == 1 else 's'}")
    if schema.get("uniqueItems"):
        parts.append("no duplicates")
    if schema.get("pattern"):
        parts.append(f"matches `{schema['pattern']}`")
    if schema.get("x-max-bytes") is not None:
        parts.append(f"at most {schema['x-max-bytes']} bytes")
    if schema.get("format") and schema.get("format") != "binary":
        parts.append(f"format `{schema['format']}` (not checked)")
    if _is_enum(schema):
        parts.append("one of " + ", ".join(f"`{_json(value)}`" for value in schema["enum"]))
    return parts


def _body_schema(holder: Schema) -> tuple[Schema | None, str | None]:
    """The schema of a request body and its media type (the first the generator renders), if it has one."""
    content = holder.get("content", {})
    for media_type in BODY_MEDIA_TYPES:
        schema = (content.get(media_type) or {}).get("schema")
        if isinstance(schema, Mapping) and schema:
            return schema, media_type
    return None, None


def _json_schema(holder: Schema) -> Schema | None:
    """The JSON schema of a request body or response (``application/json``), if it has one."""
    content = holder.get("content", {})
    media = content.get("application/json")
    if media is None:
        return None
    schema = media.get("schema")
    return schema if isinstance(schema, Mapping) and schema else None


def _ref_name(schema: Schema | None) -> str | None:
    if schema is None:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
        return ref[len(COMPONENT_PREFIX) :]
    return None


def _is_enum(schema: Schema) -> bool:
    return isinstance(schema.get("enum"), Sequence) and not isinstance(schema.get("enum"), str)


def _admits_null(schema: Schema) -> bool:
    types = schema.get("type")
    return types == "null" or (isinstance(types, list) and "null" in types) or bool(schema.get("nullable"))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(char for char in title.lower() if char.isalnum() or char in " -_")
    return kept.replace(" ", "-")


def _inline(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _command_line(document: Mapping[str, Any], operation: Schema) -> list[Block]:
    """orq: the operation's subcommand and the option of every argument, from the CLI's own rules (``cli_options``),
    for operations with an ``x-cli-name`` hint."""
    hints = cli_table.cli_hints(document, operation)
    if hints is None:
        return []
    prog, options = cli_table.console_script(), hints["options"]
    rows = []
    for option in options:
        if option.hidden:
            continue
        value = "" if option.kind is Kind.FLAG else f" {option.metavar}"
        flags = [*option.flags[:-1], option.flags[-1] + value] if option.flags else []
        shown = f"`{option.metavar}` (positional)" if option.positional else ", ".join(f"`{_cell(f)}`" for f in flags)
        rows.append((f"`{option.field}`", shown))
    return [
        _heading(3, f"Command line: `{prog} {hints['cli_name']}`"),
        _paragraph(
            f"`{usage_line(prog, hints['cli_name'], options)}`: each argument is an option (`--help` lists them with"
            " their descriptions). Object options take JSON, and each of their keys has a dotted option; list options"
            " are repeated; nullable options take the word `null`. See the README's command-line section."
        ),
        Block("table", columns=("Argument", "Command line"), rows=tuple(rows)),
    ]
