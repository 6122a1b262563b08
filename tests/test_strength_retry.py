"""RetryPolicy, Retry-After and the retry loop pinned at their edges (issue #17: _retry.py)."""

from __future__ import annotations

import asyncio

import pytest

from talkturo_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    Request,
    Response,
    RetryPolicy,
    ServerError,
)
from talkturo_async._retry import parse_retry_after
from tests.conftest import MockClient, ok


def api_error(status: int, **headers: str) -> APIError:
    return APIError("x", status_code=status, headers=headers)


# -- is_retryable ---------------------------------------------------------------------------------


def test_what_is_retryable() -> None:
    """Retryable statuses and connection errors are; other statuses and other exceptions are not."""
    policy = RetryPolicy()
    assert policy.is_retryable("GET", api_error(503))
    assert not policy.is_retryable("GET", api_error(404))
    assert policy.is_retryable("GET", APIConnectionError("reset"))
    assert policy.is_retryable("GET", APITimeoutError("slow"))
    assert not policy.is_retryable("GET", ValueError("bug"))


def test_retry_post_false_stops_only_posts() -> None:
    """retry_post=False refuses POST retries and leaves other methods alone."""
    policy = RetryPolicy(retry_post=False)
    assert not policy.is_retryable("POST", api_error(503))
    assert not policy.is_retryable("POST", APIConnectionError("reset"))
    assert policy.is_retryable("GET", api_error(503))
    assert policy.is_retryable("PATCH", APIConnectionError("reset"))
    assert RetryPolicy().is_retryable("POST", api_error(503))


def test_custom_retry_statuses() -> None:
    """retry_statuses replaces the set (any iterable becomes a frozenset)."""
    policy = RetryPolicy(retry_statuses=[409])
    assert policy.retry_statuses == frozenset({409})
    assert policy.is_retryable("GET", api_error(409))
    assert not policy.is_retryable("GET", api_error(503))


def test_retry_after_up_to_the_cap_is_retried() -> None:
    """A Retry-After equal to max_retry_after is still retried; one second more is not."""
    policy = RetryPolicy(max_retry_after=30)
    assert policy.is_retryable("GET", api_error(429, **{"retry-after": "30"}))
    assert not policy.is_retryable("GET", api_error(429, **{"retry-after": "31"}))
    assert policy.is_retryable("GET", api_error(429))


# -- backoff --------------------------------------------------------------------------------------


def test_backoff_without_jitter_is_exact() -> None:
    """jitter=0: initial_backoff, then doubling, capped at max_backoff."""
    policy = RetryPolicy(initial_backoff=0.5, max_backoff=3.0, jitter=0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_full_jitter_stays_within_the_wait() -> None:
    """jitter=1 spreads waits over [0, base] and really spreads them."""
    policy = RetryPolicy(initial_backoff=1.0, jitter=1)
    waits = [policy.backoff(1) for _ in range(200)]
    assert all(0 <= w <= 1.0 for w in waits)
    assert min(waits) < 0.5 < max(waits)


def test_backoff_follows_retry_after_within_the_cap() -> None:
    """A Retry-After sets the wait, including 0, and is cut to max_retry_after."""
    policy = RetryPolicy(initial_backoff=5.0, max_retry_after=10)
    assert policy.backoff(1, api_error(429, **{"retry-after": "2"})) == 2.0
    assert policy.backoff(1, api_error(429, **{"retry-after": "0"})) == 0.0
    assert policy.backoff(1, api_error(429, **{"retry-after": "3600"})) == 10.0
    assert 3.75 <= policy.backoff(1, ServerError("x", status_code=500)) <= 5.0
    assert 3.75 <= policy.backoff(1, APIConnectionError("x")) <= 5.0
    assert RetryPolicy(wait=False).backoff(1, api_error(429, **{"retry-after": "2"})) == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"initial_backoff": -0.1},
        {"max_backoff": -1},
        {"jitter": -0.1},
        {"jitter": 1.1},
        {"max_retry_after": -1},
    ],
)
def test_negative_or_out_of_range_settings_are_refused(kwargs: dict[str, float]) -> None:
    """Negative settings, and a jitter outside 0..1, are ValueErrors."""
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_boundary_settings_are_accepted() -> None:
    """Zero everywhere and jitter 1 are valid settings."""
    RetryPolicy(max_retries=0, initial_backoff=0, max_backoff=0, jitter=1, max_retry_after=0)


# -- parse_retry_after ------------------------------------------------------------------------------


def test_retry_after_ms_wins_and_is_converted() -> None:
    """retry-after-ms is preferred over Retry-After and read in milliseconds."""
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after-ms": "bad", "retry-after": "9"}) == 9.0
    assert parse_retry_after({"retry-after-ms": "-5"}) == 0.0


def test_retry_after_seconds_edges() -> None:
    """Seconds may be fractional or padded; a negative one is 0."""
    assert parse_retry_after({"retry-after": " 1.5 "}) == 1.5
    assert parse_retry_after({"retry-after": "-3"}) == 0.0
    assert parse_retry_after({"retry-after": ""}) is None


def test_retry_after_dates() -> None:
    """An HTTP date gives the seconds from now; a past date gives 0; the default now is the clock."""
    date = "Wed, 21 Oct 2015 07:28:10 GMT"
    assert parse_retry_after({"retry-after": date}, now=1445412480.0) == 10.0
    assert parse_retry_after({"retry-after": date}, now=1445412500.0) == 0.0
    assert parse_retry_after({"retry-after": date}) == 0.0  # long past by the real clock
    future = parse_retry_after({"retry-after": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert future is not None and future > 10**9
    assert parse_retry_after({"retry-after": "Wed, 99 Foo 2015"}) is None


# -- through the client ---------------------------------------------------------------------------


async def test_a_capped_retry_after_pauses_the_client_only_up_to_the_cap(
    mock_client: MockClient,
) -> None:
    """After a 429 asking for an hour, the next call waits at most max_retry_after (bounded test)."""
    answers = [ok({"error": "slow"}, 429, {"Retry-After": "3600"})]

    def handler(r: Request) -> Response:
        return answers.pop(0) if answers else ok({"success": True})

    policy = RetryPolicy(max_retry_after=0.05, wait=True)
    tk, transport = mock_client(handler, retry_policy=policy)
    async with tk:
        with pytest.raises(RateLimitError) as info:
            await tk.auth.test()
        assert info.value.retry_after == 3600.0
        await asyncio.wait_for(tk.auth.test(), 2)  # hangs for an hour if the pause is not capped
    assert len(transport.requests) == 2


async def test_a_retry_after_within_the_cap_is_waited_once(mock_client: MockClient) -> None:
    """A 429 with a short Retry-After is retried once, after about that long (bounded test)."""
    answers = [ok({"error": "slow"}, 429, {"Retry-After": "0.05"})]

    def handler(r: Request) -> Response:
        return answers.pop(0) if answers else ok({"success": True})

    tk, transport = mock_client(handler, retry_policy=RetryPolicy(max_retry_after=1))
    loop = asyncio.get_running_loop()
    async with tk:
        start = loop.time()
        await asyncio.wait_for(tk.auth.test(), 2)
        assert 0.04 <= loop.time() - start < 1.0
    assert len(transport.requests) == 2


@pytest.mark.parametrize("retries", [1, 3])
async def test_exactly_max_retries_retries(mock_client: MockClient, retries: int) -> None:
    """A call that keeps failing is sent max_retries + 1 times, then raises the last error."""
    tk, transport = mock_client(
        lambda r: ok({"error": "down"}, 503),
        retry_policy=RetryPolicy(max_retries=retries, wait=False),
    )
    async with tk:
        with pytest.raises(ServerError):
            await tk.auth.test()
    assert len(transport.requests) == retries + 1
