"""The generator's golden record: the fixture API rendered exactly as committed, type-checked, imported and called.

The fixture (``tests/generator/fixture/``) exercises what the one API we ship does not: two operations in two
namespaces, a JSON and a multipart body, a declared two-member discriminated union, a deprecated field whose
replacement lives in another object, inline nested objects and a nullable enum. After a deliberate template change,
``python -m tests.generator.golden`` updates the record.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import __main__ as generator_main
from generator import pipeline
from generator.template_helpers import GenerationError
from tests.generator import golden


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden.render(tmp_path_factory.mktemp("golden") / "out")


def test_the_fixture_renders_exactly_as_the_golden_record(rendered: Path) -> None:
    fresh, recorded = golden.recorded_files(rendered), golden.recorded_files(golden.GOLDEN_DIR)
    problems = [f"not in the record: {name}" for name in sorted(fresh.keys() - recorded.keys())]
    problems += [f"no longer rendered: {name}" for name in sorted(recorded.keys() - fresh.keys())]
    for name in sorted(fresh.keys() & recorded.keys()):
        if fresh[name] != recorded[name]:
            problems += difflib.unified_diff(
                recorded[name].decode().splitlines(), fresh[name].decode().splitlines(), name, name, lineterm=""
            )
    assert not problems, "run `python -m tests.generator.golden` if the change is meant:\n" + "\n".join(problems[:80])


def test_the_golden_package_passes_mypy_strict(rendered: Path) -> None:
    env = {**os.environ, "MYPYPATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull, "orq_images"],
        cwd=rendered,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


CALLS = """
import json, sys, warnings
from tests.support.server import LocalServer
from tests.support.multipart import parse_form
import orq_images
from orq_images import Orq, RequestValidationError
from orq_images._operations import OPERATIONS
from orq_images.models import CreatePetRequest, Dog

assert orq_images.__file__.startswith(sys.argv[1]), orq_images.__file__
out = {"operations": [[*op.namespace, op.method_name, op.media_type, list(op.file_fields), op.cli_name]
                      for op in OPERATIONS]}
png = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00" * 16
with LocalServer() as server, Orq(api_key="sk-golden-0123456789", server_url=server.url) as orq:
    server.enqueue(json={"id": 7, "name": "Rex", "kind": {"type": "dog", "good": True}, "color": None})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pet = orq.pets.create(name="Rex", kind={"type": "dog", "good": True}, color=None,
                              owner={"contact": {"email": "a@b.c"}}, owner_email="a@b.c")
        CreatePetRequest.from_dict({"name": "Rex", "kind": {"type": "cat"}, "owner_email": "a@b.c"})
    out["warnings"] = [str(w.message) for w in caught]
    out["pet"] = [type(pet.kind).__name__, pet.kind.good, pet.color, isinstance(pet.kind, Dog)]
    out["sent_json"] = server.requests[0].json
    try:
        orq.pets.create(name="Rex", kind={"type": "bird"})
    except RequestValidationError as exc:
        out["refused"] = exc.path
    server.enqueue(json={"id": "p1", "bytes": 24})
    receipt = orq.media.photos.upload(photo=("rex.png", png), caption="Rex", rating=5, options={"resize": True})
    out["receipt"] = receipt.to_dict()
    sent = server.requests[-1]
    out["parts"] = [[p.name, p.filename, p.content_type, p.body.decode("latin-1")]
                    for p in parse_form(sent.headers["content-type"], sent.body)]
    out["requests"] = len(server.requests)
print(json.dumps(out))
"""


def test_the_golden_package_imports_and_calls_a_local_server(rendered: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COV_CORE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(rendered), str(pipeline.ROOT)])
    done = subprocess.run(
        [sys.executable, "-c", CALLS, str(rendered)],
        cwd=rendered,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["operations"] == [
        ["pets", "create", "application/json", [], "add"],
        ["media", "photos", "upload", "multipart/form-data", ["photo"], None],
    ]
    assert out["warnings"] == ["`owner_email` is deprecated; use `owner.contact.email` instead."] * 2
    assert out["pet"] == ["Dog", True, None, True]
    assert out["sent_json"] == {
        "name": "Rex",
        "kind": {"type": "dog", "good": True},
        "color": None,
        "owner": {"contact": {"email": "a@b.c"}},
        "owner_email": "a@b.c",
    }
    assert out["refused"] == "kind.type"  # the declared discriminator names the failing field
    assert out["receipt"] == {"id": "p1", "bytes": 24}
    png = "\x89PNG\r\n\x1a\n" + "\x00" * 16
    assert out["parts"] == [
        ["caption", None, None, "Rex"],
        ["rating", None, None, "5"],
        ["photo", "rex.png", "image/png", png],
        ["options", None, "application/json", '{"resize":true}'],
    ]
    assert out["requests"] == 2  # the refused call sent nothing


def test_an_operation_without_sdk_naming_stops_generation_naming_it(tmp_path: Path) -> None:
    overlays = tmp_path / "overlays"
    overlays.mkdir()
    naming = yaml.safe_load((golden.FIXTURE_OVERLAYS / "10-naming.yaml").read_text(encoding="utf-8"))
    naming["actions"] = [a for a in naming["actions"] if a["target"] != "$.paths['/v1/media/photos'].post"]
    (overlays / "10-naming.yaml").write_text(yaml.safe_dump(naming), encoding="utf-8")
    with pytest.raises(GenerationError) as caught:
        pipeline.build(tmp_path / "out", spec_path=golden.FIXTURE_SPEC, overlays_dir=overlays, version="0.0.0")
    assert str(caught.value) == (
        "operation uploadPhoto (POST /v1/media/photos) has no SDK name: give it x-sdk-namespace and x-sdk-method"
        " in an overlay (overlays/10-sdk-naming.yaml)"
    )
    assert not (tmp_path / "out" / "orq_images" / "sdk.py").exists()


def test_make_generate_reports_it_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = yaml.safe_load(golden.FIXTURE_SPEC.read_text(encoding="utf-8"))
    del spec["paths"]["/v1/media/photos"]["post"]["requestBody"]["content"]["multipart/form-data"]["encoding"]["photo"]
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    def generate() -> None:
        pipeline.build(tmp_path / "g", spec_path=tmp_path / "openapi.yaml", overlays_dir=golden.FIXTURE_OVERLAYS)

    monkeypatch.setattr(generator_main, "generate", generate)
    assert generator_main.main(["generate"]) == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith(
        "generation failed: operation uploadPhoto (POST /v1/media/photos): the file property 'photo' needs"
        " encoding.photo.contentType"
    ), stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "g" / "orq_images" / "sdk.py").exists()
