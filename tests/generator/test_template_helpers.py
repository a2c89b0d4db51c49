"""``SpecHelpers``: what it reads from a document beyond openapi-python-client's parse, tested on small documents."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData

from generator.render import CONFIG_PATH
from generator.template_helpers import GenerationError, SpecHelpers
from tests.generator import golden

FIXTURE: dict[str, Any] = yaml.safe_load(golden.FIXTURE_SPEC.read_text(encoding="utf-8"))
PHOTOS = "/v1/media/photos"
PETS = "/v1/pets"


def helpers_for(document: dict[str, Any], tmp_path: Path) -> SpecHelpers:
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG_PATH),
        MetaType.NONE,
        document_source=CONFIG_PATH,
        file_encoding="utf-8",
        overwrite=True,
        output_path=tmp_path,
    )
    data = GeneratorData.from_dict(document, config=config)
    assert isinstance(data, GeneratorData)
    return SpecHelpers(document, data)


def named(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["paths"][PETS]["post"].update({"x-sdk-namespace": "pets", "x-sdk-method": "create"})
    document["paths"][PHOTOS]["post"].update({"x-sdk-namespace": "media.photos", "x-sdk-method": "upload"})
    return document


def test_operations_carry_their_names_media_type_and_form(tmp_path: Path) -> None:
    pets, photos = helpers_for(named(FIXTURE), tmp_path).operations
    assert (pets.namespace, pets.name, pets.media_type, pets.form) == (("pets",), "create", "application/json", ())
    assert (photos.namespace, photos.name, photos.multipart, photos.file_fields) == (
        ("media", "photos"),
        "upload",
        True,
        ("photo",),
    )
    kinds = [(part.name, part.kind, part.required) for part in photos.form]
    assert kinds == [
        ("photo", "file", True),
        ("caption", "text", False),
        ("rating", "text", False),
        ("options", "json", False),
    ]
    assert photos.form[0].accept == ("image/png", "image/jpeg") and photos.form[0].max_bytes == 1048576


def test_without_encoding_openapi_defaults_decide_each_part(tmp_path: Path) -> None:
    document = named(FIXTURE)
    encoding = document["paths"][PHOTOS]["post"]["requestBody"]["content"]["multipart/form-data"]["encoding"]
    del encoding["options"], encoding["caption"]
    (photos,) = [op for op in helpers_for(document, tmp_path).operations if op.multipart]
    assert [(part.name, part.kind) for part in photos.form][1:] == [
        ("caption", "text"),
        ("rating", "text"),
        ("options", "json"),
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["paths"][PETS]["post"].pop("x-sdk-method"),
            "operation createPet (POST /v1/pets) has no SDK name",
        ),
        (
            lambda d: d["paths"][PETS]["post"].update({"x-sdk-namespace": "media.photos", "x-sdk-method": "upload"}),
            "(POST /v1/media/photos): orq.media.photos.upload is also the name of operation createPet",
        ),
        (
            lambda d: d["paths"][PHOTOS]["post"]["requestBody"]["content"]["multipart/form-data"]["encoding"].update(
                {"nothing": {"contentType": "text/plain"}}
            ),
            "encoding names nothing, which are not properties of UploadPhotoRequest",
        ),
        (
            lambda d: d["paths"][PHOTOS]["post"]["requestBody"]["content"]["multipart/form-data"]["encoding"].update(
                {"caption": {"contentType": "application/xml"}}
            ),
            "encoding.caption.contentType 'application/xml' is not one the generator renders",
        ),
        (
            lambda d: d["paths"][PHOTOS]["post"]["requestBody"]["content"]["multipart/form-data"]["encoding"].update(
                {"photo": {"contentType": "image/gif"}}
            ),
            "the file property 'photo' needs encoding.photo.contentType listing the types it takes",
        ),
        (
            lambda d: d["components"]["schemas"]["UploadPhotoRequest"]["properties"].update(
                {"photo": {"type": "array", "items": {"$ref": "#/components/schemas/PhotoFile"}}}
            ),
            "'photo' is an array of files, which the generator does not render",
        ),
        (
            lambda d: d["paths"][PETS]["post"]["requestBody"]["content"].update(
                {"application/xml": d["paths"][PETS]["post"]["requestBody"]["content"]["application/json"]}
            ),
            "this one has application/json, application/xml",
        ),
    ],
)
def test_what_the_generator_cannot_render_stops_it_with_a_message(edit: Any, message: str, tmp_path: Path) -> None:
    document = named(FIXTURE)
    edit(document)
    with pytest.raises(GenerationError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        helpers_for(document, tmp_path)


def test_a_deprecated_field_is_named_where_it_is_and_its_replacement_as_written(tmp_path: Path) -> None:
    document = named(FIXTURE)
    document["components"]["schemas"]["CreatePetRequest"]["properties"]["owner_email"]["x-replaced-by"] = "owner.x"
    helpers = helpers_for(document, tmp_path)
    (pets, _) = helpers.operations
    (field,) = [p for p in pets.body_model.optional_properties if p.name == "owner_email"]
    assert helpers.deprecation_arguments(pets.body_model, field.name) == ("owner_email", "owner.x")


def test_namespaces_nest_and_leaves_come_first(tmp_path: Path) -> None:
    helpers = helpers_for(named(FIXTURE), tmp_path)
    assert [(node.class_name, [c.attr for c in node.children]) for node in helpers.namespace_classes()] == [
        ("MediaPhotos", []),
        ("Pets", []),
        ("Media", ["photos"]),
    ]
    assert [(top.attr, top.class_name) for top in helpers.top_namespaces()] == [("pets", "Pets"), ("media", "Media")]
