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
        key="create_pet",
        operation_id="createPet",
        namespace=("pets",),
        method_name="create",
        http_method="POST",
        path="/v1/pets",
        module="orq_images.api.pets.create_pet",
        media_type="application/json",
        file_fields=(),
        save_to=None,
        cli_group="pets",
        cli_name="add",
    ),
    OperationInfo(
        key="upload_photo",
        operation_id="uploadPhoto",
        namespace=(
            "media",
            "photos",
        ),
        method_name="upload",
        http_method="POST",
        path="/v1/media/photos",
        module="orq_images.api.media.upload_photo",
        media_type="multipart/form-data",
        file_fields=("photo",),
        save_to=None,
        cli_group=None,
        cli_name=None,
    ),
)
