from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.cache_policy_type import CachePolicyType, check_cache_policy_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="CachePolicy")


@_attrs_define(repr=False)
class CachePolicy:
    """Whether and how long the router caches answers to identical requests.

    Attributes:
        type_ (CachePolicyType): The cache strategy; `exact_match` reuses an answer only for an identical request.
        ttl (float | Unset): How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the
            router keeps it 1800 seconds. Default: 1800.0. Example: 3600.
    """

    type_: CachePolicyType
    ttl: float | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        ttl = self.ttl

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if ttl is not UNSET:
            field_dict["ttl"] = ttl

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = check_cache_policy_type(d.pop("type"))

        ttl = d.pop("ttl", UNSET)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for CachePolicy: {sorted(d)}")
        cache_policy = cls(
            type_=type_,
            ttl=ttl,
        )

        return cache_policy
