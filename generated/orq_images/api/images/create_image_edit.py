"""Edit an image: `POST /v2/router/images/edits` (operation `create_image_edit`)."""

from __future__ import annotations

from typing import Any, Final

from ... import _schemas
from ..._runtime.multipart import FormField, encode_form, prepare_files
from ..._runtime.unset import without_unset
from ..._runtime.uploads import FileRules
from ..._runtime.validation import check_response, prepare
from ...models.image_upload_response import ImageUploadResponse

METHOD: Final = "POST"
PATH: Final = "/v2/router/images/edits"
MEDIA_TYPE: Final = "multipart/form-data"
# Optional arguments that cannot be null: `None` (their default) means "not given".
_OMITTED_WHEN_NONE: Final = frozenset(
    {
        "image",
        "response_format",
        "user",
        "name",
        "fallback_on_codes",
        "fallbacks",
        "retry",
        "cache",
        "load_balancer",
        "timeout",
        "orq",
    }
)
# How each property goes on the wire (the spec's `encoding`): text, JSON or file parts.
FORM: Final = (
    FormField(name="model", kind="text", part_name="model", required=True),
    FormField(
        name="image",
        kind="file",
        part_name="image",
        required=False,
        rules=FileRules(accept=("image/png", "image/jpeg", "image/webp"), max_bytes=52428800),
    ),
    FormField(name="prompt", kind="text", part_name="prompt", required=True),
    FormField(name="n", kind="text", part_name="n", required=False),
    FormField(name="size", kind="text", part_name="size", required=False),
    FormField(name="quality", kind="text", part_name="quality", required=False),
    FormField(name="response_format", kind="text", part_name="response_format", required=False),
    FormField(name="user", kind="text", part_name="user", required=False),
    FormField(name="name", kind="text", part_name="name", required=False),
    FormField(name="fallback_on_codes", kind="text", part_name="fallback_on_codes[]", required=False),
    FormField(name="fallbacks", kind="json", part_name="fallbacks", required=False),
    FormField(name="retry", kind="json", part_name="retry", required=False),
    FormField(name="cache", kind="json", part_name="cache", required=False),
    FormField(name="load_balancer", kind="json", part_name="load_balancer", required=False),
    FormField(name="timeout", kind="json", part_name="timeout", required=False),
    FormField(name="orq", kind="json", part_name="orq", required=False),
)


def request_kwargs(arguments: dict[str, Any], *, copy: bool = False) -> dict[str, Any]:
    """The method, path and checked body of one call, as keywords of `ClientCore.request`.

    `arguments` holds every argument of the SDK method; those not given are left out here. Raises
    RequestValidationError (nothing is sent) when one does not match the API description. `copy`: the body
    shares nothing with `arguments` (for a call sent later, by a coroutine).
    """
    given = without_unset(arguments, _OMITTED_WHEN_NONE)
    uploads = prepare_files(given, FORM)
    values = prepare(given, _schemas.REQUESTS["create_image_edit"], _schemas.COMPONENTS, copy=copy)
    assert isinstance(values, dict)
    return {"method": METHOD, "path": PATH, "body": encode_form(values, uploads, FORM)}


def parse_response(data: Any, *, strict: bool = False) -> ImageUploadResponse:
    """Turn the parsed JSON body of a 2xx answer into its model.

    Raises ValueError (or a subclass) when it does not match the response schema; the transport turns that
    into ResponseValidationError, keeping the raw body. Unless ``strict``, a fault inside an optional part
    drops that part from ``data`` with a ResponseShapeWarning instead.
    """
    data = check_response(data, _schemas.RESPONSES["create_image_edit"], _schemas.COMPONENTS, strict=strict)
    return ImageUploadResponse.from_dict(data)
