"""tk.telephony and tk.assistants.test_webhook against the fake, with every answer checked
against openapi.yaml (the spec_fake fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from talkturo_async import (
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    Talkturo,
)
from talkturo_async.models import (
    Assistant,
    ComplianceTemplate,
    TelephonySettings,
    TelephonyTestCall,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import as_dict

NUMBER_A = "+14155550101"
NUMBER_B = "+14155550102"


@pytest.fixture
async def client(spec_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client bound to the spec-checked fake."""
    async with Talkturo(
        api_key=spec_fake.api_key,
        base_url=spec_fake.base_url,
        retry_policy=RetryPolicy(wait=False),
    ) as tk:
        yield tk


def new_assistant(fake: FakeTalkturo, name: str = "Front desk") -> str:
    """Seed an assistant (without HTTP: the seed groups answer in their own contract shape)."""
    return str(
        fake.state.create_assistant({"accountSlug": fake.account_slug, "name": name})["assistant"][
            "id"
        ]
    )


def new_number(fake: FakeTalkturo, e164: str) -> str:
    """Seed a purchased number (active at once: the fake has no activation delay)."""
    answer = fake.state.purchase_number({"phoneNumber": e164, "teamId": fake.team_id})
    return str(answer["phoneNumber"]["id"])


async def assistant_with_number(tk: Talkturo, fake: FakeTalkturo, e164: str = NUMBER_A) -> str:
    """An assistant with one active number assigned through the API; returns its id."""
    assistant_id = new_assistant(fake)
    await tk.telephony.manage_phone_numbers(assistant_id, [new_number(fake, e164)])
    return assistant_id


async def test_inbound_round_trip(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """Enabling inbound flips the assistant's flag and creates its routing ids."""
    aid = await assistant_with_number(client, spec_fake)
    before = await client.telephony.get_inbound(aid)
    assert before.enabled is False and before.phone_numbers == [NUMBER_A]
    assert before.livekit_inbound_trunk_id is None
    updated = await client.telephony.configure_inbound(aid, spec_fake.account_slug, True)
    assert isinstance(updated, Assistant) and updated.inbound_enabled is True
    after = await client.telephony.get_inbound(aid)
    assert after.enabled is True and after.livekit_inbound_trunk_id
    assert after.livekit_dispatch_rule_id
    off = await client.telephony.configure_inbound(aid, spec_fake.account_slug, False)
    assert off.inbound_enabled is False
    assert spec_fake.assistants[aid]["inbound_enabled"] is False


async def test_inbound_needs_an_active_number(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """Enabling inbound on an assistant without numbers is a 400 and changes nothing."""
    assistant_id = new_assistant(spec_fake, "Bare")
    with pytest.raises(BadRequestError, match="no active phone number"):
        await client.telephony.configure_inbound(assistant_id, spec_fake.account_slug, True)
    assert (await client.telephony.get_inbound(assistant_id)).enabled is False


async def test_outbound_needs_a_carrier_connection(
    client: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """Outbound can be enabled only once the settings name a carrier connection."""
    aid = await assistant_with_number(client, spec_fake)
    await client.telephony.configure_outbound(aid, spec_fake.account_slug, False)
    with pytest.raises(BadRequestError, match="connection"):
        await client.telephony.configure_outbound(aid, spec_fake.account_slug, True)
    await client.telephony.update_settings(aid, telnyx_connection_id="conn_123")
    enabled = await client.telephony.configure_outbound(aid, spec_fake.account_slug, True)
    assert enabled.outbound_enabled is True
    outbound = await client.telephony.get_outbound(aid)
    assert outbound.enabled is True
    assert outbound.telnyx_fqdn_connection_id == "conn_123"
    assert outbound.livekit_outbound_trunk_id and outbound.phone_numbers == [NUMBER_A]


async def test_configure_with_foreign_account_slug_is_403(
    client: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """Another account's slug is refused with 403."""
    aid = await assistant_with_number(client, spec_fake)
    with pytest.raises(PermissionDeniedError):
        await client.telephony.configure_inbound(aid, "someone-else", True)


async def test_configure_requires_arguments(client: Talkturo) -> None:
    """A missing account slug is refused before anything is sent."""
    with pytest.raises(ValueError, match="account_slug is required"):
        await client.telephony.configure_outbound("asst_1", "", True)


async def test_settings_update_and_read_back(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A settings update is stored: flags, country, voicemail and compliance read back."""
    aid = await assistant_with_number(client, spec_fake)
    result = await client.telephony.update_settings(
        aid,
        spec_fake.account_slug,
        inbound_enabled=True,
        destination_country="gb",
        voicemail={"detection_enabled": True, "action": "leave_message", "message": "Call us"},
        compliance={"enabled": True, "template_id": "tpl_ai_disclosure", "ack_timeout_seconds": 10},
    )
    assert result.assigned_active == 1
    assert result.assistant is not None and result.assistant.inbound_enabled is True
    settings = await client.telephony.get_settings(aid)
    assert isinstance(settings, TelephonySettings)
    assert settings.destination_country == "gb" and settings.inbound_enabled is True
    assert settings.voicemail == {
        "detectionEnabled": True,
        "action": "leave_message",
        "message": "Call us",
    }
    assert settings.compliance is not None
    assert settings.compliance["templateId"] == "tpl_ai_disclosure"
    assert settings.phone_number_ids == list(spec_fake.phone_numbers)


async def test_settings_replace_numbers(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """phone_number_ids in the settings replaces the assigned set."""
    aid = await assistant_with_number(client, spec_fake)
    other_id = new_number(spec_fake, NUMBER_B)
    result = await client.telephony.update_settings(aid, phone_number_ids=[other_id])
    assert result.assigned_active == 1
    assert (await client.telephony.get_settings(aid)).phone_number_ids == [other_id]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compliance": {"templateId": "tpl_nope"}}, "unknown compliance template"),
        ({"compliance": {"ackTimeoutSeconds": 61}}, "ackTimeoutSeconds"),
        ({"voicemail": {"action": "x" * 41}}, "voicemail.action"),
        ({"inbound_enabled": "yes"}, "inboundEnabled"),
    ],
)
async def test_settings_bad_values_are_400(
    client: Talkturo, spec_fake: FakeTalkturo, kwargs: dict[str, object], message: str
) -> None:
    """Out-of-range or unknown setting values are refused with 400 and nothing is written."""
    aid = await assistant_with_number(client, spec_fake)
    before = await client.telephony.get_settings(aid)
    with pytest.raises(BadRequestError, match=message):
        await client.telephony.update_settings(aid, **kwargs)  # type: ignore[arg-type]
    assert await client.telephony.get_settings(aid) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"destinationCountry": "xx"}, "destinationCountry"),
        ({"compliance": {"fallbackPolicy": "ignore"}}, "fallbackPolicy"),
    ],
)
async def test_settings_values_the_sdk_refuses_are_400_on_the_wire_too(
    client: Talkturo, spec_fake: FakeTalkturo, body: dict[str, object], message: str
) -> None:
    """Values update_settings refuses before sending (ValueError) the route refuses as well."""
    aid = await assistant_with_number(client, spec_fake)
    path = f"assistants/{aid}/telephony/settings"
    with pytest.raises(BadRequestError, match=message):
        await client.request("PATCH", path, json=body)


async def test_settings_update_needs_a_field(client: Talkturo) -> None:
    """An update with nothing to change is refused before sending."""
    with pytest.raises(ValueError, match="at least one setting"):
        await client.telephony.update_settings("asst_1", "acme")


async def test_manage_phone_numbers_replaces_and_detaches(
    client: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """manage_phone_numbers makes the given ids exactly the assistant's numbers."""
    aid = await assistant_with_number(client, spec_fake)
    other_id = new_number(spec_fake, NUMBER_B)
    await client.telephony.manage_phone_numbers(aid, [other_id], spec_fake.account_slug)
    assert [n.phone_number for n in await client.telephony.list_account_phone_numbers()] == [
        NUMBER_B
    ]
    await client.telephony.manage_phone_numbers(aid, [])
    assert await client.telephony.list_account_phone_numbers() == []


async def test_manage_phone_numbers_conflict(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """Taking another assistant's number is a 409; an unknown number is a 404."""
    first = await assistant_with_number(client, spec_fake)
    second = new_assistant(spec_fake, "Second")
    number_id = next(iter(spec_fake.phone_numbers))
    with pytest.raises(ConflictError):
        await client.telephony.manage_phone_numbers(second, [number_id])
    with pytest.raises(NotFoundError):
        await client.telephony.manage_phone_numbers(first, ["pn_missing"])
    with pytest.raises(ValueError, match="not one string"):
        await client.telephony.manage_phone_numbers(first, "pn_000001")


async def test_account_phone_numbers_lists_only_attached(
    client: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """The account-wide list holds numbers attached to assistants, not free ones."""
    await assistant_with_number(client, spec_fake)
    new_number(spec_fake, NUMBER_B)
    numbers = await client.telephony.list_account_phone_numbers()
    assert [(n.phone_number, n.assistant_name) for n in numbers] == [(NUMBER_A, "Front desk")]


async def test_compliance_templates(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """The templates are typed and one of them is accepted by the settings."""
    aid = await assistant_with_number(client, spec_fake)
    templates = await client.telephony.list_compliance_templates(aid)
    assert templates and all(isinstance(t, ComplianceTemplate) for t in templates)
    assert templates[0].id is not None and templates[0].briefing_text
    await client.telephony.update_settings(aid, compliance={"template_id": templates[-1].id})


async def test_test_call_records_a_call(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A test call from the assistant's number is started and recorded."""
    aid = await assistant_with_number(client, spec_fake)
    placed = await client.telephony.test_call(
        aid, spec_fake.account_slug, NUMBER_A, "+442071234567"
    )
    assert isinstance(placed, TelephonyTestCall)
    assert placed.room_name and placed.sip_call_id and placed.message
    request = spec_fake.requests[-1]
    assert request.body == {
        "accountSlug": spec_fake.account_slug,
        "fromNumber": NUMBER_A,
        "toNumber": "+442071234567",
    }


async def test_test_call_refusals(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A foreign number is 400, a foreign slug 403, no credit 402, missing args ValueError."""
    aid = await assistant_with_number(client, spec_fake)
    slug = spec_fake.account_slug
    with pytest.raises(BadRequestError, match="fromNumber"):
        await client.telephony.test_call(aid, slug, NUMBER_B, "+442071234567")
    with pytest.raises(PermissionDeniedError):
        await client.telephony.test_call(aid, "other", NUMBER_A, "+442071234567")
    with pytest.raises(ValueError, match="to_number is required"):
        await client.telephony.test_call(aid, slug, NUMBER_A, "")
    spec_fake.credits = 0.5
    with pytest.raises(InsufficientCreditsError) as caught:
        await client.telephony.test_call(aid, slug, NUMBER_A, "+442071234567")
    assert as_dict(caught.value.body)["balance"] == 0.5


async def test_test_webhook(client: Talkturo, spec_fake: FakeTalkturo) -> None:
    """assistants.test_webhook reports the test delivery it triggered."""
    assistant_id = new_assistant(spec_fake, "Hooks")
    result = await client.assistants.test_webhook(assistant_id)
    assert result.delivery is not None
    assert result.delivery["event"] == "webhook.test"
    assert result.delivery["assistant_id"] == assistant_id


Call = Callable[[Talkturo], Awaitable[object]]
UNKNOWN_ASSISTANT_CALLS: list[Call] = [
    lambda tk: tk.telephony.get_inbound("asst_missing"),
    lambda tk: tk.telephony.get_outbound("asst_missing"),
    lambda tk: tk.telephony.get_settings("asst_missing"),
    lambda tk: tk.telephony.update_settings("asst_missing", inbound_enabled=False),
    lambda tk: tk.telephony.configure_inbound("asst_missing", "acme", False),
    lambda tk: tk.telephony.list_compliance_templates("asst_missing"),
    lambda tk: tk.telephony.manage_phone_numbers("asst_missing", []),
    lambda tk: tk.telephony.test_call("asst_missing", "acme", NUMBER_A, NUMBER_B),
    lambda tk: tk.assistants.test_webhook("asst_missing"),
]


@pytest.mark.parametrize("call", UNKNOWN_ASSISTANT_CALLS)
async def test_unknown_assistant_is_404(client: Talkturo, call: Call) -> None:
    """Every telephony call on an unknown assistant raises NotFoundError."""
    with pytest.raises(NotFoundError):
        await call(client)
