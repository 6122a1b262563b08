"""FakeTalkturo's rules for telephony.

Inbound/outbound switches that need active numbers (and a carrier connection for outbound), settings
with the spec's value checks, replacing an assistant's numbers, compliance templates, test calls
(credit-checked) and test webhooks.
"""

from __future__ import annotations

from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import is_list, is_object, required
from .phone_numbers import find_number

DESTINATION_COUNTRIES = frozenset(
    {"ae", "au", "br", "ch", "de", "fr", "gb", "il", "in", "jp", "sa", "sg", "us", "za"}
)
FALLBACK_POLICIES = frozenset({"retry", "block", "continue"})
TEST_CALL_MINIMUM = 1.0  # credits an outbound test call needs, like a campaign start

COMPLIANCE_TEMPLATES: tuple[JSON, ...] = (
    {
        "id": "tpl_recording_notice",
        "name": "Call recording notice",
        "language": "en",
        "briefing_text": "This call may be recorded for quality and training purposes.",
        "require_ack": False,
    },
    {
        "id": "tpl_ai_disclosure",
        "name": "AI disclosure",
        "language": "en",
        "briefing_text": "You are speaking with an AI assistant. Is it OK to continue?",
        "require_ack": True,
    },
    {
        "id": "tpl_ai_disclosure_de",
        "name": "KI-Hinweis",
        "language": "de",
        "briefing_text": "Sie sprechen mit einem KI-Assistenten. Möchten Sie fortfahren?",
        "require_ack": True,
    },
)
_TEMPLATE_IDS = frozenset(t["id"] for t in COMPLIANCE_TEMPLATES)


def _assistant(store: Store, assistant_id: str) -> JSON:
    return store.get_or_404(store.assistants, assistant_id, "Assistant")


def _extras(store: Store, assistant_id: str) -> JSON:
    """The assistant's telephony settings beyond its record, created on first use."""
    return store.telephony.setdefault(
        assistant_id,
        {
            "telnyx_connection_id": None,
            "livekit_inbound_trunk_id": None,
            "livekit_dispatch_rule_id": None,
            "livekit_outbound_trunk_id": None,
            "voicemail": {"detectionEnabled": False, "action": "hangup", "message": ""},
            "compliance": {"enabled": False},
            "updated_at": None,
        },
    )


def _numbers(store: Store, assistant_id: str) -> list[JSON]:
    """The assistant's numbers, in purchase order (activation applied)."""
    return [
        find_number(store, n["id"])
        for n in list(store.phone_numbers.values())
        if n["assistant_id"] == assistant_id
    ]


def _active(store: Store, assistant_id: str) -> list[JSON]:
    return [n for n in _numbers(store, assistant_id) if n["status"] == "active"]


def _settings_view(store: Store, assistant: JSON) -> JSON:
    extras = _extras(store, assistant["id"])
    return {
        "assistant_id": assistant["id"],
        "inbound_enabled": assistant["inbound_enabled"],
        "outbound_enabled": assistant["outbound_enabled"],
        "inbound_company_id": assistant["inbound_company_id"],
        "telnyx_connection_id": extras["telnyx_connection_id"],
        "destination_country": assistant["destination_country"],
        "phone_number_ids": [n["id"] for n in _numbers(store, assistant["id"])],
        "voicemail": extras["voicemail"],
        "compliance": extras["compliance"],
        "updated_at": extras["updated_at"] or assistant["updated_at"],
    }


def _bool(body: JSON, name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise FakeHTTPError(400, f"{name} is required and must be true or false")
    return value


def _replace_numbers(store: Store, assistant: JSON, ids: Any) -> None:
    """Make ``ids`` exactly the assistant's numbers (400 not active, 409 another assistant's)."""
    if not is_list(ids) or not all(isinstance(i, str) for i in ids):
        raise FakeHTTPError(400, "phoneNumberIds must be an array of ids")
    numbers = [find_number(store, i) for i in ids]
    for number in numbers:
        if number["status"] != "active":
            raise FakeHTTPError(400, f"phone number {number['id']} is not active")
        if number["assistant_id"] not in (None, assistant["id"]):
            raise FakeHTTPError(
                409, f"phone number {number['id']} is assigned to another assistant"
            )
    for number in _numbers(store, assistant["id"]):
        number.update(assistant_id=None, assistant_name=None)
    for number in numbers:
        number.update(assistant_id=assistant["id"], assistant_name=assistant["name"])


def get_inbound(store: Store, call: Call) -> JSON:
    """The inbound switch, the numbers callers can reach and the routing ids."""
    assistant = _assistant(store, call.id)
    extras = _extras(store, call.id)
    inbound = {
        "assistant_id": assistant["id"],
        "enabled": assistant["inbound_enabled"],
        "phone_numbers": [n["phone_number"] for n in _active(store, call.id)],
        "inbound_company_id": assistant["inbound_company_id"],
        "livekit_inbound_trunk_id": extras["livekit_inbound_trunk_id"],
        "livekit_dispatch_rule_id": extras["livekit_dispatch_rule_id"],
    }
    return {"success": True, "inbound": inbound}


def configure_inbound(store: Store, call: Call) -> JSON:
    """Turn inbound on (needs an active number; creates the trunk and dispatch rule) or off."""
    assistant = _assistant(store, call.id)
    required(call.body, "accountSlug")
    store.check_account_slug(call.body["accountSlug"])
    enabled = _bool(call.body, "enabled")
    extras = _extras(store, call.id)
    if enabled:
        if not _active(store, call.id):
            raise FakeHTTPError(400, "the assistant has no active phone number")
        extras["livekit_inbound_trunk_id"] = extras["livekit_inbound_trunk_id"] or store.new_id(
            "ST_in"
        )
        extras["livekit_dispatch_rule_id"] = extras["livekit_dispatch_rule_id"] or store.new_id(
            "SDR"
        )
    assistant.update(inbound_enabled=enabled, updated_at=now_iso())
    return {"success": True, "assistant": assistant}


def get_outbound(store: Store, call: Call) -> JSON:
    """The outbound switch, the numbers calls leave from and the carrier connection."""
    assistant = _assistant(store, call.id)
    extras = _extras(store, call.id)
    outbound = {
        "assistant_id": assistant["id"],
        "enabled": assistant["outbound_enabled"],
        "phone_numbers": [n["phone_number"] for n in _active(store, call.id)],
        "destination_country": assistant["destination_country"],
        "telnyx_fqdn_connection_id": extras["telnyx_connection_id"],
        "livekit_outbound_trunk_id": extras["livekit_outbound_trunk_id"],
    }
    return {"success": True, "outbound": outbound}


def configure_outbound(store: Store, call: Call) -> JSON:
    """Turn outbound on (needs an active number and a carrier connection) or off."""
    assistant = _assistant(store, call.id)
    required(call.body, "accountSlug")
    store.check_account_slug(call.body["accountSlug"])
    enabled = _bool(call.body, "enabled")
    extras = _extras(store, call.id)
    if enabled:
        if not _active(store, call.id):
            raise FakeHTTPError(400, "the assistant has no active phone number")
        if not extras["telnyx_connection_id"]:
            raise FakeHTTPError(400, "outbound calling needs a telnyx_fqdn_connection_id")
        extras["livekit_outbound_trunk_id"] = extras["livekit_outbound_trunk_id"] or store.new_id(
            "ST_out"
        )
    assistant.update(outbound_enabled=enabled, updated_at=now_iso())
    return {"success": True, "assistant": assistant}


def get_settings(store: Store, call: Call) -> JSON:
    """The whole telephony setup of an assistant."""
    assistant = _assistant(store, call.id)
    return {"success": True, "settings": _settings_view(store, assistant)}


def _check_voicemail(value: Any) -> JSON:
    if not is_object(value):
        raise FakeHTTPError(400, "voicemail must be an object")
    action, message = value.get("action"), value.get("message")
    if action is not None and (not isinstance(action, str) or len(action) > 40):
        raise FakeHTTPError(400, "voicemail.action must be a string of at most 40 characters")
    if message is not None and (not isinstance(message, str) or len(message) > 2000):
        raise FakeHTTPError(400, "voicemail.message must be a string of at most 2000 characters")
    return value


def _check_compliance(value: Any) -> JSON:
    if not is_object(value):
        raise FakeHTTPError(400, "compliance must be an object")
    template = value.get("templateId")
    if template is not None and template not in _TEMPLATE_IDS:
        raise FakeHTTPError(400, f"unknown compliance template: {template}")
    policy = value.get("fallbackPolicy")
    if policy is not None and policy not in FALLBACK_POLICIES:
        raise FakeHTTPError(400, "compliance.fallbackPolicy must be retry, block or continue")
    timeout = value.get("ackTimeoutSeconds")
    if timeout is not None and (
        not isinstance(timeout, int) or isinstance(timeout, bool) or not 3 <= timeout <= 60
    ):
        raise FakeHTTPError(400, "compliance.ackTimeoutSeconds must be between 3 and 60")
    for name, limit in (("briefingText", 2000), ("language", 20)):
        text = value.get(name)
        if text is not None and (not isinstance(text, str) or len(text) > limit):
            raise FakeHTTPError(
                400, f"compliance.{name} must be a string of at most {limit} characters"
            )
    return value


def update_settings(store: Store, call: Call) -> JSON:
    """Change the given settings; every value is checked before anything is written."""
    assistant = _assistant(store, call.id)
    body = call.body
    store.check_account_slug(body.get("accountSlug"))
    changes = {k: v for k, v in body.items() if k != "accountSlug"}
    if not changes:
        raise FakeHTTPError(400, "at least one telephony setting is required")
    record: JSON = {}
    extras: JSON = {}
    for name in ("inboundEnabled", "outboundEnabled"):
        if name in changes:
            record[name.replace("Enabled", "_enabled")] = _bool(changes, name)
    if "destinationCountry" in changes:
        country = changes["destinationCountry"]
        if country is not None and country not in DESTINATION_COUNTRIES:
            raise FakeHTTPError(400, f"unsupported destinationCountry: {country}")
        record["destination_country"] = country
    if "inboundCompanyId" in changes:
        company_id = changes["inboundCompanyId"]
        if company_id is not None:
            store.get_or_404(store.companies, company_id, "Company")
        record["inbound_company_id"] = company_id
    if "telnyxConnectionId" in changes:
        extras["telnyx_connection_id"] = changes["telnyxConnectionId"]
    if "voicemail" in changes:
        extras["voicemail"] = {
            **_extras(store, call.id)["voicemail"],
            **_check_voicemail(changes["voicemail"]),
        }
    if "compliance" in changes:
        extras["compliance"] = {
            **_extras(store, call.id)["compliance"],
            **_check_compliance(changes["compliance"]),
        }
    if "phoneNumberIds" in changes:
        _replace_numbers(store, assistant, changes["phoneNumberIds"])
    ts = now_iso()
    _extras(store, call.id).update(extras, updated_at=ts)
    assistant.update(record, updated_at=ts)
    return {
        "success": True,
        "assistant": assistant,
        "assignedActive": len(_active(store, call.id)),
    }


def manage_phone_numbers(store: Store, call: Call) -> JSON:
    """Replace the assistant's numbers with ``phoneNumberIds`` (an empty list detaches all)."""
    assistant = _assistant(store, call.id)
    body = call.body
    store.check_account_slug(body.get("accountSlug"))
    if "phoneNumberIds" not in body:
        raise FakeHTTPError(400, "phoneNumberIds is required")
    _replace_numbers(store, assistant, body["phoneNumberIds"])
    count = len(body["phoneNumberIds"])
    return {"success": True, "message": f"Assistant now has {count} phone number(s)"}


def list_compliance_templates(store: Store, call: Call) -> JSON:
    """The compliance briefings an assistant can use."""
    _assistant(store, call.id)
    return {"success": True, "templates": [dict(t) for t in COMPLIANCE_TEMPLATES]}


def list_account_phone_numbers(store: Store, call: Call) -> JSON:
    """Every number of the account that is attached to an assistant."""
    numbers = [
        find_number(store, n["id"])
        for n in list(store.phone_numbers.values())
        if n["assistant_id"] is not None
    ]
    return {"success": True, "numbers": numbers}


def start_test_call(store: Store, call: Call) -> JSON:
    """A test call from an active number of the assistant (402 below the credit minimum)."""
    assistant = _assistant(store, call.id)
    body = call.body
    required(body, "accountSlug", "fromNumber", "toNumber")
    store.check_account_slug(body["accountSlug"])
    own = {n["phone_number"] for n in _active(store, call.id)}
    if body["fromNumber"] not in own:
        raise FakeHTTPError(400, "fromNumber must be an active number assigned to this assistant")
    if store.credits < TEST_CALL_MINIMUM:
        raise FakeHTTPError(
            402, "Insufficient credits", balance=store.credits, required=TEST_CALL_MINIMUM
        )
    placed = {
        "id": store.new_id("tcall"),
        "assistant_id": assistant["id"],
        "from_number": body["fromNumber"],
        "to_number": body["toNumber"],
        "room_name": f"test-{assistant['id']}-{len(store.test_calls) + 1}",
        "sip_call_id": store.new_id("SCL"),
        "started_at": now_iso(),
    }
    store.test_calls.append(placed)
    return {
        "success": True,
        "roomName": placed["room_name"],
        "sipCallId": placed["sip_call_id"],
        "message": "Test call initiated",
    }


def test_webhook(store: Store, call: Call) -> JSON:
    """Record a ``webhook.test`` delivery for the assistant and describe it."""
    assistant = _assistant(store, call.id)
    delivery = {
        "id": store.new_id("whtest"),
        "assistant_id": assistant["id"],
        "event": "webhook.test",
        "sent_at": now_iso(),
    }
    store.webhook_tests.append(delivery)
    return {"success": True, "message": "Test webhook sent", "delivery": delivery}
