"""Models of the CRM opportunities group."""

from __future__ import annotations

import attrs

from ._base import Model, Timestamp


@attrs.frozen(kw_only=True)
class Opportunity(Model):
    """A deal in the CRM pipeline, linked to a contact and/or a company.

    Attributes:
        title: what the deal is.
        value: its worth (a number, in the account's currency).
        stage: where it stands in the pipeline (a free string such as ``lead`` or ``won``).
        contact_id, company_id: who the deal is with.
        expected_close_date: when it should close, as the server wrote it (``YYYY-MM-DD``).
    """

    id: str
    title: str | None = None
    value: float | None = None
    stage: str | None = None
    contact_id: str | None = None
    company_id: str | None = None
    expected_close_date: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
