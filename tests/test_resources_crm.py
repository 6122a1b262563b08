"""tk.companies and tk.contacts against FakeTalkturo over loopback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from talkturo_async import BadRequestError, Company, Contact, ImportResult, NotFoundError, Talkturo
from talkturo_async.testing import FakeTalkturo
from tests.conftest import as_dict


async def test_company_crud(fake: FakeTalkturo, tk: Talkturo) -> None:
    """create → get → update → list_contacts → delete, with the fake's state following."""
    company = await tk.companies.create(
        team_id=fake.team_id,
        name="Northstar",
        company_size="51-200",
        address_line1="1 Main",
        custom_fields={"tier": "a"},
    )
    assert isinstance(company, Company) and company.id in fake.companies
    assert (company.company_size, company.address_line1, company.custom_fields) == (
        "51-200",
        "1 Main",
        {"tier": "a"},
    )
    assert isinstance(company.created_at, datetime) and company.created_at.tzinfo is not None
    assert as_dict(fake.requests[-1].body)["companySize"] == "51-200"

    contact = await tk.contacts.create(
        team_id=fake.team_id, company_id=company.id, first_name="Maya", last_name="Chen"
    )
    assert contact.id is not None
    got = await tk.companies.get(company.id)
    assert got.contact_count == 1 and got.contacts is not None and got.contacts[0].id == contact.id
    assert got.opportunities == []

    updated = await tk.companies.update(company.id, city="Chicago", custom_fields={"b": 2})
    assert updated.city == "Chicago" and updated.custom_fields == {"tier": "a", "b": 2}
    assert fake.requests[-1].body == {"city": "Chicago", "customFields": {"b": 2}}

    listed = await tk.companies.list_contacts(company.id).to_list()
    assert [c.id for c in listed] == [contact.id]

    with pytest.raises(BadRequestError, match="contacts"):
        await tk.companies.delete(company.id)
    await tk.contacts.delete(contact.id)
    await tk.companies.delete(company.id)
    assert company.id not in fake.companies
    with pytest.raises(NotFoundError):
        await tk.companies.get(company.id)


async def test_company_list(fake: FakeTalkturo, tk: Talkturo) -> None:
    """list by team or account slug, with search and industry; exactly one scope is required."""
    await tk.companies.create(team_id=fake.team_id, name="Acme", industry="SaaS")
    await tk.companies.create(team_id=fake.team_id, name="Globex", industry="Finance")
    assert [c.name async for c in tk.companies.list(team_id=fake.team_id)] == ["Acme", "Globex"]
    assert [
        c.name async for c in tk.companies.list(account_slug=fake.account_slug, industry="Finance")
    ] == ["Globex"]
    assert [c.name async for c in tk.companies.list(team_id=fake.team_id, search="acm")] == ["Acme"]
    with pytest.raises(ValueError, match="exactly one"):
        tk.companies.list()
    with pytest.raises(ValueError, match="exactly one"):
        tk.companies.list(team_id="t", account_slug="s")


async def test_contact_crud_and_filters(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Contacts: create with every kind of field, filters on list, get, update (null clears), delete."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id is not None
    maya = await tk.contacts.create(
        team_id=fake.team_id,
        company_id=company.id,
        first_name="Maya",
        last_name="Chen",
        phone="+14155550187",
        email="maya@acme.io",
        tags=["vip"],
        custom_fields={"plan": "pro"},
        do_not_call=False,
        notes="met at expo",
    )
    assert maya.id is not None
    await tk.contacts.create(
        team_id=fake.team_id,
        company_id=company.id,
        first_name="Omar",
        last_name="Ali",
        do_not_call=True,
    )
    assert (
        isinstance(maya, Contact)
        and maya.tags == ["vip"]
        and maya.company == {"id": company.id, "name": "Acme"}
    )

    assert [
        c.first_name async for c in tk.contacts.list(team_id=fake.team_id, do_not_call=True)
    ] == ["Omar"]
    assert [c.first_name async for c in tk.contacts.list(team_id=fake.team_id, has_phone=True)] == [
        "Maya"
    ]
    assert [
        c.first_name async for c in tk.contacts.list(team_id=fake.team_id, search="ACME.IO")
    ] == ["Maya"]
    assert fake.requests[-1].query["search"] == "ACME.IO"

    got = await tk.contacts.get(maya.id)
    assert got.activities == [] and got.campaign_history == []

    updated = await tk.contacts.update(maya.id, lead_status="qualified", notes=None)
    assert updated.lead_status == "qualified" and updated.notes is None
    assert fake.requests[-1].body == {"leadStatus": "qualified", "notes": None}
    assert fake.contacts[maya.id]["notes"] is None

    with pytest.raises(ValueError, match="at least one field"):
        await tk.contacts.update(maya.id)
    await tk.contacts.delete(maya.id)
    assert maya.id not in fake.contacts


async def test_contact_create_with_campaign_enrollment(fake: FakeTalkturo, tk: Talkturo) -> None:
    """campaign_id enrols the new contact; campaign_enrollment is attached to the model."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id is not None
    bot = await tk.assistants.create(account_slug=fake.account_slug, name="Setter")
    assert bot.id is not None
    camp = await tk.campaigns.create(
        team_id=fake.team_id, assistant_id=bot.id, company_id=company.id, name="Q1"
    )
    assert camp.id is not None
    contact = await tk.contacts.create(
        team_id=fake.team_id,
        company_id=company.id,
        first_name="A",
        last_name="B",
        campaign_id=camp.id,
        campaign_priority=3,
    )
    assert (
        contact.campaign_enrollment is not None
        and contact.campaign_enrollment["status"] == "pending"
    )
    assert fake.campaign_contacts[camp.id][0]["priority"] == 3


@pytest.mark.parametrize("missing", ["team_id", "company_id", "first_name", "last_name"])
async def test_contact_required_arguments_checked_before_sending(
    fake: FakeTalkturo, tk: Talkturo, missing: str
) -> None:
    """A missing required argument is a ValueError naming it, and nothing is sent."""
    args: dict[str, Any] = {
        "team_id": fake.team_id,
        "company_id": "comp_1",
        "first_name": "A",
        "last_name": "B",
        missing: "",
    }
    with pytest.raises(ValueError, match=f"{missing} is required"):
        await tk.contacts.create(**args)
    assert fake.requests == []


async def test_import_contacts(fake: FakeTalkturo, tk: Talkturo) -> None:
    """import_contacts sends camelCase rows and returns imported/failed/errors from the server."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    rows: list[dict[str, Any]] = [
        {"first_name": "A", "last_name": "One", "company_id": company.id, "phone": "+14155550100"},
        {"firstName": "B", "lastName": "Two", "companyId": "comp_missing"},
        {
            "first_name": "C",
            "last_name": "Three",
            "company_id": company.id,
            "custom_fields": {"k": "v"},
        },
    ]
    result = await tk.contacts.import_contacts(rows, team_id=fake.team_id)
    assert isinstance(result, ImportResult)
    assert (result.imported, result.failed) == (2, 1)
    assert result.errors is not None and result.errors[0]["row"] == 1
    assert as_dict(fake.requests[-1].body)["contacts"][2] == {
        "firstName": "C",
        "lastName": "Three",
        "companyId": company.id,
        "customFields": {"k": "v"},
    }
    assert len(fake.contacts) == 2


async def test_import_contacts_reports_bad_rows_and_keeps_good(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """A row without a last name is reported by index and not sent; the good rows are imported."""
    result = await tk.contacts.import_contacts(
        [{"first_name": "A", "last_name": "B"}, {"first_name": "C"}, "junk"]  # type: ignore[list-item]  # a bad row on purpose
    )
    assert (result.imported, result.failed) == (1, 2)
    assert result.errors == [
        {"row": 1, "error": "last_name is required"},
        {"row": 2, "error": "expected a mapping of contact fields, got str"},
    ]
    assert [len(as_dict(r.body)["contacts"]) for r in fake.requests] == [1]
    with pytest.raises(ValueError, match="contacts is required"):
        await tk.contacts.import_contacts([])


async def test_ids_are_escaped_in_paths(fake: FakeTalkturo, tk: Talkturo) -> None:
    """An id with a slash cannot reach another route: it is one escaped path segment."""
    with pytest.raises(NotFoundError):
        await tk.contacts.get("../crm/companies")
    assert fake.requests[-1].path.startswith("/crm/contacts/")
    with pytest.raises(ValueError, match="contact_id is required"):
        await tk.contacts.get("")
