"""What a fake router answers, without any I/O: shared by ``testing.FakeRouter`` (in-process, an
``httpx2.MockTransport``) and ``standin`` (a real HTTP server on 127.0.0.1).

``handle`` takes a request's method, path, headers and body and returns a ``Reply``, the way the API would: 404 for
a path it does not serve, 405 for another method, 401 without a ``Bearer`` key, 400 for a body that is not the
documented request (naming the field), otherwise 200 with a valid answer holding real PNG images (as base64, or as
URLs that the fake itself serves under ``/_images/``). A request for the model ``stand-in/fail-<status>`` is answered
with that error status, to try error handling.

The operations are not listed here: ``operations()`` finds them in the generated package (each ``api`` module's
``METHOD``, ``PATH`` and ``parse_response``, and its schemas in ``_schemas``), so an operation added to the API
description is served as soon as the package is regenerated.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import functools
import hashlib
import importlib
import json
import math
import pkgutil
import re
import time
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import Any

import attrs

from .pngs import png_for
from .validation import SchemaMismatch, check_response

__all__ = [
    "ERROR_TYPES",
    "IMAGES_PATH",
    "PACKAGE",
    "Operation",
    "Rejected",
    "Reply",
    "answer",
    "check_requested_failure",
    "error_body",
    "find",
    "handle",
    "operations",
    "route",
]

IMAGES_PATH = "/_images/"
"""Where the fake serves the images of its URL answers: ``/_images/<index>-<seed>.png``."""
PACKAGE = (__package__ or "").rpartition(".")[0]
"""The generated package this runtime was copied into (``orq_images``)."""
_IMAGE_NAME = re.compile(r"(\d{1,3})-([0-9a-f]{1,16})\.png")
_FAILURE_MODEL = re.compile(r"stand-in/fail-([45]\d\d)")
_REF_PREFIX = "#/components/schemas/"
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}
"""The ``type`` of the API's error body for a status (``api_error`` for the others)."""
_JSON_TYPES = "application/json"


@attrs.frozen(kw_only=True)
class Operation:
    """One operation of the generated package, as the fakes need it."""

    name: str
    """The operation's module name in ``orq_images.api`` (``create_image``)."""
    method: str
    path: str
    request_schema: Mapping[str, Any] | None = attrs.field(repr=False)
    response_schema: Mapping[str, Any] = attrs.field(repr=False)
    components: Mapping[str, Any] = attrs.field(repr=False)
    parse_response: Callable[[Any], Any] = attrs.field(repr=False)
    file_fields: tuple[str, ...] = ()
    """The body fields that take a file (a multipart body's; its ``request_schema`` leaves them out)."""

    @property
    def short_name(self) -> str:
        """The last segment of the path (``generations``, ``edits``, ``variations``)."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


@functools.cache
def operations(package: str = PACKAGE) -> tuple[Operation, ...]:
    """Every operation of the generated ``package`` (``orq_images``), found in its ``api`` modules."""
    api = importlib.import_module(f"{package}.api")
    schemas = importlib.import_module(f"{package}._schemas")
    files = {row.key: tuple(row.file_fields) for row in importlib.import_module(f"{package}._operations").OPERATIONS}
    found = []
    for info in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):
        module = importlib.import_module(info.name)
        method, path = getattr(module, "METHOD", None), getattr(module, "PATH", None)
        parse = getattr(module, "parse_response", None)
        if not (isinstance(method, str) and isinstance(path, str) and callable(parse)):
            continue
        name = info.name.rsplit(".", 1)[-1]
        found.append(
            Operation(
                name=name,
                method=method.upper(),
                path=path,
                request_schema=schemas.REQUESTS.get(name),
                response_schema=schemas.RESPONSES[name],
                components=schemas.COMPONENTS,
                parse_response=parse,
                file_fields=files.get(name, ()),
            )
        )
    return tuple(sorted(found, key=lambda op: (op.path, op.method)))


def find(operation: str, package: str = PACKAGE) -> Operation:
    """The operation named ``operation``: its name (``create_image``), its path or the path's last segment
    (``generations``). Raises ``KeyError`` naming the choices when there is none, or more than one."""
    every = operations(package)
    matches = [op for op in every if operation in (op.name, op.path, op.short_name)]
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(sorted({op.name for op in every} | {op.short_name for op in every}))
    problem = "names more than one operation" if matches else "is not an operation"
    raise KeyError(f"{operation!r} {problem}; choose one of: {choices}")


@attrs.frozen
class Reply:
    """An HTTP answer: status, headers and body bytes."""

    status: int
    headers: dict[str, str]
    content: bytes

    @classmethod
    def json(cls, status: int, value: object, headers: Mapping[str, str] | None = None) -> Reply:
        content = json.dumps(value, separators=(",", ":")).encode()
        return cls(status, {"content-type": _JSON_TYPES, **(headers or {})}, content)


class Rejected(Exception):  # noqa: N818 - an answer, not a failure of the fake
    """A request the API would refuse: becomes an error answer with the documented error body."""

    def __init__(
        self,
        status: int,
        type: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(type, message, code=code, param=param)
        self.headers = dict(headers or {})


def error_body(type: str, message: str, *, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    """The API's error body: ``{"error": {"type", "message", "code", "param"}}``."""
    return {"error": {"type": type, "message": message, "code": code, "param": param}}


def handle(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    image_url: Callable[[str], str],
    request_id: str,
    package: str = PACKAGE,
) -> Reply:
    """The fake router's answer to one request. ``headers`` have lower-case names; ``image_url`` turns a path
    under ``IMAGES_PATH`` into the URL the client can fetch it from; ``request_id`` goes in ``x-request-id``."""
    ids = {"x-request-id": request_id}
    try:
        if path.startswith(IMAGES_PATH) and method in ("GET", "HEAD"):
            return Reply(200, {"content-type": "image/png", **ids}, _served_image(path))
        operation = route(method, path, package)
        check_key(headers)
        value = read_request(operation, headers, body)
        check_requested_failure(value)
        return Reply.json(200, answer(operation, value, image_url=image_url), ids)
    except Rejected as rejected:
        return Reply.json(rejected.status, rejected.body, {**rejected.headers, **ids})


def route(method: str, path: str, package: str = PACKAGE) -> Operation:
    """The operation serving ``method`` ``path``; ``Rejected`` (404 or 405) when there is none."""
    on_path = [op for op in operations(package) if op.path == path.split("?", 1)[0]]
    for op in on_path:
        if op.method == method:
            return op
    if on_path:
        raise Rejected(405, "invalid_request_error", f"{method} is not allowed on {path}", code="method_not_allowed")
    raise Rejected(404, "not_found_error", f"No operation at {method} {path}", code="not_found")


def check_key(headers: Mapping[str, str]) -> None:
    """Any non-empty ``Bearer`` key is accepted; none at all is a 401, as with the API."""
    scheme, _, key = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Rejected(
            401,
            "authentication_error",
            "No API key provided: send `Authorization: Bearer <key>` (the stand-in accepts any key).",
            code="invalid_api_key",
        )


def check_requested_failure(request: Mapping[str, Any]) -> None:
    """A valid request for the model ``stand-in/fail-<status>`` (``stand-in/fail-429``) is answered with that
    error status and the API's error body, so that error handling can be tried end to end. Retryable answers
    carry ``Retry-After: 0``, so that retries do not wait."""
    match = _FAILURE_MODEL.fullmatch(str(request.get("model", "")))
    if match is None:
        return
    status = int(match.group(1))
    raise Rejected(
        status,
        ERROR_TYPES.get(status, "api_error"),
        f"The stand-in answers {status} to the model {match.group(0)!r}, as asked.",
        code="stand_in_failure",
        headers={"retry-after": "0"} if status in (408, 429, 502, 503, 504) else None,
    )


def read_request(operation: Operation, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    """The request body as a JSON-like dict (JSON, or ``multipart/form-data`` with files as their file names),
    checked against the operation's request schema; ``Rejected`` (400) naming the field when it does not fit."""
    content_type = headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    files: dict[str, Any] = {}
    if media_type == _JSON_TYPES:
        try:
            value = json.loads(body)
        except ValueError as exc:
            raise Rejected(400, "invalid_request_error", f"The body is not valid JSON: {exc}") from None
    elif media_type == "multipart/form-data":
        fields = _form_fields(content_type, body)
        value = _form_value(fields, operation)
        # The request schema of a multipart body leaves its files out (the SDK's ``uploads`` checks those): the
        # schema checks the rest, and the files come back into the value after.
        files = {name: value.pop(name) for name in _file_names(fields) if name in operation.file_fields}
    else:
        raise Rejected(
            400,
            "invalid_request_error",
            f"Unsupported content type {content_type!r}: send application/json or multipart/form-data",
        )
    if not isinstance(value, dict):
        raise Rejected(400, "invalid_request_error", "The body must be a JSON object")
    if operation.request_schema is not None:
        try:
            check_response(value, operation.request_schema, operation.components)
        except SchemaMismatch as exc:
            message = f"Invalid request: {exc}"
            raise Rejected(400, "invalid_request_error", message, code="invalid_value", param=exc.path) from None
    return {**value, **files}


def _file_names(fields: list[tuple[str, str | None, bytes]]) -> set[str]:
    """The names of the parts that carry a file."""
    return {name.removesuffix("[]") for name, filename, _ in fields if filename is not None}


def answer(operation: Operation, request: Mapping[str, Any], *, image_url: Callable[[str], str]) -> dict[str, Any]:
    """A valid answer to ``request``, built from the operation's response schema: its required properties, and
    ``request["n"]`` images (default 1) wherever the schema holds an image item (``x-sdk-mixin: ImageMixin``), as
    base64 PNGs or, when the request asks for ``response_format: "url"``, as URLs made by ``image_url``."""
    as_url = request.get("response_format") == "url"
    count = request.get("n")
    count = count if isinstance(count, int) and not isinstance(count, bool) and 0 < count <= 10 else 1
    prompt = str(request.get("prompt", ""))
    seed = hashlib.blake2b(prompt.encode(), digest_size=4).hexdigest()  # the same prompt, the same images

    def image(index: int) -> dict[str, Any]:
        if as_url:
            return {"url": image_url(f"{IMAGES_PATH}{index}-{seed}.png")}
        return {"b64_json": base64.b64encode(png_for(seed, index)).decode("ascii")}

    value = _Synthesis(operation.components, count, image).value(operation.response_schema, "")
    check_response(value, operation.response_schema, operation.components)  # a bug here must not pass as valid
    return value  # type: ignore[no-any-return]


def _served_image(path: str) -> bytes:
    match = _IMAGE_NAME.fullmatch(path.removeprefix(IMAGES_PATH))
    if match is None:
        raise Rejected(404, "not_found_error", f"No image at {path}", code="not_found")
    return png_for(match.group(2), int(match.group(1)))


class _Synthesis:
    """Builds the smallest value that fits a response schema, with images where the schema has image items."""

    def __init__(self, components: Mapping[str, Any], count: int, image: Callable[[int], dict[str, Any]]) -> None:
        self.components = components
        self.count = count
        self.image = image

    def value(self, schema: Any, key: str) -> Any:
        schema = resolve(schema, self.components)
        if not isinstance(schema, Mapping):
            return None
        if schema.get("x-sdk-mixin") == "ImageMixin":
            return self.image(0)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        for union in ("oneOf", "anyOf", "allOf"):
            branches = [b for b in schema.get(union, ()) if "null" not in _types(b, self.components)]
            if branches:
                return self.value(branches[0], key)
        kinds = _types(schema, self.components) - {"null"}
        if "object" in kinds or "properties" in schema:
            return {
                name: self.value(sub, name)
                for name, sub in schema.get("properties", {}).items()
                if name in schema.get("required", ())
            }
        if "array" in kinds:
            items = resolve(schema.get("items", {}), self.components)
            if isinstance(items, Mapping) and items.get("x-sdk-mixin") == "ImageMixin":
                return [self.image(index) for index in range(self.count)]
            return [self.value(items, key) for _ in range(int(schema.get("minItems", 0)))]
        if kinds & {"integer", "number"}:
            return int(time.time()) if key == "created" else _smallest_number(schema, "integer" in kinds)
        if "boolean" in kinds:
            return False
        if "string" in kinds:
            return "x" * int(schema.get("minLength", 0))
        return None


def _smallest_number(schema: Mapping[str, Any], integer: bool) -> int | float:
    """The lowest number the bounds allow (0 without a lower bound)."""
    if "minimum" in schema:
        low = schema["minimum"]
        return math.ceil(low) if integer else low  # type: ignore[no-any-return]
    if isinstance(schema.get("exclusiveMinimum"), (int, float)):
        low = schema["exclusiveMinimum"]
        return math.floor(low) + 1 if integer else low + 1  # type: ignore[no-any-return]
    return 0


def resolve(schema: Any, components: Mapping[str, Any]) -> Any:
    """``schema`` with ``$ref``s followed (``#/components/schemas/Name`` only)."""
    for _ in range(64):  # a cycle of references is a broken description, not a reason to hang
        if not (isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str)):
            return schema
        schema = components.get(schema["$ref"].removeprefix(_REF_PREFIX), {})
    return {}


def _types(schema: Any, components: Mapping[str, Any]) -> set[str]:
    """The JSON types a schema admits (through ``$ref``, unions and ``enum``)."""
    schema = resolve(schema, components)
    if not isinstance(schema, Mapping):
        return set()
    named = schema.get("type")
    kinds = {named} if isinstance(named, str) else set(named or ())
    for union in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(union, ()):
            kinds |= _types(branch, components)
    for choice in schema.get("enum", ()):
        kinds.add("null" if choice is None else "string" if isinstance(choice, str) else "number")
    return kinds


# -- multipart/form-data --------------------------------------------------------------------------------------------


def _form_fields(content_type: str, body: bytes) -> list[tuple[str, str | None, bytes]]:
    """The parts of a ``multipart/form-data`` body as ``(name, file name or None, content)``.

    The standard library's ``email`` parser reads MIME multipart bodies (what ``cgi`` did before Python 3.13
    removed it); a form-data library (``multipart``, ``python-multipart``) would be a dependency for a test helper.
    """
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart() or message.defects:
        raise Rejected(400, "invalid_request_error", "The body is not a valid multipart/form-data body")
    fields = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise Rejected(400, "invalid_request_error", "A multipart part has no name")
        content = part.get_payload(decode=True)
        fields.append((name, part.get_filename(), content if isinstance(content, bytes) else b""))
    return fields


def _form_value(fields: list[tuple[str, str | None, bytes]], operation: Operation) -> dict[str, Any]:
    """Form fields as the JSON value the request schema describes: a repeated field (or ``name[]``) is an array
    where the schema wants one, text is read as the number, boolean or JSON the schema wants, and a file stands
    as its file name (its content must not be empty)."""
    schema = resolve(operation.request_schema or {}, operation.components)
    properties = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
    grouped: dict[str, list[Any]] = {}
    for raw_name, filename, content in fields:
        name = raw_name.removesuffix("[]")
        if filename is not None:
            if not content:
                raise Rejected(400, "invalid_request_error", f"The file {filename!r} is empty", param=name)
            grouped.setdefault(name, []).append(filename)
        else:
            kinds = _types(properties.get(name, {}), operation.components)
            if "array" in kinds:
                kinds = _types(resolve(properties[name], operation.components).get("items", {}), operation.components)
            grouped.setdefault(name, []).append(_form_text(content.decode("utf-8", "replace"), kinds))
    value: dict[str, Any] = {}
    for name, values in grouped.items():
        wants_array = "array" in _types(properties.get(name, {}), operation.components)
        value[name] = values if wants_array or len(values) > 1 else values[0]
    return value


def _form_text(text: str, kinds: set[str]) -> Any:
    if "string" in kinds:
        return text
    try:
        if kinds & {"object", "array", "boolean", "null"}:
            return json.loads(text)
        if "integer" in kinds and re.fullmatch(r"-?\d+", text):
            return int(text)
        if "number" in kinds:
            return float(text) if re.search(r"[.eE]", text) else int(text)
    except ValueError:
        pass
    return text  # the schema check names the field
