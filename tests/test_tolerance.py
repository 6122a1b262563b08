"""Every 'tolerate' variant of REFERENCE §13 is read correctly (transport-level fixtures)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import pytest

from talkturo_async import (
    APIError,
    PermissionDeniedError,
    Request,
    Response,
    Talkturo,
)
from tests.conftest import MockClient, as_dict, ok

T = TypeVar("T")


def answering(body: Any, status: int = 200) -> Callable[[Request], Response]:
    """A handler that answers every request with ``body``."""

    def handler(r: Request) -> Response:
        if isinstance(body, bytes):
            return Response(status=status, body=body)
        return ok(body, status)

    return handler


async def call(
    mock_client: MockClient, body: Any, fn: Callable[[Talkturo], Awaitable[T]], status: int = 200
) -> T:
    """``fn(client)`` against a client whose every request is answered with ``body``."""
    tk, _ = mock_client(answering(body, status))
    async with tk:
        return await fn(tk)


# -- §13.0 shared rules -------------------------------------------------------------------------


async def test_success_key_missing(mock_client: MockClient) -> None:
    """A body without 'success' is still a success."""
    c = await call(
        mock_client, {"campaign": {"id": "camp_1"}}, lambda tk: tk.campaigns.get("camp_1")
    )
    assert c.id == "camp_1"


async def test_data_instead_of_named_key_object(mock_client: MockClient) -> None:
    """'data' holding the object instead of the named key."""
    c = await call(
        mock_client,
        {"success": True, "data": {"id": "ct_1", "firstName": "A"}},
        lambda tk: tk.contacts.get("ct_1"),
    )
    assert (c.id, c.first_name) == ("ct_1", "A")


async def test_data_instead_of_named_key_array(mock_client: MockClient) -> None:
    """'data' holding the list instead of the named key."""
    items = await call(
        mock_client,
        {"success": True, "data": [{"id": "camp_1"}], "count": 1},
        lambda tk: tk.campaigns.list(team_id="t").to_list(),
    )
    assert [c.id for c in items] == ["camp_1"]


async def test_unknown_sibling_keys_ignored(mock_client: MockClient) -> None:
    """Unknown keys beside the payload do not disturb it."""
    c = await call(
        mock_client,
        {"success": True, "campaign": {"id": "x"}, "requestId": "r", "warnings": []},
        lambda tk: tk.campaigns.get("x"),
    )
    assert c.id == "x"


# -- §13.1 auth ---------------------------------------------------------------------------------


async def test_auth_success_absent(mock_client: MockClient) -> None:
    """auth.test() treats a 2xx without 'success' as success."""
    check = await call(mock_client, {"message": "ok"}, lambda tk: tk.auth.test())
    assert check.success is True and check.message == "ok"


# -- §13.2 assistants ---------------------------------------------------------------------------


async def test_assistant_uuid_ids_and_bare_object(mock_client: MockClient) -> None:
    """A bare assistant object (top-level id, no envelope) with a UUID id."""
    uid = "7f5a4d6e-1d1b-4f76-9b03-2e9f48d09f6a"
    a = await call(
        mock_client,
        {"id": uid, "name": "Bare", "updated_at": "2025-02-18T14:31:09.027Z"},
        lambda tk: tk.assistants.get(uid),
    )
    assert a.id == uid and a.name == "Bare" and isinstance(a.updated_at, datetime)


async def test_assistant_delete_empty_body(mock_client: MockClient) -> None:
    """DELETE answering 2xx with an empty body returns None."""
    deleted: object = await call(
        mock_client, b"", lambda tk: tk.assistants.delete("asst_1"), status=204
    )
    assert deleted is None


async def test_usage_stats_top_level_camel_case(mock_client: MockClient) -> None:
    """Metrics at top level in camelCase fill UsageStats."""
    body = {
        "totalCalls": 148,
        "totalMinutes": 912.5,
        "avgDurationMinutes": None,
        "completedCallsWithDuration": 90,
        "successRatePercent": 61.2,
        "successEvaluatedCount": 100,
        "timeline": {"today": 3},
        "dailySeries": [{"date": "2025-01-01", "count": 3}],
    }
    stats = await call(
        mock_client, body, lambda tk: tk.assistants.usage_stats("asst_1", account_id="acct")
    )
    assert (stats.total_calls, stats.total_minutes, stats.success_rate_percent) == (
        148,
        912.5,
        61.2,
    )
    assert (
        stats.daily_series == [{"date": "2025-01-01", "count": 3}]
        and stats.avg_duration_minutes is None
    )


async def test_assign_numbers_extra_keys(mock_client: MockClient) -> None:
    """assign_phone_numbers accepts a message or echoed ids beside success."""
    body = {"success": True, "message": "assigned", "phoneNumberIds": ["pn_1"]}
    assigned: object = await call(
        mock_client,
        body,
        lambda tk: tk.assistants.assign_phone_numbers("asst_1", ["pn_1"], account_slug="acme"),
    )
    assert assigned is None


async def test_list_phone_numbers_key_and_no_count(mock_client: MockClient) -> None:
    """'phoneNumbers' instead of 'numbers', no success and no count."""
    body = {
        "phoneNumbers": [
            {"id": "pn_1", "phone_number": "+1415", "status": "active", "country": "US"}
        ]
    }
    numbers = await call(
        mock_client, body, lambda tk: tk.assistants.list_phone_numbers("asst_1").to_list()
    )
    assert [n.id for n in numbers] == ["pn_1"] and numbers[0].extra == {"country": "US"}


# -- §13.3 campaigns ----------------------------------------------------------------------------


async def test_campaign_list_total_and_page(mock_client: MockClient) -> None:
    """'total' and 'page' instead of count/offset."""
    seen: list[Request] = []

    def handler(r: Request) -> Response:
        seen.append(r)
        page = int(r.url.query.get("page", "1"))
        rows = [{"id": f"c{i}"} for i in range(3)]
        return ok({"campaigns": rows[(page - 1) * 2 : page * 2], "total": 3, "page": page})

    tk, _ = mock_client(handler)
    async with tk:
        items = await tk.campaigns.list(team_id="t", limit=2).to_list()
    assert [c.id for c in items] == ["c0", "c1", "c2"]


async def test_campaign_create_minimal_echo_with_schedule(mock_client: MockClient) -> None:
    """A minimal echo (id, name, status) with the spec's 'schedule' object read into its field."""
    body = {
        "success": True,
        "campaign": {
            "id": "cmp_1",
            "name": "Q3",
            "status": "draft",
            "schedule": {"timezone": "America/Los_Angeles"},
        },
    }
    c = await call(
        mock_client,
        body,
        lambda tk: tk.campaigns.create(team_id="t", assistant_id="a", company_id="c", name="Q3"),
    )
    assert (c.id, c.status, c.team_id) == ("cmp_1", "draft", None)
    assert c.schedule == {"timezone": "America/Los_Angeles"}
    assert "schedule" not in c.extra


async def test_campaign_unknown_status_kept(mock_client: MockClient) -> None:
    """An unknown status such as 'stopped' is kept as a string."""
    c = await call(
        mock_client,
        {"campaign": {"id": "c", "status": "stopped"}},
        lambda tk: tk.campaigns.get("c"),
    )
    assert c.status == "stopped"


async def test_campaign_contacts_plain_rows_wrapped(mock_client: MockClient) -> None:
    """Rows that are plain contacts become CampaignContact(contact=...)."""
    body = {
        "success": True,
        "contacts": [
            {"id": "ct_1", "first_name": "A"},
            {"id": "cc_2", "status": "pending", "contact": {"id": "ct_2"}},
        ],
        "count": 2,
    }
    rows = await call(mock_client, body, lambda tk: tk.campaigns.list_contacts("camp_1").to_list())
    assert rows[0].contact is not None and rows[0].contact.first_name == "A" and rows[0].id is None
    assert rows[1].id == "cc_2" and rows[1].contact is not None and rows[1].contact.id == "ct_2"


async def test_add_contacts_array_instead_of_counts(mock_client: MockClient) -> None:
    """A 'contacts' array instead of counts gives added = len(contacts)."""
    body = {
        "success": True,
        "contacts": [{"id": "cc_1", "status": "pending", "priority": 10}, {"id": "cc_2"}],
    }
    result = await call(
        mock_client, body, lambda tk: tk.campaigns.add_contacts("camp_1", contact_ids=["a", "b"])
    )
    assert result.added == 2 and result.extra["contacts"][0]["id"] == "cc_1"


async def test_dashboard_legacy_stats(mock_client: MockClient) -> None:
    """The legacy flat stats object is kept in .stats."""
    body = {
        "success": True,
        "stats": {"total_calls": 240, "answered": 118, "failed": 21, "in_progress": 7},
    }
    board = await call(mock_client, body, lambda tk: tk.campaigns.dashboard("camp_1"))
    assert (
        board.stats == {"total_calls": 240, "answered": 118, "failed": 21, "in_progress": 7}
        and board.counts is None
    )


async def test_start_action_variant_status(mock_client: MockClient) -> None:
    """{'success': true, 'status': 'running'} reads as RunResult.status."""
    result = await call(
        mock_client, {"success": True, "status": "running"}, lambda tk: tk.campaigns.start("camp_1")
    )
    assert result.status == "running" and result.started is None


# -- §13.4 contacts -----------------------------------------------------------------------------


async def test_contacts_list_count_missing(mock_client: MockClient) -> None:
    """A contacts list with only success/contacts: a short page ends it."""
    items = await call(
        mock_client,
        {"success": True, "contacts": [{"id": "a"}, {"id": "b"}]},
        lambda tk: tk.contacts.list(team_id="t").to_list(),
    )
    assert [c.id for c in items] == ["a", "b"]


async def test_contact_get_nested(mock_client: MockClient) -> None:
    """Nested company, activities, opportunities and campaign_history are read."""
    body = {
        "success": True,
        "contact": {
            "id": "ct_1",
            "company": {"id": "comp_1", "name": "Acme"},
            "activities": [{"type": "call"}],
            "opportunities": [],
            "campaign_history": [{"campaign_id": "camp_1"}],
        },
    }
    c = await call(mock_client, body, lambda tk: tk.contacts.get("ct_1"))
    assert (
        c.company == {"id": "comp_1", "name": "Acme"}
        and c.activities == [{"type": "call"}]
        and c.campaign_history
    )


async def test_import_errors_strings_or_objects(mock_client: MockClient) -> None:
    """Import errors as objects get their row mapped to the caller's index; strings are kept as text."""
    body = {
        "success": True,
        "imported": 1,
        "failed": 2,
        "errors": [{"row": 1, "error": "lastName is required"}, "row 9: something"],
    }
    rows = [
        {"first_name": "bad"},
        {"first_name": "A", "last_name": "B"},
        {"first_name": "C", "last_name": "D"},
    ]
    result = await call(mock_client, body, lambda tk: tk.contacts.import_contacts(rows))
    assert result.errors == [
        {"row": 0, "error": "last_name is required"},  # refused locally, never sent
        {"row": 2, "error": "lastName is required"},  # the server's row 1 of the 2 sent rows
        {"row": None, "error": "row 9: something"},
    ]
    assert result.failed == 3 and result.imported == 1


# -- §13.5 companies ----------------------------------------------------------------------------


async def test_company_camel_case_echo(mock_client: MockClient) -> None:
    """A camelCase echo (companySize, addressLine1, postalCode, customFields) fills the fields."""
    body = {
        "success": True,
        "company": {
            "id": "comp_1",
            "teamId": "t",
            "companySize": "1-10",
            "addressLine1": "1 Main",
            "postalCode": "60601",
            "customFields": {"a": 1},
        },
    }
    c = await call(mock_client, body, lambda tk: tk.companies.create(team_id="t", name="A"))
    assert (c.team_id, c.company_size, c.address_line1, c.postal_code, c.custom_fields) == (
        "t",
        "1-10",
        "1 Main",
        "60601",
        {"a": 1},
    )


async def test_company_get_without_siblings(mock_client: MockClient) -> None:
    """companies.get without contacts/opportunities siblings leaves them None."""
    c = await call(
        mock_client,
        {"success": True, "company": {"id": "comp_1", "address": "1 Main St, Chicago"}},
        lambda tk: tk.companies.get("comp_1"),
    )
    assert c.contacts is None and c.opportunities is None and c.address == "1 Main St, Chicago"


async def test_company_list_contacts_no_success_no_count(mock_client: MockClient) -> None:
    """No success and no count: the full-page fallback decides has_more."""
    calls = 0

    def handler(r: Request) -> Response:
        nonlocal calls
        calls += 1
        offset = int(r.url.query["offset"])
        rows = [{"id": f"ct_{i}"} for i in range(5)][offset : offset + 2]
        return ok({"contacts": rows})

    tk, _ = mock_client(handler)
    async with tk:
        items = await tk.companies.list_contacts("comp_1", limit=2).to_list()
    assert [c.id for c in items] == [f"ct_{i}" for i in range(5)] and calls == 3


# -- §13.6 phone numbers ------------------------------------------------------------------------


async def test_search_pricing_object_fills_prices(mock_client: MockClient) -> None:
    """An item with 'pricing' and no flat prices gets monthly_price/setup_price from it; numbers become strings."""
    body = {
        "success": True,
        "numbers": [
            {
                "phoneNumber": "+14155550101",
                "pricing": {"monthlyUsd": 1.5, "upfrontUsd": 0, "estimated": True},
                "country": "US",
                "type": "local",
            }
        ],
        "carrier": "talkturo_1",
    }
    found = await call(mock_client, body, lambda tk: tk.phone_numbers.search(country_code="US"))
    n = found.numbers[0]
    assert (n.monthly_price, n.setup_price, n.country, n.type) == ("1.5", "0", "US", "local")
    assert found.count is None and found.extra["carrier"] == "talkturo_1"


async def test_search_numeric_flat_prices(mock_client: MockClient) -> None:
    """Prices sent as numbers are converted to strings."""
    found = await call(
        mock_client,
        {"numbers": [{"phoneNumber": "+1", "monthlyPrice": 1, "setupPrice": 1.25}]},
        lambda tk: tk.phone_numbers.search(country_code="US"),
    )
    assert (found.numbers[0].monthly_price, found.numbers[0].setup_price) == ("1", "1.25")


async def test_search_requires_verification_403(mock_client: MockClient) -> None:
    """A KYC 403 keeps requiresVerification in body."""
    tk, _ = mock_client(
        answering(
            {"success": False, "message": "Verification required", "requiresVerification": True},
            403,
        )
    )
    async with tk:
        with pytest.raises(PermissionDeniedError) as info:
            await tk.phone_numbers.search(country_code="GB")
    assert (
        as_dict(info.value.body)["requiresVerification"] is True
        and info.value.message == "Verification required"
    )


async def test_purchase_camel_number_and_account_slug(mock_client: MockClient) -> None:
    """The [repo] purchase shape: camelCase phoneNumber inside the object, accountSlug (the spec's
    field, read into ``account_slug``) instead of team."""
    body = {
        "success": True,
        "phoneNumber": {
            "id": "pn_7c9c4f2a61d1",
            "phoneNumber": "+14155550182",
            "status": "active",
            "accountSlug": "acme-sales",
        },
    }
    n = await call(
        mock_client,
        body,
        lambda tk: tk.phone_numbers.purchase(phone_number="+14155550182", team_id="t"),
    )
    assert (n.id, n.phone_number, n.status, n.team_id) == (
        "pn_7c9c4f2a61d1",
        "+14155550182",
        "active",
        None,
    )
    assert n.account_slug == "acme-sales" and "accountSlug" not in n.extra


async def test_numbers_list_server_ignores_paging(mock_client: MockClient) -> None:
    """A list whose count is the rows returned (paging ignored) ends after one page."""
    rows = [{"id": f"pn_{i}", "phone_number": f"+1415555010{i}"} for i in range(3)]
    tk, transport = mock_client(answering({"success": True, "numbers": rows, "count": 3}))
    async with tk:
        items = await tk.phone_numbers.list(team_id="t", limit=2).to_list()
    assert len(items) == 3 and len(transport.requests) == 1


async def test_number_get_camel_case(mock_client: MockClient) -> None:
    """GET with camelCase phoneNumber inside the object."""
    n = await call(
        mock_client,
        {"success": True, "phoneNumber": {"id": "pn_1", "phoneNumber": "+1415"}},
        lambda tk: tk.phone_numbers.get("pn_1"),
    )
    assert n.phone_number == "+1415"


async def test_release_answering_the_number(mock_client: MockClient) -> None:
    """release() accepts {'success': true, 'phoneNumber': '+1…'}."""
    released: object = await call(
        mock_client,
        {"success": True, "phoneNumber": "+14155550182"},
        lambda tk: tk.phone_numbers.release("pn_1"),
    )
    assert released is None


async def test_list_answer_without_array_is_clear_error(mock_client: MockClient) -> None:
    """A list answer with no array at all is an APIError naming the key, not a KeyError."""
    tk: Talkturo
    tk, _ = mock_client(answering({"success": True, "nothing": 1}))
    async with tk:
        with pytest.raises(APIError, match="'campaigns'"):
            await tk.campaigns.list(team_id="t").to_list()
