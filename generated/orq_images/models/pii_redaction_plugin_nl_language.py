from typing import Literal

PiiRedactionPluginNlLanguage = Literal["nl"]

PII_REDACTION_PLUGIN_NL_LANGUAGE_VALUES: set[PiiRedactionPluginNlLanguage] = {
    "nl",
}


def check_pii_redaction_plugin_nl_language(value: str) -> PiiRedactionPluginNlLanguage:
    if value in PII_REDACTION_PLUGIN_NL_LANGUAGE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PII_REDACTION_PLUGIN_NL_LANGUAGE_VALUES!r}")
