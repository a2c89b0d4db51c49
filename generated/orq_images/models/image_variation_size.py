from typing import Literal

ImageVariationSize = Literal["1024x1024", "256x256", "512x512"]

IMAGE_VARIATION_SIZE_VALUES: set[ImageVariationSize] = {
    "1024x1024",
    "256x256",
    "512x512",
}


def check_image_variation_size(value: str) -> ImageVariationSize:
    if value in IMAGE_VARIATION_SIZE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_VARIATION_SIZE_VALUES!r}")
