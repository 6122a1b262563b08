"""Per-call ``options`` and ``tk.with_raw_response``, over loopback HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web

from talkturo_async import (
    APITimeoutError,
    ClientStateError,
    NotFoundError,
    ResponseValidationError,
    Talkturo,
)
from talkturo_async.testing import FakeTalkturo
from talkturo_async.testing._dialect import DIALECTS
from tests.conftest import NO_WAIT, Serve

KEY = "tk_test_options_0123456789"


class Hostile:
    """A small aiohttp server answering whatever the test scripts, recording what it got."""

    def __init__(self) -> None:
        self.seen: list[web.Request] = []
        self.headers: list[dict[str, str]] = []
        self.answer: Any = {"success": True, "campaign": {"id": "c1", "name": "x"}}
        self.status = 200
        self.delay = 0.0
        self.reply_headers: dict[str, str] = {"X-Request-Id": "req_123"}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request)
        self.headers.append(dict(request.headers))
        if self.delay:
            await asyncio.sleep(self.delay)
        if isinstance(self.answer, bytes):
            return web.Response(body=self.answer, status=self.status, headers=self.reply_headers)
        return web.json_response(self.answer, status=self.status, headers=self.reply_headers)


@pytest.fixture
async def hostile(serve: Serve) -> tuple[Hostile, str]:
    server = Hostile()
    return server, await serve(server.handle)


async def test_raw_response_gives_status_headers_request_id_and_the_model(
    hostile: tuple[Hostile, str],
) -> None:
    _, url = hostile
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        raw = await tk.with_raw_response(tk.campaigns.get("c1"))
    assert raw.parsed.id == "c1" and raw.parsed.name == "x"
    assert raw.status_code == 200 and raw.request_id == "req_123"
    assert raw.headers["content-type"].startswith("application/json")
    assert (raw.method, raw.url) == ("GET", f"{url}/crm/campaigns/c1")
    assert raw.http_requests == 1


async def test_raw_response_of_a_list_counts_every_page() -> None:
    async with FakeTalkturo(seed=7, dialect=DIALECTS["repo"]) as fake:
        tk = Talkturo(fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT)
        async with tk:
            team = fake.team_id
            for name in ("a", "b", "c"):
                await tk.companies.create(team, name)
            raw = await tk.with_raw_response(tk.companies.list(team_id=team, limit=1).to_list())
    assert raw.request_id and raw.status_code == 200
    assert len(raw.parsed) == 3 and raw.http_requests >= 3


async def test_raw_response_refuses_a_task_it_cannot_see(hostile: tuple[Hostile, str]) -> None:
    _, url = hostile
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        task = asyncio.ensure_future(tk.campaigns.get("c1"))
        await asyncio.sleep(0)
        with pytest.raises(ClientStateError, match="coroutine itself"):
            await tk.with_raw_response(task)


async def test_an_error_carries_the_request_id(hostile: tuple[Hostile, str]) -> None:
    server, url = hostile
    server.status, server.answer = 404, {"success": False, "error": "no such campaign"}
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(NotFoundError) as info:
            await tk.with_raw_response(tk.campaigns.get("c1"))
    assert info.value.request_id == "req_123"


async def test_per_call_options_reach_the_wire(hostile: tuple[Hostile, str]) -> None:
    server, url = hostile
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        await tk.request(
            "POST",
            "crm/companies",
            json={"name": "x"},
            options={"extra_headers": {"X-Trace": "t-1"}, "idempotency_key": "imp-7"},
        )
        await tk.request("POST", "crm/companies", json={"name": "y"})
    first, second = server.headers
    assert first["X-Trace"] == "t-1" and first["Idempotency-Key"] == "imp-7"
    assert "X-Trace" not in second and second["Idempotency-Key"] != "imp-7"


async def test_per_call_timeout_and_max_retries(hostile: tuple[Hostile, str]) -> None:
    server, url = hostile
    server.delay = 0.5
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT, timeout=30) as tk:
        with pytest.raises(APITimeoutError):
            await tk.request("GET", "credits", options={"timeout": 0.05, "max_retries": 0})
    assert len(server.seen) == 1  # max_retries=0: one attempt only


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"timout": 5}, TypeError, "did you mean 'timeout'"),
        ({"extra_header": {}}, TypeError, "did you mean 'extra_headers'"),
        ({"timeout": "5"}, TypeError, "options['timeout']"),
        ({"timeout": -1}, ValueError, "options['timeout']"),
        ({"max_retries": "3"}, TypeError, "options['max_retries']"),
        ({"max_retries": True}, TypeError, "options['max_retries']"),
        ({"idempotency_key": ""}, TypeError, "idempotency_key"),
        ({"extra_headers": {"X-A": "1\r\nX-B: 2"}}, ValueError, "line break"),
        ({"idempotency_key": "k\r\nX-Evil: 1"}, ValueError, "line break"),
        ({"timeout": float("nan")}, ValueError, "options['timeout']"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, ValueError, "Authorization"),
    ],
)
async def test_bad_options_are_refused_before_sending(
    hostile: tuple[Hostile, str], options: dict[str, Any], error: type[Exception], words: str
) -> None:
    server, url = hostile
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(error) as info:
            await tk.request("GET", "credits", options=options)  # type: ignore[arg-type]
    assert words in str(info.value)
    assert server.seen == []


@pytest.mark.parametrize(
    "answer",
    [
        {"success": True, "campaign": []},
        {"success": True, "campaign": "c1"},
        [1, 2, 3],
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["list-for-object", "string-for-object", "array-body", "deep-nesting"],
)
async def test_a_malformed_answer_is_a_response_validation_error(
    hostile: tuple[Hostile, str], answer: Any
) -> None:
    server, url = hostile
    server.answer = answer
    async with Talkturo(KEY, base_url=url, retry_policy=NO_WAIT) as tk:
        with pytest.raises(ResponseValidationError) as info:
            await tk.campaigns.get("c1")
    exc = info.value
    assert (exc.status_code, exc.method, exc.url) == (200, "GET", f"{url}/crm/campaigns/c1")
    assert exc.request_id == "req_123"
    assert isinstance(exc.body, str) and len(exc.body) <= 500
    assert len(str(exc)) < 1000
