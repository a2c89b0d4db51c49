"""Functions and filters the templates use to read what openapi-python-client's parsed data does not keep.

openapi-python-client parses the document into Python objects but drops some facts our SDK needs
(``x-`` extensions, ``deprecated`` next to a ``$ref``, the raw schemas for client-side validation).
These helpers look them up in the effective document, so templates stay declarative.
"""

from __future__ import annotations

import keyword
import pprint
from collections.abc import Mapping
from typing import Any

from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties.any import AnyProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.literal_enum_property import LiteralEnumProperty
from openapi_python_client.parser.properties.model_property import ModelProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.schema.untrusted_string import UntrustedString

COMPONENT_PREFIX = "#/components/schemas/"
# Keys the runtime validator does not read: left out of the embedded schemas to keep import time low.
DOC_ONLY_KEYS = frozenset({"description", "example", "examples", "summary", "externalDocs", "format"})
PARAM_SUFFIX = "Param"


def globals_for(document: Mapping[str, Any], data: GeneratorData) -> dict[str, Any]:
    """Template globals bound to this document."""
    models_by_name: dict[str, ModelProperty] = {str(model.class_info.name): model for model in data.models}

    def component_of(model: ModelProperty) -> Mapping[str, Any]:
        for root in model.roots:
            text = raw(root)
            if text.startswith("/components/schemas/"):
                return document["components"]["schemas"][text.rsplit("/", 1)[1]]  # type: ignore[no-any-return]
        return model.data.model_dump(by_alias=True, exclude_none=True)

    def property_schema(model: ModelProperty, name: str | UntrustedString) -> Mapping[str, Any]:
        """The raw schema of one property of ``model``, siblings of ``$ref`` included."""
        return component_of(model).get("properties", {}).get(raw(name), {})  # type: ignore[no-any-return]

    def deprecation_message(model: ModelProperty, name: str | UntrustedString) -> str:
        """``x-replaced-by: orq.identity`` on ``contact`` gives "`orq.contact` is deprecated; use `orq.identity`"."""
        field = raw(name)
        replaced = property_schema(model, name).get("x-replaced-by")
        if not replaced:
            return f"`{field}` is deprecated."
        parent = replaced.rsplit(".", 1)[0] + "." if "." in replaced else ""
        return f"`{parent}{field}` is deprecated; use `{replaced}` instead."

    def model_extension(model: ModelProperty, key: str) -> Any:
        return component_of(model).get(key)

    def closed(model: ModelProperty) -> bool:
        """True when the schema forbids keys it does not declare (``additionalProperties: false``)."""
        return component_of(model).get("additionalProperties") is False

    def param_type(prop: PropertyProtocol) -> str:
        """The type a caller may pass for ``prop``: a model, or the equivalent plain dict (a TypedDict)."""
        if isinstance(prop, ModelProperty):
            model = models_by_name.get(prop.class_info.name, prop)  # the resolved model, not a forward copy
            extra: Any = model.additional_properties  # a Property, or True for `additionalProperties: {}`
            if not (model.required_properties or model.optional_properties) and extra:
                inner = "Any" if extra is True else param_type(extra)
                return f"{model.class_info.name} | Mapping[str, {inner}]"
            return f"{model.class_info.name} | {model.class_info.name}{PARAM_SUFFIX}"
        if isinstance(prop, ListProperty):
            return f"Sequence[{param_type(prop.inner_property)}]"
        if isinstance(prop, UnionProperty):
            parts: list[str] = []
            for member in prop.inner_properties:
                for part in param_type(member).split(" | "):
                    if part not in parts:
                        parts.append(part)
            return " | ".join(parts)
        if isinstance(prop, NoneProperty):
            return "None"
        if isinstance(prop, AnyProperty):
            return "Any"
        if isinstance(prop, LiteralEnumProperty):
            return str(prop.class_info.name)
        return prop.get_type_string(no_optional=True).as_unembedded_code()

    def is_nullable(prop: PropertyProtocol) -> bool:
        if isinstance(prop, NoneProperty):
            return True
        if isinstance(prop, UnionProperty):
            return any(isinstance(inner, NoneProperty) for inner in prop.inner_properties)
        return False

    def union_discriminator(prop: UnionProperty) -> dict[str, Any] | None:
        """How to tell a union's object members apart by one field, if they can be.

        openapi-python-client 0.29.1 ignores ``discriminator`` and parses unions first-match. A field that every
        member requires, each with its own single value (``enum: [x]`` or ``const``), is what a discriminator
        names (``LoadBalancer``'s ``type``), so the template dispatches on it. None when no such field exists.
        """
        members = [inner for inner in prop.inner_properties if isinstance(inner, ModelProperty)]
        if len(members) < 2 or len(members) != len(
            [inner for inner in prop.inner_properties if not isinstance(inner, NoneProperty)]
        ):
            return None
        schemas = [component_of(models_by_name.get(m.class_info.name, m)) for m in members]
        for field in schemas[0].get("required", []):
            values = []
            for schema in schemas:
                field_schema = schema.get("properties", {}).get(field, {})
                value = field_schema.get("const", (field_schema.get("enum") or [None, None])[0])
                if field not in schema.get("required", []) or len(field_schema.get("enum", [value])) != 1:
                    break
                values.append(value)
            else:
                if all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
                    return {"field": field, "cases": list(zip(values, members, strict=True))}
        return None

    def operations() -> list[dict[str, Any]]:
        """Every operation that carries SDK naming (``x-sdk-namespace`` + ``x-sdk-method``), in path order."""
        endpoints: dict[tuple[str, str], Endpoint] = {}
        for collection in data.endpoint_collections_by_tag.values():
            for endpoint in collection.endpoints:
                endpoints[(raw(endpoint.path), endpoint.method.lower())] = endpoint
        found = []
        for path, item in document.get("paths", {}).items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "x-sdk-namespace" not in operation:
                    continue
                endpoint = endpoints[(path, method)]
                for name in [*operation["x-sdk-namespace"].split("."), operation["x-sdk-method"]]:
                    identifier(name)
                body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                ok_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                body_model = models_by_name[_class_name_of(body_ref, data)]
                found.append(
                    {
                        "path": path,
                        "method": method.upper(),
                        "operation": operation,
                        "endpoint": endpoint,
                        "namespace": operation["x-sdk-namespace"].split("."),
                        "name": operation["x-sdk-method"],
                        "body_model": body_model,
                        "body_component": body_ref.removeprefix(COMPONENT_PREFIX),
                        "response_model": models_by_name[_class_name_of(ok_ref, data)],
                        "response_component": ok_ref.removeprefix(COMPONENT_PREFIX),
                        "save_to": save_to_hint(operation, ok_ref),
                    }
                )
        return found

    def save_to_hint(operation: Mapping[str, Any], ok_ref: str) -> dict[str, str] | None:
        """``x-sdk-save-to: {items: data, field: b64_json}``: the operation gets a ``save_to=`` argument that writes
        the base64 string ``<items>[i].<field>`` of the answer straight to files. Checked against the response
        schema here, so a renamed property fails the generation instead of silently saving nothing."""
        hint = operation.get("x-sdk-save-to")
        if hint is None:
            return None
        schemas = document["components"]["schemas"]
        response = schemas[ok_ref.removeprefix(COMPONENT_PREFIX)]
        items, field = hint.get("items"), hint.get("field")
        array = response.get("properties", {}).get(items, {})
        item_ref = array.get("items", {}).get("$ref", "") if array.get("type") == "array" else ""
        item = schemas.get(item_ref.removeprefix(COMPONENT_PREFIX), {})
        if item.get("properties", {}).get(field, {}).get("type") != "string" or item.get("x-sdk-mixin") != "ImageMixin":
            raise ValueError(
                f"x-sdk-save-to {dict(hint)!r}: the answer needs an array property {items!r} of objects with "
                f"x-sdk-mixin ImageMixin and a string property {field!r}"
            )
        return {"items": identifier(items), "field": identifier(field)}

    def namespace_classes() -> list[dict[str, Any]]:
        """The tree of namespace classes (``Router`` -> ``Images`` -> ``Generations``), leaves first."""
        nodes: dict[tuple[str, ...], dict[str, Any]] = {}
        for op in operations():
            parts = tuple(op["namespace"])
            for depth in range(1, len(parts) + 1):
                key = parts[:depth]
                node = nodes.setdefault(
                    key,
                    {"path": key, "class_name": _namespace_class(key), "children": [], "operations": []},
                )
                if depth > 1:
                    parent = nodes[key[:-1]]
                    if key not in [child["path"] for child in parent["children"]]:
                        parent["children"].append({"path": key, "attr": key[-1], "class_name": node["class_name"]})
            nodes[parts]["operations"].append(op)
        return sorted(nodes.values(), key=lambda node: -len(node["path"]))

    def top_namespaces() -> list[dict[str, Any]]:
        return [
            {"attr": node["path"][0], "class_name": node["class_name"]}
            for node in namespace_classes()
            if len(node["path"]) == 1
        ]

    def validation_components() -> str:
        pruned = {name: _prune(schema) for name, schema in document["components"]["schemas"].items()}
        return pprint.pformat(pruned, width=120, sort_dicts=False)

    return {
        "property_schema": property_schema,
        "deprecation_message": deprecation_message,
        "identifier": identifier,
        "model_extension": model_extension,
        "closed_model": closed,
        "param_type": param_type,
        "union_discriminator": union_discriminator,
        "is_nullable": is_nullable,
        "sdk_operations": operations,
        "namespace_classes": namespace_classes,
        "top_namespaces": top_namespaces,
        "validation_components": validation_components,
        "param_suffix": PARAM_SUFFIX,
        "ModelProperty": ModelProperty,
        "is_model": lambda prop: isinstance(prop, ModelProperty),
    }


def raw(value: str | UntrustedString) -> str:
    """The plain text of a string from the document (only for lookups and checked identifiers)."""
    return value.get_untrusted_value() if isinstance(value, UntrustedString) else str(value)


def identifier(value: str | UntrustedString) -> str:
    """A name from the document that becomes a Python identifier: checked, never trusted blindly."""
    text = raw(value)
    if not text.isidentifier() or keyword.iskeyword(text):
        raise ValueError(f"{text!r} from the API description is not a usable Python identifier")
    return text


def _class_name_of(ref: str, data: GeneratorData) -> str:
    component = ref.removeprefix(COMPONENT_PREFIX)
    for model in data.models:
        if any(raw(root) == f"/components/schemas/{component}" for root in model.roots):
            return str(model.class_info.name)
    raise KeyError(f"no generated model for {ref}")


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
