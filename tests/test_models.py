"""Models built from responses: naming, extras, missing fields, timestamps, odd values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs

from talkturo_async import Contact, Request, Response
from tests.conftest import MockClient, ok


async def get_contact(mock_client: MockClient, payload: dict[str, object]) -> Contact:
    record = {"id": "ct_1", **payload}  # an entity always has its id
    tk, _ = mock_client(lambda r: ok({"success": True, "contact": record}))
    async with tk:
        return await tk.contacts.get("ct_1")


async def test_snake_and_camel_keys_both_map(mock_client: MockClient) -> None:
    """teamId and team_id both land in team_id; companySize-style keys map by one rule."""
    c = await get_contact(
        mock_client, {"id": "ct_1", "teamId": "t", "first_name": "Maya", "customFields": {"a": 1}}
    )
    assert (c.team_id, c.first_name, c.custom_fields) == ("t", "Maya", {"a": 1})


async def test_unknown_keys_kept_in_extra(mock_client: MockClient) -> None:
    """Keys the SDK does not know are kept, not dropped, not fatal."""
    c = await get_contact(mock_client, {"id": "ct_1", "loyalty_tier": "gold"})
    assert c.extra == {"loyalty_tier": "gold"}
    assert attrs.asdict(c)["id"] == "ct_1"


async def test_missing_fields_are_none(mock_client: MockClient) -> None:
    """Every field but the id is optional."""
    c = await get_contact(mock_client, {"id": "ct_1"})
    assert c.email is None
    assert c.tags is None
    assert c.do_not_call is None


async def test_timestamps_become_aware_datetimes(mock_client: MockClient) -> None:
    """ISO-8601 with Z, milliseconds or an offset becomes an aware datetime."""
    c = await get_contact(
        mock_client,
        {
            "created_at": "2025-02-18T14:22:31.114Z",
            "updated_at": "2024-01-10T09:00:00+02:00",
            "last_contacted_at": "2024-01-10",
        },
    )
    assert c.created_at == datetime(2025, 2, 18, 14, 22, 31, 114000, tzinfo=timezone.utc)
    assert isinstance(c.updated_at, datetime)
    assert c.updated_at.utcoffset() == timedelta(hours=2)
    assert isinstance(c.last_contacted_at, datetime)
    assert c.last_contacted_at.tzinfo is not None


async def test_unparseable_timestamp_stays_string(mock_client: MockClient) -> None:
    """A timestamp that is not ISO-8601 is kept as the string, never fatal."""
    c = await get_contact(mock_client, {"created_at": "yesterday-ish"})
    assert c.created_at == "yesterday-ish"


async def test_wrong_typed_value_kept_in_extra(mock_client: MockClient) -> None:
    """A value that does not fit its field goes to extra; the rest of the model survives."""
    c = await get_contact(
        mock_client,
        {"id": "ct_1", "tags": "not-a-list-of-strings", "do_not_call": "maybe", "phone": {"x": 1}},
    )
    assert c.id == "ct_1"
    assert c.do_not_call is None
    assert c.phone is None
    assert c.extra["do_not_call"] == "maybe"
    assert c.extra["phone"] == {"x": 1}


async def test_string_booleans_and_numeric_prices(mock_client: MockClient) -> None:
    """'true' reads as True; numbers sent for string fields become strings."""
    c = await get_contact(mock_client, {"do_not_call": "true", "phone": 14155550187})
    assert c.do_not_call is True
    assert c.phone == "14155550187"


async def test_models_are_frozen_and_comparable(mock_client: MockClient) -> None:
    """Models are plain frozen attrs data."""
    a = await get_contact(mock_client, {"id": "ct_1"})
    b = await get_contact(mock_client, {"id": "ct_1", "new_key": 1})
    assert a == b  # extra does not take part in equality
    assert attrs.has(type(a))


async def test_requests_send_camel_case_and_omit_none(mock_client: MockClient) -> None:
    """Keyword arguments go out as camelCase wire names; None is not sent."""
    seen: list[Request] = []

    def handler(r: Request) -> Response:
        seen.append(r)
        return ok({"success": True, "contact": {"id": "ct_9"}})

    tk, _ = mock_client(handler)
    async with tk:
        await tk.contacts.create(
            team_id="t",
            company_id="c",
            first_name="A",
            last_name="B",
            phone_secondary="+14155550100",
            do_not_call=False,
        )
    assert seen[0].json() == {
        "teamId": "t",
        "companyId": "c",
        "firstName": "A",
        "lastName": "B",
        "phoneSecondary": "+14155550100",
        "doNotCall": False,
    }
