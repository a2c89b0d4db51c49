"""redaction: the key checked before sending, scrubbed from errors and their chains, masked in httpcore2's logs."""

from __future__ import annotations

import logging
import pickle

import httpx2
import pytest
from orq_images._runtime.errors import APIConnectionError, OrqError, status_error_from_response
from orq_images._runtime.redaction import MASK, KeyMask, checked_api_key, remember, scrub

KEY = "sk-redaction-KEY-77aa01"
URL = "https://api.test/v2/router/images/generations"


def request_with_key() -> httpx2.Request:
    return httpx2.Request("POST", URL, headers={"Authorization": f"Bearer {KEY}"})


@pytest.mark.parametrize("key", [KEY + " ", "\t" + KEY, KEY + "\n", "sk-ключ-1234567", KEY + "\x7f"])
def test_keys_a_header_cannot_carry_are_refused_without_showing_them(key: str) -> None:
    with pytest.raises(OrqError) as caught:
        checked_api_key(key)
    assert key.strip() not in str(caught.value) + repr(caught.value)
    assert checked_api_key(KEY) == KEY


def test_the_chain_loses_request_headers_and_is_cut_before_a_mention() -> None:
    quoting = ValueError(f"h11 refused header value b'Bearer {KEY}'")
    transport = httpx2.ReadError("reset", request=request_with_key())
    transport.__context__ = quoting
    error = APIConnectionError("Connection error (ReadError: reset).", method="POST", url=URL)
    error.__cause__ = transport
    scrub(error, KEY)
    assert error.__cause__ is transport
    assert "authorization" not in transport.request.headers
    assert transport.__context__ is None  # the quoting exception is gone from the chain
    assert KEY not in repr(pickle.dumps(error))


def test_a_cause_that_quotes_the_key_is_dropped() -> None:
    error = APIConnectionError("failed", method="POST", url=URL)
    error.__cause__ = RuntimeError(f"key was {KEY}")
    scrub(error, KEY)
    assert error.__cause__ is None


def test_status_errors_are_masked_in_every_field() -> None:
    response = httpx2.Response(
        401,
        headers={"X-Echo": KEY},
        content=f'{{"error": {{"message": "bad {KEY}", "param": "{KEY}"}}}}'.encode(),
        request=httpx2.Request("POST", URL),
    )
    error = scrub(status_error_from_response(response), KEY)
    assert response.headers["x-echo"] == KEY  # the transport's object is left as it was: the error has a copy
    assert KEY not in str(error)
    assert error.headers["x-echo"] == MASK  # type: ignore[attr-defined]
    assert error.response.headers["x-echo"] == MASK  # type: ignore[attr-defined]
    assert KEY.encode() not in error.response.content  # type: ignore[attr-defined]
    assert error.error.param == MASK  # type: ignore[attr-defined]
    assert KEY not in repr(pickle.dumps(error))


def test_key_mask_masks_the_keys_sent_in_records_of_its_logger() -> None:
    remember(KEY)
    record = logging.LogRecord("httpcore2.http11", logging.DEBUG, __file__, 1, "headers %s", ((b"x-echo", KEY),), None)
    assert KeyMask().filter(record)
    assert KEY not in record.getMessage() and MASK in record.getMessage()
    untouched = logging.LogRecord("httpcore2.http11", logging.DEBUG, __file__, 1, "plain %d", (1,), None)
    assert KeyMask().filter(untouched) and untouched.args == (1,)
    assert any(isinstance(f, KeyMask) for f in logging.getLogger("httpcore2.http11").filters)
