"""Render the ``orq_images`` package from the effective OpenAPI document.

openapi-python-client 0.29.1 renders its own files (models, the endpoint module, types, errors) through
our template overrides in ``generator/templates/``. The same Jinja environment (so the same escaping
filters and the same parsed ``openapi`` data) then renders the files that are ours alone:

- ``sdk.py``       the ``Orq`` client and its namespaces, with one method per operation;
- ``params.py``    TypedDicts, so nested parameters can be passed as plain dicts and still type-check;
- ``_schemas.py``  the request/response schemas the runtime validates against, before anything is sent;
- ``_operations.py`` one record per operation (namespace, method, path, media type, file fields, CLI hints);
- ``_version.py``  the package version (single-sourced from pyproject.toml);
- ``testing.py``   the public testing helpers, re-exported from the runtime (``python -m orq_images.testing``);
- ``_cli.py``      the command line's table of operations (``generator/cli_table.py``);
- ``__main__.py``  ``python -m orq_images`` and the ``orq-images`` console script.

The hand-written runtime support (errors, retries, transport, validation) is copied from
``generator/runtime/`` to ``orq_images/_runtime/``.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError

from . import cli_table, template_helpers
from .runtime.pacing import DEFAULT_CONCURRENCY
from .template_helpers import COMPONENT_PREFIX, walk_schemas

GENERATOR_DIR = Path(__file__).resolve().parent
CONFIG_PATH = GENERATOR_DIR / "config.yaml"
TEMPLATES_DIR = GENERATOR_DIR / "templates"
RUNTIME_DIR = GENERATOR_DIR / "runtime"

# Files rendered by our pipeline (not by openapi-python-client) from templates in generator/templates/.
EXTRA_TEMPLATES = {
    "sdk.py.jinja": "sdk.py",
    "params.py.jinja": "params.py",
    "_schemas.py.jinja": "_schemas.py",
    "_operations.py.jinja": "_operations.py",
    "_version.py.jinja": "_version.py",
    "testing.py.jinja": "testing.py",
    "_cli.py.jinja": "_cli.py",
    "__main__.py.jinja": "__main__.py",
}


class RenderError(Exception):
    """openapi-python-client reported a problem; generation is strict, so warnings count too."""


def render_package(document: Mapping[str, Any], package_dir: Path, *, version: str) -> None:
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG_PATH),
        MetaType.NONE,
        document_source=CONFIG_PATH,  # unused: the parsed document is passed in directly
        file_encoding="utf-8",
        overwrite=True,
        output_path=package_dir,
    )
    data = GeneratorData.from_dict(upstream_view(document), config=config)
    if isinstance(data, GeneratorError):
        raise RenderError(_describe([data]))
    helpers = template_helpers.SpecHelpers(document, data)  # checks every operation before anything is written
    project = Project(openapi=data, config=config, custom_template_path=TEMPLATES_DIR)
    project.env.globals.update(
        spec=document,
        sdk_version=version,
        package_name=package_dir.name,
        default_concurrency=DEFAULT_CONCURRENCY,
        **helpers.globals(),
        **cli_table.globals_for(document, helpers.operations),
    )
    project.env.filters.update(template_helpers.FILTERS)
    errors = project.build()
    if errors:
        raise RenderError(_describe(errors))

    # Upstream always renders client.py (its Client classes); ours is `Orq` in sdk.py, exported by the package, and
    # a module that only re-exported it had no reader.
    (package_dir / "client.py").unlink(missing_ok=True)
    for template_name, file_name in EXTRA_TEMPLATES.items():
        template = project.env.get_template(template_name)
        (package_dir / file_name).write_text(template.render(), encoding="utf-8")
    (package_dir / "py.typed").write_text("# Marker file for PEP 561\n", encoding="utf-8")
    shutil.copytree(
        RUNTIME_DIR,
        package_dir / "_runtime",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        dirs_exist_ok=True,
    )


def upstream_view(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document as openapi-python-client sees it: without non-2xx responses, nor the component schemas only
    they reach.

    The runtime parses error bodies itself (``errors.ErrorDetail``, held by ``APIStatusError.error``), so models
    generated from the error components would be a second, different public ``ErrorDetail`` (``type_`` against
    ``type``) that nothing returns. Everything else (``_schemas.py``, the parameter reference, which documents the
    error bodies) still reads the whole document.
    """
    view = copy.deepcopy(dict(document))
    error_responses: list[Any] = []
    for path_item in view.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and isinstance(operation.get("responses"), dict):
                responses = operation["responses"]
                for status in [status for status in responses if not str(status).startswith("2")]:
                    error_responses.append(responses.pop(status))
    components = view.get("components", {})
    schemas = components.get("schemas", {})
    # Responses left unreferenced (the shared error responses) go too: they may hold the only references.
    named_responses = components.get("responses", {})
    for name in [name for name in named_responses if not _is_referenced(view, f"#/components/responses/{name}")]:
        error_responses.append(named_responses.pop(name))
    outside_schemas = [value for key, value in view.items() if key != "components"]
    outside_schemas += [value for key, value in components.items() if key != "schemas"]
    still_used = _reachable(outside_schemas, schemas)
    for name in _reachable(error_responses, schemas) - still_used:
        del schemas[name]
    return view


def _refs(node: Any) -> Iterator[str]:
    return (node["$ref"] for node in walk_schemas(node) if isinstance(node.get("$ref"), str))


def _reachable(node: Any, schemas: Mapping[str, Any]) -> set[str]:
    """The component schemas ``node`` refers to, directly or through other component schemas."""

    def named(node: Any) -> list[str]:
        return [ref.removeprefix(COMPONENT_PREFIX) for ref in _refs(node) if ref.startswith(COMPONENT_PREFIX)]

    found: set[str] = set()
    pending = named(node)
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(named(schemas.get(name)))
    return found


def _is_referenced(node: Any, target: str) -> bool:
    return any(ref == target for ref in _refs(node))


def _describe(errors: list[GeneratorError] | Any) -> str:
    parts = []
    for error in errors:
        parts.append(f"{error.level.name}: {error.header or ''}\n{error.detail or ''}".strip())
    return "openapi-python-client reported:\n\n" + "\n\n".join(parts)
