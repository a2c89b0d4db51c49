from typing import Literal

ImageOutputFormat = Literal["jpeg", "png", "webp"]

IMAGE_OUTPUT_FORMAT_VALUES: set[ImageOutputFormat] = {
    "jpeg",
    "png",
    "webp",
}


def check_image_output_format(value: str) -> ImageOutputFormat:
    if value in IMAGE_OUTPUT_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_OUTPUT_FORMAT_VALUES!r}")
