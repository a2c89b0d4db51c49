from typing import Literal

ImageEditQuality = Literal["auto", "high", "low", "medium", "standard"]

IMAGE_EDIT_QUALITY_VALUES: set[ImageEditQuality] = {
    "auto",
    "high",
    "low",
    "medium",
    "standard",
}


def check_image_edit_quality(value: str) -> ImageEditQuality:
    if value in IMAGE_EDIT_QUALITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_EDIT_QUALITY_VALUES!r}")
