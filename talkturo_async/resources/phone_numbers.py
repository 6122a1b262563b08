"""``tk.phone_numbers``: searching, buying and releasing numbers (§13.6)."""

from __future__ import annotations

from .._pagination import AsyncPager
from .._wire import to_wire
from ..models.phone_numbers import NumberSearchResult, PhoneNumber
from ._base import Resource, require, segment


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
        return await self._client._model(
            "POST", "phone-numbers/search", NumberSearchResult, key=None, json={"filters": filters}
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
        return await self._client._model(
            "POST",
            "phone-numbers/purchase",
            PhoneNumber,
            key="phoneNumber",
            json=body,
            attach=("eligibility",),
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
        return self._client._pager(
            "phone-numbers/purchase",
            PhoneNumber,
            key="numbers",
            params={"teamId": team_id},
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, phone_number_id: str) -> PhoneNumber:
        """Fetch one owned number by its record id."""
        path = f"phone-numbers/{segment('phone_number_id', phone_number_id)}"
        return await self._client._model("GET", path, PhoneNumber, key="phoneNumber")

    async def release(self, phone_number_id: str, account_slug: str | None = None) -> None:
        """Give a number back. ``account_slug`` is sent as ``?account=`` when given."""
        path = f"phone-numbers/{segment('phone_number_id', phone_number_id)}"
        await self._client._call("DELETE", path, params={"account": account_slug})
