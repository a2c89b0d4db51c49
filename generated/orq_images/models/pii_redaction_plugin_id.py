from typing import Literal

PiiRedactionPluginId = Literal["pii_redaction"]

PII_REDACTION_PLUGIN_ID_VALUES: set[PiiRedactionPluginId] = {
    "pii_redaction",
}


def check_pii_redaction_plugin_id(value: str) -> PiiRedactionPluginId:
    if value in PII_REDACTION_PLUGIN_ID_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PII_REDACTION_PLUGIN_ID_VALUES!r}")
