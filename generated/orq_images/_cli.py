"""The operations of the `orq-images` command line (generated from the API description: do not edit).

Each row: the subcommand (`cli_name`, `cli_group`), the client method it calls (`namespace`, `method`), the key of
its request schema in `_schemas.REQUESTS`, the fields taken as positional arguments and their short flags, the
file fields, the answer's images (`save_to`: items, field; `save_to_url`: the field of images given as URLs) and
the `--help` text of every field it reaches.
"""

from typing import Any

OPERATIONS: list[dict[str, Any]] = [
    {
        "cli_name": "generate",
        "cli_group": "images",
        "request_schema": "create_image",
        "namespace": ["router", "images", "generations"],
        "method": "create",
        "summary": "Create an image",
        "description": "Generate one or more images from a text prompt through the orq.ai router, which forwards the request "
        "to the chosen provider model and can retry, fall back, cache and load-balance on the way.",
        "cli_positional": ["prompt"],
        "cli_short_flags": {"model": "m", "n": "n"},
        "file_fields": [],
        "save_to": ["data", "b64_json"],
        "save_to_url": "url",
        "help": {
            "prompt": "What the image should show, in plain words.",
            "model": "The provider model that draws the image, as `provider/name`, for example `openai/dall-e-2`, "
            "`openai/dall-e-3` or `openai/gpt-image-1`.",
            "background": "Whether the background is transparent, opaque or chosen by the model. Only "
            "`openai/gpt-image-1` honours it. Send null to leave it to the provider.",
            "moderation": "How strictly `gpt-image-1` moderates what it generates. Send null to leave it to the "
            "provider.",
            "n": "How many images to generate, from 1 to 10. `dall-e-3` makes one image per request. When omitted the "
            "server generates 1.",
            "output_compression": "Compression level in percent (0-100) of the returned images. Only `gpt-image-1` with "
            "the `webp` or `jpeg` output formats honours it.",
            "output_format": "The file format of the returned images. Only `openai/gpt-image-1` honours it.",
            "quality": "The quality of the generated image; `auto` lets the model pick the best quality it offers.",
            "response_format": "Whether images come back as a URL or as base64 data. `gpt-image-1` ignores it and "
            "always answers with base64 data.",
            "size": "The size of the generated images, such as `1024x1024`; each model accepts its own list of sizes.",
            "style": "The look of the generated images. Only `openai/dall-e-3` honours it.",
            "metadata": "Free-form string labels stored with the trace, useful for filtering later. Each value holds at "
            "most 512 characters.",
            "name": "The name shown on the trace. When omitted the router uses its default system name.",
            "fallback_on_codes": "The HTTP status codes from the provider that make the router move on to the fallback "
            "models: up to 20 unique codes from 400 to 599. When omitted or empty the router uses "
            "408, 429, 500, 502, 503, 504 and 529.",
            "fallbacks": "Models to try, in order, when the primary model fails.",
            "retry": "How the router retries a failed call to the provider (this is the gateway's retry, not the "
            "SDK's).",
            "retry.count": "How many times to retry, from 1 to 5. When omitted the router retries 3 times.",
            "retry.on_codes": "The HTTP status codes that trigger a retry.",
            "cache": "Whether and how long the router caches answers to identical requests.",
            "cache.ttl": "How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the "
            "router keeps it 1800 seconds.",
            "cache.type": "The cache strategy; `exact_match` reuses an answer only for an identical request.",
            "load_balancer": "How the router spreads requests over several models. The `type` field names the strategy; "
            "today the only one is `weight_based`.",
            "timeout": "How long the router waits for the provider. A call that runs over is retried, or handed to the "
            "next fallback model, when those are configured.",
            "timeout.call_timeout": "The time limit of one provider call, in milliseconds.",
            "plugins": "Transforms the router applies, for this request only, to the text exchanged with the model. "
            "Today the one plugin is `pii_redaction`: personal data is replaced by placeholders before the "
            "provider sees it, and put back in the answer.",
            "orq": "Router settings grouped under `orq`: trace name, identity, and the same retry, fallback, cache, "
            "load balancing and timeout settings that the top level accepts.",
            "orq.name": "The name shown on the trace. When omitted the router uses its default system name.",
            "orq.retry": "How the router retries a failed call to the provider (this is the gateway's retry, not the "
            "SDK's).",
            "orq.retry.count": "How many times to retry, from 1 to 5. When omitted the router retries 3 times.",
            "orq.retry.on_codes": "The HTTP status codes that trigger a retry.",
            "orq.fallback_on_codes": "The HTTP status codes from the provider that make the router move on to the "
            "fallback models: up to 20 unique codes from 400 to 599. When omitted or empty the "
            "router uses 408, 429, 500, 502, 503, 504 and 529.",
            "orq.fallbacks": "Models to try, in order, when the primary model fails.",
            "orq.identity": "Who the request is made for. The router creates the identity the first time it sees its "
            "`id`.",
            "orq.identity.id": "Your stable identifier for this identity.",
            "orq.identity.display_name": "A human-readable name.",
            "orq.identity.email": "An email address.",
            "orq.identity.metadata": "Free-form key/value records about the identity.",
            "orq.identity.logo_url": "The URL of an avatar or logo.",
            "orq.identity.tags": "Labels for grouping identities.",
            "orq.contact": "Deprecated: use `identity` instead, which takes the same fields. Who the request is made "
            "for.",
            "orq.cache": "Whether and how long the router caches answers to identical requests.",
            "orq.cache.ttl": "How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the "
            "router keeps it 1800 seconds.",
            "orq.cache.type": "The cache strategy; `exact_match` reuses an answer only for an identical request.",
            "orq.load_balancer": "How the router spreads requests over several models. The `type` field names the "
            "strategy; today the only one is `weight_based`.",
            "orq.timeout": "How long the router waits for the provider. A call that runs over is retried, or handed to "
            "the next fallback model, when those are configured.",
            "orq.timeout.call_timeout": "The time limit of one provider call, in milliseconds.",
        },
    },
    {
        "cli_name": "edit",
        "cli_group": "images",
        "request_schema": "create_image_edit",
        "namespace": ["router", "images", "edits"],
        "method": "create",
        "summary": "Edit an image",
        "description": "Change an image you upload, following a text prompt, through the orq.ai router. The router forwards "
        "the request to the chosen provider model and can retry, fall back, cache and load-balance on the "
        "way.",
        "cli_positional": ["image", "prompt"],
        "cli_short_flags": {"model": "m", "n": "n"},
        "file_fields": ["image"],
        "save_to": ["data", "b64_json"],
        "save_to_url": "url",
        "help": {
            "image": "The image to start from: a PNG, JPEG or WebP file under 50 MB. The API describes one file per "
            "call (its prose mentions up to 16, but not how several would be sent).",
            "prompt": "What to change, in plain words.",
            "model": "The provider model that edits the image, as `provider/name`, for example `openai/gpt-image-1` or "
            "`openai/dall-e-2`.",
            "n": "How many images to make, from 1 to 10. When omitted the server makes 1.",
            "size": "The size of the new images, such as `1024x1024`; each model accepts its own list of sizes.",
            "quality": "The quality of the new images; `auto` lets the model pick the best quality it offers.",
            "response_format": "How the generated image is delivered.",
            "user": "Your own identifier of the end user the call is made for, which helps the provider spot abuse.",
            "name": "The name shown on the trace. When omitted the router uses its default system name.",
            "fallback_on_codes": "The HTTP status codes from the provider that make the router move on to the fallback "
            "models: up to 20 unique codes from 400 to 599. When omitted or empty the router uses "
            "408, 429, 500, 502, 503, 504 and 529.",
            "fallbacks": "Models to try, in order, when the primary model fails.",
            "retry": "How the router retries a failed call to the provider (this is the gateway's retry, not the "
            "SDK's).",
            "retry.count": "How many times to retry, from 1 to 5. When omitted the router retries 3 times.",
            "retry.on_codes": "The HTTP status codes that trigger a retry.",
            "cache": "Whether and how long the router caches answers to identical requests.",
            "cache.ttl": "How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the "
            "router keeps it 1800 seconds.",
            "cache.type": "The cache strategy; `exact_match` reuses an answer only for an identical request.",
            "load_balancer": "How the router spreads requests over several models. The `type` field names the strategy; "
            "today the only one is `weight_based`.",
            "timeout": "How long the router waits for the provider. A call that runs over is retried, or handed to the "
            "next fallback model, when those are configured.",
            "timeout.call_timeout": "The time limit of one provider call, in milliseconds.",
            "orq": "Router settings grouped under `orq` for edits and variations: the settings of `OrqOptions`, plus a "
            "stored prompt to apply.",
            "orq.name": "The name shown on the trace. When omitted the router uses its default system name.",
            "orq.retry": "How the router retries a failed call to the provider (this is the gateway's retry, not the "
            "SDK's).",
            "orq.retry.count": "How many times to retry, from 1 to 5. When omitted the router retries 3 times.",
            "orq.retry.on_codes": "The HTTP status codes that trigger a retry.",
            "orq.fallback_on_codes": "The HTTP status codes from the provider that make the router move on to the "
            "fallback models: up to 20 unique codes from 400 to 599. When omitted or empty the "
            "router uses 408, 429, 500, 502, 503, 504 and 529.",
            "orq.fallbacks": "Models to try, in order, when the primary model fails.",
            "orq.prompt": "A prompt stored in orq.ai that the router applies to the call.",
            "orq.prompt.id": "The identifier of the stored prompt.",
            "orq.prompt.version": "Which version of the prompt to use; today only `latest`.",
            "orq.identity": "Who the request is made for. The router creates the identity the first time it sees its "
            "`id`.",
            "orq.identity.id": "Your stable identifier for this identity.",
            "orq.identity.display_name": "A human-readable name.",
            "orq.identity.email": "An email address.",
            "orq.identity.metadata": "Free-form key/value records about the identity.",
            "orq.identity.logo_url": "The URL of an avatar or logo.",
            "orq.identity.tags": "Labels for grouping identities.",
            "orq.contact": "Deprecated: use `identity` instead, which takes the same fields. Who the request is made "
            "for.",
            "orq.cache": "Whether and how long the router caches answers to identical requests.",
            "orq.cache.ttl": "How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the "
            "router keeps it 1800 seconds.",
            "orq.cache.type": "The cache strategy; `exact_match` reuses an answer only for an identical request.",
            "orq.load_balancer": "How the router spreads requests over several models. The `type` field names the "
            "strategy; today the only one is `weight_based`.",
            "orq.timeout": "How long the router waits for the provider. A call that runs over is retried, or handed to "
            "the next fallback model, when those are configured.",
            "orq.timeout.call_timeout": "The time limit of one provider call, in milliseconds.",
        },
    },
    {
        "cli_name": "variation",
        "cli_group": "images",
        "request_schema": "create_image_variation",
        "namespace": ["router", "images", "variations"],
        "method": "create",
        "summary": "Create image variations",
        "description": "Make new images in the manner of one you upload, through the orq.ai router, which forwards the "
        "request to the chosen provider model and can retry, fall back, cache and load-balance on the way.",
        "cli_positional": ["image"],
        "cli_short_flags": {"model": "m", "n": "n"},
        "file_fields": ["image"],
        "save_to": ["data", "b64_json"],
        "save_to_url": "url",
        "help": {
            "image": "The image to start from: a PNG, JPEG or WebP file under 50 MB. The API describes one file per "
            "call (its prose mentions up to 16, but not how several would be sent).",
            "model": "The provider model that makes the variations, as `provider/name`, for example `openai/dall-e-2`.",
            "n": "How many images to make, from 1 to 10. When omitted the server makes 1.",
            "response_format": "Whether images come back as a URL or as base64 data. A URL stays valid for 60 minutes. "
            "When omitted the server answers with URLs.",
            "size": "The size of the variations; when omitted the server makes `1024x1024` images.",
            "user": "Your own identifier of the end user the call is made for, which helps the provider spot abuse.",
            "name": "The name shown on the trace. When omitted the router uses its default system name.",
            "fallback_on_codes": "The HTTP status codes from the provider that make the router move on to the fallback "
            "models: up to 20 unique codes from 400 to 599. When omitted or empty the router uses "
            "408, 429, 500, 502, 503, 504 and 529.",
            "fallbacks": "Models to try, in order, when the primary model fails.",
            "retry": "How the router retries a failed call to the provider (this is the gateway's retry, not the "
            "SDK's).",
            "retry.count": "How many times to retry, from 1 to 5. When omitted the router retries 3 times.",
            "retry.on_codes": "The HTTP status codes that trigger a retry.",
            "cache": "Whether and how long the router caches answers to identical requests.",
            "cache.ttl": "How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the "
            "router keeps it 1800 seconds.",
            "cache.type": "The cache strategy; `exact_match` reuses an answer only for an identical request.",
            "load_balancer": "How the router spreads requests over several models. The `type` field names the strategy; "
            "today the only one is `weight_based`.",
            "timeout": "How long the router waits for the provider. A call that runs over is retried, or handed to the "
            "next fallback model, when those are configured.",
            "timeout.call_timeout": "The time limit of one provider call, in milliseconds.",
            "orq": "Router settings grouped under `orq` for edits and variations: the settings of `OrqOptions`, plus a "
            "stored prompt to apply.",
            "orq.name": "The name shown on the trace. When omitted the router uses its default system name.",
            "orq.retry": "How the router retries a failed call to the provider (this is the gateway's retry, not the "
            "SDK's).",
            "orq.retry.count": "How many times to retry, from 1 to 5. When omitted the router retries 3 times.",
            "orq.retry.on_codes": "The HTTP status codes that trigger a retry.",
            "orq.fallback_on_codes": "The HTTP status codes from the provider that make the router move on to the "
            "fallback models: up to 20 unique codes from 400 to 599. When omitted or empty the "
            "router uses 408, 429, 500, 502, 503, 504 and 529.",
            "orq.fallbacks": "Models to try, in order, when the primary model fails.",
            "orq.prompt": "A prompt stored in orq.ai that the router applies to the call.",
            "orq.prompt.id": "The identifier of the stored prompt.",
            "orq.prompt.version": "Which version of the prompt to use; today only `latest`.",
            "orq.identity": "Who the request is made for. The router creates the identity the first time it sees its "
            "`id`.",
            "orq.identity.id": "Your stable identifier for this identity.",
            "orq.identity.display_name": "A human-readable name.",
            "orq.identity.email": "An email address.",
            "orq.identity.metadata": "Free-form key/value records about the identity.",
            "orq.identity.logo_url": "The URL of an avatar or logo.",
            "orq.identity.tags": "Labels for grouping identities.",
            "orq.contact": "Deprecated: use `identity` instead, which takes the same fields. Who the request is made "
            "for.",
            "orq.cache": "Whether and how long the router caches answers to identical requests.",
            "orq.cache.ttl": "How long a cached answer stays valid, in seconds, up to 259200 (3 days). When omitted the "
            "router keeps it 1800 seconds.",
            "orq.cache.type": "The cache strategy; `exact_match` reuses an answer only for an identical request.",
            "orq.load_balancer": "How the router spreads requests over several models. The `type` field names the "
            "strategy; today the only one is `weight_based`.",
            "orq.timeout": "How long the router waits for the provider. A call that runs over is retried, or handed to "
            "the next fallback model, when those are configured.",
            "orq.timeout.call_timeout": "The time limit of one provider call, in milliseconds.",
        },
    },
]
