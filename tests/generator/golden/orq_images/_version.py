"""The orq-images version; generated from `[project] version` in pyproject.toml."""

__version__ = "0.0.0"
