"""FakeTalkturo's HTTP rules and knobs, checked with raw aiohttp (no SDK client)."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from talkturo_async.testing import FakeTalkturo
from tests.fake.conftest import Raw


async def test_base_url_and_identity(fake: FakeTalkturo) -> None:
    """The fake binds 127.0.0.1 on a free port and exposes a tk_test_ key and its ids."""
    assert fake.base_url.startswith("http://127.0.0.1:") and fake.base_url.endswith("/api")
    assert fake.api_key.startswith("tk_test_")
    assert fake.team_id and fake.account_id and fake.account_slug


async def test_missing_and_wrong_bearer_is_401_exact_body(raw: Raw) -> None:
    """No or wrong bearer: 401 with exactly {"error": "Unauthorized"}."""
    async with raw.session.get(raw.fake.base_url + "/test-api-key") as resp:
        assert resp.status == 401 and await resp.json() == {"error": "Unauthorized"}
    answer = await raw("GET", "/test-api-key", key="tk_test_nope")
    assert (answer.status, answer.body) == (401, {"error": "Unauthorized"})


async def test_test_api_key_shape(raw: Raw) -> None:
    """GET /test-api-key answers success and message."""
    assert await raw.ok("GET", "/test-api-key") == {
        "success": True,
        "message": "Authentication succeeded",
    }


async def test_scoped_keys_get_403(raw: Raw) -> None:
    """A key without the route's scope gets 403; prefix wildcards and exact scopes work."""
    key = raw.fake.add_api_key(scopes=("contacts:*", "campaigns:read"))
    assert (
        await raw("GET", "/crm/contacts", params={"teamId": raw.fake.team_id}, key=key)
    ).status == 200
    assert (
        await raw("GET", "/crm/campaigns", params={"teamId": raw.fake.team_id}, key=key)
    ).status == 200
    denied = await raw("POST", "/crm/campaigns", {"teamId": raw.fake.team_id}, key=key)
    assert denied.status == 403 and denied.body["success"] is False
    assert "campaigns:write" in denied.body["error"]


async def test_required_field_message_format(raw: Raw) -> None:
    """A missing required field: 400 {"success": false, "error": "<name> is required"}."""
    answer = await raw("POST", "/crm/companies", {"teamId": raw.fake.team_id})
    assert (answer.status, answer.body) == (400, {"success": False, "error": "name is required"})


async def test_malformed_json_is_400(raw: Raw) -> None:
    """A body that is not JSON is a 400 that says so."""
    answer = await raw(
        "POST", "/crm/companies", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert answer.status == 400 and "malformed JSON" in answer.body["error"]


async def test_non_object_json_is_400(raw: Raw) -> None:
    """A JSON array body is refused."""
    answer = await raw("POST", "/crm/companies", [1, 2])
    assert answer.status == 400 and "object" in answer.body["error"]


async def test_wrong_content_type_is_415(raw: Raw) -> None:
    """A body sent as text/plain is 415."""
    answer = await raw(
        "POST", "/crm/companies", data=b'{"a":1}', headers={"Content-Type": "text/plain"}
    )
    assert answer.status == 415


async def test_oversize_body_is_413() -> None:
    """A body over max_body_bytes is 413 with a JSON error."""
    async with FakeTalkturo(max_body_bytes=1000) as fake, aiohttp.ClientSession() as session:
        answer = await Raw(fake, session)(
            "POST", "/crm/companies", {"teamId": fake.team_id, "name": "x" * 5000}
        )
    assert answer.status == 413 and answer.body["success"] is False


async def test_unknown_route_404_and_wrong_method_405(raw: Raw) -> None:
    """Unknown paths are 404; known paths with another method are 405."""
    assert (await raw("GET", "/nope")).status == 404
    assert (await raw("DELETE", "/crm/contacts")).status == 405


async def test_request_log_without_authorization(raw: Raw) -> None:
    """The request log keeps method, path, query, body and headers, never Authorization."""
    await raw("GET", "/crm/contacts", params={"teamId": raw.fake.team_id, "limit": "5"})
    await raw.company("Logged")
    get, post = raw.fake.requests
    assert (get.method, get.path, get.query["limit"], get.status) == (
        "GET",
        "/crm/contacts",
        "5",
        200,
    )
    assert post.body == {"teamId": raw.fake.team_id, "name": "Logged"}
    assert all("authorization" not in {k.lower() for k in r.headers} for r in raw.fake.requests)


async def test_pagination_math(raw: Raw) -> None:
    """Default limit 50, count = total matches, offset slices, the maximum is clamped and echoed."""
    company = await raw.company()
    raw.fake.add_contacts(
        {"company_id": company["id"], "first_name": f"F{i}", "last_name": "L"} for i in range(120)
    )
    team = {"teamId": raw.fake.team_id}
    first = await raw.ok("GET", "/crm/contacts", params=team)
    assert (len(first["contacts"]), first["count"], first["limit"], first["offset"]) == (
        50,
        120,
        50,
        0,
    )
    last = await raw.ok("GET", "/crm/contacts", params={**team, "limit": "50", "offset": "100"})
    assert (len(last["contacts"]), last["offset"]) == (20, 100)
    assert last["contacts"][0]["first_name"] == "F100"  # stable creation order
    beyond = await raw.ok("GET", "/crm/contacts", params={**team, "offset": "500"})
    assert beyond["contacts"] == [] and beyond["count"] == 120
    assert (await raw("GET", "/crm/contacts", params={**team, "limit": "abc"})).status == 400
    async with FakeTalkturo(max_page_size=30) as small, aiohttp.ClientSession() as s:
        clamp = await Raw(small, s).ok(
            "GET", "/crm/contacts", params={"teamId": small.team_id, "limit": "1000"}
        )
        assert clamp["limit"] == 30


async def test_idempotency_replays_and_writes_once(raw: Raw) -> None:
    """A repeated Idempotency-Key replays the first answer and creates nothing new."""
    body = {"teamId": raw.fake.team_id, "name": "Once"}
    first = await raw("POST", "/crm/companies", body, headers={"Idempotency-Key": "k1"})
    again = await raw("POST", "/crm/companies", body, headers={"Idempotency-Key": "k1"})
    assert first.body == again.body and again.headers.get("Idempotent-Replayed") == "true"
    assert len(raw.fake.companies) == 1
    other = await raw(
        "POST", "/crm/companies", {**body, "name": "Other"}, headers={"Idempotency-Key": "k1"}
    )
    assert other.status == 422


async def test_idempotency_off_shows_duplicates() -> None:
    """With idempotency=False a repeated key writes twice (the risk the SDK documents)."""
    async with FakeTalkturo(idempotency=False) as fake, aiohttp.ClientSession() as session:
        raw = Raw(fake, session)
        for _ in range(2):
            await raw(
                "POST",
                "/crm/companies",
                {"teamId": fake.team_id, "name": "Dup"},
                headers={"Idempotency-Key": "k"},
            )
        assert len(fake.companies) == 2


async def test_latency_knob() -> None:
    """latency delays every answer."""
    async with FakeTalkturo(latency=0.1) as fake, aiohttp.ClientSession() as session:
        start = time.perf_counter()
        await Raw(fake, session).ok("GET", "/test-api-key")
        assert time.perf_counter() - start >= 0.09


async def test_error_rate_is_deterministic_by_seed() -> None:
    """The same seed and request sequence gives the same injected failures."""

    async def statuses(seed: int) -> list[int]:
        async with (
            FakeTalkturo(seed=seed, error_rate=0.4, html_error_rate=0.5) as fake,
            aiohttp.ClientSession() as s,
        ):
            raw = Raw(fake, s)
            return [(await raw("GET", "/test-api-key")).status for _ in range(30)]

    a, b, c = await statuses(3), await statuses(3), await statuses(4)
    assert a == b and a != c
    assert {500, 502, 503, 504} & set(a) and 200 in a


async def test_html_error_bodies() -> None:
    """html_error_rate=1 makes injected errors proxy-style HTML pages."""
    async with (
        FakeTalkturo(error_rate=1.0, html_error_rate=1.0, error_statuses=(502,)) as fake,
        aiohttp.ClientSession() as s,
    ):
        answer = await Raw(fake, s)("GET", "/test-api-key")
    assert (
        answer.status == 502
        and answer.body.startswith("<html>")
        and answer.headers["Content-Type"].startswith("text/html")
    )


async def test_reset_rate_drops_connections() -> None:
    """reset_rate=1 drops every connection before an answer."""
    async with FakeTalkturo(reset_rate=1.0) as fake, aiohttp.ClientSession() as s:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await Raw(fake, s)("POST", "/crm/companies", {"teamId": fake.team_id, "name": "x"})
        assert fake.companies == {}


async def test_after_commit_failure_applies_write() -> None:
    """after_commit_failure_rate=1: the write happens, the answer is 500."""
    async with FakeTalkturo(after_commit_failure_rate=1.0) as fake, aiohttp.ClientSession() as s:
        answer = await Raw(fake, s)(
            "POST", "/crm/companies", {"teamId": fake.team_id, "name": "Committed"}
        )
        assert answer.status == 500
        assert [c["name"] for c in fake.companies.values()] == ["Committed"]


async def test_after_commit_then_retry_with_same_key_replays(raw: Raw) -> None:
    """After an after-commit 500, a retry with the same Idempotency-Key gets the stored success."""
    raw.fake.fail_next(status=500, method="POST", after_commit=True)
    body = {"teamId": raw.fake.team_id, "name": "Once"}
    failed = await raw("POST", "/crm/companies", body, headers={"Idempotency-Key": "k"})
    retried = await raw("POST", "/crm/companies", body, headers={"Idempotency-Key": "k"})
    assert (failed.status, retried.status) == (500, 200)
    assert len(raw.fake.companies) == 1


async def test_slow_body_knob() -> None:
    """slow_body stalls mid-body; the whole answer still arrives."""
    async with FakeTalkturo(slow_body=0.1) as fake, aiohttp.ClientSession() as s:
        start = time.perf_counter()
        body = await Raw(fake, s).ok("GET", "/test-api-key")
        assert time.perf_counter() - start >= 0.09 and body["message"]


async def test_scripted_failures_match_method_and_path(raw: Raw) -> None:
    """fail_next(3, POST, /crm/contacts) fails exactly the next three such requests."""
    company = await raw.company()
    raw.fake.fail_next(3, status=503, method="POST", path="/crm/contacts")
    assert (await raw("GET", "/test-api-key")).status == 200  # not matched
    statuses: list[int] = []
    for i in range(4):
        body = {
            "teamId": raw.fake.team_id,
            "companyId": company["id"],
            "firstName": f"F{i}",
            "lastName": "L",
        }
        statuses.append((await raw("POST", "/crm/contacts", body)).status)
    assert statuses == [503, 503, 503, 200]
    assert len(raw.fake.contacts) == 1


async def test_scripted_path_glob_and_retry_after(raw: Raw) -> None:
    """Paths may use * and a Retry-After header can be scripted."""
    raw.fake.fail_next(status=429, path="/crm/campaigns/*/run", retry_after=2)
    camp, _, _ = await raw.campaign()
    answer = await raw("POST", f"/crm/campaigns/{camp['id']}/run", {"action": "start"})
    assert answer.status == 429 and answer.headers["Retry-After"] == "2"


async def test_rate_limit_per_key() -> None:
    """Past rate_limit_per_hour a key gets 429 with Retry-After; another key is unaffected."""
    async with FakeTalkturo(rate_limit_per_hour=3) as fake, aiohttp.ClientSession() as s:
        raw = Raw(fake, s)
        other = fake.add_api_key()
        statuses = [(await raw("GET", "/test-api-key")).status for _ in range(4)]
        limited = await raw("GET", "/test-api-key")
        assert statuses == [200, 200, 200, 429]
        assert limited.status == 429 and 3500 <= int(limited.headers["Retry-After"]) <= 3600
        assert (await raw("GET", "/test-api-key", key=other)).status == 200


async def test_rate_limit_window_refills() -> None:
    """After the window passes, requests are accepted again."""
    async with (
        FakeTalkturo(rate_limit_per_hour=1, rate_limit_window=0.2) as fake,
        aiohttp.ClientSession() as s,
    ):
        raw = Raw(fake, s)
        assert [(await raw("GET", "/test-api-key")).status for _ in range(2)] == [200, 429]
        await asyncio.sleep(0.25)
        assert (await raw("GET", "/test-api-key")).status == 200


async def test_put_accepted_like_patch(raw: Raw) -> None:
    """The fake accepts PUT on update paths too."""
    company = await raw.company()
    body = await raw.ok("PUT", f"/crm/companies/{company['id']}", {"city": "Chicago"})
    assert body["company"]["city"] == "Chicago"


async def test_add_contacts_seeds_and_validates(raw: Raw) -> None:
    """add_contacts seeds records visible through the API, and names the first bad row."""
    company = await raw.company()
    stored = raw.fake.add_contacts(
        [{"company_id": company["id"], "first_name": "A", "last_name": "B", "tags": ["x"]}]
    )
    listed = await raw.ok("GET", "/crm/contacts", params={"teamId": raw.fake.team_id})
    assert [c["id"] for c in listed["contacts"]] == [stored[0]["id"]] and listed["contacts"][0][
        "tags"
    ] == ["x"]
    with pytest.raises(ValueError, match="row 1: last_name is required"):
        raw.fake.add_contacts(
            [
                {"company_id": company["id"], "first_name": "C", "last_name": "D"},
                {"company_id": company["id"], "first_name": "E"},
            ]
        )
    with pytest.raises(ValueError, match="row 0: companyId does not exist"):
        raw.fake.add_contacts([{"company_id": "comp_missing", "first_name": "F", "last_name": "G"}])
