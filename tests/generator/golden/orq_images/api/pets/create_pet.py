"""Create a pet: `POST /v1/pets` (operation `create_pet`)."""

from __future__ import annotations

from typing import Any, Final

from ... import _schemas
from ..._runtime.unset import without_unset
from ..._runtime.validation import check_response, prepare
from ...models.pet import Pet

METHOD: Final = "POST"
PATH: Final = "/v1/pets"
MEDIA_TYPE: Final = "application/json"
# Optional arguments that cannot be null: `None` (their default) means "not given".
_OMITTED_WHEN_NONE: Final = frozenset(
    {
        "owner",
        "owner_email",
    }
)


def request_kwargs(arguments: dict[str, Any], *, copy: bool = False) -> dict[str, Any]:
    """The method, path and checked body of one call, as keywords of `ClientCore.request`.

    `arguments` holds every argument of the SDK method; those not given are left out here. Raises
    RequestValidationError (nothing is sent) when one does not match the API description. `copy`: the body
    shares nothing with `arguments` (for a call sent later, by a coroutine).
    """
    given = without_unset(arguments, _OMITTED_WHEN_NONE)
    body = prepare(given, _schemas.REQUESTS["create_pet"], _schemas.COMPONENTS, copy=copy)
    return {"method": METHOD, "path": PATH, "json_body": body}


def parse_response(data: Any, *, strict: bool = False) -> Pet:
    """Turn the parsed JSON body of a 2xx answer into its model.

    Raises ValueError (or a subclass) when it does not match the response schema; the transport turns that
    into ResponseValidationError, keeping the raw body. Unless ``strict``, a fault inside an optional part
    drops that part from ``data`` with a ResponseShapeWarning instead.
    """
    data = check_response(data, _schemas.RESPONSES["create_pet"], _schemas.COMPONENTS, strict=strict)
    return Pet.from_dict(data)
