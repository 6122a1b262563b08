"""FakeTalkturo's companies and contacts, checked with raw aiohttp."""

from __future__ import annotations

from tests.fake.conftest import Raw


async def test_company_create_shape(raw: Raw) -> None:
    """POST /crm/companies answers the snake_case company with ids and timestamps."""
    company = await raw.company(
        "Acme", companySize="51-200", addressLine1="1 Main St", customFields={"tier": "gold"}
    )
    assert company["id"].startswith("comp_") and company["team_id"] == raw.fake.team_id
    assert (company["company_size"], company["address_line1"], company["custom_fields"]) == (
        "51-200",
        "1 Main St",
        {"tier": "gold"},
    )
    assert company["created_at"].endswith("Z") and company["contact_count"] == 0
    assert raw.fake.companies[company["id"]]["name"] == "Acme"


async def test_company_list_scope_search_industry(raw: Raw) -> None:
    """Exactly one of teamId/accountSlug; search matches name or website; industry is exact."""
    await raw.company("Acme", industry="SaaS", website="https://acme.io")
    await raw.company("Globex", industry="Finance")
    assert (await raw("GET", "/crm/companies")).status == 400
    both = {"teamId": raw.fake.team_id, "accountSlug": raw.fake.account_slug}
    assert (await raw("GET", "/crm/companies", params=both)).status == 400
    by_slug = await raw.ok("GET", "/crm/companies", params={"accountSlug": raw.fake.account_slug})
    assert by_slug["count"] == 2
    found = await raw.ok(
        "GET", "/crm/companies", params={"teamId": raw.fake.team_id, "search": "ACME.IO"}
    )
    assert [c["name"] for c in found["companies"]] == ["Acme"]
    fin = await raw.ok(
        "GET", "/crm/companies", params={"teamId": raw.fake.team_id, "industry": "Finance"}
    )
    assert [c["name"] for c in fin["companies"]] == ["Globex"]
    other = await raw("GET", "/crm/companies", params={"teamId": "team_other"})
    assert other.status == 403


async def test_company_get_update_delete(raw: Raw) -> None:
    """GET has siblings contacts/opportunities; PATCH merges customFields; DELETE refuses while contacts exist."""
    company = await raw.company(customFields={"a": 1})
    contact = await raw.contact(company["id"])
    got = await raw.ok("GET", f"/crm/companies/{company['id']}")
    assert (
        got["company"]["contact_count"] == 1
        and got["contacts"][0]["id"] == contact["id"]
        and got["opportunities"] == []
    )
    updated = await raw.ok(
        "PATCH", f"/crm/companies/{company['id']}", {"city": "Chicago", "customFields": {"b": 2}}
    )
    assert updated["company"]["city"] == "Chicago" and updated["company"]["custom_fields"] == {
        "a": 1,
        "b": 2,
    }
    assert (await raw("PATCH", f"/crm/companies/{company['id']}", {"bogus": 1})).status == 400
    blocked = await raw("DELETE", f"/crm/companies/{company['id']}")
    assert blocked.status == 400 and "contacts" in blocked.body["error"]
    await raw.ok("DELETE", f"/crm/contacts/{contact['id']}")
    assert (await raw.ok("DELETE", f"/crm/companies/{company['id']}"))[
        "message"
    ] == "Company deleted"
    assert (await raw("GET", f"/crm/companies/{company['id']}")).status == 404


async def test_company_contacts_list(raw: Raw) -> None:
    """GET /crm/companies/{id}/contacts pages that company's contacts."""
    a, b = await raw.company("A"), await raw.company("B")
    for i in range(3):
        await raw.contact(a["id"], first=f"A{i}")
    await raw.contact(b["id"])
    page = await raw.ok("GET", f"/crm/companies/{a['id']}/contacts", params={"limit": "2"})
    assert (page["count"], len(page["contacts"]), page["limit"]) == (3, 2, 2)


async def test_contact_create_rules(raw: Raw) -> None:
    """Required fields, an existing company, defaults, and the campaign_enrollment sibling."""
    company = await raw.company()
    missing = await raw(
        "POST",
        "/crm/contacts",
        {"teamId": raw.fake.team_id, "companyId": company["id"], "firstName": "A"},
    )
    assert missing.body == {"success": False, "error": "lastName is required"}
    bad = await raw(
        "POST",
        "/crm/contacts",
        {"teamId": raw.fake.team_id, "companyId": "comp_nope", "firstName": "A", "lastName": "B"},
    )
    assert bad.status == 400 and "companyId" in bad.body["error"]
    contact = await raw.contact(company["id"], tags=["vip"], customFields={"x": 1})
    assert contact["id"].startswith("ct_")
    assert (contact["lead_status"], contact["do_not_call"], contact["tags"]) == (
        "new",
        False,
        ["vip"],
    )
    assert contact["company"] == {"id": company["id"], "name": "Acme"}
    camp, _, _ = await raw.campaign()
    enrolled = await raw.ok(
        "POST",
        "/crm/contacts",
        {
            "teamId": raw.fake.team_id,
            "companyId": company["id"],
            "firstName": "E",
            "lastName": "F",
            "campaignId": camp["id"],
        },
    )
    assert enrolled["campaign_enrollment"]["status"] == "pending"


async def test_contact_list_filters(raw: Raw) -> None:
    """teamId required; companyId, search, leadStatus, doNotCall, hasPhone filter."""
    a, b = await raw.company("A"), await raw.company("B")
    await raw.contact(a["id"], first="Maya", email="maya@x.io")
    await raw.contact(a["id"], first="Omar", phone=None, leadStatus="qualified")
    await raw.contact(b["id"], first="Lin", doNotCall=True)
    assert (await raw("GET", "/crm/contacts")).body == {
        "success": False,
        "error": "teamId is required",
    }

    async def names(**q: str) -> list[str]:
        body = await raw.ok("GET", "/crm/contacts", params={"teamId": raw.fake.team_id, **q})
        return [c["first_name"] for c in body["contacts"]]

    assert await names(companyId=a["id"]) == ["Maya", "Omar"]
    assert await names(search="MAYA@X") == ["Maya"]
    assert await names(leadStatus="qualified") == ["Omar"]
    assert await names(doNotCall="true") == ["Lin"]
    assert await names(hasPhone="false") == ["Omar"]
    assert (
        await raw("GET", "/crm/contacts", params={"teamId": raw.fake.team_id, "hasPhone": "yes"})
    ).status == 400


async def test_contact_get_update_delete(raw: Raw) -> None:
    """GET adds activities/opportunities/campaign_history; PATCH rules; DELETE while enrolled is 400."""
    company = await raw.company()
    contact = await raw.contact(company["id"])
    got = (await raw.ok("GET", f"/crm/contacts/{contact['id']}"))["contact"]
    assert (
        got["activities"] == []
        and got["campaign_history"] == []
        and got["company"]["name"] == "Acme"
    )
    updated = await raw.ok(
        "PATCH", f"/crm/contacts/{contact['id']}", {"leadStatus": "qualified", "notes": None}
    )
    assert updated["contact"]["lead_status"] == "qualified"
    assert (await raw("PATCH", f"/crm/contacts/{contact['id']}", {"companyId": ""})).status == 400
    assert (await raw("PATCH", f"/crm/contacts/{contact['id']}", {})).status == 400
    camp, _, _ = await raw.campaign()
    await raw.ok("POST", f"/crm/campaigns/{camp['id']}/contacts", {"contactIds": [contact["id"]]})
    blocked = await raw("DELETE", f"/crm/contacts/{contact['id']}")
    assert blocked.status == 400 and "active campaigns" in blocked.body["error"]
    assert (await raw("GET", "/crm/contacts/ct_missing")).status == 404


async def test_contact_import_per_row_errors(raw: Raw) -> None:
    """Import creates good rows and reports each bad row by index."""
    company = await raw.company()
    rows = [
        {"firstName": "A", "lastName": "One", "companyId": company["id"]},
        {"firstName": "B"},
        {"firstName": "C", "lastName": "Three", "companyId": "comp_missing"},
        "not-an-object",
        {"firstName": "D", "lastName": "Four", "companyId": company["id"], "phone": "+14155550100"},
    ]
    body = await raw.ok(
        "POST", "/crm/contacts/import", {"teamId": raw.fake.team_id, "contacts": rows}
    )
    assert (body["imported"], body["failed"]) == (2, 3)
    assert [e["row"] for e in body["errors"]] == [1, 2, 3]
    assert "lastName is required" in body["errors"][0]["error"]
    assert sorted(c["first_name"] for c in raw.fake.contacts.values()) == ["A", "D"]
    assert all(c["source"] == "import" for c in raw.fake.contacts.values())
    assert (await raw("POST", "/crm/contacts/import", {"contacts": []})).status == 400


async def test_import_row_limit() -> None:
    """More rows than max_import_rows is a 400."""
    import aiohttp

    from talkturo_async.testing import FakeTalkturo

    async with FakeTalkturo(max_import_rows=2) as fake, aiohttp.ClientSession() as s:
        rows = [{"firstName": "A", "lastName": "B"}] * 3
        answer = await Raw(fake, s)("POST", "/crm/contacts/import", {"contacts": rows})
    assert answer.status == 400 and "at most 2" in answer.body["error"]
