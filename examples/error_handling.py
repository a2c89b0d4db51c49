"""Handle what can go wrong: bad arguments (nothing is sent), API errors (one class per status), no connection.

    ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 python examples/error_handling.py
    ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 python examples/error_handling.py stand-in/fail-429

The local stand-in answers the model `stand-in/fail-<status>` with that error status, to try the handlers below.
"""

from __future__ import annotations

import sys

from orq_images import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    Orq,
    RateLimitError,
    RequestValidationError,
)


def main(model: str = "openai/gpt-image-1") -> int:
    with Orq() as orq:
        try:
            orq.router.images.generations.create(prompt="a red fox", model=model, n=11)
        except RequestValidationError as exc:  # raised before anything is sent
            print(f"fix the call: {exc.path} expected {exc.expected}")

        try:
            res = orq.router.images.generations.create(prompt="a red fox", model=model)
        except AuthenticationError:
            print("check ORQ_API_KEY")
            return 1
        except RateLimitError as exc:  # raised once the client's own retries are used up
            print(f"rate limited (request id {exc.request_id}); the server asked to wait {exc.retry_after} s")
            return 1
        except APIStatusError as exc:
            detail = exc.error.message if exc.error else exc.body
            print(f"the API answered {exc.status_code}: {detail} (request id {exc.request_id})")
            return 1
        except APIConnectionError as exc:  # includes APITimeoutError
            print(f"no answer: {exc}")
            return 1
    print(f"ok: {len(res.data)} image(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
