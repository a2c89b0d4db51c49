"""Apply OpenAPI Overlay 1.0.0 documents to an OpenAPI document, strictly.

Semantics follow https://spec.openapis.org/overlay/v1.0.0.html:

- actions run in document order, each against the result of the ones before it;
- ``target`` is an RFC 9535 JSONPath query (evaluated by ``jsonpath-rfc9535``, not by hand);
- ``update`` merges into every matched object recursively (objects merge key by key, arrays are
  appended to, anything else is replaced); on a matched array the update value is appended as one entry;
- ``remove: true`` deletes every matched node from its parent (``update`` is then ignored);
  ``remove: false`` removes nothing.

Strict: an action whose target matches nothing is an error naming the overlay file, the action and the
target, because a silent no-op is how an overlay rots when the API description changes under it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonpath_rfc9535 as jsonpath
import yaml

SUPPORTED_VERSIONS = ("1.0.0",)


class OverlayError(Exception):
    """An overlay document is malformed, or one of its actions cannot be applied."""


def load_overlay(path: Path) -> dict[str, Any]:
    """Read an overlay document and check the parts of its structure the applier relies on."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise OverlayError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise OverlayError(f"{path.name}: an overlay document must be a mapping")
    version = document.get("overlay")
    if version not in SUPPORTED_VERSIONS:
        raise OverlayError(f"{path.name}: `overlay` must be one of {SUPPORTED_VERSIONS}, got {version!r}")
    info = document.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) or "version" not in info:
        raise OverlayError(f"{path.name}: `info` must have a `title` and a `version`")
    actions = document.get("actions")
    if not isinstance(actions, list) or not actions:
        raise OverlayError(f"{path.name}: `actions` must be a non-empty list")
    for index, action in enumerate(actions):
        where = f"{path.name}: action #{index + 1}"
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise OverlayError(f"{where}: every action needs a string `target`")
        if "update" not in action and "remove" not in action:
            raise OverlayError(f"{where} (target {action['target']}): an action needs `update` or `remove`")
        if "remove" in action and not isinstance(action["remove"], bool):
            raise OverlayError(f"{where} (target {action['target']}): `remove` must be a boolean")
    return document


def apply_overlays(document: Mapping[str, Any], paths: Iterable[Path]) -> dict[str, Any]:
    """Return a copy of ``document`` with the overlays at ``paths`` applied in the order given."""
    result: dict[str, Any] = copy.deepcopy(dict(document))
    for path in paths:
        apply_overlay(result, load_overlay(path), source=path.name)
    return result


def apply_overlay(document: dict[str, Any], overlay: Mapping[str, Any], *, source: str) -> None:
    """Apply one (already loaded) overlay document to ``document`` in place."""
    for index, action in enumerate(overlay["actions"]):
        target = action["target"]
        label = f"{source}: action #{index + 1}"
        if action.get("description"):
            label += f" ({action['description']})"
        try:
            nodes = list(jsonpath.find(target, document))
        except jsonpath.JSONPathError as exc:
            raise OverlayError(f"{label}: invalid JSONPath target {target!r}: {exc}") from exc
        if not nodes:
            raise OverlayError(f"{label}: target {target!r} matches nothing in the document")
        # An RFC 9535 nodelist may hold one node several times (`$.tags[0,0]`, `$.tags[0,-3]`); each node
        # is updated or removed once.
        nodes = list({node.location: node for node in nodes}.values())
        if action.get("remove") is True:
            _remove(document, [node.location for node in nodes], label)
        elif "update" in action:
            for node in nodes:
                _update(node.value, action["update"], label, node.path())


def _update(target: Any, update: Any, label: str, where: str) -> None:
    if isinstance(target, dict):
        if not isinstance(update, dict):
            raise OverlayError(f"{label}: {where} is an object, so `update` must be an object")
        _merge(target, update)
    elif isinstance(target, list):
        target.append(copy.deepcopy(update))
    else:
        raise OverlayError(f"{label}: {where} is a {type(target).__name__}; `update` needs an object or an array")


def _merge(target: dict[str, Any], update: Mapping[str, Any]) -> None:
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)


def _remove(document: dict[str, Any], locations: list[tuple[str | int, ...]], label: str) -> None:
    if any(not location for location in locations):
        raise OverlayError(f"{label}: the document root cannot be removed")
    # Resolve every parent first, then delete array entries from the highest index down, so that one
    # deletion does not shift the entries the others point at.
    targets: list[tuple[Any, str | int]] = []
    for location in locations:
        parent: Any = document
        for key in location[:-1]:
            parent = parent[key]
        targets.append((parent, location[-1]))
    targets.sort(key=lambda target: target[1] if isinstance(target[1], int) else -1, reverse=True)
    for parent, key in targets:
        del parent[key]
