from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._runtime.reprs import model_repr
from ..models.color import Color, check_color
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cat import Cat
    from ..models.dog import Dog


T = TypeVar("T", bound="Pet")


@_attrs_define(repr=False)
class Pet:
    """A stored pet.

    Attributes:
        id (int): Its identifier.
        name (str): What the pet answers to.
        kind (Cat | Dog): A cat or a dog, told apart by `type`.
        color (Color | None | Unset): Its colour; null when unknown.
    """

    id: int
    name: str
    kind: Cat | Dog
    color: Color | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cat import Cat  # noqa: PLC0415

        id = self.id

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
            }
        )
        if color is not UNSET:
            field_dict["color"] = color

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cat import Cat  # noqa: PLC0415
        from ..models.dog import Dog  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

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

        pet = cls(
            id=id,
            name=name,
            kind=kind,
            color=color,
        )

        pet.additional_properties = d
        return pet

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
