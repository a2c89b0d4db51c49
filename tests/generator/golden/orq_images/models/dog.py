from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.dog_type import DogType, check_dog_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="Dog")


@_attrs_define(repr=False)
class Dog:
    """A dog.

    Attributes:
        type_ (DogType):
        good (bool | Unset): Whether it is a good dog.
    """

    type_: DogType
    good: bool | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        good = self.good

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if good is not UNSET:
            field_dict["good"] = good

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = check_dog_type(d.pop("type"))

        good = d.pop("good", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for Dog: {sorted(d)}")
        dog = cls(
            type_=type_,
            good=good,
        )

        return dog
