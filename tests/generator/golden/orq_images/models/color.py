from typing import Literal

Color = Literal["black", "ginger", "white"]

COLOR_VALUES: set[Color] = {
    "black",
    "ginger",
    "white",
}


def check_color(value: str) -> Color:
    if value in COLOR_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {COLOR_VALUES!r}")
