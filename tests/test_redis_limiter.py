"""RedisRateLimiter against a real redis-server: the window bound, fairness, shared pause, failures."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from talkturo_async import RateLimiter, RateLimitError, RetryPolicy, Talkturo
from talkturo_async.testing import FakeTalkturo
from tests.redis_server import RedisServer, free_port
from tests.redis_server import aredis as aredis
from tests.redis_server import redis_server as redis_server
from tests.redis_server import redis_url as redis_url

pytest.importorskip("redis")

from talkturo_async.redis import (
    RateLimiterUnavailableError,
    RedisRateLimiter,
)


@pytest.fixture
async def limiters(redis_url: str) -> AsyncIterator[Any]:
    """Make limiters with their own Redis connections, as separate processes would have."""
    made: list[RedisRateLimiter] = []

    def make(limit: int, window: float, **kw: Any) -> RedisRateLimiter:
        limiter = RedisRateLimiter.from_url(redis_url, limit, window, margin=0, **kw)
        made.append(limiter)
        return limiter

    yield make
    for limiter in made:
        await limiter.aclose()


def max_in_window(stamps: list[float], window: float) -> int:
    """The most stamps in any half-open interval of ``window`` seconds."""
    stamps = sorted(stamps)
    best, lo = 0, 0
    for hi, t in enumerate(stamps):
        while stamps[lo] <= t - window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


async def test_at_most_limit_in_any_window_across_processes(limiters: Any) -> None:
    """Three limiters (own connections) racing for 30 slots never exceed 10 in any 0.5 s."""
    make = limiters
    workers = [make(10, 0.5, name="budget") for _ in range(3)]
    stamps: list[float] = []

    async def worker(limiter: RedisRateLimiter) -> None:
        for _ in range(10):
            await limiter.acquire()
            stamps.append(time.monotonic())

    start = time.monotonic()
    await asyncio.gather(*(worker(w) for w in workers))
    elapsed = time.monotonic() - start
    assert isinstance(workers[0], RateLimiter)
    # Stamps are taken after waking, a few ms late at most: allow that much.
    assert max_in_window(stamps, 0.5 - 0.03) <= 10
    assert 0.95 <= elapsed < 3.0  # 10 now, 10 at +0.5 s, 10 at +1.0 s (slack for a busy machine)


async def test_waiters_are_served_fairly(limiters: Any) -> None:
    """Four workers hammering one budget each get a near-equal share (first come, first served)."""
    make = limiters
    workers = [make(20, 0.4, name="fair") for _ in range(4)]
    counts = [0] * 4
    stop_at = time.monotonic() + 1.3

    async def worker(i: int) -> None:
        while time.monotonic() < stop_at:
            await workers[i].acquire()
            counts[i] += 1

    await asyncio.gather(*(worker(i) for i in range(4)))
    assert sum(counts) >= 60  # 20 at once, then 20 every 0.4 s
    assert min(counts) >= 0.5 * sum(counts) / 4, counts  # nobody starves


async def test_a_pause_in_one_process_holds_the_others(limiters: Any) -> None:
    """pause() on one limiter makes another limiter of the same name wait it out."""
    make = limiters
    a, b = make(100, 1, name="shared"), make(100, 1, name="shared")
    other = make(100, 1, name="another-key")
    await a.pause(0.8)
    start = time.monotonic()
    await other.acquire()
    assert time.monotonic() - start < 0.4  # other names are not paused
    await b.acquire()
    assert time.monotonic() - start >= 0.7
    await a.pause(0.05)
    await a.pause(0.6)  # the longer pause wins, whatever the order
    await a.pause(0.05)
    start = time.monotonic()
    await b.acquire()
    assert time.monotonic() - start >= 0.5


async def test_a_429_in_one_client_pauses_every_client(fake: FakeTalkturo, redis_url: str) -> None:
    """A 429 with Retry-After seen by one client holds the other client's requests too."""
    async with (
        RedisRateLimiter.from_url(redis_url, 1000, name="k") as la,
        RedisRateLimiter.from_url(redis_url, 1000, name="k") as lb,
        Talkturo(
            api_key=fake.api_key,
            base_url=fake.base_url,
            rate_limit=la,
            retry_policy=RetryPolicy(max_retries=0),
        ) as a,
        Talkturo(api_key=fake.api_key, base_url=fake.base_url, rate_limit=lb) as b,
    ):
        fake.fail_next(1, status=429, retry_after=0.5, path="/test-api-key")
        with pytest.raises(RateLimitError):
            await a.auth.test()  # the 429 paused every client sharing the name
        start = time.monotonic()
        await b.companies.list(team_id=fake.team_id).to_list()
        waited = time.monotonic() - start
    assert waited >= 0.3


async def test_cancelled_waiter_gives_its_slot_back(limiters: Any) -> None:
    """A waiter cancelled (e.g. by a deadline) frees its slot for the next one."""
    make = limiters
    a, b, c = (make(1, 1.0, name="cancel") for _ in range(3))
    await a.acquire()  # slot 0
    waiting = asyncio.create_task(b.acquire())  # slot at +1 s
    await asyncio.sleep(0.1)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    start = time.monotonic()
    await c.acquire()  # takes b's slot at +1 s, not the one after it at +2 s
    assert time.monotonic() - start < 1.5


async def test_survives_a_redis_restart(
    limiters: Any, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """After redis-server restarts (connections dropped, scripts gone) acquire just works."""
    make = limiters
    limiter = make(100, 1, name="restart", fail_open=False)
    await limiter.acquire()
    redis_server.restart()
    with caplog.at_level(logging.WARNING, logger="talkturo_async"):
        for _ in range(3):
            await limiter.acquire()
    assert "unreachable" not in caplog.text


async def test_unreachable_redis_fails_open_with_one_warning(
    fake: FakeTalkturo, caplog: pytest.LogCaptureFixture
) -> None:
    """With Redis down, fail_open lets requests go at once and warns once per outage."""
    limiter = RedisRateLimiter.from_url(f"redis://127.0.0.1:{free_port()}/0", 10, timeout=0.5)
    with caplog.at_level(logging.WARNING, logger="talkturo_async"):
        async with (
            limiter,
            Talkturo(api_key=fake.api_key, base_url=fake.base_url, rate_limit=limiter) as tk,
        ):
            start = time.monotonic()
            for _ in range(3):
                await tk.auth.test()
            assert time.monotonic() - start < 2
    assert caplog.text.count("Redis is unreachable") == 1


async def test_unreachable_redis_fails_closed_when_asked(fake: FakeTalkturo) -> None:
    """fail_open=False: the call raises RateLimiterUnavailableError and nothing is sent."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    async with (
        RedisRateLimiter.from_url(url, 10, fail_open=False, timeout=0.5) as limiter,
        Talkturo(api_key=fake.api_key, base_url=fake.base_url, rate_limit=limiter) as tk,
    ):
        with pytest.raises(RateLimiterUnavailableError, match="cannot reach Redis"):
            await tk.auth.test()
    assert fake.requests == []


async def test_a_silent_redis_never_hangs(caplog: pytest.LogCaptureFixture) -> None:
    """A server that accepts connections and never answers costs at most two timeouts."""

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # never answers
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with RedisRateLimiter.from_url(
            f"redis://127.0.0.1:{port}/0", 10, timeout=0.3
        ) as limiter:
            start = time.monotonic()
            await limiter.acquire()
            await limiter.pause(1)  # the local pause still applies
            assert time.monotonic() - start < 2
    finally:
        server.close()
        await server.wait_closed()


def test_arguments_are_checked() -> None:
    """A limit below 1 or a non-positive window is refused when the limiter is built."""
    from redis.asyncio import Redis

    client = Redis()
    for bad in ({"limit": 0}, {"window": 0}, {"margin": -1}, {"timeout": 0}):
        args: dict[str, Any] = {"limit": 10, "window": 1.0, **bad}
        with pytest.raises(ValueError, match=f"^{next(iter(bad))} must "):
            RedisRateLimiter(client, args.pop("limit"), args.pop("window"), **args)


def test_importing_the_sdk_does_not_import_redis() -> None:
    """``import talkturo_async`` (and its webhooks) never loads redis-py."""
    code = (
        "import sys, talkturo_async, talkturo_async.webhooks; "
        "assert not [m for m in sys.modules if m == 'redis' or m.startswith('redis.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
