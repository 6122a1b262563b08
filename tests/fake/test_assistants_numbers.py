"""FakeTalkturo's assistants and phone numbers (raw aiohttp)."""

from __future__ import annotations

import asyncio

import aiohttp

from talkturo_async.testing import FakeTalkturo
from tests.fake.conftest import Raw


async def test_assistant_create_get(raw: Raw) -> None:
    """Create seeds from the template; GET returns the same object under 'assistant'."""
    created = await raw.ok(
        "POST",
        "/assistants",
        {"accountSlug": raw.fake.account_slug, "name": "Setter", "templateId": "outbound-setter"},
    )
    bot = created["assistant"]
    assert (
        bot["id"].startswith("asst_")
        and bot["type"] == "outbound-setter"
        and bot["outbound_enabled"] is True
    )
    assert bot["account_id"] == raw.fake.account_id
    assert (await raw.ok("GET", f"/assistants/{bot['id']}"))["assistant"] == bot
    assert (await raw("POST", "/assistants", {"name": "x"})).body[
        "error"
    ] == "accountSlug is required"
    assert (
        await raw("POST", "/assistants", {"accountSlug": "someone-else", "name": "x"})
    ).status == 403
    default = await raw.assistant()
    assert default["type"] == "custom"


async def test_assistant_update_rules(raw: Raw) -> None:
    """PATCH takes snake_case fields; none is 400; bad transcriptor_options is 400 with issues."""
    bot = await raw.assistant()
    path = f"/assistants/{bot['id']}"
    updated = await raw.ok(
        "PATCH",
        path,
        {"accountSlug": raw.fake.account_slug, "first_message": "Hi!", "temperature": 0.2},
    )
    assert (
        updated["assistant"]["first_message"] == "Hi!"
        and updated["assistant"]["temperature"] == 0.2
    )
    assert (await raw("PATCH", path, {"accountSlug": raw.fake.account_slug})).status == 400
    assert (await raw("PATCH", path, {"firstMessage": "camel"})).status == 400
    bad = await raw("PATCH", path, {"transcriptor_options": {"provider": "nobody"}})
    assert (
        bad.status == 400
        and bad.body["error"] == "invalid_transcriptor_options"
        and bad.body["issues"]
    )


async def test_assistant_delete_clone_stats(raw: Raw) -> None:
    """Clone copies with '(Copy)' or newName; usage-stats answers under 'stats'; DELETE removes."""
    bot = await raw.assistant("Setter")
    copy = (await raw.ok("POST", f"/assistants/{bot['id']}/clone", {}))["assistant"]
    named = (await raw.ok("POST", f"/assistants/{bot['id']}/clone", {"newName": "B"}))["assistant"]
    assert (copy["name"], named["name"]) == ("Setter (Copy)", "B") and copy["id"] != bot["id"]
    stats = (
        await raw.ok(
            "GET", f"/assistants/{bot['id']}/usage-stats", params={"accountId": raw.fake.account_id}
        )
    )["stats"]
    assert stats["total_calls"] == 0 and stats["daily_series"] == []
    assert (await raw.ok("DELETE", f"/assistants/{bot['id']}"))[
        "message"
    ] == "Assistant deleted successfully"
    assert (await raw("GET", f"/assistants/{bot['id']}")).status == 404


async def test_assign_and_list_assistant_numbers(raw: Raw) -> None:
    """Assigning adds numbers; a number on another assistant is 409; the list shows usable numbers."""
    a, b = await raw.assistant("A"), await raw.assistant("B")
    n1, n2 = await raw.number(), await raw.number()
    slug = raw.fake.account_slug
    assign = f"/assistants/{a['id']}/telephony/assign-phone-numbers"
    assert await raw.ok("POST", assign, {"accountSlug": slug, "phoneNumberIds": [n1["id"]]}) == {
        "success": True
    }
    assert raw.fake.phone_numbers[n1["id"]]["assistant_id"] == a["id"]
    clash = await raw(
        "POST",
        f"/assistants/{b['id']}/telephony/assign-phone-numbers",
        {"accountSlug": slug, "phoneNumberIds": [n1["id"]]},
    )
    assert clash.status == 409
    assert (await raw("POST", assign, {"accountSlug": slug, "phoneNumberIds": []})).status == 400
    assert (
        await raw("POST", assign, {"accountSlug": slug, "phoneNumberIds": ["pn_missing"]})
    ).status == 404
    listed = await raw.ok("GET", f"/assistants/{b['id']}/telephony/phone-numbers")
    assert [n["id"] for n in listed["numbers"]] == [n2["id"]]
    assert listed["count"] == 1


async def test_search_deterministic_e164(raw: Raw) -> None:
    """Search returns plausible E.164 numbers for the area code, the same for the same seed."""
    body = {"filters": {"countryCode": "US", "areaCode": "415", "limit": 5}}
    first = await raw.ok("POST", "/phone-numbers/search", body)
    again = await raw.ok("POST", "/phone-numbers/search", body)
    assert first == again and first["count"] == 5 and first["provider"] == "telnyx"
    for n in first["numbers"]:
        assert n["phoneNumber"].startswith("+1415") and len(n["phoneNumber"]) == 12
        assert n["monthlyPrice"] == "1.00" and n["features"] == ["voice", "sms"]
    assert (await raw("POST", "/phone-numbers/search", {"filters": {}})).body[
        "error"
    ] == "countryCode is required"
    assert (
        await raw(
            "POST", "/phone-numbers/search", {"filters": {"countryCode": "GB", "areaCode": "415"}}
        )
    ).status == 400
    toll = await raw.ok(
        "POST",
        "/phone-numbers/search",
        {"filters": {"countryCode": "US", "numberType": "toll-free", "limit": 1}},
    )
    assert toll["numbers"][0]["phoneNumber"].startswith("+1800")


async def test_purchase_lifecycle(raw: Raw) -> None:
    """Purchase answers 'purchasing' with eligibility, becomes active, is listed; a repeat is 409."""
    found = await raw.ok(
        "POST", "/phone-numbers/search", {"filters": {"countryCode": "US", "limit": 1}}
    )
    e164 = found["numbers"][0]["phoneNumber"]
    bought = await raw.ok(
        "POST", "/phone-numbers/purchase", {"phoneNumber": e164, "teamId": raw.fake.team_id}
    )
    number = bought["phoneNumber"]
    assert (
        number["status"] == "purchasing"
        and number["phone_number"] == e164
        and "eligibility" in bought
    )
    assert (await raw.ok("GET", f"/phone-numbers/{number['id']}"))["phoneNumber"][
        "status"
    ] == "active"
    listed = await raw.ok("GET", "/phone-numbers/purchase", params={"teamId": raw.fake.team_id})
    assert [n["id"] for n in listed["numbers"]] == [number["id"]] and listed["count"] == 1
    assert (
        await raw(
            "POST", "/phone-numbers/purchase", {"phoneNumber": e164, "teamId": raw.fake.team_id}
        )
    ).status == 409
    again = await raw.ok(
        "POST", "/phone-numbers/search", {"filters": {"countryCode": "US", "limit": 20}}
    )
    assert e164 not in {n["phoneNumber"] for n in again["numbers"]}  # owned numbers are not offered
    assert (await raw("GET", "/phone-numbers/purchase")).status == 400


async def test_purchase_activation_delay_and_release() -> None:
    """With activation_delay the number stays purchasing, then turns active; release removes it."""
    async with FakeTalkturo(activation_delay=0.1) as fake, aiohttp.ClientSession() as s:
        raw = Raw(fake, s)
        number = await raw.number()
        assert (await raw.ok("GET", f"/phone-numbers/{number['id']}"))["phoneNumber"][
            "status"
        ] == "purchasing"
        await asyncio.sleep(0.12)
        assert (await raw.ok("GET", f"/phone-numbers/{number['id']}"))["phoneNumber"][
            "status"
        ] == "active"
        released = await raw.ok(
            "DELETE", f"/phone-numbers/{number['id']}", params={"account": fake.account_slug}
        )
        assert released["message"] == "Phone number released" and fake.phone_numbers == {}


async def test_purchase_without_balance_is_402() -> None:
    """Not enough balance: 402 with balance and required."""
    async with FakeTalkturo(credits=0.5) as fake, aiohttp.ClientSession() as s:
        raw = Raw(fake, s)
        answer = await raw(
            "POST",
            "/phone-numbers/purchase",
            {"phoneNumber": "+14155550101", "teamId": fake.team_id},
        )
    assert answer.status == 402 and answer.body["balance"] == 0.5 and answer.body["required"] == 1.0
