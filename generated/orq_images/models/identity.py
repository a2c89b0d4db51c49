from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_metadata_item import IdentityMetadataItem


T = TypeVar("T", bound="Identity")


@_attrs_define(repr=False)
class Identity:
    """Who the request is made for. The router creates the identity the first time it sees its `id`.

    Attributes:
        id (str): Your stable identifier for this identity. Example: contact_01ARZ3NDEKTSV4RRFFQ69G5FAV.
        display_name (str | Unset): A human-readable name. Example: Jane Doe.
        email (str | Unset): An email address. Example: jane.doe@example.com.
        metadata (list[IdentityMetadataItem] | Unset): Free-form key/value records about the identity. Example:
            [{'department': 'Engineering', 'role': 'Senior Developer'}].
        logo_url (str | Unset): The URL of an avatar or logo. Example: https://example.com/avatars/jane-doe.jpg.
        tags (list[str] | Unset): Labels for grouping identities. Example: ['hr', 'engineering'].
    """

    id: str
    display_name: str | Unset = UNSET
    email: str | Unset = UNSET
    metadata: list[IdentityMetadataItem] | Unset = UNSET
    logo_url: str | Unset = UNSET
    tags: list[str] | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        display_name = self.display_name

        email = self.email

        metadata: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = []
            for metadata_item_data in self.metadata:
                metadata_item = metadata_item_data.to_dict()
                metadata.append(metadata_item)

        logo_url = self.logo_url

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if email is not UNSET:
            field_dict["email"] = email
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if logo_url is not UNSET:
            field_dict["logo_url"] = logo_url
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_metadata_item import IdentityMetadataItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        display_name = d.pop("display_name", UNSET)

        email = d.pop("email", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: list[IdentityMetadataItem] | Unset = UNSET
        if _metadata is not UNSET:
            metadata = []
            for metadata_item_data in _metadata:
                metadata_item = IdentityMetadataItem.from_dict(metadata_item_data)

                metadata.append(metadata_item)

        logo_url = d.pop("logo_url", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for Identity: {sorted(d)}")
        identity = cls(
            id=id,
            display_name=display_name,
            email=email,
            metadata=metadata,
            logo_url=logo_url,
            tags=tags,
        )

        return identity
