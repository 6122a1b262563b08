"""Models of the API keys group."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Model, Timestamp

ApiKeyEnvironment = Literal["live", "test"]
"""The kinds of API key: ``live`` (``tk_live_`` keys) or ``test`` (``tk_test_`` keys)."""


@attrs.frozen(kw_only=True)
class ApiKeyPermissions(Model):
    """What a key may do: ``scopes`` (``*``, ``assistants:*`` or exact) and its hourly limit."""

    scopes: list[str] | None = None
    rate_limit_per_hour: int | None = None


@attrs.frozen(kw_only=True)
class ApiKey(Model):
    """An API key's metadata (the key itself is shown once, at creation: ``CreatedApiKey``).

    Attributes:
        key_prefix: the key's first characters, to recognise it (``tk_live_1a2b``).
        is_active: ``False`` once disabled with ``api_keys.update(is_active=False)``.
    """

    id: str
    name: str | None = None
    description: str | None = None
    key_prefix: str | None = None
    permissions: ApiKeyPermissions | None = None
    last_used_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    is_active: bool | None = None
    created_at: Timestamp | None = None
    created_by: str | None = None


@attrs.frozen(kw_only=True)
class CreatedApiKey(ApiKey):
    """A new key with its plaintext ``full_key``, returned only this once (store it now).

    ``full_key`` is left out of ``repr``.
    """

    full_key: str | None = attrs.field(default=None, repr=False)
