from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.prompt_reference_version import PromptReferenceVersion, check_prompt_reference_version

T = TypeVar("T", bound="PromptReference")


@_attrs_define(repr=False)
class PromptReference:
    """A prompt stored in orq.ai that the router applies to the call.

    Attributes:
        id (str): The identifier of the stored prompt. Example: prompt_01ARZ3NDEKTSV4RRFFQ69G5FAV.
        version (PromptReferenceVersion): Which version of the prompt to use; today only `latest`.
    """

    id: str
    version: PromptReferenceVersion

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        version: str = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        version = check_prompt_reference_version(d.pop("version"))

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for PromptReference: {sorted(d)}")
        prompt_reference = cls(
            id=id,
            version=version,
        )

        return prompt_reference
