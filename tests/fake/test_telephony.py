"""Contract of the fake's telephony routes over raw HTTP (the wire names and the variants the
docs give for the same operation)."""

from __future__ import annotations

from tests.fake.conftest import Raw


async def test_settings_accepts_post_as_the_guide_documents(raw: Raw) -> None:
    """The guide's POST on /telephony/settings behaves like the spec's PATCH."""
    bot = await raw.assistant()
    number = await raw.number()
    body = {
        "accountSlug": raw.fake.account_slug,
        "phoneNumberIds": [number["id"]],
        "inboundEnabled": True,
        "outboundEnabled": False,
        "destinationCountry": "us",
    }
    answer = await raw.ok("POST", f"/assistants/{bot['id']}/telephony/settings", body)
    assert answer["assignedActive"] == 1 and answer["assistant"]["inbound_enabled"] is True
    settings = (await raw.ok("GET", f"/assistants/{bot['id']}/telephony/settings"))["settings"]
    assert settings["phone_number_ids"] == [number["id"]]
    assert settings["destination_country"] == "us"


async def test_phone_numbers_accepts_patch_and_needs_ids(raw: Raw) -> None:
    """PATCH (the guide) replaces numbers like POST (the spec); phoneNumberIds is required."""
    bot = await raw.assistant()
    number = await raw.number()
    path = f"/assistants/{bot['id']}/telephony/phone-numbers"
    await raw.ok("PATCH", path, {"phoneNumberIds": [number["id"]]})
    assert raw.fake.phone_numbers[number["id"]]["assistant_id"] == bot["id"]
    missing = await raw("POST", path, {"accountSlug": raw.fake.account_slug})
    assert missing.status == 400 and missing.body["error"] == "phoneNumberIds is required"


async def test_configure_needs_a_boolean_enabled(raw: Raw) -> None:
    """enabled must be a JSON boolean; accountSlug is required."""
    bot = await raw.assistant()
    path = f"/assistants/{bot['id']}/telephony/inbound"
    text = await raw("POST", path, {"accountSlug": raw.fake.account_slug, "enabled": "true"})
    assert text.status == 400 and "enabled" in text.body["error"]
    slugless = await raw("POST", path, {"enabled": False})
    assert slugless.status == 400 and slugless.body["error"] == "accountSlug is required"


async def test_test_call_requires_its_three_fields(raw: Raw) -> None:
    """accountSlug, fromNumber and toNumber are each required."""
    bot = await raw.assistant()
    path = f"/assistants/{bot['id']}/telephony/test-call"
    answer = await raw("POST", path, {"accountSlug": raw.fake.account_slug, "toNumber": "+1"})
    assert answer.status == 400 and answer.body["error"] == "fromNumber is required"
    assert raw.fake.state.store.test_calls == []
