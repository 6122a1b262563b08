"""``tk.contacts``: CRM contacts (§13.4)."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .._bulk import BulkProgress, BulkRun, ProgressHook, per_item, run_bulk
from .._pagination import AsyncPager
from .._wire import camel, to_wire
from ..models.contacts import Contact, ContactInput, ContactResult, ImportResult
from ._base import Resource, require, segment, update_body


def snake(name: str) -> str:
    """``firstName`` → ``first_name`` (snake_case names pass unchanged)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def import_row(row: Any) -> dict[str, Any]:
    """One import row as camelCase wire fields; ``ValueError`` saying what is wrong with it."""
    if isinstance(row, ContactInput):
        row = attrs.asdict(row)
    if not isinstance(row, Mapping):
        raise ValueError(f"expected a mapping of contact fields, got {type(row).__name__}")
    wire = {camel(k): v for k, v in row.items() if v is not None}
    missing = [snake(n) for n in ("firstName", "lastName") if not wire.get(n)]
    if missing:
        verb = " is" if len(missing) == 1 else " are"
        raise ValueError(" and ".join(missing) + verb + " required")
    return wire


def _server_row_error(error: Any, sent: list[int]) -> dict[str, Any]:
    """A per-row error from the server, its row number mapped from the chunk to the caller's input.

    Object errors with an integer ``row`` (0-based within the request, as the contract's fake
    sends) are mapped; text errors are kept as text with ``row`` ``None``.
    """
    if isinstance(error, dict):
        row = error.get("row", error.get("index"))
        if isinstance(row, int) and 0 <= row < len(sent):
            return {**error, "row": sent[row]}
        return {**error, "row": None}
    return {"row": None, "error": str(error)}


class Contacts(Resource):
    """Create, list, update, delete and import CRM contacts."""

    async def create(
        self,
        team_id: str,
        company_id: str,
        first_name: str,
        last_name: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        phone_secondary: str | None = None,
        job_title: str | None = None,
        lead_status: str | None = None,
        source: str | None = None,
        timezone: str | None = None,
        preferred_contact_method: str | None = None,
        do_not_call: bool | None = None,
        notes: str | None = None,
        custom_fields: dict[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        campaign_id: str | None = None,
        campaign_priority: int | None = None,
    ) -> Contact:
        """Create a contact in a company.

        Args:
            phone, phone_secondary: E.164 (``+14155550187``).
            lead_status: ``new`` (server default), ``contacted``, ``qualified``, ...
            do_not_call: ``True`` keeps the contact out of every campaign.
            campaign_id: also enrol the new contact in this campaign (``campaign_priority``);
                the answer's ``campaign_enrollment`` then says how.

        Raises:
            ValueError: ``team_id``, ``company_id``, ``first_name`` or ``last_name`` missing.
        """
        require(team_id=team_id, company_id=company_id, first_name=first_name, last_name=last_name)
        args = dict(locals())
        del args["self"]
        return await self._client._model(
            "POST",
            "crm/contacts",
            Contact,
            key="contact",
            json=to_wire(args),
            attach=("campaign_enrollment",),
        )

    def list(
        self,
        team_id: str,
        company_id: str | None = None,
        search: str | None = None,
        lead_status: str | None = None,
        do_not_call: bool | None = None,
        has_phone: bool | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[Contact]:
        """Stream a team's contacts.

        Args:
            search: case-insensitive match on name, email and phone.
            do_not_call, has_phone: filter on those flags.
        """
        require(team_id=team_id)
        params = to_wire(
            {
                "team_id": team_id,
                "company_id": company_id,
                "search": search,
                "lead_status": lead_status,
                "do_not_call": do_not_call,
                "has_phone": has_phone,
            }
        )
        return self._client._pager(
            "crm/contacts",
            Contact,
            key="contacts",
            params=params,
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, contact_id: str) -> Contact:
        """Fetch one contact with its company, activities, opportunities and campaign history."""
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        return await self._client._model("GET", path, Contact, key="contact")

    async def update(self, contact_id: str, **fields: Any) -> Contact:
        """Change fields (snake_case or camelCase names; ``None`` clears a field)."""
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        body = update_body(fields, wire_case=True)
        return await self._client._model("PATCH", path, Contact, key="contact", json=body)

    async def delete(self, contact_id: str) -> None:
        """Delete a contact (``BadRequestError`` while it is queued in an active campaign)."""
        await self._client._call("DELETE", f"crm/contacts/{segment('contact_id', contact_id)}")

    async def import_contacts(
        self,
        contacts: Iterable[Mapping[str, Any] | ContactInput],
        team_id: str | None = None,
        *,
        chunk_size: int = 500,
        concurrency: int = 4,
        on_progress: ProgressHook | None = None,
    ) -> ImportResult:
        """Import many contacts through ``POST /api/crm/contacts/import``, in chunks.

        Rows are checked first: a row without a first or last name is reported as failed and not
        sent. The rest go in chunks of ``chunk_size`` rows, ``concurrency`` chunks at a time. A
        chunk that still fails after retries is reported row by row, never dropped.

        Args:
            contacts: mappings of contact fields (snake_case or camelCase) or ``ContactInput``.
            team_id: the team to import into.
            chunk_size: rows per request (the server's limit per request is not documented;
                the fake allows 1000).
            concurrency: chunks in flight at once.
            on_progress: called with a ``BulkProgress`` (counted in rows) after every chunk.

        Returns:
            ``imported`` and ``failed`` over all rows; ``errors`` as ``{"row": i, "error": ...}``
            with ``i`` the row's index in ``contacts``, sorted by row.

        Raises:
            ValueError: no rows at all, or a bad ``chunk_size``.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        rows = list(contacts)
        require(contacts=rows)
        errors: list[dict[str, Any]] = []
        valid: list[tuple[int, dict[str, Any]]] = []
        for index, row in enumerate(rows):
            try:
                valid.append((index, import_row(row)))
            except ValueError as exc:
                errors.append({"row": index, "error": str(exc)})
        failed = len(errors)
        imported = 0
        chunks = [valid[k : k + chunk_size] for k in range(0, len(valid), chunk_size)]

        async def send(chunk: list[tuple[int, dict[str, Any]]]) -> ImportResult:
            body = to_wire({"team_id": team_id, "contacts": [wire for _, wire in chunk]})
            return await self._client._model(
                "POST", "crm/contacts/import", ImportResult, key=None, json=body
            )

        started = time.perf_counter()
        async for outcome in run_bulk(chunks, send, concurrency=concurrency):
            sent = [index for index, _ in outcome.input]
            if outcome.result is None:
                failed += len(sent)
                errors.extend(
                    {"row": i, "error": f"chunk not imported: {outcome.error}"} for i in sent
                )
            else:
                imported += outcome.result.imported or 0
                failed += outcome.result.failed or 0
                errors.extend(_server_row_error(e, sent) for e in outcome.result.errors or [])
            if on_progress is not None:
                on_progress(
                    BulkProgress(
                        done=imported + failed,
                        succeeded=imported,
                        failed=failed,
                        total=len(rows),
                        elapsed=time.perf_counter() - started,
                    )
                )
        errors.sort(key=lambda e: (e["row"] is None, e["row"] or 0))
        return ImportResult(imported=imported, failed=failed, errors=errors)

    def bulk_create(
        self,
        rows: Iterable[Mapping[str, Any] | ContactInput]
        | AsyncIterable[Mapping[str, Any] | ContactInput],
        *,
        concurrency: int = 16,
        on_progress: ProgressHook | None = None,
    ) -> BulkRun[ContactResult]:
        """Create many contacts concurrently, one ``POST /crm/contacts`` per row; nothing is lost.

        Rows are pulled lazily (any iterable or async iterable, e.g. a generator over a huge
        CSV) with at most ``concurrency`` requests in flight. Each row yields a
        :class:`ContactResult` as soon as it finishes, with ``contact`` or ``error``; a row is
        never raised. Rows with unknown keys or missing required fields fail with a
        ``ValueError`` without a request. Every row's POST has its own ``Idempotency-Key``, kept
        across its retries.

        ::

            async for r in tk.contacts.bulk_create(rows, concurrency=16):
                if r.error is not None:
                    print(r.index, r.error)
            report = await tk.contacts.bulk_create(rows).collect()   # or everything at once

        Args:
            rows: dicts with the keyword arguments of ``create`` (snake_case or camelCase keys),
                or ``ContactInput``.
            concurrency: requests in flight at once.
            on_progress: called with a ``BulkProgress`` after every finished row.
        """

        async def create_one(row: Mapping[str, Any] | ContactInput) -> Contact:
            return await self.create(**create_kwargs(row))

        return BulkRun(
            rows,
            per_item(create_one, ContactResult),
            concurrency=concurrency,
            on_progress=on_progress,
        )


# A bulk row's fields are ContactInput's (the same as the keyword arguments of create).
_CREATE_FIELDS = frozenset(f.name for f in attrs.fields(ContactInput))
_REQUIRED_FIELDS = tuple(f.name for f in attrs.fields(ContactInput) if f.default is attrs.NOTHING)


def create_kwargs(row: Any) -> dict[str, Any]:
    """A bulk row as keyword arguments for ``create``; ``ValueError`` naming an unknown key."""
    if isinstance(row, ContactInput):
        return {k: v for k, v in attrs.asdict(row).items() if v is not None}
    if not isinstance(row, Mapping):
        raise ValueError(f"expected a mapping of contact fields, got {type(row).__name__}")
    kwargs = {snake(k): v for k, v in row.items()}
    unknown = sorted(set(kwargs) - _CREATE_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown field {unknown[0]!r} (known: {', '.join(sorted(_CREATE_FIELDS))})"
        )
    for name in _REQUIRED_FIELDS:
        if name not in kwargs:
            raise ValueError(f"{name} is required")
    return kwargs
