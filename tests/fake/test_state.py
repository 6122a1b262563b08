"""fake.state: the fake's rules called directly, without HTTP (for seeding tests fast)."""

from __future__ import annotations

import pytest

from talkturo_async.testing import FakeHTTPError, FakeTalkturo
from tests.fake.conftest import Raw


async def test_call_runs_the_route_rule_without_http(raw: Raw) -> None:
    """state.call writes what the route writes, skips scripted faults and is not logged."""
    fake = raw.fake
    fake.fail_next(status=503)  # would fail the next HTTP request, not a direct call
    made = fake.state.call("POST", "/crm/companies", body={"teamId": fake.team_id, "name": "Dir"})
    assert fake.requests == []
    assert (await raw("GET", f"/crm/companies/{made['company']['id']}")).status == 503
    got = await raw.ok("GET", f"/crm/companies/{made['company']['id']}")
    assert got["company"]["name"] == "Dir"
    listed = fake.state.call("GET", "/crm/companies", query={"teamId": fake.team_id})
    assert [c["name"] for c in listed["companies"]] == ["Dir"]


def test_call_raises_the_answer_the_route_would_give() -> None:
    """Unknown paths raise 404, other methods 405, a refused body the rule's 400; no server needed."""
    state = FakeTalkturo().state
    with pytest.raises(FakeHTTPError) as unknown:
        state.call("GET", "/nope")
    with pytest.raises(FakeHTTPError) as wrong_method:
        state.call("DELETE", "/crm/contacts")
    with pytest.raises(FakeHTTPError) as refused:
        state.call("POST", "/crm/companies", body={"teamId": "team_01fake"})
    assert (unknown.value.status, wrong_method.value.status) == (404, 405)
    assert (refused.value.status, refused.value.body) == (
        400,
        {"success": False, "error": "name is required"},
    )


def test_seeding_shortcuts_match_their_routes() -> None:
    """The named shortcuts (import, purchase, campaign run) apply the same rules as the routes."""
    fake = FakeTalkturo(credits=10.0)
    state, team = fake.state, fake.team_id
    company = state.create_company({"teamId": team, "name": "Acme"})["company"]
    rows = [
        {"firstName": "A", "lastName": "B", "companyId": company["id"], "phone": "+14155550100"}
    ]
    imported = state.import_contacts({"teamId": team, "contacts": [*rows, {"firstName": "X"}]})
    assert (imported["imported"], imported["failed"]) == (1, 1)
    number = state.purchase_number({"teamId": team, "phoneNumber": "+14155550199"})["phoneNumber"]
    assert number["status"] == "purchasing" and fake.credits == 9.0
    with pytest.raises(FakeHTTPError) as owned:
        state.purchase_number({"teamId": team, "phoneNumber": "+14155550199"})
    assert owned.value.status == 409
    bot = state.create_assistant({"accountSlug": fake.account_slug, "name": "Bot"})["assistant"]
    campaign = state.create_campaign(
        {"teamId": team, "assistantId": bot["id"], "companyId": company["id"], "name": "Q"}
    )["campaign"]
    added = state.add_campaign_contacts(campaign["id"], {"contactIds": list(fake.contacts)})
    ran = state.run_campaign(campaign["id"], {})
    assert (added["added"], ran["started"], len(fake.calls)) == (1, 1, 1)
    assert fake.campaigns[campaign["id"]]["status"] == "completed"
