"""FakeTalkturo's rules for TurboFlow integrations and secrets.

Integrations connect a provider of :data:`CONNECTORS`: ``api_key`` providers with credentials
(``POST /flow/integrations``), ``oauth`` providers through ``oauth/authorize`` (a ``pending``
integration). Credentials and secret values are stored but never listed; a secret's ``value`` is
returned by ``GET /flow/secrets/{id}`` only.
"""

from __future__ import annotations

from typing import Any

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import is_object, required

CONNECTORS: tuple[JSON, ...] = (
    {"id": "http", "name": "HTTP request", "auth": "none", "actions": ["request"]},
    {"id": "slack", "name": "Slack", "auth": "oauth", "actions": ["send_message"]},
    {"id": "google_sheets", "name": "Google Sheets", "auth": "oauth", "actions": ["append_row"]},
    {"id": "hubspot", "name": "HubSpot", "auth": "api_key", "actions": ["create_contact"]},
    {"id": "openai", "name": "OpenAI", "auth": "api_key", "actions": ["complete"]},
)
_CONNECTORS = {c["id"]: c for c in CONNECTORS}

# what ``GET /flow/integrations/{id}/options`` offers per provider
OPTIONS: dict[str, list[JSON]] = {
    "slack": [
        {"value": "C001", "label": "#general", "group": "channels"},
        {"value": "C002", "label": "#sales", "group": "channels"},
    ],
    "hubspot": [
        {"value": "default", "label": "Sales pipeline", "group": "pipelines"},
    ],
    "google_sheets": [
        {"value": "sheet_1", "label": "Leads", "group": "spreadsheets"},
    ],
}

SECRET_PROVIDERS: tuple[JSON, ...] = (
    {"id": "talkturo", "name": "Talkturo vault", "default": True},
    {"id": "aws_secrets_manager", "name": "AWS Secrets Manager", "default": False},
)

_INTEGRATION_VIEW = (
    "id",
    "provider",
    "label",
    "status",
    "auth_type",
    "account_slug",
    "connected_at",
    "disconnected_at",
    "created_at",
)
_SECRET_VIEW = ("id", "name", "provider", "created_at", "updated_at")


def integration_view(record: JSON) -> JSON:
    """An integration as answered: never its credentials."""
    return {k: record[k] for k in _INTEGRATION_VIEW}


def _connector(provider: Any) -> JSON:
    if not isinstance(provider, str) or provider not in _CONNECTORS:
        raise FakeHTTPError(400, "unknown provider")
    return _CONNECTORS[provider]


def _find_integration(store: Store, integration_id: str) -> JSON:
    return store.get_or_404(store.flow_integrations, integration_id, "Integration")


def _new_integration(store: Store, provider: str, label: Any, status: str) -> JSON:
    connector = _CONNECTORS[provider]
    ts = now_iso()
    record: JSON = {
        "id": store.new_id("int"),
        "provider": provider,
        "label": label if isinstance(label, str) and label else connector["name"],
        "status": status,
        "auth_type": connector["auth"],
        "account_slug": store.account_slug,
        "connected_at": ts if status == "connected" else None,
        "disconnected_at": None,
        "created_at": ts,
        "credentials": None,
    }
    store.flow_integrations[record["id"]] = record
    return record


def list_integrations(store: Store, call: Call) -> JSON:
    """Every integration, oldest first."""
    return {"integrations": [integration_view(i) for i in store.flow_integrations.values()]}


def connect_integration(store: Store, call: Call) -> JSON:
    """Connect a non-OAuth provider; ``api_key`` providers need a non-empty ``credentials``."""
    body = call.body
    required(body, "provider")
    store.check_account_slug(body.get("account_slug"))
    connector = _connector(body["provider"])
    if connector["auth"] == "oauth":
        raise FakeHTTPError(400, "this provider connects through OAuth (oauth/authorize)")
    credentials = body.get("credentials")
    if connector["auth"] == "api_key" and not (is_object(credentials) and credentials):
        raise FakeHTTPError(400, "credentials is required")
    record = _new_integration(store, connector["id"], body.get("label"), "connected")
    record["credentials"] = credentials
    return {"success": True, "integration": integration_view(record)}


def disconnect_integration(store: Store, call: Call) -> JSON:
    """Disconnect every connected integration of ``?provider=``; 404 if there is none."""
    provider = call.query.get("provider")
    required({"provider": provider}, "provider")
    connected = [
        i
        for i in store.flow_integrations.values()
        if i["provider"] == provider and i["status"] == "connected"
    ]
    if not connected:
        raise FakeHTTPError(404, "no connected integration for this provider")
    ts = now_iso()
    for record in connected:
        record.update(status="disconnected", disconnected_at=ts, credentials=None)
    return {"success": True, "disconnected": len(connected), "provider": provider}


def get_integration(store: Store, call: Call) -> JSON:
    """One integration."""
    return {"integration": integration_view(_find_integration(store, call.id))}


def delete_integration(store: Store, call: Call) -> JSON:
    """Remove an integration and its credentials."""
    _find_integration(store, call.id)
    del store.flow_integrations[call.id]
    return {"success": True, "deleted": True, "id": call.id}


def integration_options(store: Store, call: Call) -> JSON:
    """The provider's choices; 400 unless the integration is connected."""
    record = _find_integration(store, call.id)
    if record["status"] != "connected":
        raise FakeHTTPError(400, "integration is not connected")
    return {"options": OPTIONS.get(record["provider"], [])}


def start_oauth(store: Store, call: Call) -> JSON:
    """A ``pending`` integration and the provider's consent URL carrying a fresh state."""
    body = call.body
    required(body, "provider", "label", "account_slug")
    store.check_account_slug(body["account_slug"])
    connector = _connector(body["provider"])
    if connector["auth"] != "oauth":
        raise FakeHTTPError(400, "this provider does not use OAuth")
    record = _new_integration(store, connector["id"], body["label"], "pending")
    state = f"{store.rng.getrandbits(128):032x}"
    return {
        "authorization_url": f"https://oauth.example.com/{connector['id']}/authorize?state={state}",
        "integration_id": record["id"],
        "provider": connector["id"],
        "state": state,
    }


def _secret_view(record: JSON) -> JSON:
    return {k: record[k] for k in _SECRET_VIEW}


def _find_secret(store: Store, secret_id: str) -> JSON:
    return store.get_or_404(store.flow_secrets, secret_id, "Secret")


def list_secrets(store: Store, call: Call) -> JSON:
    """Every secret, without values."""
    return {"secrets": [_secret_view(s) for s in store.flow_secrets.values()]}


def create_secret(store: Store, call: Call) -> JSON:
    """Store a secret; 400 for a missing name/value or unknown provider, 409 for a taken name."""
    body = call.body
    required(body, "name", "value")
    if not isinstance(body["name"], str) or not isinstance(body["value"], str):
        raise FakeHTTPError(400, "name and value must be strings")
    provider = body.get("provider") or next(p["id"] for p in SECRET_PROVIDERS if p["default"])
    if provider not in {p["id"] for p in SECRET_PROVIDERS}:
        raise FakeHTTPError(400, "unknown secret provider")
    if any(s["name"] == body["name"] for s in store.flow_secrets.values()):
        raise FakeHTTPError(409, "a secret with this name already exists")
    ts = now_iso()
    record = {
        "id": store.new_id("sec"),
        "name": body["name"],
        "provider": provider,
        "value": body["value"],
        "created_at": ts,
        "updated_at": ts,
    }
    store.flow_secrets[record["id"]] = record
    return {"success": True, "secret": _secret_view(record)}


def delete_secret_by_name(store: Store, call: Call) -> JSON:
    """Delete the secret named by ``?name=``."""
    name = call.query.get("name")
    required({"name": name}, "name")
    for secret_id, record in store.flow_secrets.items():
        if record["name"] == name:
            del store.flow_secrets[secret_id]
            return {"success": True, "deleted": True, "id": secret_id}
    raise FakeHTTPError(404, "Secret not found")


def get_secret(store: Store, call: Call) -> JSON:
    """One secret with its value."""
    record = _find_secret(store, call.id)
    return {"secret": {**_secret_view(record), "value": record["value"]}}


def delete_secret(store: Store, call: Call) -> JSON:
    """Delete a secret by id."""
    _find_secret(store, call.id)
    del store.flow_secrets[call.id]
    return {"success": True, "deleted": True, "id": call.id}


def list_secret_providers(store: Store, call: Call) -> JSON:
    """The secret stores."""
    return {"providers": list(SECRET_PROVIDERS)}
