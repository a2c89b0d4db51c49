from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr

T = TypeVar("T", bound="FallbackModel")


@_attrs_define(repr=False)
class FallbackModel:
    """A model the router tries when the ones before it fail.

    Attributes:
        model (str): The fallback model, as `provider/name`. Example: openai/gpt-4o-mini.
    """

    model: str

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for FallbackModel: {sorted(d)}")
        fallback_model = cls(
            model=model,
        )

        return fallback_model
