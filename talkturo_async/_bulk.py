"""Bounded-concurrency bulk work: one result per input, as each finishes, nothing lost.

:func:`run_bulk` pulls inputs lazily from any iterable or async iterable, keeps at most
``concurrency`` calls in flight (so memory stays O(concurrency) even for a million-row
generator), and yields a :class:`BulkResult` per input as soon as its call finishes. A failing
input never stops the others: its exception is reported in ``error``. Leaving the loop early or
cancelling the consuming task cancels the calls in flight.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Awaitable,
    Callable,
    Iterable,
    Sequence,
)
from typing import Any, Generic, TypeVar, cast

import attrs

from ._config import check_int, check_number
from ._errors import OutcomeUnknownError

__all__ = ["BulkProgress", "BulkReport", "BulkResult", "BulkRun", "run_bulk", "run_chunked"]

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT")
ResultT = TypeVar("ResultT", bound="BulkResult[Any, Any]")


@attrs.frozen(kw_only=True)
class BulkResult(Generic[InputT, OutputT]):
    """The outcome of one input.

    Attributes:
        index: the input's position in the source (0-based).
        input: the input as given.
        result: what the call returned (``None`` when it failed).
        error: the exception that failed it (``None`` when it succeeded). Validation problems are
            ``ValueError``; API failures are :class:`TalkturoError` subclasses.
    """

    index: int
    input: InputT
    result: OutputT | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """Whether the input succeeded."""
        return self.error is None


@attrs.frozen(kw_only=True)
class BulkProgress:
    """Where a bulk run stands, passed to ``on_progress`` after every finished input.

    ``total`` is known when the source has a length (a list), else ``None``.
    """

    done: int
    succeeded: int
    failed: int
    total: int | None
    elapsed: float

    @property
    def rate(self) -> float:
        """Inputs finished per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@attrs.frozen(kw_only=True)
class BulkReport(Generic[ResultT]):
    """Everything a bulk run produced, from ``BulkRun.collect()``: results in input order."""

    succeeded: list[ResultT]
    failed: list[ResultT]
    elapsed: float

    @property
    def total(self) -> int:
        return len(self.succeeded) + len(self.failed)

    @property
    def ok(self) -> bool:
        """Whether every input succeeded."""
        return not self.failed


ProgressHook = Callable[[BulkProgress], None]


async def _aiter(source: Iterable[Any] | AsyncIterable[Any]) -> AsyncGenerator[Any, None]:
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
    else:
        for item in source:
            yield item


class BulkRun(Generic[ResultT]):
    """A bulk run: iterate it for results as they finish, or ``await run.collect()``.

    A run can be iterated once. ``progress`` holds the latest :class:`BulkProgress`.

    Leaving the loop early (``break``, an exception from ``on_progress``, cancelling the task)
    never loses a row that was sent: the rows still in flight get ``grace`` seconds to finish,
    then are cancelled, and every one of them lands in ``unreported`` — with its outcome, or
    with an :class:`OutcomeUnknownError` when it was cancelled (it may exist on the server).

    Attributes:
        progress: the latest :class:`BulkProgress`.
        unreported: after an early exit, the results of the rows that were in flight and never
            yielded, in input order (empty after a complete run).

    Args:
        source: the inputs, an iterable or async iterable, pulled lazily.
        call: ``call(index, input)`` returns the input's result (and never raises for one input).
        concurrency: at most this many calls in flight.
        on_progress: called with a :class:`BulkProgress` after every finished input.
        result_type: builds the result of a row cancelled in flight (``index``, ``input``,
            ``error``); :class:`BulkResult` by default.
        grace: seconds the rows in flight get to finish after an early exit.

    Raises:
        ValueError: ``concurrency`` below 1 or a negative ``grace``.
    """

    def __init__(
        self,
        source: Iterable[Any] | AsyncIterable[Any],
        call: Callable[[int, Any], Awaitable[ResultT]],
        *,
        concurrency: int,
        on_progress: ProgressHook | None = None,
        result_type: Callable[..., ResultT] | None = None,
        grace: float = 2.0,
    ) -> None:
        check_int("concurrency", concurrency, minimum=1)
        check_number("grace", grace, zero=True, infinite=True)
        if on_progress is not None and not callable(on_progress):
            raise TypeError(f"on_progress must be callable, got {type(on_progress).__name__}")
        self._source = source
        self._call = call
        self._concurrency = concurrency
        self._on_progress = on_progress
        self._result_type = cast("Callable[..., ResultT]", result_type or BulkResult)
        self._grace = grace
        self._started = False
        self._iterator: AsyncGenerator[ResultT, None] | None = None
        total = len(source) if hasattr(source, "__len__") else None  # type: ignore[arg-type]
        self.progress: BulkProgress = BulkProgress(
            done=0, succeeded=0, failed=0, total=total, elapsed=0.0
        )
        self.unreported: list[ResultT] = []

    def __aiter__(self) -> AsyncGenerator[ResultT, None]:
        if self._started:
            raise RuntimeError("a bulk run can be iterated only once")
        self._started = True
        self._iterator = self._run()
        return self._iterator

    async def aclose(self) -> None:
        """Stop the run now: rows in flight get the grace period and land in ``unreported``.

        A plain ``break`` does the same a moment later, when the loop's iterator is collected;
        ``aclose()`` (or ``async with run:``) makes ``unreported`` complete when it returns.
        """
        if self._iterator is not None:
            await self._iterator.aclose()

    async def __aenter__(self) -> BulkRun[ResultT]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _run(self) -> AsyncGenerator[ResultT, None]:
        start = time.perf_counter()
        items = _aiter(self._source)
        # Every started row stays here until it has been yielded: what is left at an early exit
        # is exactly what the caller has not been told about.
        in_flight: dict[asyncio.Future[ResultT], tuple[int, Any]] = {}
        finished: collections.deque[asyncio.Future[ResultT]] = collections.deque()
        index = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(in_flight) < self._concurrency:
                    try:
                        item = await items.__anext__()
                    except StopAsyncIteration:
                        exhausted = True
                        break
                    in_flight[asyncio.ensure_future(self._call(index, item))] = (index, item)
                    index += 1
                if not in_flight:
                    return
                if not finished:
                    running = [t for t in in_flight if t not in finished]
                    done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                    finished.extend(sorted(done, key=lambda t: in_flight[t][0]))
                task = finished.popleft()
                result = task.result()
                self._count(result, start)
                del in_flight[task]
                yield result
        finally:
            if in_flight:
                await self._settle(in_flight)
            await items.aclose()

    def _count(self, result: ResultT, start: float) -> None:
        ok = result.ok
        p = self.progress
        self.progress = attrs.evolve(
            p,
            done=p.done + 1,
            succeeded=p.succeeded + ok,
            failed=p.failed + (not ok),
            elapsed=time.perf_counter() - start,
        )
        if self._on_progress is not None:
            self._on_progress(self.progress)

    async def _settle(self, in_flight: dict[asyncio.Future[ResultT], tuple[int, Any]]) -> None:
        """Give the rows in flight ``grace`` seconds, cancel the rest; report all in ``unreported``."""
        tasks = list(in_flight)
        still = [t for t in tasks if not t.done()]
        if still and self._grace > 0:
            _, pending = await asyncio.wait(still, timeout=self._grace)
            still = list(pending)
        for task in still:
            task.cancel()
        if still:
            await asyncio.gather(*still, return_exceptions=True)
        for task in tasks:
            row, item = in_flight[task]
            if task.cancelled() or task.exception() is not None:
                error = OutcomeUnknownError(
                    f"row {row} was in flight when the run stopped; it may exist on the server"
                )
                self.unreported.append(self._result_type(index=row, input=item, error=error))
            else:
                self.unreported.append(task.result())
        self.unreported.sort(key=lambda r: r.index)

    async def collect(self) -> BulkReport[ResultT]:
        """Run to the end and return every result, split into succeeded and failed, in input order."""
        start = time.perf_counter()
        results = [r async for r in self]
        results.sort(key=lambda r: r.index)
        return BulkReport(
            succeeded=[r for r in results if r.ok],
            failed=[r for r in results if not r.ok],
            elapsed=time.perf_counter() - start,
        )


def per_item(
    fn: Callable[[int, Any], Awaitable[Any]], result_type: type[ResultT]
) -> Callable[[int, Any], Awaitable[ResultT]]:
    """Wrap ``fn(index, input)`` so each input gives a ``result_type`` with its result or error."""

    async def call(index: int, item: Any) -> ResultT:
        try:
            return result_type(index=index, input=item, result=await fn(index, item))
        except Exception as exc:  # one input's failure never stops the run
            return result_type(index=index, input=item, error=exc)

    return call


def run_bulk(
    inputs: Iterable[InputT] | AsyncIterable[InputT],
    fn: Callable[[InputT], Awaitable[OutputT]],
    *,
    concurrency: int = 16,
    on_progress: ProgressHook | None = None,
    grace: float = 2.0,
) -> BulkRun[BulkResult[InputT, OutputT]]:
    """Call ``fn(input)`` for every input, at most ``concurrency`` at once; never raises per input.

    For bulk work the SDK has no method for, e.g. bulk updates::

        updates = [{"id": cid, "lead_status": "qualified"} for cid in ids]
        async for r in run_bulk(updates, lambda u: tk.contacts.update(u["id"], lead_status=u["lead_status"])):
            if r.error:
                print(r.index, r.error)

    ``fn`` should be a coroutine function going through the client (so retries and the client's
    rate limit apply). Exceptions other than cancellation are reported in ``BulkResult.error``.

    Args:
        inputs: any iterable or async iterable, pulled lazily.
        fn: the coroutine function called once per input.
        concurrency: calls in flight at once.
        on_progress: called with a :class:`BulkProgress` after every finished input.
        grace: seconds the calls in flight get to finish after an early exit (see
            :class:`BulkRun`).

    Raises:
        TypeError: ``concurrency`` not an ``int``, ``grace`` not a number, ``on_progress`` not
            callable.
        ValueError: ``concurrency`` below 1, a negative or NaN ``grace``.
    """
    call = cast(
        "Callable[[int, Any], Awaitable[BulkResult[InputT, OutputT]]]",
        per_item(lambda _, item: fn(item), BulkResult),
    )
    return BulkRun(inputs, call, concurrency=concurrency, on_progress=on_progress, grace=grace)


def run_chunked(
    items: Sequence[InputT],
    send: Callable[[int, list[InputT]], Awaitable[OutputT]],
    *,
    chunk_size: int,
    concurrency: int,
) -> BulkRun[BulkResult[list[InputT], OutputT]]:
    """Send ``items`` in chunks of ``chunk_size``, ``concurrency`` chunks at a time.

    ``send(chunk_number, chunk)`` sends one chunk; the numbering is the same on every run over
    the same items, so it can derive a stable idempotency key. One :class:`BulkResult` per chunk,
    as each finishes: ``input`` is the chunk as sent, with ``result`` or ``error``. A failed chunk
    never stops the others.

    Raises:
        TypeError: ``chunk_size`` or ``concurrency`` not an ``int``.
        ValueError: ``chunk_size`` or ``concurrency`` below 1.
    """
    check_int("chunk_size", chunk_size, minimum=1)
    check_int("concurrency", concurrency, minimum=1)
    chunks = [list(items[k : k + chunk_size]) for k in range(0, len(items), chunk_size)]
    call = cast(
        "Callable[[int, Any], Awaitable[BulkResult[list[InputT], OutputT]]]",
        per_item(send, BulkResult),
    )
    return BulkRun(chunks, call, concurrency=concurrency)
