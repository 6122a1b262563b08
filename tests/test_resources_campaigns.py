"""tk.campaigns against FakeTalkturo over loopback."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from talkturo_async import (
    AddContactsResult,
    BadRequestError,
    Campaign,
    CampaignContact,
    CampaignDashboard,
    ConflictError,
    InsufficientCreditsError,
    RunResult,
    Talkturo,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import as_dict


async def setup(tk: Talkturo, fake: FakeTalkturo, n: int = 3) -> tuple[Any, Any, list[Any]]:
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id is not None
    bot = await tk.assistants.create(
        account_slug=fake.account_slug, name="Setter", template_id="outbound-setter"
    )
    contacts = [
        await tk.contacts.create(
            team_id=fake.team_id,
            company_id=company.id,
            first_name=f"C{i}",
            last_name="X",
            phone=f"+1415555{i:04d}",
        )
        for i in range(n)
    ]
    return company, bot, contacts


async def test_create_get_update_delete(fake: FakeTalkturo, tk: Talkturo) -> None:
    """create sends camelCase wire names; get has nested data; update/delete follow the rules."""
    company, bot, _ = await setup(tk, fake, 0)
    start = datetime(2030, 1, 1, 9, tzinfo=timezone.utc)
    camp = await tk.campaigns.create(
        team_id=fake.team_id,
        assistant_id=bot.id,
        company_id=company.id,
        name="Q1",
        description="trade show",
        scheduled_start_at=start,
        call_window_start="10:00",
        max_concurrent_calls=3,
        settings={"voicemail": "hangup"},
    )
    assert camp.id is not None
    assert isinstance(camp, Campaign) and camp.status == "scheduled"
    sent = as_dict(fake.requests[-1].body)
    assert (
        sent["scheduledStartAt"] == "2030-01-01T09:00:00+00:00"
        and sent["callWindowStart"] == "10:00"
    )
    assert sent["maxConcurrentCalls"] == 3 and "fromNumberIds" not in sent
    got = await tk.campaigns.get(camp.id)
    assert got.assistant == {"id": bot.id, "name": "Setter"} and got.contact_count == 0
    assert got.call_window_start == "10:00" and got.max_concurrent_calls == 3
    renamed = await tk.campaigns.update(camp.id, name="Q1 v2", scheduled_start_at=None)
    assert renamed.name == "Q1 v2" and renamed.status == "draft"
    assert fake.requests[-1].body == {"name": "Q1 v2", "scheduledStartAt": None}
    await tk.campaigns.delete(camp.id)
    assert fake.campaigns[camp.id]["deleted_at"]


async def test_required_arguments(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Missing required campaign arguments raise ValueError without sending."""
    with pytest.raises(ValueError, match="name is required"):
        await tk.campaigns.create(team_id="t", assistant_id="a", company_id="c", name="")
    with pytest.raises(ValueError, match="team_id is required"):
        tk.campaigns.list(team_id="")
    with pytest.raises(ValueError, match="exactly one of contact_ids or audience"):
        await tk.campaigns.add_contacts("camp_1")
    with pytest.raises(ValueError, match="list of ids"):
        await tk.campaigns.add_contacts("camp_1", contact_ids="ct_1")
    with pytest.raises(ValueError, match="contact_ids is required"):
        await tk.campaigns.add_contacts("camp_1", contact_ids=[])
    assert fake.requests == []


async def test_list_with_filters(fake: FakeTalkturo, tk: Talkturo) -> None:
    """campaigns.list streams and filters by status/assistant/deleted."""
    company, bot, _ = await setup(tk, fake, 0)
    a = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="A"
    )
    b = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="B"
    )
    assert b.id is not None
    await tk.campaigns.delete(b.id)
    assert [c.name async for c in tk.campaigns.list(team_id=fake.team_id)] == ["A"]
    assert [c.name async for c in tk.campaigns.list(team_id=fake.team_id, deleted="include")] == [
        "A",
        "B",
    ]
    assert [
        c.id
        async for c in tk.campaigns.list(team_id=fake.team_id, status="draft", assistant_id=bot.id)
    ] == [a.id]
    assert fake.requests[-1].query == {
        "teamId": fake.team_id,
        "status": "draft",
        "assistantId": bot.id,
        "limit": "50",
        "offset": "0",
    }


async def test_add_contacts_list_contacts_start_dashboard(fake: FakeTalkturo, tk: Talkturo) -> None:
    """The whole run: enrol, list enrolled, dry run, start, pause/resume, dashboard."""
    company, bot, contacts = await setup(tk, fake, 3)
    camp = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Q1"
    )
    assert camp.id is not None
    added = await tk.campaigns.add_contacts(
        camp.id, contact_ids=[c.id for c in contacts], priority=2
    )
    assert isinstance(added, AddContactsResult) and (added.added, added.skipped, added.invalid) == (
        3,
        0,
        0,
    )
    assert fake.requests[-1].body == {"contactIds": [c.id for c in contacts], "priority": 2}

    pager = tk.campaigns.list_contacts(camp.id, limit=2)
    pages = [p async for p in pager.pages()]
    assert pages[0].status_counts == {
        "pending": 3,
        "queued": 0,
        "calling": 0,
        "completed": 0,
        "skipped": 0,
        "failed": 0,
    }
    rows = [r for p in pages for r in p.items]
    assert all(isinstance(r, CampaignContact) and r.contact is not None for r in rows)
    assert {r.contact.id for r in rows if r.contact} == {c.id for c in contacts}

    dry = await tk.campaigns.start(camp.id, dry_run=True)
    assert dry.dry_run is True and len(dry.picks or []) == 3 and fake.calls == []
    first = await tk.campaigns.start(camp.id, max_calls=1)
    assert isinstance(first, RunResult) and first.started == 1 and first.calls
    assert fake.requests[-1].body == {"action": "start", "maxCalls": 1}
    paused = await tk.campaigns.pause(camp.id)
    assert paused.status == "paused"
    rest = await tk.campaigns.start(camp.id)
    assert rest.started == 2 and fake.campaigns[camp.id]["status"] == "completed"
    assert fake.requests[-1].body == {"action": "start"}

    board = await tk.campaigns.dashboard(camp.id, limit_calls=2)
    assert isinstance(board, CampaignDashboard)
    assert board.campaign is not None and board.campaign.status == "completed"
    assert (
        board.counts is not None and board.counts.total == 3 and board.counts.by_status is not None
    )
    assert (
        board.counts.by_status["completed"] == 3
        and board.recent_calls is not None
        and len(board.recent_calls) == 2
    )
    assert fake.requests[-1].query == {"limitCalls": "2"}
    final = await tk.campaigns.get(camp.id)
    assert final.contacts_called == 3 and final.contacts_answered == board.counts.answered


async def test_add_contacts_by_audience(fake: FakeTalkturo, tk: Talkturo) -> None:
    """The audience mode is sent as given and counts come back."""
    company, bot, _ = await setup(tk, fake, 4)
    assert company.id is not None
    camp = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Q1"
    )
    assert camp.id is not None
    result = await tk.campaigns.add_contacts(
        camp.id, audience={"mode": "all_eligible", "company_id": company.id, "max_to_add": 2}
    )
    assert result.added == 2


async def test_state_errors_map_to_exceptions(fake: FakeTalkturo, tk: Talkturo) -> None:
    """409 on running edits and pausing a draft, 400 on deleting a running campaign, 402 without credit."""
    company, bot, contacts = await setup(tk, fake, 2)
    camp = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Q1"
    )
    assert camp.id is not None
    with pytest.raises(ConflictError):
        await tk.campaigns.pause(camp.id)
    await tk.campaigns.add_contacts(camp.id, contact_ids=[c.id for c in contacts])
    await tk.campaigns.start(camp.id, max_calls=1)
    with pytest.raises(ConflictError, match="only status"):
        await tk.campaigns.update(camp.id, name="x")
    with pytest.raises(BadRequestError):
        await tk.campaigns.delete(camp.id)
    await tk.campaigns.pause(camp.id)
    fake.credits = 0
    with pytest.raises(InsufficientCreditsError) as info:
        await tk.campaigns.start(camp.id)
    assert as_dict(info.value.body)["balance"] == 0
