"""FakeTalkturo's rules for campaigns (§13.3): the status machine, enrolment, runs, dashboard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._rules_crm import CrmRules
from ._store import (
    JSON,
    FakeHTTPError,
    int_param,
    now_iso,
    paginate,
    rename_fields,
    required,
)

CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"scheduled", "running", "cancelled"}),
    "scheduled": frozenset({"draft", "running", "paused", "cancelled"}),
    "running": frozenset({"paused", "completed", "cancelled"}),
    "paused": frozenset({"running", "completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}

CAMPAIGN_CONTACT_STATUSES = ("pending", "queued", "calling", "completed", "skipped", "failed")

OUTCOMES = ("answered", "voicemail", "no_answer", "busy")

CAMPAIGN_FIELDS = {
    "name": "name",
    "description": "description",
    "status": "status",
    "scheduledStartAt": "scheduled_start_at",
    "fromNumber": "from_number",
    "callWindowStart": "call_window_start",
    "callWindowEnd": "call_window_end",
    "callWindowTimezone": "call_window_timezone",
    "maxConcurrentCalls": "max_concurrent_calls",
    "maxAttemptsPerContact": "max_attempts_per_contact",
    "retryDelayMinutes": "retry_delay_minutes",
    "settings": "settings",
    "noAutoComplete": "no_auto_complete",
}


class CampaignRules(CrmRules):
    """Campaigns: lifecycle, enrolment, runs and the dashboard."""

    def _campaign_view(self, campaign: JSON, *, full: bool = False) -> JSON:
        rows = self.campaign_contacts.get(campaign["id"], [])
        view = {k: v for k, v in campaign.items() if k != "no_auto_complete"}
        view["total_contacts"] = len(rows)
        view["contacts_called"] = sum(1 for r in rows if r["attempts"] > 0)
        view["contacts_completed"] = sum(1 for r in rows if r["status"] in ("completed", "failed"))
        view["contacts_answered"] = sum(1 for r in rows if r["outcome"] == "answered")
        if full:
            assistant = self.assistants.get(campaign["assistant_id"])
            view["assistant"] = {
                "id": campaign["assistant_id"],
                "name": assistant["name"] if assistant else None,
            }
            view["contact_count"] = len(rows)
            view["campaign_contacts"] = [self._row_view(r) for r in self._ordered(rows)[:100]]
        return view

    def create_campaign(self, body: JSON) -> JSON:
        required(body, "teamId", "assistantId", "companyId", "name")
        self._team(body["teamId"])
        if not str(body["name"]).strip():
            raise FakeHTTPError(400, "name must not be blank")
        assistant_id, company_id = body["assistantId"], body["companyId"]
        if assistant_id not in self.assistants:
            raise FakeHTTPError(400, "assistantId does not exist")
        if company_id not in self.companies:
            raise FakeHTTPError(400, "companyId does not exist")
        from_number = None
        ids = body.get("fromNumberIds") or []
        if not isinstance(ids, list):
            raise FakeHTTPError(400, "fromNumberIds must be an array")
        for number_id in ids:
            number = self._number(number_id) if number_id in self.phone_numbers else None
            if number is None:
                raise FakeHTTPError(400, f"phone number {number_id} does not exist")
            if number["assistant_id"] not in (None, assistant_id):
                raise FakeHTTPError(409, f"phone number {number_id} belongs to another assistant")
            from_number = from_number or number["phone_number"]
        ts = now_iso()
        settings = dict(body.get("settings") or {})
        for key in ("webhookEnabled", "webhookUrl", "webhookEvents"):
            if key in body:
                settings[key] = body[key]
        campaign = {
            "id": self.new_id("camp"),
            "team_id": body["teamId"],
            "assistant_id": assistant_id,
            "company_id": company_id,
            "name": str(body["name"]).strip(),
            "description": body.get("description"),
            "from_number": from_number,
            "from_number_ids": list(ids),
            "status": "scheduled" if body.get("scheduledStartAt") else "draft",
            "scheduled_start_at": body.get("scheduledStartAt"),
            "started_at": None,
            "completed_at": None,
            "call_window_start": body.get("callWindowStart") or "09:00",
            "call_window_end": body.get("callWindowEnd") or "17:00",
            "call_window_timezone": body.get("callWindowTimezone") or "America/New_York",
            "max_concurrent_calls": body.get("maxConcurrentCalls") or 5,
            "max_attempts_per_contact": body.get("maxAttemptsPerContact") or 3,
            "retry_delay_minutes": body.get("retryDelayMinutes") or 60,
            "settings": settings,
            "no_auto_complete": bool(body.get("noAutoComplete")),
            "created_at": ts,
            "updated_at": ts,
            "deleted_at": None,
        }
        self.campaigns[campaign["id"]] = campaign
        self.campaign_contacts[campaign["id"]] = []
        return {"success": True, "campaign": self._campaign_view(campaign)}

    def list_campaigns(self, query: Mapping[str, str]) -> JSON:
        required(query, "teamId")
        self._team(query["teamId"])
        status, assistant = query.get("status"), query.get("assistantId")
        deleted = query.get("deleted") or "exclude"
        if deleted not in ("exclude", "include", "only"):
            raise FakeHTTPError(400, "deleted must be exclude, include or only")
        rows = []
        for c in self.campaigns.values():
            is_deleted = bool(c["deleted_at"])
            if (deleted == "exclude" and is_deleted) or (deleted == "only" and not is_deleted):
                continue
            if (status and c["status"] != status) or (assistant and c["assistant_id"] != assistant):
                continue
            rows.append(c)
        return paginate(rows, query, "campaigns", self.max_page_size, self._campaign_view)

    def get_campaign(self, campaign_id: str) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        return {"success": True, "campaign": self._campaign_view(campaign, full=True)}

    def _set_status(self, campaign: JSON, status: str) -> None:
        current = campaign["status"]
        if status == current:
            return
        if status not in CAMPAIGN_TRANSITIONS:
            raise FakeHTTPError(400, f"unknown status {status!r}")
        if status not in CAMPAIGN_TRANSITIONS[current]:
            raise FakeHTTPError(409, f"cannot change a {current} campaign to {status}")
        if status == "running":
            self._need_credit()
            campaign["started_at"] = campaign["started_at"] or now_iso()
        if status in ("completed", "cancelled"):
            campaign["completed_at"] = now_iso()
        campaign["status"] = status

    def _need_credit(self) -> None:
        if self.credits < 1:
            raise FakeHTTPError(402, "Insufficient credits", balance=self.credits, required=1)

    def update_campaign(self, campaign_id: str, body: JSON) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        changes = rename_fields(body, CAMPAIGN_FIELDS)
        if not changes:
            raise FakeHTTPError(400, "at least one field to update is required")
        status = changes.pop("status", None)
        if campaign["status"] == "running" and changes:
            raise FakeHTTPError(409, "only status can change while a campaign is running")
        if "name" in changes and not str(changes["name"] or "").strip():
            raise FakeHTTPError(400, "name must not be blank")
        if status is not None:
            self._set_status(campaign, status)
        if (
            "scheduled_start_at" in changes
            and not changes["scheduled_start_at"]
            and campaign["status"] == "scheduled"
        ):
            campaign["status"] = "draft"
        if "no_auto_complete" in changes:
            changes["no_auto_complete"] = bool(changes["no_auto_complete"])
        campaign.update(changes, updated_at=now_iso())
        return {"success": True, "campaign": self._campaign_view(campaign)}

    def delete_campaign(self, campaign_id: str) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        if campaign["status"] not in ("draft", "cancelled"):
            raise FakeHTTPError(
                400, f"only draft or cancelled campaigns can be deleted, not {campaign['status']}"
            )
        campaign["deleted_at"] = now_iso()
        return {"success": True, "message": "Campaign deleted successfully"}

    def add_campaign_contacts(self, campaign_id: str, body: JSON) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        ids, audience = body.get("contactIds"), body.get("audience")
        if (ids is None) == (audience is None):
            raise FakeHTTPError(400, "exactly one of contactIds or audience is required")
        status = campaign["status"]
        if status not in ("draft", "scheduled", "paused") and not (
            status == "running" and campaign["no_auto_complete"]
        ):
            raise FakeHTTPError(409, f"cannot add contacts to a {status} campaign")
        priority = body.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool):
            raise FakeHTTPError(400, "priority must be an integer")
        if ids is not None:
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                raise FakeHTTPError(400, "contactIds must be a non-empty array of ids")
            candidates: Sequence[JSON | None] = [
                c
                if (c := self.contacts.get(i)) is not None and c["team_id"] == campaign["team_id"]
                else None
                for i in ids
            ]
            has_phone_only = exclude_dnc = True
        else:
            if not isinstance(audience, dict) or audience.get("mode") != "all_eligible":
                raise FakeHTTPError(400, "audience.mode must be all_eligible")
            if audience.get("companyId") not in (None, campaign["company_id"]):
                raise FakeHTTPError(400, "audience.companyId must be the campaign's company")
            search = (audience.get("search") or "").lower()
            lead = audience.get("leadStatus")
            has_phone_only = audience.get("hasPhoneOnly", True)
            exclude_dnc = audience.get("excludeDnc", True)
            max_to_add = min(int(audience.get("maxToAdd") or 50_000), 100_000)
            candidates = [
                c
                for c in self.contacts.values()
                if c["company_id"] == campaign["company_id"]
                and (not lead or lead == "all" or c["lead_status"] == lead)
                and (
                    not search
                    or search in f"{c['first_name']} {c['last_name']} {c['email'] or ''}".lower()
                )
            ][:max_to_add]
        enrolled = {r["contact_id"] for r in self.campaign_contacts[campaign_id]}
        added = skipped = invalid = 0
        last: JSON | None = None
        for contact in candidates:
            if contact is None:
                invalid += 1
            elif (
                contact["id"] in enrolled
                or (exclude_dnc and contact["do_not_call"])
                or (has_phone_only and not contact["phone"])
            ):
                skipped += 1
            else:
                last = self._enrol(campaign, contact, priority)
                enrolled.add(contact["id"])
                added += 1
        answer: JSON = {
            "success": True,
            "added": added,
            "skipped": skipped,
            "invalid": invalid,
            "message": f"Added {added} contacts ({skipped} skipped, {invalid} invalid)",
        }
        if added == 1 and last is not None:
            answer.update(contact_id=last["contact_id"], campaign_contact_id=last["id"])
        return answer

    def list_campaign_contacts(self, campaign_id: str, query: Mapping[str, str]) -> JSON:
        self._get(self.campaigns, campaign_id, "Campaign")
        all_rows = self._ordered(self.campaign_contacts[campaign_id])
        status = query.get("status")
        rows = [r for r in all_rows if not status or r["status"] == status]
        answer = paginate(rows, query, "contacts", self.max_page_size, self._row_view)
        counts = dict.fromkeys(CAMPAIGN_CONTACT_STATUSES, 0)
        for r in all_rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        answer["statusCounts"] = counts
        return answer

    def dashboard(self, campaign_id: str, query: Mapping[str, str]) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        limits = {}
        for name in ("limitPending", "limitCalling", "limitCalls"):
            value = int_param(query, name, 25)
            if not 1 <= value <= 100:
                raise FakeHTTPError(400, f"{name} must be from 1 to 100")
            limits[name] = value
        rows = self._ordered(self.campaign_contacts[campaign_id])
        by_status = dict.fromkeys(CAMPAIGN_CONTACT_STATUSES, 0)
        by_outcome = dict.fromkeys(OUTCOMES, 0)
        for r in rows:
            by_status[r["status"]] = by_status.get(r["status"], 0) + 1
            if r["outcome"]:
                by_outcome[r["outcome"]] = by_outcome.get(r["outcome"], 0) + 1
        calls = [c for c in self.calls if c["campaign_id"] == campaign_id]
        view = self._campaign_view(campaign)
        return {
            "success": True,
            "campaign": {
                k: view[k]
                for k in (
                    "id",
                    "name",
                    "status",
                    "total_contacts",
                    "contacts_called",
                    "contacts_completed",
                    "contacts_answered",
                )
            },
            "counts": {
                "byStatus": by_status,
                "byOutcome": by_outcome,
                "answered": by_outcome["answered"],
                "total": len(rows),
            },
            "queue": {
                "pending": [self._row_view(r) for r in rows if r["status"] == "pending"][
                    : limits["limitPending"]
                ],
                "calling": [self._row_view(r) for r in rows if r["status"] == "calling"][
                    : limits["limitCalling"]
                ],
            },
            "recentCalls": [
                {
                    "id": c["id"],
                    "status": "completed",
                    "outcome": c["outcome"],
                    "contact_id": c["contact_id"],
                }
                for c in reversed(calls)
            ][: limits["limitCalls"]],
        }

    def run_campaign(self, campaign_id: str, body: JSON) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        if "action" in body:
            raise FakeHTTPError(400, "action is not accepted; POST /run starts the campaign")
        dry_run = bool(body.get("dryRun", body.get("dry_run", False)))
        max_calls = body.get("maxCalls", body.get("max_calls"))
        if max_calls is not None and (
            not isinstance(max_calls, int) or isinstance(max_calls, bool) or max_calls < 1
        ):
            raise FakeHTTPError(400, "maxCalls must be a positive integer")
        self._slug(body.get("accountSlug"))
        if campaign["status"] in ("completed", "cancelled"):
            raise FakeHTTPError(409, f"cannot start a {campaign['status']} campaign")
        pending = [
            r
            for r in self._ordered(self.campaign_contacts[campaign_id])
            if r["status"] == "pending"
        ]
        picks = pending if max_calls is None else pending[:max_calls]
        if dry_run:
            return {
                "success": True,
                "started": 0,
                "failed": 0,
                "calls": [],
                "errors": [],
                "dryRun": True,
                "picks": [
                    {"campaign_contact_id": r["id"], "contact_id": r["contact_id"]} for r in picks
                ],
                "message": f"Dry run: {len(picks)} contacts would be called",
            }
        self._need_credit()
        if "noAutoComplete" in body or "no_auto_complete" in body:
            campaign["no_auto_complete"] = bool(
                body.get("noAutoComplete", body.get("no_auto_complete"))
            )
        self._set_status(campaign, "running")
        calls, errors, failed = [], [], 0
        for row in picks:
            contact = self.contacts.get(row["contact_id"])
            if contact is None or not contact["phone"]:
                row["status"] = "failed"
                failed += 1
                errors.append(f"{row['id']}: contact has no phone number")
                continue
            if self.credits < 0.1:
                errors.append(f"{row['id']}: out of credit")
                failed += 1
                continue
            outcome = self.rng.choices(OUTCOMES, weights=(60, 15, 15, 10))[0]
            duration = (
                self.rng.randint(20, 300) if outcome == "answered" else self.rng.randint(0, 30)
            )
            self.credits = round(self.credits - 0.1, 4)
            ts = now_iso()
            row.update(
                status="completed",
                attempts=row["attempts"] + 1,
                outcome=outcome,
                disposition=outcome,
                last_attempt_at=ts,
            )
            call = {
                "id": self.new_id("call"),
                "campaign_id": campaign_id,
                "campaign_contact_id": row["id"],
                "contact_id": row["contact_id"],
                "assistant_id": campaign["assistant_id"],
                "from_number": campaign["from_number"],
                "to_number": contact["phone"],
                "outcome": outcome,
                "duration_seconds": duration,
                "ended_at": ts,
            }
            self.calls.append(call)
            contact["last_contacted_at"] = ts
            calls.append(
                {
                    "campaign_contact_id": row["id"],
                    "contact_id": row["contact_id"],
                    "status": "initiated",
                }
            )
            if self.on_call is not None:
                self.on_call(campaign, contact, call)
        remaining = any(r["status"] == "pending" for r in self.campaign_contacts[campaign_id])
        if not remaining and not campaign["no_auto_complete"]:
            self._set_status(campaign, "completed")
        campaign["updated_at"] = now_iso()
        return {
            "success": True,
            "started": len(calls),
            "failed": failed,
            "calls": calls,
            "errors": errors,
            "dryRun": False,
            "message": f"Started {len(calls)} calls",
        }
