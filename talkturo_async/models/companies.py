"""Models of the companies group."""

from __future__ import annotations

from typing import Any, TypedDict

import attrs

from ._base import Model, Timestamp
from .contacts import Contact


class CompanyUpdate(TypedDict, total=False):
    """The fields ``companies.update`` takes (each optional; ``None`` clears a field).

    camelCase spellings of these names are accepted at run time too.
    """

    name: str
    website: str | None
    industry: str | None
    company_size: str | None
    address_line1: str | None
    address_line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str | None
    phone: str | None
    notes: str | None
    custom_fields: dict[str, Any] | None


@attrs.frozen(kw_only=True)
class Company(Model):
    """A CRM company (every contact belongs to one).

    Attributes:
        company_size: a descriptor such as ``"51-200"``.
        country: a two-letter ISO code.
        address: the single-string address some server versions send instead of the lines.
        contact_count: number of contacts attached.
        contacts, opportunities: recent ones, on ``companies.get`` only (read only).
    """

    id: str
    team_id: str | None = None
    name: str | None = None
    website: str | None = None
    industry: str | None = None
    company_size: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    address: str | None = None
    phone: str | None = None
    notes: str | None = None
    custom_fields: dict[str, Any] | None = None
    contact_count: int | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    created_by: str | None = None
    updated_by: str | None = None
    contacts: list[Contact] | None = None
    opportunities: list[dict[str, Any]] | None = None
