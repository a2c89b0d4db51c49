from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

T = TypeVar("T", bound="WeightedModel")


@_attrs_define(repr=False)
class WeightedModel:
    """A model and its share of the traffic.

    Attributes:
        model (str): The model, as `provider/name`. Example: openai/gpt-4o.
        weight (float | Unset): The model's share of the traffic, from 0.001 to 1. When omitted the router uses 0.5.
            Default: 0.5. Example: 0.7.
    """

    model: str
    weight: float | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        weight = self.weight

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
            }
        )
        if weight is not UNSET:
            field_dict["weight"] = weight

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        weight = d.pop("weight", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for WeightedModel: {sorted(d)}")
        weighted_model = cls(
            model=model,
            weight=weight,
        )

        return weighted_model
