"""``tk.telephony``: an assistant's phone setup.

Inbound and outbound calling, settings, numbers, compliance briefings and test calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._options import RequestOptions
from .._variants import BARE, Envelope
from .._wire import camel, to_wire
from ..models.assistants import Assistant
from ..models.phone_numbers import PhoneNumber
from ..models.telephony import (
    ComplianceSettings,
    ComplianceTemplate,
    DestinationCountry,
    InboundTelephony,
    OutboundTelephony,
    TelephonySettings,
    TelephonySettingsUpdate,
    TelephonyTestCall,
    VoicemailSettings,
)
from ._base import Resource, not_blank, one_of, require, segment, typed_fields

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
    ids = list(ids)
    for index, value in enumerate(ids):
        if not isinstance(value, str) or not value.strip():  # pyright: ignore[reportUnnecessaryIsInstance] - user input
            raise ValueError(f"{name}[{index}] must be a non-empty id, got {value!r}")
    return ids


def _nested(name: str, value: Mapping[str, Any] | None, spec: type) -> dict[str, Any] | None:
    """A dict argument with known keys: checked (see ``typed_fields``), then camelCase."""
    if value is None:
        return None
    return {camel(k): v for k, v in typed_fields(value, spec, what=name).items()}


class Telephony(Resource):
    """Configure how an assistant answers and places phone calls, and place a test call."""

    async def get_inbound(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> InboundTelephony:
        """The assistant's inbound configuration.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` is empty.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an inbound configuration.
        """
        path = _path(assistant_id, "inbound")
        return await self._request("GET", path, InboundTelephony, INBOUND, options=options)

    async def configure_inbound(
        self,
        assistant_id: str,
        account_slug: str,
        enabled: bool,
        *,
        options: RequestOptions | None = None,
    ) -> Assistant:
        """Turn inbound calling on or off; returns the assistant with its new flags.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug.
            enabled: whether the assistant answers calls to its numbers.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id``, ``account_slug`` or ``enabled`` missing or empty.
            BadRequestError: enabling while the assistant has no active number.
            PermissionDeniedError: ``account_slug`` is not the key's account.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an assistant.
        """
        require(account_slug=account_slug, enabled=enabled)
        body = {"accountSlug": account_slug, "enabled": enabled}
        path = _path(assistant_id, "inbound")
        return await self._request("POST", path, Assistant, ASSISTANT, json=body, options=options)

    async def get_outbound(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> OutboundTelephony:
        """The assistant's outbound configuration.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` is empty.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an outbound configuration.
        """
        path = _path(assistant_id, "outbound")
        return await self._request("GET", path, OutboundTelephony, OUTBOUND, options=options)

    async def configure_outbound(
        self,
        assistant_id: str,
        account_slug: str,
        enabled: bool,
        *,
        options: RequestOptions | None = None,
    ) -> Assistant:
        """Turn outbound calling on or off; returns the assistant with its new flags.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug.
            enabled: whether the assistant may place calls.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id``, ``account_slug`` or ``enabled`` missing or empty.
            BadRequestError: enabling without an active number or without a carrier connection
                (``telnyx_connection_id`` in the settings).
            PermissionDeniedError: ``account_slug`` is not the key's account.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not an assistant.
        """
        require(account_slug=account_slug, enabled=enabled)
        body = {"accountSlug": account_slug, "enabled": enabled}
        path = _path(assistant_id, "outbound")
        return await self._request("POST", path, Assistant, ASSISTANT, json=body, options=options)

    async def get_settings(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> TelephonySettings:
        """The assistant's whole telephony setup (numbers, flags, voicemail, compliance).

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` is empty.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not a settings object.
        """
        path = _path(assistant_id, "settings")
        return await self._request("GET", path, TelephonySettings, SETTINGS, options=options)

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
        voicemail: VoicemailSettings | None = None,
        compliance: ComplianceSettings | None = None,
        options: RequestOptions | None = None,
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
            destination_country: restrict outbound calls to one country
                (:data:`DestinationCountry`: ``"us"``, ``"gb"``, ...).
            voicemail: :class:`VoicemailSettings` (``detection_enabled``, ``action`` ≤40,
                ``message`` ≤2000); keys in snake_case or camelCase, sent as camelCase.
            compliance: :class:`ComplianceSettings` (``enabled``, ``template_id``,
                ``briefing_text`` ≤2000, ``language`` ≤20, ``require_ack``, ``fallback_policy``
                (:data:`FallbackPolicy`), ``ack_timeout_seconds`` 3-60); keys as for
                ``voicemail``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Returns:
            the assistant with its new flags, and how many active numbers it now has.

        Raises:
            ValueError: nothing to change; an empty id or slug; ``destination_country`` or
                ``fallback_policy`` not a known value (the message names the closest).
            TypeError: an unknown ``voicemail``/``compliance`` key (the message names the
                closest), or one key in both spellings.
            BadRequestError: an invalid value (unknown template or number, a number that is not
                active, a field out of range).
            ConflictError: a number belongs to another assistant.
            NotFoundError: no such assistant or number.
            ResponseValidationError: the answer is not a settings update.
        """
        not_blank(
            account_slug=account_slug,
            inbound_company_id=inbound_company_id,
            telnyx_connection_id=telnyx_connection_id,
        )
        one_of("destination_country", destination_country, DestinationCountry)
        fields = {
            "phone_number_ids": None
            if phone_number_ids is None
            else _ids("phone_number_ids", phone_number_ids),
            "inbound_enabled": inbound_enabled,
            "outbound_enabled": outbound_enabled,
            "inbound_company_id": inbound_company_id,
            "telnyx_connection_id": telnyx_connection_id,
            "destination_country": destination_country,
            "voicemail": _nested("voicemail", voicemail, VoicemailSettings),
            "compliance": _nested("compliance", compliance, ComplianceSettings),
        }
        body = to_wire(fields)
        if not body:
            raise ValueError("update_settings needs at least one setting to change")
        if account_slug is not None:
            body["accountSlug"] = account_slug
        path = _path(assistant_id, "settings")
        return await self._request(
            "PATCH", path, TelephonySettingsUpdate, BARE, json=body, options=options
        )

    async def manage_phone_numbers(
        self,
        assistant_id: str,
        phone_number_ids: Sequence[str],
        account_slug: str | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> None:
        """Replace the numbers assigned to the assistant with exactly these (``[]`` detaches all).

        Args:
            assistant_id: the assistant.
            phone_number_ids: record ids of active numbers of the account.
            account_slug: the workspace slug (checked against the key's account).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``phone_number_ids`` missing, one string, or holding an empty id; an
                empty ``assistant_id`` or ``account_slug``.
            BadRequestError: a number is not active.
            ConflictError: a number belongs to another assistant.
            NotFoundError: no such assistant or number.
        """
        if phone_number_ids is None:  # pyright: ignore[reportUnnecessaryComparison] - user input
            raise ValueError("phone_number_ids is required")
        not_blank(account_slug=account_slug)
        body = to_wire(
            {
                "phone_number_ids": _ids("phone_number_ids", phone_number_ids),
                "account_slug": account_slug,
            }
        )
        path = _path(assistant_id, "phone-numbers")
        await self._call("POST", path, json=body, options=options)

    async def list_compliance_templates(
        self, assistant_id: str, *, options: RequestOptions | None = None
    ) -> list[ComplianceTemplate]:
        """The compliance briefings available to the assistant.

        Args:
            assistant_id: the assistant.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``assistant_id`` is empty.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not a list of templates.
        """
        path = _path(assistant_id, "compliance-templates")
        return await self._request(
            "GET", path, list[ComplianceTemplate], TEMPLATES, options=options
        )

    async def list_account_phone_numbers(
        self, *, options: RequestOptions | None = None
    ) -> list[PhoneNumber]:
        """Every number of the account that is attached to an assistant, across assistants.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of numbers.
        """
        path = "assistant-phone-numbers"
        return await self._request("GET", path, list[PhoneNumber], NUMBERS, options=options)

    async def test_call(
        self,
        assistant_id: str,
        account_slug: str,
        from_number: str,
        to_number: str,
        *,
        options: RequestOptions | None = None,
    ) -> TelephonyTestCall:
        """Have the assistant call ``to_number`` now, as a test.

        Args:
            assistant_id: the assistant.
            account_slug: the workspace slug.
            from_number: an active number assigned to the assistant (E.164).
            to_number: the number to dial (E.164).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: an argument is missing or empty.
            BadRequestError: ``from_number`` is not an active number of this assistant.
            InsufficientCreditsError: the balance is below the minimum for an outbound call.
            PermissionDeniedError: ``account_slug`` is not the key's account.
            NotFoundError: no such assistant.
            ResponseValidationError: the answer is not a test call.
        """
        require(account_slug=account_slug, from_number=from_number, to_number=to_number)
        body = {"accountSlug": account_slug, "fromNumber": from_number, "toNumber": to_number}
        path = _path(assistant_id, "test-call")
        return await self._request(
            "POST", path, TelephonyTestCall, BARE, json=body, options=options
        )
