"""Every operation of the SDK, one record each (generated from the API description: do not edit)."""

from __future__ import annotations

import attrs

__all__ = ["OPERATIONS", "OperationInfo"]


@attrs.frozen
class OperationInfo:
    """Where an operation lives in the SDK and how it is sent.

    `key` is its module name (`orq_images.api.<tag>.<key>`) and its key in `_schemas.REQUESTS`/`RESPONSES`;
    `namespace` + `method_name` give `orq.router.images.edits.create`; `file_fields` are the body properties sent
    as files (not in `_schemas.REQUESTS`); `save_to` is `(items, field)` when the method takes `save_to=`.
    """

    key: str
    operation_id: str
    namespace: tuple[str, ...]
    method_name: str
    http_method: str
    path: str
    module: str
    media_type: str
    file_fields: tuple[str, ...]
    save_to: tuple[str, str] | None
    cli_group: str | None
    cli_name: str | None


OPERATIONS: tuple[OperationInfo, ...] = (
    OperationInfo(
        key="create_image",
        operation_id="createImage",
        namespace=(
            "router",
            "images",
            "generations",
        ),
        method_name="create",
        http_method="POST",
        path="/v2/router/images/generations",
        module="orq_images.api.images.create_image",
        media_type="application/json",
        file_fields=(),
        save_to=("data", "b64_json"),
        cli_group="images",
        cli_name="generate",
    ),
    OperationInfo(
        key="create_image_edit",
        operation_id="createImageEdit",
        namespace=(
            "router",
            "images",
            "edits",
        ),
        method_name="create",
        http_method="POST",
        path="/v2/router/images/edits",
        module="orq_images.api.images.create_image_edit",
        media_type="multipart/form-data",
        file_fields=("image",),
        save_to=("data", "b64_json"),
        cli_group="images",
        cli_name="edit",
    ),
    OperationInfo(
        key="create_image_variation",
        operation_id="createImageVariation",
        namespace=(
            "router",
            "images",
            "variations",
        ),
        method_name="create",
        http_method="POST",
        path="/v2/router/images/variations",
        module="orq_images.api.images.create_image_variation",
        media_type="multipart/form-data",
        file_fields=("image",),
        save_to=("data", "b64_json"),
        cli_group="images",
        cli_name="variation",
    ),
)
