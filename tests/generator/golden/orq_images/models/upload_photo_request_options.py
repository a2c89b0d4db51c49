from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadPhotoRequestOptions")


@_attrs_define(repr=False)
class UploadPhotoRequestOptions:
    """How to store the photo.

    Attributes:
        resize (bool | Unset): Whether to make it smaller.
    """

    resize: bool | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        resize = self.resize

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if resize is not UNSET:
            field_dict["resize"] = resize

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resize = d.pop("resize", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for UploadPhotoRequestOptions: {sorted(d)}")
        upload_photo_request_options = cls(
            resize=resize,
        )

        return upload_photo_request_options
