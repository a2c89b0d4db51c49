"""OpenAPI Overlay 1.0.0 semantics of generator/overlay.py (https://spec.openapis.org/overlay/v1.0.0.html)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.overlay import OverlayError, apply_overlay, apply_overlays, load_overlay

TAGS = {"tags": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]}


def apply(document: dict[str, Any], *actions: dict[str, Any], source: str = "test.yaml") -> dict[str, Any]:
    """Apply ``actions`` (one overlay) to a copy of ``document``."""
    result = copy.deepcopy(document)
    apply_overlay(result, {"actions": list(actions)}, source=source)
    return result


def write_overlay(directory: Path, name: str, actions: list[dict[str, Any]]) -> Path:
    path = directory / name
    document = {"overlay": "1.0.0", "info": {"title": name, "version": "1.0.0"}, "actions": actions}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


# --- update ----------------------------------------------------------------------------------------------


def test_update_merges_objects_recursively() -> None:
    document = {
        "info": {
            "title": "T",
            "version": "1",
            "contact": {"name": "n", "email": "old@example.com", "x-deep": {"keep": 1, "change": 1}},
        }
    }
    update = {
        "version": "2",
        "contact": {"email": "new@example.com", "url": "https://example.com", "x-deep": {"change": 2, "add": 3}},
        "x-new": {"nested": [1]},
    }

    result = apply(document, {"target": "$.info", "update": update})

    assert result == {
        "info": {
            "title": "T",
            "version": "2",
            "contact": {
                "name": "n",
                "email": "new@example.com",
                "x-deep": {"keep": 1, "change": 2, "add": 3},
                "url": "https://example.com",
            },
            "x-new": {"nested": [1]},
        }
    }


def test_update_replaces_values_of_a_different_kind() -> None:
    document = {"root": {"scalar_to_object": 1, "object_to_scalar": {"a": 1}, "list_to_object": [1], "null": None}}
    update = {"scalar_to_object": {"b": 2}, "object_to_scalar": "x", "list_to_object": {"c": 3}, "null": [1]}

    result = apply(document, {"target": "$.root", "update": update})

    assert result == {"root": update}


def test_arrays_inside_an_update_are_appended_to_existing_arrays() -> None:
    document = {"schema": {"required": ["a"], "enum": [1, 2], "other": {"list": ["x"]}}}
    update = {"required": ["b", "c"], "other": {"list": ["y"]}, "fresh": ["z"]}

    result = apply(document, {"target": "$.schema", "update": update})

    assert result == {
        "schema": {"required": ["a", "b", "c"], "enum": [1, 2], "other": {"list": ["x", "y"]}, "fresh": ["z"]}
    }


def test_update_targeting_an_array_appends_the_value_as_one_entry() -> None:
    result = apply(
        TAGS,
        {"target": "$.tags", "update": {"name": "e"}},
        {"target": "$.tags", "update": [{"name": "f"}, {"name": "g"}]},
        {"target": "$.tags", "update": "plain"},
    )

    assert result == {
        "tags": [
            {"name": "a"},
            {"name": "b"},
            {"name": "c"},
            {"name": "d"},
            {"name": "e"},
            [{"name": "f"}, {"name": "g"}],
            "plain",
        ]
    }


def test_update_applies_to_every_node_a_filter_selects() -> None:
    document = {
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {}},
                "B": {"type": "string"},
                "C": {"type": "object"},
            }
        }
    }

    result = apply(document, {"target": "$.components.schemas[?@.type=='object']", "update": {"x-seen": True}})

    assert result["components"]["schemas"] == {
        "A": {"type": "object", "properties": {}, "x-seen": True},
        "B": {"type": "string"},
        "C": {"type": "object", "x-seen": True},
    }


def test_updated_nodes_do_not_share_the_update_value() -> None:
    document: dict[str, Any] = {"a": {}, "b": {}}
    update = {"x-list": [1], "x-obj": {"k": "v"}}

    result = apply(document, {"target": "$['a','b']", "update": update})
    result["a"]["x-list"].append(2)
    result["a"]["x-obj"]["k"] = "changed"

    assert result["b"] == {"x-list": [1], "x-obj": {"k": "v"}}
    assert update == {"x-list": [1], "x-obj": {"k": "v"}}


def test_entries_appended_to_several_arrays_are_independent_copies() -> None:
    update = {"name": "new"}

    result = apply({"a": [], "b": []}, {"target": "$['a','b']", "update": update})
    result["a"][0]["name"] = "changed"

    assert result["b"] == [{"name": "new"}]
    assert update == {"name": "new"}


def test_update_of_an_object_with_a_non_object_is_an_error() -> None:
    with pytest.raises(OverlayError, match=re.escape("$['info'] is an object, so `update` must be an object")):
        apply({"info": {}}, {"target": "$.info", "update": ["x"]})


def test_update_of_a_scalar_is_an_error() -> None:
    with pytest.raises(OverlayError, match=re.escape("$['info']['title'] is a str")):
        apply({"info": {"title": "T"}}, {"target": "$.info.title", "update": {"x": 1}})


def test_a_node_selected_twice_is_updated_once() -> None:
    result = apply({"lists": [["x"], ["y"]]}, {"target": "$.lists[1,1,-1]", "update": "z"})

    assert result == {"lists": [["x"], ["y", "z"]]}


# --- remove ----------------------------------------------------------------------------------------------


def test_remove_deletes_a_matched_object_member() -> None:
    document: dict[str, Any] = {"paths": {"/a": {"get": {}}, "/b": {"get": {}}}}

    assert apply(document, {"target": "$.paths['/a']", "remove": True}) == {"paths": {"/b": {"get": {}}}}


def test_remove_deletes_several_entries_of_one_array_whatever_their_order() -> None:
    result = apply(TAGS, {"target": "$.tags[?@.name=='a' || @.name=='c']", "remove": True})

    assert result == {"tags": [{"name": "b"}, {"name": "d"}]}


def test_remove_by_indices_given_in_ascending_order() -> None:
    # Naive in-order deletion of 0 then 2 would delete "a" then "d" (the entry that shifted into index 2).
    assert apply(TAGS, {"target": "$.tags[0,2]", "remove": True}) == {"tags": [{"name": "b"}, {"name": "d"}]}
    assert apply(TAGS, {"target": "$.tags[2,0]", "remove": True}) == {"tags": [{"name": "b"}, {"name": "d"}]}


def test_remove_of_a_node_selected_twice_deletes_it_once() -> None:
    # An RFC 9535 nodelist may contain one node several times: [0,0] and [0,-4] both name index 0 twice.
    assert apply(TAGS, {"target": "$.tags[0,0]", "remove": True}) == {"tags": TAGS["tags"][1:]}
    assert apply(TAGS, {"target": "$.tags[0,-4]", "remove": True}) == {"tags": TAGS["tags"][1:]}
    assert apply({"info": {"x": 1, "y": 2}}, {"target": "$.info['x','x']", "remove": True}) == {"info": {"y": 2}}


def test_remove_in_several_arrays_and_nested_matches() -> None:
    document = {
        "a": {"tags": [1, 2, 3]},
        "b": {"tags": [4, 5]},
        "items": [
            {"drop": True, "children": [{"drop": True}]},
            {"drop": False, "children": [{"drop": True}, {"n": 1}]},
        ],
    }

    result = apply(
        document,
        {"target": "$..tags[0]", "remove": True},
        {"target": "$..[?@.drop==true]", "remove": True},
    )

    assert result == {"a": {"tags": [2, 3]}, "b": {"tags": [5]}, "items": [{"drop": False, "children": [{"n": 1}]}]}


def test_remove_true_ignores_update() -> None:
    result = apply(TAGS, {"target": "$.tags[0]", "remove": True, "update": {"name": "kept?"}})

    assert result == {"tags": TAGS["tags"][1:]}


def test_remove_false_removes_nothing() -> None:
    assert apply(TAGS, {"target": "$.tags[0]", "remove": False}) == TAGS
    assert apply(TAGS, {"target": "$.tags[0]", "remove": False, "update": {"x": 1}}) == {
        "tags": [{"name": "a", "x": 1}, *TAGS["tags"][1:]]
    }


def test_the_document_root_cannot_be_removed() -> None:
    with pytest.raises(OverlayError, match="root cannot be removed"):
        apply(TAGS, {"target": "$", "remove": True})


# --- order -----------------------------------------------------------------------------------------------


def test_actions_apply_in_order_each_seeing_the_previous_result() -> None:
    document = {"info": {"title": "T"}}

    result = apply(
        document,
        {"target": "$.info", "update": {"x-added": {"first": 1}}},
        {"target": "$.info['x-added']", "update": {"second": 2}},
        {"target": "$.info.title", "remove": True},
    )

    assert result == {"info": {"x-added": {"first": 1, "second": 2}}}


def test_an_action_does_not_see_what_an_earlier_action_removed() -> None:
    with pytest.raises(OverlayError, match=re.escape("action #2")):
        apply(TAGS, {"target": "$.tags", "remove": True}, {"target": "$.tags[0]", "update": {"x": 1}})


def test_overlays_apply_in_file_name_order(tmp_path: Path) -> None:
    # Written in reverse, so that neither creation order nor directory order can pass for name order.
    write_overlay(tmp_path, "20-second.yaml", [{"target": "$.info['x-chain']", "update": {"second": True}}])
    write_overlay(tmp_path, "10-first.yaml", [{"target": "$.info", "update": {"x-chain": {"first": True}}}])
    write_overlay(tmp_path, "30-third.yaml", [{"target": "$.info['x-chain']", "update": {"first": "overridden"}}])
    (tmp_path / "README.md").write_text("not an overlay", encoding="utf-8")
    (tmp_path / "nested.yaml").mkdir()

    paths = pipeline.overlay_paths(tmp_path)
    result = apply_overlays({"info": {"title": "T"}}, paths)

    assert [path.name for path in paths] == ["10-first.yaml", "20-second.yaml", "30-third.yaml"]
    assert result == {"info": {"title": "T", "x-chain": {"first": "overridden", "second": True}}}


def test_the_project_overlays_are_found_in_name_order() -> None:
    names = [path.name for path in pipeline.overlay_paths()]

    assert names == sorted(names)
    assert len(names) >= 2


# --- errors ----------------------------------------------------------------------------------------------


def test_a_target_that_matches_nothing_names_file_action_and_target(tmp_path: Path) -> None:
    path = write_overlay(
        tmp_path,
        "30-stale.yaml",
        [
            {"target": "$.info", "description": "this one matches", "update": {"x-a": 1}},
            {"target": "$.components.schemas.Gone", "description": "hint for a removed schema", "update": {"x": 1}},
        ],
    )

    with pytest.raises(OverlayError) as raised:
        apply_overlays({"info": {"title": "T"}, "components": {"schemas": {}}}, [path])

    assert str(raised.value) == (
        "30-stale.yaml: action #2 (hint for a removed schema): "
        "target '$.components.schemas.Gone' matches nothing in the document"
    )


def test_a_target_that_matches_nothing_without_description() -> None:
    with pytest.raises(OverlayError) as raised:
        apply({"tags": []}, {"target": "$.tags[?@.name=='x']", "remove": True}, source="40-x.yaml")

    assert str(raised.value) == "40-x.yaml: action #1: target \"$.tags[?@.name=='x']\" matches nothing in the document"


@pytest.mark.parametrize("target", ["$.tags[?@.name==]", "tags[0]", "$.tags[", "$..", "$[?foo()]"])
def test_an_invalid_jsonpath_target_is_reported(tmp_path: Path, target: str) -> None:
    path = write_overlay(tmp_path, "50-bad.yaml", [{"target": target, "description": "broken", "remove": True}])

    with pytest.raises(OverlayError) as raised:
        apply_overlays(TAGS, [path])

    message = str(raised.value)
    assert message.startswith(f"50-bad.yaml: action #1 (broken): invalid JSONPath target {target!r}: ")


VALID = {"overlay": "1.0.0", "info": {"title": "T", "version": "1.0.0"}, "actions": [{"target": "$", "update": {}}]}


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in VALID.items() if k != key}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(_without("overlay"), "`overlay` must be one of ('1.0.0',), got None", id="no-overlay"),
        pytest.param({**VALID, "overlay": "2.0.0"}, "got '2.0.0'", id="version-2.0.0"),
        pytest.param({**VALID, "overlay": "1.1.0"}, "got '1.1.0'", id="version-1.1.0"),
        pytest.param({**VALID, "overlay": 1.0}, "got 1.0", id="version-float"),
        pytest.param(_without("info"), "`info` must have a `title` and a `version`", id="no-info"),
        pytest.param({**VALID, "info": {"version": "1"}}, "`info` must have a `title`", id="info-no-title"),
        pytest.param(
            {**VALID, "info": {"title": "T"}}, "`info` must have a `title` and a `version`", id="info-no-version"
        ),
        pytest.param({**VALID, "info": "T"}, "`info` must have a `title`", id="info-not-object"),
        pytest.param(_without("actions"), "`actions` must be a non-empty list", id="no-actions"),
        pytest.param({**VALID, "actions": []}, "`actions` must be a non-empty list", id="empty-actions"),
        pytest.param({**VALID, "actions": {"target": "$"}}, "`actions` must be a non-empty list", id="actions-object"),
        pytest.param({**VALID, "actions": ["$"]}, "action #1: every action needs a string `target`", id="action-str"),
        pytest.param(
            {**VALID, "actions": [{"update": {}}]}, "action #1: every action needs a string `target`", id="no-target"
        ),
        pytest.param({**VALID, "actions": [{"target": 1, "remove": True}]}, "needs a string `target`", id="int-target"),
        pytest.param(
            {**VALID, "actions": [{"target": "$", "update": {}}, {"target": "$.info"}]},
            "action #2 (target $.info): an action needs `update` or `remove`",
            id="no-update-or-remove",
        ),
        pytest.param(
            {**VALID, "actions": [{"target": "$.info", "remove": "yes"}]},
            "action #1 (target $.info): `remove` must be a boolean",
            id="remove-string",
        ),
        pytest.param(
            {**VALID, "actions": [{"target": "$.info", "remove": 1}]}, "`remove` must be a boolean", id="remove-int"
        ),
        pytest.param(
            {**VALID, "actions": [{"target": "$.info", "remove": None}]}, "`remove` must be a boolean", id="remove-null"
        ),
        pytest.param(["not", "a", "mapping"], "an overlay document must be a mapping", id="list-document"),
    ],
)
def test_a_malformed_overlay_is_reported(tmp_path: Path, document: Any, expected: str) -> None:
    path = tmp_path / "60-malformed.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")

    with pytest.raises(OverlayError) as raised:
        load_overlay(path)

    assert str(raised.value).startswith("60-malformed.yaml: ")
    assert expected in str(raised.value)


def test_an_overlay_that_is_not_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "70-broken.yaml"
    path.write_text("overlay: 1.0.0\nactions: [\n", encoding="utf-8")

    with pytest.raises(OverlayError, match=r"^70-broken\.yaml: not valid YAML"):
        load_overlay(path)


def test_a_malformed_overlay_stops_apply_overlays_before_any_change(tmp_path: Path) -> None:
    good = write_overlay(tmp_path, "10-good.yaml", [{"target": "$.info", "update": {"x": 1}}])
    bad = tmp_path / "20-bad.yaml"
    bad.write_text(yaml.safe_dump({**VALID, "overlay": "9.9.9"}), encoding="utf-8")
    document = {"info": {"title": "T"}}

    with pytest.raises(OverlayError, match=r"^20-bad\.yaml: "):
        apply_overlays(document, [good, bad])
    assert document == {"info": {"title": "T"}}


def test_apply_overlays_does_not_mutate_its_input(tmp_path: Path) -> None:
    path = write_overlay(
        tmp_path,
        "10-all.yaml",
        [
            {"target": "$.info", "update": {"title": "changed", "x-list": ["new"]}},
            {"target": "$.info['x-list']", "update": "appended"},
            {"target": "$.tags[0]", "remove": True},
        ],
    )
    document = {"info": {"title": "T", "x-list": ["old"]}, "tags": [{"name": "a"}, {"name": "b"}]}
    snapshot = copy.deepcopy(document)

    result = apply_overlays(document, [path])
    result["tags"][0]["name"] = "mutated after"

    assert document == snapshot
    assert result == {
        "info": {"title": "changed", "x-list": ["old", "new", "appended"]},
        "tags": [{"name": "mutated after"}],
    }


# --- properties ------------------------------------------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "c", "d"])  # few keys, so documents and updates collide often
SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.text(alphabet="xyz", max_size=2)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=12
)
OBJECTS = st.dictionaries(KEYS, JSON, max_size=4)


def _lookup(document: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def _leaves(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every non-object value reachable through objects only, with its path."""
    if isinstance(value, dict) and value:
        return [leaf for key, inner in value.items() for leaf in _leaves(inner, (*path, key))]
    return [(path, value)]


@settings(deadline=None)
@given(document=OBJECTS, update=OBJECTS)
def test_every_leaf_of_an_update_reads_back(document: dict[str, Any], update: dict[str, Any]) -> None:
    result = apply({"root": document}, {"target": "$.root", "update": update})["root"]

    for path, value in _leaves(update):
        if not path:
            continue
        merged = _lookup(result, path)
        try:
            before = _lookup(document, path)
        except (KeyError, TypeError):
            before = None
        if isinstance(value, list) and isinstance(before, list):
            assert merged == before + value
        elif isinstance(value, dict) and isinstance(before, dict):  # an empty update object changes nothing
            assert merged == before
        else:
            assert merged == value
    # Whatever the update does not reach is kept as it was.
    for path, value in _leaves(document):
        reached = any(path[: len(leaf)] == leaf or leaf[: len(path)] == path for leaf, _ in _leaves(update) if leaf)
        if path and not reached:
            assert _lookup(result, path) == value


@settings(deadline=None)
@given(data=st.data(), items=st.lists(st.integers(), min_size=1, max_size=12))
def test_removing_any_indices_leaves_the_complement_in_order(data: st.DataObject, items: list[int]) -> None:
    indices = data.draw(st.lists(st.integers(0, len(items) - 1), min_size=1, max_size=len(items) + 2), label="indices")
    # Each index written either way round (RFC 9535 normalizes -1 to the last entry, etc.).
    written = [data.draw(st.sampled_from([index, index - len(items)]), label="form") for index in indices]
    target = "$.items[" + ",".join(str(index) for index in written) + "]"

    result = apply({"items": items}, {"target": target, "remove": True})

    assert result == {"items": [item for index, item in enumerate(items) if index not in set(indices)]}


@settings(deadline=None)
@given(items=st.lists(st.integers(-20, 20), min_size=1, max_size=15), threshold=st.integers(-20, 20))
def test_removing_by_filter_keeps_exactly_the_entries_that_fail_it(items: list[int], threshold: int) -> None:
    target = f"$.items[?@ < {threshold}]"
    if not any(item < threshold for item in items):
        with pytest.raises(OverlayError, match="matches nothing"):
            apply({"items": items}, {"target": target, "remove": True})
        return

    result = apply({"items": items}, {"target": target, "remove": True})

    assert result == {"items": [item for item in items if not item < threshold]}
