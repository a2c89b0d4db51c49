from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.image_background import ImageBackground, check_image_background
from ..models.image_moderation import ImageModeration, check_image_moderation
from ..models.image_output_format import ImageOutputFormat, check_image_output_format
from ..models.image_quality import ImageQuality, check_image_quality
from ..models.image_response_format import ImageResponseFormat, check_image_response_format
from ..models.image_style import ImageStyle, check_image_style
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy
    from ..models.fallback_model import FallbackModel
    from ..models.orq_options import OrqOptions
    from ..models.pii_redaction_plugin_auto import PiiRedactionPluginAuto
    from ..models.pii_redaction_plugin_en import PiiRedactionPluginEn
    from ..models.pii_redaction_plugin_nl import PiiRedactionPluginNl
    from ..models.request_metadata import RequestMetadata
    from ..models.retry_policy import RetryPolicy
    from ..models.timeout_policy import TimeoutPolicy
    from ..models.weight_based_load_balancer import WeightBasedLoadBalancer


T = TypeVar("T", bound="CreateImageRequest")


@_attrs_define(repr=False)
class CreateImageRequest:
    """The body of an image-generation request.

    Attributes:
        prompt (str): What the image should show, in plain words.
        model (str): The provider model that draws the image, as `provider/name`, for example `openai/dall-e-2`,
            `openai/dall-e-3` or `openai/gpt-image-1`.
        background (ImageBackground | None | Unset): Whether the background is transparent, opaque or chosen by the
            model. Only `openai/gpt-image-1` honours it. Send null to leave it to the provider.
        moderation (ImageModeration | None | Unset): How strictly `gpt-image-1` moderates what it generates. Send null
            to leave it to the provider.
        n (int | None | Unset): How many images to generate, from 1 to 10. `dall-e-3` makes one image per request. When
            omitted the server generates 1. Default: 1.
        output_compression (int | None | Unset): Compression level in percent (0-100) of the returned images. Only `gpt-
            image-1` with the `webp` or `jpeg` output formats honours it.
        output_format (ImageOutputFormat | None | Unset): The file format of the returned images. Only `openai/gpt-
            image-1` honours it.
        quality (ImageQuality | None | Unset): The quality of the generated image; `auto` lets the model pick the best
            quality it offers.
        response_format (ImageResponseFormat | None | Unset): Whether images come back as a URL or as base64 data. `gpt-
            image-1` ignores it and always answers with base64 data.
        size (None | str | Unset): The size of the generated images, such as `1024x1024`; each model accepts its own
            list of sizes.
        style (ImageStyle | None | Unset): The look of the generated images. Only `openai/dall-e-3` honours it.
        metadata (RequestMetadata | Unset): Free-form string labels stored with the trace, useful for filtering later.
            Each value holds at most 512 characters.
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
        plugins (list[PiiRedactionPluginAuto | PiiRedactionPluginEn | PiiRedactionPluginNl] | Unset): Transforms the
            router applies, for this request only, to the text exchanged with the model. Today the one plugin is
            `pii_redaction`: personal data is replaced by placeholders before the provider sees it, and put back in the
            answer.
        orq (OrqOptions | Unset): Router settings grouped under `orq`: trace name, identity, and the same retry,
            fallback, cache, load balancing and timeout settings that the top level accepts.
    """

    prompt: str
    model: str
    background: ImageBackground | None | Unset = UNSET
    moderation: ImageModeration | None | Unset = UNSET
    n: int | None | Unset = UNSET
    output_compression: int | None | Unset = UNSET
    output_format: ImageOutputFormat | None | Unset = UNSET
    quality: ImageQuality | None | Unset = UNSET
    response_format: ImageResponseFormat | None | Unset = UNSET
    size: None | str | Unset = UNSET
    style: ImageStyle | None | Unset = UNSET
    metadata: RequestMetadata | Unset = UNSET
    name: str | Unset = UNSET
    fallback_on_codes: list[int] | Unset = UNSET
    fallbacks: list[FallbackModel] | Unset = UNSET
    retry: RetryPolicy | Unset = UNSET
    cache: CachePolicy | Unset = UNSET
    load_balancer: WeightBasedLoadBalancer | Unset = UNSET
    timeout: TimeoutPolicy | Unset = UNSET
    plugins: list[PiiRedactionPluginAuto | PiiRedactionPluginEn | PiiRedactionPluginNl] | Unset = UNSET
    orq: OrqOptions | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        from ..models.pii_redaction_plugin_auto import PiiRedactionPluginAuto  # noqa: PLC0415
        from ..models.pii_redaction_plugin_en import PiiRedactionPluginEn  # noqa: PLC0415

        prompt = self.prompt

        model = self.model

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        elif isinstance(self.background, str):
            background = self.background
        else:
            background = self.background

        moderation: None | str | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, str):
            moderation = self.moderation
        else:
            moderation = self.moderation

        n: int | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        output_compression: int | None | Unset
        if isinstance(self.output_compression, Unset):
            output_compression = UNSET
        else:
            output_compression = self.output_compression

        output_format: None | str | Unset
        if isinstance(self.output_format, Unset):
            output_format = UNSET
        elif isinstance(self.output_format, str):
            output_format = self.output_format
        else:
            output_format = self.output_format

        quality: None | str | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        elif isinstance(self.quality, str):
            quality = self.quality
        else:
            quality = self.quality

        response_format: None | str | Unset
        if isinstance(self.response_format, Unset):
            response_format = UNSET
        elif isinstance(self.response_format, str):
            response_format = self.response_format
        else:
            response_format = self.response_format

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        style: None | str | Unset
        if isinstance(self.style, Unset):
            style = UNSET
        elif isinstance(self.style, str):
            style = self.style
        else:
            style = self.style

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

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

        plugins: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.plugins, Unset):
            plugins = []
            for plugins_item_data in self.plugins:
                plugins_item: dict[str, Any]
                if isinstance(plugins_item_data, PiiRedactionPluginAuto):
                    plugins_item = plugins_item_data.to_dict()
                elif isinstance(plugins_item_data, PiiRedactionPluginEn):
                    plugins_item = plugins_item_data.to_dict()
                else:
                    plugins_item = plugins_item_data.to_dict()

                plugins.append(plugins_item)

        orq: dict[str, Any] | Unset = UNSET
        if not isinstance(self.orq, Unset):
            orq = self.orq.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
                "model": model,
            }
        )
        if background is not UNSET:
            field_dict["background"] = background
        if moderation is not UNSET:
            field_dict["moderation"] = moderation
        if n is not UNSET:
            field_dict["n"] = n
        if output_compression is not UNSET:
            field_dict["output_compression"] = output_compression
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if quality is not UNSET:
            field_dict["quality"] = quality
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if size is not UNSET:
            field_dict["size"] = size
        if style is not UNSET:
            field_dict["style"] = style
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
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
        if plugins is not UNSET:
            field_dict["plugins"] = plugins
        if orq is not UNSET:
            field_dict["orq"] = orq

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cache_policy import CachePolicy  # noqa: PLC0415
        from ..models.fallback_model import FallbackModel  # noqa: PLC0415
        from ..models.orq_options import OrqOptions  # noqa: PLC0415
        from ..models.pii_redaction_plugin_auto import PiiRedactionPluginAuto  # noqa: PLC0415
        from ..models.pii_redaction_plugin_en import PiiRedactionPluginEn  # noqa: PLC0415
        from ..models.pii_redaction_plugin_nl import PiiRedactionPluginNl  # noqa: PLC0415
        from ..models.request_metadata import RequestMetadata  # noqa: PLC0415
        from ..models.retry_policy import RetryPolicy  # noqa: PLC0415
        from ..models.timeout_policy import TimeoutPolicy  # noqa: PLC0415
        from ..models.weight_based_load_balancer import WeightBasedLoadBalancer  # noqa: PLC0415

        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model")

        def _parse_background(data: object) -> ImageBackground | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                background_type_0 = check_image_background(data)

                return background_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageBackground | None | Unset, data)

        background = _parse_background(d.pop("background", UNSET))

        def _parse_moderation(data: object) -> ImageModeration | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                moderation_type_0 = check_image_moderation(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageModeration | None | Unset, data)

        moderation = _parse_moderation(d.pop("moderation", UNSET))

        def _parse_n(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        def _parse_output_compression(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        output_compression = _parse_output_compression(d.pop("output_compression", UNSET))

        def _parse_output_format(data: object) -> ImageOutputFormat | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                output_format_type_0 = check_image_output_format(data)

                return output_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageOutputFormat | None | Unset, data)

        output_format = _parse_output_format(d.pop("output_format", UNSET))

        def _parse_quality(data: object) -> ImageQuality | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                quality_type_0 = check_image_quality(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageQuality | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        def _parse_response_format(data: object) -> ImageResponseFormat | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                response_format_type_0 = check_image_response_format(data)

                return response_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageResponseFormat | None | Unset, data)

        response_format = _parse_response_format(d.pop("response_format", UNSET))

        def _parse_size(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        def _parse_style(data: object) -> ImageStyle | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                style_type_0 = check_image_style(data)

                return style_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageStyle | None | Unset, data)

        style = _parse_style(d.pop("style", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: RequestMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = RequestMetadata.from_dict(_metadata)

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

        _plugins = d.pop("plugins", UNSET)
        plugins: list[PiiRedactionPluginAuto | PiiRedactionPluginEn | PiiRedactionPluginNl] | Unset = UNSET
        if _plugins is not UNSET:
            plugins = []
            for plugins_item_data in _plugins:

                def _parse_plugins_item(
                    data: object,
                ) -> PiiRedactionPluginAuto | PiiRedactionPluginEn | PiiRedactionPluginNl:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_pii_redaction_plugin_type_0 = PiiRedactionPluginAuto.from_dict(data)

                        return componentsschemas_pii_redaction_plugin_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_pii_redaction_plugin_type_1 = PiiRedactionPluginEn.from_dict(data)

                        return componentsschemas_pii_redaction_plugin_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_pii_redaction_plugin_type_2 = PiiRedactionPluginNl.from_dict(data)

                    return componentsschemas_pii_redaction_plugin_type_2

                plugins_item = _parse_plugins_item(plugins_item_data)

                plugins.append(plugins_item)

        _orq = d.pop("orq", UNSET)
        orq: OrqOptions | Unset
        if isinstance(_orq, Unset):
            orq = UNSET
        else:
            orq = OrqOptions.from_dict(_orq)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for CreateImageRequest: {sorted(d)}")
        create_image_request = cls(
            prompt=prompt,
            model=model,
            background=background,
            moderation=moderation,
            n=n,
            output_compression=output_compression,
            output_format=output_format,
            quality=quality,
            response_format=response_format,
            size=size,
            style=style,
            metadata=metadata,
            name=name,
            fallback_on_codes=fallback_on_codes,
            fallbacks=fallbacks,
            retry=retry,
            cache=cache,
            load_balancer=load_balancer,
            timeout=timeout,
            plugins=plugins,
            orq=orq,
        )

        return create_image_request
