from __future__ import annotations

import json
from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from .. import types
from .._runtime.reprs import model_repr
from ..models.image_edit_quality import ImageEditQuality, check_image_edit_quality
from ..models.image_response_format import ImageResponseFormat, check_image_response_format
from ..types import UNSET, File, FileTypes, Unset

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy
    from ..models.fallback_model import FallbackModel
    from ..models.orq_options_with_prompt import OrqOptionsWithPrompt
    from ..models.retry_policy import RetryPolicy
    from ..models.timeout_policy import TimeoutPolicy
    from ..models.weight_based_load_balancer import WeightBasedLoadBalancer


T = TypeVar("T", bound="CreateImageEditRequest")


@_attrs_define(repr=False)
class CreateImageEditRequest:
    """The body of an image-edit request, sent as `multipart/form-data`.

    Attributes:
        model (str): The provider model that edits the image, as `provider/name`, for example `openai/gpt-image-1` or
            `openai/dall-e-2`.
        prompt (str): What to change, in plain words.
        image (File | Unset): The image to start from: a PNG, JPEG or WebP file under 50 MB. The API describes one file
            per call (its prose mentions up to 16, but not how several would be sent).
        n (float | None | Unset): How many images to make, from 1 to 10. When omitted the server makes 1. Default: 1.0.
        size (None | str | Unset): The size of the new images, such as `1024x1024`; each model accepts its own list of
            sizes.
        quality (ImageEditQuality | None | Unset): The quality of the new images; `auto` lets the model pick the best
            quality it offers.
        response_format (ImageResponseFormat | Unset): How the generated image is delivered.
        user (str | Unset): Your own identifier of the end user the call is made for, which helps the provider spot
            abuse.
        name (str | Unset): The name shown on the trace. When omitted the router uses its default system name.
        fallback_on_codes (list[int] | Unset): The HTTP status codes from the provider that make the router move on to
            the fallback models: up to 20 unique codes from 400 to 599. When omitted or empty the router uses 408, 429, 500,
            502, 503, 504 and 529. Example: [429, 529].
        fallbacks (list[FallbackModel] | Unset): Models to try, in order, when the primary model fails.
        retry (RetryPolicy | Unset): How the router retries a failed call to the provider (this is the gateway's retry,
            not the SDK's).
        cache (CachePolicy | Unset): Whether and how long the router caches answers to identical requests.
        load_balancer (WeightBasedLoadBalancer | Unset): Sends each request to one of the listed models, chosen at
            random in proportion to its weight. Example: {'type': 'weight_based', 'models': [{'model': 'openai/gpt-4o',
            'weight': 0.7}, {'model': 'anthropic/claude-3-5-sonnet', 'weight': 0.3}]}.
        timeout (TimeoutPolicy | Unset): How long the router waits for the provider. A call that runs over is retried,
            or handed to the next fallback model, when those are configured.
        orq (OrqOptionsWithPrompt | Unset): Router settings grouped under `orq` for edits and variations: the settings
            of `OrqOptions`, plus a stored prompt to apply.
    """

    model: str
    prompt: str
    image: File | Unset = UNSET
    n: float | None | Unset = UNSET
    size: None | str | Unset = UNSET
    quality: ImageEditQuality | None | Unset = UNSET
    response_format: ImageResponseFormat | Unset = UNSET
    user: str | Unset = UNSET
    name: str | Unset = UNSET
    fallback_on_codes: list[int] | Unset = UNSET
    fallbacks: list[FallbackModel] | Unset = UNSET
    retry: RetryPolicy | Unset = UNSET
    cache: CachePolicy | Unset = UNSET
    load_balancer: WeightBasedLoadBalancer | Unset = UNSET
    timeout: TimeoutPolicy | Unset = UNSET
    orq: OrqOptionsWithPrompt | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        prompt = self.prompt

        image: FileTypes | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_tuple()

        n: float | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        quality: None | str | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        elif isinstance(self.quality, str):
            quality = self.quality
        else:
            quality = self.quality

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format

        user = self.user

        name = self.name

        fallback_on_codes: list[int] | Unset = UNSET
        if not isinstance(self.fallback_on_codes, Unset):
            fallback_on_codes = self.fallback_on_codes

        fallbacks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fallbacks, Unset):
            fallbacks = []
            for fallbacks_item_data in self.fallbacks:
                fallbacks_item = fallbacks_item_data.to_dict()
                fallbacks.append(fallbacks_item)

        retry: dict[str, Any] | Unset = UNSET
        if not isinstance(self.retry, Unset):
            retry = self.retry.to_dict()

        cache: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cache, Unset):
            cache = self.cache.to_dict()

        load_balancer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.load_balancer, Unset):
            load_balancer = self.load_balancer.to_dict()

        timeout: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timeout, Unset):
            timeout = self.timeout.to_dict()

        orq: dict[str, Any] | Unset = UNSET
        if not isinstance(self.orq, Unset):
            orq = self.orq.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "prompt": prompt,
            }
        )
        if image is not UNSET:
            field_dict["image"] = image
        if n is not UNSET:
            field_dict["n"] = n
        if size is not UNSET:
            field_dict["size"] = size
        if quality is not UNSET:
            field_dict["quality"] = quality
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if user is not UNSET:
            field_dict["user"] = user
        if name is not UNSET:
            field_dict["name"] = name
        if fallback_on_codes is not UNSET:
            field_dict["fallback_on_codes"] = fallback_on_codes
        if fallbacks is not UNSET:
            field_dict["fallbacks"] = fallbacks
        if retry is not UNSET:
            field_dict["retry"] = retry
        if cache is not UNSET:
            field_dict["cache"] = cache
        if load_balancer is not UNSET:
            field_dict["load_balancer"] = load_balancer
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if orq is not UNSET:
            field_dict["orq"] = orq

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("model", (None, str(self.model).encode(), "text/plain")))

        files.append(("prompt", (None, str(self.prompt).encode(), "text/plain")))

        if not isinstance(self.image, Unset):
            files.append(("image", self.image.to_tuple()))

        if not isinstance(self.n, Unset):
            if isinstance(self.n, float):
                files.append(("n", (None, str(self.n).encode(), "text/plain")))
            else:
                files.append(("n", (None, str(self.n).encode(), "text/plain")))

        if not isinstance(self.size, Unset):
            if isinstance(self.size, str):
                files.append(("size", (None, str(self.size).encode(), "text/plain")))
            else:
                files.append(("size", (None, str(self.size).encode(), "text/plain")))

        if not isinstance(self.quality, Unset):
            if isinstance(self.quality, str):
                files.append(("quality", (None, str(self.quality).encode(), "text/plain")))
            else:
                files.append(("quality", (None, str(self.quality).encode(), "text/plain")))

        if not isinstance(self.response_format, Unset):
            files.append(("response_format", (None, str(self.response_format).encode(), "text/plain")))

        if not isinstance(self.user, Unset):
            files.append(("user", (None, str(self.user).encode(), "text/plain")))

        if not isinstance(self.name, Unset):
            files.append(("name", (None, str(self.name).encode(), "text/plain")))

        if not isinstance(self.fallback_on_codes, Unset):
            for componentsschemas_fallback_on_codes_item_element in self.fallback_on_codes:
                files.append(
                    (
                        "fallback_on_codes",
                        (None, str(componentsschemas_fallback_on_codes_item_element).encode(), "text/plain"),
                    )
                )

        if not isinstance(self.fallbacks, Unset):
            for fallbacks_item_element in self.fallbacks:
                files.append(
                    ("fallbacks", (None, json.dumps(fallbacks_item_element.to_dict()).encode(), "application/json"))
                )

        if not isinstance(self.retry, Unset):
            files.append(("retry", (None, json.dumps(self.retry.to_dict()).encode(), "application/json")))

        if not isinstance(self.cache, Unset):
            files.append(("cache", (None, json.dumps(self.cache.to_dict()).encode(), "application/json")))

        if not isinstance(self.load_balancer, Unset):
            files.append(
                ("load_balancer", (None, json.dumps(self.load_balancer.to_dict()).encode(), "application/json"))
            )

        if not isinstance(self.timeout, Unset):
            files.append(("timeout", (None, json.dumps(self.timeout.to_dict()).encode(), "application/json")))

        if not isinstance(self.orq, Unset):
            files.append(("orq", (None, json.dumps(self.orq.to_dict()).encode(), "application/json")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cache_policy import CachePolicy  # noqa: PLC0415
        from ..models.fallback_model import FallbackModel  # noqa: PLC0415
        from ..models.orq_options_with_prompt import OrqOptionsWithPrompt  # noqa: PLC0415
        from ..models.retry_policy import RetryPolicy  # noqa: PLC0415
        from ..models.timeout_policy import TimeoutPolicy  # noqa: PLC0415
        from ..models.weight_based_load_balancer import WeightBasedLoadBalancer  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        prompt = d.pop("prompt")

        _image = d.pop("image", UNSET)
        image: File | Unset
        if isinstance(_image, Unset):
            image = UNSET
        else:
            image = File(payload=BytesIO(_image))

        def _parse_n(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        def _parse_size(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        def _parse_quality(data: object) -> ImageEditQuality | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                quality_type_0 = check_image_edit_quality(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageEditQuality | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        _response_format = d.pop("response_format", UNSET)
        response_format: ImageResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = check_image_response_format(_response_format)

        user = d.pop("user", UNSET)

        name = d.pop("name", UNSET)

        fallback_on_codes = cast(list[int], d.pop("fallback_on_codes", UNSET))

        _fallbacks = d.pop("fallbacks", UNSET)
        fallbacks: list[FallbackModel] | Unset = UNSET
        if _fallbacks is not UNSET:
            fallbacks = []
            for fallbacks_item_data in _fallbacks:
                fallbacks_item = FallbackModel.from_dict(fallbacks_item_data)

                fallbacks.append(fallbacks_item)

        _retry = d.pop("retry", UNSET)
        retry: RetryPolicy | Unset
        if isinstance(_retry, Unset):
            retry = UNSET
        else:
            retry = RetryPolicy.from_dict(_retry)

        _cache = d.pop("cache", UNSET)
        cache: CachePolicy | Unset
        if isinstance(_cache, Unset):
            cache = UNSET
        else:
            cache = CachePolicy.from_dict(_cache)

        _load_balancer = d.pop("load_balancer", UNSET)
        load_balancer: WeightBasedLoadBalancer | Unset
        if isinstance(_load_balancer, Unset):
            load_balancer = UNSET
        else:
            load_balancer = WeightBasedLoadBalancer.from_dict(_load_balancer)

        _timeout = d.pop("timeout", UNSET)
        timeout: TimeoutPolicy | Unset
        if isinstance(_timeout, Unset):
            timeout = UNSET
        else:
            timeout = TimeoutPolicy.from_dict(_timeout)

        _orq = d.pop("orq", UNSET)
        orq: OrqOptionsWithPrompt | Unset
        if isinstance(_orq, Unset):
            orq = UNSET
        else:
            orq = OrqOptionsWithPrompt.from_dict(_orq)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for CreateImageEditRequest: {sorted(d)}")
        create_image_edit_request = cls(
            model=model,
            prompt=prompt,
            image=image,
            n=n,
            size=size,
            quality=quality,
            response_format=response_format,
            user=user,
            name=name,
            fallback_on_codes=fallback_on_codes,
            fallbacks=fallbacks,
            retry=retry,
            cache=cache,
            load_balancer=load_balancer,
            timeout=timeout,
            orq=orq,
        )

        return create_image_edit_request
