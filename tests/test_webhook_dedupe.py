"""De-duplication stores for the webhook receiver: memory (default) and SQLite (one host)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from talkturo_async import webhooks


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> webhooks.DedupeStore:
    if request.param == "memory":
        return webhooks.MemoryDedupeStore(100)
    return webhooks.SQLiteDedupeStore(tmp_path / "hooks.db")


async def test_claim_done_release_semantics(store: webhooks.DedupeStore) -> None:
    """A claim excludes others; release lets the event run again; done makes it a repeat."""
    assert isinstance(store, webhooks.DedupeStore)
    assert await store.claim("a")
    assert not await store.claim("a")  # in progress
    await store.release("a")
    assert await store.claim("a")  # the handler failed: runs again
    await store.done("a")
    assert not await store.claim("a")  # handled
    await store.release("a")  # a late release never forgets a handled event
    assert not await store.claim("a")
    assert await store.claim("b")


def test_memory_store_forgets_the_oldest_beyond_its_size() -> None:
    """The memory store keeps the last ``size`` handled keys."""

    async def run() -> list[bool]:
        store = webhooks.MemoryDedupeStore(2)
        for key in "abc":
            await store.claim(key)
            await store.done(key)
        return [await store.claim(k) for k in "abc"]

    assert asyncio.run(run()) == [True, False, False]


async def test_sqlite_store_expires_handled_events_and_dead_claims(tmp_path: Path) -> None:
    """After ``ttl`` a handled event runs again; after ``lease`` a crashed worker's claim lapses."""
    store = webhooks.SQLiteDedupeStore(tmp_path / "hooks.db", ttl=0.6, lease=0.6)
    assert await store.claim("handled") and await store.claim("crashed")
    await store.done("handled")
    assert not await store.claim("handled") and not await store.claim("crashed")
    await asyncio.sleep(0.8)
    assert await store.claim("handled") and await store.claim("crashed")


@pytest.mark.parametrize("bad", [{"ttl": 0}, {"lease": -1}, {"timeout": 0}])
def test_sqlite_store_checks_its_arguments(tmp_path: Path, bad: dict[str, float]) -> None:
    """Non-positive durations are refused when the store is built."""
    with pytest.raises(ValueError, match="positive"):
        webhooks.SQLiteDedupeStore(tmp_path / "x.db", **bad)


CLAIMER = """
import asyncio, sys, time
from talkturo_async.webhooks import SQLiteDedupeStore

async def main():
    store = SQLiteDedupeStore(sys.argv[1])
    while time.time() < float(sys.argv[2]):  # start together
        await asyncio.sleep(0.005)
    won = [k for k in range(100) if await store.claim(f"evt-{k}")]
    print(" ".join(map(str, won)))

asyncio.run(main())
"""


def test_sqlite_store_gives_each_event_to_one_process(tmp_path: Path) -> None:
    """Three processes claiming the same 100 events through one file: each is won exactly once."""
    db = tmp_path / "hooks.db"
    webhooks.SQLiteDedupeStore(db)  # create the table once
    start = time.time() + 1.5  # all three started and importing done
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, str(db), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    won = [int(k) for out in outputs for k in out.split()]
    assert sorted(won) == list(range(100))
