"""``tk.assistants``: voice AI assistants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._pagination import AsyncPager, Paging
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.assistants import Assistant, UsageStats
from ..models.phone_numbers import PhoneNumber
from ..models.telephony import WebhookTestResult
from ._base import Resource, require, segment, update_body

ASSISTANT = Envelope("assistant")
STATS = Envelope("stats")
NUMBERS = Envelope("numbers", also=("phoneNumbers",))


def _path(assistant_id: str, action: str = "") -> str:
    return f"assistants/{segment('assistant_id', assistant_id)}{action}"


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
        return await self._request("POST", "assistants", Assistant, ASSISTANT, json=body)

    async def get(self, assistant_id: str) -> Assistant:
        """Fetch one assistant. Raises ``NotFoundError`` for an unknown id."""
        return await self._request("GET", _path(assistant_id), Assistant, ASSISTANT)

    async def update(
        self, assistant_id: str, account_slug: str | None = None, **fields: Any
    ) -> Assistant:
        """Change assistant fields, given by their snake_case names (``first_message=...``).

        Fields are sent as given; pass ``None`` to clear one. Raises ``ValueError`` without any
        field, ``BadRequestError`` (with ``issues``) for invalid voice/transcriber options.
        """
        body = update_body(fields, wire_case=False)
        if account_slug is not None:
            body["accountSlug"] = account_slug
        return await self._request("PATCH", _path(assistant_id), Assistant, ASSISTANT, json=body)

    async def delete(self, assistant_id: str) -> None:
        """Delete an assistant."""
        await self._client._send("DELETE", _path(assistant_id))

    async def clone(
        self, assistant_id: str, account_slug: str | None = None, new_name: str | None = None
    ) -> Assistant:
        """Copy an assistant's configuration (not its numbers) into a new one; returns the copy."""
        body = to_wire({"account_slug": account_slug, "new_name": new_name})
        path = _path(assistant_id, "/clone")
        return await self._request("POST", path, Assistant, ASSISTANT, json=body)

    async def usage_stats(
        self, assistant_id: str, account_id: str | None = None, period: int | None = None
    ) -> UsageStats:
        """Call statistics of an assistant, over the last ``period`` days if given."""
        params = to_wire({"account_id": account_id, "period": period})
        path = _path(assistant_id, "/usage-stats")
        return await self._request("GET", path, UsageStats, STATS, params=params)

    async def assign_phone_numbers(
        self, assistant_id: str, phone_number_ids: Sequence[str], account_slug: str
    ) -> None:
        """Attach owned numbers (their record ids) to the assistant, adding to its current set."""
        require(phone_number_ids=phone_number_ids, account_slug=account_slug)
        if isinstance(phone_number_ids, str):
            raise ValueError("phone_number_ids must be a list of ids, not one string")
        body = {"accountSlug": account_slug, "phoneNumberIds": list(phone_number_ids)}
        await self._client._send(
            "POST", _path(assistant_id, "/telephony/assign-phone-numbers"), json=body
        )

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
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        params = to_wire({"account_slug": account_slug})
        path = _path(assistant_id, "/telephony/phone-numbers")
        return self._paginate(path, PhoneNumber, NUMBERS, params, paging)

    async def test_webhook(self, assistant_id: str) -> WebhookTestResult:
        """Send a test delivery to the assistant's webhook and report what was sent.

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        path = _path(assistant_id, "/webhooks/test")
        return await self._request("POST", path, WebhookTestResult, BARE)
