"""Bulk work: bulk_create, chunked import, chunked enrolment, run_bulk, rate limiting."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from talkturo_async import (
    BulkProgress,
    ContactInput,
    PartialFailureError,
    RetryPolicy,
    ServerError,
    Talkturo,
    TokenBucket,
    run_bulk,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import as_dict

NO_WAIT = RetryPolicy(wait=False, max_retries=6)


async def company_id(tk: Talkturo, fake: FakeTalkturo) -> str:
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id
    return company.id


def sdk_tasks() -> list[asyncio.Task[Any]]:
    """Tasks of this SDK still alive (the in-process fake server's own handler tasks excluded)."""
    current = asyncio.current_task()
    return [
        t
        for t in asyncio.all_tasks()
        if t is not current
        and not getattr(t.get_coro(), "__qualname__", "").startswith("RequestHandler")
    ]


def rows(team: str, company: str, n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "team_id": team,
            "company_id": company,
            "first_name": f"F{i}",
            "last_name": "L",
            "phone": f"+1415{i:07d}",
        }
        for i in range(start, start + n)
    ]


async def test_bulk_create_under_faults_loses_nothing_and_duplicates_nothing() -> None:
    """5xx, HTML 502s, 429 with Retry-After and after-commit failures: every row accounted for, none twice."""
    async with FakeTalkturo(
        seed=11, error_rate=0.15, html_error_rate=0.3, after_commit_failure_rate=0.1
    ) as fake:
        fake.fail_next(5, status=429, method="POST", path="/crm/contacts", retry_after=0.01)
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT
        ) as tk:
            company = await company_id(tk, fake)
            data = rows(fake.team_id, company, 300)
            report = await tk.contacts.bulk_create(data, concurrency=16).collect()
    assert report.total == 300 and report.ok, [r.error for r in report.failed][:3]
    assert sorted(r.index for r in report.succeeded) == list(range(300))
    names = sorted(c["first_name"] for c in fake.contacts.values())
    assert names == sorted(f"F{i}" for i in range(300))  # exactly once each
    statuses = {r.status for r in fake.requests}
    assert {429, 500} <= statuses or {429, 502} <= statuses
    after_commit = [
        r for r in fake.requests if r.path == "/crm/contacts" and r.status == 500 and r.body
    ]
    assert after_commit  # some writes were applied and then answered 500 ...
    assert len(fake.contacts) == 300  # ... and their retries were replayed, not re-created


async def test_bulk_create_without_idempotency_shows_the_risk() -> None:
    """With a server that ignores Idempotency-Key, after-commit failures duplicate rows (documented risk)."""
    async with FakeTalkturo(seed=2, idempotency=False) as fake:
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT
        ) as tk:
            company = await company_id(tk, fake)
            fake.after_commit_failure_rate = 0.3
            await tk.contacts.bulk_create(rows(fake.team_id, company, 40)).collect()
        assert len(fake.contacts) > 40


async def test_retry_post_false_reports_instead_of_duplicating() -> None:
    """retry_post=False: after-commit failures become reported rows, and nothing is created twice."""
    async with FakeTalkturo(seed=3, idempotency=False) as fake:
        policy = RetryPolicy(wait=False, retry_post=False)
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=policy
        ) as tk:
            company = await company_id(tk, fake)
            fake.after_commit_failure_rate = 0.3
            report = await tk.contacts.bulk_create(rows(fake.team_id, company, 40)).collect()
        assert len(fake.contacts) == 40
        assert report.failed and all(isinstance(r.error, ServerError) for r in report.failed)


async def test_bad_rows_mixed_with_good(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Invalid rows fail with a clear error and no request; the good ones are created."""
    company = await company_id(tk, fake)
    good = rows(fake.team_id, company, 3)
    mixed: list[Any] = [
        good[0],
        {"team_id": fake.team_id, "company_id": company, "first_name": "NoLast"},
        good[1],
        {
            "team_id": fake.team_id,
            "company_id": company,
            "first_name": "A",
            "last_name": "B",
            "fist_name": "typo",
        },
        "not a row",
        ContactInput(
            team_id=fake.team_id, company_id=company, first_name="Typed", last_name="Input"
        ),
        {
            "teamId": fake.team_id,
            "companyId": "comp_missing",
            "firstName": "Camel",
            "lastName": "Case",
        },
        good[2],
    ]
    before = len(fake.requests)
    results = {r.index: r async for r in tk.contacts.bulk_create(mixed, concurrency=4)}
    assert sorted(results) == list(range(8))
    errors = {i: str(r.error) for i, r in results.items() if r.error}
    assert errors[1] == "last_name is required"
    assert errors[3].startswith("unknown field 'fist_name'")
    assert "expected a mapping" in errors[4]
    assert "companyId does not exist" in errors[6]
    assert {i for i, r in results.items() if r.ok} == {0, 2, 5, 7}
    assert results[5].contact is not None and results[5].contact.first_name == "Typed"
    assert len(fake.requests) - before == 5  # rows 1, 3 and 4 never reached the server


async def test_results_stream_as_they_finish_with_progress(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """Results arrive per row; the progress hook sees done/succeeded/failed/total climb."""
    company = await company_id(tk, fake)
    seen: list[BulkProgress] = []
    data = [*rows(fake.team_id, company, 20), {"first_name": "bad"}]
    run = tk.contacts.bulk_create(data, concurrency=5, on_progress=seen.append)
    count = 0
    async for _ in run:
        count += 1
        assert run.progress.done == count
    assert [p.done for p in seen] == list(range(1, 22))
    assert (seen[-1].succeeded, seen[-1].failed, seen[-1].total) == (20, 1, 21)
    assert seen[-1].rate > 0


async def test_generator_pulled_lazily_memory_bounded(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A generator is pulled at most `concurrency` rows ahead of what has finished."""
    company = await company_id(tk, fake)
    pulled = 0
    finished = 0
    ahead: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for row in rows(fake.team_id, company, 200):
            pulled += 1
            ahead.append(pulled - finished)
            yield row

    async for _ in tk.contacts.bulk_create(source(), concurrency=8):
        finished += 1
    assert finished == 200 and max(ahead) <= 8 + 1


async def test_async_iterable_source(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Rows may come from an async iterable."""
    company = await company_id(tk, fake)

    async def source() -> AsyncIterator[dict[str, Any]]:
        for row in rows(fake.team_id, company, 10):
            await asyncio.sleep(0)
            yield row

    report = await tk.contacts.bulk_create(source()).collect()
    assert len(report.succeeded) == 10 and report.succeeded[0].index == 0


async def test_break_cancels_in_flight_and_leaks_nothing() -> None:
    """Leaving the loop early cancels in-flight requests; no task is left behind."""
    async with FakeTalkturo(latency=0.2) as fake:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            company = await company_id(tk, fake)
            async with contextlib.aclosing(
                tk.contacts.bulk_create(
                    rows(fake.team_id, company, 100), concurrency=10
                ).__aiter__()
            ) as it:
                async for _ in it:
                    break
            assert sdk_tasks() == []
        await asyncio.sleep(0.3)
        assert len(fake.contacts) < 100


async def test_cancelling_the_task_mid_run() -> None:
    """Cancelling the task running a bulk job stops it cleanly: fewer rows, no leaked tasks."""
    async with FakeTalkturo(latency=0.05) as fake:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            company = await company_id(tk, fake)
            job = asyncio.create_task(
                tk.contacts.bulk_create(rows(fake.team_id, company, 500), concurrency=8).collect()
            )
            await asyncio.sleep(0.2)
            job.cancel()
            with pytest.raises(asyncio.CancelledError):
                await job
            assert sdk_tasks() == []
        assert 0 < len(fake.contacts) < 500


async def test_run_bulk_helper_for_bulk_updates(fake: FakeTalkturo, tk: Talkturo) -> None:
    """run_bulk drives a user's own coroutine over inputs with bounded concurrency."""
    company = await company_id(tk, fake)
    created = await tk.contacts.bulk_create(rows(fake.team_id, company, 12)).collect()
    ids = [r.contact.id for r in created.succeeded if r.contact and r.contact.id] + ["ct_missing"]
    report = await run_bulk(
        ids, lambda cid: tk.contacts.update(cid, lead_status="qualified"), concurrency=4
    ).collect()
    assert len(report.succeeded) == 12 and [r.input for r in report.failed] == ["ct_missing"]
    assert all(c["lead_status"] == "qualified" for c in fake.contacts.values())
    with pytest.raises(ValueError, match="concurrency"):
        run_bulk(ids, tk.contacts.get, concurrency=0)


async def test_chunked_import_maps_errors_to_input_rows() -> None:
    """Large imports go in concurrent chunks; per-row errors map to the caller's indices."""
    async with (
        FakeTalkturo() as fake,
        Talkturo(api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT) as tk,
    ):
        company = await company_id(tk, fake)
        data: list[dict[str, Any]] = [
            {"first_name": f"F{i}", "last_name": "L", "company_id": company} for i in range(2500)
        ]
        data[1234]["company_id"] = "comp_missing"  # the server refuses this one
        data[2001] = {"first_name": "NoLast"}  # refused before sending
        result = await tk.contacts.import_contacts(
            data, team_id=fake.team_id, chunk_size=400, concurrency=3
        )
    assert (result.imported, result.failed) == (2498, 2)
    assert [e["row"] for e in result.errors or []] == [1234, 2001]
    imports = [r for r in fake.requests if r.path == "/crm/contacts/import"]
    assert len(imports) == 7 and max(len(as_dict(r.body)["contacts"]) for r in imports) == 400
    assert len(fake.contacts) == 2498


async def test_chunk_failing_after_retries_is_reported_row_by_row() -> None:
    """A chunk that keeps failing is reported as failed rows, never dropped."""
    async with (
        FakeTalkturo() as fake,
        Talkturo(
            api_key=fake.api_key,
            base_url=fake.base_url,
            retry_policy=RetryPolicy(wait=False, max_retries=1),
        ) as tk,
    ):
        company = await company_id(tk, fake)
        data = [{"first_name": f"F{i}", "last_name": "L", "company_id": company} for i in range(30)]
        fake.fail_next(2, status=503, path="/crm/contacts/import")
        result = await tk.contacts.import_contacts(data, chunk_size=10, concurrency=1)
    assert (result.imported, result.failed) == (20, 10)
    assert [e["row"] for e in result.errors or []] == list(range(10))
    assert all("chunk not imported" in e["error"] for e in result.errors or [])


async def test_add_contacts_chunked_and_partial_failure() -> None:
    """Thousands of ids are enrolled in chunks; a failing chunk raises PartialFailureError with the rest applied."""
    async with (
        FakeTalkturo() as fake,
        Talkturo(
            api_key=fake.api_key,
            base_url=fake.base_url,
            retry_policy=RetryPolicy(wait=False, max_retries=0),
        ) as tk,
    ):
        company = await company_id(tk, fake)
        fake.add_contacts(
            {"company_id": company, "first_name": f"F{i}", "last_name": "L", "phone": f"+1{i:010d}"}
            for i in range(2500)
        )
        bot = await tk.assistants.create(account_slug=fake.account_slug, name="B")
        assert bot.id is not None
        camp = await tk.campaigns.create(
            team_id=fake.team_id, assistant_id=bot.id, company_id=company, name="C"
        )
        assert camp.id is not None
        ids = list(fake.contacts)
        result = await tk.campaigns.add_contacts(
            camp.id, contact_ids=[*ids[:2000], "ct_nope"], chunk_size=500
        )
        assert (result.added, result.invalid) == (2000, 1)
        assert (
            len([r for r in fake.requests if r.path.endswith("/contacts") and r.method == "POST"])
            == 5
        )
        fake.fail_next(1, status=500, path=f"/crm/campaigns/{camp.id}/contacts")
        with pytest.raises(PartialFailureError) as info:
            await tk.campaigns.add_contacts(
                camp.id, contact_ids=ids[2000:], chunk_size=100, concurrency=1
            )
    err = info.value
    assert err.result.added == 400 and len(err.failures) == 1
    ((failed_ids, cause),) = err.failures
    assert failed_ids == ids[2000:2100] and isinstance(cause, ServerError)


class FakeClock:
    """A clock that only moves when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_token_bucket_paces_to_the_rate() -> None:
    """3600/hour with burst 5: five at once, then one per second."""
    clock = FakeClock()
    bucket = TokenBucket(3600, per=3600, burst=5, clock=clock, sleep=clock.sleep)
    stamps: list[float] = []
    for _ in range(10):
        await bucket.acquire()
        stamps.append(clock.now)
    assert stamps[:5] == [0, 0, 0, 0, 0]
    assert stamps[5:] == pytest.approx([1, 2, 3, 4, 5])


async def test_token_bucket_pause_holds_everyone() -> None:
    """pause(10) makes the next acquire wait 10 s even with tokens left."""
    clock = FakeClock()
    bucket = TokenBucket(100, per=1, burst=100, clock=clock, sleep=clock.sleep)
    await bucket.acquire()
    await bucket.pause(10)
    await bucket.acquire()
    assert clock.now == pytest.approx(10)


async def test_client_rate_limit_shared_by_concurrent_calls(fake: FakeTalkturo) -> None:
    """A client's limiter paces all its concurrent calls (real clock, small numbers)."""
    bucket = TokenBucket(20, per=1, burst=2)
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, rate_limit=bucket) as tk:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.gather(*(tk.auth.test() for _ in range(8)))
        elapsed = loop.time() - start
    assert 0.25 <= elapsed < 1.5  # 2 immediately, then 6 more at 20/s ≈ 0.3 s


async def test_429_retry_after_pauses_the_whole_client(fake: FakeTalkturo) -> None:
    """One 429 with Retry-After holds every other request of the client too."""
    fake.fail_next(1, status=429, retry_after=0.3, path="/test-api-key")
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
        await tk.auth.test()  # hits the 429, waits 0.3 s, succeeds
        loop = asyncio.get_running_loop()
        fake.fail_next(1, status=429, retry_after=0.3, path="/test-api-key")
        start = loop.time()
        first = asyncio.create_task(tk.auth.test())
        await asyncio.sleep(0.05)  # the 429 has arrived and paused the client
        await tk.companies.list(team_id=fake.team_id).to_list()
        other_done = loop.time() - start
        await first
    assert other_done >= 0.25


def test_bulk_rows_take_the_keyword_arguments_of_create() -> None:
    """ContactInput (what bulk_create accepts) has exactly create()'s arguments and required ones."""
    import inspect

    import attrs

    signature = inspect.signature(
        Talkturo("tk_test_x", base_url="http://127.0.0.1:9").contacts.create
    )
    params = {n: p for n, p in signature.parameters.items() if n != "options"}  # per call
    fields = attrs.fields(ContactInput)
    assert {f.name for f in fields} == set(params)
    required = {f.name for f in fields if f.default is attrs.NOTHING}
    assert required == {n for n, p in params.items() if p.default is inspect.Parameter.empty}
