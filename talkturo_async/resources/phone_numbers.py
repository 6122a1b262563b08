"""``tk.phone_numbers``: searching, buying and releasing numbers."""

from __future__ import annotations

from .._options import RequestOptions
from .._pagination import AsyncPager, Paging
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.phone_numbers import NumberSearchResult, NumberType, PhoneNumber
from ._base import Resource, not_blank, one_of, require, segment

PHONE_NUMBER = Envelope("phoneNumber", attach=("eligibility",))
NUMBERS = Envelope("numbers")


def _path(phone_number_id: str) -> str:
    return f"phone-numbers/{segment('phone_number_id', phone_number_id)}"


class PhoneNumbers(Resource):
    """Find numbers to buy, buy them, list, read and release owned numbers."""

    async def search(
        self,
        country_code: str,
        area_code: str | None = None,
        number_type: NumberType | None = None,
        limit: int | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> NumberSearchResult:
        """Search numbers that can be bought (buys nothing).

        Args:
            country_code: ISO 3166-1 alpha-2 (``US``, ``GB``, ...).
            area_code: three digits, US/CA only.
            number_type: ``local`` (server default) or ``toll-free``.
            limit: at most this many results (server default 20).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``country_code`` missing or blank, a blank ``area_code``, or a
                ``number_type`` outside its values.
            PermissionDeniedError: the account must pass verification (``body["requiresVerification"]``).
            ResponseValidationError: the answer is not a search result.
        """
        require(country_code=country_code)
        not_blank(area_code=area_code)
        one_of("number_type", number_type, NumberType)
        filters = to_wire(
            {
                "country_code": country_code,
                "area_code": area_code,
                "number_type": number_type,
                "limit": limit,
            }
        )
        return await self._request(
            "POST",
            "phone-numbers/search",
            NumberSearchResult,
            BARE,
            json={"filters": filters},
            options=options,
        )

    async def purchase(
        self,
        phone_number: str,
        team_id: str,
        connection_id: str | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> PhoneNumber:
        """Buy a number found by ``search``; it starts ``purchasing`` and becomes ``active``.

        Args:
            phone_number: the number to buy, E.164 (``AvailableNumber.phone_number``).
            team_id: the team that will own it.
            connection_id: the telephony connection to attach it to.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``phone_number`` or ``team_id`` missing or blank, or a blank
                ``connection_id``.
            InsufficientCreditsError: not enough balance (``body`` has ``balance``/``required``).
            ConflictError: the number is already owned.
            ResponseValidationError: the answer is not a phone number.
        """
        require(phone_number=phone_number, team_id=team_id)
        not_blank(connection_id=connection_id)
        body = to_wire(
            {"phone_number": phone_number, "team_id": team_id, "connection_id": connection_id}
        )
        return await self._request(
            "POST", "phone-numbers/purchase", PhoneNumber, PHONE_NUMBER, json=body, options=options
        )

    def list(
        self,
        team_id: str,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[PhoneNumber]:
        """Stream the numbers a team owns.

        Args:
            team_id: the team.
            limit: page size.
            offset: where to start.
            max_items: stop after this many numbers.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: ``team_id`` missing or blank, or bad paging arguments.
            AuthenticationError: the API key was refused (while iterating, like every API error).
            ResponseValidationError: a page is not a list of numbers.
        """
        require(team_id=team_id)
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        params = {"teamId": team_id}
        path = "phone-numbers/purchase"
        return self._paginate(path, PhoneNumber, NUMBERS, params, paging, options)

    async def get(
        self, phone_number_id: str, *, options: RequestOptions | None = None
    ) -> PhoneNumber:
        """Fetch one owned number by its record id.

        Args:
            phone_number_id: the number's record id (``PhoneNumber.id``).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``phone_number_id`` missing or not an id.
            NotFoundError: no such number.
            ResponseValidationError: the answer is not a phone number.
        """
        path = _path(phone_number_id)
        return await self._request("GET", path, PhoneNumber, PHONE_NUMBER, options=options)

    async def release(
        self,
        phone_number_id: str,
        account_slug: str | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> None:
        """Give a number back.

        Args:
            phone_number_id: the number's record id (``PhoneNumber.id``).
            account_slug: the workspace, sent as ``?account=`` when given.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``phone_number_id`` missing or not an id, or a blank ``account_slug``.
            NotFoundError: no such number.
        """
        not_blank(account_slug=account_slug)
        params = {"account": account_slug}
        await self._call("DELETE", _path(phone_number_id), params=params, options=options)
