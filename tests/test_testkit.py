"""The testing kit in process: configurable fixtures, request-log assertions, scripted-failure
checks, and retries that never sleep under ``RetryPolicy(wait=False)``."""

from __future__ import annotations

import asyncio
import textwrap

import pytest

from talkturo_async import APIError, RetryPolicy, Talkturo
from talkturo_async.testing import FakeTalkturo
from talkturo_async.testing.pytest_plugin import FakeFactory

pytest_plugins = ("pytester",)


# -- fixtures and markers ------------------------------------------------------------------------


@pytest.mark.talkturo_fake(seed=11, credits=3.5, rate_limit_per_hour=1000)
async def test_marker_configures_the_fake(talkturo_fake: FakeTalkturo) -> None:
    """@pytest.mark.talkturo_fake passes its keyword arguments to FakeTalkturo."""
    assert talkturo_fake.seed == 11
    assert talkturo_fake.credits == 3.5
    assert talkturo_fake.rate_limit_per_hour == 1000


@pytest.mark.talkturo_fake(error_rate=0.5)
class TestMarkerOnAClass:
    """A class marker applies to its tests; the test's own marker wins key by key."""

    @pytest.mark.talkturo_fake(seed=4)
    async def test_closest_marker_wins_per_key(self, talkturo_fake: FakeTalkturo) -> None:
        """The class's error_rate and the test's seed both apply."""
        assert (talkturo_fake.error_rate, talkturo_fake.seed) == (0.5, 4)


async def test_client_fixture_retries_two_502s_without_sleeping(
    talkturo_fake: FakeTalkturo, talkturo_client: Talkturo
) -> None:
    """Two injected 502s are retried by the fixture's client, which is set not to wait."""
    talkturo_fake.fail_next(2, status=502, path="/crm/companies")
    company = await talkturo_client.companies.create(team_id=talkturo_fake.team_id, name="Acme")
    assert company.id is not None
    assert talkturo_client.retry_policy.wait is False
    assert [r.status for r in talkturo_fake.received("POST", "/crm/companies")] == [502, 502, 200]
    assert talkturo_fake.companies[company.id]["name"] == "Acme"


@pytest.mark.talkturo_client(max_retries=0)
async def test_client_marker_passes_options(
    talkturo_fake: FakeTalkturo, talkturo_client: Talkturo
) -> None:
    """@pytest.mark.talkturo_client options reach the client: max_retries=0 surfaces the 503."""
    talkturo_fake.fail_next(1, status=503)
    with pytest.raises(APIError) as info:
        await talkturo_client.auth.test()
    assert info.value.status_code == 503
    assert talkturo_client.retry_policy.wait is False


@pytest.mark.talkturo_client(wait=True)
async def test_client_marker_wait_restores_backoff(talkturo_client: Talkturo) -> None:
    """wait=True gives the client real backoff."""
    assert talkturo_client.retry_policy.wait is True


async def test_factory_starts_independent_fakes(talkturo_fake_factory: FakeFactory) -> None:
    """talkturo_fake_factory starts as many differently-configured fakes as a test needs."""
    make = talkturo_fake_factory
    first = await make(seed=1)
    second = await make(seed=2, account_slug="other")
    assert first.base_url != second.base_url
    assert first.api_key != second.api_key and second.account_slug == "other"


async def test_wait_false_skips_the_retry_after_pause(fake: FakeTalkturo) -> None:
    """A 429 with Retry-After: 30 is retried at once under RetryPolicy(wait=False): no pause."""
    fake.fail_next(1, status=429, retry_after=30)
    async with Talkturo(
        api_key=fake.api_key, base_url=fake.base_url, retry_policy=RetryPolicy(wait=False)
    ) as tk:
        await asyncio.wait_for(tk.auth.test(), 10)
        await asyncio.wait_for(tk.auth.test(), 10)  # later calls are not held either
    assert [r.status for r in fake.requests] == [429, 200, 200]


def test_markers_are_registered_and_teardown_checks_scripts(pytester: pytest.Pytester) -> None:
    """Under --strict-markers the markers are accepted; assert_scripts_used fails the test's
    teardown when a script was not used, and the ini option turns the check on everywhere."""
    pytester.makeini(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "talkturo_assert_scripts_used = false\n"
    )
    pytester.makepyfile(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.talkturo_fake(assert_scripts_used=True)
            async def test_unused(talkturo_fake):
                talkturo_fake.fail_next(1, status=502, path="/crm/contacts")

            @pytest.mark.talkturo_fake(assert_scripts_used=True)
            async def test_used(talkturo_fake, talkturo_client):
                talkturo_fake.fail_next(1, status=502)
                await talkturo_client.auth.test()

            async def test_unchecked(talkturo_fake):
                talkturo_fake.fail_next(1)
            """
        )
    )
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_unused*",
            "*scripted failures never used*",
            "*/crm/contacts -> 502 (1 left)*",
        ]
    )
    everywhere = pytester.runpytest(
        "--strict-markers", "-p", "no:cacheprovider", "-o", "talkturo_assert_scripts_used=true"
    )
    everywhere.assert_outcomes(passed=3, errors=2)
    everywhere.stdout.fnmatch_lines(["*ERROR at teardown of test_unchecked*"])


# -- the request log -----------------------------------------------------------------------------


async def test_received_filters_by_method_path_query_and_body(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """received() matches the method, a path glob, a query subset and a nested body subset."""
    company = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert company.id is not None
    await tk.companies.create(team_id=fake.team_id, name="Beta")
    await tk.companies.get(company.id)
    [c async for c in tk.companies.list(team_id=fake.team_id)]
    assert len(fake.received("POST", "/crm/companies")) == 2
    assert len(fake.received(body={"name": "Beta"})) == 1
    assert len(fake.received("get", "/crm/companies/*")) == 1
    assert len(fake.received("GET", query={"teamId": fake.team_id})) == 1
    assert fake.received(status=404) == []
    assert fake.received(body={"name": "Gamma"}) == []


async def test_assert_called_counts_and_explains(fake: FakeTalkturo, tk: Talkturo) -> None:
    """assert_called passes on the right count and fails listing what was received."""
    await tk.companies.create(team_id=fake.team_id, name="Acme")
    found = fake.assert_called("POST", "/crm/companies", times=1, body={"name": "Acme"})
    assert found[0].status == 200
    fake.assert_called("DELETE", "/crm/companies/*", times=0)
    with pytest.raises(AssertionError, match=r"(?s)expected POST /crm/companies 2 time.*POST"):
        fake.assert_called("POST", "/crm/companies", times=2)
    with pytest.raises(AssertionError, match="at least once"):
        fake.assert_called("GET", "/crm/contacts")


async def test_assert_scripts_used(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A script not used up is named by assert_scripts_used; once used, the check passes."""
    fake.fail_next(2, status=503, method="GET", path="/test-api-key")
    with pytest.raises(APIError):
        await tk.with_options(max_retries=0).auth.test()  # uses one of the two
    with pytest.raises(AssertionError, match=r"GET /test-api-key -> 503 \(1 left\)"):
        fake.assert_scripts_used()
    await tk.auth.test()
    fake.assert_scripts_used()
    assert fake.pending_failures() == []


async def test_reset_restores_the_starting_state(fake: FakeTalkturo, tk: Talkturo) -> None:
    """reset() brings back the records at start and forgets the log, scripts and idempotency."""
    await tk.companies.create(team_id=fake.team_id, name="Acme")
    fake.credits = 1
    fake.fail_next(1)
    fake.reset()
    assert fake.companies == {} and fake.requests == [] and fake.pending_failures() == []
    assert fake.credits == 100.0
    again = await tk.companies.create(team_id=fake.team_id, name="Acme")
    assert again.id == "comp_000001"  # ids start over too
