"""The operations of the `orq-images` command line (generated from the API description: do not edit).

Each row: the subcommand (`cli_name`, `cli_group`), the client method it calls (`namespace`, `method`), the key of
its request schema in `_schemas.REQUESTS`, the fields taken as positional arguments and their short flags, the
file fields, the answer's images (`save_to`: items, field; `save_to_url`: the field of images given as URLs) and
the `--help` text of every field it reaches.
"""

from typing import Any

OPERATIONS: list[dict[str, Any]] = [
    {
        "cli_name": "add",
        "cli_group": "pets",
        "request_schema": "create_pet",
        "namespace": ["pets"],
        "method": "create",
        "summary": "Create a pet",
        "description": "Register a pet with its kind, colour and owner.",
        "cli_positional": [],
        "cli_short_flags": {},
        "file_fields": [],
        "save_to": None,
        "save_to_url": None,
        "help": {
            "name": "What the pet answers to.",
            "kind": "A cat or a dog, told apart by `type`.",
            "color": "Its colour; null when unknown.",
            "owner": "Who looks after it.",
            "owner.name": "The owner's name.",
            "owner.contact": "How to reach the owner.",
            "owner.contact.email": "The owner's email address.",
            "owner_email": "Deprecated: use `owner.contact.email`.",
        },
    }
]
