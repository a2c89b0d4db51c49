from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .._runtime.reprs import model_repr
from .._runtime.warn import deprecation_message, warn_deprecated
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy
    from ..models.fallback_model import FallbackModel
    from ..models.identity import Identity
    from ..models.retry_policy import RetryPolicy
    from ..models.timeout_policy import TimeoutPolicy
    from ..models.weight_based_load_balancer import WeightBasedLoadBalancer


T = TypeVar("T", bound="OrqOptions")


_CONTACT_DEPRECATED = deprecation_message(
    "orq.contact",
    "orq.identity",
)


def _warn_contact(_instance: object, _attribute: object, value: Any) -> Any:
    if not isinstance(value, Unset):
        warn_deprecated(_CONTACT_DEPRECATED)
    return value


@_attrs_define(repr=False)
class OrqOptions:
    """Router settings grouped under `orq`: trace name, identity, and the same retry, fallback, cache, load balancing and
    timeout settings that the top level accepts.

    Attributes:
        name (str | Unset): The name shown on the trace. When omitted the router uses its default system name.
        retry (RetryPolicy | Unset): How the router retries a failed call to the provider (this is the gateway's retry,
            not the SDK's).
        fallback_on_codes (list[int] | Unset): The HTTP status codes from the provider that make the router move on to
            the fallback models: up to 20 unique codes from 400 to 599. When omitted or empty the router uses 408, 429, 500,
            502, 503, 504 and 529. Example: [429, 529].
        fallbacks (list[FallbackModel] | Unset): Models to try, in order, when the primary model fails.
        identity (Identity | Unset): Who the request is made for. The router creates the identity the first time it sees
            its `id`.
        contact (Identity | Unset): Deprecated: use `identity` instead, which takes the same fields. Who the request is
            made for.
        cache (CachePolicy | Unset): Whether and how long the router caches answers to identical requests.
        load_balancer (WeightBasedLoadBalancer | Unset): Sends each request to one of the listed models, chosen at
            random in proportion to its weight. Example: {'type': 'weight_based', 'models': [{'model': 'openai/gpt-4o',
            'weight': 0.7}, {'model': 'anthropic/claude-3-5-sonnet', 'weight': 0.3}]}.
        timeout (TimeoutPolicy | Unset): How long the router waits for the provider. A call that runs over is retried,
            or handed to the next fallback model, when those are configured.
    """

    name: str | Unset = UNSET
    retry: RetryPolicy | Unset = UNSET
    fallback_on_codes: list[int] | Unset = UNSET
    fallbacks: list[FallbackModel] | Unset = UNSET
    identity: Identity | Unset = UNSET
    contact: Identity | Unset = _attrs_field(default=UNSET, on_setattr=_warn_contact)
    cache: CachePolicy | Unset = UNSET
    load_balancer: WeightBasedLoadBalancer | Unset = UNSET
    timeout: TimeoutPolicy | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        # orq: setting a deprecated field at construction warns too (on_setattr only sees assignments)
        _warn_contact(self, None, self.contact)

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        retry: dict[str, Any] | Unset = UNSET
        if not isinstance(self.retry, Unset):
            retry = self.retry.to_dict()

        fallback_on_codes: list[int] | Unset = UNSET
        if not isinstance(self.fallback_on_codes, Unset):
            fallback_on_codes = self.fallback_on_codes

        fallbacks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fallbacks, Unset):
            fallbacks = []
            for fallbacks_item_data in self.fallbacks:
                fallbacks_item = fallbacks_item_data.to_dict()
                fallbacks.append(fallbacks_item)

        identity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.identity, Unset):
            identity = self.identity.to_dict()

        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        cache: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cache, Unset):
            cache = self.cache.to_dict()

        load_balancer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.load_balancer, Unset):
            load_balancer = self.load_balancer.to_dict()

        timeout: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timeout, Unset):
            timeout = self.timeout.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if retry is not UNSET:
            field_dict["retry"] = retry
        if fallback_on_codes is not UNSET:
            field_dict["fallback_on_codes"] = fallback_on_codes
        if fallbacks is not UNSET:
            field_dict["fallbacks"] = fallbacks
        if identity is not UNSET:
            field_dict["identity"] = identity
        if contact is not UNSET:
            field_dict["contact"] = contact
        if cache is not UNSET:
            field_dict["cache"] = cache
        if load_balancer is not UNSET:
            field_dict["load_balancer"] = load_balancer
        if timeout is not UNSET:
            field_dict["timeout"] = timeout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cache_policy import CachePolicy  # noqa: PLC0415
        from ..models.fallback_model import FallbackModel  # noqa: PLC0415
        from ..models.identity import Identity  # noqa: PLC0415
        from ..models.retry_policy import RetryPolicy  # noqa: PLC0415
        from ..models.timeout_policy import TimeoutPolicy  # noqa: PLC0415
        from ..models.weight_based_load_balancer import WeightBasedLoadBalancer  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _retry = d.pop("retry", UNSET)
        retry: RetryPolicy | Unset
        if isinstance(_retry, Unset):
            retry = UNSET
        else:
            retry = RetryPolicy.from_dict(_retry)

        fallback_on_codes = cast(list[int], d.pop("fallback_on_codes", UNSET))

        _fallbacks = d.pop("fallbacks", UNSET)
        fallbacks: list[FallbackModel] | Unset = UNSET
        if _fallbacks is not UNSET:
            fallbacks = []
            for fallbacks_item_data in _fallbacks:
                fallbacks_item = FallbackModel.from_dict(fallbacks_item_data)

                fallbacks.append(fallbacks_item)

        _identity = d.pop("identity", UNSET)
        identity: Identity | Unset
        if isinstance(_identity, Unset):
            identity = UNSET
        else:
            identity = Identity.from_dict(_identity)

        _contact = d.pop("contact", UNSET)
        contact: Identity | Unset
        if isinstance(_contact, Unset):
            contact = UNSET
        else:
            contact = Identity.from_dict(_contact)

        _cache = d.pop("cache", UNSET)
        cache: CachePolicy | Unset
        if isinstance(_cache, Unset):
            cache = UNSET
        else:
            cache = CachePolicy.from_dict(_cache)

        _load_balancer = d.pop("load_balancer", UNSET)
        load_balancer: WeightBasedLoadBalancer | Unset
        if isinstance(_load_balancer, Unset):
            load_balancer = UNSET
        else:
            load_balancer = WeightBasedLoadBalancer.from_dict(_load_balancer)

        _timeout = d.pop("timeout", UNSET)
        timeout: TimeoutPolicy | Unset
        if isinstance(_timeout, Unset):
            timeout = UNSET
        else:
            timeout = TimeoutPolicy.from_dict(_timeout)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for OrqOptions: {sorted(d)}")
        orq_options = cls(
            name=name,
            retry=retry,
            fallback_on_codes=fallback_on_codes,
            fallbacks=fallbacks,
            identity=identity,
            contact=contact,
            cache=cache,
            load_balancer=load_balancer,
            timeout=timeout,
        )

        return orq_options
