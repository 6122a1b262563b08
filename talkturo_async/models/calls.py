"""Models of the CRM call log."""

from __future__ import annotations

import attrs

from ._base import Model, Timestamp


@attrs.frozen(kw_only=True)
class CallLog(Model):
    """One call a campaign placed.

    Attributes:
        campaign_id, campaign_contact_id, contact_id, assistant_id: what the call belongs to.
        from_number, to_number: caller id and the number dialled (E.164).
        outcome: how it ended (``answered``, ``voicemail``, ``no_answer``, ``busy``, ...).
        duration_seconds: how long it lasted.
        ended_at: when it ended.
    """

    id: str | None = None
    campaign_id: str | None = None
    campaign_contact_id: str | None = None
    contact_id: str | None = None
    assistant_id: str | None = None
    from_number: str | None = None
    to_number: str | None = None
    status: str | None = None
    outcome: str | None = None
    duration_seconds: float | None = None
    started_at: Timestamp | None = None
    ended_at: Timestamp | None = None
