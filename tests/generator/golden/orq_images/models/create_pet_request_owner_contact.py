from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatePetRequestOwnerContact")


@_attrs_define(repr=False)
class CreatePetRequestOwnerContact:
    """How to reach the owner.

    Attributes:
        email (str | Unset): The owner's email address.
    """

    email: str | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for CreatePetRequestOwnerContact: {sorted(d)}")
        create_pet_request_owner_contact = cls(
            email=email,
        )

        return create_pet_request_owner_contact
