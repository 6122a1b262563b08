"""FakeTalkturo's rules for the contacts of a campaign.

Enrolling them (by id or by audience), the queue order (priority, then enrolment order), and listing
them with status counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store
from ._params import is_list, is_object, paginate

CAMPAIGN_CONTACT_STATUSES = ("pending", "queued", "calling", "completed", "skipped", "failed")

# A contact in one of these is still (to be) called: it may not be deleted.
ACTIVE_ROW_STATUSES = frozenset({"pending", "queued", "calling"})


def queue_order(rows: list[JSON]) -> list[JSON]:
    """Highest priority first; stable, so enrolment order within a priority."""
    return sorted(rows, key=lambda r: -r["priority"])


def enrol(store: Store, campaign: JSON, contact: JSON, priority: int) -> JSON:
    """Add ``contact`` to ``campaign`` as ``pending``; returns the new campaign-contact row."""
    row = {
        "id": store.new_id("cc"),
        "contact_id": contact["id"],
        "status": "pending",
        "priority": priority,
        "attempts": 0,
        "outcome": None,
        "disposition": None,
        "last_attempt_at": None,
        "next_attempt_at": None,
    }
    store.campaign_contacts[campaign["id"]].append(row)
    return row


def row_view(store: Store, row: JSON) -> JSON:
    """A campaign-contact row as answered: with its contact and company summaries."""
    contact = store.contacts.get(row["contact_id"])
    company = store.companies.get(contact["company_id"]) if contact else None
    view = {k: v for k, v in row.items() if k != "contact_id"}
    view["contact"] = (
        {k: contact[k] for k in ("id", "first_name", "last_name", "phone", "email", "company_id")}
        if contact
        else {"id": row["contact_id"]}
    )
    view["company"] = {"id": company["id"], "name": company["name"]} if company else None
    return view


def _by_ids(store: Store, campaign: JSON, ids: object) -> list[JSON | None]:
    """The contacts ``contactIds`` names; ``None`` for an unknown id or another team's contact."""
    if not is_list(ids) or not ids or not all(isinstance(i, str) for i in ids):
        raise FakeHTTPError(400, "contactIds must be a non-empty array of ids")
    return [
        c
        if (c := store.contacts.get(i)) is not None and c["team_id"] == campaign["team_id"]
        else None
        for i in ids
    ]


def _by_audience(store: Store, campaign: JSON, audience: object) -> tuple[list[JSON], bool, bool]:
    """The contacts an ``audience`` filter picks, then its ``hasPhoneOnly`` and ``excludeDnc``."""
    if not is_object(audience) or audience.get("mode") != "all_eligible":
        raise FakeHTTPError(400, "audience.mode must be all_eligible")
    if audience.get("companyId") not in (None, campaign["company_id"]):
        raise FakeHTTPError(400, "audience.companyId must be the campaign's company")
    search = (audience.get("search") or "").lower()
    lead = audience.get("leadStatus")
    max_to_add = min(int(audience.get("maxToAdd") or 50_000), 100_000)
    candidates = [
        c
        for c in store.contacts.values()
        if c["company_id"] == campaign["company_id"]
        and (not lead or lead == "all" or c["lead_status"] == lead)
        and (
            not search or search in f"{c['first_name']} {c['last_name']} {c['email'] or ''}".lower()
        )
    ][:max_to_add]
    return candidates, audience.get("hasPhoneOnly", True), audience.get("excludeDnc", True)


def add_campaign_contacts(store: Store, call: Call) -> JSON:
    """Enrol ``contactIds`` or an ``audience``; DNC, phoneless and enrolled contacts are skipped."""
    campaign = store.get_or_404(store.campaigns, call.id, "Campaign")
    body = call.body
    ids, audience = body.get("contactIds"), body.get("audience")
    if (ids is None) == (audience is None):
        raise FakeHTTPError(400, "exactly one of contactIds or audience is required")
    status = campaign["status"]
    if status not in ("draft", "scheduled", "paused") and not (
        status == "running" and campaign["no_auto_complete"]
    ):
        raise FakeHTTPError(409, f"cannot add contacts to a {status} campaign")
    priority = body.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise FakeHTTPError(400, "priority must be an integer")
    candidates: Sequence[JSON | None]
    if ids is not None:
        candidates = _by_ids(store, campaign, ids)
        has_phone_only = exclude_dnc = True
    else:
        candidates, has_phone_only, exclude_dnc = _by_audience(store, campaign, audience)
    enrolled = {r["contact_id"] for r in store.campaign_contacts[call.id]}
    added = skipped = invalid = 0
    last: JSON | None = None
    for contact in candidates:
        if contact is None:
            invalid += 1
        elif (
            contact["id"] in enrolled
            or (exclude_dnc and contact["do_not_call"])
            or (has_phone_only and not contact["phone"])
        ):
            skipped += 1
        else:
            last = enrol(store, campaign, contact, priority)
            enrolled.add(contact["id"])
            added += 1
    answer: JSON = {
        "success": True,
        "added": added,
        "skipped": skipped,
        "invalid": invalid,
        "message": f"Added {added} contacts ({skipped} skipped, {invalid} invalid)",
    }
    if added == 1 and last is not None:
        answer.update(contact_id=last["contact_id"], campaign_contact_id=last["id"])
    return answer


def list_campaign_contacts(store: Store, call: Call) -> JSON:
    """The campaign's contacts in queue order, optionally by ``status``, with ``statusCounts``."""
    store.get_or_404(store.campaigns, call.id, "Campaign")
    all_rows = queue_order(store.campaign_contacts[call.id])
    status = call.query.get("status")
    rows = [r for r in all_rows if not status or r["status"] == status]
    answer = paginate(
        rows, call.query, "contacts", store.max_page_size, lambda r: row_view(store, r)
    )
    counts = dict.fromkeys(CAMPAIGN_CONTACT_STATUSES, 0)
    for r in all_rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    answer["statusCounts"] = counts
    return answer
