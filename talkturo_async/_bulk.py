"""Bounded-concurrency bulk work: one result per input, as each finishes, nothing lost.

:func:`run_bulk` pulls inputs lazily from any iterable or async iterable, keeps at most
``concurrency`` calls in flight (so memory stays O(concurrency) even for a million-row
generator), and yields a :class:`BulkResult` per input as soon as its call finishes. A failing
input never stops the others: its exception is reported in ``error``. Leaving the loop early or
cancelling the consuming task cancels the calls in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Sequence,
)
from typing import Any, Generic, TypeVar, cast

import attrs

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
    """

    def __init__(
        self,
        source: Iterable[Any] | AsyncIterable[Any],
        call: Callable[[int, Any], Awaitable[ResultT]],
        *,
        concurrency: int,
        on_progress: ProgressHook | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._source = source
        self._call = call
        self._concurrency = concurrency
        self._on_progress = on_progress
        self._started = False
        total = len(source) if hasattr(source, "__len__") else None  # type: ignore[arg-type]
        self.progress = BulkProgress(done=0, succeeded=0, failed=0, total=total, elapsed=0.0)

    def __aiter__(self) -> AsyncIterator[ResultT]:
        if self._started:
            raise RuntimeError("a bulk run can be iterated only once")
        self._started = True
        return self._run()

    async def _run(self) -> AsyncIterator[ResultT]:
        start = time.perf_counter()
        items = _aiter(self._source)
        pending: set[asyncio.Task[ResultT]] = set()
        index = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < self._concurrency:
                    try:
                        item = await items.__anext__()
                    except StopAsyncIteration:
                        exhausted = True
                        break
                    pending.add(asyncio.ensure_future(self._call(index, item)))
                    index += 1
                if not pending:
                    return
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    result = task.result()
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
                    yield result
        finally:
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
            await items.aclose()

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
    fn: Callable[[Any], Awaitable[Any]], result_type: type[ResultT]
) -> Callable[[int, Any], Awaitable[ResultT]]:
    """Wrap ``fn`` so each input gives a ``result_type`` with its result or its exception."""

    async def call(index: int, item: Any) -> ResultT:
        try:
            return result_type(index=index, input=item, result=await fn(item))
        except Exception as exc:  # one input's failure never stops the run
            return result_type(index=index, input=item, error=exc)

    return call


def run_bulk(
    inputs: Iterable[InputT] | AsyncIterable[InputT],
    fn: Callable[[InputT], Awaitable[OutputT]],
    *,
    concurrency: int = 16,
    on_progress: ProgressHook | None = None,
) -> BulkRun[BulkResult[InputT, OutputT]]:
    """Call ``fn(input)`` for every input, at most ``concurrency`` at once; never raises per input.

    For bulk work the SDK has no method for, e.g. bulk updates::

        updates = [{"id": cid, "lead_status": "qualified"} for cid in ids]
        async for r in run_bulk(updates, lambda u: tk.contacts.update(u["id"], lead_status=u["lead_status"])):
            if r.error:
                print(r.index, r.error)

    ``fn`` should be a coroutine function going through the client (so retries and the client's
    rate limit apply). Exceptions other than cancellation are reported in ``BulkResult.error``.
    """

    call = cast(
        "Callable[[int, Any], Awaitable[BulkResult[InputT, OutputT]]]", per_item(fn, BulkResult)
    )
    return BulkRun(inputs, call, concurrency=concurrency, on_progress=on_progress)


def run_chunked(
    items: Sequence[InputT],
    send: Callable[[list[InputT]], Awaitable[OutputT]],
    *,
    chunk_size: int,
    concurrency: int,
) -> BulkRun[BulkResult[list[InputT], OutputT]]:
    """Send ``items`` in chunks of ``chunk_size``, ``concurrency`` chunks at a time.

    One :class:`BulkResult` per chunk, as each finishes: ``input`` is the chunk as sent, with
    ``result`` or ``error``. A failed chunk never stops the others.

    Raises:
        ValueError: ``chunk_size`` or ``concurrency`` below 1.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    chunks = [list(items[k : k + chunk_size]) for k in range(0, len(items), chunk_size)]
    return run_bulk(chunks, send, concurrency=concurrency)
