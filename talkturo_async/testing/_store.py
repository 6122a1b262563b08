"""FakeTalkturo's store: the records, the shared helpers and the rules every group uses.

No HTTP here. Records are stored in their response (snake_case) form. The rules of each API group
build on :class:`StateBase` in their own module; ``_state.FakeState`` puts them together.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

JSON = dict[str, Any]

ACTIVE_ROW_STATUSES = frozenset({"pending", "queued", "calling"})


class FakeHTTPError(Exception):
    """An error answer: ``{"success": false, "error": message, **extra}`` with ``status``."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"success": False, "error": message, **extra}


def required(body: Mapping[str, Any], *names: str) -> None:
    """400 ``<name> is required`` for the first missing or empty field."""
    for name in names:
        value = body.get(name)
        if value is None or value == "" or value == []:
            raise FakeHTTPError(400, f"{name} is required")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def paginate(
    records: list[JSON],
    query: Mapping[str, str],
    key: str,
    max_limit: int,
    view: Callable[[JSON], JSON] | None = None,
) -> JSON:
    """The contract's list answer: ``key`` array plus ``count`` (total), ``limit``, ``offset``.

    ``view`` (the response form of a record) is applied to the page slice only, so a page costs
    O(limit) beyond the filtering, not O(matches).
    """
    limit = int_param(query, "limit", 50)
    offset = int_param(query, "offset", 0)
    if limit < 1:
        raise FakeHTTPError(400, "limit must be at least 1")
    limit = min(limit, max_limit)
    page = records[offset : offset + limit]
    return {
        "success": True,
        key: [view(r) for r in page] if view is not None else page,
        "count": len(records),
        "limit": limit,
        "offset": offset,
    }


def int_param(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise FakeHTTPError(400, f"{name} must be an integer") from None
    if value < 0:
        raise FakeHTTPError(400, f"{name} must not be negative")
    return value


def bool_param(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise FakeHTTPError(400, f"{name} must be true or false")
    return raw == "true"


def rename_fields(body: Mapping[str, Any], fields: Mapping[str, str]) -> JSON:
    return {fields[k]: v for k, v in body.items() if k in fields}


class StateBase:
    """The records of one fake account, and the helpers every group's rules share."""

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
        self.rng = random.Random(seed)
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
        self._counters: dict[str, int] = {}
        self._activate_at: dict[str, float] = {}
        self.on_call: Callable[[JSON, JSON, JSON], None] | None = None

    def new_id(self, prefix: str) -> str:
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{prefix}_{n:06d}"

    def _team(self, team_id: Any) -> None:
        if team_id != self.team_id:
            raise FakeHTTPError(403, "this key may not access that team")

    def _get(self, table: dict[str, JSON], rid: str, what: str) -> JSON:
        record = table.get(rid)
        if record is None or record.get("deleted_at"):
            raise FakeHTTPError(404, f"{what} not found")
        return record

    def test_api_key(self) -> JSON:
        return {"success": True, "message": "Authentication succeeded"}

    @staticmethod
    def _ordered(rows: list[JSON]) -> list[JSON]:
        return sorted(
            rows, key=lambda r: -r["priority"]
        )  # stable: insertion order within a priority

    def _enrol(self, campaign: JSON, contact: JSON, priority: int) -> JSON:
        row = {
            "id": self.new_id("cc"),
            "contact_id": contact["id"],
            "status": "pending",
            "priority": priority,
            "attempts": 0,
            "outcome": None,
            "disposition": None,
            "last_attempt_at": None,
            "next_attempt_at": None,
        }
        self.campaign_contacts[campaign["id"]].append(row)
        return row

    def _row_view(self, row: JSON) -> JSON:
        contact = self.contacts.get(row["contact_id"])
        company = self.companies.get(contact["company_id"]) if contact else None
        view = {k: v for k, v in row.items() if k != "contact_id"}
        view["contact"] = (
            {
                k: contact[k]
                for k in ("id", "first_name", "last_name", "phone", "email", "company_id")
            }
            if contact
            else {"id": row["contact_id"]}
        )
        view["company"] = {"id": company["id"], "name": company["name"]} if company else None
        return view
