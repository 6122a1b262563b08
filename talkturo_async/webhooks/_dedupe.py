"""Where a webhook receiver remembers which events it has handled (or is handling right now).

A store answers three calls, keyed by a string unique per event:

- ``claim(key)``: ``True`` if the event may run now (never handled, nobody handling it), and
  marks it *in progress* for at most ``lease`` seconds (so a crashed worker's claim runs out);
- ``done(key)``: the handler succeeded, remember the event as handled for ``ttl`` seconds;
- ``release(key)``: the handler failed, forget the claim so a redelivery runs it again.

:class:`MemoryDedupeStore` (the default) is per process; :class:`SQLiteDedupeStore` is shared by
the processes of one host through a database file; ``talkturo_async.redis.RedisDedupeStore`` by
every process on every host.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import sqlite3
import time
from typing import Protocol, runtime_checkable

from .._config import check_int, check_number

__all__ = ["DedupeStore", "MemoryDedupeStore", "SQLiteDedupeStore"]

DEFAULT_TTL = 7 * 24 * 3600.0
DEFAULT_LEASE = 300.0


@runtime_checkable
class DedupeStore(Protocol):
    """What a :class:`~talkturo_async.webhooks.WebhookReceiver` needs to de-duplicate events."""

    async def claim(self, key: str) -> bool:
        """Mark ``key`` in progress; ``False`` if it was handled already or is in progress.

        Args:
            key: the event's de-duplication key.
        """
        ...

    async def done(self, key: str) -> None:
        """Remember ``key`` as handled (its handler succeeded).

        Args:
            key: the event's de-duplication key.
        """
        ...

    async def release(self, key: str) -> None:
        """Forget the claim on ``key`` (its handler failed), so a redelivery runs again.

        Args:
            key: the event's de-duplication key.
        """
        ...


class MemoryDedupeStore:
    """This process only: the last ``size`` handled keys, and the ones in progress.

    Args:
        size: how many handled keys to remember (the oldest are forgotten first).

    Raises:
        TypeError: ``size`` is not an ``int``.
        ValueError: ``size`` is below 1.
    """

    def __init__(self, size: int = 10_000) -> None:
        check_int("size", size, minimum=1)
        self.size = size
        self._done: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._running: set[str] = set()

    async def claim(self, key: str) -> bool:
        """Mark ``key`` in progress (see :meth:`DedupeStore.claim`).

        Args:
            key: the event's de-duplication key.
        """
        if key in self._done or key in self._running:
            return False
        self._running.add(key)
        return True

    async def done(self, key: str) -> None:
        """Remember ``key`` as handled (see :meth:`DedupeStore.done`).

        Args:
            key: the event's de-duplication key.
        """
        self._running.discard(key)
        self._done[key] = None
        self._done.move_to_end(key)
        while len(self._done) > self.size:
            self._done.popitem(last=False)

    async def release(self, key: str) -> None:
        """Forget the claim on ``key`` (see :meth:`DedupeStore.release`).

        Args:
            key: the event's de-duplication key.
        """
        self._running.discard(key)

    def __repr__(self) -> str:
        return f"MemoryDedupeStore(size={self.size})"


class SQLiteDedupeStore:
    """One host: the processes using the same database file share it (stdlib ``sqlite3``).

    Each call opens the file in a worker thread, so the event loop never waits on the file lock.
    Handled keys are kept ``ttl`` seconds, claims at most ``lease`` seconds; expired rows are
    removed as new events arrive.

    Args:
        path: the database file (created with its table if missing).
        ttl: seconds a handled event is remembered (default a week).
        lease: seconds a claim holds if its worker never reports back (it crashed).
        timeout: seconds to wait for another process's write lock.

    Raises:
        TypeError: ``ttl``, ``lease`` or ``timeout`` is not a number.
        ValueError: ``ttl``, ``lease`` or ``timeout`` is not a positive, finite number.
        sqlite3.Error: the file cannot be opened or created.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        ttl: float = DEFAULT_TTL,
        lease: float = DEFAULT_LEASE,
        timeout: float = 5.0,
    ) -> None:
        check_number("ttl", ttl)
        check_number("lease", lease)
        check_number("timeout", timeout)
        self.path: str = os.fspath(path)
        self.ttl = ttl
        self.lease = lease
        self.timeout = timeout
        with contextlib.closing(self._connect()) as db:  # sqlite3's own "with" does not close
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS talkturo_webhook_events "
                "(key TEXT PRIMARY KEY, done INTEGER NOT NULL, expires REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)

    def _run(self, sql: list[tuple[str, tuple[object, ...]]]) -> int:
        """Run statements in one write transaction; returns the last one's row count."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            count = 0
            for statement, params in sql:
                count = db.execute(statement, params).rowcount
            db.execute("COMMIT")
            return count
        finally:
            db.close()

    async def claim(self, key: str) -> bool:
        """Mark ``key`` in progress (see :meth:`DedupeStore.claim`).

        Args:
            key: the event's de-duplication key.
        """
        now = time.time()
        inserted = await asyncio.to_thread(
            self._run,
            [
                ("DELETE FROM talkturo_webhook_events WHERE expires <= ?", (now,)),
                (
                    "INSERT OR IGNORE INTO talkturo_webhook_events VALUES (?, 0, ?)",
                    (key, now + self.lease),
                ),
            ],
        )
        return inserted == 1

    async def done(self, key: str) -> None:
        """Remember ``key`` as handled (see :meth:`DedupeStore.done`).

        Args:
            key: the event's de-duplication key.
        """
        sql = "INSERT OR REPLACE INTO talkturo_webhook_events VALUES (?, 1, ?)"
        await asyncio.to_thread(self._run, [(sql, (key, time.time() + self.ttl))])

    async def release(self, key: str) -> None:
        """Forget the claim on ``key`` (see :meth:`DedupeStore.release`).

        Args:
            key: the event's de-duplication key.
        """
        sql = "DELETE FROM talkturo_webhook_events WHERE key = ? AND done = 0"
        await asyncio.to_thread(self._run, [(sql, (key,))])

    def __repr__(self) -> str:
        return f"SQLiteDedupeStore({self.path!r})"
