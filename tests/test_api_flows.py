"""TurboFlow through the public API against the fake, every answer checked against openapi.yaml."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from talkturo_async import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Request,
    Response,
    RetryPolicy,
    Talkturo,
)
from talkturo_async.testing import FakeTalkturo
from tests.conftest import MockClient

SLOW_NODE = {"id": "lookup", "type": "http", "output": {"status": "found"}}
FAILING_NODE = {"id": "crm", "type": "hubspot", "fail": "HubSpot said 401"}
DEFINITION = {
    "nodes": [SLOW_NODE, {"id": "reply", "type": "code"}],
    "edges": [],
    "inputs": ["email"],
}


@pytest.fixture
async def tk(spec_fake: FakeTalkturo) -> AsyncIterator[Talkturo]:
    """A client bound to the spec-checked fake that retries without sleeping."""
    async with Talkturo(
        api_key=spec_fake.api_key,
        base_url=spec_fake.base_url,
        retry_policy=RetryPolicy(wait=False),
    ) as client:
        yield client


def _trigger_requests(fake: FakeTalkturo) -> list[Any]:
    return [r for r in fake.requests if r.path.endswith("/trigger")]


# --- flows -----------------------------------------------------------------------------------


async def test_create_get_and_list_a_draft(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """A created flow is a draft (201) that get and list return with its definition."""
    flow = await tk.flows.create("Lead router", description="Routes leads", definition=DEFINITION)
    assert flow.id and flow.status == "draft" and flow.name == "Lead router"
    assert spec_fake.requests[-1].status == 201
    fetched = await tk.flows.get(flow.id)
    assert fetched.definition == DEFINITION and fetched.description == "Routes leads"
    assert [f.id for f in await tk.flows.list()] == [flow.id]


async def test_create_without_a_name_gets_a_default_name(tk: Talkturo) -> None:
    """The name is optional: the server names an unnamed flow."""
    flow = await tk.flows.create()
    assert flow.name == "Untitled flow"


async def test_create_refuses_nodes_without_ids(tk: Talkturo) -> None:
    """A definition whose nodes lack unique ids is a 400."""
    with pytest.raises(BadRequestError, match="unique string id"):
        await tk.flows.create("x", definition={"nodes": [{"type": "http"}]})


async def test_get_unknown_flow_is_not_found(tk: Talkturo) -> None:
    """An unknown flow id is a 404."""
    with pytest.raises(NotFoundError):
        await tk.flows.get("flow_nope")


async def test_update_changes_the_draft_and_marks_unpublished_changes(tk: Talkturo) -> None:
    """Editing a published flow keeps it published with unpublished changes."""
    flow = await tk.flows.create("a", definition=DEFINITION)
    assert flow.id
    await tk.flows.publish(flow.id)
    updated = await tk.flows.update(flow.id, name="b")
    assert (updated.name, updated.status, updated.has_unpublished_changes) == (
        "b",
        "published",
        True,
    )


async def test_update_without_fields_is_refused_before_sending(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """update() with nothing to change raises ValueError and sends nothing."""
    sent = len(spec_fake.requests)
    with pytest.raises(ValueError, match="at least one field"):
        await tk.flows.update("flow_1")
    assert len(spec_fake.requests) == sent


async def test_archive_keeps_the_flow_readable_but_frozen(tk: Talkturo) -> None:
    """An archived flow is still returned, but can be neither edited nor published."""
    flow = await tk.flows.create("a")
    assert flow.id
    archived = await tk.flows.archive(flow.id)
    assert archived.status == "archived" and archived.archived_at is not None
    assert (await tk.flows.get(flow.id)).status == "archived"
    with pytest.raises(BadRequestError, match="archived"):
        await tk.flows.update(flow.id, name="b")
    with pytest.raises(BadRequestError, match="archived"):
        await tk.flows.publish(flow.id)


async def test_archive_unknown_flow_is_not_found(tk: Talkturo) -> None:
    """Archiving an unknown flow is a 404."""
    with pytest.raises(NotFoundError):
        await tk.flows.archive("flow_nope")


async def test_publish_numbers_versions_with_fresh_hidden_secrets(tk: Talkturo) -> None:
    """Each publish makes the next version with a new trigger_secret, kept out of the repr."""
    flow = await tk.flows.create("a", definition=DEFINITION)
    assert flow.id
    first = await tk.flows.publish(flow.id)
    second = await tk.flows.publish(flow.id)
    assert (first.version, second.version) == (1, 2)
    assert first.trigger_secret and second.trigger_secret
    assert first.trigger_secret != second.trigger_secret
    assert first.trigger_secret not in repr(first)
    assert second.flow is not None and second.flow.status == "published"
    assert second.flow.version == 2


async def test_manifest_lists_connectors(tk: Talkturo) -> None:
    """The manifest names the connectors the builder offers."""
    manifest = await tk.flows.manifest()
    assert {"slack", "hubspot"} <= {c["id"] for c in manifest.connectors or []}


async def test_test_run_records_a_test_run(tk: Talkturo) -> None:
    """A test run runs the draft's nodes and is listed among the runs, mode test."""
    flow = await tk.flows.create("a", definition=DEFINITION)
    assert flow.id
    run = await tk.flows.test_run(flow.id, {"email": "a@b.c"}, context={"assistant_id": "as_1"})
    assert (run.status, run.mode, run.version) == ("succeeded", "test", None)
    assert run.output == {"lookup": {"status": "found"}, "reply": {"email": "a@b.c"}}
    assert [r.id for r in await tk.flows.list_runs(flow.id)] == [run.id]


async def test_test_run_reports_the_failing_node(tk: Talkturo) -> None:
    """A node that fails ends the test run as failed, naming the node."""
    flow = await tk.flows.create("a", definition={"nodes": [SLOW_NODE, FAILING_NODE]})
    assert flow.id
    run = await tk.flows.test_run(flow.id)
    assert (run.status, run.failed_node, run.error) == ("failed", "crm", "HubSpot said 401")


async def test_list_runs_of_unknown_flow_is_not_found(tk: Talkturo) -> None:
    """Runs of an unknown flow are a 404."""
    with pytest.raises(NotFoundError):
        await tk.flows.list_runs("flow_nope")


async def test_test_run_node_runs_one_node(tk: Talkturo) -> None:
    """One node runs in isolation; an unknown node is a 404 and an empty id a ValueError."""
    flow = await tk.flows.create("a", definition=DEFINITION)
    assert flow.id
    result = await tk.flows.test_run_node(flow.id, "reply", {"x": 1})
    assert (result.ok, result.node_id, result.output) == (True, "reply", {"x": 1})
    with pytest.raises(NotFoundError, match="Node"):
        await tk.flows.test_run_node(flow.id, "ghost")
    with pytest.raises(ValueError, match="node_id"):
        await tk.flows.test_run_node(flow.id, "")


async def test_tool_schema_follows_the_flow_inputs(tk: Talkturo) -> None:
    """The tool schema is named after the flow and requires its inputs."""
    flow = await tk.flows.create("Lead Router!", description="Routes", definition=DEFINITION)
    assert flow.id
    tool = await tk.flows.tool_schema(flow.id)
    assert (tool.name, tool.description) == ("lead_router", "Routes")
    assert tool.parameters == {
        "type": "object",
        "properties": {"email": {"type": "string"}},
        "required": ["email"],
    }


async def test_webhook_test_keeps_the_last_sample(tk: Talkturo) -> None:
    """A sent webhook test becomes the sample get_webhook_test returns."""
    flow = await tk.flows.create("a")
    assert flow.id
    before = await tk.flows.get_webhook_test(flow.id)
    assert before.sample is None and before.header == "X-Talkturo-Secret"
    await tk.flows.send_webhook_test(flow.id, {"lead": {"email": "a@b.c"}})
    after = await tk.flows.get_webhook_test(flow.id)
    assert after.sample == {"lead": {"email": "a@b.c"}} and after.received_at is not None


async def test_webhook_test_of_unknown_flow_is_not_found(tk: Talkturo) -> None:
    """Webhook tests of an unknown flow are a 404."""
    with pytest.raises(NotFoundError):
        await tk.flows.send_webhook_test("flow_nope", {})


async def test_list_tools_shows_published_flows_and_connections(tk: Talkturo) -> None:
    """Published flows are tools; a connected provider's connector says so."""
    draft = await tk.flows.create("draft one")
    live = await tk.flows.create("live one")
    assert draft.id and live.id
    await tk.flows.publish(live.id)
    await tk.flows.integrations.connect("hubspot", credentials={"api_key": "hs"})
    tools = await tk.flows.list_tools()
    assert [t["flow_id"] for t in tools.tools or []] == [live.id]
    connected = {c["id"]: c["connected"] for c in tools.connectors or []}
    assert connected["hubspot"] is True and connected["slack"] is False


# --- trigger ---------------------------------------------------------------------------------


async def published(tk: Talkturo, definition: dict[str, Any] = DEFINITION) -> tuple[str, str]:
    """A published flow's id and trigger secret."""
    flow = await tk.flows.create("a", definition=definition)
    assert flow.id
    version = await tk.flows.publish(flow.id)
    assert version.trigger_secret
    return flow.id, version.trigger_secret


async def test_trigger_async_is_accepted_and_recorded(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """A signed async trigger answers 202 with a run id; the live run is listed."""
    flow_id, secret = await published(tk)
    result = await tk.flows.trigger(flow_id, {"email": "a@b.c"}, secret=secret)
    assert result.ok is True and result.run_id
    assert _trigger_requests(spec_fake)[-1].status == 202
    (run,) = await tk.flows.list_runs(flow_id)
    assert (run.id, run.mode, run.version, run.input) == (
        result.run_id,
        "live",
        1,
        {"email": "a@b.c"},
    )


async def test_trigger_sync_returns_the_output(tk: Talkturo) -> None:
    """sync=True waits for the output of the published version."""
    flow_id, secret = await published(tk)
    result = await tk.flows.trigger(
        flow_id, {"email": "a@b.c"}, secret=secret, context={"assistant_id": "as_1"}, sync=True
    )
    assert result.ok is True
    assert result.output == {"lookup": {"status": "found"}, "reply": {"email": "a@b.c"}}


async def test_trigger_sync_failure_is_a_result_and_not_retried(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """A failed sync run (500) comes back as ok=False with the failed node, sent once."""
    flow_id, secret = await published(tk, {"nodes": [SLOW_NODE, FAILING_NODE]})
    result = await tk.flows.trigger(flow_id, {}, secret=secret, sync=True)
    assert (result.ok, result.failed_node, result.error) == (False, "crm", "HubSpot said 401")
    assert result.partial_output == {"lookup": {"status": "found"}}
    assert [r.status for r in _trigger_requests(spec_fake)] == [500]


async def test_trigger_runs_the_published_version_not_the_draft(tk: Talkturo) -> None:
    """Draft edits after publishing do not change what a trigger runs."""
    flow_id, secret = await published(tk)
    await tk.flows.update(flow_id, definition={"nodes": [FAILING_NODE]})
    result = await tk.flows.trigger(flow_id, {"email": "x"}, secret=secret, sync=True)
    assert result.ok is True and result.output and "lookup" in result.output


async def test_trigger_with_a_wrong_secret_is_refused_without_leaking_it(tk: Talkturo) -> None:
    """A signature made with another key is a 400; the error never quotes the secret."""
    flow_id, _ = await published(tk)
    wrong = "tfs_not_the_secret_0123456789"
    with pytest.raises(BadRequestError, match="invalid signature") as info:
        await tk.flows.trigger(flow_id, {"email": "a@b.c"}, secret=wrong)
    assert wrong not in str(info.value) and wrong not in repr(info.value)
    assert wrong not in json.dumps(info.value.body)


async def test_trigger_with_a_superseded_secret_is_refused(tk: Talkturo) -> None:
    """After republishing, only the latest version's secret is accepted."""
    flow_id, old = await published(tk)
    new = (await tk.flows.publish(flow_id)).trigger_secret
    assert new
    with pytest.raises(BadRequestError, match="invalid signature"):
        await tk.flows.trigger(flow_id, {}, secret=old)
    assert (await tk.flows.trigger(flow_id, {}, secret=new)).ok is True


async def test_trigger_refuses_unpublished_archived_and_unknown_flows(tk: Talkturo) -> None:
    """Only a published, unarchived, existing flow can be triggered."""
    draft = await tk.flows.create("a")
    assert draft.id
    with pytest.raises(BadRequestError, match="no published version"):
        await tk.flows.trigger(draft.id, {}, secret="s")
    flow_id, secret = await published(tk)
    await tk.flows.archive(flow_id)
    with pytest.raises(BadRequestError, match="archived"):
        await tk.flows.trigger(flow_id, {}, secret=secret)
    with pytest.raises(NotFoundError):
        await tk.flows.trigger("flow_nope", {}, secret=secret)


async def test_trigger_needs_a_secret(tk: Talkturo, spec_fake: FakeTalkturo) -> None:
    """An empty secret is a ValueError raised before anything is sent."""
    sent = len(spec_fake.requests)
    with pytest.raises(ValueError, match="secret is required"):
        await tk.flows.trigger("flow_1", {}, secret="")
    assert len(spec_fake.requests) == sent


async def test_trigger_secret_and_signature_stay_out_of_debug_logs(
    tk: Talkturo, caplog: pytest.LogCaptureFixture
) -> None:
    """At DEBUG the trigger's signature header is redacted and the secret never appears."""
    flow_id, secret = await published(tk)
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        await tk.flows.trigger(flow_id, {"email": "a@b.c"}, secret=secret)
    body = json.dumps({"params": {"email": "a@b.c"}}, separators=(",", ":")).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert "/trigger" in caplog.text
    assert secret not in caplog.text and signature not in caplog.text


async def _raw_trigger(
    fake: FakeTalkturo, flow_id: str, body: bytes, headers: dict[str, str]
) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{fake.base_url}/flow/{flow_id}/trigger",
            data=body,
            headers={
                "Authorization": f"Bearer {fake.api_key}",
                "Content-Type": "application/json",
                **headers,
            },
        ) as response,
    ):
        return response.status, await response.json()


async def test_fake_verifies_the_signature_over_the_raw_bytes(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """The fake checks the hex HMAC of the exact bytes: re-spaced JSON needs its own signature."""
    flow_id, secret = await published(tk)
    body = b'{ "params" : { "email" : "a@b.c" } }'
    good = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    compact = hmac.new(secret.encode(), b'{"params":{"email":"a@b.c"}}', hashlib.sha256)
    status, answer = await _raw_trigger(spec_fake, flow_id, body, {"X-Talkturo-Secret": good})
    assert status == 202 and answer["ok"] is True
    wrong = {"X-Talkturo-Secret": compact.hexdigest()}
    status, answer = await _raw_trigger(spec_fake, flow_id, body, wrong)
    assert (status, answer["error"]) == (400, "invalid signature")


async def test_fake_requires_the_signature_header_and_params(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """No X-Talkturo-Secret, or a signed body without params, is a 400."""
    flow_id, secret = await published(tk)
    status, answer = await _raw_trigger(spec_fake, flow_id, b'{"params":{}}', {})
    assert (status, answer["error"]) == (400, "X-Talkturo-Secret is required")
    body = b'{"context":{}}'
    signed = {"X-Talkturo-Secret": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
    status, answer = await _raw_trigger(spec_fake, flow_id, body, signed)
    assert (status, answer["error"]) == (400, "params is required")


# --- integrations ----------------------------------------------------------------------------


async def test_connect_keeps_credentials_to_itself(tk: Talkturo) -> None:
    """A connected integration is listed and fetched, never with its credentials."""
    made = await tk.flows.integrations.connect(
        "hubspot", label="Sales HubSpot", credentials={"api_key": "hs_secret_value"}
    )
    assert (made.provider, made.status, made.auth_type) == ("hubspot", "connected", "api_key")
    assert made.id
    fetched = await tk.flows.integrations.get(made.id)
    assert fetched.label == "Sales HubSpot" and "credentials" not in fetched.extra
    assert [i.id for i in await tk.flows.integrations.list()] == [made.id]
    assert "hs_secret_value" not in repr(fetched)


async def test_connect_refuses_bad_providers_and_missing_credentials(tk: Talkturo) -> None:
    """Unknown and OAuth providers, and an API-key provider without credentials, are 400s."""
    with pytest.raises(BadRequestError, match="unknown provider"):
        await tk.flows.integrations.connect("myspace", credentials={"k": "v"})
    with pytest.raises(BadRequestError, match="OAuth"):
        await tk.flows.integrations.connect("slack")
    with pytest.raises(BadRequestError, match="credentials is required"):
        await tk.flows.integrations.connect("hubspot")


async def test_disconnect_by_provider(tk: Talkturo) -> None:
    """Disconnecting a provider counts the integrations it disconnected; a second time is a 404."""
    made = await tk.flows.integrations.connect("openai", credentials={"api_key": "sk"})
    assert made.id
    result = await tk.flows.integrations.disconnect("openai")
    assert (result.disconnected, result.provider) == (1, "openai")
    assert (await tk.flows.integrations.get(made.id)).status == "disconnected"
    with pytest.raises(NotFoundError):
        await tk.flows.integrations.disconnect("openai")


async def test_delete_integration(tk: Talkturo) -> None:
    """A deleted integration is gone; unknown ids are 404s."""
    made = await tk.flows.integrations.connect("http")
    assert made.id
    await tk.flows.integrations.delete(made.id)
    with pytest.raises(NotFoundError):
        await tk.flows.integrations.get(made.id)
    with pytest.raises(NotFoundError):
        await tk.flows.integrations.delete(made.id)


async def test_options_need_a_connected_integration(tk: Talkturo) -> None:
    """A connected integration offers its provider's choices; a pending one is a 400."""
    hubspot = await tk.flows.integrations.connect("hubspot", credentials={"api_key": "x"})
    assert hubspot.id
    (option,) = await tk.flows.integrations.options(hubspot.id)
    assert (option.value, option.group) == ("default", "pipelines")
    pending = await tk.flows.integrations.start_oauth("slack", "Team Slack", "acme")
    assert pending.integration_id
    with pytest.raises(BadRequestError, match="not connected"):
        await tk.flows.integrations.options(pending.integration_id)
    with pytest.raises(NotFoundError):
        await tk.flows.integrations.options("int_nope")


async def test_start_oauth_makes_a_pending_integration(tk: Talkturo) -> None:
    """OAuth start answers the consent URL (with its state) and leaves a pending integration."""
    auth = await tk.flows.integrations.start_oauth("google_sheets", "Leads sheet", "acme")
    assert auth.authorization_url and auth.state and auth.state in auth.authorization_url
    assert auth.integration_id
    pending = await tk.flows.integrations.get(auth.integration_id)
    assert (pending.status, pending.label) == ("pending", "Leads sheet")


async def test_start_oauth_refusals(tk: Talkturo) -> None:
    """Another account is a 403, a non-OAuth provider a 400, an empty label a ValueError."""
    with pytest.raises(PermissionDeniedError):
        await tk.flows.integrations.start_oauth("slack", "x", "someone-else")
    with pytest.raises(BadRequestError, match="does not use OAuth"):
        await tk.flows.integrations.start_oauth("hubspot", "x", "acme")
    with pytest.raises(ValueError, match="label is required"):
        await tk.flows.integrations.start_oauth("slack", "", "acme")


# --- secrets ---------------------------------------------------------------------------------


async def test_secret_values_are_returned_by_get_only_and_never_shown(tk: Talkturo) -> None:
    """create and list omit the value; get returns it, and no repr shows it."""
    made = await tk.flows.secrets.create("STRIPE_KEY", "sk_live_very_secret")
    assert made.id and made.value is None and made.provider == "talkturo"
    listed = await tk.flows.secrets.list()
    assert [s.name for s in listed] == ["STRIPE_KEY"] and listed[0].value is None
    fetched = await tk.flows.secrets.get(made.id)
    assert fetched.value == "sk_live_very_secret"
    assert "sk_live_very_secret" not in repr(fetched)


async def test_secret_names_are_unique(tk: Talkturo) -> None:
    """A second secret with a taken name is a 409."""
    await tk.flows.secrets.create("TOKEN", "a")
    with pytest.raises(ConflictError):
        await tk.flows.secrets.create("TOKEN", "b")


async def test_secret_providers(tk: Talkturo) -> None:
    """Providers are listed with one default; an unknown provider is a 400."""
    providers = await tk.flows.secrets.list_providers()
    assert [p.id for p in providers if p.default] == ["talkturo"]
    made = await tk.flows.secrets.create("AWS", "v", provider="aws_secrets_manager")
    assert made.provider == "aws_secrets_manager"
    with pytest.raises(BadRequestError, match="unknown secret provider"):
        await tk.flows.secrets.create("X", "v", provider="vault9000")


async def test_delete_secret_by_name_and_by_id(tk: Talkturo) -> None:
    """Secrets are deleted by name or by id; unknown ones are 404s."""
    by_name = await tk.flows.secrets.create("A", "1")
    by_id = await tk.flows.secrets.create("B", "2")
    assert by_name.id and by_id.id
    await tk.flows.secrets.delete_by_name("A")
    await tk.flows.secrets.delete(by_id.id)
    assert await tk.flows.secrets.list() == []
    with pytest.raises(NotFoundError):
        await tk.flows.secrets.get(by_name.id)
    with pytest.raises(NotFoundError):
        await tk.flows.secrets.delete_by_name("A")
    with pytest.raises(NotFoundError):
        await tk.flows.secrets.delete(by_id.id)


async def test_secret_arguments_are_checked_without_quoting_the_value(tk: Talkturo) -> None:
    """Empty name or value is a ValueError that names the argument only."""
    with pytest.raises(ValueError, match="value is required"):
        await tk.flows.secrets.create("NAME", "")
    with pytest.raises(ValueError, match="name is required") as info:
        await tk.flows.secrets.create("", "hunter2")
    assert "hunter2" not in str(info.value)


async def test_secret_value_stays_out_of_debug_logs(
    tk: Talkturo, caplog: pytest.LogCaptureFixture
) -> None:
    """At DEBUG the body that carries a secret's value is redacted as a whole."""
    with caplog.at_level(logging.DEBUG, logger="talkturo_async"):
        await tk.flows.secrets.create("DB_PASSWORD", "correct-horse-battery")
    assert "/flow/secrets" in caplog.text
    assert "correct-horse-battery" not in caplog.text


async def test_trigger_signs_the_exact_bytes_it_sends(mock_client: MockClient) -> None:
    """X-Talkturo-Secret is the hex HMAC-SHA256 of the very body bytes on the wire."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response.from_json(202, {"ok": True, "run_id": "run_1"})

    client, _ = mock_client(handler)
    async with client:
        result = await client.flows.trigger(
            "flow_1", {"name": "Zoë", "n": 1}, secret="k3y", context={"assistant_id": "as_1"}
        )
    assert result.run_id == "run_1"
    (request,) = seen
    assert request.body is not None
    expected = hmac.new(b"k3y", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Talkturo-Secret"] == expected
    assert json.loads(request.body) == {
        "params": {"name": "Zoë", "n": 1},
        "context": {"assistant_id": "as_1"},
    }
    assert "sync" not in str(request.url)


async def test_fake_state_call_seeds_flows_with_created_status_answers(
    tk: Talkturo, spec_fake: FakeTalkturo
) -> None:
    """fake.state.call runs a 201 rule and returns its body, and the client then sees the flow."""
    made = spec_fake.state.call("POST", "/flow", body={"name": "Seeded"})
    assert made["status"] == "draft"
    assert (await tk.flows.get(made["id"])).name == "Seeded"
