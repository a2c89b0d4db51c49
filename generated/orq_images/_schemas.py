"""JSON Schemas of every operation's request and response (generated; imported on the first call)."""

from typing import Any

COMPONENTS: dict[str, Any] = {
    "CreateImageRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["prompt", "model"],
        "properties": {
            "prompt": {"type": "string"},
            "model": {"type": "string"},
            "background": {"oneOf": [{"$ref": "#/components/schemas/ImageBackground"}, {"type": "null"}]},
            "moderation": {"oneOf": [{"$ref": "#/components/schemas/ImageModeration"}, {"type": "null"}]},
            "n": {"type": ["integer", "null"], "minimum": 1, "maximum": 10, "default": 1},
            "output_compression": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
            "output_format": {"oneOf": [{"$ref": "#/components/schemas/ImageOutputFormat"}, {"type": "null"}]},
            "quality": {"oneOf": [{"$ref": "#/components/schemas/ImageQuality"}, {"type": "null"}]},
            "response_format": {"oneOf": [{"$ref": "#/components/schemas/ImageResponseFormat"}, {"type": "null"}]},
            "size": {"type": ["string", "null"]},
            "style": {"oneOf": [{"$ref": "#/components/schemas/ImageStyle"}, {"type": "null"}]},
            "metadata": {"$ref": "#/components/schemas/RequestMetadata"},
            "name": {"type": "string"},
            "fallbacks": {"type": "array", "items": {"$ref": "#/components/schemas/FallbackModel"}},
            "retry": {"$ref": "#/components/schemas/RetryPolicy"},
            "cache": {"$ref": "#/components/schemas/CachePolicy"},
            "load_balancer": {"$ref": "#/components/schemas/LoadBalancer"},
            "timeout": {"$ref": "#/components/schemas/TimeoutPolicy"},
            "orq": {"$ref": "#/components/schemas/OrqOptions"},
        },
    },
    "ImageBackground": {"type": "string", "enum": ["transparent", "opaque", "auto"]},
    "ImageModeration": {"type": "string", "enum": ["low", "auto"]},
    "ImageOutputFormat": {"type": "string", "enum": ["png", "jpeg", "webp"]},
    "ImageQuality": {"type": "string", "enum": ["auto", "high", "medium", "low", "hd", "standard"]},
    "ImageResponseFormat": {"type": "string", "enum": ["url", "b64_json"]},
    "ImageStyle": {"type": "string", "enum": ["vivid", "natural"]},
    "RequestMetadata": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 512}},
    "FallbackModel": {
        "type": "object",
        "additionalProperties": False,
        "required": ["model"],
        "properties": {"model": {"type": "string"}},
    },
    "RetryPolicy": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "count": {"type": "number", "minimum": 1, "maximum": 5, "default": 3},
            "on_codes": {
                "type": "array",
                "minItems": 1,
                "default": [429],
                "items": {"type": "number", "minimum": 100, "maximum": 599},
            },
        },
    },
    "CachePolicy": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {
            "ttl": {"type": "number", "minimum": 1, "maximum": 259200, "default": 1800},
            "type": {"type": "string", "enum": ["exact_match"]},
        },
    },
    "LoadBalancer": {
        "oneOf": [{"$ref": "#/components/schemas/WeightBasedLoadBalancer"}],
        "discriminator": {
            "propertyName": "type",
            "mapping": {"weight_based": "#/components/schemas/WeightBasedLoadBalancer"},
        },
    },
    "WeightBasedLoadBalancer": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "models"],
        "properties": {
            "type": {"type": "string", "enum": ["weight_based"]},
            "models": {"type": "array", "items": {"$ref": "#/components/schemas/WeightedModel"}},
        },
    },
    "WeightedModel": {
        "type": "object",
        "additionalProperties": False,
        "required": ["model"],
        "properties": {
            "model": {"type": "string"},
            "weight": {"type": "number", "minimum": 0.001, "maximum": 1, "default": 0.5},
        },
    },
    "TimeoutPolicy": {
        "type": "object",
        "additionalProperties": False,
        "required": ["call_timeout"],
        "properties": {"call_timeout": {"type": "number", "minimum": 1}},
    },
    "OrqOptions": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "retry": {"$ref": "#/components/schemas/RetryPolicy"},
            "fallbacks": {"type": "array", "items": {"$ref": "#/components/schemas/FallbackModel"}},
            "identity": {"$ref": "#/components/schemas/Identity"},
            "contact": {"$ref": "#/components/schemas/Identity", "deprecated": True, "x-replaced-by": "orq.identity"},
            "cache": {"$ref": "#/components/schemas/CachePolicy"},
            "load_balancer": {"$ref": "#/components/schemas/LoadBalancer"},
            "timeout": {"$ref": "#/components/schemas/TimeoutPolicy"},
        },
    },
    "Identity": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            "display_name": {"type": "string"},
            "email": {"type": "string"},
            "metadata": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
            "logo_url": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    },
    "CreateImageResponse": {
        "type": "object",
        "required": ["created", "data"],
        "properties": {
            "created": {"type": "number"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/GeneratedImage"}},
            "usage": {"$ref": "#/components/schemas/ImageUsage"},
        },
    },
    "GeneratedImage": {
        "type": "object",
        "properties": {
            "revised_prompt": {"type": ["string", "null"]},
            "b64_json": {"type": "string"},
            "url": {"type": "string"},
        },
        "title": "Generated image",
        "x-sdk-mixin": "ImageMixin",
    },
    "ImageUsage": {
        "type": "object",
        "required": ["input_tokens_details"],
        "properties": {
            "input_tokens": {"type": "number"},
            "input_tokens_details": {"$ref": "#/components/schemas/ImageInputTokensDetails"},
            "output_tokens": {"type": "number"},
            "total_tokens": {"type": "number"},
        },
    },
    "ImageInputTokensDetails": {
        "type": "object",
        "properties": {"image_tokens": {"type": "number"}, "text_tokens": {"type": "number"}},
    },
    "ErrorResponse": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}},
    },
    "ErrorDetail": {
        "type": "object",
        "required": ["type", "message", "code", "param"],
        "properties": {
            "type": {"type": "string"},
            "message": {"type": "string"},
            "code": {"type": ["string", "null"]},
            "param": {"type": ["string", "null"]},
            "failures": {},
        },
    },
}

REQUESTS: dict[str, Any] = {
    "create_image": {"$ref": "#/components/schemas/CreateImageRequest"},
}

RESPONSES: dict[str, Any] = {
    "create_image": {"$ref": "#/components/schemas/CreateImageResponse"},
}
