from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._runtime.images import ImageMixin
from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

T = TypeVar("T", bound="GeneratedImage")


@_attrs_define(repr=False)
class GeneratedImage(ImageMixin):
    """One generated image, delivered as a URL or as base64 data depending on `response_format`.

    Attributes:
        revised_prompt (None | str | Unset): The prompt the model actually used, when it rewrote yours.
        b64_json (str | Unset): The image as base64 data, when `response_format` is `b64_json`.
        url (str | Unset): Where to download the image, when `response_format` is `url` (the default).
    """

    revised_prompt: None | str | Unset = UNSET
    b64_json: str | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # orq: the field save_to= writes (x-sdk-save-to), so to_bytes()/save() decode the same one
    _image_field: ClassVar[str] = "b64_json"

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        revised_prompt: None | str | Unset
        if isinstance(self.revised_prompt, Unset):
            revised_prompt = UNSET
        else:
            revised_prompt = self.revised_prompt

        b64_json = self.b64_json

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if revised_prompt is not UNSET:
            field_dict["revised_prompt"] = revised_prompt
        if b64_json is not UNSET:
            field_dict["b64_json"] = b64_json
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_revised_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revised_prompt = _parse_revised_prompt(d.pop("revised_prompt", UNSET))

        b64_json = d.pop("b64_json", UNSET)

        url = d.pop("url", UNSET)

        generated_image = cls(
            revised_prompt=revised_prompt,
            b64_json=b64_json,
            url=url,
        )

        generated_image.additional_properties = d
        return generated_image

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
