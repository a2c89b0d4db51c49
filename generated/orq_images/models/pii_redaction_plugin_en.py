from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .._runtime.reprs import model_repr
from ..models.pii_entity import PiiEntity, check_pii_entity
from ..models.pii_redaction_on_failure import PiiRedactionOnFailure, check_pii_redaction_on_failure
from ..models.pii_redaction_plugin_en_language import (
    PiiRedactionPluginEnLanguage,
    check_pii_redaction_plugin_en_language,
)
from ..models.pii_redaction_plugin_id import PiiRedactionPluginId, check_pii_redaction_plugin_id
from ..types import UNSET, Unset

T = TypeVar("T", bound="PiiRedactionPluginEn")


@_attrs_define(repr=False)
class PiiRedactionPluginEn:
    """
    Attributes:
        id (PiiRedactionPluginId): The plugin's name, `pii_redaction`.
        language (PiiRedactionPluginEnLanguage): The language the detector works in.
        on_failure (PiiRedactionOnFailure | Unset): What happens when redaction is unavailable: `block` (the server
            default) fails the request, `passthrough` sends the original text.
        threshold (float | Unset): The detector's confidence cutoff, from 0 to 1.
        entities (list[PiiEntity] | Unset): English entity types to redact. When omitted every type detected for the
            language is redacted.
    """

    id: PiiRedactionPluginId
    language: PiiRedactionPluginEnLanguage
    on_failure: PiiRedactionOnFailure | Unset = UNSET
    threshold: float | Unset = UNSET
    entities: list[PiiEntity] | Unset = UNSET

    def __repr__(self) -> str:
        # orq: long strings (base64 images) are shortened
        return model_repr(self)

    def to_dict(self) -> dict[str, Any]:
        id: str = self.id

        language: str = self.language

        on_failure: str | Unset = UNSET
        if not isinstance(self.on_failure, Unset):
            on_failure = self.on_failure

        threshold = self.threshold

        entities: list[str] | Unset = UNSET
        if not isinstance(self.entities, Unset):
            entities = []
            for entities_item_data in self.entities:
                entities_item: str = entities_item_data
                entities.append(entities_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "language": language,
            }
        )
        if on_failure is not UNSET:
            field_dict["on_failure"] = on_failure
        if threshold is not UNSET:
            field_dict["threshold"] = threshold
        if entities is not UNSET:
            field_dict["entities"] = entities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = check_pii_redaction_plugin_id(d.pop("id"))

        language = check_pii_redaction_plugin_en_language(d.pop("language"))

        _on_failure = d.pop("on_failure", UNSET)
        on_failure: PiiRedactionOnFailure | Unset
        if isinstance(_on_failure, Unset):
            on_failure = UNSET
        else:
            on_failure = check_pii_redaction_on_failure(_on_failure)

        threshold = d.pop("threshold", UNSET)

        _entities = d.pop("entities", UNSET)
        entities: list[PiiEntity] | Unset = UNSET
        if _entities is not UNSET:
            entities = []
            for entities_item_data in _entities:
                entities_item = check_pii_entity(entities_item_data)

                entities.append(entities_item)

        # orq: the schema is closed (additionalProperties: false), so an unknown key means "not this model"
        if d:
            raise ValueError(f"unexpected keys for PiiRedactionPluginEn: {sorted(d)}")
        pii_redaction_plugin_en = cls(
            id=id,
            language=language,
            on_failure=on_failure,
            threshold=threshold,
            entities=entities,
        )

        return pii_redaction_plugin_en
