"""FakeTalkturo's rules for companies.

Create, list (by team or account), get with recent contacts, update (custom fields merged), delete
(refused while contacts remain), their contacts.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import is_object, paginate, rename_fields, required
from .contacts import contact_view

COMPANY_FIELDS = {
    "name": "name",
    "website": "website",
    "industry": "industry",
    "companySize": "company_size",
    "addressLine1": "address_line1",
    "addressLine2": "address_line2",
    "city": "city",
    "state": "state",
    "postalCode": "postal_code",
    "country": "country",
    "phone": "phone",
    "notes": "notes",
    "customFields": "custom_fields",
}

RECENT_CONTACT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "lead_status",
)


def _find(store: Store, company_id: str) -> JSON:
    return store.get_or_404(store.companies, company_id, "Company")


def _contact_counts(store: Store) -> collections.Counter[str]:
    return collections.Counter(c["company_id"] for c in store.contacts.values())


def _company_view(store: Store, company: JSON, counts: Mapping[str, int] | None = None) -> JSON:
    if counts is None:
        counts = _contact_counts(store)
    return {**company, "contact_count": counts.get(company["id"], 0)}


def create_company(store: Store, call: Call) -> JSON:
    """A new company of the team."""
    body = call.body
    required(body, "teamId", "name")
    store.check_team_access(body["teamId"])
    ts = now_iso()
    company: JSON = {
        "id": store.new_id("comp"),
        "team_id": body["teamId"],
        **dict.fromkeys(COMPANY_FIELDS.values()),
        **rename_fields(body, COMPANY_FIELDS),
        "created_at": ts,
        "updated_at": ts,
        "created_by": store.account_id,
        "updated_by": store.account_id,
    }
    store.companies[company["id"]] = company
    return {"success": True, "company": _company_view(store, company)}


def list_companies(store: Store, call: Call) -> JSON:
    """Companies by ``teamId`` or ``accountSlug`` (exactly one), ``search`` and ``industry``."""
    query = call.query
    team, slug = query.get("teamId"), query.get("accountSlug")
    if bool(team) == bool(slug):
        raise FakeHTTPError(400, "exactly one of teamId or accountSlug is required")
    if team:
        store.check_team_access(team)
    else:
        store.check_account_slug(slug)
    search = (query.get("search") or "").lower()
    industry = query.get("industry")
    rows = [
        c
        for c in store.companies.values()
        if (
            not search
            or search in (c["name"] or "").lower()
            or search in (c["website"] or "").lower()
        )
        and (not industry or c["industry"] == industry)
    ]
    counts = _contact_counts(store)
    return paginate(
        rows, query, "companies", store.max_page_size, lambda c: _company_view(store, c, counts)
    )


def get_company(store: Store, call: Call) -> JSON:
    """One company with its latest 100 contacts."""
    company = _find(store, call.id)
    contacts = [c for c in store.contacts.values() if c["company_id"] == call.id]
    recent = [{k: c[k] for k in RECENT_CONTACT_FIELDS} for c in contacts[-100:]]
    return {
        "success": True,
        "company": _company_view(store, company),
        "contacts": recent,
        "opportunities": [],
    }


def update_company(store: Store, call: Call) -> JSON:
    """Change known fields; ``customFields`` are merged into the existing ones."""
    company = _find(store, call.id)
    changes = rename_fields(call.body, COMPANY_FIELDS)
    if not changes:
        raise FakeHTTPError(400, "at least one field to update is required")
    if "name" in changes and not changes["name"]:
        raise FakeHTTPError(400, "name must not be empty")
    if is_object(changes.get("custom_fields")):
        changes["custom_fields"] = {**(company["custom_fields"] or {}), **changes["custom_fields"]}
    company.update(changes, updated_at=now_iso())
    return {"success": True, "company": _company_view(store, company)}


def delete_company(store: Store, call: Call) -> JSON:
    """Delete a company without contacts (400 otherwise)."""
    _find(store, call.id)
    if any(c["company_id"] == call.id for c in store.contacts.values()):
        raise FakeHTTPError(400, "Cannot delete company: contacts are still attached")
    del store.companies[call.id]
    return {"success": True, "message": "Company deleted"}


def list_company_contacts(store: Store, call: Call) -> JSON:
    """The company's contacts, one page."""
    _find(store, call.id)
    rows = [c for c in store.contacts.values() if c["company_id"] == call.id]
    return paginate(
        rows, call.query, "contacts", store.max_page_size, lambda c: contact_view(store, c)
    )
