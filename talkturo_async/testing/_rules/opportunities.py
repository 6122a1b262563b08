"""FakeTalkturo's rules for CRM opportunities.

Deals linked to a contact and/or company, listed by 1-based ``page`` with ``total``.
"""

from __future__ import annotations

from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import int_param, required

FIELDS = ("title", "value", "stage", "contact_id", "company_id", "expected_close_date")


def _find(store: Store, opportunity_id: str) -> JSON:
    return store.get_or_404(store.opportunities, opportunity_id, "Opportunity")


def _check(store: Store, fields: JSON) -> None:
    """400 for a blank title, a non-numeric value, or a contact/company that does not exist."""
    if "title" in fields and not str(fields["title"] or "").strip():
        raise FakeHTTPError(400, "title must not be blank")
    value = fields.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise FakeHTTPError(400, "value must be a number")
    for key, table in (("contact_id", store.contacts), ("company_id", store.companies)):
        ref = fields.get(key)
        if ref is not None and (ref not in table or table[ref].get("deleted_at")):
            raise FakeHTTPError(400, f"{key} does not exist")


def create_opportunity(store: Store, call: Call) -> JSON:
    """A new opportunity (``title`` required; stage defaults to ``lead``; extra keys are kept)."""
    body = call.body
    required(body, "title")
    _check(store, body)
    ts = now_iso()
    record: JSON = {
        **{k: v for k, v in body.items() if k not in FIELDS},
        "id": store.new_id("opp"),
        "title": str(body["title"]).strip(),
        "value": body.get("value", 0),
        "stage": body.get("stage") or "lead",
        "contact_id": body.get("contact_id"),
        "company_id": body.get("company_id"),
        "expected_close_date": body.get("expected_close_date"),
        "created_at": ts,
        "updated_at": ts,
    }
    store.opportunities[record["id"]] = record
    return {"success": True, "opportunity": _view(record)}


def _view(record: JSON) -> JSON:
    # The schema types these as strings/numbers: fields never set are left out, not null.
    return {k: v for k, v in record.items() if v is not None}


def list_opportunities(store: Store, call: Call) -> JSON:
    """One ``page`` (1-based, ``limit`` 50) of opportunities, newest first.

    Filtered by ``search`` (in the title), ``contactId`` and ``companyId``.
    """
    query = call.query
    page = int_param(query, "page", 1)
    limit = min(int_param(query, "limit", 50), store.max_page_size)
    if page < 1 or limit < 1:
        raise FakeHTTPError(400, "page and limit must be at least 1")
    search = (query.get("search") or "").lower()
    wanted: dict[str, Any] = {
        "contact_id": query.get("contactId"),
        "company_id": query.get("companyId"),
    }
    rows = [
        r
        for r in reversed(store.opportunities.values())
        if search in str(r["title"]).lower()
        and all(v is None or r.get(k) == v for k, v in wanted.items())
    ]
    start = (page - 1) * limit
    return {
        "success": True,
        "opportunities": [_view(r) for r in rows[start : start + limit]],
        "total": len(rows),
        "page": page,
        "limit": limit,
    }


def get_opportunity(store: Store, call: Call) -> JSON:
    """One opportunity."""
    return {"success": True, "opportunity": _view(_find(store, call.id))}


def update_opportunity(store: Store, call: Call) -> JSON:
    """Change the fields sent (extra keys are kept too; 400 for none or an invalid one)."""
    record = _find(store, call.id)
    changes = {k: v for k, v in call.body.items() if k not in ("id", "created_at", "updated_at")}
    if not changes:
        raise FakeHTTPError(400, "at least one field to update is required")
    _check(store, changes)
    if "title" in changes:
        changes["title"] = str(changes["title"]).strip()
    record.update(changes, updated_at=now_iso())
    return {"success": True, "opportunity": _view(record)}


def delete_opportunity(store: Store, call: Call) -> JSON:
    """Delete an opportunity."""
    _find(store, call.id)
    del store.opportunities[call.id]
    return {"success": True, "message": "Opportunity deleted successfully"}
