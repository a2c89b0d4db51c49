"""The `plugins` union (anyOf of three PII redaction shapes) is told apart correctly in both directions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from orq_images.models import (
    CreateImageRequest,
    PiiRedactionPluginAuto,
    PiiRedactionPluginEn,
    PiiRedactionPluginNl,
)

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED_VARIANTS = {
    "200_plugin_pii_redaction_english.json": PiiRedactionPluginEn,
    "200_plugin_pii_redaction_automatic.json": PiiRedactionPluginAuto,
    "200_plugin_pii_redaction_dutch.json": PiiRedactionPluginNl,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_VARIANTS))
def test_plugin_body_parses_as_its_variant_and_round_trips(name: str) -> None:
    body = json.loads((FIXTURES / name).read_text())["request"]["body"]
    request = CreateImageRequest.from_dict(body)
    assert isinstance(request.plugins, list)
    assert type(request.plugins[0]) is EXPECTED_VARIANTS[name]
    assert request.to_dict() == body


def test_english_dict_is_not_the_automatic_variant_with_a_stray_key() -> None:
    plugin = {"id": "pii_redaction", "language": "en", "entities": ["EMAIL_ADDRESS"]}
    request = CreateImageRequest.from_dict({"prompt": "p", "model": "m", "plugins": [plugin]})
    assert isinstance(request.plugins, list)
    parsed = request.plugins[0]
    assert isinstance(parsed, PiiRedactionPluginEn)
    assert parsed.language == "en"
    assert parsed.to_dict() == plugin


def test_models_serialise_to_their_own_shape() -> None:
    auto = PiiRedactionPluginAuto(id="pii_redaction", threshold=0.5)
    dutch = PiiRedactionPluginNl(id="pii_redaction", language="nl", entities=["BSN"])
    assert auto.to_dict() == {"id": "pii_redaction", "threshold": 0.5}
    assert dutch.to_dict() == {"id": "pii_redaction", "language": "nl", "entities": ["BSN"]}
