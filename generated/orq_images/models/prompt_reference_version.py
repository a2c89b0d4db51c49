from typing import Literal

PromptReferenceVersion = Literal["latest"]

PROMPT_REFERENCE_VERSION_VALUES: set[PromptReferenceVersion] = {
    "latest",
}


def check_prompt_reference_version(value: str) -> PromptReferenceVersion:
    if value in PROMPT_REFERENCE_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PROMPT_REFERENCE_VERSION_VALUES!r}")
