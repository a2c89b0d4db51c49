"""Helpers for testing code that uses `orq_images`, with no network and no account.

In your tests (pytest or any other runner)::

    from orq_images.testing import FakeRouter

    def test_my_thumbnailer() -> None:
        router = FakeRouter()
        router.fail("generations", 429)          # the first call is rate-limited, the retry succeeds
        with router.orq() as orq:                # an Orq client answered in-process (retries do not wait)
            make_thumbnail(orq, "a red fox")
        assert router.requests[-1].json["prompt"] == "a red fox"

On the command line, a local stand-in for the router (valid answers with real PNG images)::

    python -m orq_images.testing serve            # then: ORQ_SERVER_URL=http://127.0.0.1:4010 ORQ_API_KEY=test

Generated: do not edit.
"""

from typing import Any

from ._runtime import testing as _testing
from ._runtime.pngs import PNG_SIGNATURE, png_bytes
from ._runtime.standin import StandIn
from ._runtime.testing import (
    FAKE_IMAGE_HOST,
    TEST_API_KEY,
    SeenRequest,
    fake_answer,
    fake_response,
    main,
    operation_names,
    skip_retry_sleeps,
)
from .sdk import Orq


class FakeRouter(_testing.FakeRouter):
    """The router, in-process, for tests: an `httpx2.MockTransport` that answers every operation of the SDK.

    Without queued answers it behaves like the API (a valid answer with real PNG images for a valid request, 401
    without a key, 400 naming the field of an invalid body). `respond`, `fail`, `fail_connection` and `time_out`
    queue what the next requests of an operation get, in order; `requests` holds every request received. Nothing
    reaches a network: use `orq()`, or pass `client()` / `async_client()` to the `Orq` your code makes.
    """

    def orq(self, api_key: str = TEST_API_KEY, *, skip_sleeps: bool = True, **options: Any) -> Orq:
        """An `Orq` client (sync and async) answered by this router; `options` are `Orq`'s (`retry_config`,
        `timeout_ms`...). Its retries do not wait unless `skip_sleeps=False`."""
        orq: Orq = super().orq(api_key, skip_sleeps=skip_sleeps, **options)
        return orq


__all__ = [
    "FAKE_IMAGE_HOST",
    "PNG_SIGNATURE",
    "TEST_API_KEY",
    "FakeRouter",
    "SeenRequest",
    "StandIn",
    "fake_answer",
    "fake_response",
    "main",
    "operation_names",
    "png_bytes",
    "skip_retry_sleeps",
]

if __name__ == "__main__":
    raise SystemExit(main())
