from typing import Literal

PiiRedactionPluginEnLanguage = Literal["en"]

PII_REDACTION_PLUGIN_EN_LANGUAGE_VALUES: set[PiiRedactionPluginEnLanguage] = {
    "en",
}


def check_pii_redaction_plugin_en_language(value: str) -> PiiRedactionPluginEnLanguage:
    if value in PII_REDACTION_PLUGIN_EN_LANGUAGE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PII_REDACTION_PLUGIN_EN_LANGUAGE_VALUES!r}")
