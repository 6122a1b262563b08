"""The RateLimiter protocol: an async pause, and the deprecation path for a plain-function pause."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest

from talkturo_async import (
    PauseGate,
    RateLimiter,
    RateLimitError,
    Request,
    Response,
    RetryPolicy,
    TokenBucket,
)
from tests.conftest import MockClient, ok

# The 429 pause is the waiting kind of retrying: RetryPolicy(wait=False) skips it, so these tests
# wait (but make no retry, which would sleep Retry-After).
PAUSING = RetryPolicy(max_retries=0)


def limited_once() -> Callable[[Request], Response]:
    """A handler answering 429 with Retry-After once, then success."""
    answers = [ok({"message": "slow down"}, 429, {"Retry-After": "2"})]

    def handler(r: Request) -> Response:
        return answers.pop(0) if answers else ok({"success": True, "message": "ok"})

    return handler


async def test_builtin_limiters_pause_is_a_coroutine() -> None:
    """PauseGate and TokenBucket implement the async protocol (pause is awaited, not called)."""
    for limiter in (PauseGate(), TokenBucket(10, per=1)):
        assert isinstance(limiter, RateLimiter)
        await limiter.pause(0)


async def test_client_awaits_an_async_pause(mock_client: MockClient) -> None:
    """A 429 with Retry-After reaches the limiter's async pause with the server's seconds."""
    paused: list[float] = []

    class Recorder:
        async def acquire(self) -> None:
            pass

        async def pause(self, seconds: float) -> None:
            paused.append(seconds)

    client, _ = mock_client(limited_once(), rate_limit=Recorder(), retry_policy=PAUSING)
    async with client:
        with pytest.raises(RateLimitError):
            await client.auth.test()
    assert paused == [2.0]


async def test_plain_function_pause_still_works_and_warns_once(mock_client: MockClient) -> None:
    """An old limiter whose pause is a plain function is called, with one DeprecationWarning."""
    paused: list[float] = []

    class OldLimiter:
        async def acquire(self) -> None:
            pass

        def pause(self, seconds: float) -> None:
            paused.append(seconds)

    limiter = OldLimiter()
    client, _ = mock_client(limited_once(), rate_limit=limiter, retry_policy=PAUSING)
    async with client:
        with (
            pytest.warns(DeprecationWarning, match=r"OldLimiter\.pause\(\) is a plain function"),
            pytest.raises(RateLimitError),
        ):
            await client.auth.test()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second 429 does not warn again
        client, _ = mock_client(limited_once(), rate_limit=limiter, retry_policy=PAUSING)
        async with client:
            with pytest.raises(RateLimitError):
                await client.auth.test()
    assert paused == [2.0, 2.0]
