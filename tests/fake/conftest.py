"""Raw-aiohttp access to FakeTalkturo, independent of the SDK client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import attrs
import pytest

from talkturo_async.testing import FakeTalkturo


@attrs.frozen
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


class Raw:
    """Sends requests to the fake with a plain aiohttp session."""

    def __init__(self, fake: FakeTalkturo, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.session = session

    async def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> Answer:
        hdrs = {"Authorization": f"Bearer {key or self.fake.api_key}", **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        async with self.session.request(
            method, self.fake.base_url + path, params=params, data=data, headers=hdrs
        ) as resp:
            raw = await resp.read()
            try:
                parsed: Any = json.loads(raw)
            except ValueError:
                parsed = raw.decode()
            return Answer(resp.status, parsed, dict(resp.headers))

    async def ok(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        answer = await self(method, path, body, **kw)
        assert answer.status == 200, answer
        assert answer.body["success"] is True
        return answer.body

    # Small builders used across contract tests.
    async def company(self, name: str = "Acme", **fields: Any) -> dict[str, Any]:
        answer = await self.ok(
            "POST", "/crm/companies", {"teamId": self.fake.team_id, "name": name, **fields}
        )
        company: dict[str, Any] = answer["company"]
        return company

    async def contact(self, company_id: str, first: str = "Maya", **fields: Any) -> dict[str, Any]:
        body = {
            "teamId": self.fake.team_id,
            "companyId": company_id,
            "firstName": first,
            "lastName": "Chen",
            "phone": "+14155550187",
            **fields,
        }
        contact: dict[str, Any] = (await self.ok("POST", "/crm/contacts", body))["contact"]
        return contact

    async def assistant(self, name: str = "Setter") -> dict[str, Any]:
        answer = await self.ok(
            "POST", "/assistants", {"accountSlug": self.fake.account_slug, "name": name}
        )
        assistant: dict[str, Any] = answer["assistant"]
        return assistant

    async def number(self) -> dict[str, Any]:
        found = await self.ok(
            "POST", "/phone-numbers/search", {"filters": {"countryCode": "US", "limit": 1}}
        )
        body = {"phoneNumber": found["numbers"][0]["phoneNumber"], "teamId": self.fake.team_id}
        number: dict[str, Any] = (await self.ok("POST", "/phone-numbers/purchase", body))[
            "phoneNumber"
        ]
        return number

    async def campaign(
        self, **fields: Any
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        company = await self.company()
        bot = await self.assistant()
        body = {
            "teamId": self.fake.team_id,
            "assistantId": bot["id"],
            "companyId": company["id"],
            "name": "Q1",
            **fields,
        }
        return (await self.ok("POST", "/crm/campaigns", body))["campaign"], company, bot


@pytest.fixture
async def raw(fake: FakeTalkturo) -> AsyncIterator[Raw]:
    """A Raw sender bound to the fake."""
    async with aiohttp.ClientSession() as session:
        yield Raw(fake, session)
