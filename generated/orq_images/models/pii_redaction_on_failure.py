from typing import Literal

PiiRedactionOnFailure = Literal["block", "passthrough"]

PII_REDACTION_ON_FAILURE_VALUES: set[PiiRedactionOnFailure] = {
    "block",
    "passthrough",
}


def check_pii_redaction_on_failure(value: str) -> PiiRedactionOnFailure:
    if value in PII_REDACTION_ON_FAILURE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PII_REDACTION_ON_FAILURE_VALUES!r}")
