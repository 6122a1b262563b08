"""FakeTalkturo's records: one account's data, its ids, and the checks every API group shares.

No HTTP and no per-group rules here. Records are kept in their response (snake_case) form; the
rules of each API group (``_rules/``) read and change them through the one :class:`Store`.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

JSON = dict[str, Any]


def now_iso() -> str:
    """The current UTC time as the API writes it: ``2026-01-31T12:00:00.000Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeHTTPError(Exception):
    """An error answer: ``{"success": false, "error": message, **extra}`` with ``status``.

    Args:
        status: the HTTP status of the answer.
        message: the ``error`` text.
        **extra: further fields of the answer body (``balance=``, ``issues=``).
    """

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"success": False, "error": message, **extra}


class Store:
    """The records of one fake account and its settings; every API group's rules share it."""

    # Over 60 lines by design: one attribute per setting and per record table, declared together.
    def __init__(
        self,
        *,
        seed: int,
        team_id: str,
        account_id: str,
        account_slug: str,
        credits: float,
        number_price: str,
        max_page_size: int,
        max_import_rows: int,
        activation_delay: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rng: random.Random = random.Random(seed)
        self.seed = seed
        self.team_id = team_id
        self.account_id = account_id
        self.account_slug = account_slug
        self.credits = credits
        self.number_price = number_price
        self.max_page_size = max_page_size
        self.max_import_rows = max_import_rows
        self.activation_delay = activation_delay
        self.clock = clock
        self.contacts: dict[str, JSON] = {}
        self.companies: dict[str, JSON] = {}
        self.campaigns: dict[str, JSON] = {}
        self.assistants: dict[str, JSON] = {}
        self.phone_numbers: dict[str, JSON] = {}
        self.campaign_contacts: dict[str, list[JSON]] = {}
        self.calls: list[JSON] = []
        # TurboFlow: flows, their published versions and runs by flow id, integrations, secrets
        self.flows: dict[str, JSON] = {}
        self.flow_versions: dict[str, list[JSON]] = {}
        self.flow_runs: dict[str, list[JSON]] = {}
        self.flow_integrations: dict[str, JSON] = {}
        self.flow_secrets: dict[str, JSON] = {}
        self.opportunities: dict[str, JSON] = {}
        self.custom_fields: dict[str, JSON] = {}
        # number id -> clock() time at which a purchased number turns active
        self.number_activation_due: dict[str, float] = {}
        # called with (campaign, contact, call) for every call a campaign run places
        self.on_call: Callable[[JSON, JSON, JSON], None] | None = None
        # telephony: assistant id -> its settings beyond the assistant record (voicemail,
        # compliance, carrier connection, SIP trunks); test calls and test webhook deliveries
        self.telephony: dict[str, JSON] = {}
        self.test_calls: list[JSON] = []
        self.webhook_tests: list[JSON] = []
        # credits, billing, API keys and knowledge base
        self.credit_transactions: list[JSON] = []  # newest last
        self.credit_grants: list[JSON] = []  # pending: {"credits", "reason"}
        self.credits_purchased = credits  # the starting balance counts as bought
        self.auto_reload: JSON = {
            "auto_reload_enabled": False,
            "auto_reload_threshold": 10.0,
            "auto_reload_amount_usd": 99.0,
        }
        self.checkouts: dict[str, JSON] = {}
        self.invoices: list[JSON] = []  # newest last
        self.api_keys: dict[str, JSON] = {}
        self.api_key_hashes: dict[str, str] = {}  # sha256 of a full key -> its record id
        self.kb_files: dict[str, JSON] = {}  # each with its "assistant_id"
        self.user_id: str = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"user/{account_id}")
        )  # the JWT's user
        self._counters: dict[str, int] = {}

    def new_id(self, prefix: str) -> str:
        """The next id with ``prefix`` (``ct_000001``, ``ct_000002``, ...)."""
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{prefix}_{n:06d}"

    def new_uuid(self) -> str:
        """A random (seeded) UUID4, as the API uses for accounts, keys and files."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def use_api_key(self, token: str) -> tuple[str, ...] | None:
        """The scopes of an active, unexpired key created through ``POST /api-keys``, else ``None``.

        Stamps the key's ``last_used_at``.
        """
        record = self.api_keys.get(self.api_key_hashes.get(key_hash(token), ""))
        if record is None or not record["is_active"]:
            return None
        if record["expires_at"] is not None and record["expires_at"] <= now_iso():
            return None
        record["last_used_at"] = now_iso()
        return tuple(record["permissions"]["scopes"])

    def check_team_access(self, team_id: Any) -> None:
        """403 unless ``team_id`` is this account's team."""
        if team_id != self.team_id:
            raise FakeHTTPError(403, "this key may not access that team")

    def check_account_slug(self, slug: Any) -> None:
        """403 if an account slug was given (not ``None``) and is not this account's."""
        if slug is not None and slug != self.account_slug:
            raise FakeHTTPError(403, "this key may not access that account")

    @staticmethod
    def get_or_404(table: dict[str, JSON], record_id: str, what: str) -> JSON:
        """The record ``record_id`` of ``table``; 404 ``<what> not found`` if missing or deleted."""
        record = table.get(record_id)
        if record is None or record.get("deleted_at"):
            raise FakeHTTPError(404, f"{what} not found")
        return record


def key_hash(text: str) -> str:
    """The SHA-256 (hex) a key is stored as: the plaintext is never kept."""
    return hashlib.sha256(text.encode()).hexdigest()
