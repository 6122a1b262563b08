"""Talkturo webhooks: verify signatures on the raw body, parse typed events, receive them.

    from talkturo_async import webhooks

    event = webhooks.construct_call_event(raw_body, headers, PUBLIC_KEY)   # verify, then parse
    if event.event_type == webhooks.CALL_COMPLETED:
        ...

Call events are Ed25519-signed (``cryptography`` needed: ``pip install 'talkturo-async[webhooks]'``);
billing events carry an HMAC in ``X-Signature``. ``call_event_handler`` / ``billing_event_handler``
build aiohttp.web handlers. Nothing here sends HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._events import (
    CALL_ANSWERED,
    CALL_COMPLETED,
    CALL_EVENT_TYPES,
    CALL_HANGUP,
    CALL_INITIATED,
    CALL_MACHINE_DETECTION_ENDED,
    BillingEvent,
    CallEvent,
    WebhookEvent,
    WebhookPayloadError,
    parse_billing_event,
    parse_call_event,
)
from ._verify import (
    DEFAULT_TOLERANCE,
    Headers,
    PublicKey,
    WebhookSignatureError,
    billing_signature,
    load_public_key,
    load_public_keys,
    verify_billing_event,
    verify_call_event,
)

if TYPE_CHECKING:
    from ._receiver import WebhookReceiver

__all__ = [
    "CALL_ANSWERED",
    "CALL_COMPLETED",
    "CALL_EVENT_TYPES",
    "CALL_HANGUP",
    "CALL_INITIATED",
    "CALL_MACHINE_DETECTION_ENDED",
    "BillingEvent",
    "CallEvent",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "billing_event_handler",
    "billing_signature",
    "call_event_handler",
    "construct_billing_event",
    "construct_call_event",
    "load_public_key",
    "load_public_keys",
    "parse_billing_event",
    "parse_call_event",
    "verify_billing_event",
    "verify_call_event",
]


def construct_call_event(
    raw_body: bytes,
    headers: Headers,
    public_key: PublicKey | Sequence[PublicKey],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> CallEvent | WebhookEvent:
    """Verify a call webhook (see ``verify_call_event``), then parse it (``parse_call_event``).

    Raises:
        WebhookSignatureError: not authentic or out of tolerance.
        WebhookPayloadError: authentic but not a known event shape.
    """
    verify_call_event(raw_body, headers, public_key, tolerance=tolerance, now=now)
    return parse_call_event(raw_body)


def construct_billing_event(
    raw_body: bytes, headers: Headers, secret: str | Sequence[str]
) -> BillingEvent:
    """Verify a billing webhook (``verify_billing_event``), then parse it (``parse_billing_event``)."""
    verify_billing_event(raw_body, headers, secret)
    return parse_billing_event(raw_body)


def call_event_handler(
    on_event: Callable[[CallEvent | WebhookEvent], Awaitable[Any]],
    public_key: PublicKey | Sequence[PublicKey],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    dedupe: int = 10_000,
) -> WebhookReceiver[CallEvent | WebhookEvent]:
    """A receiver for call events in an aiohttp.web app::

        async def on_call(event):          # runs after the 200 has been sent
            ...
        receiver = webhooks.call_event_handler(on_call, PUBLIC_KEY)
        app.router.add_post("/talkturo/calls", receiver.handle)
        # on shutdown: await receiver.drain()

    The key is loaded (and checked) now, so a bad key fails at start-up, not on the first event.
    """
    from ._receiver import WebhookReceiver

    keys = load_public_keys(public_key)

    def construct(raw: bytes, headers: Headers) -> CallEvent | WebhookEvent:
        return construct_call_event(raw, headers, keys, tolerance=tolerance)

    return WebhookReceiver(construct, on_event, event_key=lambda e: e.id, dedupe=dedupe)


def billing_event_handler(
    on_event: Callable[[BillingEvent], Awaitable[Any]],
    secret: str | Sequence[str],
    *,
    dedupe: int = 10_000,
) -> WebhookReceiver[BillingEvent]:
    """A receiver for billing events (HMAC ``X-Signature``); mount ``receiver.handle``."""
    from ._receiver import WebhookReceiver

    def construct(raw: bytes, headers: Headers) -> BillingEvent:
        return construct_billing_event(raw, headers, secret)

    def key(event: BillingEvent) -> Any:
        ident = event.raw.get("id") or event.data.get("id")
        return None if ident is None else (event.event_name, ident)

    return WebhookReceiver(construct, on_event, event_key=key, dedupe=dedupe)
