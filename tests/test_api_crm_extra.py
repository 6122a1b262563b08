"""tk.opportunities, tk.custom_fields, tk.calls, tk.intelligence and the campaign run actions,
against FakeTalkturo with every answer checked against openapi.yaml (``spec_fake``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any, cast

import pytest

from talkturo_async import (
    Assistant,
    BadRequestError,
    CallLog,
    ConflictError,
    CrmIntelligence,
    CustomField,
    NotFoundError,
    Opportunity,
    PermissionDeniedError,
    Request,
    Response,
    RetryPolicy,
    RunResult,
    Talkturo,
)
from talkturo_async.models import CampaignUpdate
from talkturo_async.testing import FakeTalkturo
from tests.conftest import MockClient, as_dict, ok


@pytest.fixture
async def tk(spec_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client bound to the spec-checked fake, retrying without sleeping."""
    async with Talkturo(
        api_key=spec_fake.api_key,
        base_url=spec_fake.base_url,
        retry_policy=RetryPolicy(wait=False),
    ) as client:
        yield client


def crm(fake: FakeTalkturo, n: int = 0) -> tuple[str, str, list[str]]:
    """Seed a company, an outbound assistant and ``n`` contacts without HTTP (so the spec check
    sees only the calls under test); their ids."""
    state = fake.state
    company = state.create_company({"teamId": fake.team_id, "name": "Acme"})["company"]
    bot = state.create_assistant(
        {"accountSlug": fake.account_slug, "name": "Setter", "templateId": "outbound-setter"}
    )["assistant"]
    contacts = [
        state.create_contact(
            {
                "teamId": fake.team_id,
                "companyId": company["id"],
                "firstName": f"C{i}",
                "lastName": "X",
                "phone": f"+1415555{i:04d}",
            }
        )["contact"]["id"]
        for i in range(n)
    ]
    return company["id"], bot["id"], contacts


def campaign(fake: FakeTalkturo, n: int = 0, **fields: Any) -> str:
    """Seed a campaign with ``n`` enrolled contacts; its id."""
    company, bot, contacts = crm(fake, n)
    body = {"teamId": fake.team_id, "assistantId": bot, "companyId": company, "name": "Q1"}
    camp = fake.state.create_campaign({**body, **fields})["campaign"]["id"]
    if contacts:
        fake.state.add_campaign_contacts(camp, {"contactIds": contacts})
    return str(camp)


# --- opportunities ---------------------------------------------------------------------------


async def test_opportunity_round_trip(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """create sends snake_case fields (extras too), get/update read them back, delete removes it."""
    company, _, (contact,) = crm(spec_fake, 1)
    opp = await tk.opportunities.create(
        "Renewal",
        value=1200.5,
        stage="proposal",
        contact_id=contact,
        company_id=company,
        expected_close_date=date(2030, 3, 31),
        extra_fields={"source": "trade show"},
    )
    assert spec_fake.requests[-1].body == {
        "source": "trade show",
        "title": "Renewal",
        "value": 1200.5,
        "stage": "proposal",
        "contact_id": contact,
        "company_id": company,
        "expected_close_date": "2030-03-31",
    }
    assert isinstance(opp, Opportunity) and opp.id
    assert (opp.value, opp.expected_close_date, opp.extra["source"]) == (
        1200.5,
        "2030-03-31",
        "trade show",
    )
    assert (await tk.opportunities.get(opp.id)).title == "Renewal"
    won = await tk.opportunities.update(opp.id, stage="won", value=1500)
    assert spec_fake.requests[-1].body == {"stage": "won", "value": 1500}
    assert (won.stage, won.value, won.title) == ("won", 1500, "Renewal")
    await tk.opportunities.delete(opp.id)
    with pytest.raises(NotFoundError):
        await tk.opportunities.get(opp.id)


async def test_opportunity_list_pages_by_page_number(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """list sends page/limit (never offset), walks every page, and filters by search and ids."""
    company, _, (alice, bob) = crm(spec_fake, 2)
    for i in range(5):
        await tk.opportunities.create(f"Deal {i}", contact_id=alice, company_id=company)
    await tk.opportunities.create("Other", contact_id=bob)

    titles = [o.title async for o in tk.opportunities.list(limit=2, concurrency=1)]
    assert sorted(titles, key=str) == sorted([f"Deal {i}" for i in range(5)] + ["Other"])
    queries = [r.query for r in spec_fake.requests if r.path == "/crm/opportunities"]
    lists = [q for q in queries if "page" in q]
    assert [q["page"] for q in lists] == ["1", "2", "3"]
    assert all("offset" not in q and q["limit"] == "2" for q in lists)

    assert [o.title async for o in tk.opportunities.list(contact_id=bob)] == ["Other"]
    found = tk.opportunities.list(search="deal", company_id=company, limit=2, page=2)
    assert len(await found.to_list()) == 3  # page 2 onwards of 5 matches
    assert spec_fake.requests[-2].query["companyId"] == company
    assert spec_fake.requests[-2].query["search"] == "deal"


async def test_opportunity_list_follows_a_capped_page_size() -> None:
    """When the server caps the page size, page numbers follow the size it applied."""
    async with FakeTalkturo(seed=7, max_page_size=2) as fake:
        for i in range(5):
            fake.state.call("POST", "/crm/opportunities", body={"title": f"Deal {i}"})
        async with Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(wait=False)
        ) as tk:
            got = await tk.opportunities.list(limit=4, concurrency=1).to_list()
        assert sorted(o.title or "" for o in got) == [f"Deal {i}" for i in range(5)]
        sent = [(r.query["page"], r.query["limit"]) for r in fake.requests]
        assert sent == [("1", "4"), ("2", "2"), ("3", "2")]


async def test_opportunity_errors(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """Missing title and empty updates fail before sending; unknown links are 400, unknown ids 404."""
    with pytest.raises(ValueError, match="title is required"):
        await tk.opportunities.create("")
    with pytest.raises(ValueError, match="page must be at least 1"):
        tk.opportunities.list(page=0)
    with pytest.raises(BadRequestError, match="contact_id does not exist"):
        await tk.opportunities.create("Lost", contact_id="ct_missing")
    with pytest.raises(BadRequestError, match="title is required"):
        await tk.request("POST", "crm/opportunities", json={"value": 3})
    with pytest.raises(BadRequestError, match="value must be a number"):
        await tk.request("POST", "crm/opportunities", json={"title": "X", "value": "lots"})
    opp = await tk.opportunities.create("Kept")
    assert opp.id is not None
    with pytest.raises(ValueError, match="at least one field"):
        await tk.opportunities.update(opp.id)
    with pytest.raises(NotFoundError):
        await tk.opportunities.update("opp_missing", stage="won")
    with pytest.raises(NotFoundError):
        await tk.opportunities.delete("opp_missing")


# --- custom fields ---------------------------------------------------------------------------


async def test_custom_field_round_trip(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """A select field is created with options, listed, renamed, re-optioned and deleted."""
    assert await tk.custom_fields.list() == []
    tier = await tk.custom_fields.create("Tier", "select", "company", options=["gold", "silver"])
    assert spec_fake.requests[-1].body == {
        "name": "Tier",
        "type": "select",
        "entity_type": "company",
        "options": ["gold", "silver"],
    }
    assert isinstance(tier, CustomField) and tier.id and len(tier.id) == 36
    note = await tk.custom_fields.create("Note", "text", "contact")
    assert note.id is not None
    assert [f.name for f in await tk.custom_fields.list()] == ["Tier", "Note"]
    assert (await tk.custom_fields.get(note.id)).entity_type == "contact"
    renamed = await tk.custom_fields.update(tier.id, name="Level", options=["gold"])
    assert (renamed.name, renamed.options, renamed.type) == ("Level", ["gold"], "select")
    await tk.custom_fields.delete(note.id)
    with pytest.raises(NotFoundError):
        await tk.custom_fields.get(note.id)
    assert [f.id for f in await tk.custom_fields.list()] == [tier.id]


async def test_custom_field_errors(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """Bad enum values, select without options, options on other types and duplicates are 400."""
    with pytest.raises(ValueError, match="options is required"):
        await tk.custom_fields.create("Tier", "select", "company")
    bad_type = {"name": "X", "type": "colour", "entity_type": "contact"}
    with pytest.raises(BadRequestError, match="type must be one of"):
        await tk.request("POST", "crm/custom-fields", json=bad_type)
    bad_entity = {"name": "X", "type": "text", "entity_type": "deal"}
    with pytest.raises(BadRequestError, match="entity_type must be one of"):
        await tk.request("POST", "crm/custom-fields", json=bad_entity)
    with pytest.raises(BadRequestError, match="entity_type is required"):
        await tk.request("POST", "crm/custom-fields", json={"name": "X", "type": "text"})
    with pytest.raises(BadRequestError, match="options is required"):
        await tk.request(
            "POST",
            "crm/custom-fields",
            json={"name": "X", "type": "select", "entity_type": "contact"},
        )
    with pytest.raises(BadRequestError, match="select fields only"):
        await tk.custom_fields.create("Age", "number", "contact", options=["1"])
    await tk.custom_fields.create("Age", "number", "contact")
    with pytest.raises(BadRequestError, match="exists"):
        await tk.custom_fields.create("age", "text", "contact")
    assert (await tk.custom_fields.create("Age", "number", "company")).name == "Age"
    with pytest.raises(ValueError, match="name or options"):
        await tk.custom_fields.update("00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFoundError):
        await tk.custom_fields.update("00000000-0000-4000-8000-000000000000", name="Y")
    with pytest.raises(NotFoundError):
        await tk.custom_fields.delete("00000000-0000-4000-8000-000000000000")


# --- call log, insights, outbound assistants --------------------------------------------------


async def test_calls_and_intelligence_follow_runs(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """Before a run the log and insights are empty; after it they describe the calls placed."""
    camp = campaign(spec_fake, 3)
    assert await tk.calls.list() == []
    empty = await tk.intelligence.get()
    assert isinstance(empty, CrmIntelligence) and empty.insights == []

    await tk.campaigns.start(camp)
    calls = await tk.calls.list()
    assert len(calls) == 3 and all(isinstance(c, CallLog) for c in calls)
    assert {c.id for c in calls} == {c["id"] for c in spec_fake.calls}
    assert all(c.campaign_id == camp and c.to_number and c.outcome for c in calls)
    answered = sum(1 for c in calls if c.outcome == "answered")

    await tk.opportunities.create("Upsell", value=250)
    insights = (await tk.intelligence.get()).insights
    by_type = {i.type: i for i in insights}
    assert by_type["answer_rate"].campaign_id == camp
    assert by_type["answer_rate"].value == round(answered / 3, 3)
    assert by_type["pipeline_value"].value == 250


async def test_outbound_assistants(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """Only assistants that place outbound calls are listed."""
    slug = spec_fake.account_slug
    out = spec_fake.state.create_assistant(
        {"accountSlug": slug, "name": "Out", "templateId": "outbound-setter"}
    )["assistant"]
    spec_fake.state.create_assistant(
        {"accountSlug": slug, "name": "In", "templateId": "inbound-support"}
    )
    listed = await tk.campaigns.list_outbound_assistants()
    assert [a.id for a in listed] == [out["id"]] and isinstance(listed[0], Assistant)


# --- the run action ----------------------------------------------------------------------------


async def test_stop_and_start_again(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """stop sends action stop and leaves the campaign stopped; start sends action start again."""
    camp = campaign(spec_fake, 3)
    await tk.campaigns.start(camp, max_calls=1)
    assert spec_fake.requests[-1].body == {"action": "start", "maxCalls": 1}
    stopped = await tk.campaigns.stop(camp)
    assert spec_fake.requests[-1].body == {"action": "stop"}
    assert isinstance(stopped, RunResult) and stopped.status == "stopped"
    assert (await tk.campaigns.get(camp)).status == "stopped"
    again = await tk.campaigns.start(camp)
    assert again.started == 2 and again.status == "completed"


async def test_stop_rules(spec_fake: FakeTalkturo, tk: Talkturo) -> None:
    """A scheduled campaign stops; a draft or stopped one is 409; an unknown one is 404."""
    scheduled = campaign(spec_fake, scheduledStartAt="2030-01-01T09:00:00Z")
    assert (await tk.campaigns.stop(scheduled)).status == "stopped"
    with pytest.raises(ConflictError, match="cannot stop a stopped campaign"):
        await tk.campaigns.stop(scheduled)
    draft = campaign(spec_fake)
    with pytest.raises(ConflictError, match="cannot stop a draft campaign"):
        await tk.campaigns.stop(draft)
    with pytest.raises(NotFoundError):
        await tk.campaigns.stop("camp_missing")
    with pytest.raises(BadRequestError, match="action must be start or stop"):
        await tk.request("POST", f"crm/campaigns/{draft}/run", json={"action": "halt"})


# --- contract slips of the seed rules ---------------------------------------------------------

RETRY_SETTINGS: CampaignUpdate = {
    "voicemail_drop_message": "Call us back",
    "voicemail_detection_enabled": True,
    "voicemail_action": "leave_message",
    "unavailable_action": "retry",
    "retry_delay_minutes_no_answer": 30,
    "retry_delay_minutes_busy": 10,
    "retry_delay_minutes_error": 60,
    "retry_on_error": True,
    "use_contact_timezone_for_call_window": False,
    "retry_backoff_mode": "exponential",
    "retry_backoff_multiplier": 1.5,
    "retry_backoff_max_minutes": 240,
    "max_attempts_no_answer": 4,
    "max_attempts_busy": None,
    "max_attempts_error": 2,
}


async def test_update_takes_retry_and_voicemail_settings(fake: FakeTalkturo) -> None:
    """A body of only the 15 retry/voicemail keys is accepted and every value is stored."""
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(wait=False)
    ) as tk:
        camp = campaign(fake)
        updated = await tk.campaigns.update(camp, **RETRY_SETTINGS)
        assert len(as_dict(fake.requests[-1].body)) == 15
        assert {k: updated.extra[k] for k in RETRY_SETTINGS} == RETRY_SETTINGS


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        # values outside a Literal are refused by the SDK before sending (issue #10)
        ("voicemail_action", "shout", ValueError),
        ("unavailable_action", "ignore", ValueError),
        ("retry_backoff_mode", "random", ValueError),
        ("retry_delay_minutes_busy", 0, BadRequestError),
        ("retry_delay_minutes_error", 10081, BadRequestError),
        ("retry_backoff_multiplier", 1, BadRequestError),
        ("max_attempts_no_answer", 51, BadRequestError),
        ("max_attempts_error", "3", BadRequestError),
    ],
)
async def test_update_refuses_bad_retry_settings(
    fake: FakeTalkturo, field: str, value: Any, error: type[Exception]
) -> None:
    """A retry/voicemail value outside its choices (SDK) or range (server, 400) is refused."""
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(wait=False)
    ) as tk:
        camp = campaign(fake)
        with pytest.raises(error):
            await tk.campaigns.update(camp, **{field: value})


async def test_pausing_a_paused_campaign_is_409(fake: FakeTalkturo) -> None:
    """pause on a campaign that is already paused answers 409."""
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(wait=False)
    ) as tk:
        camp = campaign(fake, 2)
        await tk.campaigns.start(camp, max_calls=1)
        assert (await tk.campaigns.pause(camp)).status == "paused"
        with pytest.raises(ConflictError, match="already paused"):
            await tk.campaigns.pause(camp)


async def test_assistant_update_checks_voice_options(fake: FakeTalkturo) -> None:
    """voice_options is accepted and stored; an invalid one is 400 invalid_voice_options with issues."""
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(wait=False)
    ) as tk:
        bot = await tk.assistants.create(account_slug=fake.account_slug, name="Bot")
        assert bot.id is not None
        updated = await tk.assistants.update(bot.id, voice_options={"speed": 1.2})
        assert updated.extra["voice_options"] == {"speed": 1.2}
        with pytest.raises(BadRequestError, match="invalid_voice_options") as caught:
            await tk.assistants.update(bot.id, voice_options={"speed": 9})
        assert as_dict(caught.value.body)["issues"][0]["path"] == "voice_options.speed"
        with pytest.raises(BadRequestError, match="invalid_voice_options"):
            await tk.assistants.update(
                bot.id, voice_provider="nobody", voice_options={"speed": 1.0}
            )
        # a camelCase name is accepted and sent under its snake_case name (issue #10)
        # the hints name no camelCase field: call through an untyped view
        update = cast("Callable[..., Awaitable[Assistant]]", tk.assistants.update)
        camel = await update(bot.id, firstMessage="camel")
        assert fake.requests[-1].body == {"first_message": "camel"}
        assert camel.first_message == "camel"


# --- answer variants (MockTransport) -----------------------------------------------------------


async def test_opportunity_pages_without_limit_echo(mock_client: MockClient) -> None:
    """Against the spec's bare answer (total and page, no limit), page numbers step by the limit."""
    rows = [{"id": f"opp_{i}", "title": f"D{i}"} for i in range(5)]

    def handler(request: Request) -> Response:
        page, limit = int(request.url.query["page"]), int(request.url.query["limit"])
        chunk = rows[(page - 1) * limit : page * limit]
        return ok({"success": True, "opportunities": chunk, "total": len(rows), "page": page})

    tk, transport = mock_client(handler)
    async with tk:
        got = await tk.opportunities.list(limit=2).to_list()
    assert [o.id for o in got] == [r["id"] for r in rows]
    pages = sorted(r.url.query["page"] for r in transport.requests)
    assert pages == ["1", "2", "3"]
    assert all("offset" not in r.url.query for r in transport.requests)


async def test_unpaged_lists_read_data_and_bare_arrays(mock_client: MockClient) -> None:
    """custom_fields.list, calls.list and list_outbound_assistants read `data` or a bare array."""
    answers: dict[str, Any] = {
        "/api/crm/custom-fields": {"data": [{"id": "f1", "name": "Tier", "type": "select"}]},
        "/api/crm/calls": [{"id": "call_1", "outcome": "busy", "durationSeconds": 4}],
        "/api/crm/outbound-assistants": {"assistants": [{"id": "a1", "voice": "alloy"}]},
    }
    tk, _ = mock_client(lambda request: ok(answers[request.url.path]))
    async with tk:
        (field,) = await tk.custom_fields.list()
        (logged,) = await tk.calls.list()
        (bot,) = await tk.campaigns.list_outbound_assistants()
    assert (field.name, logged.outcome, logged.duration_seconds, bot.voice) == (
        "Tier",
        "busy",
        4,
        "alloy",
    )


async def test_intelligence_keeps_unknown_keys(mock_client: MockClient) -> None:
    """Insight fields the SDK does not know, and keys beside `insights`, stay in `extra`."""
    body = {
        "success": True,
        "insights": [{"id": "i1", "type": "churn_risk", "score": 0.8}],
        "generatedAt": "2030-01-01T00:00:00Z",
    }
    tk, _ = mock_client(lambda request: ok(body))
    async with tk:
        got = await tk.intelligence.get()
    assert got.insights[0].type == "churn_risk" and got.insights[0].extra == {"score": 0.8}
    assert got.extra["generatedAt"] == "2030-01-01T00:00:00Z"


async def test_new_groups_have_their_own_scopes(spec_fake: FakeTalkturo) -> None:
    """A key scoped to opportunities can read them but not custom fields (403)."""
    key = spec_fake.add_api_key(scopes=("opportunities:read",))
    async with Talkturo(
        api_key=key, base_url=spec_fake.base_url, retry_policy=RetryPolicy(wait=False)
    ) as tk:
        assert await tk.opportunities.list().to_list() == []
        with pytest.raises(PermissionDeniedError, match="custom_fields:read"):
            await tk.custom_fields.list()
        with pytest.raises(PermissionDeniedError, match="opportunities:write"):
            await tk.opportunities.create("Nope")
