"""``tk.api_keys``: create, list, change and revoke an account's API keys.

These routes accept a user's JWT only (an account ``owner`` or ``admin``), never an API key:
build the client with ``Talkturo(jwt=...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from .._errors import APIError, AuthenticationError, PermissionDeniedError
from .._options import RequestOptions
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.api_keys import ApiKey, ApiKeyEnvironment, CreatedApiKey
from ._base import Resource, not_blank, one_of, require, segment

T = TypeVar("T")
API_KEY = Envelope("apiKey")
API_KEYS = Envelope("apiKeys")
NEEDS_JWT = (
    "this operation needs a JWT (an account owner's or admin's): build the client with jwt=..."
)


def _path(key_id: str) -> str:
    return f"api-keys/{segment('key_id', key_id)}"


class ApiKeys(Resource):
    """Administer an account's API keys (needs a client built with ``jwt=``)."""

    async def _admin(
        self, method: str, path: str, model: type[T], envelope: Envelope = API_KEY, **kw: Any
    ) -> T:
        """Send an API-key administration call; a 401/403 to a client without a JWT says why."""
        try:
            return await self._request(method, path, model, envelope, **kw)
        except (AuthenticationError, PermissionDeniedError) as exc:
            if self._client._auth.kind == "jwt":  # pyright: ignore[reportPrivateUsage] - same package
                raise
            raise _with_message(exc, NEEDS_JWT) from exc

    async def list(
        self, account_slug: str, *, options: RequestOptions | None = None
    ) -> list[ApiKey]:
        """The account's API keys (metadata only: the keys themselves are never shown again).

        Args:
            account_slug: the account that owns the keys.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``account_slug`` is missing or empty.
            AuthenticationError, PermissionDeniedError: the client has no JWT (the message says
                so), or the user is not an owner or admin of the account.
            ResponseValidationError: the answer is not a list of keys.
        """
        require(account_slug=account_slug)
        params = to_wire({"account_slug": account_slug})
        return await self._admin(
            "GET", "api-keys", list[ApiKey], API_KEYS, params=params, options=options
        )

    async def create(
        self,
        account_slug: str,
        name: str,
        *,
        description: str | None = None,
        environment: ApiKeyEnvironment | None = None,
        expires_in_days: int | None = None,
        scopes: Sequence[str] | None = None,
        rate_limit_per_hour: int | None = None,
        options: RequestOptions | None = None,
    ) -> CreatedApiKey:
        """Create a key; the answer's ``full_key`` is the only time the key is shown.

        Args:
            account_slug: the account the key acts for.
            name: a label for the key.
            description: what the key is for.
            environment: ``live`` (server default) for ``tk_live_`` keys, ``test`` for ``tk_test_``.
            expires_in_days: the key stops working after this many days (default: never).
            scopes: what the key may do: ``*`` (default), ``assistants:*``, or exact scopes.
            rate_limit_per_hour: requests the key may make per hour (server default 1000).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``account_slug`` or ``name`` missing or empty, ``environment`` not
                ``live``/``test`` (:data:`ApiKeyEnvironment`), ``expires_in_days`` not positive,
                ``scopes`` one string.
            AuthenticationError, PermissionDeniedError: the client has no JWT (the message says
                so), or the user is not an owner or admin of the account.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not a key.
        """
        require(account_slug=account_slug, name=name)
        not_blank(description=description)
        one_of("environment", environment, ApiKeyEnvironment)
        if expires_in_days is not None and expires_in_days <= 0:
            raise ValueError("expires_in_days must be a positive number of days")
        if isinstance(scopes, str):
            raise ValueError("scopes must be a list of scopes, not one string")
        permissions: dict[str, Any] = {}
        if scopes is not None:
            permissions["scopes"] = list(scopes)
        if rate_limit_per_hour is not None:
            permissions["rate_limit_per_hour"] = rate_limit_per_hour
        body = to_wire(
            {
                "account_slug": account_slug,
                "name": name,
                "description": description,
                "environment": environment,
                "expires_in_days": expires_in_days,
                "permissions": permissions or None,
            }
        )
        return await self._admin("POST", "api-keys", CreatedApiKey, json=body, options=options)

    async def update(
        self,
        key_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        is_active: bool | None = None,
        options: RequestOptions | None = None,
    ) -> ApiKey:
        """Rename, re-describe, disable or re-enable a key (its value does not change).

        Args:
            key_id: the key's ``id``.
            name: a new label.
            description: a new description.
            is_active: ``False`` disables the key at once, ``True`` enables it again.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: nothing to change, or ``key_id`` or ``name`` is empty.
            NotFoundError: no such key.
            AuthenticationError, PermissionDeniedError: the client has no JWT (the message says so).
            ResponseValidationError: the answer is not a key.
        """
        not_blank(name=name)
        body = to_wire({"name": name, "description": description, "is_active": is_active})
        if not body:
            raise ValueError("update needs at least one of name, description, is_active")
        path = _path(key_id)
        return await self._admin("PATCH", path, ApiKey, json=body, options=options)

    async def revoke(self, key_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a key: it stops working immediately.

        Args:
            key_id: the key's ``id``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``key_id`` is empty.
            NotFoundError: no such key.
            AuthenticationError, PermissionDeniedError: the client has no JWT (the message says so).
        """
        await self._admin("DELETE", _path(key_id), dict, BARE, options=options)


def _with_message(exc: APIError, message: str) -> APIError:
    """The same error (class, status, body, headers) with a message saying what to do."""
    return type(exc)(
        message,
        status_code=exc.status_code,
        body=exc.body,
        headers=exc.headers,
        method=exc.method,
        url=exc.url,
        request_id=exc.request_id,
    )
