"""``call_with_retries`` after the architecture step: the bare first attempt and the log (issue #17).

The loop moved to ``_retry.py``; these tests drive it directly with a scripted ``attempt``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest
import tenacity

from talkturo_async import APIConnectionError, APIError, RetryPolicy
from talkturo_async._retry import call_with_retries

NO_WAIT = RetryPolicy(wait=False)


def scripted(*outcomes: BaseException | str) -> tuple[Callable[[], Awaitable[str]], list[int]]:
    """An ``attempt`` raising or returning ``outcomes`` in turn, and the list of its calls."""
    calls: list[int] = []

    async def attempt() -> str:
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return attempt, calls


def refuse_tenacity(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise AssertionError("tenacity was set up for a failure that is not retried")

    monkeypatch.setattr(tenacity, "AsyncRetrying", boom)


async def run(
    policy: RetryPolicy, attempt: Callable[[], Awaitable[object]], method: str = "GET"
) -> object:
    return await call_with_retries(
        policy,
        attempt,
        method=method,
        path="/contacts",
        clock=lambda: 0.0,
    )


@pytest.mark.parametrize(
    ("policy", "method", "exc"),
    [
        (NO_WAIT, "GET", APIError("gone", status_code=404)),
        (RetryPolicy(max_retries=0), "GET", APIError("busy", status_code=503)),
        (RetryPolicy(retry_post=False), "POST", APIError("busy", status_code=503)),
    ],
)
async def test_a_failure_not_retried_raises_without_setting_up_tenacity(
    monkeypatch: pytest.MonkeyPatch, policy: RetryPolicy, method: str, exc: APIError
) -> None:
    """A failure that will not be retried is raised from the bare first attempt, tenacity unused."""
    refuse_tenacity(monkeypatch)
    attempt, calls = scripted(exc)
    with pytest.raises(APIError) as info:
        await run(policy, attempt, method)
    assert info.value is exc
    assert calls == [1]


async def test_a_retry_is_logged_with_status_path_attempt_and_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each retry logs one line: method, path without its leading slash, cause, attempt, wait."""
    attempt, _ = scripted(APIError("busy", status_code=503), "done")
    with caplog.at_level(logging.INFO, logger="talkturo_async"):
        assert await run(NO_WAIT, attempt) == "done"
    assert [r.getMessage() for r in caplog.records] == [
        "retrying GET /contacts after HTTP 503 (attempt 2 of 3) in 0.00s"
    ]


async def test_a_retried_connection_error_is_logged_by_its_class_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A retry after a connection failure names the exception's class as the cause."""
    attempt, _ = scripted(APIConnectionError("reset"), "done")
    with caplog.at_level(logging.INFO, logger="talkturo_async"):
        assert await run(NO_WAIT, attempt) == "done"
    assert [r.getMessage() for r in caplog.records] == [
        "retrying GET /contacts after APIConnectionError (attempt 2 of 3) in 0.00s"
    ]


async def deadline_run(
    policy: RetryPolicy, attempt: Callable[[], Awaitable[object]], ends_at: float
) -> object:
    return await call_with_retries(
        policy,
        attempt,
        method="GET",
        path="x",
        clock=lambda: 0.0,
        ends_at=ends_at,
    )


@pytest.mark.parametrize("ends_at", [0.3, 0.5])
async def test_no_retry_starts_whose_wait_reaches_the_deadline(ends_at: float) -> None:
    """A retry whose 0.5 s wait would reach or pass the deadline is not started: the failure is raised."""
    policy = RetryPolicy(initial_backoff=0.5, jitter=0)
    attempt, calls = scripted(APIError("busy", status_code=503), "done")
    with pytest.raises(APIError):
        await deadline_run(policy, attempt, ends_at)
    assert calls == [1]


async def test_a_retry_without_a_wait_runs_while_the_deadline_is_ahead() -> None:
    """With no wait, a retry is started as long as the clock is short of the deadline."""
    attempt, calls = scripted(APIError("busy", status_code=503), "done")
    assert await deadline_run(NO_WAIT, attempt, 0.5) == "done"
    assert calls == [1, 1]


async def test_the_waits_are_the_policy_backoff(caplog: pytest.LogCaptureFixture) -> None:
    """The loop waits what ``RetryPolicy.backoff`` says: 0.01 s, then doubled."""
    policy = RetryPolicy(initial_backoff=0.01, jitter=0)
    attempt, _ = scripted(APIConnectionError("a"), APIConnectionError("b"), "done")
    with caplog.at_level(logging.INFO, logger="talkturo_async"):
        assert await run(policy, attempt) == "done"
    assert [r.getMessage()[-8:] for r in caplog.records] == ["in 0.01s", "in 0.02s"]


async def test_a_later_failure_that_is_not_retryable_ends_the_loop() -> None:
    """After a retried 503, a 404 is raised at once, not retried."""
    attempt, calls = scripted(
        APIError("busy", status_code=503), APIError("gone", status_code=404), "done"
    )
    with pytest.raises(APIError) as info:
        await run(NO_WAIT, attempt)
    assert info.value.status_code == 404
    assert calls == [1, 1]
