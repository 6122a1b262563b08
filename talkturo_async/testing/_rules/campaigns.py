"""FakeTalkturo's rules for campaigns.

The status machine, create/update/delete and the dashboard; runs are in ``campaign_runs``.
"""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import int_param, is_list, paginate, rename_fields, required
from .campaign_settings import RETRY_FIELDS, check_retry_settings
from .enrolment import CAMPAIGN_CONTACT_STATUSES, queue_order, row_view
from .phone_numbers import find_number

CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"scheduled", "running", "cancelled"}),
    "scheduled": frozenset({"draft", "running", "paused", "cancelled"}),
    "running": frozenset({"paused", "completed", "cancelled"}),
    "paused": frozenset({"running", "completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
    # reached only through ``POST /run {"action": "stop"}``; a stopped campaign can start again
    "stopped": frozenset({"running", "cancelled"}),
}
OUTCOMES = ("answered", "voicemail", "no_answer", "busy")

CAMPAIGN_FIELDS = {
    "name": "name",
    "description": "description",
    "status": "status",
    "scheduledStartAt": "scheduled_start_at",
    "fromNumber": "from_number",
    "callWindowStart": "call_window_start",
    "callWindowEnd": "call_window_end",
    "callWindowTimezone": "call_window_timezone",
    "maxConcurrentCalls": "max_concurrent_calls",
    "maxAttemptsPerContact": "max_attempts_per_contact",
    "retryDelayMinutes": "retry_delay_minutes",
    "settings": "settings",
    "noAutoComplete": "no_auto_complete",
    **RETRY_FIELDS,
}


def find_campaign(store: Store, campaign_id: str) -> JSON:
    return store.get_or_404(store.campaigns, campaign_id, "Campaign")


def _campaign_view(store: Store, campaign: JSON, *, full: bool = False) -> JSON:
    rows = store.campaign_contacts.get(campaign["id"], [])
    view = {k: v for k, v in campaign.items() if k != "no_auto_complete"}
    view["total_contacts"] = len(rows)
    view["contacts_called"] = sum(1 for r in rows if r["attempts"] > 0)
    view["contacts_completed"] = sum(1 for r in rows if r["status"] in ("completed", "failed"))
    view["contacts_answered"] = sum(1 for r in rows if r["outcome"] == "answered")
    if full:
        assistant = store.assistants.get(campaign["assistant_id"])
        view["assistant"] = {
            "id": campaign["assistant_id"],
            "name": assistant["name"] if assistant else None,
        }
        view["contact_count"] = len(rows)
        view["campaign_contacts"] = [row_view(store, r) for r in queue_order(rows)[:100]]
    return view


def require_credit(store: Store) -> None:
    if store.credits < 1:
        raise FakeHTTPError(402, "Insufficient credits", balance=store.credits, required=1)


def set_status(store: Store, campaign: JSON, status: str) -> None:
    """Move along the status machine: 400 for an unknown status, 409 for a forbidden move."""
    current = campaign["status"]
    if status == current:
        return
    if status not in CAMPAIGN_TRANSITIONS:
        raise FakeHTTPError(400, f"unknown status {status!r}")
    if status not in CAMPAIGN_TRANSITIONS[current]:
        raise FakeHTTPError(409, f"cannot change a {current} campaign to {status}")
    if status == "running":
        require_credit(store)
        campaign["started_at"] = campaign["started_at"] or now_iso()
    if status in ("completed", "cancelled"):
        campaign["completed_at"] = now_iso()
    campaign["status"] = status


def create_campaign(store: Store, call: Call) -> JSON:
    """A ``draft`` campaign (``scheduled`` with ``scheduledStartAt``) for an assistant and company."""
    body = call.body
    required(body, "teamId", "assistantId", "companyId", "name")
    store.check_team_access(body["teamId"])
    if not str(body["name"]).strip():
        raise FakeHTTPError(400, "name must not be blank")
    assistant_id, company_id = body["assistantId"], body["companyId"]
    if assistant_id not in store.assistants:
        raise FakeHTTPError(400, "assistantId does not exist")
    if company_id not in store.companies:
        raise FakeHTTPError(400, "companyId does not exist")
    from_number = None
    ids: object = body.get("fromNumberIds") or []
    if not is_list(ids):
        raise FakeHTTPError(400, "fromNumberIds must be an array")
    for number_id in ids:
        number = find_number(store, number_id) if number_id in store.phone_numbers else None
        if number is None:
            raise FakeHTTPError(400, f"phone number {number_id} does not exist")
        if number["assistant_id"] not in (None, assistant_id):
            raise FakeHTTPError(409, f"phone number {number_id} belongs to another assistant")
        from_number = from_number or number["phone_number"]
    ts = now_iso()
    settings = dict(body.get("settings") or {})
    for key in ("webhookEnabled", "webhookUrl", "webhookEvents"):
        if key in body:
            settings[key] = body[key]
    campaign: JSON = {
        "id": store.new_id("camp"),
        "team_id": body["teamId"],
        "assistant_id": assistant_id,
        "company_id": company_id,
        "name": str(body["name"]).strip(),
        "description": body.get("description"),
        "from_number": from_number,
        "from_number_ids": list(ids),
        "status": "scheduled" if body.get("scheduledStartAt") else "draft",
        "scheduled_start_at": body.get("scheduledStartAt"),
        "started_at": None,
        "completed_at": None,
        "call_window_start": body.get("callWindowStart") or "09:00",
        "call_window_end": body.get("callWindowEnd") or "17:00",
        "call_window_timezone": body.get("callWindowTimezone") or "America/New_York",
        "max_concurrent_calls": body.get("maxConcurrentCalls") or 5,
        "max_attempts_per_contact": body.get("maxAttemptsPerContact") or 3,
        "retry_delay_minutes": body.get("retryDelayMinutes") or 60,
        "settings": settings,
        "no_auto_complete": bool(body.get("noAutoComplete")),
        "created_at": ts,
        "updated_at": ts,
        "deleted_at": None,
    }
    store.campaigns[campaign["id"]] = campaign
    store.campaign_contacts[campaign["id"]] = []
    return {"success": True, "campaign": _campaign_view(store, campaign)}


def list_campaigns(store: Store, call: Call) -> JSON:
    """The team's campaigns by ``status``/``assistantId``; ``deleted`` = exclude, include or only."""
    query = call.query
    required(query, "teamId")
    store.check_team_access(query["teamId"])
    status, assistant = query.get("status"), query.get("assistantId")
    deleted = query.get("deleted") or "exclude"
    if deleted not in ("exclude", "include", "only"):
        raise FakeHTTPError(400, "deleted must be exclude, include or only")
    rows: list[JSON] = []
    for c in store.campaigns.values():
        is_deleted = bool(c["deleted_at"])
        if (deleted == "exclude" and is_deleted) or (deleted == "only" and not is_deleted):
            continue
        if (status and c["status"] != status) or (assistant and c["assistant_id"] != assistant):
            continue
        rows.append(c)
    return paginate(
        rows, query, "campaigns", store.max_page_size, lambda c: _campaign_view(store, c)
    )


def get_campaign(store: Store, call: Call) -> JSON:
    """One campaign with its assistant and first 100 contacts in queue order."""
    return {
        "success": True,
        "campaign": _campaign_view(store, find_campaign(store, call.id), full=True),
    }


def update_campaign(store: Store, call: Call) -> JSON:
    """Change fields or ``status``.

    While running only ``status`` may change (409); pausing a campaign that is not running or
    scheduled (already paused included) is 409.
    """
    campaign = find_campaign(store, call.id)
    changes = rename_fields(call.body, CAMPAIGN_FIELDS)
    if not changes:
        raise FakeHTTPError(400, "at least one field to update is required")
    check_retry_settings(call.body)
    status = changes.pop("status", None)
    if status == "paused" and campaign["status"] == "paused":
        raise FakeHTTPError(409, "the campaign is already paused")
    if campaign["status"] == "running" and changes:
        raise FakeHTTPError(409, "only status can change while a campaign is running")
    if "name" in changes and not str(changes["name"] or "").strip():
        raise FakeHTTPError(400, "name must not be blank")
    if status is not None:
        set_status(store, campaign, status)
    if (
        "scheduled_start_at" in changes
        and not changes["scheduled_start_at"]
        and campaign["status"] == "scheduled"
    ):
        campaign["status"] = "draft"
    if "no_auto_complete" in changes:
        changes["no_auto_complete"] = bool(changes["no_auto_complete"])
    campaign.update(changes, updated_at=now_iso())
    return {"success": True, "campaign": _campaign_view(store, campaign)}


def delete_campaign(store: Store, call: Call) -> JSON:
    """Soft-delete a ``draft`` or ``cancelled`` campaign (400 otherwise)."""
    campaign = find_campaign(store, call.id)
    if campaign["status"] not in ("draft", "cancelled"):
        raise FakeHTTPError(
            400, f"only draft or cancelled campaigns can be deleted, not {campaign['status']}"
        )
    campaign["deleted_at"] = now_iso()
    return {"success": True, "message": "Campaign deleted successfully"}


def dashboard(store: Store, call: Call) -> JSON:
    """Counts by status and outcome, the pending and calling queues, and the recent calls."""
    campaign = find_campaign(store, call.id)
    limits = {}
    for name in ("limitPending", "limitCalling", "limitCalls"):
        value = int_param(call.query, name, 25)
        if not 1 <= value <= 100:
            raise FakeHTTPError(400, f"{name} must be from 1 to 100")
        limits[name] = value
    rows = queue_order(store.campaign_contacts[call.id])
    by_status = dict.fromkeys(CAMPAIGN_CONTACT_STATUSES, 0)
    by_outcome = dict.fromkeys(OUTCOMES, 0)
    for r in rows:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
        if r["outcome"]:
            by_outcome[r["outcome"]] = by_outcome.get(r["outcome"], 0) + 1
    calls = [c for c in store.calls if c["campaign_id"] == call.id]
    view = _campaign_view(store, campaign)
    summary = (
        "id",
        "name",
        "status",
        "total_contacts",
        "contacts_called",
        "contacts_completed",
        "contacts_answered",
    )
    return {
        "success": True,
        "campaign": {k: view[k] for k in summary},
        "counts": {
            "byStatus": by_status,
            "byOutcome": by_outcome,
            "answered": by_outcome["answered"],
            "total": len(rows),
        },
        "queue": {
            "pending": [row_view(store, r) for r in rows if r["status"] == "pending"][
                : limits["limitPending"]
            ],
            "calling": [row_view(store, r) for r in rows if r["status"] == "calling"][
                : limits["limitCalling"]
            ],
        },
        "recentCalls": [
            {
                "id": c["id"],
                "status": "completed",
                "outcome": c["outcome"],
                "contact_id": c["contact_id"],
            }
            for c in reversed(calls)
        ][: limits["limitCalls"]],
    }
