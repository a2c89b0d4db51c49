from typing import Literal

CatType = Literal["cat"]

CAT_TYPE_VALUES: set[CatType] = {
    "cat",
}


def check_cat_type(value: str) -> CatType:
    if value in CAT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAT_TYPE_VALUES!r}")
