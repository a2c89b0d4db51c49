"""``RawResponse``: the result of a call together with the HTTP metadata of the answer it came from
(``orq.router.images.generations.with_raw_response.create(...)``), as openai-python's ``with_raw_response`` gives.

Unlike openai-python's, the value is parsed (and ``save_to=``'s files are written) before the call returns, by the
very code path of the ordinary methods: the answer is streamed and checked while it arrives, so a call that returns
has a valid answer, ``parse()`` never raises, and the errors of a raw call are those of the ordinary call.
"""

from __future__ import annotations

import datetime
from typing import Generic, TypeVar

import httpx2

from .errors import _request_id

__all__ = ["RawResponse"]

T = TypeVar("T")


class RawResponse(Generic[T]):
    """The parsed result of a call and the metadata of the HTTP answer it came from (the last attempt's).

    An API key the server echoed in a header is masked (``***``) in ``headers`` and ``http_response``; the
    request attached to ``http_response`` carries no headers (those of the real request hold the key).
    """

    __slots__ = ("_parsed", "elapsed", "http_response", "retries_taken")

    def __init__(
        self, parsed: T, *, http_response: httpx2.Response, retries_taken: int, elapsed: datetime.timedelta
    ) -> None:
        self._parsed = parsed
        self.http_response = http_response
        """The ``httpx2.Response`` of the last attempt. Its body was read (and parsed) by the SDK, not kept."""
        self.retries_taken = retries_taken
        """How many times the request was sent again before this answer (0: the first attempt succeeded)."""
        self.elapsed = elapsed
        """The time the whole call took: every attempt, the waits between them, and reading the answer."""

    def parse(self) -> T:
        """The result, as the ordinary method returns it (the same object on every call)."""
        return self._parsed

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx2.Headers:
        """The answer's headers (names are case-insensitive)."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (``x-request-id``): quote it when contacting support."""
        return _request_id(self.http_response.headers)

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    def __repr__(self) -> str:
        return (
            f"<RawResponse [{self.status_code}] {self.method} {self.url.path} request_id={self.request_id!r} "
            f"retries_taken={self.retries_taken}>"
        )
