"""Resumable imports: the journal, stable keys, and a re-run that resumes (library API)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path
from typing import Any, Literal

import pytest

from talkturo_async import Talkturo
from talkturo_async.journal import (
    ContactImportJob,
    ImportJournal,
    JournalMismatchError,
    RowOutcome,
    SourceRow,
)
from talkturo_async.testing import FakeTalkturo

Mode = Literal["create", "import"]


async def company(tk: Talkturo, fake: FakeTalkturo) -> str:
    made = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert made.id is not None
    return made.id


def people(n: int) -> list[dict[str, Any]]:
    return [
        {"first_name": f"F{i}", "last_name": f"L{i}", "phone": f"+1555{i:07d}"} for i in range(n)
    ]


@pytest.mark.parametrize("mode", ["create", "import"])
async def test_job_creates_each_row_once_and_rerun_sends_nothing(
    tk: Talkturo, fake: FakeTalkturo, tmp_path: Path, mode: Mode
) -> None:
    """A completed job is complete; running it again sends no request and changes nothing."""
    co = await company(tk, fake)
    rows: list[Any] = [*people(30), {"first_name": "NoLast"}, SourceRow(error="bad bytes", line=99)]
    seen: list[RowOutcome] = []
    job = ContactImportJob(
        tk,
        rows,
        journal=tmp_path / "j",
        team_id=fake.team_id,
        company_id=co,
        mode=mode,
        chunk_size=7,
        on_row=seen.append,
    )
    report = await job.run()
    assert (report.total, report.created, report.invalid, report.failed, report.unknown) == (
        32,
        30,
        2,
        0,
        0,
    )
    assert report.complete and len(fake.contacts) == 30
    assert {o.line for o in seen if o.state == "invalid"} == {None, 99}
    before = len(fake.requests)
    again = await ContactImportJob(
        tk,
        rows,
        journal=tmp_path / "j",
        team_id=fake.team_id,
        company_id=co,
        mode=mode,
        chunk_size=7,
    ).run()
    assert again.already_done == 32 and again.remaining == 0 and again.created == 30
    assert len(fake.requests) == before and len(fake.contacts) == 30


@pytest.mark.parametrize("mode", ["create", "import"])
async def test_rows_in_flight_at_a_crash_are_answered_from_their_keys(
    tk: Talkturo, fake: FakeTalkturo, tmp_path: Path, mode: Mode
) -> None:
    """Rows created but never recorded (a crash after sending) are re-sent and not duplicated."""
    co = await company(tk, fake)
    rows = people(40)
    first = ContactImportJob(
        tk,
        rows,
        journal=tmp_path / "j",
        team_id=fake.team_id,
        company_id=co,
        mode=mode,
        chunk_size=10,
    )
    await first.run()
    # Forget the outcomes of 15 rows, as if the process died before the batch was committed.
    with contextlib.closing(sqlite3.connect(tmp_path / "j")) as db:  # sqlite3's "with" won't close
        db.execute("UPDATE rows SET state='sent', contact_id=NULL WHERE row BETWEEN 5 AND 19")
        db.commit()
    resumed = ContactImportJob(
        tk,
        rows,
        journal=tmp_path / "j",
        team_id=fake.team_id,
        company_id=co,
        mode=mode,
        chunk_size=10,
    )
    start = resumed.open()
    assert (start.already_done, start.rechecked) == (25, 15)
    report = await resumed.run()
    assert report.complete and report.created == 40 and len(fake.contacts) == 40


async def test_cancelled_job_reports_unknown_then_resumes(tmp_path: Path) -> None:
    """Cancelling mid-run leaves an exact report (rows not sent counted); the re-run completes, no duplicates."""
    async with (
        FakeTalkturo(seed=3, latency=0.02) as fake,
        Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk,
    ):
        co = await company(tk, fake)
        rows = people(200)
        created: list[RowOutcome] = []
        forty = asyncio.Event()

        def seen(outcome: RowOutcome) -> None:
            created.append(outcome)
            if len(created) >= 40:
                forty.set()

        job = ContactImportJob(
            tk,
            rows,
            journal=tmp_path / "j",
            team_id=fake.team_id,
            company_id=co,
            concurrency=8,
            on_row=seen,
        )
        task = asyncio.create_task(job.run())
        await forty.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        r = job.report
        assert r.total == 200 and r.created >= 40 and not r.complete
        assert r.created + r.unknown + r.failed + r.invalid + r.not_sent == 200
        done = await ContactImportJob(
            tk, rows, journal=tmp_path / "j", team_id=fake.team_id, company_id=co, concurrency=8
        ).run()
        assert done.complete and done.created == 200 and len(fake.contacts) == 200


async def test_faults_are_retried_by_the_next_run(tmp_path: Path) -> None:
    """Rows that still fail with 5xx after retries are re-sent by the next run, never duplicated."""
    async with FakeTalkturo(seed=5, error_rate=0.5, after_commit_failure_rate=0.3) as fake:
        from talkturo_async import RetryPolicy

        async with Talkturo(
            api_key=fake.api_key,
            base_url=fake.base_url,
            retry_policy=RetryPolicy(max_retries=1, wait=False),
        ) as tk:
            co = await company(tk, fake)
            rows = people(60)
            for _ in range(30):
                report = await ContactImportJob(
                    tk, rows, journal=tmp_path / "j", team_id=fake.team_id, company_id=co
                ).run()
                if report.complete:
                    break
            else:
                pytest.fail("the import never completed in 30 runs")
            assert report.complete and report.created == 60 and len(fake.contacts) == 60


def test_journal_of_another_import_is_refused(tmp_path: Path) -> None:
    """Opening a journal with another identity names what differs; restart starts over."""
    ImportJournal(tmp_path / "j", {"file": "a", "team_id": "t"}).close()
    with pytest.raises(JournalMismatchError, match="file"):
        ImportJournal(tmp_path / "j", {"file": "b", "team_id": "t"})
    with ImportJournal(tmp_path / "j", {"file": "b"}, restart=True) as j:
        assert not j.resumed
