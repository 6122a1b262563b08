"""FakeTalkturo's rules for contacts.

Create (optionally enrolling in a campaign), list with filters, get with campaign history, update,
delete, the bulk import, and seeding without HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import bool_param, is_list, is_object, paginate, rename_fields, required
from .enrolment import ACTIVE_ROW_STATUSES, enrol

CONTACT_FIELDS = {
    "companyId": "company_id",
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "phone": "phone",
    "phoneSecondary": "phone_secondary",
    "jobTitle": "job_title",
    "leadStatus": "lead_status",
    "source": "source",
    "timezone": "timezone",
    "preferredContactMethod": "preferred_contact_method",
    "doNotCall": "do_not_call",
    "notes": "notes",
    "customFields": "custom_fields",
    "tags": "tags",
    "lastContactedAt": "last_contacted_at",
}


def contact_view(store: Store, contact: JSON) -> JSON:
    """A contact as answered: with its company's id and name."""
    company = store.companies.get(contact["company_id"])
    return {
        **contact,
        "company": {"id": company["id"], "name": company["name"]} if company else None,
    }


def check_contact_values(store: Store, fields: JSON) -> None:
    """400 if a (snake_case) field breaks a rule.

    The company must exist, ``do_not_call`` is a boolean, ``tags`` an array.
    """
    if "company_id" in fields:
        if not fields["company_id"]:
            raise FakeHTTPError(400, "companyId must not be empty")
        if fields["company_id"] not in store.companies:
            raise FakeHTTPError(400, "companyId does not exist")
    if "do_not_call" in fields and not isinstance(fields["do_not_call"], bool):
        raise FakeHTTPError(400, "doNotCall must be a boolean")
    if "tags" in fields and fields["tags"] is not None and not is_list(fields["tags"]):
        raise FakeHTTPError(400, "tags must be an array of strings")


def insert_contact(store: Store, team_id: str, fields: JSON, source: str | None = None) -> JSON:
    """Store a new contact from checked snake_case ``fields``; returns the record."""
    ts = now_iso()
    contact: JSON = {
        "id": store.new_id("ct"),
        "team_id": team_id,
        **dict.fromkeys(CONTACT_FIELDS.values()),
        "lead_status": "new",
        "do_not_call": False,
        "source": source,
        **{k: v for k, v in fields.items() if v is not None},
        "created_at": ts,
        "updated_at": ts,
        "created_by": store.account_id,
        "updated_by": store.account_id,
    }
    store.contacts[contact["id"]] = contact
    return contact


def seed_contacts(store: Store, rows: Iterable[Mapping[str, Any]]) -> list[JSON]:
    """Store snake_case rows with the checks ``POST /crm/contacts`` makes, without HTTP.

    Raises:
        ValueError: a row breaks a rule (its index is named); it and later rows are not stored.
    """
    stored: list[JSON] = []
    for index, row in enumerate(rows):
        fields = dict(row)
        team_id = fields.pop("team_id", store.team_id)
        try:
            for name in ("company_id", "first_name", "last_name"):
                if not fields.get(name):
                    raise FakeHTTPError(400, f"{name} is required")
            check_contact_values(store, fields)
        except FakeHTTPError as exc:
            raise ValueError(f"row {index}: {exc.body['error']}") from None
        stored.append(insert_contact(store, team_id, fields))
    return stored


def create_contact(store: Store, call: Call) -> JSON:
    """A new contact; with ``campaignId`` it is also enrolled (409 if the campaign is over)."""
    body = call.body
    required(body, "teamId", "companyId", "firstName", "lastName")
    store.check_team_access(body["teamId"])
    fields = rename_fields(body, CONTACT_FIELDS)
    fields.pop("last_contacted_at", None)
    check_contact_values(store, fields)
    campaign = None
    if body.get("campaignId"):
        campaign = store.get_or_404(store.campaigns, body["campaignId"], "Campaign")
        if campaign["status"] not in ("draft", "scheduled", "paused", "running"):
            raise FakeHTTPError(409, f"cannot enrol contacts in a {campaign['status']} campaign")
    contact = insert_contact(store, body["teamId"], fields)
    answer: JSON = {"success": True, "contact": contact_view(store, contact)}
    if campaign is not None:
        row = enrol(store, campaign, contact, int(body.get("campaignPriority") or 0))
        answer["campaign_enrollment"] = {"campaign_contact_id": row["id"], "status": row["status"]}
    return answer


def list_contacts(store: Store, call: Call) -> JSON:
    """The team's contacts by company, search text, lead status, DNC and having a phone."""
    query = call.query
    required(query, "teamId")
    store.check_team_access(query["teamId"])
    company_id = query.get("companyId")
    search = (query.get("search") or "").lower()
    lead = query.get("leadStatus")
    dnc = bool_param(query, "doNotCall")
    has_phone = bool_param(query, "hasPhone")

    def match(c: JSON) -> bool:
        if company_id and c["company_id"] != company_id:
            return False
        if lead and c["lead_status"] != lead:
            return False
        if dnc is not None and bool(c["do_not_call"]) != dnc:
            return False
        if has_phone is not None and bool(c["phone"]) != has_phone:
            return False
        if search:
            hay = " ".join(str(c[k] or "") for k in ("first_name", "last_name", "email", "phone"))
            return search in hay.lower()
        return True

    filtered = company_id or search or lead or dnc is not None or has_phone is not None
    contacts = store.contacts.values()
    rows = [c for c in contacts if match(c)] if filtered else list(contacts)
    return paginate(rows, query, "contacts", store.max_page_size, lambda c: contact_view(store, c))


def get_contact(store: Store, call: Call) -> JSON:
    """One contact with its campaign history."""
    contact = store.get_or_404(store.contacts, call.id, "Contact")
    history = [
        {
            "campaign_id": cid,
            "campaign_contact_id": r["id"],
            "status": r["status"],
            "outcome": r["outcome"],
        }
        for cid, rows in store.campaign_contacts.items()
        for r in rows
        if r["contact_id"] == call.id
    ]
    view = {
        **contact_view(store, contact),
        "activities": [],
        "opportunities": [],
        "campaign_history": history,
    }
    return {"success": True, "contact": view}


def update_contact(store: Store, call: Call) -> JSON:
    """Change known fields (names may not become empty)."""
    contact = store.get_or_404(store.contacts, call.id, "Contact")
    changes = rename_fields(call.body, CONTACT_FIELDS)
    if not changes:
        raise FakeHTTPError(400, "at least one field to update is required")
    for name in ("first_name", "last_name"):
        if name in changes and not changes[name]:
            raise FakeHTTPError(400, f"{name} must not be empty")
    check_contact_values(store, changes)
    contact.update(changes, updated_at=now_iso())
    return {"success": True, "contact": contact_view(store, contact)}


def delete_contact(store: Store, call: Call) -> JSON:
    """Delete a contact, unless a live campaign still has it to call (400)."""
    store.get_or_404(store.contacts, call.id, "Contact")
    for cid, rows in store.campaign_contacts.items():
        campaign = store.campaigns[cid]
        if campaign["status"] in ("completed", "cancelled") or campaign.get("deleted_at"):
            continue
        if any(r["contact_id"] == call.id and r["status"] in ACTIVE_ROW_STATUSES for r in rows):
            raise FakeHTTPError(
                400, "Cannot delete contact: currently enrolled in active campaigns"
            )
    del store.contacts[call.id]
    return {"success": True, "message": "Contact deleted successfully"}


def import_contacts(store: Store, call: Call) -> JSON:
    """Up to ``max_import_rows`` rows; bad rows are reported by index, the others stored."""
    rows = call.body.get("contacts")
    if not is_list(rows) or not rows:
        raise FakeHTTPError(400, "contacts is required")
    if len(rows) > store.max_import_rows:
        raise FakeHTTPError(400, f"at most {store.max_import_rows} contacts per import")
    team_id = call.body.get("teamId") or store.team_id
    store.check_team_access(team_id)
    imported, errors = 0, list[JSON]()
    for index, row in enumerate(rows):
        try:
            if not is_object(row):
                raise FakeHTTPError(400, "row must be an object")
            required(row, "firstName", "lastName")
            fields = rename_fields(row, CONTACT_FIELDS)
            fields.pop("last_contacted_at", None)
            check_contact_values(store, fields)
        except FakeHTTPError as exc:
            errors.append({"row": index, "error": exc.body["error"]})
            continue
        insert_contact(store, team_id, fields, source=fields.get("source") or "import")
        imported += 1
    return {"success": True, "imported": imported, "failed": len(errors), "errors": errors}
