"""Talkturo webhooks: verify signatures on the raw body, parse typed events, receive them.

    from talkturo_async import webhooks

    event = webhooks.construct_call_event(raw_body, headers, PUBLIC_KEY)   # verify, then parse
    if event.event_type == webhooks.CALL_COMPLETED:
        ...

Call events are Ed25519-signed (``cryptography`` needed: ``pip install 'talkturo-async[webhooks]'``);
billing events carry an HMAC in ``X-Signature``. ``call_event_handler`` / ``billing_event_handler``
build aiohttp.web handlers (:class:`WebhookReceiver`) that de-duplicate deliveries in a
:class:`DedupeStore`: in memory (default), in SQLite (one host) or in Redis
(``talkturo_async.redis.RedisDedupeStore``). Nothing here sends HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._errors import WebhookPayloadError, WebhookSignatureError
from .._lazy import first_use
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
    parse_billing_event,
    parse_call_event,
)
from ._verify import (
    DEFAULT_TOLERANCE,
    Headers,
    PublicKey,
    billing_signature,
    check_secrets,
    load_public_key,
    load_public_keys,
    verify_billing_event,
    verify_call_event,
)

if TYPE_CHECKING:
    from ._dedupe import DedupeStore, MemoryDedupeStore, SQLiteDedupeStore
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
    "DedupeStore",
    "MemoryDedupeStore",
    "SQLiteDedupeStore",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookReceiver",
    "WebhookSignatureError",
    "billing_event_handler",
    "billing_signature",
    "call_event_handler",
    "check_secrets",
    "construct_billing_event",
    "construct_call_event",
    "load_public_key",
    "load_public_keys",
    "parse_billing_event",
    "parse_call_event",
    "verify_billing_event",
    "verify_call_event",
]


_LAZY = {
    "WebhookReceiver": "_receiver",  # imports aiohttp.web: only when used
    "DedupeStore": "_dedupe",
    "MemoryDedupeStore": "_dedupe",
    "SQLiteDedupeStore": "_dedupe",
}


if not TYPE_CHECKING:  # see talkturo_async._lazy: type checkers read the imports above instead
    __getattr__ = first_use(__name__, globals(), _LAZY)


def construct_call_event(
    raw_body: bytes,
    headers: Headers,
    public_key: PublicKey | Sequence[PublicKey],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> CallEvent | WebhookEvent:
    """Verify a call webhook (see ``verify_call_event``), then parse it (``parse_call_event``).

    Args:
        raw_body: the request body exactly as received (bytes, never re-serialised JSON).
        headers: the request headers (``Telnyx-Signature-Ed25519``, ``Telnyx-Timestamp``).
        public_key: the Ed25519 public key (base64, 32 raw bytes or PEM), or several during a
            rotation.
        tolerance: how far the timestamp may be from now, in seconds (``None``: not checked).
        now: the current Unix time (default: the clock), for tests.

    Raises:
        WebhookSignatureError: not authentic or out of tolerance.
        WebhookPayloadError: authentic but not a known event shape.
    """
    verify_call_event(raw_body, headers, public_key, tolerance=tolerance, now=now)
    return parse_call_event(raw_body)


def construct_billing_event(
    raw_body: bytes, headers: Headers, secret: str | Sequence[str]
) -> BillingEvent:
    """Verify a billing webhook (``verify_billing_event``), then parse it (``parse_billing_event``).

    Args:
        raw_body: the request body exactly as received.
        headers: the request headers (``X-Signature``).
        secret: the signing secret, or several during a rotation.

    Raises:
        WebhookSignatureError: not authentic.
        WebhookPayloadError: authentic but not a JSON object.
    """
    verify_billing_event(raw_body, headers, secret)
    return parse_billing_event(raw_body)


def call_event_handler(
    on_event: Callable[[CallEvent | WebhookEvent], Awaitable[Any]],
    public_key: PublicKey | Sequence[PublicKey],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    dedupe: int | DedupeStore | None = 10_000,
) -> WebhookReceiver[CallEvent | WebhookEvent]:
    """A receiver for call events in an aiohttp.web app.

    For example::

        async def on_call(event):          # runs after the 200 has been sent
            ...
        receiver = webhooks.call_event_handler(on_call, PUBLIC_KEY)
        app.router.add_post("/talkturo/calls", receiver.handle)
        # on shutdown: await receiver.drain()

    Args:
        on_event: your coroutine, run in the background with each new event.
        public_key: the webhook public key, or a list of them during a rotation.
        tolerance: seconds the signed timestamp may differ from now (``None``: no check).
        dedupe: a :class:`DedupeStore` (share one across processes with ``SQLiteDedupeStore`` or
            ``talkturo_async.redis.RedisDedupeStore``), the size of a per-process memory store,
            or ``0`` to run every delivery. Events are keyed by their id, or by a hash of their
            body when they have none (see :class:`WebhookReceiver`).

    Raises:
        ValueError: no key, a blank key, or a key that is not Ed25519, a negative or NaN
            ``tolerance`` — now, at start-up, not on the first event.
        TypeError: ``tolerance`` is not a number.
        ImportError: ``cryptography`` is not installed.
    """
    from .._config import check_number
    from ._receiver import WebhookReceiver

    check_number("tolerance", tolerance, optional=True, zero=True)
    keys = load_public_keys(public_key)

    def construct(raw: bytes, headers: Headers) -> CallEvent | WebhookEvent:
        return construct_call_event(raw, headers, keys, tolerance=tolerance)

    def key(event: CallEvent | WebhookEvent) -> str | None:
        return None if event.id is None else f"call:{event.id}"

    return WebhookReceiver(construct, on_event, event_key=key, dedupe=dedupe)


def billing_event_handler(
    on_event: Callable[[BillingEvent], Awaitable[Any]],
    secret: str | Sequence[str],
    *,
    dedupe: int | DedupeStore | None = 10_000,
) -> WebhookReceiver[BillingEvent]:
    """A receiver for billing events (HMAC ``X-Signature``); mount ``receiver.handle``.

    Events are keyed by their own id (``meta.event_id``, or a top-level ``id`` as Stripe sends),
    never by ``data.id``, which names the subscription or order every event about it shares;
    without one, by a hash of the body.

    Args:
        on_event: your coroutine, run in the background with each new event.
        secret: the webhook secret, or a list of them during a rotation.
        dedupe: as for :func:`call_event_handler`.

    Raises:
        ValueError: the secret is empty, or a rotation list is empty or has a blank or
            non-string entry — now, at start-up, not as a ``500`` on every event.
    """
    from ._receiver import WebhookReceiver

    secrets = check_secrets(secret)

    def construct(raw: bytes, headers: Headers) -> BillingEvent:
        return construct_billing_event(raw, headers, secrets)

    def key(event: BillingEvent) -> str | None:
        ident = event.meta.get("event_id") or event.raw.get("id")
        return None if ident is None or isinstance(ident, (dict, list)) else f"billing:{ident}"

    return WebhookReceiver(construct, on_event, event_key=key, dedupe=dedupe)
