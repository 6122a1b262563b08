"""``tk.companies``: CRM companies."""

from __future__ import annotations

from typing import Any

from .._pagination import AsyncPager, Paging
from .._variants import Envelope
from .._wire import to_wire
from ..models.companies import Company
from ..models.contacts import Contact
from ._base import Resource, require, segment, update_body

COMPANY = Envelope("company", attach=("contacts", "opportunities"))
COMPANIES = Envelope("companies")
CONTACTS = Envelope("contacts")


def _path(company_id: str, action: str = "") -> str:
    return f"crm/companies/{segment('company_id', company_id)}{action}"


class Companies(Resource):
    """Create, list, update and delete companies, and list their contacts."""

    async def create(
        self,
        team_id: str,
        name: str,
        *,
        website: str | None = None,
        industry: str | None = None,
        company_size: str | None = None,
        address_line1: str | None = None,
        address_line2: str | None = None,
        city: str | None = None,
        state: str | None = None,
        postal_code: str | None = None,
        country: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        custom_fields: dict[str, Any] | None = None,
    ) -> Company:
        """Create a company.

        Args:
            team_id: the team that owns the company.
            name: the company's name.
            website: its website.
            industry: its industry.
            company_size: a descriptor such as ``"51-200"``.
            address_line1: first line of the address.
            address_line2: second line of the address.
            city: the city.
            state: the state or region.
            postal_code: the postal code.
            country: two-letter ISO code.
            phone: E.164 (``+14155550187``).
            notes: free text.
            custom_fields: values of the team's custom fields, by field key.

        Raises:
            ValueError: ``team_id`` or ``name`` missing.
        """
        require(team_id=team_id, name=name)
        body = to_wire(
            {
                "team_id": team_id,
                "name": name,
                "website": website,
                "industry": industry,
                "company_size": company_size,
                "address_line1": address_line1,
                "address_line2": address_line2,
                "city": city,
                "state": state,
                "postal_code": postal_code,
                "country": country,
                "phone": phone,
                "notes": notes,
                "custom_fields": custom_fields,
            }
        )
        return await self._request("POST", "crm/companies", Company, COMPANY, json=body)

    def list(
        self,
        team_id: str | None = None,
        account_slug: str | None = None,
        search: str | None = None,
        industry: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[Company]:
        """Stream companies of a team or of an account (exactly one of ``team_id``/``account_slug``).

        Args:
            team_id: the team.
            account_slug: the account (workspace slug).
            search: case-insensitive match on name and website.
            industry: exact industry.
            limit: page size.
            offset: where to start.
            max_items: stop after this many companies.
            concurrency: pages fetched at once once the total is known (client default 4).
        """
        if (team_id is None) == (account_slug is None):
            raise ValueError("pass exactly one of team_id or account_slug")
        params = to_wire(
            {
                "team_id": team_id,
                "account_slug": account_slug,
                "search": search,
                "industry": industry,
            }
        )
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        return self._paginate("crm/companies", Company, COMPANIES, params, paging)

    async def get(self, company_id: str) -> Company:
        """Fetch one company; ``contacts`` and ``opportunities`` hold recent ones when sent."""
        return await self._request("GET", _path(company_id), Company, COMPANY)

    async def update(self, company_id: str, **fields: Any) -> Company:
        """Change fields (snake_case or camelCase names; ``None`` clears a field)."""
        body = update_body(fields, wire_case=True)
        return await self._request("PATCH", _path(company_id), Company, COMPANY, json=body)

    async def delete(self, company_id: str) -> None:
        """Delete a company (``BadRequestError`` while contacts are attached)."""
        await self._client._send("DELETE", _path(company_id))

    def list_contacts(
        self,
        company_id: str,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[Contact]:
        """Stream the contacts of a company."""
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        return self._paginate(_path(company_id, "/contacts"), Contact, CONTACTS, {}, paging)
