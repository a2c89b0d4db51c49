"""Create an image: `POST /v2/router/images/generations` (operation `create_image`)."""

from __future__ import annotations

from typing import Any

from ... import _schemas
from ..._runtime.validation import check_response
from ...models.create_image_response import CreateImageResponse

METHOD = "POST"
PATH = "/v2/router/images/generations"


def parse_response(data: Any, *, strict: bool = False) -> CreateImageResponse:
    """Turn the parsed JSON body of a 2xx answer into its model.

    Raises ValueError (or a subclass) when it does not match the response schema; the transport turns that
    into ResponseValidationError, keeping the raw body. Unless ``strict``, a fault inside an optional part
    drops that part from ``data`` with a ResponseShapeWarning instead.
    """
    data = check_response(data, _schemas.RESPONSES["create_image"], _schemas.COMPONENTS, strict=strict)
    return CreateImageResponse.from_dict(data)
