from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_pet_request_owner_contact import CreatePetRequestOwnerContact


T = TypeVar("T", bound="CreatePetRequestOwner")


@_attrs_define(repr=False)
class CreatePetRequestOwner:
    """Who looks after it.

    Attributes:
        name (str | Unset): The owner's name.
        contact (CreatePetRequestOwnerContact | Unset): How to reach the owner.
    """

    name: str | Unset = UNSET
    contact: CreatePetRequestOwnerContact | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if contact is not UNSET:
            field_dict["contact"] = contact

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_pet_request_owner_contact import CreatePetRequestOwnerContact  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _contact = d.pop("contact", UNSET)
        contact: CreatePetRequestOwnerContact | Unset
        if isinstance(_contact, Unset):
            contact = UNSET
        else:
            contact = CreatePetRequestOwnerContact.from_dict(_contact)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for CreatePetRequestOwner: {sorted(d)}")
        create_pet_request_owner = cls(
            name=name,
            contact=contact,
        )

        return create_pet_request_owner
