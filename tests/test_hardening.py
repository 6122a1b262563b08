"""Hardening: credentials stay home, ids keep their route, bodies and waits are bounded,
pagination lies are caught, and early exits account for every row.

Each test talks real HTTP on loopback, to FakeTalkturo or to a small hostile aiohttp server.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from talkturo_async import (
    APIError,
    APITimeoutError,
    OutcomeUnknownError,
    PaginationError,
    RateLimitError,
    ResponseTooLargeError,
    RetryPolicy,
    Talkturo,
    TokenBucket,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import Serve
from tests.conftest import WebHandler as Handler

KEY = "tk_live_hardening_0123456789"
NO_RETRY = RetryPolicy(max_retries=0)


def recorder(seen: list[web.Request], answer: Any = None) -> Handler:
    """A handler that records every request and answers ``answer`` as JSON."""

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        return web.json_response(answer if answer is not None else {"success": True})

    return handle


# -- 1, 2: the key goes only to the configured origin, ids keep their route -------------------


async def test_request_refuses_an_absolute_url_to_another_origin(serve: Serve) -> None:
    """tk.request() with another host's URL raises and sends nothing, to either host."""
    home: list[web.Request] = []
    evil: list[web.Request] = []
    base = await serve(recorder(home))
    other = await serve(recorder(evil))
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(ValueError, match="another origin"):
            await tk.request("GET", other + "/steal")
        with pytest.raises(ValueError, match="another origin"):
            await tk.request("GET", "https://example.com/api/crm/contacts")
        await tk.request("GET", base + "/test-api-key")  # the configured origin itself is fine
    assert evil == []
    assert [r.path for r in home] == ["/api/test-api-key"]


async def test_request_paths_cannot_climb_out_of_the_base_path(serve: Serve) -> None:
    """'..' in a tk.request() path cannot leave /api/."""
    seen: list[web.Request] = []
    base = await serve(recorder(seen))
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        for path in ("../admin", "crm/../../admin", "/../x"):
            with pytest.raises(ValueError, match="leaves the API's base path"):
                await tk.request("GET", path)
    assert seen == []


@pytest.mark.parametrize("bad_id", ["..", ".", "", " .. "])
async def test_ids_that_would_change_the_route_are_refused(bad_id: str) -> None:
    """contacts.delete('..') and its siblings raise before sending anything."""
    async with FakeTalkturo() as fake:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            calls: list[Callable[[], Awaitable[Any]]] = [
                lambda: tk.contacts.delete(bad_id),
                lambda: tk.contacts.get(bad_id),
                lambda: tk.campaigns.start(bad_id),
                lambda: tk.companies.update(bad_id, name="x"),
                lambda: tk.assistants.delete(bad_id),
                lambda: tk.phone_numbers.release(bad_id),
            ]
            for call in calls:
                with pytest.raises(ValueError, match=r"id|required"):
                    await call()
        assert fake.requests == []


async def test_ids_with_slashes_stay_one_segment() -> None:
    """An id holding '/' or '%2E%2E' is escaped into one segment of the resource's own route."""
    async with FakeTalkturo() as fake:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, max_retries=0) as tk:
            for odd in ("a/../../b", "%2E%2E"):
                with pytest.raises(APIError) as caught:
                    await tk.contacts.delete(odd)
                assert caught.value.status_code == 404
        assert all(r.path.startswith("/crm/contacts/") for r in fake.requests)


# -- 3: no credential in logs or CLI errors ------------------------------------------------------


async def test_debug_log_redacts_secret_query_parameters(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    """Query parameters named like secrets, and keys anywhere in the URL, are masked at DEBUG."""
    base = await serve(recorder([]))
    async with Talkturo(api_key=KEY, base_url=base) as tk:
        with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
            await tk.request(
                "GET", "x", params={"api_key": "s3cr3t-value", "token": "t0k", "q": "tk_test_leak9"}
            )
    assert "s3cr3t-value" not in caplog.text
    assert "t0k" not in caplog.text
    assert "tk_test_leak9" not in caplog.text
    assert KEY not in caplog.text
    assert "api_key=%3Credacted%3E" in caplog.text or "api_key=<redacted>" in caplog.text


def test_cli_usage_errors_never_echo_the_api_key() -> None:
    """A key among unrecognized arguments (a misspelt --api-key) is masked in argparse's error."""
    secret = "tk_live_cli_SECRET_42"
    for key in (secret, "eyJhbGciOiJIUzI1NiJ9.not-a-tk-key"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "talkturo_async.cli",
                "campaigns",
                "list",
                "--team-id",
                "t",
                "--api-key",
                key,
                "--api-kee",  # a typo: argparse echoes the unrecognized arguments
                key,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        assert "unrecognized arguments" in done.stderr
        assert key not in done.stderr + done.stdout
        assert "<redacted>" in done.stderr


async def test_server_echoing_the_key_never_reaches_the_exception(serve: Serve) -> None:
    """An error text or body that echoes the bearer token is masked in str, repr and .body."""

    async def echo(request: web.Request) -> web.StreamResponse:
        auth = request.headers["Authorization"]
        return web.json_response(
            {"success": False, "error": f"bad header {auth}", "debug": {"got": auth}}, status=400
        )

    base = await serve(echo)
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(APIError) as caught:
            await tk.request("GET", "x")
    err = caught.value
    for text in (str(err), repr(err), str(err.body)):
        assert KEY not in text
    assert "<redacted>" in str(err)


async def test_error_messages_are_bounded(serve: Serve) -> None:
    """A 2 MB server error string becomes a short exception message."""

    async def huge(request: web.Request) -> web.StreamResponse:
        return web.json_response({"error": "x" * 2_000_000}, status=400)

    base = await serve(huge)
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(APIError) as caught:
            await tk.request("GET", "x")
    assert len(str(caught.value)) < 1000


# -- 4: bounded response bodies ------------------------------------------------------------------


async def test_a_gzip_bomb_is_refused_while_reading(serve: Serve) -> None:
    """A small gzip answer inflating past max_response_bytes raises ResponseTooLargeError."""
    bomb = gzip.compress(b'{"a":"' + b"0" * (8 * 1024 * 1024) + b'"}')
    assert len(bomb) < 64 * 1024

    async def handle(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
        )

    base = await serve(handle)
    async with Talkturo(
        api_key=KEY, base_url=base, retry_policy=NO_RETRY, max_response_bytes=1024 * 1024
    ) as tk:
        with pytest.raises(ResponseTooLargeError, match="max_response_bytes=1048576"):
            await tk.request("GET", "x")
        # the connection was dropped, not reused half-read: the next call still works
        with pytest.raises(ResponseTooLargeError):
            await tk.request("GET", "x")


async def test_a_streamed_answer_without_length_is_bounded(serve: Serve) -> None:
    """A chunked answer with no Content-Length stops being read at the limit."""
    sent = 0

    async def endless(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        try:
            for _ in range(2000):  # up to 128 MB, if nobody stops reading
                await response.write(b" " * 65536)
                sent += 65536
        except (ConnectionResetError, RuntimeError):
            pass
        return response

    base = await serve(endless)
    async with Talkturo(
        api_key=KEY, base_url=base, retry_policy=NO_RETRY, max_response_bytes=256 * 1024
    ) as tk:
        with pytest.raises(ResponseTooLargeError):
            await tk.request("GET", "x")
    assert sent < 64 * 1024 * 1024


# -- 5, 6: the deadline covers every wait; slow bodies time out ----------------------------------


async def test_deadline_covers_the_rate_limiter_wait(serve: Serve) -> None:
    """With an empty TokenBucket, a call with a deadline fails at its deadline, not an hour later."""
    base = await serve(recorder([]))
    bucket = TokenBucket(1, per=3600, burst=1)
    async with Talkturo(api_key=KEY, base_url=base, rate_limit=bucket, deadline=0.3) as tk:
        await tk.request("GET", "x")
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="rate limiter"):
            await asyncio.wait_for(tk.request("GET", "x"), 5)
    assert time.monotonic() - started < 2


async def test_a_retry_after_beyond_the_cap_fails_fast_and_pauses_nothing(serve: Serve) -> None:
    """Retry-After: 99999 raises at once with retry_after set; later calls are not held."""
    seen: list[web.Request] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        if len(seen) == 1:
            return web.json_response(
                {"error": "slow down"}, status=429, headers={"Retry-After": "99999"}
            )
        return web.json_response({"success": True})

    base = await serve(handle)
    async with Talkturo(api_key=KEY, base_url=base, deadline=2) as tk:
        started = time.monotonic()
        with pytest.raises(RateLimitError) as caught:
            await tk.request("GET", "x")
        assert caught.value.retry_after == 99999
        await asyncio.wait_for(tk.request("GET", "x"), 3)
    assert time.monotonic() - started < 1.5


async def test_a_trickling_body_times_out_per_attempt(serve: Serve) -> None:
    """A server sending its body a byte at a time is cut off by the per-attempt timeout."""

    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for _ in range(50):
            await response.write(b" ")
            await asyncio.sleep(0.1)
        await response.write(b"{}")
        return response

    base = await serve(trickle)
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY, timeout=0.5) as tk:
        started = time.monotonic()
        with pytest.raises(
            APITimeoutError, match=r"GET http://127\.0\.0\.1:\d+/api/x timed out after 0\.5s"
        ):
            await tk.request("GET", "x")
    assert time.monotonic() - started < 3


# -- 7: pagination lies are errors, not short lists ----------------------------------------------


def pages_server(answer: Callable[[int, int, int], dict[str, Any]]) -> Handler:
    """A list server: ``answer(call_number, offset, limit)`` gives each page's body."""
    calls = 0

    async def handle(request: web.Request) -> web.StreamResponse:
        nonlocal calls
        calls += 1
        offset = int(request.query.get("offset", 0))
        limit = int(request.query.get("limit", 50))
        return web.json_response(answer(calls, offset, limit))

    return handle


def rows(start: int, n: int) -> list[dict[str, Any]]:
    """``n`` campaign records with ids from ``start``."""
    return [{"id": f"c{i}", "name": f"n{i}"} for i in range(start, start + n)]


async def test_alternating_pages_are_caught(serve: Serve) -> None:
    """A server answering A, B, A, B ... raises PaginationError instead of looping or repeating."""

    def answer(call: int, offset: int, limit: int) -> dict[str, Any]:
        return {"campaigns": rows(0 if call % 2 else 2, 2)}

    base = await serve(pages_server(answer))
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        got: list[str | None] = []
        with pytest.raises(PaginationError, match="same items"):
            async for c in tk.campaigns.list(team_id="t", limit=2):
                got.append(c.id)
    assert got == ["c0", "c1", "c2", "c3"]


async def test_an_echoed_offset_other_than_asked_is_caught(serve: Serve) -> None:
    """A server echoing offset=0 for every page raises instead of serving page 1 again."""

    def answer(call: int, offset: int, limit: int) -> dict[str, Any]:
        return {"campaigns": rows(offset + call, limit), "offset": 0, "count": 10}

    base = await serve(pages_server(answer))
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(PaginationError, match="asked for offset=2"):
            await tk.campaigns.list(team_id="t", limit=2).to_list()


async def test_a_list_ending_short_of_its_count_is_caught(serve: Serve) -> None:
    """count=1000 but the pages run out at 200: to_list() raises rather than return 200 items."""

    def answer(call: int, offset: int, limit: int) -> dict[str, Any]:
        items = rows(offset, limit) if offset < 200 else []
        return {"campaigns": items, "count": 1000, "offset": offset}

    base = await serve(pages_server(answer))
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(PaginationError, match="1000 items but it ended after 200"):
            await tk.campaigns.list(team_id="t", limit=100).to_list()


# -- 12, 13: early exits report every row; stable keys make re-runs safe -------------------------


def contact_rows(n: int, fake: FakeTalkturo, team: str, company: str) -> list[dict[str, Any]]:
    """``n`` valid contact rows for ``team``/``company``."""
    return [
        {"team_id": team, "company_id": company, "first_name": f"F{i}", "last_name": f"L{i}"}
        for i in range(n)
    ]


async def seeded(fake: FakeTalkturo) -> tuple[str, str]:
    """A company in the fake's default team: (team_id, company_id)."""
    company = fake.state.create_company({"teamId": fake.team_id, "name": "Acme"})
    return fake.team_id, company["company"]["id"] if "company" in company else company["id"]


@pytest.mark.parametrize("how", ["break", "progress-raises", "cancel"])
async def test_an_early_exit_reports_every_row_that_was_sent(how: str) -> None:
    """After break / an on_progress error / cancel, yielded + unreported rows = rows on the server."""
    async with FakeTalkturo(latency=0.05, seed=3) as fake:
        team, company = await seeded(fake)
        yielded: list[int] = []

        def progress(p: Any) -> None:
            if how == "progress-raises" and p.done == 3:
                raise RuntimeError("progress bar broke")

        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            run = tk.contacts.bulk_create(
                contact_rows(100, fake, team, company), concurrency=8, on_progress=progress
            )

            async def consume() -> None:
                async with run:
                    async for result in run:
                        yielded.append(result.index)
                        if how == "break" and len(yielded) == 3:
                            break

            if how == "cancel":
                task = asyncio.create_task(consume())
                while len(yielded) < 3:  # noqa: ASYNC110 -- waiting for the run to get going
                    await asyncio.sleep(0.01)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            elif how == "progress-raises":
                with pytest.raises(RuntimeError, match="progress bar broke"):
                    await consume()
            else:
                await consume()
        created = {c["first_name"] for c in fake.state.store.contacts.values()}
        reported_ok = {f"F{r.index}" for r in run.unreported if r.ok}
        unknown = [r for r in run.unreported if isinstance(r.error, OutcomeUnknownError)]
        assert run.unreported, "rows were in flight at the exit"
        assert unknown == []  # the grace period let them finish
        assert created == {f"F{i}" for i in yielded} | reported_ok


async def test_rows_still_running_after_the_grace_are_unknown_outcome(serve: Serve) -> None:
    """A row the server sits on past the grace period is reported as OutcomeUnknownError."""

    async def slow(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if body["firstName"] != "F0":
            await asyncio.sleep(30)
        return web.json_response({"success": True, "contact": {"id": "x", **body}})

    base = await serve(slow)
    async with Talkturo(api_key=KEY, base_url=base) as tk:
        run = tk.contacts.bulk_create(
            [
                {"team_id": "t", "company_id": "c", "first_name": f"F{i}", "last_name": "L"}
                for i in range(4)
            ],
            concurrency=4,
            grace=0.2,
        )
        async with run:
            async for result in run:
                assert result.index == 0
                break
    assert [r.index for r in run.unreported] == [1, 2, 3]
    assert all(isinstance(r.error, OutcomeUnknownError) for r in run.unreported)


async def test_stable_keys_make_a_rerun_create_nothing_twice() -> None:
    """With idempotency_key, a second run after after-commit failures creates no duplicates."""
    async with FakeTalkturo(after_commit_failure_rate=0.3, seed=11) as fake:
        team, company = await seeded(fake)
        data = contact_rows(60, fake, team, company)
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(max_retries=0)
        ) as tk:
            first = await tk.contacts.bulk_create(data, idempotency_key="import-42").collect()
            assert first.failed, "the fake's after-commit failures made some rows look failed"
            fake.after_commit_failure_rate = 0.0
            again = [data[r.index] for r in first.failed]
            index_of = {id(row): i for i, row in enumerate(data)}
            second = await tk.contacts.bulk_create(
                again, idempotency_key=lambda i, row: f"import-42-{index_of[id(row)]}"
            ).collect()
        assert second.ok
        names = sorted(c["first_name"] for c in fake.state.store.contacts.values())
        assert names == sorted(f"F{i}" for i in range(60))


async def test_without_stable_keys_a_rerun_duplicates(serve: Serve) -> None:
    """The documented contrast: random keys make a re-sent, already-created row a second contact."""
    async with FakeTalkturo(after_commit_failure_rate=1.0, seed=1) as fake:
        team, company = await seeded(fake)
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, max_retries=0) as tk:
            row = contact_rows(1, fake, team, company)
            await tk.contacts.bulk_create(row).collect()
            await tk.contacts.bulk_create(row).collect()
        assert len(fake.state.store.contacts) == 2


# -- Also ----------------------------------------------------------------------------------------


async def test_success_false_as_a_string_is_a_failure(serve: Serve) -> None:
    """{"success": "false"} on a 200 raises APIError instead of passing as data."""
    base = await serve(recorder([], {"success": "false", "error": "nope"}))
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(APIError, match="nope"):
            await tk.request("GET", "x")


async def test_a_redirect_names_its_location(serve: Serve) -> None:
    """A 3xx answer is an error naming where it points (the SDK never follows it)."""

    async def moved(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": "https://elsewhere.example/api/x"})

    base = await serve(moved)
    async with Talkturo(api_key=KEY, base_url=base, retry_policy=NO_RETRY) as tk:
        with pytest.raises(APIError, match=r"redirect to https://elsewhere\.example/api/x"):
            await tk.request("GET", "x")


def test_dot_localhost_names_are_not_trusted_unless_they_resolve_to_loopback() -> None:
    """http:// to *.localhost is refused when the name does not resolve to loopback."""
    with pytest.raises(ValueError, match="plain http"):
        Talkturo(api_key=KEY, base_url="http://attacker.example.localhost/api")
    Talkturo(api_key=KEY, base_url="http://localhost:8080/api")  # plain localhost stays fine
