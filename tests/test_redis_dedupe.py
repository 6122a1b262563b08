"""RedisDedupeStore against a real redis-server: semantics, and receivers on two "hosts"."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from talkturo_async import webhooks
from tests.redis_server import aredis as aredis
from tests.redis_server import redis_server as redis_server
from tests.redis_server import redis_url as redis_url
from tests.test_webhooks import BODY, Keys

pytest.importorskip("redis")

from talkturo_async.redis import RedisDedupeStore


async def test_claim_done_release_semantics(aredis: Any) -> None:
    """A claim excludes others; release lets the event run again; done makes it a repeat."""
    store = RedisDedupeStore(aredis)
    assert isinstance(store, webhooks.DedupeStore)
    assert await store.claim("a") and not await store.claim("a")
    await store.release("a")
    assert await store.claim("a")
    await store.done("a")
    await store.release("a")  # a late release never forgets a handled event
    assert not await store.claim("a")


async def test_ttl_and_lease_expire(aredis: Any) -> None:
    """Handled events are forgotten after ``ttl``; a crashed worker's claim after ``lease``."""
    store = RedisDedupeStore(aredis, ttl=0.6, lease=0.6)
    assert await store.claim("handled") and await store.claim("crashed")
    await store.done("handled")
    assert not await store.claim("handled") and not await store.claim("crashed")
    await asyncio.sleep(0.8)
    assert await store.claim("handled") and await store.claim("crashed")


async def test_another_process_cannot_release_my_claim(aredis: Any) -> None:
    """release() only forgets this store's own claim, not another process's."""
    mine, theirs = RedisDedupeStore(aredis), RedisDedupeStore(aredis)
    assert await mine.claim("e")
    await theirs.release("e")
    assert not await theirs.claim("e")


async def test_two_receivers_sharing_redis_run_a_redelivery_once(aredis: Any) -> None:
    """The same event delivered to two receiver processes (one Redis) is handled once."""
    keys = Keys()
    ran: list[str] = []

    async def on_call(event: webhooks.CallEvent | webhooks.WebhookEvent) -> None:
        ran.append(str(event.id))

    receivers = [
        webhooks.call_event_handler(on_call, keys.b64, dedupe=RedisDedupeStore(aredis))
        for _ in range(2)
    ]
    runners: list[web.AppRunner] = []
    urls: list[str] = []
    for receiver in receivers:
        app = web.Application()
        app.router.add_post("/calls", receiver.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        urls.append(f"http://127.0.0.1:{runner.addresses[0][1]}/calls")
    try:
        headers = keys.headers(BODY, ts=int(time.time()))
        async with aiohttp.ClientSession() as s:
            answers: list[str] = []
            for url in urls:
                async with s.post(url, data=BODY, headers=headers) as r:
                    answers.append(await r.text())
        for receiver in receivers:
            await receiver.drain()
    finally:
        for runner in runners:
            await runner.cleanup()
    assert answers == ["ok", "ok (repeat)"] and len(ran) == 1
