"""FakeTalkturo's rules for campaigns.

The status machine, create/update/delete, the dashboard, and runs (each run places the pending
calls, charging 0.1 credit per call).
"""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import int_param, paginate, rename_fields, required
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
STOPPABLE = frozenset({"running", "scheduled"})
RUN_ACTIONS = ("start", "stop")

OUTCOMES = ("answered", "voicemail", "no_answer", "busy")
CALL_COST = 0.1

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


def _find(store: Store, campaign_id: str) -> JSON:
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


def _require_credit(store: Store) -> None:
    if store.credits < 1:
        raise FakeHTTPError(402, "Insufficient credits", balance=store.credits, required=1)


def _set_status(store: Store, campaign: JSON, status: str) -> None:
    """Move along the status machine: 400 for an unknown status, 409 for a forbidden move."""
    current = campaign["status"]
    if status == current:
        return
    if status not in CAMPAIGN_TRANSITIONS:
        raise FakeHTTPError(400, f"unknown status {status!r}")
    if status not in CAMPAIGN_TRANSITIONS[current]:
        raise FakeHTTPError(409, f"cannot change a {current} campaign to {status}")
    if status == "running":
        _require_credit(store)
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
    ids = body.get("fromNumberIds") or []
    if not isinstance(ids, list):
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
    campaign = {
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
    rows = []
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
    return {"success": True, "campaign": _campaign_view(store, _find(store, call.id), full=True)}


def update_campaign(store: Store, call: Call) -> JSON:
    """Change fields or ``status``.

    While running only ``status`` may change (409); pausing a campaign that is not running or
    scheduled (already paused included) is 409.
    """
    campaign = _find(store, call.id)
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
        _set_status(store, campaign, status)
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
    campaign = _find(store, call.id)
    if campaign["status"] not in ("draft", "cancelled"):
        raise FakeHTTPError(
            400, f"only draft or cancelled campaigns can be deleted, not {campaign['status']}"
        )
    campaign["deleted_at"] = now_iso()
    return {"success": True, "message": "Campaign deleted successfully"}


def dashboard(store: Store, call: Call) -> JSON:
    """Counts by status and outcome, the pending and calling queues, and the recent calls."""
    campaign = _find(store, call.id)
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


def run_campaign(store: Store, call: Call) -> JSON:
    """Start or stop a campaign, by ``action``.

    ``start``: start the campaign and place its pending calls (up to ``maxCalls``; ``dryRun`` only
    picks); ``stop``: a running or scheduled campaign becomes ``stopped``.

    Each call gets a seeded outcome and costs 0.1 credit; the campaign completes when nothing is
    left pending, unless ``noAutoComplete``.
    """
    campaign = _find(store, call.id)
    body = call.body
    required(body, "action")
    if body["action"] not in RUN_ACTIONS:
        raise FakeHTTPError(400, "action must be start or stop")
    if body["action"] == "stop":
        return _stop(campaign)
    dry_run = bool(body.get("dryRun", body.get("dry_run", False)))
    max_calls = body.get("maxCalls", body.get("max_calls"))
    if max_calls is not None and (
        not isinstance(max_calls, int) or isinstance(max_calls, bool) or max_calls < 1
    ):
        raise FakeHTTPError(400, "maxCalls must be a positive integer")
    store.check_account_slug(body.get("accountSlug"))
    if campaign["status"] in ("completed", "cancelled"):
        raise FakeHTTPError(409, f"cannot start a {campaign['status']} campaign")
    rows = store.campaign_contacts[call.id]
    pending = [r for r in queue_order(rows) if r["status"] == "pending"]
    picks = pending if max_calls is None else pending[:max_calls]
    if dry_run:
        return {
            "success": True,
            "started": 0,
            "failed": 0,
            "calls": [],
            "errors": [],
            "dryRun": True,
            "picks": [
                {"campaign_contact_id": r["id"], "contact_id": r["contact_id"]} for r in picks
            ],
            "message": f"Dry run: {len(picks)} contacts would be called",
            "status": campaign["status"],
        }
    _require_credit(store)
    if "noAutoComplete" in body or "no_auto_complete" in body:
        campaign["no_auto_complete"] = bool(
            body.get("noAutoComplete", body.get("no_auto_complete"))
        )
    _set_status(store, campaign, "running")
    started, errors, failed = [], [], 0
    for row in picks:
        contact = store.contacts.get(row["contact_id"])
        if contact is None or not contact["phone"]:
            row["status"] = "failed"
            failed += 1
            errors.append(f"{row['id']}: contact has no phone number")
            continue
        if store.credits < CALL_COST:
            errors.append(f"{row['id']}: out of credit")
            failed += 1
            continue
        _place_call(store, campaign, row, contact)
        started.append(
            {
                "campaign_contact_id": row["id"],
                "contact_id": row["contact_id"],
                "status": "initiated",
            }
        )
    if not any(r["status"] == "pending" for r in rows) and not campaign["no_auto_complete"]:
        _set_status(store, campaign, "completed")
    campaign["updated_at"] = now_iso()
    return {
        "success": True,
        "started": len(started),
        "failed": failed,
        "calls": started,
        "errors": errors,
        "dryRun": False,
        "message": f"Started {len(started)} calls",
        "status": campaign["status"],
    }


def _stop(campaign: JSON) -> JSON:
    if campaign["status"] not in STOPPABLE:
        raise FakeHTTPError(409, f"cannot stop a {campaign['status']} campaign")
    campaign.update(status="stopped", updated_at=now_iso())
    return {"success": True, "status": "stopped"}


def _place_call(store: Store, campaign: JSON, row: JSON, contact: JSON) -> None:
    """One call with a seeded outcome: charge it, record it, and tell ``store.on_call``."""
    outcome = store.rng.choices(OUTCOMES, weights=(60, 15, 15, 10))[0]
    duration = store.rng.randint(20, 300) if outcome == "answered" else store.rng.randint(0, 30)
    store.credits = round(store.credits - CALL_COST, 4)
    ts = now_iso()
    row.update(
        status="completed",
        attempts=row["attempts"] + 1,
        outcome=outcome,
        disposition=outcome,
        last_attempt_at=ts,
    )
    placed = {
        "id": store.new_id("call"),
        "campaign_id": campaign["id"],
        "campaign_contact_id": row["id"],
        "contact_id": row["contact_id"],
        "assistant_id": campaign["assistant_id"],
        "from_number": campaign["from_number"],
        "to_number": contact["phone"],
        "outcome": outcome,
        "duration_seconds": duration,
        "ended_at": ts,
    }
    store.calls.append(placed)
    contact["last_contacted_at"] = ts
    if store.on_call is not None:
        store.on_call(campaign, contact, placed)
