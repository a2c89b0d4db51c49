from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._runtime.reprs import model_repr
from .._runtime.warn import deprecation_message, warn_deprecated
from ..models.color import Color, check_color
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cat import Cat
    from ..models.create_pet_request_owner import CreatePetRequestOwner
    from ..models.dog import Dog


T = TypeVar("T", bound="CreatePetRequest")


_OWNER_EMAIL_DEPRECATED = deprecation_message(
    "owner_email",
    "owner.contact.email",
)


def _warn_owner_email(_instance: object, _attribute: object, value: Any) -> Any:
    if not isinstance(value, Unset):
        warn_deprecated(_OWNER_EMAIL_DEPRECATED)
    return value


@_attrs_define(repr=False)
class CreatePetRequest:
    """A new pet.

    Attributes:
        name (str): What the pet answers to.
        kind (Cat | Dog): A cat or a dog, told apart by `type`.
        color (Color | None | Unset): Its colour; null when unknown.
        owner (CreatePetRequestOwner | Unset): Who looks after it.
        owner_email (str | Unset): Deprecated: use `owner.contact.email`.
    """

    name: str
    kind: Cat | Dog
    color: Color | None | Unset = UNSET
    owner: CreatePetRequestOwner | Unset = UNSET
    owner_email: str | Unset = _attrs_field(default=UNSET, on_setattr=_warn_owner_email)

    def __attrs_post_init__(self) -> None:
        # orq: setting a deprecated field at construction warns too (on_setattr only sees assignments)
        _warn_owner_email(self, None, self.owner_email)

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cat import Cat  # noqa: PLC0415

        name = self.name

        kind: dict[str, Any]
        if isinstance(self.kind, Cat):
            kind = self.kind.to_dict()
        else:
            kind = self.kind.to_dict()

        color: None | str | Unset
        if isinstance(self.color, Unset):
            color = UNSET
        elif isinstance(self.color, str):
            color = self.color
        else:
            color = self.color

        owner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.owner, Unset):
            owner = self.owner.to_dict()

        owner_email = self.owner_email

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "kind": kind,
            }
        )
        if color is not UNSET:
            field_dict["color"] = color
        if owner is not UNSET:
            field_dict["owner"] = owner
        if owner_email is not UNSET:
            field_dict["owner_email"] = owner_email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cat import Cat  # noqa: PLC0415
        from ..models.create_pet_request_owner import CreatePetRequestOwner  # noqa: PLC0415
        from ..models.dog import Dog  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_kind(data: object) -> Cat | Dog:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object, got {type(data).__name__}")
            tag = data.get("type")
            if tag == "cat":
                componentsschemas_pet_kind_type_0 = Cat.from_dict(data)

                return componentsschemas_pet_kind_type_0
            if tag == "dog":
                componentsschemas_pet_kind_type_1 = Dog.from_dict(data)

                return componentsschemas_pet_kind_type_1
            raise ValueError(f"unknown type {tag!r}")

        kind = _parse_kind(d.pop("kind"))

        def _parse_color(data: object) -> Color | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                color_type_0 = check_color(data)

                return color_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Color | None | Unset, data)

        color = _parse_color(d.pop("color", UNSET))

        _owner = d.pop("owner", UNSET)
        owner: CreatePetRequestOwner | Unset
        if isinstance(_owner, Unset):
            owner = UNSET
        else:
            owner = CreatePetRequestOwner.from_dict(_owner)

        owner_email = d.pop("owner_email", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for CreatePetRequest: {sorted(d)}")
        create_pet_request = cls(
            name=name,
            kind=kind,
            color=color,
            owner=owner,
            owner_email=owner_email,
        )

        return create_pet_request
