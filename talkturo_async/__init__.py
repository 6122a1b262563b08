"""talkturo_async: the asyncio-first Python SDK for the Talkturo REST API.

from talkturo_async import Talkturo

async with Talkturo() as tk:          # TALKTURO_API_KEY / TALKTURO_BASE_URL
    await tk.auth.test()
    async for campaign in tk.campaigns.list(team_id=TEAM):
        print(campaign.name, campaign.status)
"""

from typing import TYPE_CHECKING, Any

from ._bulk import BulkProgress, BulkReport, BulkResult, BulkRun, run_bulk
from ._client import Talkturo
from ._contact_rows import ContactInput, ContactResult
from ._errors import (
    JSON,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    OutcomeUnknownError,
    PaginationError,
    PartialFailureError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    TalkturoError,
)
from ._lazy import first_use
from ._options import RequestOptions
from ._pagination import AsyncPager, Page
from ._ratelimit import PauseGate, RateLimiter, TokenBucket
from ._raw import RawResponse
from ._retry import RetryPolicy
from ._transport import MockTransport, Request, Response, StreamedBody, Transport

if TYPE_CHECKING:
    from . import doctor as doctor
    from . import models as models
    from . import resources as resources
    from .models import (
        AddContactsResult,
        ApiKey,
        Assistant,
        AuthCheck,
        AvailableNumber,
        CallLog,
        Campaign,
        CampaignContact,
        CampaignDashboard,
        Company,
        Contact,
        CreatedApiKey,
        CreditBalance,
        CrmIntelligence,
        CustomField,
        DisconnectResult,
        Flow,
        FlowIntegration,
        FlowIntegrationOption,
        FlowManifest,
        FlowNodeRun,
        FlowRun,
        FlowSecret,
        FlowSecretProvider,
        FlowTools,
        FlowToolSchema,
        FlowTriggerResult,
        FlowVersion,
        FlowWebhookTest,
        ImportResult,
        Insight,
        Invoice,
        KnowledgeBaseFile,
        NumberSearchResult,
        OAuthAuthorization,
        Opportunity,
        PhoneNumber,
        RunResult,
        UsageStats,
    )

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AddContactsResult",
    "Assistant",
    "AsyncPager",
    "AuthCheck",
    "AuthenticationError",
    "AvailableNumber",
    "BadRequestError",
    "BulkProgress",
    "BulkReport",
    "BulkResult",
    "BulkRun",
    "CallLog",
    "Campaign",
    "CampaignContact",
    "CampaignDashboard",
    "ClientStateError",
    "Company",
    "ConflictError",
    "Contact",
    "ContactInput",
    "ContactResult",
    "CrmIntelligence",
    "CustomField",
    "DisconnectResult",
    "Flow",
    "FlowIntegration",
    "FlowIntegrationOption",
    "FlowManifest",
    "FlowNodeRun",
    "FlowRun",
    "FlowSecret",
    "FlowSecretProvider",
    "FlowToolSchema",
    "FlowTools",
    "FlowTriggerResult",
    "FlowVersion",
    "FlowWebhookTest",
    "ImportResult",
    "Insight",
    "InsufficientCreditsError",
    "JSON",
    "MockTransport",
    "NotFoundError",
    "NumberSearchResult",
    "OAuthAuthorization",
    "Opportunity",
    "OutcomeUnknownError",
    "Page",
    "PaginationError",
    "PartialFailureError",
    "PauseGate",
    "PermissionDeniedError",
    "PhoneNumber",
    "RateLimitError",
    "RateLimiter",
    "RawResponse",
    "Request",
    "RequestOptions",
    "Response",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RetryPolicy",
    "RunResult",
    "ServerError",
    "Talkturo",
    "TalkturoError",
    "TokenBucket",
    "Transport",
    "UsageStats",
    "__version__",
    "run_bulk",
    "ApiKey",
    "CreatedApiKey",
    "CreditBalance",
    "Invoice",
    "KnowledgeBaseFile",
    "StreamedBody",
]

__version__: str  # read lazily by __getattr__ below (declared for type checkers)


# The names of __all__ not imported above are models: read from talkturo_async.models on first
# use, which imports only the group defining the name.
_MODELS = frozenset(__all__) - globals().keys() - {"__version__"}
_SUBMODULES = frozenset({"doctor", "models", "resources"})  # imported on first use
_first_use = first_use(__name__, globals(), dict.fromkeys(_MODELS, "models"), _SUBMODULES)

if not TYPE_CHECKING:  # see _lazy: type checkers read the imports above instead

    def __getattr__(name: str) -> Any:
        if name == "__version__":  # read lazily: importlib.metadata costs more than the rest
            from ._version import sdk_version

            return sdk_version()
        return _first_use(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
