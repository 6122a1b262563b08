"""pytest plugin (registered as the ``talkturo_async`` entry point): fixtures for users' tests.

``talkturo_fake`` yields a running :class:`FakeTalkturo`; ``talkturo_client`` yields a
``Talkturo`` client connected to it. Both need pytest-asyncio (or another plugin that runs async
fixtures); without one, asking for them fails with a message saying so.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from talkturo_async import Talkturo

    from ._server import FakeTalkturo

if importlib.util.find_spec("pytest_asyncio") is not None:
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def talkturo_fake() -> AsyncIterator[FakeTalkturo]:
        """A FakeTalkturo serving on 127.0.0.1 for the duration of one test."""
        from ._server import FakeTalkturo

        async with FakeTalkturo() as fake:
            yield fake

    @pytest_asyncio.fixture
    async def talkturo_client(talkturo_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
        """A Talkturo client bound to ``talkturo_fake``."""
        from talkturo_async import Talkturo

        async with Talkturo(api_key=talkturo_fake.api_key, base_url=talkturo_fake.base_url) as tk:
            yield tk

else:  # pragma: no cover

    @pytest.fixture
    def talkturo_fake() -> Any:
        pytest.fail("the talkturo_fake fixture needs pytest-asyncio: pip install pytest-asyncio")

    @pytest.fixture
    def talkturo_client() -> Any:
        pytest.fail("the talkturo_client fixture needs pytest-asyncio: pip install pytest-asyncio")
