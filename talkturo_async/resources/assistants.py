"""``tk.assistants``: voice AI assistants."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._options import RequestOptions
from .._pagination import AsyncPager, Paging
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.assistants import Assistant, AssistantUpdate, TemplateId, UsageStats
from ..models.phone_numbers import PhoneNumber
from ..models.telephony import WebhookTestResult
from ._base import Resource, not_blank, one_of, require, segment, update_body

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

ASSISTANT = Envelope("assistant")
STATS = Envelope("stats")
NUMBERS = Envelope("numbers", also=("phoneNumbers",))


def _path(assistant_id: str, action: str = "") -> str:
    return f"assistants/{segment('assistant_id', assistant_id)}{action}"


class Assistants(Resource):
    """Create, configure, clone and delete assistants, and attach phone numbers to them."""

    async def create(
        self,
        name: str,
        account_slug: str,
        template_id: TemplateId | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> Assistant:
        """Create an assistant, optionally seeded from a template.

        Args:
            name: display name.
            account_slug: the workspace slug (``app.talkturo.com/home/<slug>``).
            template_id: ``outbound-setter``, ``inbound-support``, ``follow-up`` or ``custom``
                (the server's default).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``name`` or ``account_slug`` missing or blank, or a ``template_id``
                outside its values.
            PermissionDeniedError: the key may not use this workspace.
            ResponseValidationError: the answer is not an assistant.
        """
        require(name=name, account_slug=account_slug)
        one_of("template_id", template_id, TemplateId)
        body = to_wire({"account_slug": account_slug, "name": name, "template_id": template_id})
        return await self._request(
            "POST", "assistants", Assistant, ASSISTANT, json=body, options=options
        )

    async def get(self, assistant_id: str, *, options: RequestOptions | None = None) -> Assistant:
        """Fetch one assistant.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an assistant.
        """
        return await self._request(
            "GET", _path(assistant_id), Assistant, ASSISTANT, options=options
        )

    async def update(
        self,
        assistant_id: str,
        account_slug: str | None = None,
        *,
        options: RequestOptions | None = None,
        **fields: Unpack[AssistantUpdate],
    ) -> Assistant:
        """Change assistant fields, sent under their snake_case names (``first_message=...``).

        Only the fields given are sent; ``None`` clears one.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace, sent as ``accountSlug`` to scope the update.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).
            **fields: the ``AssistantUpdate`` fields to change (camelCase names are accepted
                too and sent in snake_case).

        Raises:
            TypeError: an unknown field (naming the closest known one), or one field given in
                both spellings (``first_message`` and ``firstMessage``).
            ValueError: no field at all, a blank ``account_slug``, ``name`` cleared or blank, or
                a value outside its ``Literal`` (``mode``, ``reasoning_effort``,
                ``noise_cancellation``).
            BadRequestError: invalid voice or transcriber options (with ``issues``).
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an assistant.
        """
        not_blank(account_slug=account_slug)
        body = update_body(fields, AssistantUpdate, wire_case=False)
        if "name" in body:
            require(name=body["name"])
        if account_slug is not None:
            body["accountSlug"] = account_slug
        return await self._request(
            "PATCH", _path(assistant_id), Assistant, ASSISTANT, json=body, options=options
        )

    async def delete(self, assistant_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete an assistant (its numbers become unassigned).

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id.
            NotFoundError: no such assistant.
        """
        await self._call("DELETE", _path(assistant_id), options=options)

    async def clone(
        self,
        assistant_id: str,
        account_slug: str | None = None,
        new_name: str | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> Assistant:
        """Copy an assistant's configuration (not its numbers) into a new one; returns the copy.

        Args:
            assistant_id: the assistant to copy.
            account_slug: the workspace.
            new_name: the copy's name (server default: ``"<name> (Copy)"``).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id, a blank ``account_slug`` or
                ``new_name``.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an assistant.
        """
        not_blank(account_slug=account_slug, new_name=new_name)
        body = to_wire({"account_slug": account_slug, "new_name": new_name})
        path = _path(assistant_id, "/clone")
        return await self._request("POST", path, Assistant, ASSISTANT, json=body, options=options)

    async def usage_stats(
        self,
        assistant_id: str,
        account_id: str | None = None,
        period: int | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> UsageStats:
        """Call statistics of an assistant, over the last ``period`` days if given.

        Args:
            assistant_id: the assistant.
            account_id: the account (some servers require it).
            period: count only the last this many days.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id, or a blank ``account_id``.
            BadRequestError: the server needs ``account_id``.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not usage statistics.
        """
        not_blank(account_id=account_id)
        params = to_wire({"account_id": account_id, "period": period})
        path = _path(assistant_id, "/usage-stats")
        return await self._request("GET", path, UsageStats, STATS, params=params, options=options)

    async def assign_phone_numbers(
        self,
        assistant_id: str,
        phone_number_ids: Sequence[str],
        account_slug: str,
        *,
        options: RequestOptions | None = None,
    ) -> None:
        """Attach owned numbers (their record ids) to the assistant, adding to its current set.

        Args:
            assistant_id: the assistant.
            phone_number_ids: record ids of numbers the team owns (``PhoneNumber.id``).
            account_slug: the workspace.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``phone_number_ids`` empty, one string or holding a blank id;
                ``account_slug`` missing or blank.
            NotFoundError: no such assistant or number.
            ConflictError: a number belongs to another assistant.
        """
        require(phone_number_ids=phone_number_ids, account_slug=account_slug)
        if isinstance(phone_number_ids, str):
            raise ValueError("phone_number_ids must be a list of ids, not one string")
        ids = list(phone_number_ids)
        for index, value in enumerate(ids):
            if not isinstance(value, str) or not value.strip():  # pyright: ignore[reportUnnecessaryIsInstance] - user input
                raise ValueError(f"phone_number_ids[{index}] must be a non-empty id, got {value!r}")
        body = {"accountSlug": account_slug, "phoneNumberIds": ids}
        path = _path(assistant_id, "/telephony/assign-phone-numbers")
        await self._call("POST", path, json=body, options=options)

    def list_phone_numbers(
        self,
        assistant_id: str,
        account_slug: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[PhoneNumber]:
        """Numbers the assistant can use: active and unassigned, or already its own.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace.
            limit: page size.
            offset: where to start.
            max_items: stop after this many numbers.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: ``assistant_id`` missing or not an id, a blank ``account_slug``, or bad
                paging arguments.
            NotFoundError: no such assistant (while iterating, like every API error).
            ResponseValidationError: a page is not a list of numbers.
        """
        not_blank(account_slug=account_slug)
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        params = to_wire({"account_slug": account_slug})
        path = _path(assistant_id, "/telephony/phone-numbers")
        return self._paginate(path, PhoneNumber, NUMBERS, params, paging, options)

    async def test_webhook(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> WebhookTestResult:
        """Send a test delivery to the assistant's webhook and report what was sent.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` missing or not an id.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not a test result.
        """
        path = _path(assistant_id, "/webhooks/test")
        return await self._request("POST", path, WebhookTestResult, BARE, options=options)
