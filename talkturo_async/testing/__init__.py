"""Test helpers: :class:`FakeTalkturo`, a stateful fake Talkturo server on loopback.

    from talkturo_async.testing import FakeTalkturo

    async with FakeTalkturo() as fake:
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            ...
        fake.assert_called("POST", "/crm/contacts", times=1)

Also here: :class:`FakeAdmin`, a client of a running fake's admin API (for a fake in another
process, e.g. ``python -m talkturo_async.testing --port 0``), and signed webhook requests for
receiver tests (:func:`sign_call_event`, :func:`sign_billing_event`). The pytest plugin adds the
``talkturo_fake``, ``talkturo_client`` and ``talkturo_fake_factory`` fixtures.

Not imported by ``import talkturo_async``; it needs only aiohttp (and ``cryptography`` for call
event signatures).
"""

from ._admin_client import FakeAdmin
from ._dialect import DIALECTS, Dialect
from ._http import LoggedRequest
from ._server import FakeTalkturo
from ._signing import (
    BILLING_SIGNATURE_HEADER,
    CALL_SIGNATURE_HEADER,
    CALL_TIMESTAMP_HEADER,
    SignedWebhook,
    billing_event,
    call_event,
    fake_billing_secret,
    fake_signing_key,
    sign_billing_event,
    sign_call_event,
)
from ._state import FakeState
from ._store import FakeHTTPError
from ._webhooks import WebhookDelivery

__all__ = [
    "DIALECTS",
    "Dialect",
    "BILLING_SIGNATURE_HEADER",
    "CALL_SIGNATURE_HEADER",
    "CALL_TIMESTAMP_HEADER",
    "FakeAdmin",
    "FakeHTTPError",
    "FakeState",
    "FakeTalkturo",
    "LoggedRequest",
    "WebhookDelivery",
    "SignedWebhook",
    "billing_event",
    "call_event",
    "fake_billing_secret",
    "fake_signing_key",
    "sign_billing_event",
    "sign_call_event",
]
