"""Client-side rate limiting: every request of a client waits its turn here.

A :class:`RateLimiter` has two coroutine methods: ``acquire()`` before each attempt, and
``pause(seconds)`` when the server answers 429 with ``Retry-After`` (so the whole client waits, not
one request). :class:`TokenBucket` is the built-in one; :class:`PauseGate` (the default) only
honours pauses; ``talkturo_async.redis.RedisRateLimiter`` shares one budget and one pause across
processes and hosts.

``pause`` used to be a plain function: :func:`pause_limiter` still accepts such a limiter (and
warns once per class), so user limiters written for 0.1 keep working.
"""

from __future__ import annotations

import asyncio
import inspect
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, cast, runtime_checkable

from ._config import check_int, check_number

__all__ = [
    "PauseGate",
    "RateLimiter",
    "TokenBucket",
    "acquire_within",
    "passes_at_once",
    "pause_limiter",
]


@runtime_checkable
class RateLimiter(Protocol):
    """What the client needs from a rate limiter."""

    async def acquire(self) -> None:
        """Wait until one more request may be sent."""
        ...

    async def pause(self, seconds: float) -> None:
        """Hold every request for ``seconds`` (the server said ``Retry-After``).

        Args:
            seconds: how long, from now.
        """
        ...


_warned_sync_pause: set[type[object]] = set()


async def acquire_within(
    limiter: RateLimiter,
    ends_at: float | None,
    clock: Callable[[], float],
    expired: Callable[[str], Exception],
) -> float | None:
    """Wait for ``limiter``, giving up at the deadline ``ends_at`` (on ``clock``), if any.

    The deadline covers the limiter's wait, and so a 429 pause as well.

    Returns:
        the seconds left before the deadline; ``None`` without one.

    Raises:
        Exception: ``expired(" waiting for the rate limiter")`` if the wait reached the deadline,
            ``expired("")`` if no time is left after it.
    """
    if not passes_at_once(limiter):
        if ends_at is None:
            await limiter.acquire()
            return None
        try:
            await asyncio.wait_for(limiter.acquire(), ends_at - clock())
        except asyncio.TimeoutError:
            raise expired(" waiting for the rate limiter") from None
    elif ends_at is None:
        return None
    left = ends_at - clock()
    if left <= 0:
        raise expired("")
    return left


def passes_at_once(limiter: RateLimiter) -> bool:
    """Whether ``limiter.acquire()`` would return without waiting, known without calling it.

    True for the default :class:`PauseGate` (not a subclass) while no pause is in force: the
    pipeline then skips awaiting it (three coroutines per request, or a task under a deadline).
    """
    return type(limiter) is PauseGate and limiter.pause_left() <= 0


async def pause_limiter(limiter: Any, seconds: float) -> None:
    """Call ``limiter.pause(seconds)``, awaiting it; a plain-function ``pause`` is deprecated.

    Args:
        limiter: any :class:`RateLimiter`, or an older one whose ``pause`` returns ``None``.
        seconds: how long every request should wait.

    Warns:
        DeprecationWarning: once per limiter class whose ``pause`` is not a coroutine function.
    """
    result = limiter.pause(seconds)
    if inspect.isawaitable(result):
        await result
    elif type(limiter) not in _warned_sync_pause:
        _warned_sync_pause.add(cast("type[object]", type(limiter)))
        warnings.warn(
            f"{type(limiter).__name__}.pause() is a plain function; RateLimiter.pause is now "
            "'async def pause(seconds)' and plain functions will stop being supported",
            DeprecationWarning,
            stacklevel=2,
        )


class PauseGate:
    """No rate of its own: only makes every request wait out a server-requested pause.

    Args:
        clock: the monotonic clock, in seconds (injectable for tests).
        sleep: the coroutine function to wait with (injectable for tests).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._paused_until = 0.0

    async def pause(self, seconds: float) -> None:
        """Make every ``acquire`` of this limiter wait ``seconds`` from now (longer pauses win).

        Args:
            seconds: how long, from now.
        """
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def pause_left(self) -> float:
        """Seconds left of the pause in force (0 or less: none)."""
        return self._paused_until - self._clock()

    async def _wait_pause(self) -> None:
        while (left := self.pause_left()) > 0:
            await self._sleep(left)

    async def acquire(self) -> None:
        await self._wait_pause()


class TokenBucket(PauseGate):
    """At most ``rate`` requests per ``per`` seconds, with bursts of up to ``burst``.

    ``TokenBucket(1000, per=3600, burst=20)`` matches Talkturo's default key limit of 1000
    requests an hour. Waiters are served in arrival order.

    Args:
        rate: requests allowed per ``per`` seconds.
        per: the window, in seconds (default one hour).
        burst: tokens the bucket holds (default ``min(rate, 10)``, at least 1); the bucket starts
            full.
        clock: the monotonic clock, in seconds (injectable for tests).
        sleep: the coroutine function to wait with (injectable for tests).

    Raises:
        TypeError: ``rate`` or ``per`` not a number, ``burst`` not an int (the message names it).
        ValueError: ``rate`` or ``per`` not above 0 (or NaN, infinite), ``burst`` below 1.
    """

    def __init__(
        self,
        rate: float,
        per: float = 3600.0,
        burst: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        check_number("rate", rate, what="number of requests")
        check_number("per", per)
        check_int("burst", burst, minimum=1, optional=True)
        if not callable(clock) or not callable(sleep):
            raise TypeError("clock and sleep must be callables")
        super().__init__(clock=clock, sleep=sleep)
        self.per_second: float = rate / per
        self.burst: float = float(burst if burst is not None else max(1, min(rate, 10)))
        self._tokens = self.burst
        self._stamp = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.per_second)
        self._stamp = now

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                await self._wait_pause()
                self._refill()
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await self._sleep((1 - self._tokens) / self.per_second)

    def __repr__(self) -> str:
        return f"TokenBucket({self.per_second * 3600:g}/hour, burst={self.burst:g})"
