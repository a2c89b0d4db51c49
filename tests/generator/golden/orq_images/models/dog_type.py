from typing import Literal

DogType = Literal["dog"]

DOG_TYPE_VALUES: set[DogType] = {
    "dog",
}


def check_dog_type(value: str) -> DogType:
    if value in DOG_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DOG_TYPE_VALUES!r}")
