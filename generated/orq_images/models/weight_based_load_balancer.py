from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.weight_based_load_balancer_type import WeightBasedLoadBalancerType, check_weight_based_load_balancer_type

if TYPE_CHECKING:
    from ..models.weighted_model import WeightedModel


T = TypeVar("T", bound="WeightBasedLoadBalancer")


@_attrs_define(repr=False)
class WeightBasedLoadBalancer:
    """Sends each request to one of the listed models, chosen at random in proportion to its weight.

    Example:
        {'type': 'weight_based', 'models': [{'model': 'openai/gpt-4o', 'weight': 0.7}, {'model':
            'anthropic/claude-3-5-sonnet', 'weight': 0.3}]}

    Attributes:
        type_ (WeightBasedLoadBalancerType): The strategy name, `weight_based`.
        models (list[WeightedModel]): The models to balance over, with their weights.
    """

    type_: WeightBasedLoadBalancerType
    models: list[WeightedModel]

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "models": models,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.weighted_model import WeightedModel  # noqa: PLC0415

        d = dict(src_dict)
        type_ = check_weight_based_load_balancer_type(d.pop("type"))

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = WeightedModel.from_dict(models_item_data)

            models.append(models_item)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for WeightBasedLoadBalancer: {sorted(d)}")
        weight_based_load_balancer = cls(
            type_=type_,
            models=models,
        )

        return weight_based_load_balancer
