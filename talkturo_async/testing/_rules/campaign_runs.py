"""FakeTalkturo's rules for campaign runs: each run places the pending calls, 0.1 credit each."""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import required
from .campaigns import OUTCOMES, find_campaign, require_credit, set_status
from .enrolment import queue_order

STOPPABLE = frozenset({"running", "scheduled"})
RUN_ACTIONS = ("start", "stop")
CALL_COST = 0.1


def run_campaign(store: Store, call: Call) -> JSON:
    """Start or stop a campaign, by ``action``.

    ``start``: start the campaign and place its pending calls (up to ``maxCalls``; ``dryRun`` only
    picks); ``stop``: a running or scheduled campaign becomes ``stopped``.

    Each call gets a seeded outcome and costs 0.1 credit; the campaign completes when nothing is
    left pending, unless ``noAutoComplete``.
    """
    campaign = find_campaign(store, call.id)
    body = call.body
    required(body, "action")
    if body["action"] not in RUN_ACTIONS:
        raise FakeHTTPError(400, "action must be start or stop")
    if body["action"] == "stop":
        return _stop(campaign)
    dry_run = bool(body.get("dryRun", body.get("dry_run", False)))
    max_calls = _max_calls(body)
    store.check_account_slug(body.get("accountSlug"))
    if campaign["status"] in ("completed", "cancelled"):
        raise FakeHTTPError(409, f"cannot start a {campaign['status']} campaign")
    rows = store.campaign_contacts[call.id]
    pending = [r for r in queue_order(rows) if r["status"] == "pending"]
    picks = pending if max_calls is None else pending[:max_calls]
    if dry_run:
        return _dry_run(campaign, picks)
    require_credit(store)
    if "noAutoComplete" in body or "no_auto_complete" in body:
        campaign["no_auto_complete"] = bool(
            body.get("noAutoComplete", body.get("no_auto_complete"))
        )
    set_status(store, campaign, "running")
    started, errors, failed = _place_calls(store, campaign, picks)
    if not any(r["status"] == "pending" for r in rows) and not campaign["no_auto_complete"]:
        set_status(store, campaign, "completed")
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


def _max_calls(body: JSON) -> int | None:
    """The run's ``maxCalls`` (either spelling): ``None`` or a positive integer, else 400."""
    max_calls = body.get("maxCalls", body.get("max_calls"))
    if max_calls is not None and (
        not isinstance(max_calls, int) or isinstance(max_calls, bool) or max_calls < 1
    ):
        raise FakeHTTPError(400, "maxCalls must be a positive integer")
    return max_calls


def _dry_run(campaign: JSON, picks: list[JSON]) -> JSON:
    """The answer of a dry run: the contacts that would be called, nothing placed."""
    return {
        "success": True,
        "started": 0,
        "failed": 0,
        "calls": [],
        "errors": [],
        "dryRun": True,
        "picks": [{"campaign_contact_id": r["id"], "contact_id": r["contact_id"]} for r in picks],
        "message": f"Dry run: {len(picks)} contacts would be called",
        "status": campaign["status"],
    }


def _place_calls(
    store: Store, campaign: JSON, picks: list[JSON]
) -> tuple[list[JSON], list[str], int]:
    """Call each picked contact that has a phone while credit lasts: started, errors, failed."""
    started: list[JSON] = []
    errors: list[str] = []
    failed = 0
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
    return started, errors, failed


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
