"""``tk.campaigns``: outbound calling campaigns (§13.3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .._bulk import run_bulk
from .._errors import PartialFailureError
from .._pagination import AsyncPager
from .._wire import to_wire
from ..models.campaigns import (
    AddContactsResult,
    Campaign,
    CampaignContact,
    CampaignDashboard,
    RunResult,
)
from ._base import Resource, require, segment, update_body


def _campaign_contact_row(row: Any) -> Any:
    """Some servers list plain contacts instead of enrolment rows: wrap them."""
    if (
        isinstance(row, dict)
        and "contact" not in row
        and ("first_name" in row or "firstName" in row)
    ):
        return {"contact": row}
    return row


def _add_contacts_counts(data: Any) -> Any:
    if isinstance(data, dict) and "added" not in data and isinstance(data.get("contacts"), list):
        return {**data, "added": len(data["contacts"])}
    return data


class Campaigns(Resource):
    """List, create, fill, start, pause and inspect campaigns."""

    def list(
        self,
        team_id: str,
        status: str | None = None,
        assistant_id: str | None = None,
        deleted: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[Campaign]:
        """Stream a team's campaigns.

        Args:
            team_id: the team.
            status: only campaigns in this status (``draft``, ``running``, ...).
            assistant_id: only campaigns using this assistant.
            deleted: ``exclude`` (server default), ``include`` or ``only`` soft-deleted campaigns.
            limit, offset: page size and start.
            max_items: stop after this many campaigns.
            concurrency: pages fetched at once once the total is known (client default 4).
        """
        require(team_id=team_id)
        params = to_wire(
            {"team_id": team_id, "status": status, "assistant_id": assistant_id, "deleted": deleted}
        )
        return self._client._pager(
            "crm/campaigns",
            Campaign,
            key="campaigns",
            params=params,
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
        )

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
    ) -> Campaign:
        """Create a campaign (status ``draft``, or ``scheduled`` with ``scheduled_start_at``).

        Args:
            from_number_ids: record ids of the numbers to call from (assigned to the assistant).
            call_window_start, call_window_end: ``"HH:MM"``; ``call_window_timezone`` an IANA zone.
            Other arguments are sent under their camelCase names when given.

        Raises:
            ValueError: a required argument is missing.
        """
        require(team_id=team_id, assistant_id=assistant_id, company_id=company_id, name=name)
        args = dict(locals())
        del args["self"]
        return await self._client._model(
            "POST", "crm/campaigns", Campaign, key="campaign", json=to_wire(args)
        )

    async def get(self, campaign_id: str) -> Campaign:
        """Fetch one campaign with its assistant, ``contact_count`` and first enrolled contacts."""
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}"
        return await self._client._model("GET", path, Campaign, key="campaign")

    async def update(self, campaign_id: str, **fields: Any) -> Campaign:
        """Change fields (snake_case or camelCase names; ``None`` clears a field).

        Raises:
            ConflictError: a field other than ``status`` changed while the campaign is running.
            InsufficientCreditsError: moved to ``running`` without credit.
        """
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}"
        body = update_body(fields, wire_case=True)
        return await self._client._model("PATCH", path, Campaign, key="campaign", json=body)

    async def delete(self, campaign_id: str) -> None:
        """Delete a ``draft`` or ``cancelled`` campaign (``BadRequestError`` otherwise)."""
        await self._client._call("DELETE", f"crm/campaigns/{segment('campaign_id', campaign_id)}")

    def list_contacts(
        self,
        campaign_id: str,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPager[CampaignContact]:
        """Stream the contacts enrolled in a campaign, optionally in one ``status``.

        Each page's ``status_counts`` gives the number of enrolled contacts per status.
        """
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}/contacts"
        return self._client._pager(
            path,
            CampaignContact,
            key="contacts",
            params=to_wire({"status": status}),
            limit=limit,
            offset=offset,
            max_items=max_items,
            concurrency=concurrency,
            row=_campaign_contact_row,
        )

    async def add_contacts(
        self,
        campaign_id: str,
        contact_ids: Sequence[str] | None = None,
        priority: int | None = None,
        audience: dict[str, Any] | None = None,
        *,
        chunk_size: int = 1000,
        concurrency: int = 4,
    ) -> AddContactsResult:
        """Enrol contacts, by id or by an audience filter (exactly one of the two).

        Thousands of ids are sent in chunks of ``chunk_size``, ``concurrency`` at a time, and the
        counts are added up.

        Args:
            contact_ids: ids of contacts in the campaign's team.
            priority: higher is called first (server default 0).
            audience: ``{"mode": "all_eligible", "companyId": ..., "hasPhoneOnly": True,
                "excludeDnc": True, "maxToAdd": ...}``.

        Returns:
            counts of contacts ``added``, ``skipped`` (already in, do-not-call, no phone) and
            ``invalid``.

        Raises:
            PartialFailureError: some chunks failed after retries; ``result`` has the counts of
                the chunks that went in and ``failures`` the ids of those that did not.
        """
        if (contact_ids is None) == (audience is None):
            raise ValueError("pass exactly one of contact_ids or audience")
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}/contacts"
        if audience is not None:
            return await self._send_enrolment(path, {"audience": audience, "priority": priority})
        if isinstance(contact_ids, str):
            raise ValueError("contact_ids must be a list of ids, not one string")
        ids = list(contact_ids or [])
        require(contact_ids=ids)
        if len(ids) <= chunk_size:
            return await self._send_enrolment(path, {"contact_ids": ids, "priority": priority})
        chunks = [ids[k : k + chunk_size] for k in range(0, len(ids), chunk_size)]

        async def send(chunk: list[str]) -> AddContactsResult:
            return await self._send_enrolment(path, {"contact_ids": chunk, "priority": priority})

        totals = {"added": 0, "skipped": 0, "invalid": 0}
        failures: list[tuple[Any, BaseException]] = []
        async for outcome in run_bulk(chunks, send, concurrency=concurrency):
            if outcome.result is None:
                assert outcome.error is not None
                failures.append((outcome.input, outcome.error))
                continue
            for key in totals:
                totals[key] += getattr(outcome.result, key) or 0
        merged = AddContactsResult(
            added=totals["added"],
            skipped=totals["skipped"],
            invalid=totals["invalid"],
            message=f"Added {totals['added']} contacts in {len(chunks)} chunks",
        )
        if failures:
            lost = sum(len(chunk) for chunk, _ in failures)
            raise PartialFailureError(
                f"{len(failures)} of {len(chunks)} chunks ({lost} contact ids) were not enrolled",
                result=merged,
                failures=failures,
            )
        return merged

    async def _send_enrolment(self, path: str, fields: dict[str, Any]) -> AddContactsResult:
        return await self._client._model(
            "POST",
            path,
            AddContactsResult,
            key=None,
            json=to_wire(fields),
            reshape=_add_contacts_counts,
        )

    async def dashboard(
        self,
        campaign_id: str,
        limit_pending: int | None = None,
        limit_calling: int | None = None,
        limit_calls: int | None = None,
    ) -> CampaignDashboard:
        """The live view of a campaign: counts by status and outcome, the queue, recent calls.

        The ``limit_*`` arguments (1-100, server default 25) cap the listed queue and calls.
        """
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}/dashboard"
        params = to_wire(
            {
                "limit_pending": limit_pending,
                "limit_calling": limit_calling,
                "limit_calls": limit_calls,
            }
        )
        return await self._client._model("GET", path, CampaignDashboard, key=None, params=params)

    async def start(
        self,
        campaign_id: str,
        max_calls: int | None = None,
        dry_run: bool | None = None,
        no_auto_complete: bool | None = None,
        account_slug: str | None = None,
    ) -> RunResult:
        """Start (or resume) a campaign: it moves to ``running`` and calls are placed.

        Args:
            max_calls: place at most this many calls in this run.
            dry_run: return who would be called (``picks``) without dialling.
            no_auto_complete: keep the campaign running when its queue empties.

        Raises:
            InsufficientCreditsError: the account has no credit.
            ConflictError: the campaign cannot start from its current status.
        """
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}/run"
        body = to_wire(
            {
                "account_slug": account_slug,
                "max_calls": max_calls,
                "dry_run": dry_run,
                "no_auto_complete": no_auto_complete,
            }
        )
        return await self._client._model("POST", path, RunResult, key=None, json=body)

    async def pause(self, campaign_id: str) -> Campaign:
        """Pause a running or scheduled campaign; ``start`` resumes it."""
        path = f"crm/campaigns/{segment('campaign_id', campaign_id)}"
        body = {"status": "paused"}
        return await self._client._model("PATCH", path, Campaign, key="campaign", json=body)
