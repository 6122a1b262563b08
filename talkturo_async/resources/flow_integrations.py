"""``tk.flows.integrations`` and ``tk.flows.secrets``: what flows connect to and what they hide."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from .._options import RequestOptions
from .._variants import BARE, Envelope
from ..models.flows import (
    DisconnectResult,
    FlowIntegration,
    FlowIntegrationOption,
    FlowSecret,
    FlowSecretProvider,
    OAuthAuthorization,
)
from ._base import Resource, not_blank, present, require, segment

INTEGRATION = Envelope("integration")
INTEGRATIONS = Envelope("integrations")
OPTIONS = Envelope("options")
SECRET = Envelope("secret")
SECRETS = Envelope("secrets")
PROVIDERS = Envelope("providers")


def _integration_path(integration_id: str, action: str = "") -> str:
    return f"flow/integrations/{segment('integration_id', integration_id)}{action}"


def _secret_path(secret_id: str) -> str:
    return f"flow/secrets/{segment('secret_id', secret_id)}"


class FlowIntegrations(Resource):
    """Connect, inspect and remove the third-party providers flows call."""

    async def list(
        self, *, options: RequestOptions | None = None
    ) -> builtins.list[FlowIntegration]:
        """Every integration of the account, connected or not.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of integrations.
        """
        path = "flow/integrations"
        return await self._request(
            "GET", path, list[FlowIntegration], INTEGRATIONS, options=options
        )

    async def connect(
        self,
        provider: str,
        *,
        label: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        account_slug: str | None = None,
        options: RequestOptions | None = None,
    ) -> FlowIntegration:
        """Connect a provider with credentials (an API key and the like).

        OAuth providers use ``start_oauth``. The credentials are stored by the server and never
        returned.

        Args:
            provider: a connector of ``flows.manifest()`` (``slack``, ``hubspot``, ...).
            label: a name to tell several connections to one provider apart.
            credentials: what the provider needs, e.g. ``{"api_key": ...}``.
            account_slug: the account to connect it in (the key's own by default).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``provider`` is missing or empty; ``label`` or ``account_slug`` empty.
            BadRequestError: an unknown provider, or missing credentials.
            PermissionDeniedError: the key may not act for that account.
            ResponseValidationError: the answer is not an integration.
        """
        require(provider=provider)
        not_blank(label=label, account_slug=account_slug)
        body = present(provider=provider, label=label, account_slug=account_slug)
        if credentials is not None:
            body["credentials"] = dict(credentials)  # the provider's own key names, unchanged
        return await self._request(
            "POST", "flow/integrations", FlowIntegration, INTEGRATION, json=body, options=options
        )

    async def disconnect(
        self, provider: str, *, options: RequestOptions | None = None
    ) -> DisconnectResult:
        """Disconnect every integration with ``provider`` (they stay listed, as disconnected).

        Args:
            provider: the provider, e.g. ``slack``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``provider`` is missing or empty.
            NotFoundError: no connected integration with that provider.
            ResponseValidationError: the answer is not a disconnect result.
        """
        require(provider=provider)
        params = {"provider": provider}
        return await self._request(
            "DELETE", "flow/integrations", DisconnectResult, BARE, params=params, options=options
        )

    async def get(
        self, integration_id: str, *, options: RequestOptions | None = None
    ) -> FlowIntegration:
        """Fetch one integration.

        Args:
            integration_id: the integration.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``integration_id`` is empty.
            NotFoundError: no such integration.
            ResponseValidationError: the answer is not an integration.
        """
        path = _integration_path(integration_id)
        return await self._request("GET", path, FlowIntegration, INTEGRATION, options=options)

    async def delete(self, integration_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete an integration and its stored credentials.

        Args:
            integration_id: the integration.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``integration_id`` is empty.
            NotFoundError: no such integration.
        """
        await self._call("DELETE", _integration_path(integration_id), options=options)

    async def options(
        self, integration_id: str, *, options: RequestOptions | None = None
    ) -> builtins.list[FlowIntegrationOption]:
        """The choices the integration offers flow nodes (channels, pipelines, ...).

        Args:
            integration_id: the integration.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``integration_id`` is empty.
            NotFoundError: no such integration.
            BadRequestError: the integration is not connected.
            ResponseValidationError: the answer is not a list of options.
        """
        path = _integration_path(integration_id, "/options")
        return await self._request(
            "GET", path, list[FlowIntegrationOption], OPTIONS, options=options
        )

    async def start_oauth(
        self,
        provider: str,
        label: str,
        account_slug: str,
        *,
        options: RequestOptions | None = None,
    ) -> OAuthAuthorization:
        """Start connecting an OAuth provider: send the user to ``authorization_url``.

        Args:
            provider: an OAuth connector of ``flows.manifest()``.
            label: a name for the new integration.
            account_slug: the account to connect it in.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: an argument is missing or empty.
            BadRequestError: the provider is unknown or does not use OAuth.
            PermissionDeniedError: the key may not act for that account.
            ResponseValidationError: the answer is not an authorization.
        """
        require(provider=provider, label=label, account_slug=account_slug)
        body = {"provider": provider, "label": label, "account_slug": account_slug}
        path = "flow/integrations/oauth/authorize"
        return await self._request(
            "POST", path, OAuthAuthorization, BARE, json=body, options=options
        )


class FlowSecrets(Resource):
    """Store the secret values flows reference; values are never logged or shown in a repr."""

    async def list(self, *, options: RequestOptions | None = None) -> builtins.list[FlowSecret]:
        """Every secret of the account, by name (values are not listed).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of secrets.
        """
        return await self._request(
            "GET", "flow/secrets", list[FlowSecret], SECRETS, options=options
        )

    async def create(
        self,
        name: str,
        value: str,
        *,
        provider: str | None = None,
        options: RequestOptions | None = None,
    ) -> FlowSecret:
        """Store a secret under ``name``.

        Args:
            name: how flows refer to it (unique in the account).
            value: the secret (sent once; never logged).
            provider: the secret store (see ``list_providers``; the default store if ``None``).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``name`` or ``value`` is missing or empty, or ``provider`` is empty.
            BadRequestError: an unknown provider.
            ConflictError: a secret with that name exists.
            ResponseValidationError: the answer is not a secret.
        """
        require(name=name, value=value)
        not_blank(provider=provider)
        body = present(name=name, value=value, provider=provider)
        return await self._request(
            "POST", "flow/secrets", FlowSecret, SECRET, json=body, options=options
        )

    async def delete_by_name(self, name: str, *, options: RequestOptions | None = None) -> None:
        """Delete the secret called ``name``.

        Args:
            name: the secret's name.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``name`` is missing or empty.
            NotFoundError: no secret has that name.
        """
        require(name=name)
        await self._call("DELETE", "flow/secrets", params={"name": name}, options=options)

    async def get(self, secret_id: str, *, options: RequestOptions | None = None) -> FlowSecret:
        """Fetch one secret, its ``value`` included (kept out of the repr).

        Args:
            secret_id: the secret.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``secret_id`` is empty.
            NotFoundError: no such secret.
            ResponseValidationError: the answer is not a secret.
        """
        path = _secret_path(secret_id)
        return await self._request("GET", path, FlowSecret, SECRET, options=options)

    async def delete(self, secret_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a secret by id.

        Args:
            secret_id: the secret.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``secret_id`` is empty.
            NotFoundError: no such secret.
        """
        await self._call("DELETE", _secret_path(secret_id), options=options)

    async def list_providers(
        self, *, options: RequestOptions | None = None
    ) -> builtins.list[FlowSecretProvider]:
        """The secret stores available; the one marked ``default`` is used when none is named.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of providers.
        """
        path = "flow/secrets/providers"
        return await self._request(
            "GET", path, list[FlowSecretProvider], PROVIDERS, options=options
        )
