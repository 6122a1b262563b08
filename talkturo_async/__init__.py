"""talkturo_async: the asyncio-first Python SDK for the Talkturo REST API.

from talkturo_async import Talkturo

async with Talkturo() as tk:          # TALKTURO_API_KEY / TALKTURO_BASE_URL
    await tk.auth.test()
    async for campaign in tk.campaigns.list(team_id=TEAM):
        print(campaign.name, campaign.status)
"""

from typing import Any

from ._bulk import BulkProgress, BulkReport, BulkResult, BulkRun, run_bulk
from ._client import Talkturo
from ._contact_rows import ContactInput, ContactResult
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PartialFailureError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TalkturoError,
)
from ._pagination import AsyncPager, Page
from ._ratelimit import PauseGate, RateLimiter, TokenBucket
from ._retry import RetryPolicy
from ._transport import MockTransport, Request, Response, StreamedBody, Transport
from .models import (
    AddContactsResult,
    ApiKey,
    Assistant,
    AuthCheck,
    AvailableNumber,
    Campaign,
    CampaignContact,
    CampaignDashboard,
    Company,
    Contact,
    CreatedApiKey,
    CreditBalance,
    ImportResult,
    Invoice,
    KnowledgeBaseFile,
    NumberSearchResult,
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
    "Campaign",
    "CampaignContact",
    "CampaignDashboard",
    "ClientStateError",
    "Company",
    "ConflictError",
    "Contact",
    "ContactInput",
    "ContactResult",
    "ImportResult",
    "InsufficientCreditsError",
    "MockTransport",
    "NotFoundError",
    "NumberSearchResult",
    "Page",
    "PartialFailureError",
    "PauseGate",
    "PermissionDeniedError",
    "PhoneNumber",
    "RateLimitError",
    "RateLimiter",
    "Request",
    "Response",
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


def __getattr__(name: str) -> Any:
    # Read lazily: importlib.metadata costs more than the rest of the import.
    if name == "__version__":
        from ._version import sdk_version

        return sdk_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
