from typing import Literal

CachePolicyType = Literal["exact_match"]

CACHE_POLICY_TYPE_VALUES: set[CachePolicyType] = {
    "exact_match",
}


def check_cache_policy_type(value: str) -> CachePolicyType:
    if value in CACHE_POLICY_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CACHE_POLICY_TYPE_VALUES!r}")
