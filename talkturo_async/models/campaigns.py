"""Models of the campaigns group."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal, TypedDict

import attrs

from ._base import Model, Timestamp
from .contacts import Contact, LeadStatus

CampaignStatus = Literal["draft", "scheduled", "running", "paused", "completed", "cancelled"]
"""Known campaign statuses; others (such as ``stopped``) are kept as they are."""

CAMPAIGN_DRAFT: Final = "draft"
CAMPAIGN_SCHEDULED: Final = "scheduled"
CAMPAIGN_RUNNING: Final = "running"
CAMPAIGN_PAUSED: Final = "paused"
CAMPAIGN_COMPLETED: Final = "completed"
CAMPAIGN_CANCELLED: Final = "cancelled"

CampaignContactStatus = Literal["pending", "queued", "calling", "completed", "skipped", "failed"]
"""Known statuses of a contact within a campaign."""

DeletedFilter = Literal["exclude", "include", "only"]
"""Which campaigns ``campaigns.list`` returns by soft deletion (server default ``exclude``)."""

VoicemailAction = Literal["leave_message", "hangup"]
"""What a campaign call does on reaching voicemail."""

UnavailableAction = Literal["retry", "fail"]
"""What a campaign does with a contact who cannot be reached."""

RetryBackoffMode = Literal["fixed", "exponential"]
"""How the wait between a contact's retries grows."""

AudienceMode = Literal["all_eligible"]
"""How ``campaigns.add_contacts(audience=...)`` picks contacts."""


class CampaignAudience(TypedDict, total=False):
    """The ``audience`` of ``campaigns.add_contacts``: which of the team's contacts to enrol.

    camelCase spellings of these keys are accepted at run time too; they are sent in camelCase.

    Attributes:
        mode: ``all_eligible``.
        company_id: only contacts of this company (it must be the campaign's).
        search: only contacts matching this text.
        lead_status: only contacts with this lead status (``all``: no filter).
        has_phone_only: only contacts with a phone (server default ``True``).
        exclude_dnc: leave out do-not-call contacts (server default ``True``).
        max_to_add: enrol at most this many (server default 50000).
    """

    mode: AudienceMode
    company_id: str
    search: str
    lead_status: LeadStatus | Literal["all"]
    has_phone_only: bool
    exclude_dnc: bool
    max_to_add: int


class CampaignUpdate(TypedDict, total=False):
    """The fields ``campaigns.update`` takes (each optional; ``None`` clears the ones that allow it).

    camelCase spellings of these names are accepted at run time too. While a campaign is
    ``running`` only ``status`` may change.
    """

    name: str
    description: str | None
    status: CampaignStatus
    scheduled_start_at: datetime | str | None
    from_number: str | None
    call_window_start: str | None
    call_window_end: str | None
    call_window_timezone: str | None
    max_concurrent_calls: int | None
    max_attempts_per_contact: int | None
    retry_delay_minutes: int | None
    settings: dict[str, Any] | None
    no_auto_complete: bool | None
    voicemail_drop_message: str | None
    voicemail_detection_enabled: bool | None
    voicemail_action: VoicemailAction | None
    unavailable_action: UnavailableAction | None
    retry_delay_minutes_no_answer: int
    retry_delay_minutes_busy: int
    retry_delay_minutes_error: int
    retry_on_error: bool | None
    use_contact_timezone_for_call_window: bool | None
    retry_backoff_mode: RetryBackoffMode | None
    retry_backoff_multiplier: float
    retry_backoff_max_minutes: int | None
    max_attempts_no_answer: int | None
    max_attempts_busy: int | None
    max_attempts_error: int | None


@attrs.frozen(kw_only=True)
class CampaignContact(Model):
    """One contact enrolled in a campaign.

    Attributes:
        status: ``pending``, ``queued``, ``calling``, ``completed``, ``skipped``, ``failed`` (open).
        attempts: calls placed to this contact so far.
        outcome, disposition: how the last call ended (``answered``, ``voicemail``, ...).
        contact: the enrolled contact.
        company: ``{"id", "name"}`` of the contact's company.
    """

    id: str | None = None
    status: str | None = None
    priority: int | None = None
    attempts: int | None = None
    outcome: str | None = None
    disposition: str | None = None
    last_attempt_at: Timestamp | None = None
    next_attempt_at: Timestamp | None = None
    contact: Contact | None = None
    company: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class Campaign(Model):
    """An outbound calling campaign.

    Attributes:
        status: an open string (see ``CampaignStatus``).
        from_number: the caller id (E.164).
        call_window_start, call_window_end: ``"HH:MM"`` in ``call_window_timezone``.
        total_contacts: contacts enrolled; ``contacts_called`` had at least one attempt;
            ``contacts_completed`` reached a final state; ``contacts_answered`` picked up.
        contact_count, campaign_contacts, assistant: on ``campaigns.get``.
        schedule: the scheduling object some servers send (its keys as sent).
    """

    id: str
    team_id: str | None = None
    assistant_id: str | None = None
    company_id: str | None = None
    name: str | None = None
    description: str | None = None
    from_number: str | None = None
    status: str | None = None
    scheduled_start_at: Timestamp | None = None
    started_at: Timestamp | None = None
    completed_at: Timestamp | None = None
    call_window_start: str | None = None
    call_window_end: str | None = None
    call_window_timezone: str | None = None
    max_concurrent_calls: int | None = None
    max_attempts_per_contact: int | None = None
    retry_delay_minutes: int | None = None
    total_contacts: int | None = None
    contacts_called: int | None = None
    contacts_completed: int | None = None
    contacts_answered: int | None = None
    contact_count: int | None = None
    settings: dict[str, Any] | None = None
    schedule: dict[str, Any] | None = None
    assistant: dict[str, Any] | None = None
    contact_stats: dict[str, Any] | None = None
    campaign_contacts: list[CampaignContact] | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    deleted_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class AddContactsResult(Model):
    """The answer of ``campaigns.add_contacts``.

    Attributes:
        added: contacts newly enrolled; ``skipped``: already enrolled, do-not-call or no phone;
        invalid: ids that do not exist in the team.
    """

    added: int | None = None
    skipped: int | None = None
    invalid: int | None = None
    message: str | None = None
    contact_id: str | None = None
    campaign_contact_id: str | None = None


@attrs.frozen(kw_only=True)
class DashboardCounts(Model):
    """Counts on a campaign dashboard: by contact status, by call outcome, answered, total."""

    by_status: dict[str, int] | None = None
    by_outcome: dict[str, int] | None = None
    answered: int | None = None
    total: int | None = None


@attrs.frozen(kw_only=True)
class DashboardQueue(Model):
    """Who is waiting (``pending``) and being called (``calling``) now."""

    pending: list[dict[str, Any]] | None = None
    calling: list[dict[str, Any]] | None = None


@attrs.frozen(kw_only=True)
class CampaignDashboard(Model):
    """A campaign's live view. ``stats`` holds the legacy flat counters some servers send."""

    campaign: Campaign | None = None
    counts: DashboardCounts | None = None
    queue: DashboardQueue | None = None
    recent_calls: list[dict[str, Any]] | None = None
    stats: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class RunResult(Model):
    """The answer of ``campaigns.start``.

    Attributes:
        started: calls placed by this run; ``failed``: calls that could not be placed.
        calls: ``[{"campaign_contact_id", "contact_id", "status"}, ...]``.
        dry_run: ``True`` when nothing was dialled and ``picks`` lists who would have been.
        status: the campaign status, on servers that answer only that.
    """

    started: int | None = None
    failed: int | None = None
    calls: list[dict[str, Any]] | None = None
    errors: list[Any] | None = None
    message: str | None = None
    dry_run: bool | None = None
    picks: list[Any] | None = None
    status: str | None = None
