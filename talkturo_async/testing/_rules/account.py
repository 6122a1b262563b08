"""FakeTalkturo's rules for the key check (``GET /test-api-key``)."""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, Store


def test_api_key(store: Store, call: Call) -> JSON:
    """The key was accepted (the HTTP layer answers 401 before this otherwise)."""
    return {"success": True, "message": "Authentication succeeded"}
