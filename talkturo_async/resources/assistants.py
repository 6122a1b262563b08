"""``tk.assistants``: voice AI assistants (§13.2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._pagination import AsyncPager
from .._wire import to_wire
from ..models.assistants import Assistant, UsageStats
from ..models.phone_numbers import PhoneNumber
from ._base import Resource, require, segment, update_body


class Assistants(Resource):
    """Create, configure, clone and delete assistants, and attach phone numbers to them."""

    async def create(
        self, name: str, account_slug: str, template_id: str | None = None
    ) -> Assistant:
        """Create an assistant, optionally seeded from a template.

        Args:
            name: display name.
            account_slug: the workspace slug (``app.talkturo.com/home/<slug>``).
            template_id: ``outbound-setter``, ``inbound-support``, ``follow-up`` or ``custom``
                (the server's default).

        Raises:
            ValueError: ``name`` or ``account_slug`` missing.
        """
        require(name=name, account_slug=account_slug)
        body = to_wire({"account_slug": account_slug, "name": name, "template_id": template_id})
        return await self._client._model(
            "POST", "assistants", Assistant, key="assistant", json=body
        )

    async def get(self, assistant_id: str) -> Assistant:
        """Fetch one assistant. Raises ``NotFoundError`` for an unknown id."""
        path = f"assistants/{segment('assistant_id', assistant_id)}"
        return await self._client._model("GET", path, Assistant, key="assistant")

    async def update(
        self, assistant_id: str, account_slug: str | None = None, **fields: Any
    ) -> Assistant:
        """Change assistant fields, given by their snake_case names (``first_message=...``).

        Fields are sent as given; pass ``None`` to clear one. Raises ``ValueError`` without any
        field, ``BadRequestError`` (with ``issues``) for invalid voice/transcriber options.
        """
        path = f"assistants/{segment('assistant_id', assistant_id)}"
        body = update_body(fields, wire_case=False)
        if account_slug is not None:
            body["accountSlug"] = account_slug
        return await self._client._model("PATCH", path, Assistant, key="assistant", json=body)

    async def delete(self, assistant_id: str) -> None:
        """Delete an assistant."""
        await self._client._call("DELETE", f"assistants/{segment('assistant_id', assistant_id)}")

    async def clone(
        self, assistant_id: str, account_slug: str | None = None, new_name: str | None = None
    ) -> Assistant:
        """Copy an assistant's configuration (not its numbers) into a new one; returns the copy."""
        path = f"assistants/{segment('assistant_id', assistant_id)}/clone"
        body = to_wire({"account_slug": account_slug, "new_name": new_name})
        return await self._client._model("POST", path, Assistant, key="assistant", json=body)

    async def usage_stats(
        self, assistant_id: str, account_id: str | None = None, period: int | None = None
    ) -> UsageStats:
        """Call statistics of an assistant, over the last ``period`` days if given."""
        path = f"assistants/{segment('assistant_id', assistant_id)}/usage-stats"
        params = to_wire({"account_id": account_id, "period": period})
        return await self._client._model("GET", path, UsageStats, key="stats", params=params)

    async def assign_phone_numbers(
        self, assistant_id: str, phone_number_ids: Sequence[str], account_slug: str
    ) -> None:
        """Attach owned numbers (their record ids) to the assistant, adding to its current set."""
        require(phone_number_ids=phone_number_ids, account_slug=account_slug)
        if isinstance(phone_number_ids, str):
            raise ValueError("phone_number_ids must be a list of ids, not one string")
        path = f"assistants/{segment('assistant_id', assistant_id)}/telephony/assign-phone-numbers"
        body = {"accountSlug": account_slug, "phoneNumberIds": list(phone_number_ids)}
        await self._client._call("POST", path, json=body)

    def list_phone_numbers(
        self,
        assistant_id: str,
        account_slug: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[PhoneNumber]:
        """Numbers the assistant can use: active and unassigned, or already its own."""
        path = f"assistants/{segment('assistant_id', assistant_id)}/telephony/phone-numbers"
        return self._client._pager(
            path,
            PhoneNumber,
            key="numbers",
            alt_keys=("phoneNumbers",),
            params=to_wire({"account_slug": account_slug}),
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )
