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

from ._runtime.pngs import PNG_SIGNATURE, png_bytes
from ._runtime.standin import StandIn
from ._runtime.testing import (
    FAKE_IMAGE_HOST,
    TEST_API_KEY,
    FakeRouter,
    SeenRequest,
    fake_answer,
    fake_response,
    main,
    operation_names,
    skip_retry_sleeps,
)

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
