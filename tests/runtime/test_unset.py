"""``unset``: one ``UNSET`` marker, recognised by identity everywhere, and the request body built from a call."""

from __future__ import annotations

import copy
import pickle

import orq_images
from orq_images._runtime.unset import UNSET, Unset, without_unset
from orq_images.types import UNSET as TYPES_UNSET


def test_there_is_one_unset_and_it_survives_copy_and_pickle() -> None:
    assert TYPES_UNSET is UNSET is orq_images.UNSET and isinstance(UNSET, Unset)
    assert copy.deepcopy(UNSET) is UNSET and pickle.loads(pickle.dumps(UNSET)) is UNSET
    assert not UNSET and repr(UNSET) == "UNSET"


def test_without_unset_drops_what_was_not_given_and_keeps_null_where_null_is_a_value() -> None:
    arguments = {"prompt": "p", "n": UNSET, "size": None, "name": None, "user": "u", "cache": 0}
    assert without_unset(arguments, omitted_when_none={"name", "user"}) == {
        "prompt": "p",
        "size": None,
        "user": "u",
        "cache": 0,
    }
