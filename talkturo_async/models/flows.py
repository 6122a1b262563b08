"""Models of the TurboFlow group: flows, their published versions and runs, integrations, secrets.

Secret material (a version's ``trigger_secret``, a secret's ``value``) is kept out of every
``repr``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import attrs

from ._base import Model, Timestamp

FlowStatus = Literal["draft", "published", "archived"]
"""Known flow statuses; others are kept as they are."""

FLOW_DRAFT: Final = "draft"
FLOW_PUBLISHED: Final = "published"
FLOW_ARCHIVED: Final = "archived"

FlowRunStatus = Literal["running", "succeeded", "failed"]
"""Known statuses of a flow run."""


@attrs.frozen(kw_only=True)
class Flow(Model):
    """A TurboFlow workflow.

    Attributes:
        status: ``draft``, ``published`` or ``archived`` (see ``FlowStatus``; open string).
        definition: the flow graph, e.g. ``{"nodes": [{"id", "type", ...}], "edges": [...]}``.
        version: the number of the latest published version (``None`` before the first publish).
        has_unpublished_changes: the draft differs from the latest published version.
    """

    id: str
    name: str | None = None
    description: str | None = None
    status: str | None = None
    definition: dict[str, Any] | None = None
    version: int | None = None
    has_unpublished_changes: bool | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    published_at: Timestamp | None = None
    archived_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class FlowVersion(Model):
    """A published, runnable version of a flow (the answer of ``flows.publish``).

    Attributes:
        version: 1 for the first publish, then 2, 3, ...
        trigger_secret: the key that signs calls to ``flows.trigger`` (never in the repr).
        trigger_url: where the version is triggered.
        flow: the flow after publishing, when the server sends it.
    """

    id: str | None = None
    flow_id: str | None = None
    version: int | None = None
    trigger_secret: str | None = attrs.field(default=None, repr=False)
    trigger_url: str | None = None
    published_at: Timestamp | None = None
    flow: Flow | None = None


@attrs.frozen(kw_only=True)
class FlowRun(Model):
    """One execution of a flow.

    Attributes:
        mode: ``live`` (triggered) or ``test`` (``flows.test_run``).
        status: ``running``, ``succeeded`` or ``failed`` (see ``FlowRunStatus``; open string).
        input: the run's ``params``; ``output`` what the flow returned.
        error, failed_node: why and where a failed run stopped.
    """

    id: str | None = None
    flow_id: str | None = None
    version: int | None = None
    mode: str | None = None
    status: str | None = None
    input: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    output: dict[str, Any] | None = None
    error: str | None = None
    failed_node: str | None = None
    started_at: Timestamp | None = None
    finished_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class FlowNodeRun(Model):
    """The answer of ``flows.test_run_node``: one node run in isolation."""

    ok: bool | None = None
    node_id: str | None = None
    output: dict[str, Any] | None = None
    error: str | None = None


@attrs.frozen(kw_only=True)
class FlowTriggerResult(Model):
    """The answer of ``flows.trigger``.

    Attributes:
        ok: whether the run was accepted (async) or finished without error (sync).
        run_id: the run started.
        output: the flow's output (sync mode only).
        error, failed_node, partial_output: why, where, and what was produced before a sync run
            failed.
    """

    ok: bool | None = None
    run_id: str | None = None
    output: dict[str, Any] | None = None
    error: str | None = None
    failed_node: str | None = None
    partial_output: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class FlowToolSchema(Model):
    """How an assistant sees a flow as a tool: its name, description and JSON-schema parameters."""

    type: str | None = None
    name: str | None = None
    description: str | None = None
    parameters: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class FlowManifest(Model):
    """The connector manifest of the workflow builder: ``connectors`` with their actions."""

    version: str | None = None
    connectors: list[dict[str, Any]] | None = None


@attrs.frozen(kw_only=True)
class FlowTools(Model):
    """The tools (published flows) and connectors available to the account."""

    tools: list[dict[str, Any]] | None = None
    connectors: list[dict[str, Any]] | None = None


@attrs.frozen(kw_only=True)
class FlowWebhookTest(Model):
    """A flow's webhook test: where to send a sample, and the last sample received.

    Attributes:
        url: the flow's trigger URL; ``header`` the signature header it expects.
        sample: the last payload sent with ``flows.send_webhook_test`` (``None`` before any).
        received_at: when that sample arrived.
    """

    url: str | None = None
    method: str | None = None
    header: str | None = None
    sample: dict[str, Any] | None = None
    received_at: Timestamp | None = None


FlowIntegrationStatus = Literal["pending", "connected", "disconnected"]
"""Known statuses of an integration."""


@attrs.frozen(kw_only=True)
class FlowIntegration(Model):
    """A connection to a third-party provider that flows use (its credentials are never returned).

    Attributes:
        provider: ``slack``, ``hubspot``, ... (see ``flows.manifest()``).
        status: ``pending`` (OAuth started), ``connected`` or ``disconnected`` (open string).
        auth_type: ``api_key`` or ``oauth``.
    """

    id: str
    provider: str | None = None
    label: str | None = None
    status: str | None = None
    auth_type: str | None = None
    account_slug: str | None = None
    connected_at: Timestamp | None = None
    disconnected_at: Timestamp | None = None
    created_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class FlowIntegrationOption(Model):
    """One choice an integration offers a flow node (a Slack channel, a CRM pipeline, ...)."""

    value: str | None = None
    label: str | None = None
    group: str | None = None


@attrs.frozen(kw_only=True)
class DisconnectResult(Model):
    """The answer of ``flows.integrations.disconnect``: how many integrations were disconnected."""

    disconnected: int | None = None
    provider: str | None = None


@attrs.frozen(kw_only=True)
class OAuthAuthorization(Model):
    """Where to send the user to grant access (the answer of ``integrations.start_oauth``).

    Attributes:
        authorization_url: the provider's consent screen.
        integration_id: the pending integration that the OAuth callback completes.
        state: the OAuth state the provider hands back to Talkturo (it is in the URL too).
    """

    authorization_url: str | None = None
    integration_id: str | None = None
    provider: str | None = None
    state: str | None = None
    expires_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class FlowSecret(Model):
    """A named, encrypted value that flow nodes reference (``{{secrets.NAME}}``).

    Attributes:
        value: the secret itself, when the server returns it (never in the repr).
        provider: the secret store holding it (see ``flows.secrets.list_providers()``).
    """

    id: str
    name: str | None = None
    provider: str | None = None
    value: str | None = attrs.field(default=None, repr=False)
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class FlowSecretProvider(Model):
    """A secret store secrets can be kept in; ``default`` marks the one used when none is named."""

    id: str
    name: str | None = None
    default: bool | None = None
