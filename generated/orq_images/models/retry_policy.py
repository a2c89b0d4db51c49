from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..types import UNSET, Unset

T = TypeVar("T", bound="RetryPolicy")


@_attrs_define(repr=False)
class RetryPolicy:
    """How the router retries a failed call to the provider (this is the gateway's retry, not the SDK's).

    Attributes:
        count (float | Unset): How many times to retry, from 1 to 5. When omitted the router retries 3 times. Default:
            3.0. Example: 3.
        on_codes (list[float] | Unset): The HTTP status codes that trigger a retry. Example: [429, 500, 502, 503, 504].
    """

    count: float | Unset = UNSET
    on_codes: list[float] | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        on_codes: list[float] | Unset = UNSET
        if not isinstance(self.on_codes, Unset):
            on_codes = self.on_codes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if count is not UNSET:
            field_dict["count"] = count
        if on_codes is not UNSET:
            field_dict["on_codes"] = on_codes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count", UNSET)

        on_codes = cast(list[float], d.pop("on_codes", UNSET))

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for RetryPolicy: {sorted(d)}")
        retry_policy = cls(
            count=count,
            on_codes=on_codes,
        )

        return retry_policy
