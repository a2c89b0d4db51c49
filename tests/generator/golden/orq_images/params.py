"""TypedDicts for the request parameters. Generated from the API description: do not edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired, Required, TypedDict

if TYPE_CHECKING:
    from ._runtime.uploads import FileInput
    from .models import *  # noqa: F403


class CreatePetRequestParam(TypedDict):
    """CreatePetRequest as a plain dict: A new pet."""

    name: Required[str]
    kind: Required[Cat | CatParam | Dog | DogParam]
    color: NotRequired[Color | None]
    owner: NotRequired[CreatePetRequestOwner | CreatePetRequestOwnerParam]
    owner_email: NotRequired[str]


class CatParam(TypedDict):
    """Cat as a plain dict: A cat."""

    type: Required[CatType]
    indoor: NotRequired[bool]


class DogParam(TypedDict):
    """Dog as a plain dict: A dog."""

    type: Required[DogType]
    good: NotRequired[bool]


class UploadPhotoRequestParam(TypedDict):
    """UploadPhotoRequest as a plain dict: A photo and what to do with it."""

    photo: Required[FileInput]
    caption: NotRequired[str]
    rating: NotRequired[int | None]
    options: NotRequired[UploadPhotoRequestOptions | UploadPhotoRequestOptionsParam]


class CreatePetRequestOwnerContactParam(TypedDict):
    """CreatePetRequestOwnerContact as a plain dict: How to reach the owner."""

    email: NotRequired[str]


class CreatePetRequestOwnerParam(TypedDict):
    """CreatePetRequestOwner as a plain dict: Who looks after it."""

    name: NotRequired[str]
    contact: NotRequired[CreatePetRequestOwnerContact | CreatePetRequestOwnerContactParam]


class UploadPhotoRequestOptionsParam(TypedDict):
    """UploadPhotoRequestOptions as a plain dict: How to store the photo."""

    resize: NotRequired[bool]
