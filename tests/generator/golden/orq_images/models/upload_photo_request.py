from __future__ import annotations

import json
from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from .. import types
from .._runtime.reprs import model_repr
from ..types import UNSET, File, Unset

if TYPE_CHECKING:
    from ..models.upload_photo_request_options import UploadPhotoRequestOptions


T = TypeVar("T", bound="UploadPhotoRequest")


@_attrs_define(repr=False)
class UploadPhotoRequest:
    """A photo and what to do with it.

    Attributes:
        photo (File): A PNG or JPEG photo of at most 1 MiB.
        caption (str | Unset): A caption shown under the photo.
        rating (int | None | Unset): Stars, from 1 to 5.
        options (UploadPhotoRequestOptions | Unset): How to store the photo.
    """

    photo: File
    caption: str | Unset = UNSET
    rating: int | None | Unset = UNSET
    options: UploadPhotoRequestOptions | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        photo = self.photo.to_tuple()

        caption = self.caption

        rating: int | None | Unset
        if isinstance(self.rating, Unset):
            rating = UNSET
        else:
            rating = self.rating

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "photo": photo,
            }
        )
        if caption is not UNSET:
            field_dict["caption"] = caption
        if rating is not UNSET:
            field_dict["rating"] = rating
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("photo", self.photo.to_tuple()))

        if not isinstance(self.caption, Unset):
            files.append(("caption", (None, str(self.caption).encode(), "text/plain")))

        if not isinstance(self.rating, Unset):
            if isinstance(self.rating, int):
                files.append(("rating", (None, str(self.rating).encode(), "text/plain")))
            else:
                files.append(("rating", (None, str(self.rating).encode(), "text/plain")))

        if not isinstance(self.options, Unset):
            files.append(("options", (None, json.dumps(self.options.to_dict()).encode(), "application/json")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.upload_photo_request_options import UploadPhotoRequestOptions  # noqa: PLC0415

        d = dict(src_dict)
        photo = File(payload=BytesIO(d.pop("photo")))

        caption = d.pop("caption", UNSET)

        def _parse_rating(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rating = _parse_rating(d.pop("rating", UNSET))

        _options = d.pop("options", UNSET)
        options: UploadPhotoRequestOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = UploadPhotoRequestOptions.from_dict(_options)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for UploadPhotoRequest: {sorted(d)}")
        upload_photo_request = cls(
            photo=photo,
            caption=caption,
            rating=rating,
            options=options,
        )

        return upload_photo_request
