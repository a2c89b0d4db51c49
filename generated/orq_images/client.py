"""The client: `Orq` lives in `orq_images.sdk`; this module re-exports it."""

from .sdk import Orq

__all__ = ["Orq"]
