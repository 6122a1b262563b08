"""``tk.campaigns``: outbound calling campaigns."""

from __future__ import annotations

import builtins
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._bulk import run_chunked
from .._config import check_int
from .._errors import PartialFailureError
from .._options import RequestOptions
from .._pagination import AsyncPager, Paging
from .._variants import BARE, Envelope
from .._wire import to_wire
from ..models.assistants import Assistant
from ..models.campaigns import (
    AddContactsResult,
    Campaign,
    CampaignAudience,
    CampaignContact,
    CampaignContactStatus,
    CampaignDashboard,
    CampaignStatus,
    CampaignUpdate,
    DeletedFilter,
    RunResult,
)
from ._base import (
    Resource,
    exactly_one,
    not_blank,
    one_of,
    require,
    segment,
    split_idempotency_key,
    typed_fields,
    update_body,
    wire_fields,
)

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

CAMPAIGN = Envelope("campaign")
CAMPAIGNS = Envelope("campaigns")
ENROLMENTS = Envelope("contacts")
ASSISTANTS = Envelope("assistants")


def _path(campaign_id: str, action: str = "") -> str:
    return f"crm/campaigns/{segment('campaign_id', campaign_id)}{action}"


def _ids(name: str, ids: Iterable[str]) -> list[str]:
    """A non-empty list of ids; ``ValueError`` naming a blank one, or one string for a list."""
    if isinstance(ids, str):
        raise ValueError(f"{name} must be a list of ids, not one string")
    found = list(ids)
    require(**{name: found})
    for index, value in enumerate(found):
        if not isinstance(value, str) or not value.strip():  # pyright: ignore[reportUnnecessaryIsInstance] - user input
            raise ValueError(f"{name}[{index}] must be a non-empty id, got {value!r}")
    return found


async def _enrol_in_chunks(
    ids: list[str],
    send_chunk: Callable[[int, list[str]], Awaitable[AddContactsResult]],
    chunk_size: int,
    concurrency: int,
) -> AddContactsResult:
    """Send ``ids`` in chunks and add up the counts; PartialFailureError if any chunk failed."""
    totals = {"added": 0, "skipped": 0, "invalid": 0}
    failures: list[tuple[Any, BaseException]] = []
    chunks = 0
    async for outcome in run_chunked(
        ids, send_chunk, chunk_size=chunk_size, concurrency=concurrency
    ):
        chunks += 1
        if outcome.error is not None:
            failures.append((outcome.input, outcome.error))
        elif outcome.result is not None:
            for key in totals:
                totals[key] += getattr(outcome.result, key) or 0
    merged = AddContactsResult(
        added=totals["added"],
        skipped=totals["skipped"],
        invalid=totals["invalid"],
        message=f"Added {totals['added']} contacts in {chunks} chunks",
    )
    if failures:
        lost = sum(len(chunk) for chunk, _ in failures)
        raise PartialFailureError(
            f"{len(failures)} of {chunks} chunks ({lost} contact ids) were not enrolled",
            result=merged,
            failures=failures,
        )
    return merged


class Campaigns(Resource):
    """List, create, fill, start, pause and inspect campaigns."""

    def list(
        self,
        team_id: str,
        status: CampaignStatus | None = None,
        assistant_id: str | None = None,
        deleted: DeletedFilter | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[Campaign]:
        """Stream a team's campaigns.

        Args:
            team_id: the team.
            status: only campaigns in this status (``draft``, ``running``, ...).
            assistant_id: only campaigns using this assistant.
            deleted: ``exclude`` (server default), ``include`` or ``only`` soft-deleted campaigns.
            limit: page size.
            offset: where to start.
            max_items: stop after this many campaigns.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: ``team_id`` missing or blank, a blank ``assistant_id``, a ``status`` or
                ``deleted`` outside its values, or bad paging arguments (when the pager is made).
            AuthenticationError: the API key was refused (while iterating, like every API error).
            ResponseValidationError: a page is not a list of campaigns.
        """
        require(team_id=team_id)
        not_blank(assistant_id=assistant_id)
        one_of("status", status, CampaignStatus)
        one_of("deleted", deleted, DeletedFilter)
        params = to_wire(
            {"team_id": team_id, "status": status, "assistant_id": assistant_id, "deleted": deleted}
        )
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        return self._paginate("crm/campaigns", Campaign, CAMPAIGNS, params, paging, options)

    # Over 60 lines only by its keyword arguments, one per API field, each documented.
    async def create(
        self,
        team_id: str,
        assistant_id: str,
        company_id: str,
        name: str,
        from_number_ids: Sequence[str] | None = None,
        *,
        description: str | None = None,
        scheduled_start_at: datetime | str | None = None,
        call_window_start: str | None = None,
        call_window_end: str | None = None,
        call_window_timezone: str | None = None,
        max_concurrent_calls: int | None = None,
        max_attempts_per_contact: int | None = None,
        retry_delay_minutes: int | None = None,
        settings: dict[str, Any] | None = None,
        no_auto_complete: bool | None = None,
        webhook_enabled: bool | None = None,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        webhook_events: Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Campaign:
        """Create a campaign (status ``draft``, or ``scheduled`` with ``scheduled_start_at``).

        Arguments other than the first four are sent under their camelCase names when given.

        Args:
            team_id: the team that owns the campaign.
            assistant_id: the assistant that places the calls.
            company_id: the company the campaign belongs to.
            name: the campaign's name.
            from_number_ids: record ids of the numbers to call from (assigned to the assistant).
            description: free text.
            scheduled_start_at: when to start (the campaign is then ``scheduled``).
            call_window_start: ``"HH:MM"``, the earliest time of day to call.
            call_window_end: ``"HH:MM"``, the latest time of day to call.
            call_window_timezone: an IANA zone for the call window.
            max_concurrent_calls: calls in progress at once.
            max_attempts_per_contact: tries per contact before giving up.
            retry_delay_minutes: wait between tries for one contact.
            settings: further campaign settings, as the API takes them.
            no_auto_complete: keep the campaign running when its queue empties.
            webhook_enabled: send the campaign's webhooks.
            webhook_url: where the webhooks go.
            webhook_secret: the secret the webhooks are signed with.
            webhook_events: the events to send.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: a required argument is missing or blank, or ``from_number_ids`` is one
                string or holds a blank id.
            ConflictError: a number belongs to another assistant.
            BadRequestError: the server refused a value.
            ResponseValidationError: the answer is not a campaign.
        """
        require(team_id=team_id, assistant_id=assistant_id, company_id=company_id, name=name)
        if from_number_ids is not None:
            _ids("from_number_ids", from_number_ids)
        body = to_wire(
            {
                "team_id": team_id,
                "assistant_id": assistant_id,
                "company_id": company_id,
                "name": name,
                "from_number_ids": from_number_ids,
                "description": description,
                "scheduled_start_at": scheduled_start_at,
                "call_window_start": call_window_start,
                "call_window_end": call_window_end,
                "call_window_timezone": call_window_timezone,
                "max_concurrent_calls": max_concurrent_calls,
                "max_attempts_per_contact": max_attempts_per_contact,
                "retry_delay_minutes": retry_delay_minutes,
                "settings": settings,
                "no_auto_complete": no_auto_complete,
                "webhook_enabled": webhook_enabled,
                "webhook_url": webhook_url,
                "webhook_secret": webhook_secret,
                "webhook_events": webhook_events,
            }
        )
        return await self._request(
            "POST", "crm/campaigns", Campaign, CAMPAIGN, json=body, options=options
        )

    async def get(self, campaign_id: str, *, options: RequestOptions | None = None) -> Campaign:
        """Fetch one campaign with its assistant, ``contact_count`` and first enrolled contacts.

        Args:
            campaign_id: the campaign.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``campaign_id`` missing or not an id.
            NotFoundError: no such campaign.
            ResponseValidationError: the answer is not a campaign.
        """
        return await self._request("GET", _path(campaign_id), Campaign, CAMPAIGN, options=options)

    async def update(
        self,
        campaign_id: str,
        *,
        options: RequestOptions | None = None,
        **fields: Unpack[CampaignUpdate],
    ) -> Campaign:
        """Change a campaign's fields; only those given are sent (``None`` clears a field).

        ::

            await tk.campaigns.update(camp.id, call_window_start="10:00", voicemail_action="hangup")

        Args:
            campaign_id: the campaign.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).
            **fields: the ``CampaignUpdate`` fields to change, by their snake_case names
                (camelCase names are accepted too; they are sent in camelCase).

        Raises:
            TypeError: an unknown field (naming the closest known one), or one field given in
                both spellings.
            ValueError: no field at all; a value outside its ``Literal`` (``status``,
                ``voicemail_action``, ``unavailable_action``, ``retry_backoff_mode``); ``name``
                cleared or blank.
            ConflictError: a field other than ``status`` changed while the campaign is running.
            InsufficientCreditsError: moved to ``running`` without credit.
            BadRequestError: the server refused a value (a retry setting out of range).
            NotFoundError: no such campaign.
            ResponseValidationError: the answer is not a campaign.
        """
        body = update_body(fields, CampaignUpdate, wire_case=True)
        if "name" in body:
            require(name=body["name"])
        return await self._request(
            "PATCH", _path(campaign_id), Campaign, CAMPAIGN, json=body, options=options
        )

    async def delete(self, campaign_id: str, *, options: RequestOptions | None = None) -> None:
        """Delete (soft-delete) a ``draft`` or ``cancelled`` campaign.

        Args:
            campaign_id: the campaign.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``campaign_id`` missing or not an id.
            BadRequestError: the campaign is neither ``draft`` nor ``cancelled``.
            NotFoundError: no such campaign.
        """
        await self._call("DELETE", _path(campaign_id), options=options)

    def list_contacts(
        self,
        campaign_id: str,
        status: CampaignContactStatus | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
        options: RequestOptions | None = None,
    ) -> AsyncPager[CampaignContact]:
        """Stream the contacts enrolled in a campaign, optionally in one ``status``.

        Each page's ``status_counts`` gives the number of enrolled contacts per status.

        Args:
            campaign_id: the campaign.
            status: only enrolments in this status (``pending``, ``queued``, ``calling``, ...).
            limit: page size.
            offset: where to start.
            max_items: stop after this many enrolments.
            concurrency: pages fetched at once once the total is known (client default 4).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every page.

        Raises:
            ValueError: ``campaign_id`` missing or not an id, a ``status`` outside its values,
                or bad paging arguments.
            NotFoundError: no such campaign (while iterating, like every API error).
            ResponseValidationError: a page is not a list of enrolments.
        """
        one_of("status", status, CampaignContactStatus)
        paging = Paging(limit=limit, offset=offset, max_items=max_items, concurrency=concurrency)
        params = to_wire({"status": status})
        path = _path(campaign_id, "/contacts")
        return self._paginate(path, CampaignContact, ENROLMENTS, params, paging, options)

    async def add_contacts(
        self,
        campaign_id: str,
        contact_ids: Sequence[str] | None = None,
        priority: int | None = None,
        audience: CampaignAudience | None = None,
        *,
        chunk_size: int = 1000,
        concurrency: int = 4,
        idempotency_key: str | None = None,
        options: RequestOptions | None = None,
    ) -> AddContactsResult:
        """Enrol contacts, by id or by an audience filter (exactly one of the two).

        Thousands of ids are sent in chunks of ``chunk_size``, ``concurrency`` at a time, and the
        counts are added up.

        Args:
            campaign_id: the campaign.
            contact_ids: ids of contacts in the campaign's team.
            priority: higher is called first (server default 0).
            audience: a ``CampaignAudience``: ``{"mode": "all_eligible", "company_id": ...,
                "has_phone_only": True, "exclude_dnc": True, "max_to_add": ...}`` (camelCase
                keys are accepted too; they are sent in camelCase).
            chunk_size: ids per request.
            concurrency: chunks in flight at once.
            idempotency_key: a stable id for this enrolment; chunk ``n`` is sent with the key
                ``f"{idempotency_key}-chunk-{n}"`` on every run.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers), for every chunk; an ``idempotency_key`` here
                acts as the argument of that name.

        Returns:
            counts of contacts ``added``, ``skipped`` (already in, do-not-call, no phone) and
            ``invalid``.

        Raises:
            ValueError: neither or both of ``contact_ids`` and ``audience``, an empty
                ``contact_ids`` or a blank id in it, an ``audience`` value outside its
                ``Literal``, a bad ``chunk_size``, two different idempotency keys.
            TypeError: an unknown ``audience`` key (naming the closest known one).
            PartialFailureError: some chunks failed after retries; ``result`` has the counts of
                the chunks that went in and ``failures`` the ids of those that did not.
            NotFoundError: no such campaign (one request only).
            ConflictError: the campaign does not take enrolments in its status (one request).
            ResponseValidationError: an answer is not a count of enrolments.
        """
        ids = None
        if contact_ids is not None and audience is None:
            ids = _ids("contact_ids", contact_ids)
        else:
            exactly_one(contact_ids=contact_ids, audience=audience)
        check_int("chunk_size", chunk_size, minimum=1)
        check_int("concurrency", concurrency, minimum=1)  # also when one chunk is enough
        path = _path(campaign_id, "/contacts")
        idempotency_key, options = split_idempotency_key(idempotency_key, options)

        async def send(fields: dict[str, Any], number: int = 0) -> AddContactsResult:
            body = to_wire({**fields, "priority": priority})
            key = None if idempotency_key is None else f"{idempotency_key}-chunk-{number}"
            return await self._request(
                "POST",
                path,
                AddContactsResult,
                BARE,
                json=body,
                idempotency_key=key,
                options=options,
            )

        if ids is None:
            chosen = typed_fields(audience or {}, CampaignAudience, what="audience")
            return await send({"audience": wire_fields(chosen, wire_case=True)})
        if len(ids) <= chunk_size:
            return await send({"contact_ids": ids})

        return await _enrol_in_chunks(
            ids,
            lambda number, chunk: send({"contact_ids": chunk}, number),
            chunk_size,
            concurrency,
        )

    async def dashboard(
        self,
        campaign_id: str,
        limit_pending: int | None = None,
        limit_calling: int | None = None,
        limit_calls: int | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> CampaignDashboard:
        """The live view of a campaign: counts by status and outcome, the queue, recent calls.

        Args:
            campaign_id: the campaign.
            limit_pending: list at most this many queued contacts (1-100, server default 25).
            limit_calling: list at most this many contacts being called (1-100, default 25).
            limit_calls: list at most this many recent calls (1-100, server default 25).
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``campaign_id`` missing or not an id.
            BadRequestError: a limit out of range.
            NotFoundError: no such campaign.
            ResponseValidationError: the answer is not a dashboard.
        """
        path = _path(campaign_id, "/dashboard")
        params = to_wire(
            {
                "limit_pending": limit_pending,
                "limit_calling": limit_calling,
                "limit_calls": limit_calls,
            }
        )
        return await self._request(
            "GET", path, CampaignDashboard, BARE, params=params, options=options
        )

    async def start(
        self,
        campaign_id: str,
        max_calls: int | None = None,
        dry_run: bool | None = None,
        no_auto_complete: bool | None = None,
        account_slug: str | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> RunResult:
        """Start (or resume) a campaign: it moves to ``running`` and calls are placed.

        Sends the run action ``start`` with the options given.

        Args:
            campaign_id: the campaign.
            max_calls: place at most this many calls in this run.
            dry_run: return who would be called (``picks``) without dialling.
            no_auto_complete: keep the campaign running when its queue empties.
            account_slug: the workspace the campaign belongs to.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``campaign_id`` missing or not an id, or a blank ``account_slug``.
            InsufficientCreditsError: the account has no credit.
            ConflictError: the campaign cannot start from its current status.
            NotFoundError: no campaign has this id.
            ResponseValidationError: the answer is not a run result.
        """
        not_blank(account_slug=account_slug)
        path = _path(campaign_id, "/run")
        body = to_wire(
            {
                "action": "start",
                "account_slug": account_slug,
                "max_calls": max_calls,
                "dry_run": dry_run,
                "no_auto_complete": no_auto_complete,
            }
        )
        return await self._request("POST", path, RunResult, BARE, json=body, options=options)

    async def pause(self, campaign_id: str, *, options: RequestOptions | None = None) -> Campaign:
        """Pause a running or scheduled campaign; ``start`` resumes it.

        Args:
            campaign_id: the campaign.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``campaign_id`` missing or not an id.
            ConflictError: the campaign is neither running nor scheduled (already paused, too).
            NotFoundError: no campaign has this id.
            ResponseValidationError: the answer is not a campaign.
        """
        body = {"status": "paused"}
        return await self._request(
            "PATCH", _path(campaign_id), Campaign, CAMPAIGN, json=body, options=options
        )

    async def stop(self, campaign_id: str, *, options: RequestOptions | None = None) -> RunResult:
        """Stop a running or scheduled campaign: no further calls are placed.

        The campaign's status becomes ``stopped`` (``RunResult.status``); ``start`` runs it again.

        Args:
            campaign_id: the campaign.
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            ValueError: ``campaign_id`` missing or not an id.
            ConflictError: the campaign is neither running nor scheduled.
            NotFoundError: no campaign has this id.
            ResponseValidationError: the answer is not a run result.
        """
        body = {"action": "stop"}
        path = _path(campaign_id, "/run")
        return await self._request("POST", path, RunResult, BARE, json=body, options=options)

    async def list_outbound_assistants(
        self, *, options: RequestOptions | None = None
    ) -> builtins.list[Assistant]:
        """The assistants that can be assigned to outbound campaigns (all at once, unpaged).

        Args:
            options: per-call settings (RequestOptions: timeout, deadline, max_retries,
                idempotency_key, extra_headers).

        Raises:
            AuthenticationError: the API key was refused.
            ResponseValidationError: the answer is not a list of assistants.
        """
        return await self._request_list(
            "crm/outbound-assistants", Assistant, ASSISTANTS, options=options
        )
