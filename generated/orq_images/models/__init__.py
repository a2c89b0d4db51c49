"""Contains all the data models used in inputs/outputs"""

from .cache_policy import CachePolicy
from .cache_policy_type import CachePolicyType
from .create_image_edit_request import CreateImageEditRequest
from .create_image_request import CreateImageRequest
from .create_image_response import CreateImageResponse
from .create_image_variation_request import CreateImageVariationRequest
from .fallback_model import FallbackModel
from .generated_image import GeneratedImage
from .identity import Identity
from .identity_metadata_item import IdentityMetadataItem
from .image_background import ImageBackground
from .image_edit_quality import ImageEditQuality
from .image_input_tokens_details import ImageInputTokensDetails
from .image_moderation import ImageModeration
from .image_output_format import ImageOutputFormat
from .image_quality import ImageQuality
from .image_response_format import ImageResponseFormat
from .image_style import ImageStyle
from .image_upload_response import ImageUploadResponse
from .image_usage import ImageUsage
from .image_variation_size import ImageVariationSize
from .orq_options import OrqOptions
from .orq_options_with_prompt import OrqOptionsWithPrompt
from .pii_entity import PiiEntity
from .pii_entity_nl import PiiEntityNl
from .pii_redaction_on_failure import PiiRedactionOnFailure
from .pii_redaction_plugin_auto import PiiRedactionPluginAuto
from .pii_redaction_plugin_en import PiiRedactionPluginEn
from .pii_redaction_plugin_en_language import PiiRedactionPluginEnLanguage
from .pii_redaction_plugin_id import PiiRedactionPluginId
from .pii_redaction_plugin_nl import PiiRedactionPluginNl
from .pii_redaction_plugin_nl_language import PiiRedactionPluginNlLanguage
from .prompt_reference import PromptReference
from .prompt_reference_version import PromptReferenceVersion
from .request_metadata import RequestMetadata
from .retry_policy import RetryPolicy
from .timeout_policy import TimeoutPolicy
from .weight_based_load_balancer import WeightBasedLoadBalancer
from .weight_based_load_balancer_type import WeightBasedLoadBalancerType
from .weighted_model import WeightedModel

__all__ = (
    "CachePolicy",
    "CachePolicyType",
    "CreateImageEditRequest",
    "CreateImageRequest",
    "CreateImageResponse",
    "CreateImageVariationRequest",
    "FallbackModel",
    "GeneratedImage",
    "Identity",
    "IdentityMetadataItem",
    "ImageBackground",
    "ImageEditQuality",
    "ImageInputTokensDetails",
    "ImageModeration",
    "ImageOutputFormat",
    "ImageQuality",
    "ImageResponseFormat",
    "ImageStyle",
    "ImageUploadResponse",
    "ImageUsage",
    "ImageVariationSize",
    "OrqOptions",
    "OrqOptionsWithPrompt",
    "PiiEntity",
    "PiiEntityNl",
    "PiiRedactionOnFailure",
    "PiiRedactionPluginAuto",
    "PiiRedactionPluginEn",
    "PiiRedactionPluginEnLanguage",
    "PiiRedactionPluginId",
    "PiiRedactionPluginNl",
    "PiiRedactionPluginNlLanguage",
    "PromptReference",
    "PromptReferenceVersion",
    "RequestMetadata",
    "RetryPolicy",
    "TimeoutPolicy",
    "WeightBasedLoadBalancer",
    "WeightBasedLoadBalancerType",
    "WeightedModel",
)
