"""TypedDicts for the request parameters. Generated from the API description: do not edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NotRequired, Required, TypedDict

if TYPE_CHECKING:
    from ._runtime.uploads import FileInput
    from .models import *  # noqa: F403


class CreateImageRequestParam(TypedDict):
    """CreateImageRequest as a plain dict: The body of an image-generation request."""

    prompt: Required[str]
    model: Required[str]
    background: NotRequired[ImageBackground | None]
    moderation: NotRequired[ImageModeration | None]
    n: NotRequired[int | None]
    output_compression: NotRequired[int | None]
    output_format: NotRequired[ImageOutputFormat | None]
    quality: NotRequired[ImageQuality | None]
    response_format: NotRequired[ImageResponseFormat | None]
    size: NotRequired[str | None]
    style: NotRequired[ImageStyle | None]
    metadata: NotRequired[RequestMetadata | Mapping[str, str]]
    name: NotRequired[str]
    fallback_on_codes: NotRequired[Sequence[int]]
    fallbacks: NotRequired[Sequence[FallbackModel | FallbackModelParam]]
    retry: NotRequired[RetryPolicy | RetryPolicyParam]
    cache: NotRequired[CachePolicy | CachePolicyParam]
    load_balancer: NotRequired[WeightBasedLoadBalancer | WeightBasedLoadBalancerParam]
    timeout: NotRequired[TimeoutPolicy | TimeoutPolicyParam]
    plugins: NotRequired[
        Sequence[
            PiiRedactionPluginAuto
            | PiiRedactionPluginAutoParam
            | PiiRedactionPluginEn
            | PiiRedactionPluginEnParam
            | PiiRedactionPluginNl
            | PiiRedactionPluginNlParam
        ]
    ]
    orq: NotRequired[OrqOptions | OrqOptionsParam]


class FallbackModelParam(TypedDict):
    """FallbackModel as a plain dict: A model the router tries when the ones before it fail."""

    model: Required[str]


class RetryPolicyParam(TypedDict):
    """RetryPolicy as a plain dict: How the router retries a failed call to the provider (this is the gateway's retry, not the SDK's)."""

    count: NotRequired[float]
    on_codes: NotRequired[Sequence[float]]


class CachePolicyParam(TypedDict):
    """CachePolicy as a plain dict: Whether and how long the router caches answers to identical requests."""

    type: Required[CachePolicyType]
    ttl: NotRequired[float]


class WeightBasedLoadBalancerParam(TypedDict):
    """WeightBasedLoadBalancer as a plain dict: Sends each request to one of the listed models, chosen at random in proportion to its weight."""

    type: Required[WeightBasedLoadBalancerType]
    models: Required[Sequence[WeightedModel | WeightedModelParam]]


class WeightedModelParam(TypedDict):
    """WeightedModel as a plain dict: A model and its share of the traffic."""

    model: Required[str]
    weight: NotRequired[float]


class TimeoutPolicyParam(TypedDict):
    """TimeoutPolicy as a plain dict: How long the router waits for the provider. A call that runs over is retried, or handed to the next fallback model, when those are configured."""

    call_timeout: Required[float]


class PiiRedactionPluginAutoParam(TypedDict):
    """PiiRedactionPluginAuto as a plain dict:"""

    id: Required[PiiRedactionPluginId]
    on_failure: NotRequired[PiiRedactionOnFailure]
    threshold: NotRequired[float]
    entities: NotRequired[Sequence[PiiEntity]]


class PiiRedactionPluginEnParam(TypedDict):
    """PiiRedactionPluginEn as a plain dict:"""

    id: Required[PiiRedactionPluginId]
    language: Required[PiiRedactionPluginEnLanguage]
    on_failure: NotRequired[PiiRedactionOnFailure]
    threshold: NotRequired[float]
    entities: NotRequired[Sequence[PiiEntity]]


class PiiRedactionPluginNlParam(TypedDict):
    """PiiRedactionPluginNl as a plain dict:"""

    id: Required[PiiRedactionPluginId]
    language: Required[PiiRedactionPluginNlLanguage]
    on_failure: NotRequired[PiiRedactionOnFailure]
    threshold: NotRequired[float]
    entities: NotRequired[Sequence[PiiEntityNl]]


class OrqOptionsParam(TypedDict):
    """OrqOptions as a plain dict: Router settings grouped under `orq`: trace name, identity, and the same retry, fallback, cache, load balancing and timeout settings that the top level accepts."""

    name: NotRequired[str]
    retry: NotRequired[RetryPolicy | RetryPolicyParam]
    fallback_on_codes: NotRequired[Sequence[int]]
    fallbacks: NotRequired[Sequence[FallbackModel | FallbackModelParam]]
    identity: NotRequired[Identity | IdentityParam]
    contact: NotRequired[Identity | IdentityParam]
    cache: NotRequired[CachePolicy | CachePolicyParam]
    load_balancer: NotRequired[WeightBasedLoadBalancer | WeightBasedLoadBalancerParam]
    timeout: NotRequired[TimeoutPolicy | TimeoutPolicyParam]


class IdentityParam(TypedDict):
    """Identity as a plain dict: Who the request is made for. The router creates the identity the first time it sees its `id`."""

    id: Required[str]
    display_name: NotRequired[str]
    email: NotRequired[str]
    metadata: NotRequired[Sequence[IdentityMetadataItem | Mapping[str, Any]]]
    logo_url: NotRequired[str]
    tags: NotRequired[Sequence[str]]


class CreateImageEditRequestParam(TypedDict):
    """CreateImageEditRequest as a plain dict: The body of an image-edit request, sent as `multipart/form-data`."""

    model: Required[str]
    prompt: Required[str]
    image: NotRequired[FileInput]
    n: NotRequired[float | None]
    size: NotRequired[str | None]
    quality: NotRequired[ImageEditQuality | None]
    response_format: NotRequired[ImageResponseFormat]
    user: NotRequired[str]
    name: NotRequired[str]
    fallback_on_codes: NotRequired[Sequence[int]]
    fallbacks: NotRequired[Sequence[FallbackModel | FallbackModelParam]]
    retry: NotRequired[RetryPolicy | RetryPolicyParam]
    cache: NotRequired[CachePolicy | CachePolicyParam]
    load_balancer: NotRequired[WeightBasedLoadBalancer | WeightBasedLoadBalancerParam]
    timeout: NotRequired[TimeoutPolicy | TimeoutPolicyParam]
    orq: NotRequired[OrqOptionsWithPrompt | OrqOptionsWithPromptParam]


class CreateImageVariationRequestParam(TypedDict):
    """CreateImageVariationRequest as a plain dict: The body of an image-variation request, sent as `multipart/form-data`."""

    model: Required[str]
    image: NotRequired[FileInput]
    n: NotRequired[float | None]
    response_format: NotRequired[ImageResponseFormat]
    size: NotRequired[ImageVariationSize]
    user: NotRequired[str]
    name: NotRequired[str]
    fallback_on_codes: NotRequired[Sequence[int]]
    fallbacks: NotRequired[Sequence[FallbackModel | FallbackModelParam]]
    retry: NotRequired[RetryPolicy | RetryPolicyParam]
    cache: NotRequired[CachePolicy | CachePolicyParam]
    load_balancer: NotRequired[WeightBasedLoadBalancer | WeightBasedLoadBalancerParam]
    timeout: NotRequired[TimeoutPolicy | TimeoutPolicyParam]
    orq: NotRequired[OrqOptionsWithPrompt | OrqOptionsWithPromptParam]


class PromptReferenceParam(TypedDict):
    """PromptReference as a plain dict: A prompt stored in orq.ai that the router applies to the call."""

    id: Required[str]
    version: Required[PromptReferenceVersion]


class OrqOptionsWithPromptParam(TypedDict):
    """OrqOptionsWithPrompt as a plain dict: Router settings grouped under `orq` for edits and variations: the settings of `OrqOptions`, plus a stored prompt to apply."""

    name: NotRequired[str]
    retry: NotRequired[RetryPolicy | RetryPolicyParam]
    fallback_on_codes: NotRequired[Sequence[int]]
    fallbacks: NotRequired[Sequence[FallbackModel | FallbackModelParam]]
    prompt: NotRequired[PromptReference | PromptReferenceParam]
    identity: NotRequired[Identity | IdentityParam]
    contact: NotRequired[Identity | IdentityParam]
    cache: NotRequired[CachePolicy | CachePolicyParam]
    load_balancer: NotRequired[WeightBasedLoadBalancer | WeightBasedLoadBalancerParam]
    timeout: NotRequired[TimeoutPolicy | TimeoutPolicyParam]
