"""Shared fixtures: a running FakeTalkturo, a client bound to it, and MockTransport clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, cast

import pytest
from aiohttp import web

from talkturo_async import MockTransport, Response, RetryPolicy, Talkturo
from talkturo_async._transport import Handler
from talkturo_async.testing import FakeTalkturo

NO_WAIT = RetryPolicy(wait=False)
KEY = "tk_test_unit_0123456789"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTalkturo]:
    """A fresh fake server per test."""
    async with FakeTalkturo(seed=7) as server:
        yield server


@pytest.fixture
async def spec_fake() -> AsyncIterator[FakeTalkturo]:
    """A fresh fake server whose every JSON answer must conform to openapi.yaml (checked at the end).

    For the API groups that follow the spec exactly (beyond the seven seed groups, whose contract
    is REFERENCE §13 and whose answers the spec does not always describe).
    """
    from tests.spec import check_answers

    async with FakeTalkturo(seed=7) as server:
        yield server
    mismatches = check_answers(server)
    assert not mismatches, "answers that do not conform to openapi.yaml:\n" + "\n".join(mismatches)


@pytest.fixture
async def tk(fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client bound to ``fake`` that retries without sleeping."""
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT
    ) as client:
        yield client


class MockClient(Protocol):
    """``mock_client(handler, **client_kwargs)``: a client over a MockTransport, and the transport."""

    def __call__(self, handler: Handler, **kwargs: Any) -> tuple[Talkturo, MockTransport]: ...


@pytest.fixture
def mock_client() -> MockClient:
    """Build a client over a MockTransport: ``client, transport = mock_client(handler, **kw)``."""

    def make(handler: Handler, **kwargs: Any) -> tuple[Talkturo, MockTransport]:
        transport = MockTransport(handler)
        if "max_retries" in kwargs:  # max_retries with retry_policy is an error: fold it in
            kwargs["retry_policy"] = RetryPolicy(wait=False, max_retries=kwargs.pop("max_retries"))
        kwargs.setdefault("retry_policy", NO_WAIT)
        client = Talkturo(
            api_key=KEY, base_url="https://acme.example.com/api", transport=transport, **kwargs
        )
        return client, transport

    return make


def ok(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer."""
    return Response.from_json(status, data, headers)


WebHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Serve = Callable[[WebHandler], Awaitable[str]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start small (hostile) aiohttp servers on loopback; ``await serve(handler)`` gives the API
    base URL (``http://127.0.0.1:<port>/api``); every path goes to ``handler``."""
    runners: list[web.AppRunner] = []

    async def start(handler: WebHandler) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}/api"

    yield start
    for runner in runners:
        await runner.cleanup()


def as_dict(value: object) -> dict[str, Any]:
    """A JSON value that must be an object (``APIError.body``, a logged request's body), narrowed."""
    assert isinstance(value, dict), f"expected a JSON object, got {value!r}"
    return cast("dict[str, Any]", value)
