"""Upload a photo: `POST /v1/media/photos` (operation `upload_photo`)."""

from __future__ import annotations

from typing import Any, Final

from ... import _schemas
from ..._runtime.multipart import FormField, encode_form, prepare_files
from ..._runtime.unset import without_unset
from ..._runtime.uploads import FileRules
from ..._runtime.validation import check_response, prepare
from ...models.photo_receipt import PhotoReceipt

METHOD: Final = "POST"
PATH: Final = "/v1/media/photos"
MEDIA_TYPE: Final = "multipart/form-data"
# Optional arguments that cannot be null: `None` (their default) means "not given".
_OMITTED_WHEN_NONE: Final = frozenset(
    {
        "caption",
        "options",
    }
)
# How each property goes on the wire (the spec's `encoding`): text, JSON or file parts.
FORM: Final = (
    FormField(
        name="photo",
        kind="file",
        part_name="photo",
        required=True,
        rules=FileRules(accept=("image/png", "image/jpeg"), max_bytes=1048576),
    ),
    FormField(name="caption", kind="text", part_name="caption", required=False),
    FormField(name="rating", kind="text", part_name="rating", required=False),
    FormField(name="options", kind="json", part_name="options", required=False),
)


def request_kwargs(arguments: dict[str, Any], *, copy: bool = False) -> dict[str, Any]:
    """The method, path and checked body of one call, as keywords of `ClientCore.request`.

    `arguments` holds every argument of the SDK method; those not given are left out here. Raises
    RequestValidationError (nothing is sent) when one does not match the API description. `copy`: the body
    shares nothing with `arguments` (for a call sent later, by a coroutine).
    """
    given = without_unset(arguments, _OMITTED_WHEN_NONE)
    uploads = prepare_files(given, FORM)
    values = prepare(given, _schemas.REQUESTS["upload_photo"], _schemas.COMPONENTS, copy=copy)
    assert isinstance(values, dict)
    return {"method": METHOD, "path": PATH, "body": encode_form(values, uploads, FORM)}


def parse_response(data: Any, *, strict: bool = False) -> PhotoReceipt:
    """Turn the parsed JSON body of a 2xx answer into its model.

    Raises ValueError (or a subclass) when it does not match the response schema; the transport turns that
    into ResponseValidationError, keeping the raw body. Unless ``strict``, a fault inside an optional part
    drops that part from ``data`` with a ResponseShapeWarning instead.
    """
    data = check_response(data, _schemas.RESPONSES["upload_photo"], _schemas.COMPONENTS, strict=strict)
    return PhotoReceipt.from_dict(data)
