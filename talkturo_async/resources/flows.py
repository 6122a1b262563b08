"""``tk.flows``: TurboFlow workflows, from draft to published version to signed trigger."""

from __future__ import annotations

import builtins
import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import APIError
from .._options import RequestOptions
from .._variants import BARE, Envelope
from .._wire import encode_json
from ..models.flows import (
    Flow,
    FlowManifest,
    FlowNodeRun,
    FlowRun,
    FlowTools,
    FlowToolSchema,
    FlowTriggerResult,
    FlowVersion,
    FlowWebhookTest,
)
from ._base import Resource, checked, not_blank, present, require, segment
from .flow_integrations import FlowIntegrations, FlowSecrets

if TYPE_CHECKING:
    from .._client import Talkturo
    from .._errors import JSON

FLOW = Envelope("flow")
FLOWS = Envelope("flows")
VERSION = Envelope("version", attach=("flow",))
RUN = Envelope("run")
RUNS = Envelope("runs")
TRIGGER_HEADER = "X-Talkturo-Secret"


def _path(flow_id: str, action: str = "") -> str:
    return f"flow/{segment('flow_id', flow_id)}{action}"


def sign_trigger(body: bytes, secret: str) -> str:
    """The ``X-Talkturo-Secret`` value for a trigger body: hex HMAC-SHA256 of the exact bytes.

    The API names the algorithm and the key but not the encoding; lowercase hex is assumed.

    Args:
        body: the raw request body.
        secret: the published version's ``trigger_secret``.

    Raises:
        ValueError: ``secret`` is empty.
    """
    require(secret=secret)
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Flows(Resource):
    """Create, edit, publish, test and trigger flows; ``integrations`` and ``secrets`` hang off it.

    Attributes:
        integrations: the third-party connections flows use (:class:`FlowIntegrations`).
        secrets: the encrypted values flows reference (:class:`FlowSecrets`).
    """

    def __init__(self, client: Talkturo) -> None:
        """Bind the flows resource and its ``integrations`` and ``secrets`` to ``client``."""
        super().__init__(client)
        self.integrations: FlowIntegrations = FlowIntegrations(client)
        self.secrets: FlowSecrets = FlowSecrets(client)

    async def list(self, *, options: RequestOptions | None = None) -> builtins.list[Flow]:
        """Every flow of the account (drafts, published and archived ones).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a list of flows.
        """
        return await self._request("GET", "flow", list[Flow], FLOWS, options=options)

    async def create(
        self,
        name: str | None = None,
        *,
        description: str | None = None,
        definition: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Flow:
        """Create a draft flow.

        Args:
            name: the flow's name (the server names an unnamed flow).
            description: what the flow does (shown as its tool description).
            definition: the flow graph, ``{"nodes": [{"id", "type", ...}], "edges": [...]}``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``name`` is empty (leave it out for the server's default name).
            BadRequestError: the definition is invalid (nodes without unique ids, ...).
            ResponseValidationError: the answer is not a flow.
        """
        not_blank(name=name)
        body = present(name=name, description=description, definition=definition)
        return await self._request("POST", "flow", Flow, FLOW, json=body, options=options)

    async def manifest(self, *, options: RequestOptions | None = None) -> FlowManifest:
        """The connector manifest the workflow builder offers (connectors and their actions).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a manifest.
        """
        return await self._request("GET", "flow/manifest", FlowManifest, BARE, options=options)

    async def get(self, flow_id: str, *, options: RequestOptions | None = None) -> Flow:
        """Fetch a flow's current (draft) definition.

        Args:
            flow_id: the flow.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a flow.
        """
        return await self._request("GET", _path(flow_id), Flow, FLOW, options=options)

    async def update(
        self,
        flow_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        definition: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Flow:
        """Change the draft's metadata or graph; published versions keep running unchanged.

        Args:
            flow_id: the flow.
            name: a new name.
            description: a new description.
            definition: a new flow graph (replaces the old one).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: no field to change was given, or ``name`` is empty.
            NotFoundError: no such flow.
            BadRequestError: the flow is archived, or the definition is invalid.
            ResponseValidationError: the answer is not a flow.
        """
        not_blank(name=name)
        body = present(name=name, description=description, definition=definition)
        if not body:
            raise ValueError("update needs at least one field to change")
        return await self._request("PATCH", _path(flow_id), Flow, FLOW, json=body, options=options)

    async def archive(self, flow_id: str, *, options: RequestOptions | None = None) -> Flow:
        """Archive a flow: it can no longer be triggered (runs already made are kept).

        Args:
            flow_id: the flow.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a flow.
        """
        return await self._request("DELETE", _path(flow_id), Flow, FLOW, options=options)

    async def publish(self, flow_id: str, *, options: RequestOptions | None = None) -> FlowVersion:
        """Publish the draft as a new runnable version with its own ``trigger_secret``.

        Args:
            flow_id: the flow.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            BadRequestError: the flow is archived.
            ResponseValidationError: the answer is not a published version.
        """
        path = _path(flow_id, "/publish")
        return await self._request("POST", path, FlowVersion, VERSION, options=options)

    async def list_runs(
        self, flow_id: str, *, options: RequestOptions | None = None
    ) -> builtins.list[FlowRun]:
        """The flow's past runs, newest first (test runs included).

        Args:
            flow_id: the flow.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a list of runs.
        """
        path = _path(flow_id, "/runs")
        return await self._request("GET", path, list[FlowRun], RUNS, options=options)

    async def test_run(
        self,
        flow_id: str,
        params: Mapping[str, Any] | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> FlowRun:
        """Run the draft in test mode, without publishing or signing.

        Args:
            flow_id: the flow.
            params: the runtime input.
            context: extra context, e.g. ``{"assistant_id": ...}``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a run.
        """
        body = present(params=dict(params or {}), context=context)
        path = _path(flow_id, "/test-run")
        return await self._request("POST", path, FlowRun, RUN, json=body, options=options)

    async def test_run_node(
        self,
        flow_id: str,
        node_id: str,
        input: Mapping[str, Any] | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> FlowNodeRun:
        """Run one node of the draft in isolation, for debugging.

        Args:
            flow_id: the flow.
            node_id: the node's ``id`` in the flow's definition.
            input: the node's input.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` or ``node_id`` is empty.
            NotFoundError: no such flow, or no such node in it.
            ResponseValidationError: the answer is not a node run.
        """
        require(node_id=node_id)
        body = {"node_id": node_id, "input": dict(input or {})}
        path = _path(flow_id, "/test-run/node")
        return await self._request("POST", path, FlowNodeRun, BARE, json=body, options=options)

    async def tool_schema(
        self, flow_id: str, *, options: RequestOptions | None = None
    ) -> FlowToolSchema:
        """How assistants see the flow as a tool (name, description, JSON-schema parameters).

        Args:
            flow_id: the flow.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a tool schema.
        """
        path = _path(flow_id, "/tool-schema")
        return await self._request("GET", path, FlowToolSchema, BARE, options=options)

    async def trigger(
        self,
        flow_id: str,
        payload: Mapping[str, Any],
        *,
        secret: str,
        context: Mapping[str, Any] | None = None,
        sync: bool = False,
        options: RequestOptions | None = None,
    ) -> FlowTriggerResult:
        """Run the latest published version, signed with its ``trigger_secret``.

        The exact body bytes sent are signed (hex HMAC-SHA256) into ``X-Talkturo-Secret``; the
        secret itself is never sent, logged or put in an exception. By default the run is queued
        and ``run_id`` returned at once; ``sync=True`` waits (about 30 s at most) for its output.
        A sync run that fails is not an exception: ``ok`` is ``False`` and ``error``,
        ``failed_node`` and ``partial_output`` say why (it is not retried either).

        Args:
            flow_id: the flow.
            payload: the runtime input, sent as the body's ``params``.
            secret: the ``trigger_secret`` of the flow's latest published version.
            context: extra context, e.g. ``{"assistant_id": ...}``.
            sync: wait for the output.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` or ``secret`` is empty.
            BadRequestError: a bad signature, missing ``params`` or an unpublished flow.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a trigger result.
        """
        path = _path(flow_id, "/trigger")
        body: dict[str, Any] = {"params": dict(payload)}
        if context is not None:
            body["context"] = dict(context)
        headers = {TRIGGER_HEADER: sign_trigger(encode_json(body), secret)}
        settings = checked(options)
        client = self._client
        if sync:  # a failed sync run answers 500: running the flow again would not help
            policy = client.retry_policy
            statuses = policy.retry_statuses - {500}
            policy = attrs.evolve(policy, retry_statuses=statuses)
            client = client.with_options(retry_policy=policy)
        params = {"sync": True} if sync else None
        from .._converter import structure

        def parse(answer: Any) -> FlowTriggerResult:
            return structure(BARE.record(answer, FlowTriggerResult), FlowTriggerResult)

        try:
            result: FlowTriggerResult = await client._send(  # pyright: ignore[reportPrivateUsage] - same package
                "POST",
                path,
                params=params,
                json=body,
                headers=headers,
                options=settings,
                parse=parse,
            )
        except APIError as exc:
            if not (sync and exc.status_code == 500 and _is_run_answer(exc.body)):
                raise
            return structure(exc.body, FlowTriggerResult)  # a run answer: a dict with run_id
        return result

    async def get_webhook_test(
        self, flow_id: str, *, options: RequestOptions | None = None
    ) -> FlowWebhookTest:
        """Where to send a sample webhook for the flow, and the last sample it received.

        Args:
            flow_id: the flow.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a webhook test.
        """
        path = _path(flow_id, "/webhook-test")
        return await self._request("GET", path, FlowWebhookTest, BARE, options=options)

    async def send_webhook_test(
        self,
        flow_id: str,
        payload: Mapping[str, Any] | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> FlowWebhookTest:
        """Send a sample payload for the flow's trigger (the editor builds its inputs from it).

        Args:
            flow_id: the flow.
            payload: the sample payload.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``flow_id`` is empty.
            NotFoundError: no such flow.
            ResponseValidationError: the answer is not a webhook test.
        """
        body = {"payload": dict(payload or {})}
        path = _path(flow_id, "/webhook-test")
        return await self._request("POST", path, FlowWebhookTest, BARE, json=body, options=options)

    async def list_tools(self, *, options: RequestOptions | None = None) -> FlowTools:
        """The tools (published flows) and connectors available to the account.

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the credential was refused.
            ResponseValidationError: the answer is not a tools listing.
        """
        return await self._request("GET", "flow/tools", FlowTools, BARE, options=options)


def _is_run_answer(body: JSON) -> bool:
    return isinstance(body, dict) and "run_id" in body and body.get("ok") is False
