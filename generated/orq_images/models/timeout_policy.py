from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr

T = TypeVar("T", bound="TimeoutPolicy")


@_attrs_define(repr=False)
class TimeoutPolicy:
    """How long the router waits for the provider. A call that runs over is retried, or handed to the next fallback model,
    when those are configured.

    Attributes:
        call_timeout (float): The time limit of one provider call, in milliseconds. Example: 30000.
    """

    call_timeout: float

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        call_timeout = self.call_timeout

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "call_timeout": call_timeout,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_timeout = d.pop("call_timeout")

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for TimeoutPolicy: {sorted(d)}")
        timeout_policy = cls(
            call_timeout=call_timeout,
        )

        return timeout_policy
