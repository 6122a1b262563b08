"""``_bulk.py`` after the architecture step: ``run_chunked`` and the grace period pinned (issue #17)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from talkturo_async import BulkResult, OutcomeUnknownError
from talkturo_async._bulk import BulkRun, run_bulk, run_chunked


async def test_run_chunked_sends_numbered_chunks_of_the_given_size() -> None:
    """Five items in chunks of 2 are three chunks, numbered 0-2, the last one short."""
    sent: dict[int, list[str]] = {}

    async def send(number: int, chunk: list[str]) -> int:
        sent[number] = chunk
        return len(chunk)

    report = await run_chunked(list("abcde"), send, chunk_size=2, concurrency=2).collect()
    assert sent == {0: ["a", "b"], 1: ["c", "d"], 2: ["e"]}
    assert [(r.input, r.result) for r in report.succeeded] == [
        (["a", "b"], 2),
        (["c", "d"], 2),
        (["e"], 1),
    ]


async def test_run_chunked_accepts_chunks_of_one() -> None:
    """A chunk size of 1 sends every item alone."""

    async def send(number: int, chunk: list[str]) -> str:
        return chunk[0]

    report = await run_chunked(["a", "b"], send, chunk_size=1, concurrency=1).collect()
    assert [r.result for r in report.succeeded] == ["a", "b"]


def test_run_chunked_refuses_a_chunk_size_below_one() -> None:
    """A chunk size of 0 is refused up front."""

    async def send(number: int, chunk: list[str]) -> None:
        return None

    with pytest.raises(ValueError, match=r"^chunk_size must be at least 1, got 0$"):
        run_chunked(["a"], send, chunk_size=0, concurrency=1)


async def grace_used(monkeypatch: pytest.MonkeyPatch, run: BulkRun[Any]) -> float | None:
    """Break out of ``run`` with one row in flight; the timeout its settling waited with."""
    timeouts: list[float | None] = []
    wait = asyncio.wait

    async def recording_wait(tasks: Any, *, timeout: float | None = None, **kw: Any) -> Any:
        timeouts.append(timeout)
        return await wait(tasks, timeout=0 if timeout is not None else None, **kw)

    async with run:
        async for _ in run:
            monkeypatch.setattr(asyncio, "wait", recording_wait)
            break
    monkeypatch.undo()
    return timeouts[-1] if timeouts else None


async def test_run_bulk_grace_defaults_to_two_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``grace``, run_bulk gives the rows in flight 2 seconds."""

    async def fn(item: str) -> str:
        await asyncio.sleep(0 if item == "fast" else 5)
        return item

    assert await grace_used(monkeypatch, run_bulk(["fast", "slow"], fn, concurrency=2)) == 2.0


async def test_run_chunked_grace_is_the_bulk_run_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_chunked's run gives the chunks in flight BulkRun's default 2 seconds."""

    async def send(number: int, chunk: list[str]) -> int:
        await asyncio.sleep(0 if number == 0 else 5)
        return number

    run = run_chunked(["a", "b"], send, chunk_size=1, concurrency=2)
    assert await grace_used(monkeypatch, run) == 2.0


async def first_then_stop(grace: float, slow: float) -> list[BulkResult[str, str]]:
    """Break after the fast row; the slow one (``slow`` seconds) is in flight under ``grace``."""

    async def fn(item: str) -> str:
        await asyncio.sleep(0 if item == "fast" else slow)
        return item.upper()

    run = run_bulk(["fast", "slow"], fn, concurrency=2, grace=grace)
    async with run:
        async for _ in run:
            break
    return run.unreported


async def test_a_short_grace_is_passed_on_and_cuts_a_slow_row() -> None:
    """With a 0.05 s grace, a row needing 1 s is cancelled and reported as an unknown outcome."""
    (result,) = await first_then_stop(grace=0.05, slow=1.0)
    assert (result.index, result.input, result.result) == (1, "slow", None)
    assert isinstance(result.error, OutcomeUnknownError)
    assert str(result.error) == (
        "row 1 was in flight when the run stopped; it may exist on the server"
    )


async def test_a_grace_under_a_second_still_lets_a_quick_row_finish() -> None:
    """A 0.5 s grace lets a row needing 0.05 s finish: it is reported with its result."""
    (result,) = await first_then_stop(grace=0.5, slow=0.05)
    assert (result.index, result.input, result.result, result.error) == (1, "slow", "SLOW", None)


async def test_a_grace_of_zero_is_allowed_and_a_negative_one_refused() -> None:
    """``grace=0`` is valid (cancel at once); a negative grace is refused up front."""

    async def fn(item: str) -> str:
        return item

    assert (await run_bulk(["a"], fn, grace=0).collect()).ok
    with pytest.raises(
        ValueError, match=r"^grace must be a non-negative number of seconds, got -0\.5$"
    ):
        run_bulk(["a"], fn, grace=-0.5)


async def test_closing_a_run_never_iterated_is_a_no_op() -> None:
    """``aclose()`` (or ``async with``) on a run that was never iterated does nothing."""

    async def fn(item: str) -> str:
        return item

    run = run_bulk(["a"], fn)
    async with run:
        pass
    await run.aclose()
    assert run.unreported == []
