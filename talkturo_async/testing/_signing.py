"""Signed webhook requests for receiver tests: what Talkturo would POST, without running a campaign.

    from talkturo_async.testing import call_event, sign_call_event

    signed = sign_call_event(call_event("call.completed", payload={"hangup_cause": "normal_clearing"}))
    response = await http.post("/talkturo/calls", content=signed.body, headers=signed.headers)
    # the receiver verifies with signed.public_key (the key of FakeTalkturo(seed=0))

Call events carry an Ed25519 signature of ``"<timestamp>|<body>"`` in ``Telnyx-Signature-Ed25519``
(base64) and the Unix timestamp in ``Telnyx-Timestamp``; billing events carry a hex HMAC-SHA256 of
the body in ``X-Signature``. By default the keys are the ones a ``FakeTalkturo(seed=...)`` uses,
so events signed here and events the fake delivers verify with the same key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from ._store import now_iso

__all__ = [
    "BILLING_SIGNATURE_HEADER",
    "CALL_SIGNATURE_HEADER",
    "CALL_TIMESTAMP_HEADER",
    "SignedWebhook",
    "billing_event",
    "call_event",
    "fake_billing_secret",
    "fake_signing_key",
    "sign_billing_event",
    "sign_call_event",
]

CALL_SIGNATURE_HEADER = "Telnyx-Signature-Ed25519"
CALL_TIMESTAMP_HEADER = "Telnyx-Timestamp"
BILLING_SIGNATURE_HEADER = "X-Signature"


@attrs.frozen(kw_only=True)
class SignedWebhook:
    """A webhook request ready to POST: the exact ``body`` bytes and the ``headers`` to send.

    Attributes:
        body: the raw JSON body (send it byte for byte; re-serialising breaks the signature).
        headers: the signature headers and ``Content-Type: application/json``.
        public_key: for a call event, the base64 Ed25519 public key that verifies it.
        secret: for a billing event, the HMAC secret that verifies it.
    """

    body: bytes
    headers: dict[str, str]
    public_key: str | None = None
    secret: str | None = attrs.field(default=None, repr=False)

    def json(self) -> Any:
        """The body, decoded."""
        return json.loads(self.body)


def fake_signing_key(seed: int = 0) -> Any:
    """The Ed25519 private key a ``FakeTalkturo(seed=seed)`` signs call events with.

    Args:
        seed: the fake's seed.

    Raises:
        ImportError: ``cryptography`` is not installed (``pip install 'talkturo-async[webhooks]'``).
    """
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        raise ImportError(
            "signing call webhooks with Ed25519 needs the 'cryptography' package: "
            "pip install 'talkturo-async[webhooks]'"
        ) from None
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"talkturo-fake-webhook-{seed}".encode()).digest()
    )


def fake_billing_secret(seed: int = 0) -> str:
    """The HMAC secret a ``FakeTalkturo(seed=seed)`` signs billing events with.

    Args:
        seed: the fake's seed.
    """
    return "whsec_fake_" + hashlib.sha256(f"billing-{seed}".encode()).hexdigest()[:32]


def public_key_of(private_key: Any) -> str:
    """Base64 of the raw 32-byte Ed25519 public key of ``private_key``."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def call_event(
    event_type: str,
    *,
    payload: Mapping[str, Any] | None = None,
    event_id: str | None = None,
    occurred_at: str | None = None,
) -> dict[str, Any]:
    """A call event envelope in the shape Talkturo sends (``{"data": {"event_type": ..., ...}}``).

    Args:
        event_type: ``call.initiated``, ``call.answered``, ``call.completed``, ``call.hangup``, ...
        payload: the event's ``payload`` fields (``call_control_id``, ``hangup_cause``, ...); the
            ids a receiver usually reads get placeholder values unless given here.
        event_id: the event id (default: a new UUID).
        occurred_at: an ISO-8601 time (default: now).
    """
    body = {
        "call_control_id": "v3:call_test",
        "call_leg_id": "leg_call_test",
        "call_session_id": "session_call_test",
        "direction": "outgoing",
        **(payload or {}),
    }
    return {
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": event_id or str(uuid.uuid4()),
            "occurred_at": occurred_at or now_iso(),
            "payload": body,
        }
    }


def billing_event(
    event_name: str,
    *,
    attributes: Mapping[str, Any] | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A billing event in the shape Talkturo sends (``{"meta": {"event_name": ...}, "data": ...}``).

    Args:
        event_name: ``subscription_created``, ``subscription_updated``, ...
        attributes: the subscription's attributes.
        event_id: the event id (default: a new UUID).
    """
    ident = event_id or str(uuid.uuid4())
    return {
        "meta": {"event_name": event_name, "event_id": ident},
        "data": {"type": "subscriptions", "id": ident, "attributes": dict(attributes or {})},
    }


def _body_bytes(event: Mapping[str, Any] | bytes) -> bytes:
    if isinstance(event, bytes):
        return event
    return json.dumps(event, separators=(",", ":")).encode()


def sign_call_event(
    event: Mapping[str, Any] | bytes,
    *,
    private_key: Any = None,
    seed: int = 0,
    timestamp: int | None = None,
) -> SignedWebhook:
    """Sign a call event as Talkturo does: Ed25519 over ``"<timestamp>|<body>"``.

    The headers are ``Telnyx-Signature-Ed25519`` (base64 signature), ``Telnyx-Timestamp`` (Unix
    seconds) and ``Content-Type``.

    Args:
        event: the event (a mapping, serialised compactly; see :func:`call_event`) or the exact
            body bytes.
        private_key: your own ``cryptography`` ``Ed25519PrivateKey`` (default: the key of
            ``FakeTalkturo(seed=seed)``).
        seed: picks the fake's key when ``private_key`` is not given.
        timestamp: the Unix time to sign with (default: now); an old one tests your tolerance.

    Raises:
        ImportError: ``cryptography`` is not installed.
    """
    key = private_key if private_key is not None else fake_signing_key(seed)
    body = _body_bytes(event)
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = key.sign(ts.encode() + b"|" + body)
    headers = {
        CALL_SIGNATURE_HEADER: base64.b64encode(signature).decode(),
        CALL_TIMESTAMP_HEADER: ts,
        "Content-Type": "application/json",
    }
    return SignedWebhook(body=body, headers=headers, public_key=public_key_of(key))


def sign_billing_event(
    event: Mapping[str, Any] | bytes, *, secret: str | None = None, seed: int = 0
) -> SignedWebhook:
    """Sign a billing event as Talkturo does: hex HMAC-SHA256 of the body in ``X-Signature``.

    Args:
        event: the event (a mapping, serialised compactly; see :func:`billing_event`) or the exact
            body bytes.
        secret: your own signing secret (default: the secret of ``FakeTalkturo(seed=seed)``).
        seed: picks the fake's secret when ``secret`` is not given.

    Raises:
        ValueError: ``secret`` is empty.
    """
    if secret is not None and not secret:
        raise ValueError("secret must be a non-empty string")
    key = secret if secret is not None else fake_billing_secret(seed)
    body = _body_bytes(event)
    digest = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    headers = {BILLING_SIGNATURE_HEADER: digest, "Content-Type": "application/json"}
    return SignedWebhook(body=body, headers=headers, secret=key)
