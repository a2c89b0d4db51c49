"""Create an image: `POST /v2/router/images/generations` (operation `create_image`)."""

from __future__ import annotations

import json

from ... import _schemas
from ..._runtime.validation import check_response
from ...models.create_image_response import CreateImageResponse

METHOD = "POST"
PATH = "/v2/router/images/generations"


def parse_response(text: str) -> CreateImageResponse:
    """Turn the body text of a 2xx answer into its model.

    Raises ValueError (or a subclass) when the body is not JSON or does not match the response schema; the
    transport turns that into ResponseValidationError, keeping the raw body.
    """
    data = json.loads(text)
    check_response(data, _schemas.RESPONSES["create_image"], _schemas.COMPONENTS)
    return CreateImageResponse.from_dict(data)
