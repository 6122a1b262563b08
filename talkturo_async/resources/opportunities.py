"""``tk.opportunities``: deals in the CRM pipeline."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from .._config import check_int
from .._options import RequestOptions
from .._pagination import AsyncPager, Paging, offset_pager
from .._variants import Envelope
from .._wire import snake, to_wire
from ..models.opportunities import Opportunity
from ._base import Resource, checked, not_blank, require, segment

if TYPE_CHECKING:
    from .._errors import JSON

OPPORTUNITY = Envelope("opportunity")
OPPORTUNITIES = Envelope("opportunities")


def _path(opportunity_id: str) -> str:
    return f"crm/opportunities/{segment('opportunity_id', opportunity_id)}"


def _by_page_number(send: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``send`` for a list that pages by 1-based ``page`` and ``limit``.

    The pager's ``offset`` becomes ``page = offset // limit + 1`` (the answer's ``page`` is read
    back as an offset). Once the server echoes a smaller ``limit`` than asked (it caps the page
    size), that size is asked for from then on, so page numbers keep matching offsets.
    """
    size: int | None = None

    async def request(
        method: str, path: str, *, params: Mapping[str, Any], parse: Callable[[Any], Any]
    ) -> Any:
        nonlocal size
        limit = size or params["limit"]
        query = {k: v for k, v in params.items() if k not in ("offset", "page", "limit")}
        query.update(limit=limit, page=params["offset"] // limit + 1)

        def read(body: Any) -> Any:
            nonlocal size
            answer: JSON = body  # a page's decoded JSON (typed for the ``limit`` lookup)
            echoed = answer.get("limit") if isinstance(answer, dict) else None
            if isinstance(echoed, int) and not isinstance(echoed, bool) and 0 < echoed < limit:
                size = echoed
            return parse(body)

        return await send(method, path, params=query, parse=read)

    return request


_NAMED = ("title", "value", "stage", "contact_id", "company_id", "expected_close_date")


def _fields(extra_fields: Mapping[str, Any] | None, **named: Any) -> dict[str, Any]:
    """The snake_case body: ``extra_fields`` as given, then the named fields not ``None``.

    Raises:
        TypeError: an ``extra_fields`` key is one of the named fields (in either spelling).
    """
    body: dict[str, Any] = {}
    for key, value in (extra_fields or {}).items():
        name = snake(str(key))
        if name in _NAMED:
            raise TypeError(
                f"extra_fields[{key!r}] is the {name} argument; pass {name}=... instead"
            )
        body[key] = value
    body.update((k, v) for k, v in named.items() if v is not None)
    return body


class Opportunities(Resource):
    """Create, list, read, update and delete opportunities."""

    def list(
        self,
        search: str | None = None,
        contact_id: str | None = None,
        company_id: str | None = None,
        limit: int = 50,
        page: int = 1,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Opportunity]:
        """Stream opportunities, newest first, page after page.

        Args:
            search: only opportunities whose title contains this text.
            contact_id: only those linked to this contact.
            company_id: only those linked to this company.
            limit: page size.
            page: the 1-based page to start from.
            max_items: stop after this many opportunities.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            TypeError: a paging argument that is not an ``int``.
            ValueError: ``page`` or ``limit`` is below 1; ``contact_id`` or ``company_id`` is
                empty.
            ResponseValidationError: a page is not a list of opportunities (while iterating).
        """
        check_int("page", page, minimum=1)
        check_int("limit", limit, minimum=1)  # before it is used to compute the offset
        not_blank(contact_id=contact_id, company_id=company_id)
        params = to_wire({"search": search, "contact_id": contact_id, "company_id": company_id})
        paging = Paging(limit=limit, offset=(page - 1) * limit, max_items=max_items)
        send = self._client._send  # pyright: ignore[reportPrivateUsage] - same package
        if options is not None:
            send = functools.partial(send, options=checked(options))
        return offset_pager(
            _by_page_number(send),
            "crm/opportunities",
            Opportunity,
            OPPORTUNITIES,
            params,
            paging,
            default_concurrency=self._client.page_concurrency
            if concurrency is None
            else concurrency,
        )

    async def create(
        self,
        title: str,
        *,
        value: float | None = None,
        stage: str | None = None,
        contact_id: str | None = None,
        company_id: str | None = None,
        expected_close_date: date | str | None = None,
        extra_fields: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Opportunity:
        """Create an opportunity.

        Args:
            title: what the deal is.
            value: its worth.
            stage: its pipeline stage (a free string; the server's default when left out).
            contact_id: the contact it is with.
            company_id: the company it is with.
            expected_close_date: when it should close (a ``date`` or ``"YYYY-MM-DD"``).
            extra_fields: further keys sent as they are (custom fields, for example); a named
                field may not be given here.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``title`` is missing or empty; ``contact_id`` or ``company_id`` empty.
            TypeError: an ``extra_fields`` key is one of the named fields.
            BadRequestError: the server refused a value (an unknown contact or company, ...).
            ResponseValidationError: the answer is not an opportunity.
        """
        require(title=title)
        not_blank(contact_id=contact_id, company_id=company_id)
        body = _fields(
            extra_fields,
            title=title,
            value=value,
            stage=stage,
            contact_id=contact_id,
            company_id=company_id,
            expected_close_date=expected_close_date,
        )
        return await self._request(
            "POST", "crm/opportunities", Opportunity, OPPORTUNITY, json=body, options=options
        )

    async def get(
        self, opportunity_id: str, *, options: RequestOptions | None = None
    ) -> Opportunity:
        """Fetch one opportunity.

        Args:
            opportunity_id: the opportunity's id.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``opportunity_id`` is empty.
            NotFoundError: no opportunity has this id.
            ResponseValidationError: the answer is not an opportunity.
        """
        path = _path(opportunity_id)
        return await self._request("GET", path, Opportunity, OPPORTUNITY, options=options)

    async def update(
        self,
        opportunity_id: str,
        *,
        title: str | None = None,
        value: float | None = None,
        stage: str | None = None,
        contact_id: str | None = None,
        company_id: str | None = None,
        expected_close_date: date | str | None = None,
        extra_fields: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Opportunity:
        """Change the given fields of an opportunity (those left ``None`` stay as they are).

        Args:
            opportunity_id: the opportunity's id.
            title: a new title.
            value: a new worth.
            stage: a new pipeline stage.
            contact_id: link it to this contact.
            company_id: link it to this company.
            expected_close_date: a new expected close date.
            extra_fields: further keys sent as they are; a named field may not be given here.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: no field to change was given; ``title``, ``contact_id`` or
                ``company_id`` is empty.
            TypeError: an ``extra_fields`` key is one of the named fields.
            NotFoundError: no opportunity has this id.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not an opportunity.
        """
        path = _path(opportunity_id)
        not_blank(title=title, contact_id=contact_id, company_id=company_id)
        body = _fields(
            extra_fields,
            title=title,
            value=value,
            stage=stage,
            contact_id=contact_id,
            company_id=company_id,
            expected_close_date=expected_close_date,
        )
        if not body:
            raise ValueError("update needs at least one field to change")
        return await self._request(
            "PATCH", path, Opportunity, OPPORTUNITY, json=body, options=options
        )

    async def delete(self, opportunity_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete an opportunity.

        Args:
            opportunity_id: the opportunity's id.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``opportunity_id`` is empty.
            NotFoundError: no opportunity has this id.
        """
        await self._call("DELETE", _path(opportunity_id), options=options)
