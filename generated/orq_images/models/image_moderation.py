from typing import Literal

ImageModeration = Literal["auto", "low"]

IMAGE_MODERATION_VALUES: set[ImageModeration] = {
    "auto",
    "low",
}


def check_image_moderation(value: str) -> ImageModeration:
    if value in IMAGE_MODERATION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_MODERATION_VALUES!r}")
