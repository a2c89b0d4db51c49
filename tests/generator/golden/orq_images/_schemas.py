"""JSON Schemas of every operation's request and response (generated; imported on the first call).

`REQUESTS[key]` is what `validation.prepare` checks for an operation: its body schema, without the file properties
of a multipart body (the runtime's `uploads` checks those; `_operations.OPERATIONS` lists them).
"""

from typing import Any

COMPONENTS: dict[str, Any] = {
    "CreatePetRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "kind"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "kind": {"$ref": "#/components/schemas/PetKind"},
            "color": {"oneOf": [{"$ref": "#/components/schemas/Color"}, {"type": "null"}]},
            "owner": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "contact": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"email": {"type": "string"}},
                    },
                },
            },
            "owner_email": {"type": "string", "deprecated": True, "x-replaced-by": "owner.contact.email"},
        },
    },
    "PetKind": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "type",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    "Cat": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {"type": {"type": "string", "enum": ["cat"]}, "indoor": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {"type": {"type": "string", "enum": ["dog"]}, "good": {"type": "boolean"}},
    },
    "Color": {"type": "string", "enum": ["black", "ginger", "white"]},
    "Pet": {
        "type": "object",
        "required": ["id", "name", "kind"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "kind": {"$ref": "#/components/schemas/PetKind"},
            "color": {"oneOf": [{"$ref": "#/components/schemas/Color"}, {"type": "null"}]},
        },
    },
    "UploadPhotoRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["photo"],
        "properties": {
            "photo": {"$ref": "#/components/schemas/PhotoFile"},
            "caption": {"type": "string"},
            "rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
            "options": {"type": "object", "additionalProperties": False, "properties": {"resize": {"type": "boolean"}}},
        },
    },
    "PhotoFile": {"type": "string", "x-max-bytes": 1048576},
    "PhotoReceipt": {
        "type": "object",
        "required": ["id", "bytes"],
        "properties": {"id": {"type": "string"}, "bytes": {"type": "integer"}},
    },
}

REQUESTS: dict[str, Any] = {
    "create_pet": {"$ref": "#/components/schemas/CreatePetRequest"},
    "upload_photo": {
        "type": "object",
        "additionalProperties": False,
        "required": [],
        "properties": {
            "caption": {"type": "string"},
            "rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
            "options": {"type": "object", "additionalProperties": False, "properties": {"resize": {"type": "boolean"}}},
        },
    },
}

RESPONSES: dict[str, Any] = {
    "create_pet": {"$ref": "#/components/schemas/Pet"},
    "upload_photo": {"$ref": "#/components/schemas/PhotoReceipt"},
}
