"""Page and AsyncPager pinned at their edges (issue #17: mutation testing of _pagination.py)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from talkturo_async import AsyncPager, Page, PaginationError, Request, Response
from tests.conftest import MockClient, ok


def page(items: list[Any], *, count: int | None, limit: int, offset: int = 0) -> Page[Any]:
    return Page(items=items, count=count, limit=limit, offset=offset)


class Server:
    """A fetch function over ``rows`` that records the (offset, limit) asked and the peak in flight."""

    def __init__(
        self, rows: list[Any], *, with_count: bool = True, delay: float = 0.0, counts: Any = None
    ) -> None:
        self.rows = rows
        self.with_count = with_count
        self.delay = delay
        self.counts = counts  # offset -> count to report instead of len(rows)
        self.calls: list[tuple[int, int]] = []
        self.in_flight = 0
        self.peak = 0

    async def __call__(self, offset: int, limit: int) -> Page[Any]:
        self.calls.append((offset, limit))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        count = len(self.rows) if self.with_count else None
        if self.counts is not None and offset in self.counts:
            count = self.counts[offset]
        return page(self.rows[offset : offset + limit], count=count, limit=limit, offset=offset)


# -- Page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "count", "limit", "offset", "more"),
    [
        ([], 100, 10, 0, False),
        ([], None, 10, 0, False),
        ([1, 2], 12, 2, 10, False),  # offset + len == count
        ([1, 2], 13, 2, 10, True),
        ([1, 2], None, 2, 0, True),  # a full page without a count
        ([1], None, 2, 0, False),  # a short page without a count
        ([1, 2, 3], None, 2, 0, True),  # more than asked for counts as full
    ],
)
def test_has_more(items: list[int], count: int | None, limit: int, offset: int, more: bool) -> None:
    """has_more: never on an empty page; by the count when known, else by a full page."""
    p = page(items, count=count, limit=limit, offset=offset)
    assert p.has_more is more
    assert p.next_offset == offset + len(items)


def test_status_counts_in_either_spelling() -> None:
    """statusCounts or status_counts beside the array is exposed; anything else is None."""
    camel: Page[Any] = Page(
        items=[], count=0, limit=1, offset=0, extra={"statusCounts": {"done": 1}}
    )
    snake: Page[Any] = Page(
        items=[], count=0, limit=1, offset=0, extra={"status_counts": {"done": 2}}
    )
    odd: Page[Any] = Page(items=[], count=0, limit=1, offset=0, extra={"statusCounts": [1]})
    assert camel.status_counts == {"done": 1}
    assert snake.status_counts == {"done": 2}
    assert odd.status_counts is None
    assert page([], count=0, limit=1).status_counts is None


# -- AsyncPager -----------------------------------------------------------------------------------


def test_smallest_valid_arguments_are_accepted() -> None:
    """limit=1, offset=0, max_items=0 and concurrency=1 are all valid."""
    AsyncPager(Server([]), limit=1, offset=0, max_items=0, concurrency=1)


async def test_max_items_equal_to_the_page_size_makes_one_request() -> None:
    """max_items == limit is satisfied by page 1: no further page is fetched."""
    server = Server(list(range(50)))
    got = await AsyncPager(server, limit=5, max_items=5).to_list()
    assert got == [0, 1, 2, 3, 4]
    assert server.calls == [(0, 5)]


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_max_items_on_a_page_boundary_stops_there(concurrency: int) -> None:
    """max_items a multiple of the page size fetches exactly those pages, no more."""
    server = Server(list(range(50)))
    got = await AsyncPager(server, limit=5, max_items=10, concurrency=concurrency).to_list()
    assert got == list(range(10))
    assert sorted(server.calls) == [(0, 5), (5, 5)]


async def test_max_items_counts_from_the_offset() -> None:
    """With an offset, max_items still caps the items and the pages fetched."""
    server = Server(list(range(50)))
    got = await AsyncPager(server, limit=4, offset=3, max_items=6).to_list()
    assert got == [3, 4, 5, 6, 7, 8]
    assert sorted(server.calls) == [(3, 4), (7, 4)]


async def test_max_items_cuts_the_last_page() -> None:
    """The page that crosses max_items is cut, and pages() shows the cut page."""
    server = Server(list(range(50)))
    pages = [p async for p in AsyncPager(server, limit=4, max_items=6, concurrency=1).pages()]
    assert [p.items for p in pages] == [[0, 1, 2, 3], [4, 5]]
    assert pages[1].offset == 4


async def test_max_items_above_the_total() -> None:
    """A max_items larger than the list gives the whole list and nothing beyond it."""
    server = Server(list(range(7)))
    assert await AsyncPager(server, limit=3, max_items=100).to_list() == list(range(7))
    assert sorted(server.calls) == [(0, 3), (3, 3), (6, 3)]


async def test_concurrency_two_fetches_two_pages_at_once() -> None:
    """concurrency=2 has two page requests in flight after page 1, never more."""
    server = Server(list(range(40)), delay=0.01)
    got = await AsyncPager(server, limit=5, concurrency=2).to_list()
    assert got == list(range(40))
    assert server.peak == 2
    assert sorted(server.calls) == [(o, 5) for o in range(0, 40, 5)]


async def test_concurrent_pages_use_the_page_size_the_server_applied() -> None:
    """If page 1 is shorter than asked (a silent cap), later pages step by what it served."""

    async def capped(offset: int, limit: int) -> Page[int]:
        size = min(limit, 3)
        return page(
            list(range(offset, min(offset + size, 10))), count=10, limit=limit, offset=offset
        )

    pager = AsyncPager(capped, limit=5, concurrency=3)
    assert await pager.to_list() == list(range(10))


async def test_a_count_that_shrinks_stops_the_concurrent_listing() -> None:
    """When a later page reports a smaller count, the listing ends there (pages beyond dropped)."""
    server = Server(list(range(40)), counts={5: 10}, delay=0.005)
    got = await AsyncPager(server, limit=5, concurrency=4).to_list()
    assert got == list(range(10))


async def test_a_count_that_grows_is_followed() -> None:
    """When the last expected page reports more rows, the pager goes on page by page."""
    server = Server(list(range(30)), counts={0: 10})
    got = await AsyncPager(server, limit=5, concurrency=4).to_list()
    assert got == list(range(30))


async def test_pages_are_handed_out_in_order_even_when_they_finish_out_of_order() -> None:
    """Later pages finishing first still come out in offset order."""

    async def fetch(offset: int, limit: int) -> Page[int]:
        await asyncio.sleep(0.02 if offset == 5 else 0)
        return page(
            list(range(offset, min(offset + limit, 20))), count=20, limit=limit, offset=offset
        )

    offsets = [p.offset async for p in AsyncPager(fetch, limit=5, concurrency=4).pages()]
    assert offsets == [0, 5, 10, 15]


async def test_closing_pages_cancels_the_requests_in_flight() -> None:
    """Closing pages() after page 2 cancels the concurrent requests still running."""
    server = Server(list(range(1000)), delay=0.05)
    async with contextlib.aclosing(AsyncPager(server, limit=10, concurrency=4).pages()) as pages:
        async for p in pages:
            if p.offset == 10:
                break
    assert server.in_flight == 0


async def test_a_server_ignoring_offset_ends_in_bounded_time() -> None:
    """A server repeating page 1 for every offset fails the listing (instead of looping forever)."""

    async def same(offset: int, limit: int) -> Page[dict[str, int]]:
        await asyncio.sleep(0)  # a real fetch suspends: lets wait_for end a runaway listing
        return page([{"n": i} for i in range(limit)], count=None, limit=limit, offset=offset)

    got: list[dict[str, int]] = []
    with pytest.raises(PaginationError, match="offset=3 with the same items as offset=0"):
        async for item in AsyncPager(same, limit=3):
            got.append(item)
    assert got == [{"n": 0}, {"n": 1}, {"n": 2}]


async def test_the_repeat_check_compares_ids(mock_client: MockClient) -> None:
    """Pages of models are compared by id: a repeated first page through the client fails the list."""
    calls: list[Request] = []

    async def handler(r: Request) -> Response:
        calls.append(r)
        await asyncio.sleep(0)  # a real server suspends: lets wait_for end a runaway listing
        return ok({"success": True, "campaigns": [{"id": "c1", "name": "n"}, {"id": "c2"}]})

    tk, _ = mock_client(handler)
    got: list[str | None] = []
    async with tk:
        with pytest.raises(PaginationError):
            async for campaign in tk.campaigns.list(team_id="t", limit=2):
                got.append(campaign.id)
    assert got == ["c1", "c2"]
    assert len(calls) == 2


async def test_different_pages_are_not_taken_for_repeats() -> None:
    """Pages with different items (no ids) go on; only an identical page ends the list."""

    async def fetch(offset: int, limit: int) -> Page[str]:
        rows = ["a", "b", "c", "d", "e"]
        return page(rows[offset : offset + limit], count=None, limit=limit, offset=offset)

    assert await AsyncPager(fetch, limit=2).to_list() == ["a", "b", "c", "d", "e"]


async def test_max_items_with_list_call_makes_one_request(mock_client: MockClient) -> None:
    """Through the client, max_items equal to limit sends exactly one request."""
    calls: list[Request] = []

    def handler(r: Request) -> Response:
        calls.append(r)
        offset = int(r.url.query["offset"])
        rows = [{"id": f"c{i}"} for i in range(offset, min(offset + 5, 30))]
        return ok({"success": True, "campaigns": rows, "count": 30})

    tk, _ = mock_client(handler)
    async with tk:
        got = await tk.campaigns.list(team_id="t", limit=5, max_items=5).to_list()
    assert len(got) == 5
    assert len(calls) == 1


async def test_pages_after_an_offset_are_still_fetched_concurrently() -> None:
    """With an offset and max_items, the pages up to offset + max_items are fetched at once."""
    server = Server(list(range(100)), delay=0.01)
    got = await AsyncPager(server, limit=5, offset=10, max_items=20, concurrency=4).to_list()
    assert got == list(range(10, 30))
    assert server.calls[0] == (10, 5)
    assert sorted(server.calls[1:]) == [(15, 5), (20, 5), (25, 5)]
    assert server.peak == 3


async def test_default_concurrency_is_four() -> None:
    """Without concurrency=, four page requests run at once after page 1."""
    server = Server(list(range(100)), delay=0.01)
    assert await AsyncPager(server, limit=5).to_list() == list(range(100))
    assert server.peak == 4


async def test_repeats_are_recognised_by_id_even_if_other_fields_change() -> None:
    """A server ignoring offset whose rows carry a changing field still fails the list (bounded)."""
    calls = 0

    class Row:
        def __init__(self, ident: str, seen: int) -> None:
            self.id = ident
            self.seen = seen

        def __repr__(self) -> str:
            return f"Row({self.id}, {self.seen})"

    async def live(offset: int, limit: int) -> Page[Row]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)  # a real fetch suspends: lets wait_for end a runaway listing
        rows = [Row(f"r{i}", calls) for i in range(limit)]
        return page(rows, count=None, limit=limit, offset=offset)

    got: list[Row] = []

    async def consume() -> None:
        async for row in AsyncPager(live, limit=2):
            got.append(row)

    with pytest.raises(PaginationError):
        await asyncio.wait_for(consume(), 2)
    assert [r.id for r in got] == ["r0", "r1"]
    assert calls == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit must be at least 1, got 0"),
        ({"offset": -1}, "offset must not be negative, got -1"),
        ({"max_items": -1}, "max_items must not be negative, got -1"),
        ({"concurrency": 0}, "concurrency must be at least 1, got 0"),
    ],
)
def test_bad_arguments_messages(kwargs: dict[str, int], message: str) -> None:
    """Each bad paging argument has its own exact message."""
    kwargs.setdefault("limit", 5)
    with pytest.raises(ValueError, match=f"^{message}$"):
        AsyncPager(Server([]), **kwargs)
