"""Webhooks: signatures on raw bytes, typed events, the aiohttp receiver, and the fake sending them."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from talkturo_async import Talkturo, TalkturoError, webhooks
from talkturo_async.testing import FakeTalkturo
from tests.usage import run_snippet, snippet

NOW = 1_700_000_000
BODY = json.dumps(
    {
        "data": {
            "record_type": "event",
            "event_type": "call.hangup",
            "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
            "occurred_at": "2024-01-15T14:33:00.000Z",
            "payload": {
                "call_control_id": "v3:abc",
                "call_leg_id": "leg",
                "call_session_id": "sess",
                "connection_id": "conn",
                "client_state": "c3RhdGU=",
                "hangup_cause": "normal_clearing",
            },
        }
    },
    separators=(",", ":"),
).encode()


class Keys:
    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.raw = raw
        self.b64 = base64.b64encode(raw).decode()
        self.pem = self.private.public_key().public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
        )

    def headers(self, body: bytes = BODY, ts: int = NOW) -> dict[str, str]:
        sig = self.private.sign(str(ts).encode() + b"|" + body)
        return {
            "Telnyx-Signature-Ed25519": base64.b64encode(sig).decode(),
            "Telnyx-Timestamp": str(ts),
        }


@pytest.fixture
def keys() -> Keys:
    return Keys()


def test_valid_event_verifies_and_parses(keys: Keys) -> None:
    """A correctly signed Telnyx event gives a CallEvent with the payload shortcuts."""
    event = webhooks.construct_call_event(BODY, keys.headers(), keys.b64, now=NOW)
    assert isinstance(event, webhooks.CallEvent) and event.event_type == webhooks.CALL_HANGUP
    assert event.id == "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0" and event.occurred_at.year == 2024  # type: ignore[union-attr]
    assert (event.call_control_id, event.call_leg_id, event.call_session_id) == (
        "v3:abc",
        "leg",
        "sess",
    )
    assert (event.connection_id, event.client_state, event.hangup_cause) == (
        "conn",
        "c3RhdGU=",
        "normal_clearing",
    )
    assert event.raw["data"]["record_type"] == "event"


@pytest.mark.parametrize("form", ["b64", "raw", "pem", "pem_str"])
def test_public_key_forms(keys: Keys, form: str) -> None:
    """The public key may be base64, 32 raw bytes, or a PEM block (bytes or str)."""
    forms: dict[str, str | bytes] = {
        "b64": keys.b64,
        "raw": keys.raw,
        "pem": keys.pem,
        "pem_str": keys.pem.decode(),
    }
    key = forms[form]
    webhooks.verify_call_event(BODY, keys.headers(), key, now=NOW)


def test_tampered_body_rejected(keys: Keys) -> None:
    """One changed byte fails verification."""
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_call_event(
            BODY.replace(b"hangup", b"hangop"), keys.headers(), keys.b64, now=NOW
        )


def test_reserialised_json_rejected(keys: Keys) -> None:
    """Re-serialised JSON (other spacing) fails: verification is on the raw bytes only."""
    reserialised = json.dumps(json.loads(BODY)).encode()
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_call_event(reserialised, keys.headers(), keys.b64, now=NOW)


def test_decoded_text_is_a_type_error(keys: Keys) -> None:
    """Passing a str or dict instead of bytes is refused with advice."""
    with pytest.raises(TypeError, match="raw request body"):
        webhooks.verify_call_event(BODY.decode(), keys.headers(), keys.b64, now=NOW)  # type: ignore[arg-type]


def test_wrong_key_rejected_and_rotation_accepted(keys: Keys) -> None:
    """Another key fails; a list with the old and new key passes."""
    other = Keys()
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_call_event(BODY, keys.headers(), other.b64, now=NOW)
    webhooks.verify_call_event(BODY, keys.headers(), [other.b64, keys.b64], now=NOW)


@pytest.mark.parametrize(("skew", "ok"), [(-299, True), (299, True), (-301, False), (301, False)])
def test_timestamp_tolerance_both_ways(keys: Keys, skew: int, ok: bool) -> None:
    """Stale and future timestamps beyond 300 s are rejected; within it they pass."""
    headers = keys.headers(ts=NOW + skew)
    if ok:
        webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW)
    else:
        with pytest.raises(webhooks.WebhookSignatureError, match="timestamp"):
            webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW)


def test_tolerance_none_and_custom(keys: Keys) -> None:
    """tolerance=None skips the check; a custom tolerance applies."""
    old = keys.headers(ts=NOW - 10_000)
    webhooks.verify_call_event(BODY, old, keys.b64, now=NOW, tolerance=None)
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_call_event(BODY, keys.headers(ts=NOW - 20), keys.b64, now=NOW, tolerance=10)


def test_default_clock_is_now(keys: Keys) -> None:
    """Without now=, the real clock is used."""
    webhooks.verify_call_event(BODY, keys.headers(ts=int(time.time())), keys.b64)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"Telnyx-Signature-Ed25519": None}, "missing Telnyx-Signature-Ed25519"),
        ({"Telnyx-Timestamp": None}, "missing Telnyx-Timestamp"),
        ({"Telnyx-Timestamp": "17e8"}, "not an integer"),
        ({"Telnyx-Signature-Ed25519": "not base64!!"}, "not valid base64"),
        ({"Telnyx-Signature-Ed25519": base64.b64encode(b"x" * 10).decode()}, "10 bytes, not 64"),
    ],
)
def test_missing_or_malformed_headers(
    keys: Keys, change: dict[str, str | None], match: str
) -> None:
    """Each malformed header gets its own clear reason."""
    headers: dict[str, str] = {
        k: v for k, v in {**keys.headers(), **change}.items() if v is not None
    }
    with pytest.raises(webhooks.WebhookSignatureError, match=match):
        webhooks.verify_call_event(BODY, headers, keys.b64, now=NOW)


def test_header_names_any_case_and_pairs(keys: Keys) -> None:
    """Header names match in any case, from a mapping or a list of pairs."""
    lower = {k.lower(): v for k, v in keys.headers().items()}
    upper = [(k.upper(), v) for k, v in keys.headers().items()]
    webhooks.verify_call_event(BODY, lower, keys.b64, now=NOW)
    webhooks.verify_call_event(BODY, upper, keys.b64, now=NOW)


def test_signature_error_is_a_talkturo_error_without_secrets(keys: Keys) -> None:
    """The error is a TalkturoError and never carries the key."""
    with pytest.raises(TalkturoError) as info:
        webhooks.verify_call_event(BODY, keys.headers(), Keys().b64, now=NOW)
    assert keys.b64 not in str(info.value)


def test_bad_public_key_is_value_error() -> None:
    """A key that is not 32 bytes is a ValueError at load time."""
    with pytest.raises(ValueError, match="32 bytes"):
        webhooks.load_public_key(base64.b64encode(b"short").decode())


def test_missing_cryptography_says_how_to_install(
    keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without cryptography the error names the extra to install."""
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
    with pytest.raises(ImportError, match=r"talkturo-async\[webhooks\]"):
        webhooks.verify_call_event(BODY, keys.headers(), keys.b64, now=NOW)


# -- billing ------------------------------------------------------------------------------------

SECRET = "whsec_test_secret"
BILLING = b'{"meta":{"event_name":"subscription_created"},"data":{"type":"subscriptions","id":"1","attributes":{"status":"active"}}}'
DIGEST = hmac.new(SECRET.encode(), BILLING, hashlib.sha256).digest()


@pytest.mark.parametrize(
    "value",
    [
        DIGEST.hex(),
        DIGEST.hex().upper(),
        base64.b64encode(DIGEST).decode(),
        "sha256=" + DIGEST.hex(),
        f"  SHA256={DIGEST.hex()} \n",
    ],
)
def test_billing_signature_forms(value: str) -> None:
    """Hex (any case), base64, a sha256= prefix and surrounding white space are accepted."""
    event = webhooks.construct_billing_event(BILLING, {"x-signature": value}, SECRET)
    assert event.event_name == "subscription_created" and event.data["id"] == "1"


def test_billing_wrong_secret_missing_header_and_rotation() -> None:
    """A wrong secret or no header fails; a list of secrets supports rotation."""
    headers = {"X-Signature": DIGEST.hex()}
    with pytest.raises(webhooks.WebhookSignatureError, match="does not match"):
        webhooks.verify_billing_event(BILLING, headers, "other")
    with pytest.raises(webhooks.WebhookSignatureError, match="missing X-Signature"):
        webhooks.verify_billing_event(BILLING, {}, SECRET)
    webhooks.verify_billing_event(BILLING, headers, ["old", SECRET])
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.verify_billing_event(BILLING + b" ", headers, SECRET)


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"meta": {"event_name": "order_created"}, "data": {"id": "1"}}, "order_created"),
        ({"type": "invoice.paid", "data": {"object": {"id": "in_1"}}}, "invoice.paid"),
        ({"event": "subscription_cancelled"}, "subscription_cancelled"),
        ({"event_type": "credits.low"}, "credits.low"),
    ],
)
def test_billing_event_name_variants(body: dict[str, Any], name: str) -> None:
    """event_name from meta, or a top-level type / event / event_type."""
    assert webhooks.parse_billing_event(json.dumps(body).encode()).event_name == name


# -- parsing variants ---------------------------------------------------------------------------


def test_event_without_data_wrapper() -> None:
    """The same keys at top level (no data wrapper)."""
    event = webhooks.parse_call_event(
        json.dumps(
            {"event_type": "call.answered", "id": "e1", "payload": {"call_control_id": "c"}}
        ).encode()
    )
    assert isinstance(event, webhooks.CallEvent) and event.call_control_id == "c"


def test_flat_legacy_form() -> None:
    """{"event", "call_id", ...}: event_type from event, no event id, call_id kept in payload."""
    body = {
        "event": "call.ended",
        "call_id": "call_abc123",
        "duration": 245,
        "recording_url": "https://x/y.mp3",
    }
    event = webhooks.parse_call_event(json.dumps(body).encode())
    assert isinstance(event, webhooks.CallEvent)
    assert (event.event_type, event.id, event.payload) == (
        "call.ended",
        None,
        {"call_id": "call_abc123", "duration": 245, "recording_url": "https://x/y.mp3"},
    )
    assert event.call_id == "call_abc123"


def test_other_call_names_and_non_call_events() -> None:
    """Unknown call.* names are CallEvents; campaign.* is a generic WebhookEvent."""
    call = webhooks.parse_call_event(b'{"data":{"event_type":"call.transcribed","id":"1"}}')
    camp = webhooks.parse_call_event(
        b'{"data":{"event_type":"campaign.completed","id":"2","occurred_at":"whenever"}}'
    )
    assert type(call) is webhooks.CallEvent and type(camp) is webhooks.WebhookEvent
    assert camp.occurred_at == "whenever"


@pytest.mark.parametrize("body", [b"not json", b"[1,2]", b'{"nothing": 1}'])
def test_unparseable_bodies(body: bytes) -> None:
    """Non-JSON, non-object and nameless bodies raise WebhookPayloadError."""
    with pytest.raises(webhooks.WebhookPayloadError):
        webhooks.parse_call_event(body)


def test_constants() -> None:
    """The five documented call event types are exported."""
    assert {
        "call.initiated",
        "call.answered",
        "call.completed",
        "call.hangup",
        "call.machine_detection.ended",
    } == webhooks.CALL_EVENT_TYPES


# -- receivers over real HTTP -------------------------------------------------------------------


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[web.Application], Awaitable[str]]]:
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


async def test_usage_section_6_receiver(keys: Keys, serve: Any) -> None:
    """USAGE §6's aiohttp handler, as written, answers 200 to a signed event and 400 otherwise."""
    scope = await run_snippet(snippet(6), {"PUBLIC_KEY": keys.b64})
    app = web.Application()
    app.router.add_post("/hook", scope["on_call_event"])
    base = await serve(app)
    body = BODY.replace(b"call.hangup", b"call.completed")
    async with aiohttp.ClientSession() as s:
        async with s.post(
            base + "/hook", data=body, headers=keys.headers(body, ts=int(time.time()))
        ) as r:
            assert r.status == 200
        async with s.post(
            base + "/hook", data=body, headers=Keys().headers(body, ts=int(time.time()))
        ) as r:
            assert r.status == 400


async def test_receiver_answers_fast_dedupes_and_logs_safely(
    keys: Keys, serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The helper answers 200 before a slow handler finishes, skips repeats, answers 400 to forgeries."""
    seen: list[webhooks.CallEvent | webhooks.WebhookEvent] = []

    async def slow(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        await asyncio.sleep(0.5)
        seen.append(event)

    receiver = webhooks.call_event_handler(slow, keys.b64)
    app = web.Application()
    app.router.add_post("/calls", receiver.handle)
    base = await serve(app)
    headers = keys.headers(ts=int(time.time()))
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        async with aiohttp.ClientSession() as s:
            start = time.perf_counter()
            async with s.post(base + "/calls", data=BODY, headers=headers) as r:
                assert r.status == 200
            assert time.perf_counter() - start < 0.3  # well inside Talkturo's 5 s
            async with s.post(base + "/calls", data=BODY, headers=headers) as r:
                assert r.status == 200 and await r.text() == "ok (repeat)"
            async with s.post(base + "/calls", data=BODY + b" ", headers=headers) as r:
                assert r.status == 400
        await receiver.drain()
    assert len(seen) == 1 and receiver.accepted == 1 and receiver.rejected == 1
    assert keys.b64 not in caplog.text and "v3:abc" not in caplog.text  # no key, no body


async def test_receiver_logs_handler_failures(
    keys: Keys, serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """An exception in the user's coroutine is logged; the delivery was already acknowledged."""

    async def broken(event: Any) -> None:
        raise RuntimeError("boom")

    receiver = webhooks.call_event_handler(broken, keys.b64)
    app = web.Application()
    app.router.add_post("/calls", receiver.handle)
    base = await serve(app)
    async with (
        aiohttp.ClientSession() as s,
        s.post(base + "/calls", data=BODY, headers=keys.headers(ts=int(time.time()))) as r,
    ):
        assert r.status == 200
    await receiver.drain()
    assert "the webhook handler failed" in caplog.text


async def test_fake_runs_campaign_and_receiver_gets_verified_events(serve: Any) -> None:
    """End to end: the fake runs a campaign and a receiver built with the helper gets typed, verified events."""
    got: list[webhooks.CallEvent | webhooks.WebhookEvent] = []

    async def on_event(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        got.append(event)

    app = web.Application()
    receiver_holder: dict[str, webhooks.WebhookReceiver[webhooks.CallEvent | webhooks.WebhookEvent]]
    receiver_holder = {}

    async def route(request: web.Request) -> web.StreamResponse:
        return await receiver_holder["r"].handle(request)

    app.router.add_post("/talkturo/calls", route)
    base = await serve(app)
    async with FakeTalkturo(seed=4, webhook_url=base + "/talkturo/calls") as fake:
        receiver_holder["r"] = receiver = webhooks.call_event_handler(
            on_event, fake.webhook_public_key
        )
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            company = await tk.companies.create(team_id=fake.team_id, name="Acme")
            bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
            contacts = [
                await tk.contacts.create(
                    team_id=fake.team_id,
                    company_id=company.id or "",
                    first_name=f"C{i}",
                    last_name="X",
                    phone=f"+1415555{i:04d}",
                )
                for i in range(12)
            ]
            camp = await tk.campaigns.create(
                team_id=fake.team_id,
                assistant_id=bot.id or "",
                company_id=company.id or "",
                name="Q1",
            )
            await tk.campaigns.add_contacts(
                camp.id or "", contact_ids=[c.id or "" for c in contacts]
            )
            await tk.campaigns.start(camp.id or "")
        await fake.flush_webhooks()
        await receiver.drain()
        deliveries = fake.webhook_deliveries
    assert all(d.delivered and d.attempts == 1 for d in deliveries)
    assert all(isinstance(e, webhooks.CallEvent) for e in got)
    by_call: dict[str, list[webhooks.CallEvent]] = {}
    for e in got:
        assert isinstance(e, webhooks.CallEvent) and e.call_control_id
        by_call.setdefault(e.call_control_id, []).append(e)
    expected = {
        "answered": ["call.initiated", "call.answered", "call.completed"],
        "voicemail": [
            "call.initiated",
            "call.answered",
            "call.machine_detection.ended",
            "call.hangup",
        ],
        "no_answer": ["call.initiated", "call.hangup"],
        "busy": ["call.initiated", "call.hangup"],
    }
    assert len(by_call) == len(fake.calls) == 12 and len(got) == len(deliveries)
    for call in fake.calls:
        events = by_call[f"v3:{call['id']}"]
        assert [e.event_type for e in events] == expected[call["outcome"]], call["outcome"]
        assert events[-1].hangup_cause and events[0].payload["to"] == call["to_number"]
    assert len({c["outcome"] for c in fake.calls}) >= 3  # several event sequences were exercised


async def test_fake_retries_failed_deliveries(serve: Any) -> None:
    """A 500 and a timeout are retried with backoff until the receiver takes the event."""
    attempts: dict[str, int] = {}

    async def flaky(request: web.Request) -> web.Response:
        body = await request.read()
        ident = json.loads(body)["data"]["id"]
        attempts[ident] = attempts.get(ident, 0) + 1
        if attempts[ident] == 1:
            return web.Response(status=500)
        if attempts[ident] == 2:
            await asyncio.sleep(0.3)  # past the fake's timeout
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", flaky)
    base = await serve(app)
    async with FakeTalkturo(
        webhook_url=base + "/hook", webhook_timeout=0.1, webhook_retry_delays=(0.01, 0.01, 0.01)
    ) as fake:
        s = fake.state
        company = s.create_company({"teamId": fake.team_id, "name": "A"})["company"]
        contact = s.create_contact(
            {
                "teamId": fake.team_id,
                "companyId": company["id"],
                "firstName": "A",
                "lastName": "B",
                "phone": "+14155550100",
            }
        )["contact"]
        bot = s.create_assistant({"accountSlug": fake.account_slug, "name": "B"})["assistant"]
        camp = s.create_campaign(
            {
                "teamId": fake.team_id,
                "assistantId": bot["id"],
                "companyId": company["id"],
                "name": "C",
            }
        )["campaign"]
        s.add_campaign_contacts(camp["id"], {"contactIds": [contact["id"]]})
        s.run_campaign(camp["id"], {})
        await fake.flush_webhooks()
        deliveries = fake.webhook_deliveries
    assert deliveries and all(d.delivered and d.attempts == 3 for d in deliveries)


async def test_fake_gives_up_after_retries(serve: Any) -> None:
    """A receiver that always fails: the delivery is recorded as not delivered with its last status."""

    async def down(request: web.Request) -> web.Response:
        return web.Response(status=503)

    app = web.Application()
    app.router.add_post("/hook", down)
    base = await serve(app)
    async with FakeTalkturo(
        billing_webhook_url=base + "/hook", webhook_retry_delays=(0.01,)
    ) as fake:
        fake.send_billing_event("subscription_created")
        await fake.flush_webhooks()
        (delivery,) = fake.webhook_deliveries
    assert (delivery.delivered, delivery.attempts, delivery.status) == (False, 2, 503)


async def test_fake_billing_events_verify(serve: Any) -> None:
    """send_billing_event delivers an HMAC-signed event that billing_event_handler accepts."""
    got: list[webhooks.BillingEvent] = []

    async def on_billing(event: webhooks.BillingEvent) -> None:
        got.append(event)

    holder: dict[str, webhooks.WebhookReceiver[webhooks.BillingEvent]] = {}

    async def route(request: web.Request) -> web.StreamResponse:
        return await holder["r"].handle(request)

    app = web.Application()
    app.router.add_post("/billing", route)
    base = await serve(app)
    async with FakeTalkturo(billing_webhook_url=base + "/billing") as fake:
        holder["r"] = receiver = webhooks.billing_event_handler(on_billing, fake.billing_secret)
        ident = fake.send_billing_event("subscription_created", {"status": "active"})
        await fake.flush_webhooks()
        await receiver.drain()
    (event,) = got
    assert event.event_name == "subscription_created" and event.data["id"] == ident
    assert event.data["attributes"] == {"status": "active"}


async def test_import_stays_light() -> None:
    """import talkturo_async loads neither aiohttp, cattrs, tenacity, cryptography, the fake nor webhooks."""
    code = (
        "import sys, talkturo_async; "
        "heavy = [m for m in ('aiohttp', 'cattrs', 'tenacity', 'cryptography', 'rich', 'talkturo_async.testing', 'talkturo_async.webhooks') if m in sys.modules]; "
        "print(heavy)"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    assert out.decode().strip() == "[]"


async def test_readme_fastapi_recipe(keys: Keys) -> None:
    """The README's FastAPI/Starlette recipe answers 200 to a signed event (handled in the background) and 400 to a forgery."""
    import re
    from pathlib import Path

    import httpx

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    block = re.search(r"```python\n(# README recipe: fastapi-webhooks\n.*?)```", readme, re.DOTALL)
    assert block, "the README lost its FastAPI webhook recipe"
    scope: dict[str, Any] = {"PUBLIC_KEY": keys.b64}
    exec(compile(block.group(1), "README.md", "exec"), scope)
    transport = httpx.ASGITransport(app=scope["app"])
    body = BODY.replace(b"call.hangup", b"call.completed")
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
        good = await http.post(
            "/talkturo/calls", content=body, headers=keys.headers(body, ts=int(time.time()))
        )
        bad = await http.post(
            "/talkturo/calls", content=body + b" ", headers=keys.headers(body, ts=int(time.time()))
        )
    assert (good.status_code, bad.status_code) == (200, 400)
    assert [e.event_type for e in scope["handled"]] == ["call.completed"]
