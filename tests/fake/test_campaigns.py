"""FakeTalkturo's campaigns: lifecycle, enrolment, runs and the dashboard (raw aiohttp)."""

from __future__ import annotations

from typing import Any

import aiohttp

from talkturo_async.testing import FakeTalkturo
from tests.fake.conftest import Raw


async def enrolled_campaign(
    raw: Raw, n: int = 3, **fields: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    camp, company, _ = await raw.campaign(**fields)
    contacts = [
        await raw.contact(company["id"], first=f"C{i}", phone=f"+1415555{i:04d}") for i in range(n)
    ]
    await raw.ok(
        "POST", f"/crm/campaigns/{camp['id']}/contacts", {"contactIds": [c["id"] for c in contacts]}
    )
    return camp, contacts


async def test_create_shapes_and_defaults(raw: Raw) -> None:
    """A new campaign is a draft with contract defaults; scheduledStartAt makes it scheduled."""
    camp, company, bot = await raw.campaign()
    assert camp["id"].startswith("camp_") and camp["status"] == "draft"
    assert (camp["assistant_id"], camp["company_id"]) == (bot["id"], company["id"])
    assert (camp["call_window_start"], camp["call_window_end"], camp["call_window_timezone"]) == (
        "09:00",
        "17:00",
        "America/New_York",
    )
    assert camp["total_contacts"] == 0
    scheduled, _, _ = await raw.campaign(scheduledStartAt="2030-01-01T09:00:00Z")
    assert scheduled["status"] == "scheduled"


async def test_create_validation(raw: Raw) -> None:
    """Missing fields are 400; unknown assistant/company are 400; a number owned by another assistant is 409."""
    company = await raw.company()
    base = {"teamId": raw.fake.team_id, "companyId": company["id"], "name": "Q"}
    assert (await raw("POST", "/crm/campaigns", base)).body["error"] == "assistantId is required"
    assert (await raw("POST", "/crm/campaigns", {**base, "assistantId": "asst_x"})).status == 400
    a, b = await raw.assistant("A"), await raw.assistant("B")
    number = await raw.number()
    await raw.ok(
        "POST",
        f"/assistants/{a['id']}/telephony/assign-phone-numbers",
        {"accountSlug": raw.fake.account_slug, "phoneNumberIds": [number["id"]]},
    )
    clash = await raw(
        "POST", "/crm/campaigns", {**base, "assistantId": b["id"], "fromNumberIds": [number["id"]]}
    )
    assert clash.status == 409
    ok = await raw.ok(
        "POST", "/crm/campaigns", {**base, "assistantId": a["id"], "fromNumberIds": [number["id"]]}
    )
    assert ok["campaign"]["from_number"] == number["phone_number"]


async def test_list_filters_and_deleted(raw: Raw) -> None:
    """status/assistantId filters and deleted=exclude|include|only."""
    first, _, bot = await raw.campaign()
    second, _, _ = await raw.campaign()
    await raw.ok("DELETE", f"/crm/campaigns/{second['id']}")
    team = {"teamId": raw.fake.team_id}

    async def ids(**q: str) -> list[str]:
        return [
            c["id"]
            for c in (await raw.ok("GET", "/crm/campaigns", params={**team, **q}))["campaigns"]
        ]

    assert await ids() == [first["id"]]
    assert await ids(deleted="include") == [first["id"], second["id"]]
    assert await ids(deleted="only") == [second["id"]]
    assert await ids(assistantId=bot["id"]) == [first["id"]]
    assert await ids(status="running") == []
    assert (await raw("GET", "/crm/campaigns", params={**team, "deleted": "maybe"})).status == 400


async def test_get_includes_nested(raw: Raw) -> None:
    """GET adds assistant, contact_count and campaign_contacts."""
    camp, contacts = await enrolled_campaign(raw, 2)
    got = (await raw.ok("GET", f"/crm/campaigns/{camp['id']}"))["campaign"]
    assert got["contact_count"] == 2 and got["assistant"]["name"] == "Setter"
    assert [r["contact"]["id"] for r in got["campaign_contacts"]] == [c["id"] for c in contacts]


async def test_status_machine(raw: Raw) -> None:
    """draft→running→paused→running→completed; completed cannot go back; unknown status is 400."""
    camp, _ = await enrolled_campaign(raw, 1)
    path = f"/crm/campaigns/{camp['id']}"
    assert (
        await raw("PATCH", path, {"status": "paused"})
    ).status == 409  # pause needs running/scheduled
    for status in ("running", "paused", "running", "completed"):
        assert (await raw.ok("PATCH", path, {"status": status}))["campaign"]["status"] == status
    assert (await raw("PATCH", path, {"status": "running"})).status == 409
    assert (await raw("PATCH", path, {"status": "exploded"})).status == 400
    final = raw.fake.campaigns[camp["id"]]
    assert final["started_at"] and final["completed_at"]


async def test_running_campaign_allows_only_status_changes(raw: Raw) -> None:
    """While running, a non-status change is 409."""
    camp, _ = await enrolled_campaign(raw, 1)
    path = f"/crm/campaigns/{camp['id']}"
    await raw.ok("PATCH", path, {"status": "running"})
    assert (await raw("PATCH", path, {"name": "Renamed"})).status == 409
    await raw.ok("PATCH", path, {"status": "paused"})
    assert (await raw.ok("PATCH", path, {"name": "Renamed"}))["campaign"]["name"] == "Renamed"


async def test_delete_only_draft_or_cancelled(raw: Raw) -> None:
    """DELETE is 400 unless draft or cancelled, and soft-deletes."""
    camp, _ = await enrolled_campaign(raw, 1)
    path = f"/crm/campaigns/{camp['id']}"
    await raw.ok("PATCH", path, {"status": "running"})
    assert (await raw("DELETE", path)).status == 400
    await raw.ok("PATCH", path, {"status": "cancelled"})
    assert (await raw.ok("DELETE", path))["message"] == "Campaign deleted successfully"
    assert raw.fake.campaigns[camp["id"]]["deleted_at"]
    assert (await raw("GET", path)).status == 404


async def test_add_contacts_counts(raw: Raw) -> None:
    """contactIds mode counts added, skipped (already in, DNC, no phone) and invalid ids."""
    camp, company, _ = await raw.campaign()
    good = await raw.contact(company["id"], first="Good")
    dnc = await raw.contact(company["id"], first="Dnc", doNotCall=True)
    nophone = await raw.contact(company["id"], first="NoPhone", phone=None)
    path = f"/crm/campaigns/{camp['id']}/contacts"
    body = await raw.ok(
        "POST",
        path,
        {"contactIds": [good["id"], dnc["id"], nophone["id"], "ct_missing"], "priority": 5},
    )
    assert (body["added"], body["skipped"], body["invalid"]) == (1, 2, 1)
    assert body["contact_id"] == good["id"] and body["campaign_contact_id"].startswith("cc_")
    again = await raw.ok("POST", path, {"contactIds": [good["id"]]})
    assert (again["added"], again["skipped"]) == (0, 1)
    assert (await raw("POST", path, {})).status == 400
    assert (
        await raw("POST", path, {"contactIds": ["a"], "audience": {"mode": "all_eligible"}})
    ).status == 400
    assert (await raw("POST", path, {"contactIds": []})).status == 400


async def test_add_contacts_audience(raw: Raw) -> None:
    """audience mode enrols the company's eligible contacts, honouring maxToAdd and the company check."""
    camp, company, _ = await raw.campaign()
    for i in range(4):
        await raw.contact(company["id"], first=f"A{i}")
    await raw.contact(company["id"], first="Dnc", doNotCall=True)
    path = f"/crm/campaigns/{camp['id']}/contacts"
    wrong = await raw(
        "POST", path, {"audience": {"mode": "all_eligible", "companyId": "comp_other"}}
    )
    assert wrong.status == 400
    body = await raw.ok(
        "POST",
        path,
        {"audience": {"mode": "all_eligible", "companyId": company["id"], "maxToAdd": 3}},
    )
    assert (body["added"], body["skipped"]) == (3, 0)
    rest = await raw.ok("POST", path, {"audience": {"mode": "all_eligible"}})
    assert (rest["added"], rest["skipped"]) == (1, 4)


async def test_add_contacts_refused_while_running(raw: Raw) -> None:
    """Enrolment while running needs no_auto_complete; completed campaigns refuse (409)."""
    camp, _ = await enrolled_campaign(raw, 2)
    path = f"/crm/campaigns/{camp['id']}"
    await raw.ok("PATCH", path, {"status": "running"})
    company_id = raw.fake.campaigns[camp["id"]]["company_id"]
    extra = await raw.contact(company_id, first="Late")
    assert (await raw("POST", path + "/contacts", {"contactIds": [extra["id"]]})).status == 409
    await raw.ok("PATCH", path, {"status": "paused"})
    await raw.ok("PATCH", path, {"noAutoComplete": True})
    await raw.ok("PATCH", path, {"status": "running"})
    assert (await raw.ok("POST", path + "/contacts", {"contactIds": [extra["id"]]}))["added"] == 1


async def test_list_contacts_with_status_counts(raw: Raw) -> None:
    """Rows nest contact and company, order by priority, page with count, and add statusCounts."""
    camp, company, _ = await raw.campaign()
    low = await raw.contact(company["id"], first="Low")
    high = await raw.contact(company["id"], first="High")
    path = f"/crm/campaigns/{camp['id']}/contacts"
    await raw.ok("POST", path, {"contactIds": [low["id"]], "priority": 1})
    await raw.ok("POST", path, {"contactIds": [high["id"]], "priority": 9})
    body = await raw.ok("GET", path, params={"limit": "1"})
    assert body["count"] == 2 and body["contacts"][0]["contact"]["first_name"] == "High"
    assert body["contacts"][0]["company"]["name"] == "Acme"
    assert body["statusCounts"]["pending"] == 2
    assert (await raw.ok("GET", path, params={"status": "completed"}))["count"] == 0


async def test_run_places_calls_and_completes(raw: Raw) -> None:
    """POST /run dials pending contacts, records outcomes, and completes when the queue empties."""
    camp, contacts = await enrolled_campaign(raw, 4)
    before = raw.fake.credits
    result = await raw.ok("POST", f"/crm/campaigns/{camp['id']}/run", {"action": "start"})
    assert (result["started"], result["failed"], result["dryRun"]) == (4, 0, False)
    assert {c["contact_id"] for c in result["calls"]} == {c["id"] for c in contacts}
    state = raw.fake.campaigns[camp["id"]]
    assert state["status"] == "completed"
    assert len(raw.fake.calls) == 4 and raw.fake.credits < before
    got = (await raw.ok("GET", f"/crm/campaigns/{camp['id']}"))["campaign"]
    assert got["contacts_called"] == 4 and got["contacts_completed"] == 4
    assert got["contacts_answered"] == sum(1 for c in raw.fake.calls if c["outcome"] == "answered")
    assert (
        await raw("POST", f"/crm/campaigns/{camp['id']}/run", {"action": "start"})
    ).status == 409


async def test_run_max_calls_dry_run_and_action_required(raw: Raw) -> None:
    """maxCalls leaves the rest pending and the campaign running; dryRun dials nothing; action is required."""
    camp, _ = await enrolled_campaign(raw, 3)
    path = f"/crm/campaigns/{camp['id']}/run"
    dry = await raw.ok("POST", path, {"action": "start", "dryRun": True})
    assert dry["dryRun"] is True and len(dry["picks"]) == 3 and raw.fake.calls == []
    assert (await raw("POST", path, {})).body["error"] == "action is required"
    assert (await raw("POST", path, {"action": "pause"})).status == 400
    part = await raw.ok("POST", path, {"action": "start", "maxCalls": 1})
    assert part["started"] == 1 and raw.fake.campaigns[camp["id"]]["status"] == "running"
    await raw.ok("PATCH", f"/crm/campaigns/{camp['id']}", {"status": "paused"})
    resumed = await raw.ok("POST", path, {"action": "start"})
    assert resumed["started"] == 2 and raw.fake.campaigns[camp["id"]]["status"] == "completed"


async def test_run_without_credit_is_402() -> None:
    """Starting without credit answers 402 with balance and required."""
    async with FakeTalkturo(credits=0.5) as fake, aiohttp.ClientSession() as s:
        raw = Raw(fake, s)
        camp, _ = await enrolled_campaign(raw, 1)
        answer = await raw("POST", f"/crm/campaigns/{camp['id']}/run", {"action": "start"})
        assert (
            answer.status == 402 and answer.body["balance"] == 0.5 and answer.body["required"] == 1
        )
        assert (
            await raw("PATCH", f"/crm/campaigns/{camp['id']}", {"status": "running"})
        ).status == 402
        assert fake.campaigns[camp["id"]]["status"] == "draft"


async def test_outcomes_deterministic_by_seed() -> None:
    """The same seed gives the same call outcomes."""

    async def outcomes(seed: int) -> list[str]:
        async with FakeTalkturo(seed=seed) as fake, aiohttp.ClientSession() as s:
            raw = Raw(fake, s)
            camp, _ = await enrolled_campaign(raw, 12)
            await raw.ok("POST", f"/crm/campaigns/{camp['id']}/run", {"action": "start"})
            return [c["outcome"] for c in fake.calls]

    assert await outcomes(5) == await outcomes(5)
    assert await outcomes(5) != await outcomes(6)


async def test_dashboard_shape(raw: Raw) -> None:
    """The dashboard has campaign, counts (byStatus/byOutcome/answered/total), queue and recentCalls."""
    camp, _ = await enrolled_campaign(raw, 3)
    await raw.ok("POST", f"/crm/campaigns/{camp['id']}/run", {"action": "start", "maxCalls": 2})
    body = await raw.ok("GET", f"/crm/campaigns/{camp['id']}/dashboard", params={"limitCalls": "1"})
    assert body["campaign"]["id"] == camp["id"]
    assert (
        body["counts"]["byStatus"]["completed"] == 2 and body["counts"]["byStatus"]["pending"] == 1
    )
    assert body["counts"]["total"] == 3 and sum(body["counts"]["byOutcome"].values()) == 2
    assert len(body["queue"]["pending"]) == 1 and len(body["recentCalls"]) == 1
    assert (
        await raw("GET", f"/crm/campaigns/{camp['id']}/dashboard", params={"limitCalls": "500"})
    ).status == 400
