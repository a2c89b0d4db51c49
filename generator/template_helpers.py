"""What the templates need beyond openapi-python-client's parsed data, read from the effective document.

openapi-python-client parses the document into Python objects but drops facts our SDK needs (``x-`` extensions,
``deprecated`` next to a ``$ref``, ``discriminator``, a multipart body's ``encoding``, the raw schemas for
client-side validation). ``SpecHelpers`` looks them up once and hands the templates frozen records
(``Operation``, ``FormPart``, ``Namespace``...). Every operation is checked when ``SpecHelpers`` is made: one the
generator cannot render, or one without SDK naming, raises ``GenerationError`` naming the operation and what is
missing, before anything is written.
"""

from __future__ import annotations

import keyword
import pprint
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties.any import AnyProperty
from openapi_python_client.parser.properties.file import FileProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.literal_enum_property import LiteralEnumProperty
from openapi_python_client.parser.properties.model_property import ModelProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.schema.untrusted_string import UntrustedString

__all__ = [
    "COMPONENT_PREFIX",
    "FILTERS",
    "FormPart",
    "GenerationError",
    "Operation",
    "SpecHelpers",
    "identifier",
    "raw",
]

COMPONENT_PREFIX = "#/components/schemas/"
"""The one place that spells how a ``$ref`` names a component schema (reference_docs imports it)."""
# Keys the runtime validator does not read: left out of the embedded schemas to keep import time low.
DOC_ONLY_KEYS = frozenset({"description", "example", "examples", "summary", "externalDocs", "format"})
PARAM_SUFFIX = "Param"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BODY_MEDIA_TYPES = ("application/json", "multipart/form-data")
# The content types the runtime tells apart by their first bytes (orq_images._runtime.uploads).
SNIFFABLE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


class GenerationError(Exception):
    """The document asks for something the generator cannot render; the message says which operation and why."""


@attrs.frozen
class SaveToHint:
    """``x-sdk-save-to``: the base64 strings at ``<items>[i].<field>`` of the answer can go straight to files; the
    URL at ``<items>[i].<url>`` (when named) is downloaded into them on request (``download_urls=True``)."""

    items: str
    field: str
    url: str | None = None


@attrs.frozen
class FormPart:
    """How one property of a ``multipart/form-data`` body goes on the wire (from the body's ``encoding``)."""

    name: str
    kind: Literal["text", "json", "file"]
    part_name: str
    required: bool
    accept: tuple[str, ...] = ()
    max_bytes: int | None = None


@attrs.frozen
class Operation:
    """One SDK method: where it lives, what it sends, what it answers."""

    key: str  # the module name of the operation, also the key of its schemas in _schemas
    operation_id: str
    method: str
    path: str
    namespace: tuple[str, ...]
    name: str
    endpoint: Endpoint = attrs.field(eq=False, repr=False)
    media_type: str
    body_model: ModelProperty = attrs.field(eq=False, repr=False)
    body_component: str
    response_model: ModelProperty = attrs.field(eq=False, repr=False)
    response_component: str
    save_to: SaveToHint | None
    form: tuple[FormPart, ...]
    cli_group: str | None
    cli_name: str | None

    @property
    def multipart(self) -> bool:
        return self.media_type == "multipart/form-data"

    @property
    def file_fields(self) -> tuple[str, ...]:
        return tuple(part.name for part in self.form if part.kind == "file")

    @property
    def module(self) -> str:
        """The generated module, relative to the package: ``api.images.create_image``."""
        return f"api.{self.endpoint.tags[0]}.{self.key}"


@attrs.frozen
class ChildNamespace:
    attr: str
    class_name: str


@attrs.frozen
class Namespace:
    """A namespace class (``RouterImages``): its path, child namespaces and operations."""

    path: tuple[str, ...]
    class_name: str
    children: tuple[ChildNamespace, ...]
    operations: tuple[Operation, ...]


@attrs.frozen
class Discriminator:
    """A union's declared ``discriminator``: the field, and the member model for each of its values."""

    field: str
    cases: tuple[tuple[str, ModelProperty], ...]


class SpecHelpers:
    """The template globals for one effective document and openapi-python-client's parse of it."""

    def __init__(self, document: Mapping[str, Any], data: GeneratorData) -> None:
        self.document = document
        self.data = data
        self.schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
        self.models_by_name: dict[str, ModelProperty] = {str(m.class_info.name): m for m in data.models}
        self.operations: tuple[Operation, ...] = tuple(self._operations())
        self._field_paths = self._deprecated_field_paths()

    # -- template globals ------------------------------------------------------------------------------------

    def globals(self) -> dict[str, Any]:
        return {
            "property_schema": self.property_schema,
            "deprecation_arguments": self.deprecation_arguments,
            "identifier": identifier,
            "model_extension": self.model_extension,
            "closed_model": self.closed,
            "param_type": self.param_type,
            "union_discriminator": self.union_discriminator,
            "is_nullable": is_nullable,
            "sdk_operations": self.operations,
            "namespace_classes": self.namespace_classes(),
            "top_namespaces": self.top_namespaces(),
            "validation_components": self.validation_components,
            "request_schema": self.request_schema,
            "param_suffix": PARAM_SUFFIX,
            "request_models": self.request_models(),
        }

    # -- schemas of models -----------------------------------------------------------------------------------

    def component_of(self, model: ModelProperty) -> Mapping[str, Any]:
        name = self.component_name(model)
        if name is not None:
            return self.schemas[name]  # type: ignore[no-any-return]
        return model.data.model_dump(by_alias=True, exclude_none=True)

    def component_name(self, model: ModelProperty) -> str | None:
        for root in model.roots:
            text = raw(root)
            if text.startswith("/components/schemas/"):
                return text.rsplit("/", 1)[1]
        return None

    def property_schema(self, model: ModelProperty, name: str | UntrustedString) -> Mapping[str, Any]:
        """The raw schema of one property of ``model``, siblings of ``$ref`` included."""
        return self.component_of(model).get("properties", {}).get(raw(name), {})  # type: ignore[no-any-return]

    def model_extension(self, model: ModelProperty, key: str) -> Any:
        return self.component_of(model).get(key)

    def closed(self, model: ModelProperty) -> bool:
        """True when the schema forbids keys it does not declare (``additionalProperties: false``)."""
        return self.component_of(model).get("additionalProperties") is False

    def deprecation_arguments(self, model: ModelProperty, name: str | UntrustedString) -> tuple[str, str | None]:
        """(where the field is, its replacement) for ``warn.deprecation_message``: ``("orq.contact", "orq.identity")``.

        The field is named by its path in the request when its model sits at one place only, otherwise as
        ``Model.field``; the replacement is ``x-replaced-by`` as written, wherever it lives."""
        field = raw(name)
        paths = self._field_paths.get(self.component_name(model) or "", set())
        where = f"{next(iter(paths))}{field}" if len(paths) == 1 else f"{model.class_info.name}.{field}"
        return where, self.property_schema(model, name).get("x-replaced-by")

    def _deprecated_field_paths(self) -> dict[str, set[str]]:
        """For each component, the prefixes (``""``, ``"orq."``) of the places request bodies hold it."""
        found: dict[str, set[str]] = {}

        def walk(component: str, prefix: str, seen: frozenset[str]) -> None:
            found.setdefault(component, set()).add(prefix)
            if component in seen:
                return
            for key, sub in self.schemas.get(component, {}).get("properties", {}).items():
                for target in _refs_of(sub):
                    walk(target, f"{prefix}{key}.", seen | {component})

        for operation in self.operations:
            walk(operation.body_component, "", frozenset())
        return found

    def request_models(self) -> frozenset[str]:
        """Class names of the models a request can hold (the ones that get a ``...Param`` TypedDict)."""
        found: set[str] = set()

        def visit(prop: Any) -> None:
            if isinstance(prop, ModelProperty):
                model = self.models_by_name.get(str(prop.class_info.name), prop)
                if str(model.class_info.name) in found:
                    return
                found.add(str(model.class_info.name))
                for inner in [*(model.required_properties or ()), *(model.optional_properties or ())]:
                    visit(inner)
                extra: Any = model.additional_properties  # a Property, or a bool
                if not isinstance(extra, bool) and extra is not None:
                    visit(extra)
            elif isinstance(prop, ListProperty):
                visit(prop.inner_property)
            elif isinstance(prop, UnionProperty):
                for inner in prop.inner_properties:
                    visit(inner)

        for operation in self.operations:
            visit(operation.body_model)
        return frozenset(found)

    # -- types -----------------------------------------------------------------------------------------------

    def param_type(self, prop: PropertyProtocol) -> str:
        """The type a caller may pass for ``prop``: a model, or the equivalent plain dict (a TypedDict)."""
        if isinstance(prop, ModelProperty):
            model = self.models_by_name.get(prop.class_info.name, prop)  # the resolved model, not a forward copy
            extra: Any = model.additional_properties  # a Property, or True for `additionalProperties: {}`
            if not (model.required_properties or model.optional_properties) and extra:
                inner = "Any" if extra is True else self.param_type(extra)
                return f"{model.class_info.name} | Mapping[str, {inner}]"
            return f"{model.class_info.name} | {model.class_info.name}{PARAM_SUFFIX}"
        if isinstance(prop, ListProperty):
            return f"Sequence[{self.param_type(prop.inner_property)}]"
        if isinstance(prop, UnionProperty):
            parts: list[str] = []
            for member in prop.inner_properties:
                for part in self.param_type(member).split(" | "):
                    if part not in parts:
                        parts.append(part)
            return " | ".join(parts)
        if isinstance(prop, FileProperty):
            return "FileInput"
        if isinstance(prop, NoneProperty):
            return "None"
        if isinstance(prop, AnyProperty):
            return "Any"
        if isinstance(prop, LiteralEnumProperty):
            return str(prop.class_info.name)
        return prop.get_type_string(no_optional=True).as_unembedded_code()

    def union_discriminator(self, prop: UnionProperty) -> Discriminator | None:
        """The ``discriminator`` the document declares for the union of these member models, if it does.

        openapi-python-client 0.29.1 ignores ``discriminator`` and parses unions first-match; the template
        dispatches on the declared field instead. Values without a ``mapping`` are the component names (OpenAPI's
        rule)."""
        members = [inner for inner in prop.inner_properties if isinstance(inner, ModelProperty)]
        by_component = {self.component_name(self.models_by_name.get(m.class_info.name, m)): m for m in members}
        if len(members) < 2 or None in by_component:
            return None
        for schema in _walk_schemas(self.schemas):
            declared = schema.get("discriminator")
            branches = schema.get("oneOf") or schema.get("anyOf") or []
            targets = {ref.removeprefix(COMPONENT_PREFIX) for branch in branches for ref in [branch.get("$ref", "")]}
            if not isinstance(declared, Mapping) or targets != set(by_component):
                continue
            mapping = declared.get("mapping") or {name: COMPONENT_PREFIX + name for name in targets}
            cases = tuple(
                (str(value), by_component[ref.removeprefix(COMPONENT_PREFIX)]) for value, ref in mapping.items()
            )
            return Discriminator(field=str(declared["propertyName"]), cases=cases)
        return None

    # -- operations ------------------------------------------------------------------------------------------

    def _operations(self) -> Iterator[Operation]:
        endpoints: dict[tuple[str, str], Endpoint] = {}
        for collection in self.data.endpoint_collections_by_tag.values():
            for endpoint in collection.endpoints:
                endpoints[(raw(endpoint.path), endpoint.method.lower())] = endpoint
        seen: dict[tuple[str, ...], str] = {}
        for path, item in self.document.get("paths", {}).items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, Mapping):
                    continue
                label = f"operation {operation.get('operationId', '(no operationId)')} ({method.upper()} {path})"
                rendered = endpoints.get((path, method))
                if rendered is None:
                    raise GenerationError(f"{label}: openapi-python-client did not render it")
                op = self._operation(label, path, method, operation, rendered)
                full = (*op.namespace, op.name)
                if full in seen:
                    raise GenerationError(f"{label}: orq.{'.'.join(full)} is also the name of {seen[full]}")
                seen[full] = label
                yield op

    def _operation(
        self, label: str, path: str, method: str, operation: Mapping[str, Any], endpoint: Endpoint
    ) -> Operation:
        namespace, name = operation.get("x-sdk-namespace"), operation.get("x-sdk-method")
        if not namespace or not name:
            raise GenerationError(
                f"{label} has no SDK name: give it x-sdk-namespace and x-sdk-method in an overlay"
                " (overlays/10-sdk-naming.yaml)"
            )
        try:
            parts = tuple(identifier(part) for part in [*str(namespace).split("."), str(name)])
        except ValueError as exc:
            raise GenerationError(f"{label}: {exc}") from None
        content = (operation.get("requestBody") or {}).get("content") or {}
        media_types = [media for media in content if media in BODY_MEDIA_TYPES]
        if len(content) != 1 or not media_types:
            raise GenerationError(
                f"{label}: the generator renders a request body in exactly one of {', '.join(BODY_MEDIA_TYPES)};"
                f" this one has {', '.join(content) or 'none'}"
            )
        media_type = media_types[0]
        body_component = self._component_ref(label, "request body", content[media_type].get("schema"))
        ok = self._resolve_response(operation.get("responses", {}).get("200"))
        ok_content = (ok or {}).get("content") or {}
        if "application/json" not in ok_content:
            raise GenerationError(f"{label}: the generator needs a 200 answer in application/json")
        response_component = self._component_ref(label, "200 answer", ok_content["application/json"].get("schema"))
        form = (
            self._form(label, body_component, content[media_type].get("encoding") or {})
            if media_type == "multipart/form-data"
            else ()
        )
        return Operation(
            key=str(endpoint.name),
            operation_id=str(operation.get("operationId", "")),
            method=method.upper(),
            path=path,
            namespace=parts[:-1],
            name=parts[-1],
            endpoint=endpoint,
            media_type=media_type,
            body_model=self._model(label, body_component),
            body_component=body_component,
            response_model=self._model(label, response_component),
            response_component=response_component,
            save_to=self._save_to(label, operation, response_component),
            form=form,
            cli_group=operation.get("x-cli-group"),
            cli_name=operation.get("x-cli-name"),
        )

    def _resolve_response(self, response: Any) -> Mapping[str, Any] | None:
        if isinstance(response, Mapping) and "$ref" in response:
            name = str(response["$ref"]).removeprefix("#/components/responses/")
            return self.document.get("components", {}).get("responses", {}).get(name)  # type: ignore[no-any-return]
        return response if isinstance(response, Mapping) else None

    def _component_ref(self, label: str, what: str, schema: Any) -> str:
        ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
        if not ref.startswith(COMPONENT_PREFIX) or ref.removeprefix(COMPONENT_PREFIX) not in self.schemas:
            raise GenerationError(
                f"{label}: the {what} schema must be a $ref to a component schema (it names the model)"
            )
        return str(ref.removeprefix(COMPONENT_PREFIX))

    def _model(self, label: str, component: str) -> ModelProperty:
        for model in self.data.models:
            if any(raw(root) == f"/components/schemas/{component}" for root in model.roots):
                return self.models_by_name.get(str(model.class_info.name), model)
        raise GenerationError(f"{label}: {component} must be an object schema (no model was generated for it)")

    def _save_to(self, label: str, operation: Mapping[str, Any], response_component: str) -> SaveToHint | None:
        """``x-sdk-save-to: {items: data, field: b64_json}``, checked against the response schema, so a renamed
        property fails the generation instead of silently saving nothing."""
        hint = operation.get("x-sdk-save-to")
        if hint is None:
            return None
        items, field, url = hint.get("items"), hint.get("field"), hint.get("url")
        array = self.schemas[response_component].get("properties", {}).get(items, {})
        item_ref = array.get("items", {}).get("$ref", "") if array.get("type") == "array" else ""
        item = self.schemas.get(item_ref.removeprefix(COMPONENT_PREFIX), {})
        properties = item.get("properties", {})
        strings = [name for name in (field, url) if name is not None]
        if any(properties.get(name, {}).get("type") != "string" for name in strings) or (
            item.get("x-sdk-mixin") != "ImageMixin"
        ):
            named = " and ".join(repr(name) for name in strings)
            raise GenerationError(
                f"{label}: x-sdk-save-to {dict(hint)!r}: the answer needs an array property {items!r} of objects"
                f" with x-sdk-mixin ImageMixin and string properties {named}"
            )
        return SaveToHint(
            items=identifier(items), field=identifier(field), url=identifier(url) if url is not None else None
        )

    def _form(self, label: str, component: str, encoding: Mapping[str, Any]) -> tuple[FormPart, ...]:
        """The parts of a multipart body: per property, from ``encoding`` or, where it is silent, OpenAPI's
        defaults (a binary string is a file, an object or an array of objects is JSON, anything else text)."""
        schema = self.schemas[component]
        properties: Mapping[str, Any] = schema.get("properties", {})
        unknown = set(encoding) - set(properties)
        if unknown:
            raise GenerationError(
                f"{label}: encoding names {', '.join(sorted(unknown))}, which are not properties of {component}"
            )
        required = set(schema.get("required", ()))
        parts = []
        for name, sub in properties.items():
            rules: Mapping[str, Any] = encoding.get(name, {})
            declared = [kind.strip() for kind in str(rules.get("contentType", "")).split(",") if kind.strip()]
            target = self._resolved(sub)
            is_file = _is_binary(target)
            part_name = str(rules.get("x-part-name", name))
            if target.get("type") == "array" and _is_binary(self._resolved(target.get("items", {}))):
                # Several files in one field: the API has yet to describe how they go on the wire.
                raise GenerationError(f"{label}: {name!r} is an array of files, which the generator does not render")
            if is_file:
                if not declared or not set(declared) <= SNIFFABLE_TYPES:
                    raise GenerationError(
                        f"{label}: the file property {name!r} needs encoding.{name}.contentType listing the types it"
                        f" takes, among {', '.join(sorted(SNIFFABLE_TYPES))} (the runtime checks files by their bytes)"
                    )
                max_bytes = target.get("x-max-bytes")
                parts.append(FormPart(name, "file", part_name, name in required, tuple(declared), max_bytes))
            elif declared == ["application/json"] or (not declared and self._is_structured(target)):
                parts.append(FormPart(name, "json", part_name, name in required))
            elif not declared or declared == ["text/plain"]:
                parts.append(FormPart(name, "text", part_name, name in required))
            else:
                raise GenerationError(
                    f"{label}: encoding.{name}.contentType {rules.get('contentType')!r} is not one the generator"
                    " renders (application/json or text/plain for a value, image types for a file)"
                )
        return tuple(parts)

    def _resolved(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 50:
            schema = self.schemas.get(str(schema["$ref"]).removeprefix(COMPONENT_PREFIX), {})
            seen += 1
        return schema

    def _is_structured(self, schema: Mapping[str, Any]) -> bool:
        """An object, a union of objects, or an array of objects: sent as one JSON part."""
        types = schema.get("type")
        kinds = {types} if isinstance(types, str) else set(types or ())
        if "object" in kinds or "properties" in schema:
            return True
        if "array" in kinds:
            return self._is_structured(self._resolved(schema.get("items", {})))
        branches = [self._resolved(b) for b in schema.get("oneOf", []) + schema.get("anyOf", [])]
        return any(self._is_structured(branch) for branch in branches)

    # -- namespaces ------------------------------------------------------------------------------------------

    def namespace_classes(self) -> list[Namespace]:
        """The tree of namespace classes (``Router`` -> ``RouterImages`` -> ...), leaves first."""
        children: dict[tuple[str, ...], list[ChildNamespace]] = {}
        operations: dict[tuple[str, ...], list[Operation]] = {}
        for op in self.operations:
            for depth in range(1, len(op.namespace) + 1):
                key = op.namespace[:depth]
                operations.setdefault(key, [])
                if depth > 1:
                    child = ChildNamespace(attr=key[-1], class_name=_namespace_class(key))
                    siblings = children.setdefault(key[:-1], [])
                    if child not in siblings:
                        siblings.append(child)
            operations[op.namespace].append(op)
        nodes = [
            Namespace(
                path=key,
                class_name=_namespace_class(key),
                children=tuple(children.get(key, ())),
                operations=tuple(ops),
            )
            for key, ops in operations.items()
        ]
        return sorted(nodes, key=lambda node: -len(node.path))

    def top_namespaces(self) -> list[ChildNamespace]:
        return [
            ChildNamespace(attr=node.path[0], class_name=node.class_name)
            for node in self.namespace_classes()
            if len(node.path) == 1
        ]

    # -- schemas for the runtime validator -------------------------------------------------------------------

    def validation_components(self) -> str:
        pruned = {name: _prune(schema) for name, schema in self.schemas.items()}
        return pprint.pformat(pruned, width=120, sort_dicts=False)

    def request_schema(self, op: Operation) -> str:
        """What ``validation.prepare`` checks for ``op``: its body component, without the file properties of a
        multipart body (``uploads`` checks those)."""
        if not op.file_fields:
            return repr({"$ref": COMPONENT_PREFIX + op.body_component})
        schema = dict(_prune(self.schemas[op.body_component]))
        schema["properties"] = {k: v for k, v in schema.get("properties", {}).items() if k not in op.file_fields}
        if "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in op.file_fields]
        return pprint.pformat(schema, width=120, sort_dicts=False)


def is_nullable(prop: PropertyProtocol) -> bool:
    if isinstance(prop, NoneProperty):
        return True
    if isinstance(prop, UnionProperty):
        return any(isinstance(inner, NoneProperty) for inner in prop.inner_properties)
    return False


def raw(value: str | UntrustedString) -> str:
    """The plain text of a string from the document (only for lookups and checked identifiers)."""
    return value.get_untrusted_value() if isinstance(value, UntrustedString) else str(value)


def identifier(value: str | UntrustedString) -> str:
    """A name from the document that becomes a Python identifier: checked, never trusted blindly."""
    text = raw(value)
    if not text.isidentifier() or keyword.iskeyword(text):
        raise ValueError(f"{text!r} from the API description is not a usable Python identifier")
    return text


def _is_binary(schema: Mapping[str, Any]) -> bool:
    return schema.get("format") == "binary" or "contentMediaType" in schema


def _refs_of(schema: Any) -> Iterator[str]:
    """Component names a property schema holds directly, through arrays or unions (not through other objects)."""
    if not isinstance(schema, Mapping):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_PREFIX):
        yield ref.removeprefix(COMPONENT_PREFIX)
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(key, ()):
            yield from _refs_of(branch)


def _walk_schemas(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from _walk_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_schemas(value)


def _namespace_class(parts: tuple[str, ...]) -> str:
    return "".join(part[:1].upper() + part[1:] for part in parts)


def _prune(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: {name: _prune(sub) for name, sub in value.items()} if key == "properties" else _prune(value)
            for key, value in schema.items()
            if key not in DOC_ONLY_KEYS
        }
    if isinstance(schema, list):
        return [_prune(value) for value in schema]
    return schema


def _docstring_text(text: Any) -> str:
    """Collapse whitespace; the result still goes through ``safe_for_docstring`` in the templates."""
    return " ".join(raw(text).split()) if text else ""


FILTERS: dict[str, Any] = {
    "one_line": _docstring_text,
}
