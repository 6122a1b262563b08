"""``tk.telephony``: an assistant's phone setup.

Inbound and outbound calling, settings, numbers, compliance briefings and test calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.assistants import Assistant
from ..models.phone_numbers import PhoneNumber
from ..models.telephony import (
    ComplianceTemplate,
    DestinationCountry,
    InboundTelephony,
    OutboundTelephony,
    TelephonySettings,
    TelephonySettingsUpdate,
    TelephonyTestCall,
)
from ._base import Resource, require, segment

ASSISTANT = Envelope("assistant")
INBOUND = Envelope("inbound")
OUTBOUND = Envelope("outbound")
SETTINGS = Envelope("settings")
TEMPLATES = Envelope("templates")
NUMBERS = Envelope("numbers", also=("phoneNumbers",))


def _path(assistant_id: str, action: str) -> str:
    return f"assistants/{segment('assistant_id', assistant_id)}/telephony/{action}"


def _ids(name: str, ids: Sequence[str]) -> list[str]:
    if isinstance(ids, str):
        raise ValueError(f"{name} must be a list of ids, not one string")
    return list(ids)


class Telephony(Resource):
    """Configure how an assistant answers and places phone calls, and place a test call."""

    async def get_inbound(self, assistant_id: str) -> InboundTelephony:
        """The assistant's inbound configuration.

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        return await self._request("GET", _path(assistant_id, "inbound"), InboundTelephony, INBOUND)

    async def configure_inbound(
        self, assistant_id: str, account_slug: str, enabled: bool
    ) -> Assistant:
        """Turn inbound calling on or off; returns the assistant with its new flags.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug.
            enabled: whether the assistant answers calls to its numbers.

        Raises:
            ValueError: ``account_slug`` or ``enabled`` missing.
            BadRequestError: enabling while the assistant has no active number.
            NotFoundError: no such assistant.
        """
        require(account_slug=account_slug, enabled=enabled)
        body = {"accountSlug": account_slug, "enabled": enabled}
        path = _path(assistant_id, "inbound")
        return await self._request("POST", path, Assistant, ASSISTANT, json=body)

    async def get_outbound(self, assistant_id: str) -> OutboundTelephony:
        """The assistant's outbound configuration.

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        path = _path(assistant_id, "outbound")
        return await self._request("GET", path, OutboundTelephony, OUTBOUND)

    async def configure_outbound(
        self, assistant_id: str, account_slug: str, enabled: bool
    ) -> Assistant:
        """Turn outbound calling on or off; returns the assistant with its new flags.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug.
            enabled: whether the assistant may place calls.

        Raises:
            ValueError: ``account_slug`` or ``enabled`` missing.
            BadRequestError: enabling without an active number or without a carrier connection
                (``telnyx_connection_id`` in the settings).
            NotFoundError: no such assistant.
        """
        require(account_slug=account_slug, enabled=enabled)
        body = {"accountSlug": account_slug, "enabled": enabled}
        path = _path(assistant_id, "outbound")
        return await self._request("POST", path, Assistant, ASSISTANT, json=body)

    async def get_settings(self, assistant_id: str) -> TelephonySettings:
        """The assistant's whole telephony setup (numbers, flags, voicemail, compliance).

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        path = _path(assistant_id, "settings")
        return await self._request("GET", path, TelephonySettings, SETTINGS)

    async def update_settings(
        self,
        assistant_id: str,
        account_slug: str | None = None,
        *,
        phone_number_ids: Sequence[str] | None = None,
        inbound_enabled: bool | None = None,
        outbound_enabled: bool | None = None,
        inbound_company_id: str | None = None,
        telnyx_connection_id: str | None = None,
        destination_country: DestinationCountry | None = None,
        voicemail: Mapping[str, Any] | None = None,
        compliance: Mapping[str, Any] | None = None,
    ) -> TelephonySettingsUpdate:
        """Change part of the telephony setup; arguments left ``None`` are not sent.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug (checked against the key's account).
            phone_number_ids: record ids of active numbers; replaces the assigned set.
            inbound_enabled: whether the assistant answers calls to its numbers.
            outbound_enabled: whether the assistant may place calls.
            inbound_company_id: the CRM company new callers are filed under.
            telnyx_connection_id: the carrier connection for outbound calls.
            destination_country: restrict outbound calls to one country (``"us"``, ...).
            voicemail: ``{"detectionEnabled": bool, "action": str (≤40), "message": str (≤2000)}``.
            compliance: ``{"enabled", "templateId", "briefingText" (≤2000), "language" (≤20),
                "requireAck", "fallbackPolicy" (``retry``/``block``/``continue``),
                "ackTimeoutSeconds" (3-60)}``; see :data:`FallbackPolicy`.

        Returns:
            the assistant with its new flags, and how many active numbers it now has.

        Raises:
            ValueError: nothing to change.
            BadRequestError: an invalid value (unknown country, template or number, a number
                that is not active, a field out of range).
            ConflictError: a number belongs to another assistant.
            NotFoundError: no such assistant or number.
        """
        fields = {
            "phone_number_ids": None
            if phone_number_ids is None
            else _ids("phone_number_ids", phone_number_ids),
            "inbound_enabled": inbound_enabled,
            "outbound_enabled": outbound_enabled,
            "inbound_company_id": inbound_company_id,
            "telnyx_connection_id": telnyx_connection_id,
            "destination_country": destination_country,
            "voicemail": None if voicemail is None else dict(voicemail),
            "compliance": None if compliance is None else dict(compliance),
        }
        body = to_wire(fields)
        if not body:
            raise ValueError("update_settings needs at least one setting to change")
        if account_slug is not None:
            body["accountSlug"] = account_slug
        path = _path(assistant_id, "settings")
        return await self._request("PATCH", path, TelephonySettingsUpdate, BARE, json=body)

    async def manage_phone_numbers(
        self, assistant_id: str, phone_number_ids: Sequence[str], account_slug: str | None = None
    ) -> None:
        """Replace the numbers assigned to the assistant with exactly these (``[]`` detaches all).

        Args:
            assistant_id: the assistant.
            phone_number_ids: record ids of active numbers of the account.
            account_slug: the workspace slug (checked against the key's account).

        Raises:
            BadRequestError: a number is not active.
            ConflictError: a number belongs to another assistant.
            NotFoundError: no such assistant or number.
        """
        if phone_number_ids is None:
            raise ValueError("phone_number_ids is required")
        body = to_wire(
            {
                "phone_number_ids": _ids("phone_number_ids", phone_number_ids),
                "account_slug": account_slug,
            }
        )
        await self._client._send("POST", _path(assistant_id, "phone-numbers"), json=body)

    async def list_compliance_templates(self, assistant_id: str) -> list[ComplianceTemplate]:
        """The compliance briefings available to the assistant.

        Args:
            assistant_id: the assistant.

        Raises:
            NotFoundError: no such assistant.
        """
        path = _path(assistant_id, "compliance-templates")
        return await self._request("GET", path, list[ComplianceTemplate], TEMPLATES)

    async def list_account_phone_numbers(self) -> list[PhoneNumber]:
        """Every number of the account that is attached to an assistant, across assistants."""
        return await self._request("GET", "assistant-phone-numbers", list[PhoneNumber], NUMBERS)

    async def test_call(
        self, assistant_id: str, account_slug: str, from_number: str, to_number: str
    ) -> TelephonyTestCall:
        """Have the assistant call ``to_number`` now, as a test.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug.
            from_number: an active number assigned to the assistant (E.164).
            to_number: the number to dial (E.164).

        Raises:
            ValueError: an argument is missing.
            BadRequestError: ``from_number`` is not an active number of this assistant.
            InsufficientCreditsError: the balance is below the minimum for an outbound call.
            PermissionDeniedError: ``account_slug`` is not the key's account.
            NotFoundError: no such assistant.
        """
        require(account_slug=account_slug, from_number=from_number, to_number=to_number)
        body = {"accountSlug": account_slug, "fromNumber": from_number, "toNumber": to_number}
        path = _path(assistant_id, "test-call")
        return await self._request("POST", path, TelephonyTestCall, BARE, json=body)
