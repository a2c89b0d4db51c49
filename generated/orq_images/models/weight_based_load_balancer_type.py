from typing import Literal

WeightBasedLoadBalancerType = Literal["weight_based"]

WEIGHT_BASED_LOAD_BALANCER_TYPE_VALUES: set[WeightBasedLoadBalancerType] = {
    "weight_based",
}


def check_weight_based_load_balancer_type(value: str) -> WeightBasedLoadBalancerType:
    if value in WEIGHT_BASED_LOAD_BALANCER_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WEIGHT_BASED_LOAD_BALANCER_TYPE_VALUES!r}")
