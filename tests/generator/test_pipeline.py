"""The generation pipeline end to end: spec + overlays -> generated tree, drift check, failures.

Every build goes into a temporary directory, from temporary copies of openapi/ and overlays/; the real
ones are never edited. Nothing here imports the generated package, so the tests do not depend on what
generator/runtime/ contains.
"""

from __future__ import annotations

import ast
import copy
import difflib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline
from generator.overlay import OverlayError
from generator.pipeline import PipelineError

ROOT = pipeline.ROOT
PACKAGE = pipeline.PACKAGE_NAME
EFFECTIVE = pipeline.EFFECTIVE_SPEC_NAME


@dataclass(frozen=True)
class Sources:
    spec: Path
    overlays: Path


def copy_sources(destination: Path) -> Sources:
    shutil.copytree(ROOT / "openapi", destination / "openapi")
    shutil.copytree(ROOT / "overlays", destination / "overlays")
    return Sources(destination / "openapi" / pipeline.SPEC_PATH.name, destination / "overlays")


def build(sources: Sources, out_dir: Path) -> dict[str, bytes]:
    pipeline.build(out_dir, spec_path=sources.spec, overlays_dir=sources.overlays)
    return snapshot(out_dir)


def snapshot(tree: Path) -> dict[str, bytes]:
    """Every file of ``tree`` (hidden ones and caches included), by relative path."""
    return {path.relative_to(tree).as_posix(): path.read_bytes() for path in sorted(tree.rglob("*")) if path.is_file()}


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def line_diff(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """The removed and the added lines between two versions of a file."""
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    lines = [line for line in diff if not line.startswith(("---", "+++", "@@"))]
    return [line[1:] for line in lines if line.startswith("-")], [line[1:] for line in lines if line.startswith("+")]


def edit_spec(sources: Sources, edit: Callable[[dict[str, Any]], None]) -> None:
    document = yaml.safe_load(sources.spec.read_text(encoding="utf-8"))
    edit(document)
    sources.spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_overlay(directory: Path, name: str, actions: list[dict[str, Any]]) -> None:
    document = {"overlay": "1.0.0", "info": {"title": name, "version": "1.0.0"}, "actions": actions}
    (directory / name).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def baseline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build from unmodified copies of openapi/ and overlays/, shared by the module."""
    root = tmp_path_factory.mktemp("baseline")
    pipeline.build(root / "generated", spec_path=copy_sources(root).spec, overlays_dir=root / "overlays")
    return root / "generated"


@pytest.fixture(scope="module")
def baseline(baseline_dir: Path) -> dict[str, bytes]:
    return snapshot(baseline_dir)


@pytest.fixture
def sources(tmp_path: Path) -> Sources:
    """Fresh copies of openapi/ and overlays/ that a test may edit."""
    return copy_sources(tmp_path / "src")


# --- drift check ------------------------------------------------------------------------------------------


def test_committed_generated_tree_is_what_the_pipeline_produces(capsys: pytest.CaptureFixture[str]) -> None:
    status = pipeline.check()

    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "generated/ is up to date" in captured.out


def test_diff_trees_names_a_modified_file_in_a_unified_diff(baseline_dir: Path, tmp_path: Path) -> None:
    committed = tmp_path / "generated"
    shutil.copytree(baseline_dir, committed)
    assert pipeline.diff_trees(baseline_dir, committed) == []

    relative = f"{PACKAGE}/models/create_image_request.py"
    lines = (committed / relative).read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("class CreateImageRequest"))
    original = lines[index].rstrip("\n")
    lines[index] = "class HandEdited:\n"
    (committed / relative).write_text("".join(lines), encoding="utf-8")

    diff = pipeline.diff_trees(baseline_dir, committed)

    assert diff[:2] == [f"--- generated/{relative} (committed)", f"+++ generated/{relative} (pipeline)"]
    assert diff[2].startswith("@@ -")
    changes = [line for line in diff[3:] if not line.startswith((" ", "@@"))]
    assert changes == ["-class HandEdited:", f"+{original}"]


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    return root


def test_diff_trees_reports_missing_and_unexpected_files(tmp_path: Path) -> None:
    fresh = _tree(tmp_path / "fresh", {"pkg/a.py": b"a\n", "pkg/new.py": b"new\n"})
    committed = _tree(tmp_path / "committed", {"pkg/a.py": b"a\n", "pkg/stale.py": b"old\n"})

    assert pipeline.diff_trees(fresh, committed) == [
        "missing from generated/: pkg/new.py",
        "not produced by the pipeline: generated/pkg/stale.py",
    ]


def test_diff_trees_reports_line_ending_and_final_newline_differences(tmp_path: Path) -> None:
    fresh = _tree(tmp_path / "fresh", {"crlf.py": b"a\nb\n", "eol.py": b"a\n", "same.py": b"x\n"})
    committed = _tree(tmp_path / "committed", {"crlf.py": b"a\r\nb\r\n", "eol.py": b"a", "same.py": b"x\n"})

    assert pipeline.diff_trees(fresh, committed) == [
        "differs in line endings or the final newline only: generated/crlf.py",
        "differs in line endings or the final newline only: generated/eol.py",
    ]


def test_diff_trees_ignores_bytecode_and_bounds_its_output(tmp_path: Path) -> None:
    fresh = _tree(tmp_path / "fresh", {"big.py": "".join(f"{i}\n" for i in range(200)).encode()})
    committed = _tree(
        tmp_path / "committed",
        {"big.py": "".join(f"{i} edited\n" for i in range(200)).encode(), "__pycache__/big.cpython-311.pyc": b"\0"},
    )

    diff = pipeline.diff_trees(fresh, committed, max_lines=10)

    assert len(diff) == 11
    assert diff[0] == "--- generated/big.py (committed)"
    assert diff[-1] == f"... ({3 + 200 + 200 - 10} more lines)"
    assert not any("pycache" in line for line in diff)


# --- determinism ------------------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(baseline_dir: Path, baseline: dict[str, bytes], sources: Sources) -> None:
    again_dir = sources.spec.parent.parent / "elsewhere" / "generated"  # another path: output must not depend on it

    again = build(sources, again_dir)

    assert pipeline.diff_trees(baseline_dir, again_dir) == []
    assert again == baseline


def test_the_tree_holds_the_package_and_the_effective_document_only(baseline_dir: Path) -> None:
    assert {EFFECTIVE, PACKAGE} <= {path.name for path in baseline_dir.iterdir()}
    stray = [
        path.relative_to(baseline_dir).as_posix()
        for path in baseline_dir.rglob("*")
        if path.name.startswith(".") or path.name == "__pycache__" or path.suffix == ".pyc"
    ]
    assert stray == []  # no tool caches (.ruff_cache) or bytecode in the output
    for module in (
        "sdk.py",
        "params.py",
        "_schemas.py",
        "_version.py",
        "py.typed",
        "models/create_image_request.py",
        "_runtime/__init__.py",
    ):
        assert (baseline_dir / PACKAGE / module).is_file(), module


# --- edits of the API description -------------------------------------------------------------------------

OLD_PROMPT_DOC = "What the image should show, in plain words."
NEW_PROMPT_DOC = "A short account of the picture, in plain words."


def test_editing_one_description_changes_exactly_the_text_that_carries_it(
    baseline: dict[str, bytes], sources: Sources, tmp_path: Path
) -> None:
    assert sources.spec.read_text(encoding="utf-8").count(OLD_PROMPT_DOC) == 1

    def edit(document: dict[str, Any]) -> None:
        prompt = document["components"]["schemas"]["CreateImageRequest"]["properties"]["prompt"]
        assert prompt["description"] == OLD_PROMPT_DOC
        prompt["description"] = NEW_PROMPT_DOC

    edit_spec(sources, edit)
    fresh = build(sources, tmp_path / "generated")

    carriers = {name for name, data in baseline.items() if OLD_PROMPT_DOC.encode() in data}
    assert {EFFECTIVE, f"{PACKAGE}/models/create_image_request.py", f"{PACKAGE}/sdk.py"} <= carriers
    assert changed_files(baseline, fresh) == carriers
    for name in sorted(carriers):
        removed, added = line_diff(baseline[name], fresh[name])
        assert removed and len(removed) == len(added), name
        assert all(OLD_PROMPT_DOC in line for line in removed), (name, removed)
        assert all(NEW_PROMPT_DOC in line for line in added), (name, added)
        assert fresh[name].replace(NEW_PROMPT_DOC.encode(), OLD_PROMPT_DOC.encode()) == baseline[name], name


SEED_DOC = "A seed for reproducible sampling."


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """Function ``name`` of the generations namespace (edits and variations have a ``create`` too)."""
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "RouterImagesGenerations"]
    scope: ast.AST = classes[0] if classes else tree
    found = [
        node
        for node in ast.walk(scope)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
    ]
    assert len(found) == 1, f"{name}: {len(found)} definitions"
    return found[0]


def _keyword_only(source: bytes, name: str) -> dict[str, tuple[str, bool]]:
    """Keyword-only parameters of function ``name``: annotation and whether it has a default."""
    function = _function(ast.parse(source), name)
    return {
        arg.arg: (ast.unparse(arg.annotation) if arg.annotation else "", default is not None)
        for arg, default in zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
    }


def _class_fields(source: bytes, class_name: str) -> dict[str, tuple[str, bool]]:
    """Annotated class attributes of ``class_name``: annotation and whether it has a default."""
    classes = [
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef) and node.name == class_name
    ]
    assert len(classes) == 1, class_name
    return {
        node.target.id: (ast.unparse(node.annotation), node.value is not None)
        for node in classes[0].body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }


def test_adding_an_optional_field_adds_it_everywhere_and_nothing_else(
    baseline: dict[str, bytes], sources: Sources, tmp_path: Path
) -> None:
    def edit(document: dict[str, Any]) -> None:
        properties = document["components"]["schemas"]["CreateImageRequest"]["properties"]
        assert "seed" not in properties
        properties["seed"] = {"type": "integer", "description": SEED_DOC}

    edit_spec(sources, edit)
    fresh = build(sources, tmp_path / "generated")

    sdk, params, model = f"{PACKAGE}/sdk.py", f"{PACKAGE}/params.py", f"{PACKAGE}/models/create_image_request.py"
    changed = changed_files(baseline, fresh)
    operation = f"{PACKAGE}/api/images/create_image.py"  # lists the arguments left out when None; _cli: --help text
    expected = {EFFECTIVE, sdk, params, model, operation, f"{PACKAGE}/_schemas.py", f"{PACKAGE}/_cli.py"}
    assert expected <= changed
    assert all(name.startswith("docs/") for name in changed - expected), changed - expected  # reference docs only
    effective = yaml.safe_load(baseline[EFFECTIVE])
    effective["components"]["schemas"]["CreateImageRequest"]["properties"]["seed"] = {
        "type": "integer",
        "description": SEED_DOC,
    }
    assert yaml.safe_load(fresh[EFFECTIVE]) == effective
    for name in sorted(changed - {EFFECTIVE}):
        removed, added = line_diff(baseline[name], fresh[name])
        assert removed == [], name  # a pure addition
        assert all("seed" in line or not line.strip() for line in added), (name, added)

    for method in ("create", "create_async"):
        before, after = _keyword_only(baseline[sdk], method), _keyword_only(fresh[sdk], method)
        assert "seed" not in before
        annotation, has_default = after.pop("seed")
        assert "int" in annotation and has_default, (method, annotation)
        assert after == before, method
    assert f"seed: {SEED_DOC}" in fresh[sdk].decode()

    before, after = (
        _class_fields(baseline[model], "CreateImageRequest"),
        _class_fields(fresh[model], "CreateImageRequest"),
    )
    assert after.pop("seed") == ("int | Unset", True)
    assert after == before

    before, after = (
        _class_fields(baseline[params], "CreateImageRequestParam"),
        _class_fields(fresh[params], "CreateImageRequestParam"),
    )
    assert after.pop("seed") == ("NotRequired[int]", False)
    assert after == before


# --- failures ---------------------------------------------------------------------------------------------

STALE_TARGET = "$.components.schemas.CreateImageRequest.properties.gone"
STALE_ACTIONS = [
    {"target": "$.components.schemas.CreateImageRequest", "update": {"x-fine": True}},
    {"target": STALE_TARGET, "description": "hint for a property the API dropped", "update": {"x-hint": 1}},
]
STALE_MESSAGE = (
    f"30-stale.yaml: action #2 (hint for a property the API dropped): target {STALE_TARGET!r} matches nothing"
)


def test_an_overlay_action_that_matches_nothing_fails_the_build(sources: Sources, tmp_path: Path) -> None:
    write_overlay(sources.overlays, "30-stale.yaml", STALE_ACTIONS)
    out_dir = tmp_path / "generated"

    with pytest.raises(OverlayError) as raised:
        pipeline.build(out_dir, spec_path=sources.spec, overlays_dir=sources.overlays)

    assert STALE_MESSAGE in str(raised.value)
    assert not out_dir.exists()


def _repository_copy(destination: Path, generated: Path) -> Path:
    """A minimal copy of the repository, so ``python -m generator`` runs on it with its own paths."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "generator", destination / "generator", ignore=ignore)
    copy_sources(destination)
    shutil.copy2(ROOT / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(generated, destination / "generated")
    return destination


def _run_cli(root: Path, command: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "generator", command],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cli_generate_with_a_stale_overlay_fails_and_leaves_generated_untouched(
    baseline_dir: Path, tmp_path: Path
) -> None:
    root = _repository_copy(tmp_path / "repo", baseline_dir)
    write_overlay(root / "overlays", "30-stale.yaml", STALE_ACTIONS)
    before = snapshot(root / "generated")

    result = _run_cli(root, "generate")

    assert result.returncode == 2, result
    assert result.stderr.startswith("generation failed: ")
    assert STALE_MESSAGE in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root / "generated") == before


def test_cli_check_exits_1_and_names_the_drifted_file(baseline_dir: Path, tmp_path: Path) -> None:
    root = _repository_copy(tmp_path / "repo", baseline_dir)
    params = root / "generated" / PACKAGE / "params.py"
    params.write_text(params.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")

    result = _run_cli(root, "check")

    assert result.returncode == 1, result
    assert "run `make generate`" in result.stderr
    assert f"--- generated/{PACKAGE}/params.py (committed)" in result.stderr
    assert "-# hand edit" in result.stderr.splitlines()


@pytest.mark.parametrize(
    ("schema", "prop", "elsewhere"),
    [
        ("CreateImageRequest", "prompt", None),
        # FallbackModel and WeightedModel both have properties/model/type: the message must say which one.
        ("FallbackModel", "model", "WeightedModel"),
    ],
)
def test_an_invalid_spec_fails_naming_the_location(
    sources: Sources, tmp_path: Path, schema: str, prop: str, elsewhere: str | None
) -> None:
    def edit(document: dict[str, Any]) -> None:
        document["components"]["schemas"][schema]["properties"][prop]["type"] = "strin"

    edit_spec(sources, edit)
    out_dir = tmp_path / "generated"

    with pytest.raises(PipelineError) as raised:
        pipeline.build(out_dir, spec_path=sources.spec, overlays_dir=sources.overlays)

    message = str(raised.value)
    assert message.startswith(f"{sources.spec} is not a valid OpenAPI document at ")
    assert f" at components/schemas/{schema}/properties/{prop}/type: 'strin' " in message
    if elsewhere:
        assert elsewhere not in message
    assert not out_dir.exists()


def test_an_overlay_that_breaks_the_document_fails_naming_the_location(sources: Sources, tmp_path: Path) -> None:
    write_overlay(
        sources.overlays,
        "30-break.yaml",
        [{"target": "$.components.schemas.CreateImageRequest.properties.n", "update": {"minimum": "one"}}],
    )

    with pytest.raises(PipelineError) as raised:
        pipeline.build(tmp_path / "generated", spec_path=sources.spec, overlays_dir=sources.overlays)

    assert str(raised.value).startswith(
        "the effective document (after overlays) is not a valid OpenAPI document at "
        "components/schemas/CreateImageRequest/properties/n/minimum: 'one' "
    )


def test_a_spec_that_is_not_yaml_fails_naming_the_file(sources: Sources, tmp_path: Path) -> None:
    sources.spec.write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")

    with pytest.raises(PipelineError, match=r"is not valid YAML") as raised:
        pipeline.build(tmp_path / "generated", spec_path=sources.spec, overlays_dir=sources.overlays)

    assert str(raised.value).startswith(str(sources.spec))


@pytest.mark.parametrize(
    ("hint", "named"),
    [
        ({"items": "data", "field": "image_base64"}, "image_base64"),
        ({"items": "data", "field": "b64_json", "url": "image_url"}, "image_url"),
    ],
    ids=["field", "url"],
)
def test_a_save_to_hint_that_does_not_fit_the_answer_fails_the_build(
    sources: Sources, tmp_path: Path, hint: dict[str, str], named: str
) -> None:
    """`x-sdk-save-to` names properties of the answer: renamed in the API, the build stops instead of generating a
    `save_to=` that silently saves nothing (or a `download_urls=` that downloads nothing)."""
    operation = "$.paths['/v2/router/images/generations'].post"
    write_overlay(sources.overlays, "30-save-to.yaml", [{"target": operation, "update": {"x-sdk-save-to": hint}}])
    out_dir = tmp_path / "generated"

    with pytest.raises(Exception, match=f"x-sdk-save-to .*'{named}'") as raised:
        pipeline.build(out_dir, spec_path=sources.spec, overlays_dir=sources.overlays)

    assert "ImageMixin" in str(raised.value)


def test_without_a_save_to_hint_the_client_has_no_save_to(sources: Sources, tmp_path: Path) -> None:
    path = sources.overlays / "20-generator-hints.yaml"
    path.write_text(path.read_text().split("  - target: $.paths['/v2/router/images/generations'].post")[0])
    tree = build(sources, tmp_path / "generated")
    sdk = tree["orq_images/sdk.py"].decode()
    assert "save_to" not in sdk and "ImageFiles" not in sdk


# --- a new operation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template_path", "operation_id", "module"),
    [
        ("/v2/router/images/generations", "createImageSketch", "create_image_sketch"),
        ("/v2/router/images/edits", "createImageMask", "create_image_mask"),
    ],
    ids=["json", "multipart"],
)
def test_a_third_operation_needs_its_description_and_naming_overlay_only(
    template_path: str, operation_id: str, module: str, sources: Sources, tmp_path: Path
) -> None:
    def edit(document: dict[str, Any]) -> None:
        operation = copy.deepcopy(document["paths"][template_path]["post"])
        operation["operationId"] = operation_id
        document["paths"]["/v2/router/images/extra"] = {"post": operation}

    edit_spec(sources, edit)
    target = "$.paths['/v2/router/images/extra'].post"
    write_overlay(
        sources.overlays,
        "90-extra.yaml",
        [{"target": target, "update": {"x-sdk-namespace": "router.extra", "x-sdk-method": "make"}}],
    )
    fresh = build(sources, tmp_path / "generated")
    sdk = fresh[f"{PACKAGE}/sdk.py"].decode()
    assert "class RouterExtra:" in sdk and "self.extra = RouterExtra(core, strict_responses=strict_responses)" in sdk
    tree = ast.parse(sdk)
    (namespace,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "RouterExtra"]
    methods = [f.name for f in namespace.body if isinstance(f, ast.FunctionDef)]
    assert methods == ["__init__", "with_raw_response", "make", "make_async", "make_batch", "make_batch_async"]
    assert f"from .api.images.{module} import parse_response, request_kwargs" in sdk
    assert f"{PACKAGE}/api/images/{module}.py" in fresh
    assert f'key="{module}"' in fresh[f"{PACKAGE}/_operations.py"].decode()
    assert "## `orq.router.extra.make`" in fresh["docs/parameters.md"].decode()
