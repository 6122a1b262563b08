"""Typed webhook events and their parsers (REFERENCE §13.7), tolerant of the known shapes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Final, cast

import attrs

from .._errors import WebhookPayloadError
from .._timestamps import parse_timestamp

CALL_INITIATED: Final = "call.initiated"
CALL_ANSWERED: Final = "call.answered"
CALL_COMPLETED: Final = "call.completed"
CALL_HANGUP: Final = "call.hangup"
CALL_MACHINE_DETECTION_ENDED: Final = "call.machine_detection.ended"
CALL_EVENT_TYPES: Final = frozenset(
    {CALL_INITIATED, CALL_ANSWERED, CALL_COMPLETED, CALL_HANGUP, CALL_MACHINE_DETECTION_ENDED}
)


def _empty() -> dict[str, Any]:
    return {}


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """An event that is not a call event (``campaign.started``, ...), in the common shape.

    Attributes:
        event_type: the event name.
        id: the event id (the only candidate de-duplication key).
        occurred_at: when it happened (a string when it is not ISO-8601, ``None`` if absent).
        payload: the event's data.
        raw: the whole decoded body.
    """

    event_type: str
    id: str | None = None
    occurred_at: datetime | str | None = None
    payload: dict[str, Any] = attrs.field(factory=_empty)
    raw: dict[str, Any] = attrs.field(factory=_empty, repr=False)


@attrs.frozen(kw_only=True)
class CallEvent(WebhookEvent):
    """A ``call.*`` event, with shortcuts into ``payload``."""

    def _get(self, key: str) -> str | None:
        value = self.payload.get(key)
        return None if value is None else str(value)

    @property
    def call_id(self) -> str | None:
        """The flat form's ``call_id`` (shared by every event of one call)."""
        return self._get("call_id")

    @property
    def call_control_id(self) -> str | None:
        return self._get("call_control_id")

    @property
    def call_leg_id(self) -> str | None:
        return self._get("call_leg_id")

    @property
    def call_session_id(self) -> str | None:
        return self._get("call_session_id")

    @property
    def connection_id(self) -> str | None:
        return self._get("connection_id")

    @property
    def client_state(self) -> str | None:
        return self._get("client_state")

    @property
    def hangup_cause(self) -> str | None:
        return self._get("hangup_cause")


@attrs.frozen(kw_only=True)
class BillingEvent:
    """A billing event: ``event_name`` (an open string), ``data``, ``meta`` and the ``raw`` body."""

    event_name: str | None
    data: dict[str, Any] = attrs.field(factory=_empty)
    meta: dict[str, Any] = attrs.field(factory=_empty)
    raw: dict[str, Any] = attrs.field(factory=_empty, repr=False)


def _object(value: object) -> dict[str, Any] | None:
    """``value`` if it is a JSON object, else ``None``."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _load(raw_body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError(f"the webhook body is not JSON: {exc}") from None
    except RecursionError:
        raise WebhookPayloadError("the webhook body is nested too deeply") from None
    body = _object(data)
    if body is None:
        raise WebhookPayloadError("the webhook body is not a JSON object")
    return body


def _when(value: Any) -> datetime | str | None:
    if value is None:
        return None
    return parse_timestamp(str(value)) or str(value)


def parse_call_event(raw_body: bytes) -> CallEvent | WebhookEvent:
    """Parse a call webhook body (verify it first, or use ``construct_call_event``).

    Accepts the Telnyx envelope ``{"data": {"event_type", "id", "occurred_at", "payload"}}``,
    the same keys without the ``data`` wrapper, and the flat form ``{"event", "call_id", ...}``
    (whose ``id`` is its own ``id`` or ``event_id`` if it has one, never the call's ``call_id``,
    which stays in ``payload``).
    ``call.*`` names give a :class:`CallEvent`; any other name a :class:`WebhookEvent`.

    Args:
        raw_body: the request body.

    Raises:
        WebhookPayloadError: not a JSON object, or no event name in it.
    """
    raw = _load(raw_body)
    inner = _object(raw.get("data"))
    body = inner if inner is not None and ("event_type" in inner or "payload" in inner) else raw
    name: object
    ident: object
    when: object
    payload: dict[str, Any] | None
    if "event_type" in body:
        name, ident, when = body["event_type"], body.get("id"), body.get("occurred_at")
        payload = _object(body.get("payload"))
    elif "event" in raw:  # the flat form of the first docs drafts
        # Its call_id is shared by every event of the call, so it is not the event's id.
        name, when = raw["event"], raw.get("occurred_at")
        ident = raw.get("id", raw.get("event_id"))
        payload = {
            k: v for k, v in raw.items() if k not in ("event", "id", "event_id", "occurred_at")
        }
    else:
        raise WebhookPayloadError("no event name (event_type or event) in the webhook body")
    cls = CallEvent if str(name).startswith("call.") else WebhookEvent
    return cls(
        event_type=str(name),
        id=None if ident is None else str(ident),
        occurred_at=_when(when),
        payload=payload or {},
        raw=raw,
    )


def parse_billing_event(raw_body: bytes) -> BillingEvent:
    """Parse a billing webhook body.

    The kind is ``meta.event_name`` (Lemon Squeezy), else a top-level ``type`` (Stripe style),
    ``event`` or ``event_type``.

    Args:
        raw_body: the request body.

    Raises:
        WebhookPayloadError: not a JSON object.
    """
    raw = _load(raw_body)
    meta = _object(raw.get("meta")) or {}
    name: object = meta.get("event_name")
    for key in ("type", "event", "event_type"):
        if name is None and isinstance(raw.get(key), str):
            name = raw[key]
    return BillingEvent(
        event_name=None if name is None else str(name),
        data=_object(raw.get("data")) or {},
        meta=meta,
        raw=raw,
    )
