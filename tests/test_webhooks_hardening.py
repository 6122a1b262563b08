"""Webhooks (issue #11 items 8-11): malformed headers, per-event keys, mark-after-success, secrets."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from talkturo_async import TalkturoError, webhooks
from talkturo_async.webhooks import WebhookPayloadError, WebhookSignatureError
from tests.test_webhooks import BODY, NOW, Keys

SECRET = "whsec_test_secret"
GOOD_SIG = base64.b64encode(b"\0" * 64).decode()

Serve = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start aiohttp apps on loopback; yields a function returning the base URL."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> str:
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield start
    for runner in runners:
        await runner.cleanup()


# -- item 8: malformed, unauthenticated headers are a 400, never a 500 --------------------------

MALFORMED_CALL_HEADERS = [
    pytest.param({"Telnyx-Timestamp": "²"}, id="superscript-two timestamp"),
    pytest.param({"Telnyx-Timestamp": "\u0661\u0667" + "\u0660" * 8}, id="arabic-indic digits"),
    pytest.param({"Telnyx-Timestamp": "9" * 5000}, id="5000-digit timestamp"),
    pytest.param({"Telnyx-Signature-Ed25519": "é" * 88}, id="non-ASCII signature"),
    pytest.param({"Telnyx-Signature-Ed25519": "\udcc3\udca9"}, id="undecodable signature bytes"),
    pytest.param({"Telnyx-Timestamp": "\udcc3\udca9"}, id="undecodable timestamp bytes"),
]


@pytest.mark.parametrize("override", MALFORMED_CALL_HEADERS)
@pytest.mark.parametrize("tolerance", [300, None])
def test_malformed_call_headers_raise_signature_error(
    keys: Keys, override: dict[str, str], tolerance: int | None
) -> None:
    """Odd digits, huge numbers, non-ASCII or undecodable header values are WebhookSignatureError."""
    headers = {**keys.headers(), **override}
    with pytest.raises(WebhookSignatureError):
        webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW, tolerance=tolerance)


@pytest.mark.parametrize("value", ["é" * 64, "sha256=\udcc3\udca9", "\u0663" * 64])
def test_malformed_billing_signature_raises_signature_error(value: str) -> None:
    """A non-ASCII or undecodable X-Signature is a WebhookSignatureError, not a ValueError."""
    with pytest.raises(WebhookSignatureError):
        webhooks.verify_billing_event(b"{}", {"X-Signature": value}, SECRET)


def test_deeply_nested_body_is_a_payload_error() -> None:
    """A body nested past the JSON decoder's recursion limit is WebhookPayloadError."""
    with pytest.raises(WebhookPayloadError):
        webhooks.parse_call_event(b"[" * 100_000)
    with pytest.raises(WebhookPayloadError):
        webhooks.parse_billing_event(b'{"a":' * 100_000)


async def test_receiver_answers_400_to_malformed_headers_without_an_error_log(
    keys: Keys, serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """Anyone can send odd header bytes: the receivers answer 400 and log no ERROR traceback."""
    calls = webhooks.call_event_handler(_never, keys.b64)
    billing = webhooks.billing_event_handler(_never, SECRET)
    app = web.Application()
    app.router.add_post("/calls", calls.handle)
    app.router.add_post("/billing", billing.handle)
    base = await serve(app)
    sent = [
        ("/calls", {**keys.headers(), "Telnyx-Timestamp": "²"}),
        ("/calls", {**keys.headers(), "Telnyx-Timestamp": "9" * 5000}),
        ("/calls", {**keys.headers(), "Telnyx-Signature-Ed25519": "é" * 88}),
        ("/billing", {"X-Signature": "é" * 64}),
    ]
    with caplog.at_level(logging.INFO):
        async with aiohttp.ClientSession() as s:
            for path, headers in sent:
                async with s.post(base + path, data=BODY, headers=headers) as r:
                    assert r.status == 400, (path, headers)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert calls.rejected == 3 and billing.rejected == 1


async def _never(event: Any) -> None:
    raise AssertionError("the handler must not run")


# -- item 9: de-duplication keys are per event ----------------------------------------------------


def flat(event: str, **extra: Any) -> bytes:
    return json.dumps({"event": event, "call_id": "call_abc123", **extra}).encode()


async def post_all(
    base: str, keys: Keys, bodies: list[bytes], path: str = "/calls"
) -> list[tuple[int, str]]:
    answers: list[tuple[int, str]] = []
    async with aiohttp.ClientSession() as s:
        for body in bodies:
            headers = keys.headers(body, ts=int(time.time()))
            async with s.post(base + path, data=body, headers=headers) as r:
                answers.append((r.status, await r.text()))
    return answers


async def test_flat_events_of_one_call_are_not_repeats_of_each_other(
    keys: Keys, serve: Serve
) -> None:
    """call.initiated, call.answered and call.completed sharing a call_id are all handled."""
    got: list[str] = []

    async def on_call(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        got.append(event.event_type)

    receiver = webhooks.call_event_handler(on_call, keys.b64)
    app = web.Application()
    app.router.add_post("/calls", receiver.handle)
    base = await serve(app)
    names = ["call.initiated", "call.answered", "call.completed"]
    answers = await post_all(base, keys, [flat(n) for n in names])
    await receiver.drain()
    assert [a[1] for a in answers] == ["ok", "ok", "ok"]
    assert got == names


async def test_events_without_an_id_are_deduplicated_on_their_exact_body(
    keys: Keys, serve: Serve
) -> None:
    """With no event id, a byte-identical redelivery is a repeat; a different body is not."""
    got: list[Any] = []

    async def on_call(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        got.append(event.payload.get("duration"))

    receiver = webhooks.call_event_handler(on_call, keys.b64)
    app = web.Application()
    app.router.add_post("/calls", receiver.handle)
    base = await serve(app)
    one, two = flat("call.completed", duration=1), flat("call.completed", duration=2)
    answers = await post_all(base, keys, [one, one, two])
    await receiver.drain()
    assert [a[1] for a in answers] == ["ok", "ok (repeat)", "ok"]
    assert got == [1, 2]


def test_flat_form_event_id_is_the_events_own() -> None:
    """In the flat form, ``id`` is the event's own id (never the shared call_id)."""
    event = webhooks.parse_call_event(flat("call.answered", id="evt_1"))
    assert event.id == "evt_1" and event.payload["call_id"] == "call_abc123"
    assert webhooks.parse_call_event(flat("call.answered")).id is None


async def test_billing_events_of_one_subscription_are_not_repeats(serve: Serve) -> None:
    """Two subscription_updated events about one subscription (different event ids) both run."""
    got: list[str] = []

    async def on_billing(event: webhooks.BillingEvent) -> None:
        got.append(event.meta["event_id"])

    receiver = webhooks.billing_event_handler(on_billing, SECRET)
    app = web.Application()
    app.router.add_post("/billing", receiver.handle)
    base = await serve(app)

    def body(event_id: str) -> bytes:
        return json.dumps(
            {
                "meta": {"event_name": "subscription_updated", "event_id": event_id},
                "data": {"type": "subscriptions", "id": "sub_1"},
            }
        ).encode()

    bodies = [body("e1"), body("e2"), body("e1")]
    answers: list[str] = []
    async with aiohttp.ClientSession() as s:
        for b in bodies:
            headers = {"X-Signature": webhooks.billing_signature(b, SECRET)}
            async with s.post(base + "/billing", data=b, headers=headers) as r:
                answers.append(await r.text())
    await receiver.drain()
    assert answers == ["ok", "ok", "ok (repeat)"] and got == ["e1", "e2"]


# -- item 10: seen only after the handler succeeded ----------------------------------------------


async def test_redelivery_after_a_handler_failure_runs_again(
    keys: Keys, serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """A failed handler does not mark the event seen; after a success the event is a repeat."""
    attempts: list[str | None] = []

    async def flaky(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("the CRM was down")

    receiver = webhooks.call_event_handler(flaky, keys.b64)
    app = web.Application()
    app.router.add_post("/calls", receiver.handle)
    base = await serve(app)
    for expected in ("ok", "ok", "ok (repeat)"):
        ((status, text),) = await post_all(base, keys, [BODY])
        await receiver.drain()
        assert (status, text) == (200, expected)
    assert len(attempts) == 2
    assert "the webhook handler failed" in caplog.text


async def test_concurrent_duplicate_is_not_run_twice(keys: Keys, serve: Serve) -> None:
    """A redelivery arriving while the first handler still runs is acknowledged, not run."""
    started, release = asyncio.Event(), asyncio.Event()
    runs = 0

    async def slow(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        nonlocal runs
        runs += 1
        started.set()
        await release.wait()

    receiver = webhooks.call_event_handler(slow, keys.b64)
    app = web.Application()
    app.router.add_post("/calls", receiver.handle)
    base = await serve(app)
    first = await post_all(base, keys, [BODY])
    await started.wait()
    second = await post_all(base, keys, [BODY])
    release.set()
    await receiver.drain()
    assert first == [(200, "ok")] and second == [(200, "ok (repeat)")] and runs == 1


# -- item 11: secrets and keys are checked when the receiver is built -----------------------------


@pytest.mark.parametrize(
    "secret", ["", "   ", ["good-secret", ""], [], ["good-secret", None], b"bytes-secret"]
)
def test_billing_receiver_refuses_bad_secrets_when_built(secret: Any) -> None:
    """An empty or blank secret, an empty rotation list or a non-string is refused at build time."""
    with pytest.raises(ValueError, match="secret"):
        webhooks.billing_event_handler(_never, secret)


@pytest.mark.parametrize("key", [[], "", ["   "]])
def test_call_receiver_refuses_missing_keys_when_built(key: Any) -> None:
    """No public key (or a blank one in a rotation list) is refused at build time."""
    with pytest.raises(ValueError, match="key"):
        webhooks.call_event_handler(_never, key)


def test_verify_billing_checks_secrets_before_headers() -> None:
    """A blank rotation entry is a ValueError even when the request has no signature header."""
    with pytest.raises(ValueError, match="secret"):
        webhooks.verify_billing_event(b"{}", {}, [SECRET, ""])


# -- #9 item 7: one exception tree ------------------------------------------------------------------


def test_webhook_exceptions_join_the_tree_and_receiver_is_exported() -> None:
    """Both webhook exceptions are TalkturoErrors from _errors, re-exported with WebhookReceiver."""
    from talkturo_async import _errors  # pyright: ignore[reportPrivateUsage] - where they live

    assert WebhookSignatureError is _errors.WebhookSignatureError
    assert WebhookPayloadError is _errors.WebhookPayloadError
    assert issubclass(WebhookSignatureError, TalkturoError)
    assert issubclass(WebhookPayloadError, TalkturoError)
    assert "WebhookReceiver" in webhooks.__all__
    from talkturo_async.webhooks._receiver import WebhookReceiver

    assert webhooks.WebhookReceiver is WebhookReceiver
