"""``tk.contacts``: CRM contacts (§13.4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._pagination import AsyncPager
from .._wire import camel, to_wire
from ..models.contacts import Contact, ImportResult
from ._base import Resource, require, segment, update_body


def import_row(index: int, row: Mapping[str, Any]) -> dict[str, Any]:
    """One import row as camelCase wire fields; ``ValueError`` naming the row if it cannot go."""
    if not isinstance(row, Mapping):
        raise ValueError(
            f"row {index}: expected a mapping of contact fields, got {type(row).__name__}"
        )
    wire = {camel(k): v for k, v in row.items() if v is not None}
    missing = [name for name in ("firstName", "lastName") if not wire.get(name)]
    if missing:
        names = " and ".join(n.replace("Name", "_name") for n in missing)
        raise ValueError(f"row {index}: {names} required")
    return wire


class Contacts(Resource):
    """Create, list, update, delete and import CRM contacts."""

    async def create(
        self,
        team_id: str,
        company_id: str,
        first_name: str,
        last_name: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        phone_secondary: str | None = None,
        job_title: str | None = None,
        lead_status: str | None = None,
        source: str | None = None,
        timezone: str | None = None,
        preferred_contact_method: str | None = None,
        do_not_call: bool | None = None,
        notes: str | None = None,
        custom_fields: dict[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        campaign_id: str | None = None,
        campaign_priority: int | None = None,
    ) -> Contact:
        """Create a contact in a company.

        Args:
            phone, phone_secondary: E.164 (``+14155550187``).
            lead_status: ``new`` (server default), ``contacted``, ``qualified``, ...
            do_not_call: ``True`` keeps the contact out of every campaign.
            campaign_id: also enrol the new contact in this campaign (``campaign_priority``);
                the answer's ``campaign_enrollment`` then says how.

        Raises:
            ValueError: ``team_id``, ``company_id``, ``first_name`` or ``last_name`` missing.
        """
        require(team_id=team_id, company_id=company_id, first_name=first_name, last_name=last_name)
        args = dict(locals())
        del args["self"]
        return await self._client._model(
            "POST",
            "crm/contacts",
            Contact,
            key="contact",
            json=to_wire(args),
            attach=("campaign_enrollment",),
        )

    def list(
        self,
        team_id: str,
        company_id: str | None = None,
        search: str | None = None,
        lead_status: str | None = None,
        do_not_call: bool | None = None,
        has_phone: bool | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[Contact]:
        """Stream a team's contacts.

        Args:
            search: case-insensitive match on name, email and phone.
            do_not_call, has_phone: filter on those flags.
        """
        require(team_id=team_id)
        params = to_wire(
            {
                "team_id": team_id,
                "company_id": company_id,
                "search": search,
                "lead_status": lead_status,
                "do_not_call": do_not_call,
                "has_phone": has_phone,
            }
        )
        return self._client._pager(
            "crm/contacts",
            Contact,
            key="contacts",
            params=params,
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, contact_id: str) -> Contact:
        """Fetch one contact with its company, activities, opportunities and campaign history."""
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        return await self._client._model("GET", path, Contact, key="contact")

    async def update(self, contact_id: str, **fields: Any) -> Contact:
        """Change fields (snake_case or camelCase names; ``None`` clears a field)."""
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        body = update_body(fields, wire_case=True)
        return await self._client._model("PATCH", path, Contact, key="contact", json=body)

    async def delete(self, contact_id: str) -> None:
        """Delete a contact (``BadRequestError`` while it is queued in an active campaign)."""
        await self._client._call("DELETE", f"crm/contacts/{segment('contact_id', contact_id)}")

    async def import_contacts(
        self, contacts: Iterable[Mapping[str, Any]], team_id: str | None = None
    ) -> ImportResult:
        """Import many contacts in one request (``POST /api/crm/contacts/import``).

        Args:
            contacts: mappings of contact fields, snake_case or camelCase; each needs a first and
                last name (and usually ``company_id``).
            team_id: the team to import into.

        Returns:
            ``imported`` and ``failed`` counts and the server's per-row ``errors``.

        Raises:
            ValueError: no rows, or a row without a first or last name (the message names it);
                nothing is sent then.
        """
        rows = [import_row(i, row) for i, row in enumerate(contacts)]
        require(contacts=rows)
        body = to_wire({"team_id": team_id, "contacts": rows})
        return await self._client._model(
            "POST", "crm/contacts/import", ImportResult, key=None, json=body
        )
