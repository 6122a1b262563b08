"""FakeTalkturo's rules for API-key administration.

Keys created here authenticate (their SHA-256 is kept, never the plaintext) until disabled, expired
or revoked.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, key_hash, now_iso
from ._params import is_list, is_object, required

ENVIRONMENTS = ("live", "test")


def _view(record: JSON) -> JSON:
    return dict(record)


def _find(store: Store, key_id: str) -> JSON:
    return store.get_or_404(store.api_keys, key_id, "API key")


def _permissions(raw: Any) -> JSON:
    if raw is None:
        raw = {}
    if not is_object(raw):
        raise FakeHTTPError(400, "permissions must be an object")
    scopes = raw.get("scopes", ["*"])
    if not is_list(scopes) or not scopes or not all(isinstance(s, str) for s in scopes):
        raise FakeHTTPError(400, "permissions.scopes must be a non-empty list of strings")
    limit = raw.get("rate_limit_per_hour", 1000)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise FakeHTTPError(400, "permissions.rate_limit_per_hour must be a positive integer")
    return {"scopes": scopes, "rate_limit_per_hour": limit}


def list_api_keys(store: Store, call: Call) -> JSON:
    """The account's keys, metadata only."""
    required(call.query, "accountSlug")
    store.check_account_slug(call.query["accountSlug"])
    return {"apiKeys": [_view(k) for k in store.api_keys.values()]}


def create_api_key(store: Store, call: Call) -> JSON:
    """A new key; its plaintext is answered this once as ``fullKey``."""
    body = call.body
    required(body, "accountSlug", "name")
    store.check_account_slug(body["accountSlug"])
    environment = body.get("environment", "live")
    if environment not in ENVIRONMENTS:
        raise FakeHTTPError(400, "environment must be one of: live, test")
    days = body.get("expiresInDays")
    if days is not None and (
        not isinstance(days, (int, float)) or isinstance(days, bool) or days <= 0
    ):
        raise FakeHTTPError(400, "expiresInDays must be a positive number")
    full_key = f"tk_{environment}_{secrets.token_hex(16)}"
    expires = None
    if days is not None:
        when = datetime.now(timezone.utc) + timedelta(days=days)
        expires = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    key_id = store.new_uuid()
    record: JSON = {
        "id": key_id,
        "name": str(body["name"]),
        "description": str(body.get("description") or ""),
        "key_prefix": full_key[: len(f"tk_{environment}_") + 4],
        "permissions": _permissions(body.get("permissions")),
        "last_used_at": None,
        "expires_at": expires,
        "is_active": True,
        "created_at": now_iso(),
        "created_by": store.user_id,
    }
    store.api_keys[key_id] = record
    store.api_key_hashes[key_hash(full_key)] = key_id
    return {"apiKey": {**_view(record), "fullKey": full_key}}


def update_api_key(store: Store, call: Call) -> JSON:
    """Change ``name``, ``description`` or ``isActive`` (the key's value stays)."""
    record = _find(store, call.id)
    body = call.body
    for name in ("name", "description"):
        if name in body and not isinstance(body[name], str):
            raise FakeHTTPError(400, f"{name} must be a string")
    if "isActive" in body and not isinstance(body["isActive"], bool):
        raise FakeHTTPError(400, "isActive must be a boolean")
    record.update({k: body[k] for k in ("name", "description") if k in body})
    if "isActive" in body:
        record["is_active"] = body["isActive"]
    return {"apiKey": _view(record)}


def revoke_api_key(store: Store, call: Call) -> JSON:
    """Delete the key: it no longer authenticates."""
    _find(store, call.id)
    del store.api_keys[call.id]
    store.api_key_hashes = {h: i for h, i in store.api_key_hashes.items() if i != call.id}
    return {"success": True, "message": "API key revoked"}
