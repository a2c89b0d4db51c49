"""The seed call's arguments, exactly as the seed document writes them, and the answers the local server sends."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

API_KEY = "bench-key"
OPERATION_PATH = "/v2/router/images/generations"
LARGE_PREFIX = "/large"
"""A server URL ending in this prefix gets the 20 MiB b64_json answer; the bare server URL gets the small one."""

LARGE_B64_CHARS = 20 * 1024 * 1024
"""Size of the b64_json string in the large answer: 20 MiB of base64 text (15 MiB of image bytes)."""


def seed_kwargs() -> dict[str, Any]:
    """A fresh copy of the seed call's keyword arguments (from shared/seed/000_*.txt, unchanged)."""
    return {
        "prompt": "<value>",
        "model": "2",
        "n": 1,
        "retry": {
            "on_codes": [429, 500, 502, 503, 504],
        },
        "cache": {
            "ttl": 3600,
            "type": "exact_match",
        },
        "load_balancer": {
            "type": "weight_based",
            "models": [],
        },
        "timeout": {
            "call_timeout": 30000,
        },
        "orq": {
            "retry": {
                "on_codes": [429, 500, 502, 503, 504],
            },
            "fallbacks": [
                {"model": "openai/gpt-4o-mini"},
            ],
            "identity": {
                "id": "contact_01ARZ3NDEKTSV4RRFFQ69G5FAV",
                "display_name": "Jane Doe",
                "email": "jane.doe@example.com",
                "metadata": [
                    {"department": "Engineering", "role": "Senior Developer"},
                ],
                "logo_url": "https://example.com/avatars/jane-doe.jpg",
                "tags": ["hr", "engineering"],
            },
            "cache": {
                "ttl": 3600,
                "type": "exact_match",
            },
            "load_balancer": {
                "type": "weight_based",
                "models": [
                    {"model": "openai/gpt-4o", "weight": 0.7},
                    {"model": "anthropic/claude-3-5-sonnet", "weight": 0.3},
                ],
            },
            "timeout": {
                "call_timeout": 30000,
            },
        },
    }


def seed_body() -> bytes:
    """The request body the raw-httpx baseline sends: the seed arguments as compact JSON."""
    return json.dumps(seed_kwargs(), separators=(",", ":")).encode()


_USAGE = {
    "input_tokens": 12,
    "input_tokens_details": {"image_tokens": 0, "text_tokens": 12},
    "output_tokens": 4160,
    "total_tokens": 4172,
}


def small_answer() -> bytes:
    """A typical small answer: one image as a URL, with usage."""
    return json.dumps(
        {
            "created": 1767225600,
            "data": [
                {
                    "revised_prompt": "A watercolour of a red fox in fresh snow, soft morning light.",
                    "url": "https://images.example.com/generations/img_01JABCDEF0123456789.png",
                }
            ],
            "usage": _USAGE,
        },
        separators=(",", ":"),
    ).encode()


def large_answer() -> bytes:
    """An answer carrying one image as a 20 MiB b64_json string (random bytes, so it decodes and saves)."""
    raw = os.urandom(LARGE_B64_CHARS // 4 * 3)
    b64 = base64.b64encode(raw)
    assert len(b64) == LARGE_B64_CHARS
    head = b'{"created":1767225600,"data":[{"revised_prompt":null,"b64_json":"'
    tail = b'"}],"usage":' + json.dumps(_USAGE, separators=(",", ":")).encode() + b"}"
    return head + b64 + tail
