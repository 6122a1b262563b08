"""``tk.contacts``: CRM contacts."""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterable, Callable, Coroutine, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._bulk import BulkProgress, BulkRun, ProgressHook, per_item, run_chunked
from .._contact_checks import check_values
from .._contact_rows import ContactInput, ContactResult, contact_row, fields_body
from .._options import RequestOptions
from .._pagination import AsyncPager, Paging
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.contacts import (
    Contact,
    ContactUpdate,
    ImportResult,
    LeadStatus,
    PreferredContactMethod,
)
from ._base import (
    Resource,
    not_blank,
    one_of,
    require,
    segment,
    split_idempotency_key,
    typed_fields,
    wire_fields,
)

if TYPE_CHECKING:
    from .._errors import JSON

    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

CONTACT = Envelope("contact", attach=("campaign_enrollment",))
CONTACTS = Envelope("contacts")


class Contacts(Resource):
    """Create, list, update, delete and import CRM contacts."""

    # Over 60 lines only by its keyword arguments, one per API field, each documented.
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
        lead_status: LeadStatus | None = None,
        source: str | None = None,
        timezone: str | None = None,
        preferred_contact_method: PreferredContactMethod | None = None,
        do_not_call: bool | None = None,
        notes: str | None = None,
        custom_fields: dict[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        campaign_id: str | None = None,
        campaign_priority: int | None = None,
        options: RequestOptions | None = None,
    ) -> Contact:
        """Create a contact in a company.

        Args:
            team_id: the team that owns the contact.
            company_id: the contact's company.
            first_name: the contact's first name.
            last_name: the contact's last name.
            email: the contact's email address.
            phone: E.164 (``+14155550187``).
            phone_secondary: a second number, E.164.
            job_title: the contact's job title.
            lead_status: a ``LeadStatus``: ``new`` (server default), ``contacted``,
                ``qualified``, ...
            source: where the contact came from.
            timezone: an IANA zone.
            preferred_contact_method: ``phone`` or ``email``.
            do_not_call: ``True`` keeps the contact out of every campaign.
            notes: free text.
            custom_fields: values of the team's custom fields, by field key.
            tags: labels for the contact.
            campaign_id: also enrol the new contact in this campaign; the answer's
                ``campaign_enrollment`` then says how.
            campaign_priority: the enrolment's priority (higher is called first).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``team_id``, ``company_id``, ``first_name`` or ``last_name`` missing or
                blank; a ``lead_status`` or ``preferred_contact_method`` outside its values; a
                phone that is not E.164, an e-mail that is not an address, a value too long.
            BadRequestError: the server refused a value.
            NotFoundError: no such team, company or campaign.
            ResponseValidationError: the answer is not a contact.
        """
        require(team_id=team_id, company_id=company_id, first_name=first_name, last_name=last_name)
        one_of("lead_status", lead_status, LeadStatus)
        one_of("preferred_contact_method", preferred_contact_method, PreferredContactMethod)
        not_blank(campaign_id=campaign_id)
        # ContactInput's fields, checked as contact_row checks one (without building it).
        fields = {
            "team_id": team_id,
            "company_id": company_id,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": phone,
            "phone_secondary": phone_secondary,
            "job_title": job_title,
            "lead_status": lead_status,
            "source": source,
            "timezone": timezone,
            "preferred_contact_method": preferred_contact_method,
            "do_not_call": do_not_call,
            "notes": notes,
            "custom_fields": custom_fields,
            "tags": list(tags) if tags is not None else None,
            "campaign_id": campaign_id,
            "campaign_priority": campaign_priority,
        }
        return await self._post(fields_body(fields), options=options)

    def _post(
        self,
        body: dict[str, Any],
        idempotency_key: str | None = None,
        options: RequestOptions | None = None,
    ) -> Coroutine[Any, Any, Contact]:
        # The call's coroutine, for the caller to await: no coroutine of its own per request.
        return self._request(
            "POST",
            "crm/contacts",
            Contact,
            CONTACT,
            json=body,
            idempotency_key=idempotency_key,
            options=options,
        )

    def list(
        self,
        team_id: str,
        company_id: str | None = None,
        search: str | None = None,
        lead_status: LeadStatus | None = None,
        do_not_call: bool | None = None,
        has_phone: bool | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Contact]:
        """Stream a team's contacts.

        Args:
            team_id: the team.
            company_id: only contacts of this company.
            search: case-insensitive match on name, email and phone.
            lead_status: only contacts with this lead status.
            do_not_call: filter on the do-not-call flag.
            has_phone: filter on having a phone number.
            limit: page size.
            offset: where to start.
            max_items: stop after this many contacts.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: ``team_id`` missing or blank, a blank ``company_id``, a ``lead_status``
                outside its values, or bad paging arguments (when the pager is made).
            AuthenticationError: the API key was refused (while iterating, like every API error).
            ResponseValidationError: a page is not a list of contacts.
        """
        require(team_id=team_id)
        not_blank(company_id=company_id)
        one_of("lead_status", lead_status, LeadStatus)
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
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        return self._paginate("crm/contacts", Contact, CONTACTS, params, paging, options)

    async def get(self, contact_id: str, *, options: RequestOptions | None = None) -> Contact:
        """Fetch one contact with its company, activities, opportunities and campaign history.

        Args:
            contact_id: the contact.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``contact_id`` missing or not an id.
            NotFoundError: no such contact.
            ResponseValidationError: the answer is not a contact.
        """
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        return await self._request("GET", path, Contact, CONTACT, options=options)

    async def update(
        self,
        contact_id: str,
        *,
        options: RequestOptions | None = None,
        **fields: Unpack[ContactUpdate],
    ) -> Contact:
        """Change a contact's fields; only those given are sent (``None`` clears a field).

        ::

            await tk.contacts.update(contact.id, job_title="CTO", notes=None)

        Args:
            contact_id: the contact.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).
            **fields: the ``ContactUpdate`` fields to change, by their snake_case names
                (camelCase names are accepted too; they are sent in camelCase).

        Raises:
            TypeError: an unknown field (naming the closest known one), or one field given in
                both spellings (``first_name`` and ``firstName``).
            ValueError: no field at all; a value outside its ``Literal`` (``lead_status``,
                ``preferred_contact_method``); ``company_id``, ``first_name`` or ``last_name``
                cleared or blank; a phone that is not E.164, an e-mail that is not an address,
                a value too long.
            NotFoundError: no such contact.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not a contact.
        """
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        changes = typed_fields(fields, ContactUpdate)
        for name in ("company_id", "first_name", "last_name"):
            if name in changes:
                require(**{name: changes[name]})
        body = wire_fields(check_values(changes), wire_case=True)
        return await self._request("PATCH", path, Contact, CONTACT, json=body, options=options)

    async def delete(self, contact_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete a contact.

        Args:
            contact_id: the contact.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``contact_id`` missing or not an id.
            BadRequestError: the contact is queued in an active campaign.
            NotFoundError: no such contact.
        """
        path = f"crm/contacts/{segment('contact_id', contact_id)}"
        await self._call("DELETE", path, options=options)

    async def import_contacts(
        self,
        contacts: Iterable[Mapping[str, Any] | ContactInput],
        team_id: str | None = None,
        *,
        chunk_size: int = 500,
        concurrency: int = 4,
        on_progress: ProgressHook | None = None,
        idempotency_key: str | None = None,
        options: RequestOptions | None = None,
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
            idempotency_key: a stable id for this import; chunk ``n`` is then sent with the key
                ``f"{idempotency_key}-chunk-{n}"`` on every run (the same rows give the same
                chunks), so a re-run after a failure is safe against a server honouring the key.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every chunk; an ``idempotency_key`` here
                acts as the argument of that name.

        Returns:
            ``imported`` and ``failed`` over all rows; ``errors`` as ``{"row": i, "error": ...}``
            with ``i`` the row's index in ``contacts``, sorted by row.

        Raises:
            ValueError: no rows at all, a bad ``chunk_size``, a blank ``team_id``, or two
                different idempotency keys (argument and ``options``). Failed chunks and bad
                rows are reported in the result, not raised.
        """
        rows = list(contacts)
        require(contacts=rows)
        not_blank(team_id=team_id)
        idempotency_key, options = split_idempotency_key(idempotency_key, options)
        tally = _ImportTally(total=len(rows), on_progress=on_progress)
        valid: list[tuple[int, dict[str, Any]]] = []
        for index, row in enumerate(rows):
            try:
                valid.append((index, contact_row(row, require_ids=False)))
            except ValueError as exc:
                tally.refused(index, str(exc))

        async def send(number: int, chunk: list[tuple[int, dict[str, Any]]]) -> ImportResult:
            body = to_wire({"team_id": team_id, "contacts": [wire for _, wire in chunk]})
            key = None if idempotency_key is None else f"{idempotency_key}-chunk-{number}"
            return await self._request(
                "POST",
                "crm/contacts/import",
                ImportResult,
                BARE,
                json=body,
                idempotency_key=key,
                options=options,
            )

        chunks = run_chunked(valid, send, chunk_size=chunk_size, concurrency=concurrency)
        async for outcome in chunks:
            tally.add([index for index, _ in outcome.input], outcome.result, outcome.error)
        return tally.result()

    def bulk_create(
        self,
        rows: Iterable[Mapping[str, Any] | ContactInput]
        | AsyncIterable[Mapping[str, Any] | ContactInput],
        *,
        concurrency: int = 16,
        on_progress: ProgressHook | None = None,
        idempotency_key: str | Callable[[int, Any], str] | None = None,
        grace: float = 2.0,
        options: RequestOptions | None = None,
    ) -> BulkRun[ContactResult]:
        """Create many contacts concurrently, one ``POST /crm/contacts`` per row; nothing is lost.

        Rows are pulled lazily (any iterable or async iterable, e.g. a generator over a huge
        CSV) with at most ``concurrency`` requests in flight. Each row yields a
        :class:`ContactResult` as soon as it finishes, with ``contact`` or ``error``; a row is
        never raised. Rows with unknown keys or missing required fields fail with a
        ``ValueError`` without a request. Every row's POST has its own ``Idempotency-Key``, kept
        across its retries.

        Re-running safely: pass ``idempotency_key`` (an id for this import, e.g. a file's hash)
        and row ``i`` is sent with the key ``f"{idempotency_key}-{i}"`` on every run, so a row
        re-sent after a crash, an early exit or an unknown outcome is answered by a server that
        honours ``Idempotency-Key`` with the contact it already created. Against a server that
        ignores the header a re-sent row is created again: the key cannot help there.

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
            idempotency_key: a stable prefix for the rows' keys (``"{prefix}-{index}"``), or a
                function ``(index, row) -> key``; ``None`` gives each row a random key.
            grace: seconds the rows in flight get to finish after an early exit; the rest are
                reported in ``run.unreported`` with an ``OutcomeUnknownError``.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every row's request; an
                ``idempotency_key`` here acts as a prefix, like the argument of that name.

        Raises:
            ValueError: ``concurrency`` below 1, a negative ``grace``, an empty
                ``idempotency_key`` or two different ones (argument and ``options``); bad rows
                are not raised: they are reported.
            TypeError: ``options`` has an unknown key or a value of the wrong type.
        """
        keys, text = (
            (idempotency_key, None) if callable(idempotency_key) else (None, idempotency_key)
        )
        prefix, options = split_idempotency_key(text, options)
        if keys is not None and prefix is not None:
            raise ValueError("pass idempotency_key as a function or in options, not both")
        key_of = _row_keys(keys or prefix)

        async def create_one(index: int, row: Mapping[str, Any] | ContactInput) -> Contact:
            key = key_of(index, row)
            return await self._post(contact_row(row), idempotency_key=key, options=options)

        return BulkRun(
            rows,
            per_item(create_one, ContactResult),
            concurrency=concurrency,
            on_progress=on_progress,
            result_type=ContactResult,
            grace=grace,
        )


def _row_keys(
    idempotency_key: str | Callable[[int, Any], str] | None,
) -> Callable[[int, Any], str | None]:
    """Each row's ``Idempotency-Key``.

    From a prefix and its index, from the caller's function, or ``None`` (a new random key per row).
    """
    if idempotency_key is None:
        return lambda index, row: None
    if isinstance(idempotency_key, str):
        if not idempotency_key:
            raise ValueError("idempotency_key must not be empty")
        prefix = idempotency_key
        return lambda index, row: f"{prefix}-{index}"
    return idempotency_key


class _ImportTally:
    """Adds up an import's chunks into one :class:`ImportResult`, row numbers in the caller's terms."""

    def __init__(self, *, total: int, on_progress: ProgressHook | None) -> None:
        self.total = total
        self.on_progress = on_progress
        self.imported = 0
        self.failed = 0
        self.errors: list[dict[str, Any]] = []
        self.started = time.perf_counter()

    def refused(self, row: int, reason: str) -> None:
        """A row refused before sending."""
        self.failed += 1
        self.errors.append({"row": row, "error": reason})

    def add(
        self, sent: list[int], result: ImportResult | None, error: BaseException | None
    ) -> None:
        """One chunk's outcome: the server's counts, or every row of a chunk that failed."""
        if result is not None and result.imported is None:  # no count: nothing is known
            result, error = None, ValueError("the answer does not say how many were imported")
        if result is None:
            self.failed += len(sent)
            self.errors.extend({"row": i, "error": f"chunk not imported: {error}"} for i in sent)
        else:
            self.imported += result.imported or 0
            self.failed += result.failed or 0
            self.errors.extend(_server_row_error(e, sent) for e in result.errors or [])
        if self.on_progress is not None:
            self.on_progress(
                BulkProgress(
                    done=self.imported + self.failed,
                    succeeded=self.imported,
                    failed=self.failed,
                    total=self.total,
                    elapsed=time.perf_counter() - self.started,
                )
            )

    def result(self) -> ImportResult:
        """The whole import, errors sorted by row (server errors without a row last)."""
        self.errors.sort(key=lambda e: (e["row"] is None, e["row"] or 0))
        return ImportResult(imported=self.imported, failed=self.failed, errors=self.errors)


def _server_row_error(error: JSON, sent: list[int]) -> dict[str, Any]:
    """A per-row error from the server, its row number mapped from the chunk to the caller's input.

    Object errors with an integer ``row`` (0-based within the request) are mapped; text errors
    are kept as text with ``row`` ``None``.
    """
    if isinstance(error, dict):
        row = error.get("row", error.get("index"))
        if isinstance(row, int) and 0 <= row < len(sent):
            return {**error, "row": sent[row]}
        return {**error, "row": None}
    return {"row": None, "error": str(error)}
