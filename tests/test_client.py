"""Client lifecycle and the real aiohttp transport over loopback."""

from __future__ import annotations

import asyncio
import gc
import socket
import warnings

import aiohttp
import pytest

from talkturo_async import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ClientStateError,
    RetryPolicy,
    Talkturo,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import NO_WAIT


def test_constructing_outside_a_loop_is_fine() -> None:
    """No session is created at construction: a client can be built at import time."""
    tk = Talkturo("tk_test_x", base_url="http://127.0.0.1:9/api")
    assert not tk.is_closed


async def test_headers_sent(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Bearer auth, Accept, a User-Agent naming SDK/Python/aiohttp; Content-Type only with a body."""
    await tk.auth.test()
    await tk.companies.create(team_id=fake.team_id, name="Acme")
    get, post = fake.requests
    assert get.headers["Accept"] == "application/json"
    ua = get.headers["User-Agent"]
    assert ua.startswith("talkturo-async/")
    assert " Python/" in ua
    assert " aiohttp/" in ua
    assert "Content-Type" not in get.headers
    assert post.headers["Content-Type"] == "application/json"
    assert "Idempotency-Key" in post.headers


async def test_aclose_is_idempotent_and_final(fake: FakeTalkturo) -> None:
    """aclose twice is fine; using a closed client is a clear error."""
    tk = Talkturo(api_key=fake.api_key, base_url=fake.base_url)
    await tk.auth.test()
    await tk.aclose()
    await tk.aclose()
    with pytest.raises(ClientStateError, match="closed"):
        await tk.auth.test()


async def test_passed_session_is_used_and_left_open(fake: FakeTalkturo) -> None:
    """A caller's aiohttp session carries the requests and is not closed by the client."""
    async with aiohttp.ClientSession() as session:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, session=session) as tk:
            await tk.auth.test()
        assert not session.closed
        async with session.get(fake.base_url + "/test-api-key") as resp:
            assert resp.status == 401  # the session still works (and never got our key)


async def test_unclosed_client_warns(fake: FakeTalkturo) -> None:
    """A client dropped with an open session warns ResourceWarning instead of scheduling work."""
    tk = Talkturo(api_key=fake.api_key, base_url=fake.base_url)
    await tk.auth.test()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del tk
        gc.collect()
    ours = [
        w
        for w in caught
        if issubclass(w.category, ResourceWarning) and "unclosed Talkturo" in str(w.message)
    ]
    assert len(ours) == 1
    assert "tk_test" not in str(ours[0].message)  # aiohttp's own unclosed-session warnings come too


async def test_unused_client_does_not_warn(fake: FakeTalkturo) -> None:
    """A client that never sent anything holds nothing and does not warn."""
    tk = Talkturo(api_key=fake.api_key, base_url=fake.base_url)
    del tk
    gc.collect()


def test_other_event_loop_is_a_clear_error() -> None:
    """A client used from a second event loop raises ClientStateError, not 'Event loop is closed'."""
    holder: dict[str, object] = {}

    async def first() -> None:
        fake = FakeTalkturo()
        await fake.start()
        tk = Talkturo(api_key=fake.api_key, base_url=fake.base_url)
        await tk.auth.test()
        holder.update(tk=tk, fake=fake)
        await fake.stop()

    async def second() -> None:
        tk = holder["tk"]
        assert isinstance(tk, Talkturo)
        with pytest.raises(ClientStateError, match="another event loop"):
            await tk.auth.test()

    asyncio.run(first())
    asyncio.run(second())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the first loop's session is unrecoverable by design
        holder.clear()
        gc.collect()


async def test_with_options_shares_pool_and_view_close_is_noop(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """A with_options view works, and closing it leaves the original open."""
    view = tk.with_options(timeout=5, max_retries=0)
    assert view.retry_policy.max_retries == 0
    assert view.timeout == 5
    await view.auth.test()
    await view.aclose()
    assert not tk.is_closed
    await tk.auth.test()


async def test_timeout_raises_api_timeout_error() -> None:
    """An answer slower than the timeout raises APITimeoutError after the retries."""
    async with (
        FakeTalkturo(latency=0.5) as fake,
        Talkturo(
            api_key=fake.api_key, base_url=fake.base_url, timeout=0.05, retry_policy=NO_WAIT
        ) as tk,
    ):
        with pytest.raises(APITimeoutError):
            await tk.auth.test()


async def test_connection_refused_raises_connection_error() -> None:
    """Nothing listening: APIConnectionError (retried, then raised), no aiohttp exception leaks."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with Talkturo(
        "tk_test_x", base_url=f"http://127.0.0.1:{port}/api", retry_policy=NO_WAIT
    ) as tk:
        with pytest.raises(APIConnectionError) as info:
            await tk.auth.test()
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, aiohttp.ClientError)


async def test_reset_mid_body_is_connection_error_then_retried(fake: FakeTalkturo) -> None:
    """A body cut mid-way is an APIConnectionError; the retry (same Idempotency-Key) creates once."""
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, max_retries=0) as tk:
        fake.fail_next(reset_mid_body=True, method="POST")
        with pytest.raises(APIConnectionError):
            await tk.companies.create(team_id=fake.team_id, name="Cut")
    async with Talkturo(api_key=fake.api_key, base_url=fake.base_url, retry_policy=NO_WAIT) as tk:
        fake.fail_next(reset_mid_body=True, method="POST")
        company = await tk.companies.create(team_id=fake.team_id, name="Whole")
    assert [c["name"] for c in fake.companies.values()] == ["Cut", "Whole"]
    assert company.name == "Whole"


async def test_reset_before_answer_retried(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A connection dropped before any answer is retried."""
    fake.fail_next(reset=True, method="POST")
    await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert len(fake.companies) == 1
    assert [r.status for r in fake.requests] == [0, 200]


async def test_retry_after_over_http(fake: FakeTalkturo) -> None:
    """A 429 with Retry-After is waited out and retried over real HTTP."""
    fake.fail_next(status=429, retry_after=0.05)
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(initial_backoff=3)
    ) as tk:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await tk.auth.test()
        assert loop.time() - start < 2
    assert [r.status for r in fake.requests] == [429, 200]


async def test_html_502_over_http_then_success(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A proxy's HTML 502 is retried like any 5xx."""
    fake.fail_next(status=502, html=True)
    assert (await tk.auth.test()).success


async def test_wrong_key_error_never_contains_key(fake: FakeTalkturo) -> None:
    """AuthenticationError's text and repr carry no part of the key."""
    secret = "tk_live_wrong_key_abcdef123456"
    async with Talkturo(api_key=secret, base_url=fake.base_url) as tk:
        with pytest.raises(AuthenticationError) as info:
            await tk.auth.test()
    assert info.value.status_code == 401
    assert info.value.message == "Unauthorized"
    for text in (
        str(info.value),
        repr(info.value),
        str(info.value.body),
        str(dict(info.value.headers)),
    ):
        assert "abcdef123456" not in text


async def test_request_escape_hatch(fake: FakeTalkturo, tk: Talkturo) -> None:
    """tk.request() sends any path with auth, retries and error mapping, and returns the JSON."""
    from talkturo_async import NotFoundError

    fake.fail_next(status=503, method="POST", path="/crm/companies")
    created = await tk.request(
        "post", "crm/companies", json={"teamId": fake.team_id, "name": "Raw"}
    )
    assert created["company"]["name"] == "Raw" and [r.status for r in fake.requests] == [503, 200]
    listed = await tk.request("GET", "/crm/companies", params={"teamId": fake.team_id, "limit": 1})
    assert listed["count"] == 1 and fake.requests[-1].query["limit"] == "1"
    with pytest.raises(NotFoundError):
        await tk.request("GET", "crm/companies/comp_missing")


async def test_with_options_policy_and_deadline(fake: FakeTalkturo, tk: Talkturo) -> None:
    """with_options replaces the retry policy and sets a deadline for the view's calls only."""
    view = tk.with_options(retry_policy=RetryPolicy(max_retries=5, wait=False), deadline=30)
    assert (view.retry_policy.max_retries, view.deadline, tk.deadline) == (5, 30, None)
    fake.fail_next(4, status=502)
    await view.auth.test()
    with pytest.raises(ValueError, match="deadline"):
        tk.with_options(deadline=-1)
