"""``_pagination.py`` after the architecture step: ``Page.from_body``, ``offset_pager`` and the
pager's errors pinned (issue #17)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest

from talkturo_async import APIError, Contact, PaginationError
from talkturo_async._pagination import AsyncPager, Page, Paging, offset_pager
from talkturo_async._variants import Envelope

ITEMS = Envelope("items")
RECORD = cast("type[dict[str, Any]]", dict)  # the item type: records stay plain dicts


def read(body: Any, *, sent_limit: int = 10, sent_offset: int = 0) -> Page[dict[str, Any]]:
    return Page[dict[str, Any]].from_body(
        body, ITEMS, RECORD, sent_limit=sent_limit, sent_offset=sent_offset
    )


# -- Page.from_body -------------------------------------------------------------------------------


def test_an_answer_without_the_array_is_a_value_error_naming_the_key() -> None:
    """No array where the envelope says: a ValueError naming the key (the pager's call turns it
    into a ResponseValidationError with the answer's status and URL)."""
    body: dict[str, list[object]] = {"things": []}
    with pytest.raises(ValueError, match="no 'items' array") as info:
        read(body)
    assert str(info.value) == "the list answer has no 'items' array"
    assert not isinstance(info.value, APIError)


def test_a_bad_item_is_named_by_the_envelope_key_and_its_index() -> None:
    """An item that cannot be a record: a ValueError naming ``contacts[i]``."""
    body = {"contacts": [{"id": "a"}, {"firstName": "no id"}], "count": 2}
    with pytest.raises(ValueError, match=r"^contacts\[1\]: Contact record has no 'id'$"):
        Page[Contact].from_body(body, Envelope("contacts"), Contact, sent_limit=10, sent_offset=0)
    page = Page[Contact].from_body(
        {"contacts": [{"id": "a"}]}, Envelope("contacts"), Contact, sent_limit=10, sent_offset=0
    )
    assert [c.id for c in page.items] == ["a"]


def test_count_falls_back_to_total_and_limit_is_read() -> None:
    """``total`` stands in for a missing ``count``; the server's ``limit`` wins over the sent one."""
    page = read({"items": [{}], "total": 7, "limit": 25, "offset": 0})
    assert (page.count, page.limit) == (7, 25)


def test_a_bare_array_takes_everything_from_the_request() -> None:
    """A bare array has no count; limit and offset are the ones sent."""
    page = read([{"a": 1}], sent_limit=5, sent_offset=15)
    assert (page.items, page.count, page.limit, page.offset) == ([{"a": 1}], None, 5, 15)


@pytest.mark.parametrize(("page_no", "offset"), [(3, 20), (1, 0), (0, 7), ("x", 7)])
def test_a_page_number_gives_the_offset(page_no: Any, offset: int) -> None:
    """Without ``offset``, a 1-based ``page`` gives it; a page below 1 or not a number does not."""
    assert read({"items": [], "page": page_no, "limit": 10}, sent_offset=7).offset == offset


# -- the pager's errors ---------------------------------------------------------------------------


async def test_a_repeated_page_error_says_which_offsets() -> None:
    """A page repeating an earlier one ends the list with a PaginationError (200, GET)."""

    async def fetch(offset: int, limit: int) -> Page[str]:
        return Page(items=["a", "b"], count=None, limit=2, offset=offset)

    with pytest.raises(PaginationError) as info:
        await AsyncPager(fetch, limit=2).to_list()
    exc = info.value
    assert exc.message == (
        "the server answered offset=2 with the same items as offset=0; it seems to ignore or "
        "loop its paging, so the listing stops rather than repeat items"
    )
    assert (exc.status_code, exc.method) == (200, "GET")


async def test_a_list_ending_short_of_its_count_says_where() -> None:
    """A list ending before its count raises a PaginationError (200, GET) with both numbers."""

    async def fetch(offset: int, limit: int) -> Page[str]:
        items = [str(offset), str(offset + 1)] if offset < 4 else []
        return Page(items=items, count=9, limit=2, offset=offset)

    with pytest.raises(PaginationError) as info:
        await AsyncPager(fetch, limit=2, concurrency=1).to_list()
    exc = info.value
    assert exc.message == "the server said the list has 9 items but it ended after 4"
    assert (exc.status_code, exc.method) == (200, "GET")


# -- offset_pager ---------------------------------------------------------------------------------


def recording(*bodies: Any) -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    async def request(
        method: str, path: str, *, params: dict[str, Any], parse: Callable[[Any], Any]
    ) -> Any:
        # The client's pipeline hands the decoded body to ``parse``, as this does.
        calls.append((method, dict(params)))
        return parse(bodies[len(calls) - 1])

    return request, calls


async def test_offset_pager_sends_gets_and_stays_in_offset_mode() -> None:
    """Answers without ``page`` (with or without ``offset``) keep the queries to limit/offset."""
    request, calls = recording(
        {"items": [{"n": 1}, {"n": 2}]},
        {"items": [{"n": 3}, {"n": 4}], "offset": 2},
        {"items": []},
    )
    pager = offset_pager(
        request, "things", RECORD, ITEMS, {"q": "x"}, Paging(limit=2), default_concurrency=1
    )
    assert [item["n"] async for item in pager] == [1, 2, 3, 4]
    assert calls == [
        ("GET", {"q": "x", "limit": 2, "offset": 0}),
        ("GET", {"q": "x", "limit": 2, "offset": 2}),
        ("GET", {"q": "x", "limit": 2, "offset": 4}),
    ]


async def test_offset_pager_switches_to_page_numbers_only_without_offset() -> None:
    """An answer with ``page`` and ``offset`` keeps offset mode; ``page`` alone adds ``page``."""
    request, calls = recording(
        {"items": [{"n": 1}], "page": 1, "offset": 0},
        {"items": [{"n": 2}], "page": 2},
        {"items": []},
    )
    pager = offset_pager(
        request, "things", RECORD, ITEMS, {}, Paging(limit=1), default_concurrency=1
    )
    assert [item["n"] async for item in pager] == [1, 2]
    assert [query for _, query in calls] == [
        {"limit": 1, "offset": 0},
        {"limit": 1, "offset": 1},
        {"limit": 1, "offset": 2, "page": 3},
    ]


async def test_offset_pager_refuses_an_answer_for_another_offset() -> None:
    """An answer echoing another offset than asked is a PaginationError (200, GET, the body)."""
    body = {"items": [{"n": 1}], "offset": 5}
    request, _ = recording(body)
    pager = offset_pager(
        request, "things", RECORD, ITEMS, {}, Paging(limit=1), default_concurrency=1
    )
    with pytest.raises(PaginationError) as info:
        await pager.to_list()
    exc = info.value
    assert exc.message == "asked for offset=0, the server answered with offset=5"
    assert (exc.status_code, exc.body, exc.method) == (200, body, "GET")
