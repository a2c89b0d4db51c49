"""Record contract fixtures by making real calls through the client (``make record``).

    python -m tests.contract.record                       # the live API (needs ORQ_API_KEY and the network)
    python -m tests.contract.record --server-url URL --kind fault-model --source "what this server is"

Each named call of ``--calls`` (default ``tests/contract/calls.json``) goes through
``Orq(client=httpx2.Client(transport=<recording transport>)).router.images.generations.create(**call, retries=None)``;
the outgoing request and the answer are captured by the transport (wrapping the real one), secrets are redacted,
and one fixture is written per call: ``<out>/<name>.json`` (an existing file is kept unless ``--overwrite``).

Provenance: ``live-recording`` only when the target is the live API (https://my.orq.ai); against any other
server the kind is ``--kind`` (``documented-example`` or ``fault-model``) and the source names the server.

Redaction: the Authorization header is written as ``Bearer <redacted>``, only the headers that matter are kept,
and the API key is replaced by ``<redacted>`` wherever else it appears (headers, bodies, the call itself). A
file that would still hold the key is never written.

``expect`` is derived from the answer, not from what the client did: a 2xx that validates against
generated/openapi.effective.yaml expects a CreateImageResponse, any other 2xx a ResponseValidationError, and an
error status the exception class for that status. When the client disagrees, the recorder says so (and the
replay test will fail on that fixture until the disagreement is resolved).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2

from tests.contract import harness

LIVE_SERVER_URL = "https://my.orq.ai"
LIVE_HOSTS = frozenset({"my.orq.ai"})
DEFAULT_CALLS = harness.CONTRACT_DIR / "calls.json"
# Sent by calls marked "use_invalid_api_key" to record the 401 body; redacted like the real key.
INVALID_API_KEY = "sk-orq-recorder-deliberately-invalid-key"
# Used against non-live servers when ORQ_API_KEY is not set.
PLACEHOLDER_API_KEY = "sk-orq-recorder-placeholder-key"
RECORDED_RESPONSE_HEADERS = (
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-request-id",
    "request-id",
    "x-orq-request-id",
)
STATUS_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-orq-request-id")


class RecordError(Exception):
    """The recorder cannot run as asked; the message says why."""


class RecordingTransport(httpx2.BaseTransport):
    """Wraps the real transport and keeps every request and its (fully read) response."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.exchanges: list[tuple[httpx2.Request, httpx2.Response]] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        response = self.inner.handle_request(request)
        try:
            response.read()
        finally:
            response.close()
        self.exchanges.append((request, response))
        return response

    def close(self) -> None:
        self.inner.close()


# ------------------------------------------------------------------------------------------------- redaction


def redact(value: Any, secrets: Sequence[str]) -> Any:
    """``value`` (JSON) with every occurrence of every secret, in keys and strings, replaced by ``<redacted>``."""
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                value = value.replace(secret, harness.REDACTED)
        return value
    if isinstance(value, list):
        return [redact(item, secrets) for item in value]
    if isinstance(value, dict):
        return {redact(key, secrets): redact(item, secrets) for key, item in value.items()}
    return value


def request_record(request: httpx2.Request, secrets: Sequence[str]) -> dict[str, Any]:
    headers: dict[str, str] = {}
    for name in harness.REQUEST_HEADERS:
        value = request.headers.get(name)
        if value is None:
            continue
        if name == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {harness.REDACTED}".strip()
        headers[name] = value
    record: dict[str, Any] = {"method": request.method, "path": request.url.path, "headers": headers}
    if request.content:
        try:
            record["body"] = json.loads(request.content)
        except ValueError:
            record["text"] = request.content.decode("utf-8", errors="replace")
    return redact(record, secrets)  # type: ignore[no-any-return]


def response_record(response: httpx2.Response, secrets: Sequence[str]) -> dict[str, Any]:
    headers = {name: response.headers[name] for name in RECORDED_RESPONSE_HEADERS if name in response.headers}
    record: dict[str, Any] = {"status": response.status_code, "headers": headers}
    text = response.content.decode(response.encoding or "utf-8", errors="replace")
    try:
        record["body"] = json.loads(text)
    except ValueError:
        record["text"] = text
    return redact(record, secrets)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------------- expect


def expected_outcome(fixture: dict[str, Any]) -> dict[str, Any]:
    """What the client must do with the recorded answer, derived from the answer and the spec alone."""
    response = fixture["response"]
    status = response["status"]
    if 200 <= status < 300:
        if not harness.response_problems(fixture):
            return {"result": "CreateImageResponse"}
        return {
            "error": "ResponseValidationError",
            "attributes": {"status_code": status},
            "response_matches_spec": False,
        }
    name = "ServerError" if status >= 500 else STATUS_ERRORS.get(status, "APIStatusError")
    attributes: dict[str, Any] = {"status_code": status}
    headers = response.get("headers") or {}
    attributes["request_id"] = next((headers[h] for h in REQUEST_ID_HEADERS if headers.get(h)), None)
    body = response.get("body")
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and isinstance(body["error"].get("message"), str):
        attributes["error.message"] = body["error"]["message"]
    expect: dict[str, Any] = {"error": name, "attributes": attributes}
    if harness.response_problems(fixture):
        expect["response_matches_spec"] = False
    return expect


# ----------------------------------------------------------------------------------------------------- record


def target(server_url: str | None) -> tuple[str, bool]:
    """The base URL to record against, and whether it is the live API."""
    url = (server_url or LIVE_SERVER_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RecordError(f"--server-url must be an http(s) URL, got {url!r}")
    return url, parts.scheme == "https" and parts.hostname in LIVE_HOSTS


def provenance(url: str, live: bool, kind: str, source: str | None, when: str) -> dict[str, str]:
    if live:
        return {"kind": "live-recording", "source": f"live API {url}, recorded {when} by tests/contract/record.py"}
    text = f"recorded {when} by tests/contract/record.py through the client against {url} (not the live API)"
    if source:
        text += f": {source}"
    return {"kind": kind, "source": text}


def record_call(
    name: str, entry: dict[str, Any], *, url: str, api_key: str, prov: dict[str, str], secrets: Sequence[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    """Make one call; return its fixture (None when nothing was exchanged) and notes for the operator."""
    import orq_images

    transport = RecordingTransport(httpx2.HTTPTransport())
    key = INVALID_API_KEY if entry.get("use_invalid_api_key") else api_key
    result: object = None
    error: BaseException | None = None
    with (
        httpx2.Client(transport=transport) as client,
        orq_images.Orq(api_key=key, server_url=url, client=client, retry_config=None) as orq,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        try:
            result = orq.router.images.generations.create(**entry["call"], retries=None)
        except orq_images.OrqError as exc:
            error = exc
    if not transport.exchanges:
        return None, [f"{name}: nothing was sent ({type(error).__name__}: {error})"]
    request, response = transport.exchanges[-1]
    fixture: dict[str, Any] = {
        "operation": harness.OPERATION,
        "description": entry.get("description", ""),
        "provenance": prov,
        "call": redact(entry["call"], secrets),
        "request": request_record(request, secrets),
        "response": response_record(response, secrets),
    }
    fixture["expect"] = expected_outcome(fixture)
    warned = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    if warned:
        fixture["expect"]["warnings"] = [
            {"category": "DeprecationWarning", "contains": redact(str(w.message), secrets)} for w in warned
        ]
    notes = [f"{name}: client disagrees: {p}" for p in harness.outcome_problems(fixture, result, error)]
    return fixture, notes


def write_fixture(path: Path, fixture: dict[str, Any], secrets: Sequence[str]) -> None:
    text = json.dumps(fixture, indent=2, ensure_ascii=False) + "\n"
    leaked = [secret for secret in secrets if secret and secret in text]
    if leaked:  # redact() covers every string; this is the last line of defence
        raise RecordError(f"refusing to write {path.name}: it would contain a secret")
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.contract.record", description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=Path, default=DEFAULT_CALLS, help="JSON file of named calls")
    parser.add_argument("--out", type=Path, default=harness.FIXTURES_DIR, help="where fixtures are written")
    parser.add_argument("--server-url", help=f"record against this server instead of the live API ({LIVE_SERVER_URL})")
    parser.add_argument(
        "--kind",
        choices=["fault-model", "documented-example"],
        default="fault-model",
        help="provenance kind of fixtures recorded against a server that is not the live API",
    )
    parser.add_argument("--source", help="what the --server-url server is (goes into provenance.source)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="record only these calls")
    parser.add_argument("--overwrite", action="store_true", help="replace existing fixture files")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except RecordError as exc:
        print(f"record: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    url, live = target(args.server_url)
    api_key = os.environ.get("ORQ_API_KEY", "")
    if live and not api_key:
        raise RecordError("recording from the live API needs ORQ_API_KEY (or give --server-url to use another server)")
    if not live and args.kind == "documented-example" and not args.source:
        raise RecordError("--kind documented-example needs --source saying which documentation the server serves")
    api_key = api_key or PLACEHOLDER_API_KEY
    secrets = sorted({api_key, INVALID_API_KEY}, key=len, reverse=True)
    calls: dict[str, Any] = json.loads(args.calls.read_text(encoding="utf-8"))["calls"]
    names = args.only or list(calls)
    unknown = [name for name in names if name not in calls]
    if unknown:
        raise RecordError(f"no such call in {args.calls}: {', '.join(unknown)}")
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    prov = provenance(url, live, args.kind, args.source, when)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name in names:
        path = args.out / f"{name}.json"
        if path.exists() and not args.overwrite:
            print(f"skip {name}: {path} exists (use --overwrite)", file=sys.stderr)
            continue
        fixture, notes = record_call(name, calls[name], url=url, api_key=api_key, prov=prov, secrets=secrets)
        for note in notes:
            print(note, file=sys.stderr)
        if fixture is None:
            failed += 1
            continue
        write_fixture(path, fixture, secrets)
        print(f"wrote {path} (HTTP {fixture['response']['status']}, {prov['kind']})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
