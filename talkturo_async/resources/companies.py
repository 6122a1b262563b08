"""``tk.companies``: CRM companies."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .._options import RequestOptions
from .._pagination import AsyncPager, Paging
from .._variants import Envelope
from .._wire import to_wire
from ..models.companies import Company, CompanyUpdate
from ..models.contacts import Contact
from ._base import Resource, exactly_one, require, segment, update_body

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

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
        options: RequestOptions | None = None,
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
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``team_id`` or ``name`` missing or blank.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not a company.
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
        return await self._request(
            "POST", "crm/companies", Company, COMPANY, json=body, options=options
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
        options: RequestOptions | None = None,
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
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: neither or both of ``team_id`` and ``account_slug``, one of them blank,
                or bad paging arguments (when the pager is made).
            AuthenticationError: the API key was refused (while iterating, like every API error).
            ResponseValidationError: a page is not a list of companies.
        """
        exactly_one(team_id=team_id, account_slug=account_slug)
        params = to_wire(
            {
                "team_id": team_id,
                "account_slug": account_slug,
                "search": search,
                "industry": industry,
            }
        )
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        return self._paginate("crm/companies", Company, COMPANIES, params, paging, options)

    async def get(self, company_id: str, *, options: RequestOptions | None = None) -> Company:
        """Fetch one company; ``contacts`` and ``opportunities`` hold recent ones when sent.

        Args:
            company_id: the company.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``company_id`` missing or not an id.
            NotFoundError: no such company.
            ResponseValidationError: the answer is not a company.
        """
        return await self._request("GET", _path(company_id), Company, COMPANY, options=options)

    async def update(
        self,
        company_id: str,
        *,
        options: RequestOptions | None = None,
        **fields: Unpack[CompanyUpdate],
    ) -> Company:
        """Change a company's fields; only those given are sent (``None`` clears a field).

        Args:
            company_id: the company.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).
            **fields: the ``CompanyUpdate`` fields to change, by their snake_case names
                (camelCase names are accepted too; they are sent in camelCase).

        Raises:
            TypeError: an unknown field (naming the closest known one), or one field given in
                both spellings.
            ValueError: no field at all, or ``name`` cleared or blank.
            NotFoundError: no such company.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not a company.
        """
        body = update_body(fields, CompanyUpdate, wire_case=True)
        if "name" in body:
            require(name=body["name"])
        return await self._request(
            "PATCH", _path(company_id), Company, COMPANY, json=body, options=options
        )

    async def delete(self, company_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a company.

        Args:
            company_id: the company.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``company_id`` missing or not an id.
            BadRequestError: contacts are still attached to the company.
            NotFoundError: no such company.
        """
        await self._call("DELETE", _path(company_id), options=options)

    def list_contacts(
        self,
        company_id: str,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Contact]:
        """Stream the contacts of a company.

        Args:
            company_id: the company.
            limit: page size.
            offset: where to start.
            max_items: stop after this many contacts.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: ``company_id`` missing or not an id, or bad paging arguments.
            NotFoundError: no such company (while iterating, like every API error).
            ResponseValidationError: a page is not a list of contacts.
        """
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        path = _path(company_id, "/contacts")
        return self._paginate(path, Contact, CONTACTS, {}, paging, options)
