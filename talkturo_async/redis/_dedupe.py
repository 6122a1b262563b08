"""Webhook de-duplication shared by every receiver process and host, in Redis (``SET NX`` + TTL)."""

from __future__ import annotations

import uuid

from redis.asyncio import Redis

from .._config import check_number
from ..webhooks._dedupe import DEFAULT_LEASE, DEFAULT_TTL

__all__ = ["RedisDedupeStore"]

# Forget a claim only if it is still ours and still in progress. KEYS: key. ARGV: our token.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisDedupeStore:
    """A :class:`~talkturo_async.webhooks.DedupeStore` in Redis, for receivers on many hosts.

    ``claim`` is one ``SET key <token> NX PX lease`` (atomic: of two processes receiving the same
    event, exactly one runs it); ``done`` overwrites it with ``handled`` for ``ttl``; ``release``
    deletes it only if it is still this process's claim. If Redis fails, the receiver runs the
    event anyway (at least once) and logs a WARNING.

    Args:
        redis: a ``redis.asyncio.Redis`` client (give it socket timeouts).
        prefix: prepended to every key.
        ttl: seconds a handled event is remembered (default a week).
        lease: seconds a claim holds if its worker never reports back (it crashed).

    Raises:
        TypeError: ``ttl`` or ``lease`` is not a number.
        ValueError: ``ttl`` or ``lease`` is not a positive, finite number.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "talkturo:webhook:",
        ttl: float = DEFAULT_TTL,
        lease: float = DEFAULT_LEASE,
    ) -> None:
        check_number("ttl", ttl)
        check_number("lease", lease)
        self.prefix = prefix
        self.ttl = ttl
        self.lease = lease
        self._redis = redis
        self._token = f"running:{uuid.uuid4().hex}"
        self._release = redis.register_script(_RELEASE)

    async def claim(self, key: str) -> bool:
        """Claim ``key`` with ``SET NX`` and a lease (see ``webhooks.DedupeStore.claim``).

        Args:
            key: the event's de-duplication key.
        """
        ms = max(1, round(self.lease * 1000))
        return bool(await self._redis.set(self.prefix + key, self._token, nx=True, px=ms))

    async def done(self, key: str) -> None:
        """Remember ``key`` as handled for ``ttl`` seconds.

        Args:
            key: the event's de-duplication key.
        """
        await self._redis.set(self.prefix + key, "handled", px=max(1, round(self.ttl * 1000)))

    async def release(self, key: str) -> None:
        """Drop this process's claim on ``key`` (never another's), so a redelivery runs again.

        Args:
            key: the event's de-duplication key.
        """
        await self._release(keys=[self.prefix + key], args=[self._token])

    def __repr__(self) -> str:
        return f"RedisDedupeStore(prefix={self.prefix!r})"
