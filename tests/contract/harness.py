"""Shared machinery of the contract tests: fixtures, OpenAPI validation (openapi-core) and replay.

Nothing here imports ``orq_images`` at module level: the mutation test runs the same checks in a subprocess
against a freshly generated package (``python -m tests.contract.check_generated``), so the package under test
is whatever ``orq_images`` the interpreter finds first.
"""

from __future__ import annotations

import copy
import functools
import json
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx2
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_DIR = Path(__file__).resolve().parent
FIXTURES_DIR = CONTRACT_DIR / "fixtures"
EFFECTIVE_SPEC = ROOT / "generated" / "openapi.effective.yaml"

OPERATION = "createImage"
SERVER_URL = "https://my.orq.ai"
REDACTED = "<redacted>"
# The key the replay hands to the client; fixtures hold "Bearer <redacted>" in its place.
REPLAY_API_KEY = "sk-orq-contract-replay-0123456789"
PROVENANCE_KINDS = ("live-recording", "documented-example", "fault-model")
# Request headers a fixture pins (lower-case names).
REQUEST_HEADERS = ("authorization", "content-type", "accept")


# --------------------------------------------------------------------------------------------------- fixtures


def fixture_paths(directory: Path = FIXTURES_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def load_fixture(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("name", path.stem)
    return data


def load_fixtures(directory: Path = FIXTURES_DIR) -> list[dict[str, Any]]:
    return [load_fixture(path) for path in fixture_paths(directory)]


def response_bytes(response: Mapping[str, Any]) -> bytes:
    """The raw body of a fixture response: ``text`` verbatim, else ``body`` as JSON."""
    if "text" in response:
        return str(response["text"]).encode("utf-8")
    if "body" in response:
        return json.dumps(response["body"]).encode("utf-8")
    return b""


def header(headers: Mapping[str, str] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None


# ------------------------------------------------------------------------------------------ JSON comparisons


def json_identical(a: object, b: object) -> bool:
    """JSON equality that also compares kinds: ``1`` is not ``1.0`` and ``True`` is not ``1``."""
    return json_difference(a, b) is None


def json_difference(expected: object, actual: object, path: str = "$") -> str | None:
    """Where and how ``actual`` differs from ``expected`` (type-aware), or None when they are identical."""
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        for key in expected:
            if key not in actual:
                return f"{path}.{key}: missing (expected {_show(expected[key])})"
        for key in actual:
            if key not in expected:
                return f"{path}.{key}: unexpected key (value {_show(actual[key])})"
        for key in expected:
            found = json_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: expected {len(expected)} items, got {len(actual)}"
        for index, (x, y) in enumerate(zip(expected, actual, strict=True)):
            found = json_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    if type(expected) is not type(actual) or expected != actual:
        return f"{path}: expected {_show(expected)}, got {_show(actual)}"
    return None


def _show(value: object) -> str:
    text = f"{type(value).__name__} {value!r}"
    return text if len(text) <= 100 else text[:97] + "..."


# ------------------------------------------------------------------------------------- OpenAPI (openapi-core)


class FixtureRequest:
    """The openapi-core ``Request`` protocol over a fixture's ``request``."""

    def __init__(self, request: Mapping[str, Any], host_url: str = SERVER_URL) -> None:
        headers = dict(request.get("headers") or {})
        self.host_url = host_url
        self.path = str(request["path"])
        self.method = str(request["method"]).lower()
        self.content_type = (header(headers, "content-type") or "").lower()
        self.body: bytes | None = json.dumps(request["body"]).encode("utf-8") if "body" in request else None
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(),
            header=Headers(headers),
            cookie=ImmutableMultiDict(),
            path={},
        )


class FixtureResponse:
    """The openapi-core ``Response`` protocol over a fixture's ``response``."""

    def __init__(self, response: Mapping[str, Any]) -> None:
        headers = dict(response.get("headers") or {})
        self.status_code = int(response["status"])
        self.headers = Headers(headers)
        self.content_type = (header(headers, "content-type") or "").lower()
        self.data: bytes | None = response_bytes(response)


@functools.cache
def openapi_for(spec_path: Path = EFFECTIVE_SPEC) -> OpenAPI:
    return OpenAPI.from_dict(yaml.safe_load(spec_path.read_text(encoding="utf-8")))


def _errors(exc: BaseException) -> list[str]:
    """Flatten an openapi-core exception and its schema errors into readable lines."""
    text = str(exc)
    lines = [text if text.startswith(type(exc).__name__) else f"{type(exc).__name__}: {text}"]
    for sub in getattr(exc, "schema_errors", None) or []:
        where = "/".join(str(part) for part in sub.absolute_path) or "(root)"
        lines.append(f"  at {where}: {sub.message}")
    cause = exc.__cause__ or exc.__context__
    if cause is not None and not getattr(exc, "schema_errors", None):
        lines.extend("  " + line for line in _errors(cause))
    return lines


def request_problems(fixture: Mapping[str, Any], spec_path: Path = EFFECTIVE_SPEC) -> list[str]:
    """openapi-core's complaints about the fixture's request ([] when it validates)."""
    try:
        openapi_for(spec_path).validate_request(FixtureRequest(fixture["request"]))
    except Exception as exc:  # openapi-core raises a family of ValidationError subclasses
        return _errors(exc)
    return []


def response_problems(fixture: Mapping[str, Any], spec_path: Path = EFFECTIVE_SPEC) -> list[str]:
    """openapi-core's complaints about the fixture's response ([] when it validates)."""
    try:
        openapi_for(spec_path).validate_response(
            FixtureRequest(fixture["request"]), FixtureResponse(fixture["response"])
        )
    except Exception as exc:
        return _errors(exc)
    return []


def response_should_validate(fixture: Mapping[str, Any]) -> bool:
    """Whether the fixture's response is a valid answer per the contract (``expect.response_matches_spec``)."""
    return bool(fixture["expect"].get("response_matches_spec", True))


# ---------------------------------------------------------------------------------------------------- replay


class Recorder:
    """A ``httpx2.MockTransport`` handler answering every request with one fixture response, and keeping them."""

    def __init__(self, response: Mapping[str, Any] | None = None) -> None:
        self.response = response
        self.requests: list[httpx2.Request] = []
        self.clients: list[httpx2.Client] = []
        self.async_clients: list[httpx2.AsyncClient] = []

    def close(self) -> None:
        """Close the user-supplied httpx2 clients (the SDK never closes a client it was given)."""
        for client in self.clients:
            client.close()

    async def aclose(self) -> None:
        self.close()
        for client in self.async_clients:
            await client.aclose()

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        if self.response is None:
            return httpx2.Response(599, text="the recorder has no scripted response")
        return httpx2.Response(
            int(self.response["status"]),
            headers=dict(self.response.get("headers") or {}),
            content=response_bytes(self.response),
        )


def make_client(handler: Recorder, orq_module: Any = None, **options: Any) -> Any:
    """An ``Orq`` on a user-supplied ``httpx2.Client`` whose transport is ``handler``; no client retries."""
    if orq_module is None:
        import orq_images as orq_module
    client = httpx2.Client(transport=httpx2.MockTransport(handler))
    handler.clients.append(client)
    return orq_module.Orq(api_key=REPLAY_API_KEY, client=client, retry_config=None, strict_responses=True, **options)


def make_async_client(handler: Recorder, orq_module: Any = None, **options: Any) -> Any:
    if orq_module is None:
        import orq_images as orq_module
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    handler.async_clients.append(client)
    return orq_module.Orq(
        api_key=REPLAY_API_KEY, async_client=client, retry_config=None, strict_responses=True, **options
    )


def sent_request_problems(
    expected: Mapping[str, Any], sent: httpx2.Request, api_key: str = REPLAY_API_KEY
) -> list[str]:
    """How the request the client sent differs from the fixture's ``request``."""
    problems: list[str] = []
    if sent.method != expected["method"].upper():
        problems.append(f"request method: expected {expected['method']}, sent {sent.method}")
    if sent.url.path != expected["path"]:
        problems.append(f"request path: expected {expected['path']}, sent {sent.url.path}")
    wanted_headers = {key.lower(): value for key, value in (expected.get("headers") or {}).items()}
    for name in REQUEST_HEADERS:
        if name not in wanted_headers:
            continue
        want = wanted_headers[name].replace(REDACTED, api_key) if name == "authorization" else wanted_headers[name]
        got = sent.headers.get(name)
        if got != want:
            shown = "Bearer <the key>" if got == f"Bearer {api_key}" else got
            problems.append(f"request header {name}: expected {wanted_headers[name]!r}, sent {shown!r}")
    try:
        body = json.loads(sent.content) if sent.content else None
    except ValueError as exc:
        problems.append(f"request body is not JSON ({exc}): {sent.content[:200]!r}")
        return problems
    difference = json_difference(expected.get("body"), body)
    if difference:
        problems.append(f"request body differs at {difference}")
    return problems


def resolve_attribute(obj: object, dotted: str) -> object:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def outcome_problems(fixture: Mapping[str, Any], result: object, error: BaseException | None) -> list[str]:
    """How the call's outcome differs from ``expect``."""
    expect = fixture["expect"]
    response = fixture["response"]
    problems: list[str] = []
    if "result" in expect:
        if error is not None:
            return [f"expected a {expect['result']}, but the call raised {type(error).__name__}: {error}"]
        if type(result).__name__ != expect["result"]:
            return [f"expected a {expect['result']}, got {type(result).__name__}"]
        to_dict = getattr(result, "to_dict", None)
        if to_dict is None:
            return [f"{type(result).__name__} has no to_dict()"]
        difference = json_difference(response.get("body"), to_dict())
        if difference:
            problems.append(f"result.to_dict() differs from the response body at {difference}")
        return problems
    wanted = expect["error"]
    if error is None:
        return [f"expected {wanted} to be raised, but the call returned {type(result).__name__}"]
    if type(error).__name__ != wanted:
        return [f"expected {wanted}, the call raised {type(error).__name__}: {error}"]
    for dotted, value in (expect.get("attributes") or {}).items():
        try:
            actual = resolve_attribute(error, dotted)
        except AttributeError:
            problems.append(f"{wanted}.{dotted}: no such attribute")
            continue
        if not json_identical(value, actual):
            problems.append(f"{wanted}.{dotted}: expected {_show(value)}, got {_show(actual)}")
    for dotted, fragment in (expect.get("attributes_containing") or {}).items():
        actual = resolve_attribute(error, dotted)
        if not isinstance(actual, str) or fragment not in actual:
            problems.append(f"{wanted}.{dotted}: expected text containing {fragment!r}, got {_show(actual)}")
    return problems


def warning_problems(fixture: Mapping[str, Any], caught: list[warnings.WarningMessage]) -> list[str]:
    """Expected warnings (``expect.warnings``) were emitted, and no unexpected DeprecationWarning was."""
    expected = fixture["expect"].get("warnings") or []
    problems: list[str] = []
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    for want in expected:
        matching = [w for w in caught if w.category.__name__ == want["category"] and want["contains"] in str(w.message)]
        if not matching:
            seen = [f"{w.category.__name__}: {w.message}" for w in caught] or ["none"]
            problems.append(f"expected a {want['category']} mentioning {want['contains']!r}; warnings: {seen}")
        for w in matching:
            if "harness.py" not in w.filename:
                problems.append(f"{want['category']} attributed to {w.filename}:{w.lineno}, not to the caller's line")
    if not expected and deprecations:
        problems.append(f"unexpected DeprecationWarning: {deprecations[0].message}")
    return problems


def call_kwargs(fixture: Mapping[str, Any]) -> dict[str, Any]:
    kwargs = copy.deepcopy(dict(fixture["call"]))
    if "error" in fixture["expect"]:
        kwargs["retries"] = None  # no client retry may hide the fixture's answer
    return kwargs


def replay(fixture: Mapping[str, Any], orq_module: Any = None) -> list[str]:
    """Call the client (sync) with the fixture's ``call`` against its ``response``; [] when all is as expected."""
    handler = Recorder(fixture["response"])
    orq = make_client(handler, orq_module)
    result: object = None
    error: BaseException | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = orq.router.images.generations.create(**call_kwargs(fixture))
        except Exception as exc:
            error = exc
    orq.close()
    handler.close()
    return _collect(fixture, handler, result, error, caught)


async def replay_async(fixture: Mapping[str, Any], orq_module: Any = None) -> list[str]:
    """``replay`` through ``create_async`` and a user-supplied ``httpx2.AsyncClient``."""
    handler = Recorder(fixture["response"])
    orq = make_async_client(handler, orq_module)
    result: object = None
    error: BaseException | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = await orq.router.images.generations.create_async(**call_kwargs(fixture))
        except Exception as exc:
            error = exc
    await orq.aclose()
    await handler.aclose()
    return _collect(fixture, handler, result, error, caught)


def _collect(
    fixture: Mapping[str, Any],
    handler: Recorder,
    result: object,
    error: BaseException | None,
    caught: list[warnings.WarningMessage],
) -> list[str]:
    problems: list[str] = []
    if len(handler.requests) != 1:
        problems.append(f"expected exactly 1 request to be sent, {len(handler.requests)} were")
    if handler.requests:
        problems.extend(sent_request_problems(fixture["request"], handler.requests[0]))
    problems.extend(outcome_problems(fixture, result, error))
    problems.extend(warning_problems(fixture, caught))
    return problems


def iter_problems(
    fixtures: list[dict[str, Any]], checks: Mapping[str, Callable[[dict[str, Any]], list[str]]]
) -> Iterator[str]:
    """``"<fixture>: <check>: <problem>"`` for every problem any check finds in any fixture."""
    for fixture in fixtures:
        for label, check in checks.items():
            for problem in check(fixture):
                yield f"{fixture['name']}: {label}: {problem}"
