"""Test helpers: :class:`FakeTalkturo`, a stateful fake Talkturo server on loopback.

    from talkturo_async.testing import FakeTalkturo

    async with FakeTalkturo() as fake:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            ...

Not imported by ``import talkturo_async``; it needs only aiohttp.
"""

from ._dialect import DIALECTS, Dialect
from ._http import LoggedRequest
from ._server import FakeTalkturo
from ._state import FakeState
from ._store import FakeHTTPError
from ._webhooks import WebhookDelivery

__all__ = [
    "DIALECTS",
    "Dialect",
    "FakeHTTPError",
    "FakeState",
    "FakeTalkturo",
    "LoggedRequest",
    "WebhookDelivery",
]
