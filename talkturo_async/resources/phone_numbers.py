"""``tk.phone_numbers``: searching, buying and releasing numbers."""

from __future__ import annotations

from .._pagination import AsyncPager, Paging
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.phone_numbers import NumberSearchResult, PhoneNumber
from ._base import Resource, require, segment

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
        number_type: str | None = None,
        limit: int | None = None,
    ) -> NumberSearchResult:
        """Search numbers that can be bought (buys nothing).

        Args:
            country_code: ISO 3166-1 alpha-2 (``US``, ``GB``, ...).
            area_code: three digits, US/CA only.
            number_type: ``local`` (server default) or ``toll-free``.
            limit: at most this many results (server default 20).

        Raises:
            PermissionDeniedError: the account must pass verification (``body["requiresVerification"]``).
        """
        require(country_code=country_code)
        filters = to_wire(
            {
                "country_code": country_code,
                "area_code": area_code,
                "number_type": number_type,
                "limit": limit,
            }
        )
        return await self._request(
            "POST", "phone-numbers/search", NumberSearchResult, BARE, json={"filters": filters}
        )

    async def purchase(
        self, phone_number: str, team_id: str, connection_id: str | None = None
    ) -> PhoneNumber:
        """Buy a number found by ``search``; it starts ``purchasing`` and becomes ``active``.

        Raises:
            InsufficientCreditsError: not enough balance (``body`` has ``balance``/``required``).
            ConflictError: the number is already owned.
        """
        require(phone_number=phone_number, team_id=team_id)
        body = to_wire(
            {"phone_number": phone_number, "team_id": team_id, "connection_id": connection_id}
        )
        return await self._request(
            "POST", "phone-numbers/purchase", PhoneNumber, PHONE_NUMBER, json=body
        )

    def list(
        self,
        team_id: str,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[PhoneNumber]:
        """Stream the numbers a team owns."""
        require(team_id=team_id)
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        params = {"teamId": team_id}
        return self._paginate("phone-numbers/purchase", PhoneNumber, NUMBERS, params, paging)

    async def get(self, phone_number_id: str) -> PhoneNumber:
        """Fetch one owned number by its record id."""
        return await self._request("GET", _path(phone_number_id), PhoneNumber, PHONE_NUMBER)

    async def release(self, phone_number_id: str, account_slug: str | None = None) -> None:
        """Give a number back. ``account_slug`` is sent as ``?account=`` when given."""
        await self._client._send("DELETE", _path(phone_number_id), params={"account": account_slug})
