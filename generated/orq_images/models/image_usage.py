from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_input_tokens_details import ImageInputTokensDetails


T = TypeVar("T", bound="ImageUsage")


@_attrs_define(repr=False)
class ImageUsage:
    """Token accounting for the request.

    Attributes:
        input_tokens_details (ImageInputTokensDetails): How the input tokens split between image and text.
        input_tokens (float | Unset): Tokens in the input.
        output_tokens (float | Unset): Tokens in the output.
        total_tokens (float | Unset): Input and output tokens together.
    """

    input_tokens_details: ImageInputTokensDetails
    input_tokens: float | Unset = UNSET
    output_tokens: float | Unset = UNSET
    total_tokens: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        input_tokens_details = self.input_tokens_details.to_dict()

        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        total_tokens = self.total_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input_tokens_details": input_tokens_details,
            }
        )
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_input_tokens_details import ImageInputTokensDetails  # noqa: PLC0415

        d = dict(src_dict)
        input_tokens_details = ImageInputTokensDetails.from_dict(d.pop("input_tokens_details"))

        input_tokens = d.pop("input_tokens", UNSET)

        output_tokens = d.pop("output_tokens", UNSET)

        total_tokens = d.pop("total_tokens", UNSET)

        image_usage = cls(
            input_tokens_details=input_tokens_details,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=total_tokens,
        )

        image_usage.additional_properties = d
        return image_usage

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
