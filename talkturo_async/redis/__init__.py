"""Redis-backed pieces for running many workers on one API key (``pip install 'talkturo-async[redis]'``).

    from talkturo_async import Talkturo
    from talkturo_async.redis import RedisRateLimiter

    limiter = RedisRateLimiter.from_url("redis://localhost:6379/0", 1000, window=3600)
    async with Talkturo(rate_limit=limiter) as tk:   # every process with the same name shares it
        ...
    await limiter.aclose()

- :class:`RedisRateLimiter`: at most ``limit`` requests in any ``window`` seconds across every
  process and host using the same Redis and ``name``; one ``429`` pauses them all.
- :class:`RedisDedupeStore`: webhook de-duplication shared by every receiver process.

``import talkturo_async`` never imports this module (nor redis-py).
"""

from __future__ import annotations

import importlib.util

if importlib.util.find_spec("redis") is None:  # pragma: no cover - depends on the environment
    raise ImportError("talkturo_async.redis needs redis-py: pip install 'talkturo-async[redis]'")

from .._errors import RateLimiterUnavailableError
from ._dedupe import RedisDedupeStore
from ._limiter import RedisRateLimiter

__all__ = ["RateLimiterUnavailableError", "RedisDedupeStore", "RedisRateLimiter"]
