"""FakeTalkturo's rules for credits and billing.

Balance, deductions (402 past the balance) with auto-reload, checkouts (completed with
``fake.state.complete_checkout``), pending grants, plans, the transaction history and its monthly
statement, and invoices.
"""

from __future__ import annotations

import uuid
from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import is_object, required

PLANS = (
    {"id": "plan_starter", "name": "Starter", "credits": 1000, "amount_usd": 99},
    {"id": "plan_growth", "name": "Growth", "credits": 5500, "amount_usd": 499},
    {"id": "plan_scale", "name": "Scale", "credits": 12000, "amount_usd": 999},
)
MIN_CUSTOM_AMOUNT = 99


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_account(store: Store, account_id: Any) -> None:
    if account_id is not None and account_id != store.account_id:
        raise FakeHTTPError(403, "this credential may not access that account")


def record_transaction(
    store: Store, kind: str, amount: float, description: str, metadata: JSON | None = None
) -> JSON:
    """Change the balance by ``amount`` and record it in the history."""
    store.credits = round(store.credits + amount, 6)
    if amount > 0:
        store.credits_purchased += amount
    transaction = {
        "id": store.new_uuid(),
        "type": kind,
        "amount": amount,
        "description": description,
        "balance_after": store.credits,
        "metadata": metadata or {},
        "created_at": now_iso(),
    }
    store.credit_transactions.append(transaction)
    return transaction


def _balance(store: Store) -> JSON:
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"credits/{store.account_id}")),
        "account_id": store.account_id,
        "credits": store.credits,
        "total_purchased": store.credits_purchased,
        "total_used": round(store.credits_purchased - store.credits, 6),
        **store.auto_reload,
    }


def get_credits(store: Store, call: Call) -> JSON:
    """The balance of this account (``accountId``, when given, must be it)."""
    _check_account(store, call.query.get("accountId"))
    return {"success": True, "credits": _balance(store)}


def deduct_credits(store: Store, call: Call) -> JSON:
    """Take ``amount`` from the balance (402 when it is short); an auto-reload may follow."""
    body = call.body
    required(body, "accountId", "amount")
    _check_account(store, body["accountId"])
    amount = body["amount"]
    if not _number(amount) or amount <= 0:
        raise FakeHTTPError(400, "amount must be a positive number")
    if body.get("metadata") is not None and not is_object(body["metadata"]):
        raise FakeHTTPError(400, "metadata must be an object")
    if amount > store.credits:
        raise FakeHTTPError(402, "Insufficient credits")
    description = str(body.get("description") or "usage")
    usage = record_transaction(store, "usage", -amount, description, metadata=body.get("metadata"))
    settings = store.auto_reload
    triggered = bool(settings["auto_reload_enabled"]) and (
        store.credits < settings["auto_reload_threshold"]
    )
    if triggered:
        record_transaction(store, "auto_reload", settings["auto_reload_amount_usd"], "auto-reload")
    return {
        "success": True,
        "transactionId": usage["id"],
        "balance": store.credits,
        "autoReloadTriggered": triggered,
    }


def create_checkout(store: Store, call: Call) -> JSON:
    """A pending checkout for a plan or a custom amount (at least 99 USD)."""
    body = call.body
    required(body, "accountId", "accountSlug")
    _check_account(store, body["accountId"])
    store.check_account_slug(body["accountSlug"])
    plan_id = body.get("planId")
    if plan_id is not None:
        plan = next((p for p in PLANS if p["id"] == plan_id), None)
        if plan is None:
            raise FakeHTTPError(400, f"unknown planId {plan_id!r}")
        credits, amount = plan["credits"], plan["amount_usd"]
    else:
        credits, amount = body.get("customCredits"), body.get("customAmount")
        if credits is None or amount is None:
            raise FakeHTTPError(400, "planId or customAmount and customCredits are required")
        if not _number(amount) or not _number(credits) or credits <= 0:
            raise FakeHTTPError(400, "customAmount and customCredits must be positive numbers")
        if amount < MIN_CUSTOM_AMOUNT:
            raise FakeHTTPError(400, f"customAmount must be at least {MIN_CUSTOM_AMOUNT}")
    session_id = "cs_test_" + store.rng.randbytes(12).hex()
    store.checkouts[session_id] = {"credits": credits, "amount": amount, "status": "open"}
    return {
        "success": True,
        "checkoutToken": f"{session_id}_secret_{store.rng.randbytes(8).hex()}",
        "sessionId": session_id,
        "credits": credits,
        "amount": amount,
    }


def complete_checkout(store: Store, session_id: str) -> JSON:
    """What Stripe's payment does: the credits are added and a paid invoice is recorded."""
    checkout = store.checkouts.get(session_id)
    if checkout is None or checkout["status"] != "open":
        raise FakeHTTPError(404, "no open checkout with that session id")
    checkout["status"] = "complete"
    record_transaction(store, "purchase", checkout["credits"], "credit purchase")
    cents = round(checkout["amount"] * 100)
    invoice = {
        "id": "in_" + store.rng.randbytes(10).hex(),
        "status": "paid",
        "currency": "usd",
        "amount_due": cents,
        "amount_paid": cents,
        "created_at": now_iso(),
    }
    store.invoices.append(invoice)
    return invoice


def get_auto_reload(store: Store, call: Call) -> JSON:
    """The auto-reload settings, bare (no ``success`` key)."""
    return dict(store.auto_reload)


def update_auto_reload(store: Store, call: Call) -> JSON:
    """Change the given settings.

    400 for a wrong type, a negative threshold or a reload amount that is not above 0.
    """
    body = call.body
    changes = {k: body[k] for k in store.auto_reload if k in body}
    enabled = changes.get("auto_reload_enabled", False)
    if not isinstance(enabled, bool):
        raise FakeHTTPError(400, "auto_reload_enabled must be a boolean")
    threshold = changes.get("auto_reload_threshold", 0)
    if not _number(threshold) or threshold < 0:
        raise FakeHTTPError(400, "auto_reload_threshold must be a number, 0 or more")
    amount = changes.get("auto_reload_amount_usd", 1)
    if not _number(amount) or amount <= 0:
        raise FakeHTTPError(400, "auto_reload_amount_usd must be a positive number")
    store.auto_reload.update(changes)
    return {"success": True, **store.auto_reload}


def claim_grants(store: Store, call: Call) -> JSON:
    """Apply every pending grant to the balance."""
    grants, store.credit_grants = store.credit_grants, []
    for grant in grants:
        record_transaction(store, "grant", grant["credits"], grant["reason"])
    added = sum(g["credits"] for g in grants)
    return {"success": True, "claimed": len(grants), "credits": added, "balance": store.credits}


def list_plans(store: Store, call: Call) -> JSON:
    """The fixed plans."""
    return {"success": True, "plans": [dict(p) for p in PLANS]}


def list_transactions(store: Store, call: Call) -> JSON:
    """The history, newest first."""
    return {"success": True, "transactions": list(reversed(store.credit_transactions))}


def statement(store: Store, call: Call) -> JSON:
    """The history summed per month (``YYYY-MM``), oldest first."""
    periods: dict[str, JSON] = {}
    for tx in store.credit_transactions:
        month = tx["created_at"][:7]
        row = periods.get(month)
        if row is None:
            opening = round(tx["balance_after"] - tx["amount"], 6)
            row = periods[month] = {
                "period": month,
                "opening_balance": opening,
                "credits_added": 0.0,
                "credits_used": 0.0,
            }
        key = "credits_added" if tx["amount"] > 0 else "credits_used"
        row[key] = round(row[key] + abs(tx["amount"]), 6)
        row["closing_balance"] = tx["balance_after"]
    return {"success": True, "statement": list(periods.values())}


def list_invoices(store: Store, call: Call) -> JSON:
    """The invoices, newest first."""
    return {"success": True, "invoices": list(reversed(store.invoices))}
