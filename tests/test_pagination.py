"""AsyncPager: page math, tolerated variants, concurrency, order, cancellation, stuck servers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from talkturo_async import PaginationError, Request, Response
from tests.conftest import MockClient, ok

ROWS = [{"id": f"camp_{i:04d}", "name": f"C{i}"} for i in range(23)]


def server(
    rows: list[dict[str, Any]] = ROWS,
    *,
    total_key: str | None = "count",
    page_mode: bool = False,
    echo: bool = True,
    ignore_offset: bool = False,
    max_limit: int = 1000,
    delay: float = 0.0,
    stats: dict[str, int] | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """A list endpoint with switchable §13.0 variants; ``stats`` tracks requests in flight."""

    async def handler(r: Request) -> Response:
        q = r.url.query
        limit = min(int(q.get("limit", 50)), max_limit)
        offset = 0 if ignore_offset else int(q.get("offset", 0))
        if page_mode and "page" in q:
            offset = (int(q["page"]) - 1) * limit
        if stats is not None:
            stats["in_flight"] += 1
            stats["peak"] = max(stats["peak"], stats["in_flight"])
            stats["started"] += 1
        try:
            if delay:
                await asyncio.sleep(
                    delay * (1 + (offset // limit) % 3)
                )  # pages finish out of order
        finally:
            if stats is not None:
                stats["in_flight"] -= 1
        body: dict[str, Any] = {"success": True, "campaigns": rows[offset : offset + limit]}
        if total_key:
            body[total_key] = len(rows)
        if echo:
            body["limit"] = limit
            if page_mode:
                body["page"] = offset // limit + 1
            else:
                body["offset"] = offset
        return ok(body)

    return handler


async def collect(
    mock_client: MockClient, handler: Any, **kwargs: Any
) -> tuple[list[str | None], list[Request]]:
    tk, transport = mock_client(handler)
    async with tk:
        names = [c.name async for c in tk.campaigns.list(team_id="t", **kwargs)]
    return names, transport.requests


async def test_items_across_pages_in_order(mock_client: MockClient) -> None:
    """Every item once, in order, with offsets stepping by the page size."""
    names, reqs = await collect(mock_client, server(), limit=5)
    assert names == [r["name"] for r in ROWS]
    assert sorted(int(r.url.query["offset"]) for r in reqs) == [0, 5, 10, 15, 20]


async def test_pages_expose_page_math(mock_client: MockClient) -> None:
    """Page has items, count, limit, offset, has_more and next_offset."""
    tk, _ = mock_client(server())
    async with tk:
        pages = [p async for p in tk.campaigns.list(team_id="t", limit=10).pages()]
    assert [(p.offset, len(p.items), p.count, p.limit, p.has_more) for p in pages] == [
        (0, 10, 23, 10, True),
        (10, 10, 23, 10, True),
        (20, 3, 23, 10, False),
    ]
    assert pages[0].next_offset == 10


async def test_total_instead_of_count(mock_client: MockClient) -> None:
    """'total' is read as the count."""
    names, _ = await collect(mock_client, server(total_key="total"), limit=10)
    assert len(names) == 23


async def test_page_numbers_instead_of_offset(mock_client: MockClient) -> None:
    """A server answering 'page' (1-based) is followed with page numbers."""
    names, reqs = await collect(mock_client, server(page_mode=True, total_key="total"), limit=10)
    assert names == [r["name"] for r in ROWS]
    assert sorted(r.url.query.get("page", "1") for r in reqs) == ["1", "2", "3"]


async def test_no_total_falls_back_to_full_pages(mock_client: MockClient) -> None:
    """Without a total, a full page means more; a short page ends the list."""
    names, reqs = await collect(mock_client, server(total_key=None), limit=10)
    assert len(names) == 23
    assert len(reqs) == 3


async def test_no_total_exact_multiple_stops_on_empty_page(mock_client: MockClient) -> None:
    """Without a total and an exact multiple, an empty page ends the list."""
    names, reqs = await collect(mock_client, server(ROWS[:20], total_key=None), limit=10)
    assert len(names) == 20
    assert len(reqs) == 3


async def test_limit_offset_not_echoed_uses_sent_values(mock_client: MockClient) -> None:
    """When limit/offset are not echoed, the values sent are used."""
    names, _ = await collect(mock_client, server(echo=False), limit=7)
    assert names == [r["name"] for r in ROWS]


async def test_server_capping_page_size_silently(mock_client: MockClient) -> None:
    """A server serving fewer rows than asked (cap not echoed) still yields every item once."""
    names, _ = await collect(mock_client, server(max_limit=4, echo=False), limit=10)
    assert names == [r["name"] for r in ROWS]


async def test_max_items_caps_and_stops_fetching(mock_client: MockClient) -> None:
    """max_items cuts the stream and no page beyond it is requested."""
    names, reqs = await collect(mock_client, server(), limit=5, max_items=12)
    assert names == [r["name"] for r in ROWS[:12]]
    assert len(reqs) == 3


async def test_max_items_zero(mock_client: MockClient) -> None:
    """max_items=0 sends nothing."""
    names, reqs = await collect(mock_client, server(), max_items=0)
    assert names == []
    assert reqs == []


async def test_to_list(mock_client: MockClient) -> None:
    """to_list collects everything."""
    tk, _ = mock_client(server())
    async with tk:
        items = await tk.campaigns.list(team_id="t", limit=4).to_list()
    assert [c.id for c in items] == [r["id"] for r in ROWS]


async def test_concurrent_pages_bounded_and_in_order(mock_client: MockClient) -> None:
    """After page 1, pages are fetched concurrently (up to `concurrency`) yet arrive in order."""
    rows = [{"id": f"c{i}", "name": f"n{i}"} for i in range(200)]
    stats = {"in_flight": 0, "peak": 0, "started": 0}
    names, _ = await collect(
        mock_client, server(rows, delay=0.01, stats=stats), limit=10, concurrency=4
    )
    assert names == [r["name"] for r in rows]
    assert stats["peak"] == 4


async def test_concurrency_one_is_sequential(mock_client: MockClient) -> None:
    """concurrency=1 never has two requests in flight."""
    stats = {"in_flight": 0, "peak": 0, "started": 0}
    await collect(mock_client, server(delay=0.005, stats=stats), limit=5, concurrency=1)
    assert stats["peak"] == 1


async def test_break_cancels_in_flight_pages(mock_client: MockClient) -> None:
    """Leaving the loop early cancels the page requests still in flight."""
    rows = [{"id": f"c{i}", "name": f"n{i}"} for i in range(1000)]
    stats = {"in_flight": 0, "peak": 0, "started": 0}
    tk, _ = mock_client(server(rows, delay=0.05, stats=stats))
    async with tk:
        pager = tk.campaigns.list(team_id="t", limit=10, concurrency=4)
        async with contextlib.aclosing(pager.pages()) as pages:
            async for page in pages:
                if page.offset >= 10:
                    break
        assert stats["in_flight"] == 0
        assert stats["started"] <= 1 + 4 + 1


async def test_plain_break_releases_soon(mock_client: MockClient) -> None:
    """A plain `break` from `async for item in pager` releases in-flight requests a moment later."""
    rows = [{"id": f"c{i}", "name": f"n{i}"} for i in range(1000)]
    stats = {"in_flight": 0, "peak": 0, "started": 0}
    tk, _ = mock_client(server(rows, delay=0.05, stats=stats))
    async with tk:
        async for _ in tk.campaigns.list(team_id="t", limit=10, concurrency=4):
            break
        for _ in range(20):
            await asyncio.sleep(0.01)
            if stats["in_flight"] == 0:
                break
        assert stats["in_flight"] == 0


async def test_cancelling_the_task_cancels_pages(mock_client: MockClient) -> None:
    """Cancelling the consuming task cancels in-flight page requests."""
    rows = [{"id": f"c{i}", "name": f"n{i}"} for i in range(1000)]
    stats = {"in_flight": 0, "peak": 0, "started": 0}
    tk, _ = mock_client(server(rows, delay=0.05, stats=stats))
    async with tk:
        task = asyncio.create_task(tk.campaigns.list(team_id="t", limit=10).to_list())
        while stats["started"] < 3:  # noqa: ASYNC110 -- polling a counter the handler bumps
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert stats["in_flight"] == 0


async def test_server_ignoring_offset_is_detected(mock_client: MockClient) -> None:
    """A server answering the same page for every offset fails the listing after the first page."""
    tk, transport = mock_client(server(ignore_offset=True, total_key=None))
    names: list[str | None] = []
    async with tk:
        with pytest.raises(PaginationError, match="offset=5"):
            async for campaign in tk.campaigns.list(team_id="t", limit=5):
                names.append(campaign.name)
    assert names == [r["name"] for r in ROWS[:5]]
    assert len(transport.requests) == 2


async def test_errors_in_a_page_propagate(mock_client: MockClient) -> None:
    """A page that fails after retries raises from the loop."""
    from talkturo_async import NotFoundError

    def handler(r: Request) -> Response | Awaitable[Response]:
        if r.url.query.get("offset") == "10":
            return ok({"error": "gone"}, 404)
        return server()(r)

    async def run() -> None:
        tk, _ = mock_client(handler)
        async with tk:
            await tk.campaigns.list(team_id="t", limit=10).to_list()

    with pytest.raises(NotFoundError):
        await run()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"max_items": -1}, "max_items"),
        ({"concurrency": 0}, "concurrency"),
    ],
)
def test_bad_paging_arguments(mock_client: MockClient, kwargs: dict[str, Any], match: str) -> None:
    """Bad paging arguments are ValueErrors naming the argument, raised before any request."""
    tk, transport = mock_client(server())
    with pytest.raises(ValueError, match=match):
        tk.campaigns.list(team_id="t", **kwargs)
    assert transport.requests == []
