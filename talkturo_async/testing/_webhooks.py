"""FakeTalkturo's outgoing webhooks: signed call events (Ed25519) and billing events (HMAC).

Events of one call are delivered in order; calls are delivered concurrently. A delivery that
answers non-2xx or times out is retried after each of ``retry_delays``. Every attempt is logged
in ``deliveries`` for assertions. The signing key is derived from the fake's seed.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import uuid
from typing import Any

import aiohttp
import attrs

from ._signing import (
    fake_billing_secret,
    fake_signing_key,
    public_key_of,
    sign_billing_event,
    sign_call_event,
)
from ._store import JSON, now_iso


@attrs.define
class WebhookDelivery:
    """One event's delivery: how many attempts, the last status (0 = no answer), and whether it landed."""

    kind: str
    event_type: str
    event_id: str
    url: str
    attempts: int = 0
    status: int = 0
    delivered: bool = False
    error: str | None = None


class WebhookSender:
    """Signs and delivers the fake's webhooks."""

    def __init__(
        self,
        *,
        seed: int,
        call_url: str | None,
        billing_url: str | None,
        timeout: float,
        retry_delays: tuple[float, ...],
        workers: int = 4,
    ) -> None:
        self.call_url = call_url
        self.billing_url = billing_url
        self.timeout = timeout
        self.retry_delays = retry_delays
        self.billing_secret: str = fake_billing_secret(seed)
        self._seed = seed
        self._key: Any = None
        self._ids = random.Random(f"webhook-ids-{seed}")
        self._workers = workers
        self._queue: asyncio.Queue[list[tuple[str, str, JSON]]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None
        self.deliveries: list[WebhookDelivery] = []

    @property
    def public_key(self) -> str:
        """Base64 of the 32-byte Ed25519 public key receivers verify call events with."""
        return public_key_of(self._signing_key())

    def use_signing_key(self, private_key: Any) -> None:
        """Sign call events with ``private_key`` (an ``Ed25519PrivateKey``) instead of the seed's."""
        self._key = private_key

    def _signing_key(self) -> Any:
        if self._key is None:
            self._key = fake_signing_key(self._seed)
        return self._key

    def sign_call(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        """The headers Talkturo sends with a call event body."""
        return sign_call_event(body, private_key=self._signing_key(), timestamp=timestamp).headers

    def sign_billing(self, body: bytes) -> dict[str, str]:
        """The headers Talkturo sends with a billing event body (hex HMAC-SHA256)."""
        return sign_billing_event(body, secret=self.billing_secret).headers

    async def start(self) -> None:
        if self.call_url is None and self.billing_url is None:
            return
        if self.call_url is not None:
            self._signing_key()  # fail at start-up, not at the first call, without cryptography
        self._session = aiohttp.ClientSession()
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self._workers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def flush(self, timeout: float = 30.0) -> None:
        """Wait until every queued event was delivered or gave up."""
        await asyncio.wait_for(self._queue.join(), timeout)

    def _event_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def call_events(self, campaign: JSON, contact: JSON, call: JSON) -> None:
        """Queue the events of one placed call (from the campaign run)."""
        if self.call_url is None:
            return
        outcome = call["outcome"]
        names = ["call.initiated"]
        if outcome == "answered":
            names += ["call.answered", "call.completed"]
            cause = "normal_clearing"
        elif outcome == "voicemail":
            names += ["call.answered", "call.machine_detection.ended", "call.hangup"]
            cause = "normal_clearing"
        else:
            names += ["call.hangup"]
            cause = {"busy": "user_busy", "no_answer": "timeout"}.get(outcome, "call_rejected")
        state = base64.b64encode(
            json.dumps(
                {"campaign_id": campaign["id"], "campaign_contact_id": call["campaign_contact_id"]}
            ).encode()
        ).decode()
        base_payload = {
            "call_control_id": f"v3:{call['id']}",
            "call_leg_id": f"leg_{call['id']}",
            "call_session_id": f"session_{call['id']}",
            "connection_id": "conn_fake",
            "client_state": state,
            "direction": "outgoing",
            "from": call["from_number"],
            "to": call["to_number"],
            "campaign_id": campaign["id"],
            "contact_id": contact["id"],
        }
        batch: list[tuple[str, str, JSON]] = []
        for name in names:
            payload = dict(base_payload)
            if name in ("call.hangup", "call.completed"):
                payload["hangup_cause"] = cause
                payload["duration_seconds"] = call["duration_seconds"]
            if name == "call.machine_detection.ended":
                payload["result"] = "machine"
            envelope = {
                "data": {
                    "record_type": "event",
                    "event_type": name,
                    "id": self._event_id(),
                    "occurred_at": now_iso(),
                    "payload": payload,
                }
            }
            batch.append(("call", name, envelope))
        self._queue.put_nowait(batch)

    def billing_event(self, event_name: str, data: JSON | None = None) -> str:
        """Queue a billing event (Lemon Squeezy shape); returns its id."""
        if self.billing_url is None:
            raise RuntimeError("FakeTalkturo was started without billing_webhook_url")
        ident = self._event_id()
        body = {
            "meta": {"event_name": event_name, "event_id": ident},
            "data": {"type": "subscriptions", "id": ident, "attributes": data or {}},
        }
        self._queue.put_nowait([("billing", event_name, body)])
        return ident

    async def _work(self) -> None:
        while True:
            batch = await self._queue.get()
            try:
                for kind, name, body in batch:
                    await self._deliver(kind, name, body)
            finally:
                self._queue.task_done()

    async def _deliver(self, kind: str, name: str, body: JSON) -> None:
        url = self.call_url if kind == "call" else self.billing_url
        assert url is not None
        assert self._session is not None
        ident = body["data"]["id"] if kind == "call" else body["meta"]["event_id"]
        record = WebhookDelivery(kind=kind, event_type=name, event_id=ident, url=url)
        self.deliveries.append(record)
        for attempt, delay in enumerate((*self.retry_delays, None)):
            raw = json.dumps(body, separators=(",", ":")).encode()
            headers = self.sign_call(raw) if kind == "call" else self.sign_billing(raw)
            record.attempts = attempt + 1
            try:
                async with self._session.post(
                    url,
                    data=raw,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=self.timeout),
                ) as resp:
                    record.status = resp.status
                    record.error = None if resp.status < 300 else f"HTTP {resp.status}"
                    if 200 <= resp.status < 300:
                        record.delivered = True
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                record.status = 0
                record.error = type(exc).__name__
            if delay is not None:
                await asyncio.sleep(delay)
