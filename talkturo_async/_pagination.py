"""Offset pagination: :class:`Page`, :class:`AsyncPager`, and reading a list answer.

:class:`AsyncPager` is what every ``list`` method returns; :meth:`Page.from_body` reads a list
answer into a page.

The pager fetches page 1; once it knows the total ``count`` it fetches the remaining pages
concurrently (at most ``concurrency`` requests in flight, and so at most that many pages held),
and still hands them out strictly in order. Leaving the loop early, or cancelling the task,
cancels the requests still in flight.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import typing
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._config import check_int
from ._errors import PaginationError

if TYPE_CHECKING:
    from ._variants import Envelope

T = TypeVar("T")
Item = TypeVar("Item")
logger = logging.getLogger("talkturo_async")

__all__ = ["AsyncPager", "Page", "Paging", "offset_pager"]


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a list.

    Attributes:
        items: the page's items.
        count: total matches before paging as the server reported it (``None`` if it did not).
        limit: the page size the server applied (or the one requested, if not echoed).
        offset: where this page starts.
        extra: other keys beside the array (for example ``statusCounts``).
    """

    items: list[T]
    count: int | None
    limit: int
    offset: int
    # The factory is ``dict`` itself; the cast (once, at import) only says what it makes.
    extra: dict[str, Any] = attrs.field(
        factory=typing.cast("Callable[[], dict[str, Any]]", dict), repr=False
    )

    @property
    def has_more(self) -> bool:
        """Whether more items are expected after this page."""
        if not self.items:
            return False
        if self.count is not None:
            return self.offset + len(self.items) < self.count
        return len(self.items) >= self.limit

    @property
    def next_offset(self) -> int:
        """The offset of the page after this one."""
        return self.offset + len(self.items)

    @property
    def status_counts(self) -> dict[str, Any] | None:
        """Per-status counts sent beside campaign-contact pages, if any."""
        value = self.extra.get("statusCounts", self.extra.get("status_counts"))
        return typing.cast("dict[str, Any]", value) if isinstance(value, dict) else None

    @classmethod
    def from_body(
        cls,
        body: Any,
        envelope: Envelope,
        item_type: type[Item],
        *,
        sent_limit: int,
        sent_offset: int,
    ) -> Page[Item]:
        """Read a list answer into a page.

        It has the array (via ``envelope``), ``count``/``total``, ``limit``, and ``offset`` or a
        1-based ``page``; what the server leaves out is taken from the request.

        Args:
            body: the decoded JSON answer.
            envelope: where the array sits in it.
            item_type: the model each item becomes.
            sent_limit: the ``limit`` the request asked for.
            sent_offset: the ``offset`` the request asked for.

        Raises:
            ValueError: the answer holds no array where the envelope says, or an item that cannot
                be an ``item_type`` (named ``contacts[3]: ...``). The pager's calls turn it into a
                :class:`ResponseValidationError` carrying the answer's status and URL.
        """
        from ._converter import structure

        raw = envelope.items(body)
        if raw is None:
            raise ValueError(f"the list answer has no {envelope.key!r} array")
        items = structure(raw, list[item_type], path=envelope.key or "items")  # type: ignore[valid-type]
        meta = typing.cast("dict[str, Any]", body) if isinstance(body, dict) else {}
        count = _as_int(meta.get("count", meta.get("total")))
        limit = _as_int(meta.get("limit")) or sent_limit
        offset = _as_int(meta.get("offset"))
        if offset is None:
            page_no = _as_int(meta.get("page"))
            offset = (page_no - 1) * limit if page_no is not None and page_no >= 1 else sent_offset
        return Page(
            items=items, count=count, limit=limit, offset=offset, extra=envelope.siblings(body)
        )


@attrs.frozen(kw_only=True)
class Paging:
    """The paging arguments every ``list`` method takes, bundled, and checked when made.

    The API documents no largest page size, so ``limit`` has no upper bound here (a server may
    answer with fewer items; the pager follows the ``limit`` it echoes).

    Attributes:
        limit: page size to ask for.
        offset: where to start.
        max_items: stop after this many items (``None``: all).
        concurrency: pages fetched at once after the first (``None``: the client's default).
    """

    limit: int = 50
    offset: int = 0
    max_items: int | None = None
    concurrency: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_paging(self.limit, self.offset, self.max_items, self.concurrency)


def _check_paging(limit: Any, offset: Any, max_items: Any, concurrency: Any) -> None:
    """The one check of the paging arguments of every ``list`` method (and :class:`AsyncPager`).

    Raises:
        TypeError: one is not an ``int`` (``"50"``, ``2.5`` and ``True`` are refused).
        ValueError: ``limit`` or ``concurrency`` below 1, ``offset`` or ``max_items`` negative.
    """
    check_int("limit", limit, minimum=1)
    check_int("offset", offset, minimum=0)
    check_int("max_items", max_items, minimum=0, optional=True)
    check_int("concurrency", concurrency, minimum=1, optional=True)


FetchPage = Callable[[int, int], Awaitable[Page[T]]]


def _fingerprint(items: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(getattr(item, "id", None) or repr(item) for item in items)


def _loop_error(page: Page[Any], earlier: int) -> PaginationError:
    return PaginationError(
        f"the server answered offset={page.offset} with the same items as offset={earlier}; it "
        "seems to ignore or loop its paging, so the listing stops rather than repeat items",
        status_code=200,
        method="GET",
    )


class AsyncPager(Generic[T]):
    """Streams a list, page after page.

    ``async for item in pager`` yields items; ``async for page in pager.pages()`` yields
    :class:`Page` objects; ``await pager.to_list()`` collects everything. ``max_items`` caps the
    number of items; ``concurrency`` bounds the pages fetched at once after the first.

    To stop early and release requests at once rather than when the generator is collected, wrap
    the iteration in ``contextlib.aclosing(pager.pages())``; a plain ``break`` also works, a moment later.

    Args:
        fetch: ``await fetch(offset, limit)`` returns one :class:`Page`.
        limit: items per page.
        offset: the first item to read.
        max_items: stop after this many items (``None``: all).
        concurrency: pages fetched at once once the total is known.

    Raises:
        TypeError: a paging argument that is not an ``int``, at construction.
        ValueError: ``limit`` or ``concurrency`` below 1, ``offset`` or ``max_items`` negative.
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        limit: int,
        offset: int = 0,
        max_items: int | None = None,
        concurrency: int = 4,
    ) -> None:
        _check_paging(limit, offset, max_items, None)
        check_int("concurrency", concurrency, minimum=1)
        self._fetch = fetch
        self._limit = limit
        self._offset = offset
        self._max_items = max_items
        self._concurrency = concurrency

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iter_items()

    async def _iter_items(self) -> AsyncGenerator[T, None]:
        async with contextlib.aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def to_list(self) -> list[T]:
        """Every item (up to ``max_items``) in one list."""
        items: list[T] = []
        async with contextlib.aclosing(self.pages()) as pages:  # a page at a time, not an item
            async for page in pages:
                items.extend(page.items)
        return items

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield pages in order; items beyond ``max_items`` are cut from the last one.

        Raises:
            PaginationError: the server repeated a page, or ended the list short of its own
                ``count`` (the pages already yielded are correct).
        """
        remaining = self._max_items
        if remaining == 0:
            return
        first = await self._fetch(self._offset, self._limit)
        seen: dict[tuple[Any, ...], int] = {}
        last = first
        async with contextlib.aclosing(self._all_pages(first)) as all_pages:
            async for page in all_pages:
                last = page
                if page.items:
                    mark = _fingerprint(page.items)
                    if mark in seen:
                        raise _loop_error(page, seen[mark])
                    seen[mark] = page.offset
                if remaining is not None:
                    if len(page.items) >= remaining:
                        yield attrs.evolve(page, items=page.items[:remaining])
                        return
                    remaining -= len(page.items)
                yield page
        if last.count is not None and last.offset + len(last.items) < last.count:
            raise PaginationError(
                f"the server said the list has {last.count} items but it ended after "
                f"{last.offset + len(last.items)}",
                status_code=200,
                method="GET",
            )

    async def _all_pages(self, first: Page[T]) -> AsyncGenerator[Page[T], None]:
        yield first
        page = first
        if page.count is not None and page.has_more and self._concurrency > 1:
            async with contextlib.aclosing(self._concurrent(first)) as pages:
                async for page in pages:
                    yield page
        while page.has_more:
            page = await self._fetch(page.next_offset, self._limit)
            yield page

    async def _concurrent(self, first: Page[T]) -> AsyncGenerator[Page[T], None]:
        """Pages after ``first`` up to its ``count``, fetched ``concurrency`` at a time, in order."""
        assert first.count is not None
        step = min(first.limit, len(first.items))  # the server may cap the page size silently
        end = first.count
        if self._max_items is not None:
            end = min(end, self._offset + self._max_items)
        offsets = iter(range(first.next_offset, end, step))
        window: collections.deque[asyncio.Task[Page[T]]] = collections.deque()

        def refill() -> None:
            while len(window) < self._concurrency:
                offset = next(offsets, None)
                if offset is None:
                    return
                window.append(asyncio.ensure_future(self._fetch(offset, step)))

        try:
            refill()
            while window:
                page = await window.popleft()
                yield page
                if not page.has_more:
                    return
                refill()
        finally:
            for task in window:
                task.cancel()
            if window:
                await asyncio.gather(*window, return_exceptions=True)


def offset_pager(
    request: Callable[..., Awaitable[Any]],
    path: str,
    item_type: type[T],
    envelope: Envelope,
    params: Mapping[str, Any],
    paging: Paging,
    *,
    default_concurrency: int,
) -> AsyncPager[T]:
    """An :class:`AsyncPager` over a ``limit``/``offset`` list endpoint.

    ``request(method, path, params=..., parse=...)`` sends one call through the client's
    pipeline. A server
    that answers with ``page`` and no ``offset`` is asked for ``page`` as well from then on.
    """
    page_mode = False

    async def fetch(page_offset: int, page_limit: int) -> Page[T]:
        nonlocal page_mode
        query = {**params, "limit": page_limit, "offset": page_offset}
        if page_mode:
            query["page"] = page_offset // page_limit + 1

        def parse(body: Any) -> tuple[Any, Page[T]]:
            nonlocal page_mode
            if isinstance(body, dict) and "page" in body and "offset" not in body:
                page_mode = True
            page: Page[T] = Page.from_body(
                body, envelope, item_type, sent_limit=page_limit, sent_offset=page_offset
            )
            return typing.cast(Any, body), page

        # ``parse`` runs inside the pipeline: a malformed page is a ResponseValidationError.
        answer: tuple[Any, Page[T]] = await request("GET", path, params=query, parse=parse)
        body, page = answer
        if page.offset != page_offset:
            raise PaginationError(
                f"asked for offset={page_offset}, the server answered with offset={page.offset}",
                status_code=200,
                body=typing.cast("dict[str, Any]", body) if isinstance(body, dict) else None,
                method="GET",
            )
        return page

    return AsyncPager(
        fetch,
        limit=paging.limit,
        offset=paging.offset,
        max_items=paging.max_items,
        concurrency=default_concurrency if paging.concurrency is None else paging.concurrency,
    )
