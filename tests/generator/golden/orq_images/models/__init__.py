"""Contains all the data models used in inputs/outputs"""

from .cat import Cat
from .cat_type import CatType
from .color import Color
from .create_pet_request import CreatePetRequest
from .create_pet_request_owner import CreatePetRequestOwner
from .create_pet_request_owner_contact import CreatePetRequestOwnerContact
from .dog import Dog
from .dog_type import DogType
from .pet import Pet
from .photo_receipt import PhotoReceipt
from .upload_photo_request import UploadPhotoRequest
from .upload_photo_request_options import UploadPhotoRequestOptions

__all__ = (
    "Cat",
    "CatType",
    "Color",
    "CreatePetRequest",
    "CreatePetRequestOwner",
    "CreatePetRequestOwnerContact",
    "Dog",
    "DogType",
    "Pet",
    "PhotoReceipt",
    "UploadPhotoRequest",
    "UploadPhotoRequestOptions",
)
