from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.cat_type import CatType, check_cat_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="Cat")


@_attrs_define(repr=False)
class Cat:
    """A cat.

    Attributes:
        type_ (CatType):
        indoor (bool | Unset): Whether it stays inside.
    """

    type_: CatType
    indoor: bool | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        indoor = self.indoor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if indoor is not UNSET:
            field_dict["indoor"] = indoor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = check_cat_type(d.pop("type"))

        indoor = d.pop("indoor", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for Cat: {sorted(d)}")
        cat = cls(
            type_=type_,
            indoor=indoor,
        )

        return cat
