"""FakeTalkturo's rules for CRM custom fields.

Typed field definitions for contacts, companies and opportunities, with UUID ids; ``select`` fields
carry their ``options``.
"""

from __future__ import annotations

import uuid
from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import is_list, required

FIELD_TYPES = ("text", "number", "date", "select", "boolean")
ENTITY_TYPES = ("contact", "company", "opportunity")


def _find(store: Store, field_id: str) -> JSON:
    return store.get_or_404(store.custom_fields, field_id, "Custom field")


def _check_name(store: Store, name: Any, entity_type: str, own_id: str | None = None) -> str:
    """The trimmed name; 400 if blank or taken by another field of the same entity type."""
    if not isinstance(name, str) or not name.strip():
        raise FakeHTTPError(400, "name must not be blank")
    for other in store.custom_fields.values():
        if (
            other["id"] != own_id
            and other["entity_type"] == entity_type
            and other["name"].lower() == name.strip().lower()
        ):
            raise FakeHTTPError(400, f"a {entity_type} field named {name.strip()!r} exists")
    return name.strip()


def _check_options(field_type: str, options: Any) -> list[str] | None:
    """``options``: a non-empty list of strings for ``select`` fields, absent for the others."""
    if field_type != "select":
        if options is not None:
            raise FakeHTTPError(400, "options apply to select fields only")
        return None
    if not is_list(options) or not options:
        raise FakeHTTPError(400, "options is required for select fields")
    if not all(isinstance(o, str) and o for o in options):
        raise FakeHTTPError(400, "options must be non-empty strings")
    return list(options)


def create_field(store: Store, call: Call) -> JSON:
    """A new field (``name``, ``type`` and ``entity_type`` required; 400 for a bad enum value)."""
    body = call.body
    required(body, "name", "type", "entity_type")
    if body["type"] not in FIELD_TYPES:
        raise FakeHTTPError(400, f"type must be one of {', '.join(FIELD_TYPES)}")
    if body["entity_type"] not in ENTITY_TYPES:
        raise FakeHTTPError(400, f"entity_type must be one of {', '.join(ENTITY_TYPES)}")
    name = _check_name(store, body["name"], body["entity_type"])
    options = _check_options(body["type"], body.get("options"))
    ts = now_iso()
    record: JSON = {
        "id": str(uuid.UUID(int=store.rng.getrandbits(128), version=4)),
        "name": name,
        "type": body["type"],
        "entity_type": body["entity_type"],
        "created_at": ts,
        "updated_at": ts,
    }
    if options is not None:
        record["options"] = options
    store.custom_fields[record["id"]] = record
    return {"success": True, "field": record}


def list_fields(store: Store, call: Call) -> JSON:
    """Every field, oldest first."""
    return {"success": True, "fields": list(store.custom_fields.values())}


def get_field(store: Store, call: Call) -> JSON:
    """One field."""
    return {"success": True, "field": _find(store, call.id)}


def update_field(store: Store, call: Call) -> JSON:
    """Rename a field or replace a select field's ``options`` (its type cannot change)."""
    record = _find(store, call.id)
    body = call.body
    if "name" not in body and "options" not in body:
        raise FakeHTTPError(400, "name or options is required")
    changes: JSON = {}
    if "name" in body:
        changes["name"] = _check_name(store, body["name"], record["entity_type"], record["id"])
    if "options" in body:
        changes["options"] = _check_options(record["type"], body["options"])
    record.update(changes, updated_at=now_iso())
    return {"success": True, "field": record}


def delete_field(store: Store, call: Call) -> JSON:
    """Delete a field."""
    _find(store, call.id)
    del store.custom_fields[call.id]
    return {"success": True, "message": "Custom field deleted successfully"}
