"""Retries: what is retried, backoff, Retry-After, idempotency keys, deadlines, logging."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from talkturo_async import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    RateLimitError,
    Request,
    Response,
    RetryPolicy,
    ServerError,
)
from tests.conftest import KEY, MockClient, ok


def flaky(*answers: Response | Exception) -> Callable[[Request], Response]:
    """A handler answering with each item in turn (exceptions are raised), then success."""
    queue = list(answers)

    def handler(r: Request) -> Response:
        if queue:
            item = queue.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        return ok({"success": True, "message": "ok", "id": "rec_1"})  # a record for any call

    return handler


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses_are_retried(mock_client: MockClient, status: int) -> None:
    """Each retryable status is retried and the call then succeeds."""
    tk, transport = mock_client(flaky(ok({"error": "x"}, status)))
    async with tk:
        assert (await tk.auth.test()).success is True
    assert len(transport.requests) == 2


async def test_connection_errors_and_timeouts_retried(mock_client: MockClient) -> None:
    """Connection errors and timeouts are retried."""
    tk, transport = mock_client(flaky(APIConnectionError("reset"), APITimeoutError("slow")))
    async with tk:
        await tk.auth.test()
    assert len(transport.requests) == 3


async def test_gives_up_after_max_retries(mock_client: MockClient) -> None:
    """After max_retries the last error is raised."""
    tk, transport = mock_client(lambda r: ok({"error": "down"}, 503), max_retries=3)
    async with tk:
        with pytest.raises(ServerError, match="down"):
            await tk.auth.test()
    assert len(transport.requests) == 4


async def test_client_errors_not_retried(mock_client: MockClient) -> None:
    """A 401 is raised at once."""
    tk, transport = mock_client(lambda r: ok({"error": "Unauthorized"}, 401))
    async with tk:
        with pytest.raises(AuthenticationError):
            await tk.auth.test()
    assert len(transport.requests) == 1


async def test_max_retries_zero_disables(mock_client: MockClient) -> None:
    """max_retries=0 sends once."""
    tk, transport = mock_client(lambda r: ok({"error": "x"}, 500), max_retries=0)
    async with tk:
        with pytest.raises(ServerError):
            await tk.auth.test()
    assert len(transport.requests) == 1


async def test_idempotency_key_stable_across_retries(mock_client: MockClient) -> None:
    """A retried POST carries the same Idempotency-Key each time; a new call gets a new one."""
    tk, transport = mock_client(flaky(ok({"error": "x"}, 502), ok({"error": "x"}, 503)))
    async with tk:
        await tk.companies.create(team_id="t", name="A")
        await tk.companies.create(team_id="t", name="B")
    keys = [r.headers["Idempotency-Key"] for r in transport.requests]
    assert len(keys) == 4
    assert keys[0] == keys[1] == keys[2] != keys[3]


async def test_idempotency_key_override(mock_client: MockClient) -> None:
    """with_options(idempotency_key=...) sets the key of the view's POSTs."""
    tk, transport = mock_client(flaky())
    async with tk:
        await tk.with_options(idempotency_key="import-42").companies.create(team_id="t", name="A")
    assert transport.requests[0].headers["Idempotency-Key"] == "import-42"


async def test_get_has_no_idempotency_key(mock_client: MockClient) -> None:
    """Only POSTs carry an Idempotency-Key."""
    tk, transport = mock_client(flaky())
    async with tk:
        await tk.auth.test()
    assert "Idempotency-Key" not in transport.requests[0].headers


async def test_retry_post_false_does_not_retry_posts(mock_client: MockClient) -> None:
    """RetryPolicy(retry_post=False) sends a POST once, but still retries GETs."""
    policy = RetryPolicy(wait=False, retry_post=False)
    tk, transport = mock_client(flaky(ok({"e": 1}, 503), ok({"e": 1}, 503)), retry_policy=policy)
    async with tk:
        with pytest.raises(ServerError):
            await tk.companies.create(team_id="t", name="A")
        await tk.auth.test()
    assert [r.method for r in transport.requests] == ["POST", "GET", "GET"]


async def test_retry_after_is_honoured(mock_client: MockClient) -> None:
    """The wait before a retry is the server's Retry-After."""
    waits: list[float] = []
    policy = RetryPolicy(initial_backoff=5.0)
    tk, _ = mock_client(flaky(ok({"e": 1}, 429, {"Retry-After": "0.05"})), retry_policy=policy)
    loop = asyncio.get_running_loop()
    async with tk:
        start = loop.time()
        await tk.auth.test()
        waits.append(loop.time() - start)
    assert 0.04 <= waits[0] < 1.0  # the Retry-After, not the 5 s backoff


async def test_retry_after_beyond_cap_raises_rate_limit_error(mock_client: MockClient) -> None:
    """A Retry-After over max_retry_after raises RateLimitError(retry_after) instead of sleeping."""
    tk, transport = mock_client(lambda r: ok({"error": "slow down"}, 429, {"Retry-After": "3600"}))
    async with tk:
        with pytest.raises(RateLimitError) as info:
            await tk.auth.test()
    assert info.value.retry_after == 3600.0
    assert len(transport.requests) == 1


def test_backoff_is_exponential_capped_and_jittered() -> None:
    """Backoff doubles from initial_backoff, stays under max_backoff, and jitter only shortens it."""
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=4.0, jitter=0.5)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        waits = [policy.backoff(attempt) for _ in range(50)]
        assert all(ceiling * 0.5 <= w <= ceiling for w in waits)
    assert RetryPolicy(wait=False).backoff(3) == 0.0


async def test_deadline_covers_all_retries(mock_client: MockClient) -> None:
    """An overall deadline stops retrying; the call takes about the deadline, not the retries."""

    async def slow(r: Request) -> Response:
        await asyncio.sleep(r.timeout or 0)
        raise APITimeoutError("attempt timed out")

    policy = RetryPolicy(max_retries=10, initial_backoff=0.01)
    tk, transport = mock_client(slow, retry_policy=policy, timeout=0.05, deadline=0.2)
    loop = asyncio.get_running_loop()
    async with tk:
        start = loop.time()
        with pytest.raises(APITimeoutError):
            await tk.auth.test()
        elapsed = loop.time() - start
    assert elapsed < 0.5
    assert 2 <= len(transport.requests) <= 6
    assert all(r.timeout is not None and r.timeout <= 0.05 for r in transport.requests)


async def test_retries_logged_without_secrets(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Each retry is logged at INFO with method, path, attempt and cause; never the key or body."""
    tk, _ = mock_client(flaky(ok({"e": 1}, 503)))
    with caplog.at_level(logging.INFO, logger="talkturo_async"):
        async with tk:
            await tk.contacts.create(
                team_id="t", company_id="c", first_name="A", last_name="B", phone="+14155550187"
            )
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert any("retrying POST /crm/contacts after HTTP 503 (attempt 2 of 3)" in m for m in messages)
    text = "\n".join(messages)
    assert KEY not in text
    assert "+14155550187" not in text


async def test_debug_log_redacts_authorization(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Even at DEBUG the Authorization header is redacted."""
    tk, _ = mock_client(flaky())
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        async with tk:
            await tk.auth.test()
    assert "<redacted>" in caplog.text
    assert KEY not in caplog.text


async def test_debug_log_redacts_webhook_secret(
    mock_client: MockClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A campaign's webhookSecret is redacted from DEBUG body logs."""
    tk, _ = mock_client(lambda r: ok({"success": True, "campaign": {"id": "camp_1"}}))
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        async with tk:
            await tk.campaigns.create(
                team_id="t",
                assistant_id="a",
                company_id="c",
                name="Q1",
                webhook_secret="whsec_TOPSECRET",
            )
    assert "whsec_TOPSECRET" not in caplog.text
    assert '"webhookSecret": "<redacted>"' in caplog.text
