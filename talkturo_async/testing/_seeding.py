"""Seed data for a fake: records by kind, from a mapping, a JSON file or a CSV of contacts.

The format (every key optional)::

    {
      "credits": 50,
      "companies":     [{"name": "Acme"}],
      "assistants":    [{"name": "Setter"}],
      "phone_numbers": [{"phoneNumber": "+14155550100"}],
      "contacts":      [{"first_name": "Ada", "last_name": "L", "phone": "+14155550101"}],
      "campaigns":     [{"name": "Q1", "assistantId": "asst_000001", "companyId": "comp_000001"}],
      "requests":      [{"method": "POST", "path": "/crm/companies", "body": {"teamId": "...", "name": "X"}}]
    }

Companies, assistants, phone numbers and campaigns are the request bodies of their ``POST`` route
(``teamId`` / ``accountSlug`` default to the fake's own); contacts are snake_case rows as
``FakeTalkturo.add_contacts`` takes them, and a row without ``company_id`` belongs to the first
company seeded (one named "Seed company" is made if there is none). ``requests`` runs any route's
rule, for API groups without a shortcut. Kinds are applied in the order above.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard, cast

from ._state import FakeState
from ._store import JSON

KINDS = ("companies", "assistants", "phone_numbers", "contacts", "campaigns", "requests")


def load_seed_file(path: str | Path) -> dict[str, Any]:
    """Read seed data: a ``.csv`` file is contact rows, anything else is JSON in the format above.

    Raises:
        ValueError: the file is not valid JSON, not a JSON object, or a CSV without rows.
        OSError: the file cannot be read.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows = [
            {k: v for k, v in row.items() if k and v not in (None, "")}
            for row in csv.DictReader(text.splitlines())
        ]
        if not rows:
            raise ValueError(f"{path}: no rows")
        return {"contacts": rows}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the seed data must be a JSON object")
    return cast("dict[str, Any]", data)


def apply_seed(state: FakeState, data: Mapping[str, Any]) -> dict[str, list[JSON]]:
    """Store ``data`` (the format above) through the fake's rules; returns the records by kind.

    Raises:
        ValueError: an unknown kind, a kind that is not a list, or a record the rules refuse
            (the kind and index are named).
    """
    unknown = set(data) - {*KINDS, "credits"}
    if unknown:
        raise ValueError(f"unknown seed kinds: {', '.join(sorted(unknown))}")
    store = state.store
    if "credits" in data:
        store.credits = float(data["credits"])
    created: dict[str, list[JSON]] = {}
    for kind in KINDS:
        items: object = data.get(kind) or []
        if not _is_list(items):
            raise ValueError(f"{kind} must be a list")
        if kind == "contacts" and items:
            created[kind] = state.add_contacts(_with_company(state, created, items))
            continue
        for index, item in enumerate(items):
            try:
                created.setdefault(kind, []).append(_create(state, kind, dict(item)))
            except Exception as exc:  # FakeHTTPError or a malformed item
                raise ValueError(f"{kind}[{index}]: {_message(exc)}") from None
    return created


def _create(state: FakeState, kind: str, body: JSON) -> JSON:
    store = state.store
    if kind == "requests":
        return state.call(
            str(body["method"]).upper(),
            str(body["path"]),
            query=body.get("query"),
            body=body.get("body"),
        )
    if kind == "assistants":
        body.setdefault("accountSlug", store.account_slug)
        return _record(state.create_assistant(body))
    body.setdefault("teamId", store.team_id)
    if kind == "companies":
        return _record(state.create_company(body))
    if kind == "phone_numbers":
        return _record(state.purchase_number(body))
    return _record(state.create_campaign(body))


def _is_list(value: object) -> TypeGuard[list[Any]]:
    return isinstance(value, list)


def _record(answer: JSON) -> JSON:
    """The record inside a create answer (``{"success": true, "company": {...}}``)."""
    if "id" in answer:
        return answer
    for value in answer.values():
        if isinstance(value, dict) and "id" in value:
            return cast(JSON, value)
    return answer


def _with_company(
    state: FakeState, created: dict[str, list[JSON]], rows: list[Any]
) -> list[dict[str, Any]]:
    """The rows, each with a ``company_id`` (the first seeded company by default)."""
    rows = [dict(row) for row in rows]
    if all(row.get("company_id") for row in rows):
        return rows
    companies = created.get("companies") or list(state.store.companies.values())
    if not companies:
        company = _record(
            state.create_company({"teamId": state.store.team_id, "name": "Seed company"})
        )
        created.setdefault("companies", []).append(company)
        companies = [company]
    for row in rows:
        row.setdefault("company_id", companies[0]["id"])
    return rows


def _message(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and "error" in body:
        return str(cast(JSON, body)["error"])
    return str(exc) or type(exc).__name__
