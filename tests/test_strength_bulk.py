"""run_bulk and BulkRun pinned at their edges (issue #17: mutation testing of _bulk.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import pytest

from talkturo_async import BulkProgress, BulkReport, BulkResult, BulkRun, run_bulk


async def double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


async def fail_odd(x: int) -> int:
    await asyncio.sleep(0)
    if x % 2:
        raise ValueError(f"odd {x}")
    return x


async def test_results_carry_index_input_result_and_error() -> None:
    """Each result has its input's position, the input, and either the result or the exception."""
    report = await run_bulk([10, 11, 12], fail_odd).collect()
    assert [(r.index, r.input, r.result, r.ok) for r in report.succeeded] == [
        (0, 10, 10, True),
        (2, 12, 12, True),
    ]
    (bad,) = report.failed
    assert (bad.index, bad.input, bad.result, bad.ok) == (1, 11, None, False)
    assert isinstance(bad.error, ValueError)
    assert str(bad.error) == "odd 11"


async def test_report_totals_and_ok() -> None:
    """A report counts every input; ok only when nothing failed."""
    mixed = await run_bulk(range(5), fail_odd).collect()
    assert (mixed.total, len(mixed.succeeded), len(mixed.failed), mixed.ok) == (5, 3, 2, False)
    clean = await run_bulk(range(5), double).collect()
    assert (clean.total, clean.ok) == (5, True)
    assert [r.result for r in clean.succeeded] == [0, 2, 4, 6, 8]
    assert 0 <= clean.elapsed < 5


async def test_collect_sorts_by_input_order() -> None:
    """Results finishing out of order are reported in input order by collect()."""

    async def slow_first(x: int) -> int:
        await asyncio.sleep(0.02 if x == 0 else 0)
        return x

    run = run_bulk([0, 1, 2, 3], slow_first, concurrency=4)
    streamed = [r.index async for r in run]
    assert streamed[-1] == 0  # finished last
    report = await run_bulk([0, 1, 2, 3], slow_first, concurrency=4).collect()
    assert [r.index for r in report.succeeded] == [0, 1, 2, 3]


async def test_on_progress_sees_every_step() -> None:
    """run_bulk passes on_progress through: it is called once per input with counts that climb."""
    seen: list[BulkProgress] = []
    run = run_bulk([0, 1, 2, 3], fail_odd, concurrency=1, on_progress=seen.append)
    results = [r async for r in run]
    assert [(p.done, p.succeeded, p.failed, p.total) for p in seen] == [
        (1, 1, 0, 4),
        (2, 1, 1, 4),
        (3, 2, 1, 4),
        (4, 2, 2, 4),
    ]
    assert run.progress == seen[-1]
    assert all(0 <= p.elapsed < 5 for p in seen)
    assert len(results) == 4


async def test_progress_total_is_known_only_for_sized_sources() -> None:
    """A list gives a total before the run starts; a generator gives None."""
    assert run_bulk([1, 2, 3], double).progress.total == 3
    assert run_bulk((x for x in [1, 2, 3]), double).progress.total is None
    fresh = run_bulk([1], double).progress
    assert (fresh.done, fresh.succeeded, fresh.failed, fresh.elapsed) == (0, 0, 0, 0.0)


def test_progress_rate() -> None:
    """rate is inputs per second, and 0 before any time has passed."""
    assert BulkProgress(done=10, succeeded=10, failed=0, total=None, elapsed=2.0).rate == 5.0
    assert BulkProgress(done=3, succeeded=3, failed=0, total=None, elapsed=0.0).rate == 0.0


def test_report_and_result_defaults() -> None:
    """A BulkResult without result or error is a success; an empty report is ok."""
    r: BulkResult[int, int] = BulkResult(index=0, input=1)
    assert (r.result, r.error, r.ok) == (None, None, True)
    empty: BulkReport[BulkResult[int, int]] = BulkReport(succeeded=[], failed=[], elapsed=0.0)
    assert (empty.total, empty.ok) == (0, True)


async def test_a_run_iterates_only_once() -> None:
    """Iterating a run a second time (or collecting it again) is a RuntimeError, not a rerun."""
    calls: list[int] = []

    async def record(x: int) -> int:
        calls.append(x)
        return x

    run = run_bulk([1, 2], record)
    assert (await run.collect()).total == 2
    with pytest.raises(RuntimeError, match=r"^a bulk run can be iterated only once$"):
        await run.collect()
    with pytest.raises(RuntimeError, match=r"^a bulk run can be iterated only once$"):
        run.__aiter__()
    assert calls == [1, 2]


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_concurrency_is_reached_and_never_exceeded(concurrency: int) -> None:
    """Exactly `concurrency` calls run at once when there is enough work."""
    running = 0
    peak = 0

    async def work(x: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.005)
        running -= 1
        return x

    report = await run_bulk(range(10), work, concurrency=concurrency).collect()
    assert report.total == 10
    assert peak == concurrency


@pytest.mark.parametrize("concurrency", [0, -1])
def test_concurrency_below_one_is_refused(concurrency: int) -> None:
    """concurrency < 1 is a ValueError at once."""
    with pytest.raises(ValueError, match=rf"^concurrency must be at least 1, got {concurrency}$"):
        run_bulk([1], double, concurrency=concurrency)


async def test_inputs_are_pulled_lazily() -> None:
    """A generator is pulled only as far as the calls in flight need."""
    pulled: list[int] = []

    def source() -> Iterator[int]:
        for i in range(100):
            pulled.append(i)
            yield i

    gate = asyncio.Event()

    async def wait(x: int) -> int:
        await gate.wait()
        return x

    async with contextlib.aclosing(run_bulk(source(), wait, concurrency=2).__aiter__()) as it:
        task = asyncio.ensure_future(it.__anext__())
        await asyncio.sleep(0.01)
        assert pulled == [0, 1]
        gate.set()
        first = await task
        assert first.index in (0, 1)


async def test_leaving_early_cancels_calls_in_flight_before_returning() -> None:
    """Closing the run cancels the calls still running and waits for them to finish cancelling."""
    started: list[int] = []
    cancelled: list[int] = []

    async def work(x: int) -> int:
        started.append(x)
        if x == 0:
            return x
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            await asyncio.sleep(0)  # cleanup takes a moment
            cancelled.append(x)
            raise
        return x

    async with contextlib.aclosing(run_bulk(range(10), work, concurrency=3).__aiter__()) as it:
        first = await it.__anext__()
        assert first.index == 0
    assert sorted(cancelled) == sorted(started[1:])
    assert len(cancelled) == 2  # inputs 1 and 2; input 3 is not pulled before the next step


async def test_an_async_source_is_consumed_in_order() -> None:
    """An async iterable feeds the run; indexes follow its order."""

    async def source() -> AsyncIterator[str]:
        for s in ("a", "b", "c"):
            await asyncio.sleep(0)
            yield s

    async def upper(s: str) -> str:
        return s.upper()

    report = await run_bulk(source(), upper, concurrency=2).collect()
    assert [(r.index, r.input, r.result) for r in report.succeeded] == [
        (0, "a", "A"),
        (1, "b", "B"),
        (2, "c", "C"),
    ]


async def test_an_empty_source_finishes_at_once() -> None:
    """No inputs: no results, no progress calls, an ok report."""
    seen: list[BulkProgress] = []
    nothing: list[int] = []
    report = await run_bulk(nothing, double, on_progress=seen.append).collect()
    assert (report.total, report.ok, seen) == (0, True, [])


async def test_bulkrun_takes_any_per_input_call() -> None:
    """BulkRun drives a (index, input) call returning a BulkResult, as the SDK's bulk methods do."""

    async def call(index: int, item: str) -> BulkResult[str, int]:
        return BulkResult(index=index, input=item, result=len(item))

    report = await BulkRun(["ab", "c"], call, concurrency=2).collect()
    assert [(r.index, r.result) for r in report.succeeded] == [(0, 2), (1, 1)]


async def test_default_concurrency_is_sixteen() -> None:
    """Without concurrency=, sixteen calls run at once."""
    running = 0
    peak = 0

    async def work(x: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.005)
        running -= 1
        return x

    assert (await run_bulk(range(40), work).collect()).total == 40
    assert peak == 16
