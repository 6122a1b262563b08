"""A rate limit shared through Redis: a sliding log of send times, one Lua script per step.

Algorithm: a *sliding log with reservations*. The log is a sorted set of send times (Redis server
time, so hosts' clocks do not matter). A request takes the slot ``max(now, t[-limit] + window)``
where ``t[-limit]`` is the ``limit``-th latest slot already given out, and sleeps until it. Every
slot is then at least ``window`` after the slot ``limit`` places before it, which is exactly
*at most ``limit`` sends in any window of ``window`` seconds*, whatever the server's window is
aligned to (a GCRA or fixed window would allow bursts the server's sliding window refuses).
Slots are handed out in the order requests reach Redis, so waiters are served first come, first
served and no worker starves; nobody polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import ConnectionError, TimeoutError

from .._config import check_int, check_number
from .._errors import RateLimiterUnavailableError
from .._ratelimit import PauseGate

__all__ = ["RedisRateLimiter"]

logger = logging.getLogger("talkturo_async")
T = TypeVar("T")

# KEYS: log, pause. ARGV: limit, window seconds, member. Returns {granted, wait in microseconds}.
_RESERVE = """
pcall(redis.replicate_commands)  -- Redis < 7: allow writes after TIME (a no-op since 7)
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return {0, pause * 1000} end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.6f', now - window))
local n = redis.call('ZCARD', KEYS[1])
local at = now
if n >= limit then
  local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  at = math.max(now, tonumber(e[2]) + window)
end
redis.call('ZADD', KEYS[1], string.format('%.6f', at), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil((at - now + window) * 1000) + 1000)
return {1, math.floor((at - now) * 1000000)}
"""

# After sleeping until a slot: if someone paused meanwhile, give the slot back. KEYS: log, pause.
_CONFIRM = """
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return pause
end
return 0
"""

# A longer pause wins; a shorter one never cuts a running pause short. KEYS: pause. ARGV: ms.
_PAUSE = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
"""


class RedisRateLimiter:
    """At most ``limit`` requests in any ``window`` seconds, shared by every process using ``name``.

    Pass it as ``Talkturo(rate_limit=...)`` in every worker, process and host that uses the API
    key. A ``429`` with ``Retry-After`` seen by any of them pauses all of them (a Redis key with
    that expiry, checked by every ``acquire``).

    If Redis cannot be reached (each Redis step is bounded by ``timeout``; one retry on a fresh
    connection), ``fail_open=True`` (the default) lets the request go, logging one WARNING per
    outage: the server's own limit and the client's 429 handling still apply, and work carries
    on. ``fail_open=False`` raises :class:`~talkturo_async.RateLimiterUnavailableError` from
    the call instead. Neither ever hangs.

    Args:
        redis: a ``redis.asyncio.Redis`` client (give it ``socket_timeout`` and
            ``socket_connect_timeout``), or use :meth:`from_url`.
        limit: requests allowed per ``window`` (Talkturo's default key budget is 1000 an hour).
        window: the window in seconds.
        name: the budget's name; processes with the same Redis and name share one budget. Use
            one name per API key.
        margin: seconds added to the window, to absorb the delay between taking a slot and the
            request reaching the server (a request delayed past its slot could otherwise land
            in the server's window together with the next ``limit``). Default: 5 % of the
            window, at most 1 s (0.5 s for 300 per 10 s; 1 s, 0.03 %, for an hour).
        fail_open: what to do when Redis is unreachable (see above).
        timeout: seconds each Redis step may take.

    Raises:
        TypeError: ``limit`` is not an ``int``, or ``window``, ``margin`` or ``timeout`` not a
            number (the message names it).
        ValueError: ``limit`` is below 1, or ``window``, ``margin`` or ``timeout`` is not a
            positive, finite number (``margin`` may be 0).
    """

    def __init__(
        self,
        redis: Redis,
        limit: int,
        window: float = 3600.0,
        *,
        name: str = "talkturo",
        margin: float | None = None,
        fail_open: bool = True,
        timeout: float = 2.0,
    ) -> None:
        check_int("limit", limit, minimum=1)
        check_number("window", window)
        check_number("margin", margin, optional=True, zero=True)
        check_number("timeout", timeout)
        if margin is None:
            margin = min(1.0, window / 20)
        self.limit = limit
        self.window: float = float(window)
        self.margin: float = float(margin)
        self.name = name
        self.fail_open = fail_open
        self.timeout = timeout
        self._redis = redis
        self._owned = False
        # One hash tag, so both keys live in one Redis Cluster slot.
        self._log_key = f"{{talkturo:{name}}}:log"
        self._pause_key = f"{{talkturo:{name}}}:pause"
        # Scripts called with keys= and args=; redis-py's own hints leave their answers unknown.
        self._reserve: Callable[..., Awaitable[Any]] = redis.register_script(_RESERVE)
        self._confirm: Callable[..., Awaitable[Any]] = redis.register_script(_CONFIRM)
        self._pause: Callable[..., Awaitable[Any]] = redis.register_script(_PAUSE)
        self._me = uuid.uuid4().hex[:12]
        self._seq = itertools.count()
        self._local = PauseGate()  # still honoured while Redis is down
        self._degraded = False

    @classmethod
    def from_url(
        cls, url: str, limit: int, window: float = 3600.0, **kwargs: Any
    ) -> RedisRateLimiter:
        """A limiter with its own Redis client (bounded socket timeouts); close it with :meth:`aclose`.

        Args:
            url: a ``redis://`` or ``rediss://`` URL.
            limit: requests per ``window``.
            window: seconds.
            **kwargs: the keyword arguments of the constructor (``name``, ``margin``, ...).

        Raises:
            ValueError: as the constructor.
        """
        timeout = float(kwargs.get("timeout", 2.0))
        client: Redis = Redis.from_url(  # pyright: ignore[reportUnknownMemberType] - redis-py's hints
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        limiter = cls(client, limit, window, **kwargs)
        limiter._owned = True
        return limiter

    async def _step(self, call: Awaitable[T]) -> T:
        return await asyncio.wait_for(call, self.timeout)

    async def _redis_call(self, make: Callable[[], Awaitable[Any]]) -> Any:
        """Run one Redis step, retried once on a fresh connection; ``None`` when failing open."""
        failures = (ConnectionError, TimeoutError, OSError, asyncio.TimeoutError)
        for attempt in (1, 2):
            try:
                result = await self._step(make())
            except failures as exc:
                if attempt == 1:
                    continue
                return self._unavailable(exc)
            if self._degraded:
                self._degraded = False
                logger.warning("Redis is reachable again; rate limit %r is shared again", self.name)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _unavailable(self, exc: BaseException) -> None:
        """Raise when failing closed; otherwise warn once per outage (the step's result is None)."""
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if not self.fail_open:
            raise RateLimiterUnavailableError(
                f"the shared rate limit {self.name!r} cannot reach Redis ({reason})"
            ) from exc
        if not self._degraded:
            self._degraded = True
            logger.warning(
                "Redis is unreachable (%s): requests go out without the shared rate limit %r "
                "until it is back (fail_open=True)",
                reason,
                self.name,
            )

    async def acquire(self) -> None:
        """Wait for a slot in the shared budget (and for any shared pause to end).

        Raises:
            RateLimiterUnavailableError: Redis is unreachable and ``fail_open`` is false.
        """
        while True:
            await self._local.acquire()
            member = f"{self._me}:{next(self._seq)}"
            answer = await self._redis_call(self._reserve_call(member))
            if answer is None:  # failing open
                return
            granted, wait_us = int(answer[0]), int(answer[1])
            if not granted:  # a shared pause is on: wait it out, then queue up
                await asyncio.sleep(wait_us / 1e6)
                continue
            if wait_us <= 0:
                return
            try:
                await asyncio.sleep(wait_us / 1e6)
            except asyncio.CancelledError:
                await self._give_back(member)
                raise
            paused = await self._redis_call(self._confirm_call(member))
            if not paused:
                return
            await asyncio.sleep(int(paused) / 1000)

    def _reserve_call(self, member: str) -> Callable[[], Awaitable[Any]]:
        keys, args = [self._log_key, self._pause_key], [self.limit, self.window + self.margin]

        return lambda: self._reserve(keys=keys, args=[*args, member])

    def _confirm_call(self, member: str) -> Callable[[], Awaitable[Any]]:
        return lambda: self._confirm(keys=[self._log_key, self._pause_key], args=[member])

    async def _give_back(self, member: str) -> None:
        """Best effort: free a slot a cancelled waiter will not use (fewer sends is always safe)."""
        with contextlib.suppress(Exception):  # else the slot just goes unused
            await asyncio.wait_for(self._redis.zrem(self._log_key, member), self.timeout)

    async def pause(self, seconds: float) -> None:
        """Hold every process sharing this budget for ``seconds`` (a longer pause wins).

        Args:
            seconds: how long, from now.

        Raises:
            RateLimiterUnavailableError: Redis is unreachable and ``fail_open`` is false (this
                process is paused either way).
        """
        await self._local.pause(seconds)
        ms = max(1, round(seconds * 1000))
        await self._redis_call(lambda: self._pause(keys=[self._pause_key], args=[ms]))

    async def aclose(self) -> None:
        """Close the Redis client if :meth:`from_url` created it (a passed-in one is left open)."""
        if self._owned:
            await self._redis.aclose()

    async def __aenter__(self) -> RedisRateLimiter:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"RedisRateLimiter(name={self.name!r}, limit={self.limit}, window={self.window:g}, "
            f"fail_open={self.fail_open})"
        )
