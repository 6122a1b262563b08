"""The code our users write (USAGE.md §1, §2, §3, §5, §7) runs as written against the fake."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from talkturo_async import Talkturo
from talkturo_async.testing import FakeTalkturo
from tests.usage import SHARED, VENDORED, run_snippet, snippet


def test_vendored_usage_matches_shared() -> None:
    """The copy in tests/data is the shared USAGE.md (when shared/ is beside the repo)."""
    if not SHARED.exists():
        pytest.skip("shared/USAGE.md is not beside this checkout; the vendored copy is used")
    assert VENDORED.read_text() == SHARED.read_text()


async def test_section_1_fastapi_shared_client(
    fake: FakeTalkturo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§1: a FastAPI app with one client from the environment answers found and not-found."""
    monkeypatch.setenv("TALKTURO_API_KEY", fake.api_key)
    monkeypatch.setenv("TALKTURO_BASE_URL", fake.base_url)
    scope = await run_snippet(snippet(1), {})
    app = scope["app"]
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
        company = await tk.companies.create(team_id=fake.team_id, name="Acme")
        assert company.id is not None
        bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
        assert bot.id is not None
        camp = await tk.campaigns.create(
            team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Q1"
        )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
            found = (await http.get(f"/campaigns/{camp.id}")).json()
            missing = (await http.get("/campaigns/camp_missing")).json()
        assert not app.state.tk.is_closed
    assert app.state.tk.is_closed  # the lifespan closed the shared client
    assert found == {"name": "Q1", "status": "draft", "answered": 0}
    assert missing == {"error": "no such campaign"}


async def test_section_2_script(fake: FakeTalkturo) -> None:
    """§2: the whole script runs: company, contact, number, assistant, campaign, start."""
    scope = await run_snippet(
        snippet(2),
        {"TEAM": fake.team_id},
        {
            '"tk_live_..."': repr(fake.api_key),
            '"https://acme.talkturo.ai/api"': repr(fake.base_url),
        },
    )
    result = scope["result"]
    assert result.started == 1
    assert len(fake.companies) == len(fake.contacts) == len(fake.campaigns) == 1
    (number,) = fake.phone_numbers.values()
    (bot,) = fake.assistants.values()
    assert (
        number["assistant_id"] == bot["id"]
        and bot["first_message"] == "Hi, this is Alex from Acme."
    )
    assert fake.campaigns[scope["camp"].id]["status"] == "completed"


async def test_section_3_streaming(
    fake: FakeTalkturo, tk: Talkturo, capsys: pytest.CaptureFixture[str]
) -> None:
    """§3: items, pages and a capped to_list over real data."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id is not None
    fake.add_contacts(
        {
            "company_id": company.id,
            "first_name": f"F{i}",
            "last_name": "L",
            "phone": f"+1415{i:07d}",
        }
        for i in range(620)
    )
    bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
    assert bot.id is not None
    running = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Live"
    )
    assert running.id is not None
    await tk.campaigns.add_contacts(running.id, contact_ids=[next(iter(fake.contacts))])
    await tk.campaigns.start(running.id, no_auto_complete=True)
    await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Draft"
    )
    scope: dict[str, Any] = await run_snippet(snippet(3), {"tk": tk, "TEAM": fake.team_id})
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Live ")
    page_lines = out[1:]
    assert [line.split()[0] for line in page_lines] == [str(o) for o in range(0, 620, 100)]
    assert all(line.split()[1] == "620" for line in page_lines)
    assert len(scope["first_500"]) == 500


async def test_section_5_errors(
    fake: FakeTalkturo, tk: Talkturo, capsys: pytest.CaptureFixture[str]
) -> None:
    """§5: every exception name imports, and a 402 lands in the InsufficientCreditsError branch."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id is not None
    bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
    assert bot.id is not None
    camp = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Q1"
    )
    fake.credits = 0
    await run_snippet(snippet(5), {"tk": tk, "camp": camp})
    assert capsys.readouterr().out.strip() == "top up: Insufficient credits"


async def test_section_7_testing_with_the_fake() -> None:
    """§7: a user's test with FakeTalkturo runs as written."""

    async def my_import_job(tk: Talkturo, team_id: str) -> None:
        company = await tk.companies.create(team_id=team_id, name="Acme")
        rows = [
            {"first_name": f"F{i}", "last_name": "L", "company_id": company.id} for i in range(1000)
        ]
        await tk.contacts.import_contacts(rows, team_id=team_id)

    scope = await run_snippet(snippet(7), {"my_import_job": my_import_job})
    await scope["test_my_import_job"]()


async def test_section_4_bulk_import(
    fake: FakeTalkturo, tk: Talkturo, capsys: pytest.CaptureFixture[str]
) -> None:
    """§4: bulk_create over the user's rows; the one bad row is reported and the rest are created."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")

    def read_my_csv() -> list[tuple[str, str, str]]:
        rows = [(f"First{i}", f"Last{i}", f"+1415555{i:04d}") for i in range(200)]
        rows[42] = ("NoLastName", "", "+14155550042")
        return rows

    await run_snippet(
        snippet(4),
        {"tk": tk, "TEAM": fake.team_id, "COMPANY": company.id, "read_my_csv": read_my_csv},
    )
    assert capsys.readouterr().out.strip() == "199 created, 1 failed"
    assert len(fake.contacts) == 199
