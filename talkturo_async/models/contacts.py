"""Models of the contacts group."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal, TypedDict

import attrs

from ._base import Model, Timestamp

LeadStatus = Literal[
    "new", "contacted", "qualified", "unqualified", "converted", "customer", "churned", "dnc"
]
"""Known lead statuses; the server may send others, which are kept as they are."""

LEAD_NEW: Final = "new"
LEAD_CONTACTED: Final = "contacted"
LEAD_QUALIFIED: Final = "qualified"
LEAD_UNQUALIFIED: Final = "unqualified"
LEAD_CONVERTED: Final = "converted"
LEAD_CUSTOMER: Final = "customer"
LEAD_CHURNED: Final = "churned"
LEAD_DNC: Final = "dnc"

PreferredContactMethod = Literal["phone", "email"]
"""How a contact prefers to be reached (the values the API documents)."""


class ContactUpdate(TypedDict, total=False):
    """The fields ``contacts.update`` takes (each optional; ``None`` clears the ones that allow it).

    camelCase spellings of these names are accepted at run time too.
    """

    company_id: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    phone_secondary: str | None
    job_title: str | None
    lead_status: LeadStatus | None
    source: str | None
    timezone: str | None
    preferred_contact_method: PreferredContactMethod | None
    do_not_call: bool
    notes: str | None
    custom_fields: dict[str, Any] | None
    tags: list[str] | None
    last_contacted_at: datetime | str | None


@attrs.frozen(kw_only=True)
class Contact(Model):
    """A CRM contact (a person a campaign can call).

    Attributes:
        id: the contact's id (always present: an answer without one raises).
        phone, phone_secondary: E.164 numbers, kept as strings.
        lead_status: an open string (see ``LeadStatus``).
        source, lead_source: where the contact came from (``lead_source`` is the spec's name).
        do_not_call: ``True`` keeps the contact out of every campaign.
        custom_fields: key → value; the post-call AI extractor may fill these.
        company: ``{"id", "name"}`` of its company, on list and get answers.
        activities, opportunities, campaign_history: on ``contacts.get`` only.
        campaign_enrollment: ``{"campaign_contact_id", "status"}`` when created with ``campaign_id``.
    """

    id: str
    team_id: str | None = None
    company_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_secondary: str | None = None
    job_title: str | None = None
    lead_status: str | None = None
    source: str | None = None
    lead_source: str | None = None
    timezone: str | None = None
    preferred_contact_method: str | None = None
    do_not_call: bool | None = None
    last_contacted_at: Timestamp | None = None
    notes: str | None = None
    custom_fields: dict[str, Any] | None = None
    tags: list[str] | None = None
    company: dict[str, Any] | None = None
    activities: list[Any] | None = None
    opportunities: list[Any] | None = None
    campaign_history: list[Any] | None = None
    campaign_enrollment: dict[str, Any] | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    created_by: str | None = None
    updated_by: str | None = None


@attrs.frozen(kw_only=True)
class ImportResult(Model):
    """The answer of ``contacts.import_contacts``.

    Attributes:
        imported: rows created.
        failed: rows refused.
        errors: one entry per refused row, as the server sent it (a string or an object, usually
            naming the row).
    """

    imported: int | None = None
    failed: int | None = None
    errors: list[Any] | None = None
