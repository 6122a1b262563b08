"""FakeTalkturo's rules for TurboFlow flows: drafts, published versions, runs and signed triggers.

A flow's ``definition`` is ``{"nodes": [{"id", "type", ...}], "edges": [...], "inputs": [...]}``.
Running a flow runs its nodes in order: a node's output is its ``output`` setting (else the run's
``params``); a node with a ``fail`` setting fails the run there with that message. ``inputs``
(parameter names) become the flow's tool schema. Publishing snapshots the draft as version
1, 2, ... with a new ``trigger_secret``; ``POST /flow/{id}/trigger`` runs the latest version when
``X-Talkturo-Secret`` is the hex HMAC-SHA256 of the raw body keyed with that secret (400 otherwise).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from .._routing import Answer, Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import bool_param, is_list, is_object, required
from .flow_integrations import CONNECTORS

_FLOW_VIEW = (
    "id",
    "name",
    "description",
    "status",
    "definition",
    "version",
    "has_unpublished_changes",
    "created_at",
    "updated_at",
    "published_at",
    "archived_at",
)
_EDITABLE = ("name", "description", "definition")
SIGNATURE_HEADER = "X-Talkturo-Secret"


def _view(flow: JSON) -> JSON:
    return {k: flow[k] for k in _FLOW_VIEW}


def _find(store: Store, flow_id: str) -> JSON:
    return store.get_or_404(store.flows, flow_id, "Flow")


def _check_fields(body: JSON) -> None:
    """400 for a non-string name/description or a malformed definition."""
    for name in ("name", "description"):
        if name in body and not isinstance(body[name], str):
            raise FakeHTTPError(400, f"{name} must be a string")
    if "definition" not in body:
        return
    definition = body["definition"]
    nodes = definition.get("nodes", []) if is_object(definition) else None
    if not is_list(nodes):
        raise FakeHTTPError(400, "definition must be an object with a nodes array")
    ids = [n.get("id") if is_object(n) else None for n in nodes]
    if not all(isinstance(i, str) and i for i in ids) or len(set(ids)) != len(ids):
        raise FakeHTTPError(400, "every node needs a unique string id")


def _not_archived(flow: JSON) -> None:
    if flow["status"] == "archived":
        raise FakeHTTPError(400, "the flow is archived")


def _execute(definition: JSON | None, params: JSON) -> tuple[JSON, str | None, str | None]:
    """Run the nodes in order: (outputs by node id, error, the failed node's id)."""
    outputs: JSON = {}
    for node in (definition or {}).get("nodes", []):
        if node.get("fail"):
            return outputs, str(node["fail"]), node["id"]
        outputs[node["id"]] = node.get("output", params)
    return outputs, None, None


def _run(store: Store, flow: JSON, mode: str, version: int | None, body: JSON) -> JSON:
    """Execute ``definition`` on the body's ``params`` and record the run."""
    params: object = body.get("params") or {}
    context = body.get("context")
    if not is_object(params) or not isinstance(context, (dict, type(None))):
        raise FakeHTTPError(400, "params and context must be objects")
    definition = flow["definition"]
    if version is not None:
        definition = store.flow_versions[flow["id"]][version - 1]["definition"]
    started = now_iso()
    outputs, error, failed_node = _execute(definition, params)
    run: JSON = {
        "id": store.new_id("run"),
        "flow_id": flow["id"],
        "version": version,
        "mode": mode,
        "status": "failed" if error else "succeeded",
        "input": params,
        "context": context,
        "output": outputs,
        "error": error,
        "failed_node": failed_node,
        "started_at": started,
        "finished_at": now_iso(),
    }
    store.flow_runs.setdefault(flow["id"], []).append(run)
    return run


def list_flows(store: Store, call: Call) -> JSON:
    """Every flow, oldest first."""
    return {"flows": [_view(f) for f in store.flows.values()]}


def create_flow(store: Store, call: Call) -> Answer:
    """A new draft (201, bare); an unnamed flow is called ``Untitled flow``."""
    body = call.body
    _check_fields(body)
    ts = now_iso()
    flow: JSON = {
        "id": store.new_id("flow"),
        "name": body.get("name") or "Untitled flow",
        "description": body.get("description"),
        "status": "draft",
        "definition": body.get("definition") or {"nodes": [], "edges": []},
        "version": None,
        "has_unpublished_changes": True,
        "created_at": ts,
        "updated_at": ts,
        "published_at": None,
        "archived_at": None,
        "webhook_sample": None,
        "webhook_received_at": None,
    }
    store.flows[flow["id"]] = flow
    return Answer(201, _view(flow))


def manifest(store: Store, call: Call) -> JSON:
    """The connectors and their actions."""
    return {"version": "1", "connectors": list(CONNECTORS)}


def get_flow(store: Store, call: Call) -> JSON:
    """One flow (bare), archived ones included."""
    return _view(_find(store, call.id))


def update_flow(store: Store, call: Call) -> JSON:
    """Change the draft; a published flow then has unpublished changes. 400 when archived."""
    flow = _find(store, call.id)
    changes = {k: v for k, v in call.body.items() if k in _EDITABLE}
    if not changes:
        raise FakeHTTPError(400, "at least one of name, description, definition is required")
    _check_fields(changes)
    _not_archived(flow)
    flow.update(changes, has_unpublished_changes=True, updated_at=now_iso())
    return {"success": True, "flow": _view(flow)}


def archive_flow(store: Store, call: Call) -> JSON:
    """Archive (idempotent): the flow stays readable, its runs kept, its trigger refused."""
    flow = _find(store, call.id)
    if flow["status"] != "archived":
        ts = now_iso()
        flow.update(status="archived", archived_at=ts, updated_at=ts)
    return {"success": True, "flow": _view(flow)}


def publish_flow(store: Store, call: Call) -> JSON:
    """Snapshot the draft as the next version with a new trigger secret."""
    flow = _find(store, call.id)
    _not_archived(flow)
    versions = store.flow_versions.setdefault(flow["id"], [])
    ts = now_iso()
    version = {
        "id": store.new_id("flowver"),
        "flow_id": flow["id"],
        "version": len(versions) + 1,
        "definition": flow["definition"],
        "trigger_secret": f"tfs_{store.rng.getrandbits(192):048x}",
        "trigger_url": f"/api/flow/{flow['id']}/trigger",
        "published_at": ts,
    }
    versions.append(version)
    flow.update(
        status="published",
        version=version["version"],
        has_unpublished_changes=False,
        published_at=ts,
        updated_at=ts,
    )
    answer = {k: v for k, v in version.items() if k != "definition"}
    return {"success": True, "version": answer, "flow": _view(flow)}


def list_runs(store: Store, call: Call) -> JSON:
    """The flow's runs, newest first."""
    _find(store, call.id)
    runs = list(reversed(store.flow_runs.get(call.id, [])))
    return {"runs": runs, "count": len(runs)}


def run_draft(store: Store, call: Call) -> JSON:
    """Run the draft in test mode."""
    flow = _find(store, call.id)
    return {"success": True, "run": _run(store, flow, "test", None, call.body)}


def run_draft_node(store: Store, call: Call) -> JSON:
    """Run one node of the draft; 404 for a node the draft does not have."""
    flow = _find(store, call.id)
    body = call.body
    required(body, "node_id")
    node_input: object = body.get("input") or {}
    if not is_object(node_input):
        raise FakeHTTPError(400, "input must be an object")
    node = next((n for n in flow["definition"]["nodes"] if n["id"] == body["node_id"]), None)
    if node is None:
        raise FakeHTTPError(404, "Node not found")
    if node.get("fail"):
        return {"ok": False, "node_id": node["id"], "error": str(node["fail"])}
    return {"ok": True, "node_id": node["id"], "output": node.get("output", node_input)}


def tool_schema(store: Store, call: Call) -> JSON:
    """The flow as an assistant tool; its ``inputs`` become required string parameters."""
    return _tool(_find(store, call.id))


def _tool(flow: JSON) -> JSON:
    inputs = [i for i in flow["definition"].get("inputs", []) if isinstance(i, str)]
    return {
        "type": "function",
        "name": re.sub(r"[^a-z0-9]+", "_", flow["name"].lower()).strip("_") or flow["id"],
        "description": flow["description"] or "",
        "parameters": {
            "type": "object",
            "properties": {name: {"type": "string"} for name in inputs},
            "required": inputs,
        },
    }


def trigger_flow(store: Store, call: Call) -> Answer:
    """Run the latest published version once the body's signature checks out.

    400 for an unpublished or archived flow, a missing or wrong signature, or missing ``params``;
    ``?sync=true`` answers 200 with the output, or 500 with the failure; otherwise 202.
    """
    flow = _find(store, call.id)
    _not_archived(flow)
    versions = store.flow_versions.get(flow["id"])
    if not versions:
        raise FakeHTTPError(400, "the flow has no published version")
    sync = bool_param(call.query, "sync")
    _verify_signature(call, versions[-1]["trigger_secret"])
    if not is_object(call.body.get("params")):
        raise FakeHTTPError(400, "params is required")
    run = _run(store, flow, "live", versions[-1]["version"], call.body)
    if not sync:
        return Answer(202, {"ok": True, "run_id": run["id"]})
    if run["error"]:
        failure: dict[str, Any] = {
            "ok": False,
            "run_id": run["id"],
            "error": run["error"],
            "failed_node": run["failed_node"],
            "partial_output": run["output"],
        }
        return Answer(500, failure)
    return Answer(200, {"ok": True, "run_id": run["id"], "output": run["output"]})


def _verify_signature(call: Call, secret: str) -> None:
    given = call.headers.get(SIGNATURE_HEADER)
    if not given:
        raise FakeHTTPError(400, f"{SIGNATURE_HEADER} is required")
    expected = hmac.new(secret.encode(), call.raw_body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(given.strip().lower(), expected):
        raise FakeHTTPError(400, "invalid signature")


def _webhook_test(flow: JSON) -> JSON:
    return {
        "url": f"/api/flow/{flow['id']}/trigger",
        "method": "POST",
        "header": SIGNATURE_HEADER,
        "sample": flow["webhook_sample"],
        "received_at": flow["webhook_received_at"],
    }


def get_webhook_test(store: Store, call: Call) -> JSON:
    """Where the flow listens, and the last sample it received."""
    return _webhook_test(_find(store, call.id))


def send_webhook_test(store: Store, call: Call) -> JSON:
    """Keep the body's ``payload`` as the flow's sample."""
    flow = _find(store, call.id)
    payload = call.body.get("payload", {})
    if not is_object(payload):
        raise FakeHTTPError(400, "payload must be an object")
    flow.update(webhook_sample=payload, webhook_received_at=now_iso())
    return _webhook_test(flow)


def list_tools(store: Store, call: Call) -> JSON:
    """Published flows as tools, and the connectors with whether one is connected."""
    connected = {
        i["provider"] for i in store.flow_integrations.values() if i["status"] == "connected"
    }
    tools = [
        {**_tool(f), "flow_id": f["id"]} for f in store.flows.values() if f["status"] == "published"
    ]
    connectors = [{**c, "connected": c["id"] in connected} for c in CONNECTORS]
    return {"tools": tools, "connectors": connectors}
