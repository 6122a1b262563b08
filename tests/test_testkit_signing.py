"""Signed webhook requests for receiver tests: they verify with the fake's keys or the user's own,
and tampering or staleness is caught by the SDK's verifier."""

from __future__ import annotations

import base64

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from talkturo_async import webhooks
from talkturo_async.testing import (
    BILLING_SIGNATURE_HEADER,
    CALL_SIGNATURE_HEADER,
    CALL_TIMESTAMP_HEADER,
    FakeTalkturo,
    billing_event,
    call_event,
    sign_billing_event,
    sign_call_event,
)


def test_call_event_verifies_with_the_fakes_key() -> None:
    """A call event signed with seed 3 verifies with FakeTalkturo(seed=3).webhook_public_key."""
    event = call_event("call.completed", payload={"hangup_cause": "normal_clearing"})
    signed = sign_call_event(event, seed=3)
    assert signed.public_key == FakeTalkturo(seed=3).webhook_public_key
    assert signed.public_key is not None
    assert set(signed.headers) == {CALL_SIGNATURE_HEADER, CALL_TIMESTAMP_HEADER, "Content-Type"}
    parsed = webhooks.construct_call_event(signed.body, signed.headers, signed.public_key)
    assert parsed.event_type == webhooks.CALL_COMPLETED
    assert parsed.id == event["data"]["id"]
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_call_event(
            signed.body, signed.headers, FakeTalkturo(seed=4).webhook_public_key
        )


def test_call_event_with_your_own_key_and_exact_bytes() -> None:
    """Your own Ed25519 key signs the exact bytes given; a changed body no longer verifies."""
    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    body = b'{"data": {"event_type": "call.initiated", "id": "evt_1", "payload": {}}}'
    signed = sign_call_event(body, private_key=key)
    assert signed.body == body and signed.public_key == public.decode()
    webhooks.verify_call_event(body, signed.headers, public.decode())
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_call_event(body.replace(b"evt_1", b"evt_2"), signed.headers, public)


def test_old_timestamp_is_refused_by_the_tolerance() -> None:
    """timestamp= signs in the past, so a receiver's replay window can be tested."""
    signed = sign_call_event(call_event("call.answered"), timestamp=1_000_000)
    assert signed.headers[CALL_TIMESTAMP_HEADER] == "1000000"
    with pytest.raises(webhooks.WebhookSignatureError, match="old"):
        webhooks.verify_call_event(signed.body, signed.headers, signed.public_key)  # type: ignore[arg-type]


def test_billing_event_verifies_with_the_fakes_secret_or_yours() -> None:
    """Billing events carry a hex HMAC in X-Signature: the fake's secret by default, or yours."""
    event = billing_event("subscription_created", attributes={"status": "active"})
    signed = sign_billing_event(event, seed=2)
    assert signed.secret == FakeTalkturo(seed=2).billing_secret
    assert signed.secret is not None
    assert set(signed.headers) == {BILLING_SIGNATURE_HEADER, "Content-Type"}
    parsed = webhooks.construct_billing_event(signed.body, signed.headers, signed.secret)
    assert parsed.event_name == "subscription_created"
    mine = sign_billing_event(event, secret="whsec_mine")
    webhooks.verify_billing_event(mine.body, mine.headers, "whsec_mine")
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_billing_event(mine.body, mine.headers, signed.secret)
    with pytest.raises(ValueError, match="non-empty"):
        sign_billing_event(event, secret="")


def test_signed_webhook_repr_hides_the_secret() -> None:
    """The secret a SignedWebhook carries is not in its repr."""
    signed = sign_billing_event(billing_event("x"), secret="whsec_topsecret")
    assert "whsec_topsecret" not in repr(signed)
    assert signed.json()["meta"]["event_name"] == "x"


async def test_a_receiver_accepts_signed_and_refuses_forged() -> None:
    """A receiver built with call_event_handler takes a signed event and answers 400 to a forgery."""
    seen: list[str] = []

    async def on_event(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        seen.append(event.event_type)

    signed = sign_call_event(call_event("call.hangup"))
    receiver = webhooks.call_event_handler(on_event, signed.public_key)  # type: ignore[arg-type]
    app = web.Application()
    app.router.add_post("/hooks", receiver.handle)
    async with TestClient(TestServer(app)) as http:
        ok = await http.post("/hooks", data=signed.body, headers=signed.headers)
        forged = await http.post("/hooks", data=signed.body + b" ", headers=signed.headers)
        assert (ok.status, forged.status) == (200, 400)
    await receiver.drain()
    assert seen == ["call.hangup"]
