"""The orq-images generation pipeline: validate -> apply overlays -> openapi-python-client -> ruff -> generated/."""
