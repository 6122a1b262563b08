"""pytest plugin (registered as the ``talkturo_async`` entry point): fixtures for users' tests.

Fixtures:

- ``talkturo_fake``: a running :class:`FakeTalkturo`, configured by the ``talkturo_fake`` marker.
- ``talkturo_client``: a ``Talkturo`` client connected to it whose retries never sleep (no backoff,
  no ``Retry-After`` pause) unless the ``talkturo_client`` marker says ``wait=True``.
- ``talkturo_fake_factory``: ``await talkturo_fake_factory(**settings)`` starts another fake,
  stopped at teardown.

Markers (registered here, so ``--strict-markers`` accepts them)::

    @pytest.mark.talkturo_fake(latency=0.05, error_rate=0.1, rate_limit_per_hour=100,
                               assert_scripts_used=True)
    @pytest.mark.talkturo_client(max_retries=5)          # or wait=True, or retry_policy=...

``talkturo_fake`` takes every ``FakeTalkturo`` keyword argument, plus ``assert_scripts_used``:
check at teardown that every ``fail_next`` script was used (the ``talkturo_assert_scripts_used``
ini option turns that on for every test). ``talkturo_client`` takes every ``Talkturo`` keyword
argument, plus ``wait``. Markers on a class or module apply to its tests; a test's own marker
overrides them key by key.

The async fixtures need pytest-asyncio (or another plugin that runs async fixtures); without one,
asking for them fails with a message saying so.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from talkturo_async import Talkturo

    from ._server import FakeTalkturo

FAKE_MARKER = "talkturo_fake"
CLIENT_MARKER = "talkturo_client"
SCRIPTS_INI = "talkturo_assert_scripts_used"

FakeFactory = Callable[..., Awaitable["FakeTalkturo"]]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini option that checks every test's scripted failures were used."""
    parser.addini(
        SCRIPTS_INI,
        type="bool",
        default=False,
        help="talkturo fixtures: fail a test whose fake still has unused fail_next scripts",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers, so ``--strict-markers`` accepts them."""
    config.addinivalue_line(
        "markers",
        f"{FAKE_MARKER}(**settings): FakeTalkturo keyword arguments for the talkturo_fake fixture "
        "(latency=, error_rate=, rate_limit_per_hour=, ...), plus assert_scripts_used=True",
    )
    config.addinivalue_line(
        "markers",
        f"{CLIENT_MARKER}(**options): Talkturo keyword arguments for the talkturo_client fixture, "
        "plus wait=True for real retry backoff",
    )


def marker_kwargs(node: pytest.Item, name: str) -> dict[str, Any]:
    """The keyword arguments of every ``name`` marker on ``node``, the closest winning."""
    merged: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(name))):
        if marker.args:
            raise TypeError(f"@pytest.mark.{name} takes keyword arguments only")
        merged.update(marker.kwargs)
    return merged


if importlib.util.find_spec("pytest_asyncio") is not None:
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def talkturo_fake_factory(request: pytest.FixtureRequest) -> AsyncIterator[FakeFactory]:  # pyright: ignore[reportRedeclaration] - the other branch is the fallback
        """Start fakes on demand, each with its own keyword arguments.

        For example ``fake = await talkturo_fake_factory(seed=3, latency=0.01)``.
        Takes every ``FakeTalkturo`` keyword argument plus ``assert_scripts_used``. Every fake it
        started is stopped at teardown; then those asked to are checked for unused scripts.
        """
        from ._server import FakeTalkturo

        default_check = bool(request.config.getini(SCRIPTS_INI))
        started: list[tuple[FakeTalkturo, bool]] = []

        async def make(**settings: Any) -> FakeTalkturo:
            check = bool(settings.pop("assert_scripts_used", default_check))
            fake = await FakeTalkturo(**settings).start()
            started.append((fake, check))
            return fake

        try:
            yield make
        finally:
            for fake, _ in reversed(started):
                await fake.stop()
        for fake, check in started:
            if check:
                fake.assert_scripts_used()

    @pytest_asyncio.fixture
    async def talkturo_fake(  # pyright: ignore[reportRedeclaration] - the other branch is the fallback
        request: pytest.FixtureRequest, talkturo_fake_factory: FakeFactory
    ) -> FakeTalkturo:
        """A FakeTalkturo on 127.0.0.1 for one test, set up by ``@pytest.mark.talkturo_fake``."""
        return await talkturo_fake_factory(**marker_kwargs(request.node, FAKE_MARKER))

    @pytest_asyncio.fixture
    async def talkturo_client(  # pyright: ignore[reportRedeclaration] - the other branch is the fallback
        request: pytest.FixtureRequest, talkturo_fake: FakeTalkturo
    ) -> AsyncIterator[Talkturo]:
        """A Talkturo client bound to ``talkturo_fake`` whose retries do not sleep.

        ``@pytest.mark.talkturo_client(...)`` passes keyword arguments to ``Talkturo``;
        ``wait=True`` restores real backoff and ``Retry-After`` pauses.
        """
        from talkturo_async import RetryPolicy, Talkturo

        options = marker_kwargs(request.node, CLIENT_MARKER)
        wait = bool(options.pop("wait", False))
        if "retry_policy" not in options:  # max_retries goes into it: both would be an error
            retries = options.pop("max_retries", None)
            if retries is None:
                options["retry_policy"] = RetryPolicy(wait=wait)
            else:
                options["retry_policy"] = RetryPolicy(wait=wait, max_retries=retries)
        async with Talkturo(
            api_key=talkturo_fake.api_key, base_url=talkturo_fake.base_url, **options
        ) as tk:
            yield tk

else:  # pragma: no cover

    @pytest.fixture
    def talkturo_fake_factory() -> Any:
        """Fail: this fixture needs pytest-asyncio."""
        pytest.fail(
            "the talkturo_fake_factory fixture needs pytest-asyncio: pip install pytest-asyncio"
        )

    @pytest.fixture
    def talkturo_fake() -> Any:
        """Fail: this fixture needs pytest-asyncio."""
        pytest.fail("the talkturo_fake fixture needs pytest-asyncio: pip install pytest-asyncio")

    @pytest.fixture
    def talkturo_client() -> Any:
        """Fail: this fixture needs pytest-asyncio."""
        pytest.fail("the talkturo_client fixture needs pytest-asyncio: pip install pytest-asyncio")
