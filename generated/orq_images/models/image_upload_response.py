from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generated_image import GeneratedImage
    from ..models.image_usage import ImageUsage


T = TypeVar("T", bound="ImageUploadResponse")


@_attrs_define(repr=False)
class ImageUploadResponse:
    """The answer to an image-edit or image-variation request.

    Attributes:
        created (float): When the images were created, as a Unix timestamp in seconds.
        data (list[GeneratedImage]): The new images.
        output_format (str | Unset): The file format of the images.
        size (str | Unset): The size of the images.
        quality (str | Unset): The quality of the images.
        usage (ImageUsage | Unset): Token accounting for the request.
    """

    created: float
    data: list[GeneratedImage]
    output_format: str | Unset = UNSET
    size: str | Unset = UNSET
    quality: str | Unset = UNSET
    usage: ImageUsage | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        output_format = self.output_format

        size = self.size

        quality = self.quality

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "data": data,
            }
        )
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if size is not UNSET:
            field_dict["size"] = size
        if quality is not UNSET:
            field_dict["quality"] = quality
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generated_image import GeneratedImage  # noqa: PLC0415
        from ..models.image_usage import ImageUsage  # noqa: PLC0415

        d = dict(src_dict)
        created = d.pop("created")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = GeneratedImage.from_dict(data_item_data)

            data.append(data_item)

        output_format = d.pop("output_format", UNSET)

        size = d.pop("size", UNSET)

        quality = d.pop("quality", UNSET)

        _usage = d.pop("usage", UNSET)
        usage: ImageUsage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = ImageUsage.from_dict(_usage)

        image_upload_response = cls(
            created=created,
            data=data,
            output_format=output_format,
            size=size,
            quality=quality,
            usage=usage,
        )

        image_upload_response.additional_properties = d
        return image_upload_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
