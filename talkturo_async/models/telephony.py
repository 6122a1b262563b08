"""Models of the telephony group: inbound/outbound configuration, settings, test calls."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

import attrs

from ._base import Model, Timestamp
from .assistants import Assistant

DestinationCountry = Literal[
    "ae", "au", "br", "ch", "de", "fr", "gb", "il", "in", "jp", "sa", "sg", "us", "za"
]
"""Countries an assistant's outbound calls may be restricted to (ISO 3166 alpha-2, lower case)."""

FallbackPolicy = Literal["retry", "block", "continue"]
"""What a call does when the compliance briefing is not acknowledged in time."""


class VoicemailSettings(TypedDict, total=False):
    """The ``voicemail`` argument of ``telephony.update_settings`` (every key optional).

    Keys are snake_case (sent as the wire's camelCase); the camelCase spellings are accepted too.

    Attributes:
        detection_enabled: detect answering machines.
        action: what to do on one (at most 40 characters, e.g. ``hangup``).
        message: the message to leave (at most 2000 characters).
    """

    detection_enabled: bool
    action: str
    message: str


class ComplianceSettings(TypedDict, total=False):
    """The ``compliance`` argument of ``telephony.update_settings`` (every key optional).

    Keys are snake_case (sent as the wire's camelCase); the camelCase spellings are accepted too.

    Attributes:
        enabled: play a compliance briefing at the start of calls.
        template_id: a template of ``telephony.list_compliance_templates`` (``None`` for none).
        briefing_text: the briefing itself (at most 2000 characters).
        language: its language (at most 20 characters).
        require_ack: the callee must acknowledge it.
        fallback_policy: what happens without an acknowledgement (:data:`FallbackPolicy`).
        ack_timeout_seconds: how long to wait for it (3-60).
    """

    enabled: bool
    template_id: str | None
    briefing_text: str
    language: str
    require_ack: bool
    fallback_policy: FallbackPolicy
    ack_timeout_seconds: int


@attrs.frozen(kw_only=True)
class InboundTelephony(Model):
    """An assistant's inbound calling configuration.

    Attributes:
        enabled: whether the assistant answers calls to its numbers.
        phone_numbers: the active numbers assigned to the assistant (E.164).
        inbound_company_id: the CRM company new callers are filed under.
        livekit_inbound_trunk_id, livekit_dispatch_rule_id: the SIP trunk and dispatch rule
            that route the calls (set once inbound calling was enabled).
    """

    assistant_id: str | None = None
    enabled: bool | None = None
    phone_numbers: list[str] | None = None
    inbound_company_id: str | None = None
    livekit_inbound_trunk_id: str | None = None
    livekit_dispatch_rule_id: str | None = None


@attrs.frozen(kw_only=True)
class OutboundTelephony(Model):
    """An assistant's outbound calling configuration.

    Attributes:
        enabled: whether the assistant may place calls.
        phone_numbers: the active numbers it may call from (E.164).
        destination_country: the only country it may call, if restricted.
        telnyx_fqdn_connection_id: the carrier connection outbound calls leave through.
        livekit_outbound_trunk_id: the SIP trunk (set once outbound calling was enabled).
    """

    assistant_id: str | None = None
    enabled: bool | None = None
    phone_numbers: list[str] | None = None
    destination_country: str | None = None
    telnyx_fqdn_connection_id: str | None = None
    livekit_outbound_trunk_id: str | None = None


@attrs.frozen(kw_only=True)
class TelephonySettings(Model):
    """An assistant's whole telephony setup.

    Attributes:
        phone_number_ids: record ids of the numbers assigned to the assistant.
        voicemail: ``{"detectionEnabled", "action", "message"}``.
        compliance: ``{"enabled", "templateId", "briefingText", "language", "requireAck",
            "fallbackPolicy", "ackTimeoutSeconds"}``.
    """

    assistant_id: str | None = None
    inbound_enabled: bool | None = None
    outbound_enabled: bool | None = None
    inbound_company_id: str | None = None
    telnyx_connection_id: str | None = None
    destination_country: str | None = None
    phone_number_ids: list[str] | None = None
    voicemail: dict[str, Any] | None = None
    compliance: dict[str, Any] | None = None
    updated_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class TelephonySettingsUpdate(Model):
    """The answer to a settings update.

    Attributes:
        assistant: the assistant with its new telephony flags.
        assigned_active: how many active numbers are now assigned to it.
    """

    assistant: Assistant | None = None
    assigned_active: int | None = None


@attrs.frozen(kw_only=True)
class ComplianceTemplate(Model):
    """A call-opening compliance briefing the assistant can read before talking.

    Attributes:
        id: pass it as ``template_id`` in the compliance settings.
        briefing_text: what is read to the callee.
        require_ack: whether the callee must acknowledge it.
    """

    id: str
    name: str | None = None
    language: str | None = None
    briefing_text: str | None = None
    require_ack: bool | None = None


@attrs.frozen(kw_only=True)
class TelephonyTestCall(Model):
    """A test call that was started.

    Attributes:
        room_name: the voice room the assistant joined.
        sip_call_id: the carrier's id of the outbound leg.
    """

    room_name: str | None = None
    sip_call_id: str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class WebhookTestResult(Model):
    """The result of sending an assistant's test webhook.

    Attributes:
        delivery: the test delivery (``id``, ``event``, ``url``, ``sent_at``).
    """

    message: str | None = None
    delivery: dict[str, Any] | None = None
