"""Every tolerated variant of the API's answers, in one place.

Talkturo deployments answer the same call in slightly different shapes. The SDK reads them with two
mechanisms, and only these two:

1. **Envelope** (where the payload sits in the body). An :class:`Envelope` names the key that holds
   the payload (``contact``, ``campaigns``, ...), other keys that may hold it instead, and sibling
   keys beside it that belong to the record (``campaign_enrollment`` next to ``contact``). A body
   with no such key falls back to ``data`` (``{"success": true, "data": {...}}``), then to the bare
   body less ``success``. Resources declare one envelope per call; the client and the pager read
   every answer through it.
2. **Record** (how one record is spelled). :data:`RECORD_VARIANTS` maps a model to a function that
   rewrites a tolerated record shape into the model's own, before the converter builds it. The
   converter applies it wherever that model appears: a top-level answer, a list item or a nested
   field. Spelling differences that are only snake_case vs camelCase need no entry: the converter
   reads both.

Models stay plain data; nothing else in the SDK adapts answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .models.auth import AuthCheck
from .models.campaigns import AddContactsResult, CampaignContact
from .models.phone_numbers import AvailableNumber

__all__ = ["BARE", "RECORD_VARIANTS", "Envelope"]

_LIST_META = frozenset({"success", "count", "total", "limit", "offset", "page"})


@attrs.frozen
class Envelope:
    """Where a call's payload sits in the answer body.

    Attributes:
        key: the key holding the payload (``None``: the body itself is the payload).
        also: other keys that may hold it on some servers (``phoneNumbers`` for ``numbers``).
        attach: sibling keys copied into the payload when present beside it.
    """

    key: str | None
    also: tuple[str, ...] = ()
    attach: tuple[str, ...] = ()

    def payload(self, body: Any) -> Any:
        """The record in ``body``: under ``key`` (or ``also``), else ``data``, else the bare body."""
        if not isinstance(body, dict) or self.key is None:
            return body
        for key in (self.key, *self.also, "data"):
            if key in body:
                payload = body[key]
                break
        else:
            return {k: v for k, v in body.items() if k != "success"}
        if self.attach and isinstance(payload, dict):
            extra = {k: body[k] for k in self.attach if k in body and k not in payload}
            if extra:
                payload = {**payload, **extra}
        return payload

    def items(self, body: Any) -> list[Any] | None:
        """The array of a list answer (a bare array, or under ``key``/``also``/``data``)."""
        if isinstance(body, list):
            return body
        if isinstance(body, dict):
            for key in (self.key, *self.also, "data"):
                value = body.get(key) if key is not None else None
                if isinstance(value, list):
                    return value
        return None

    def siblings(self, body: Any) -> dict[str, Any]:
        """Keys beside a list's array other than paging metadata (``statusCounts``, ...)."""
        if not isinstance(body, dict):
            return {}
        skip = {self.key, *self.also, "data"}
        return {k: v for k, v in body.items() if k not in _LIST_META and k not in skip}


BARE = Envelope(None)
"""The whole body is the payload (top-level counts such as ``imported``/``failed``)."""


def _auth_check(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # A 2xx without "success" is a success ("success": false was already raised as an error).
    return record if "success" in record else {"success": True, **record}


def _available_number(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # Newer servers nest prices under "pricing" ({"monthlyUsd", "upfrontUsd"}).
    pricing = record.get("pricing")
    if not isinstance(pricing, dict):
        return record
    flat = dict(record)
    for field, source in (("monthly_price", "monthlyUsd"), ("setup_price", "upfrontUsd")):
        if flat.get(field) is None and pricing.get(source) is not None:
            flat[field] = str(pricing[source])
    return flat


def _campaign_contact(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # Some servers list plain contacts instead of enrolment rows: wrap them.
    if "contact" not in record and ("first_name" in record or "firstName" in record):
        return {"contact": record}
    return record


def _add_contacts_result(record: Mapping[str, Any]) -> Mapping[str, Any]:
    # Some servers list the enrolled contacts instead of counting them.
    if "added" not in record and isinstance(record.get("contacts"), list):
        return {**record, "added": len(record["contacts"])}
    return record


RECORD_VARIANTS: dict[type[Any], Callable[[Mapping[str, Any]], Mapping[str, Any]]] = {
    AuthCheck: _auth_check,
    AvailableNumber: _available_number,
    CampaignContact: _campaign_contact,
    AddContactsResult: _add_contacts_result,
}
"""Model → the function that rewrites a tolerated record shape into the model's own."""
