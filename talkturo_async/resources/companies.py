"""``tk.companies``: CRM companies (§13.5)."""

from __future__ import annotations

from typing import Any

from .._pagination import AsyncPager
from .._wire import to_wire
from ..models.companies import Company
from ..models.contacts import Contact
from ._base import Resource, require, segment, update_body


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
            company_size: a descriptor such as ``"51-200"``.
            country: two-letter ISO code.

        Raises:
            ValueError: ``team_id`` or ``name`` missing.
        """
        require(team_id=team_id, name=name)
        args = dict(locals())
        del args["self"]
        return await self._client._model(
            "POST", "crm/companies", Company, key="company", json=to_wire(args)
        )

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
            search: case-insensitive match on name and website.
            industry: exact industry.
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
        return self._client._pager(
            "crm/companies",
            Company,
            key="companies",
            params=params,
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, company_id: str) -> Company:
        """Fetch one company; ``contacts`` and ``opportunities`` hold recent ones when sent."""
        path = f"crm/companies/{segment('company_id', company_id)}"
        return await self._client._model(
            "GET", path, Company, key="company", attach=("contacts", "opportunities")
        )

    async def update(self, company_id: str, **fields: Any) -> Company:
        """Change fields (snake_case or camelCase names; ``None`` clears a field)."""
        path = f"crm/companies/{segment('company_id', company_id)}"
        body = update_body(fields, wire_case=True)
        return await self._client._model("PATCH", path, Company, key="company", json=body)

    async def delete(self, company_id: str) -> None:
        """Delete a company (``BadRequestError`` while contacts are attached)."""
        await self._client._call("DELETE", f"crm/companies/{segment('company_id', company_id)}")

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
        path = f"crm/companies/{segment('company_id', company_id)}/contacts"
        return self._client._pager(
            path,
            Contact,
            key="contacts",
            params={},
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )
