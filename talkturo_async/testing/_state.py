"""FakeTalkturo's in-memory state and the business rules of REFERENCE.md §13.1-13.6.

No HTTP here: each endpoint is a method taking the decoded query and body and returning the JSON
answer, or raising :class:`FakeHTTPError`. Records are stored in their response (snake_case) form.
"""

from __future__ import annotations

import collections
import hashlib
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

JSON = dict[str, Any]

CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"scheduled", "running", "cancelled"}),
    "scheduled": frozenset({"draft", "running", "paused", "cancelled"}),
    "running": frozenset({"paused", "completed", "cancelled"}),
    "paused": frozenset({"running", "completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
ACTIVE_ROW_STATUSES = frozenset({"pending", "queued", "calling"})
CAMPAIGN_CONTACT_STATUSES = ("pending", "queued", "calling", "completed", "skipped", "failed")
OUTCOMES = ("answered", "voicemail", "no_answer", "busy")
TEMPLATES = {
    "outbound-setter": "Hi, this is Alex calling about your recent enquiry.",
    "inbound-support": "Thanks for calling, how can I help?",
    "follow-up": "Hi, I'm following up on our last conversation.",
    "custom": "Hello!",
}
STT_PROVIDERS = frozenset({"deepgram", "assemblyai", "cartesia", "elevenlabs", "inworld"})

CONTACT_FIELDS = {
    "companyId": "company_id",
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "phone": "phone",
    "phoneSecondary": "phone_secondary",
    "jobTitle": "job_title",
    "leadStatus": "lead_status",
    "source": "source",
    "timezone": "timezone",
    "preferredContactMethod": "preferred_contact_method",
    "doNotCall": "do_not_call",
    "notes": "notes",
    "customFields": "custom_fields",
    "tags": "tags",
    "lastContactedAt": "last_contacted_at",
}
COMPANY_FIELDS = {
    "name": "name",
    "website": "website",
    "industry": "industry",
    "companySize": "company_size",
    "addressLine1": "address_line1",
    "addressLine2": "address_line2",
    "city": "city",
    "state": "state",
    "postalCode": "postal_code",
    "country": "country",
    "phone": "phone",
    "notes": "notes",
    "customFields": "custom_fields",
}
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
ASSISTANT_FIELDS = frozenset(
    {
        "name",
        "model",
        "provider",
        "temperature",
        "max_tokens",
        "first_message",
        "system_prompt",
        "voice_provider",
        "voice_model",
        "voice_id",
        "voice_name",
        "voice_language",
        "voice",
        "transcriptor_options",
        "recording_enabled",
        "mode",
        "inbound_enabled",
        "outbound_enabled",
        "destination_country",
        "inbound_company_id",
        "top_p",
        "reasoning_effort",
        "speed",
        "emotion",
        "background_ambience",
        "ambience_volume",
        "thinking_sound",
        "noise_cancellation",
    }
)


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
    limit = _int_param(query, "limit", 50)
    offset = _int_param(query, "offset", 0)
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


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
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


def _bool_param(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise FakeHTTPError(400, f"{name} must be true or false")
    return raw == "true"


def _rename(body: Mapping[str, Any], fields: Mapping[str, str]) -> JSON:
    return {fields[k]: v for k, v in body.items() if k in fields}


class FakeState:
    """Everything the fake stores, and the rules that change it."""

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

    # -- auth ------------------------------------------------------------------------------------

    def test_api_key(self) -> JSON:
        return {"success": True, "message": "Authentication succeeded"}

    # -- companies -------------------------------------------------------------------------------

    def create_company(self, body: JSON) -> JSON:
        required(body, "teamId", "name")
        self._team(body["teamId"])
        ts = now_iso()
        company = {
            "id": self.new_id("comp"),
            "team_id": body["teamId"],
            **dict.fromkeys(COMPANY_FIELDS.values()),
            **_rename(body, COMPANY_FIELDS),
            "created_at": ts,
            "updated_at": ts,
            "created_by": self.account_id,
            "updated_by": self.account_id,
        }
        self.companies[company["id"]] = company
        return {"success": True, "company": self._company_view(company)}

    def _company_view(self, company: JSON, counts: Mapping[str, int] | None = None) -> JSON:
        if counts is None:
            counts = self._contact_counts()
        return {**company, "contact_count": counts.get(company["id"], 0)}

    def _contact_counts(self) -> collections.Counter[str]:
        return collections.Counter(c["company_id"] for c in self.contacts.values())

    def list_companies(self, query: Mapping[str, str]) -> JSON:
        team, slug = query.get("teamId"), query.get("accountSlug")
        if bool(team) == bool(slug):
            raise FakeHTTPError(400, "exactly one of teamId or accountSlug is required")
        if team:
            self._team(team)
        elif slug != self.account_slug:
            raise FakeHTTPError(403, "this key may not access that account")
        search = (query.get("search") or "").lower()
        industry = query.get("industry")
        rows = [
            c
            for c in self.companies.values()
            if (
                not search
                or search in (c["name"] or "").lower()
                or search in (c["website"] or "").lower()
            )
            and (not industry or c["industry"] == industry)
        ]
        counts = self._contact_counts()
        return paginate(
            rows, query, "companies", self.max_page_size, lambda c: self._company_view(c, counts)
        )

    def get_company(self, company_id: str) -> JSON:
        company = self._get(self.companies, company_id, "Company")
        contacts = [c for c in self.contacts.values() if c["company_id"] == company_id]
        recent = [
            {
                k: c[k]
                for k in (
                    "id",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "job_title",
                    "lead_status",
                )
            }
            for c in contacts[-100:]
        ]
        return {
            "success": True,
            "company": self._company_view(company),
            "contacts": recent,
            "opportunities": [],
        }

    def update_company(self, company_id: str, body: JSON) -> JSON:
        company = self._get(self.companies, company_id, "Company")
        changes = _rename(body, COMPANY_FIELDS)
        if not changes:
            raise FakeHTTPError(400, "at least one field to update is required")
        if "name" in changes and not changes["name"]:
            raise FakeHTTPError(400, "name must not be empty")
        if isinstance(changes.get("custom_fields"), dict):
            changes["custom_fields"] = {
                **(company["custom_fields"] or {}),
                **changes["custom_fields"],
            }
        company.update(changes, updated_at=now_iso())
        return {"success": True, "company": self._company_view(company)}

    def delete_company(self, company_id: str) -> JSON:
        self._get(self.companies, company_id, "Company")
        if any(c["company_id"] == company_id for c in self.contacts.values()):
            raise FakeHTTPError(400, "Cannot delete company: contacts are still attached")
        del self.companies[company_id]
        return {"success": True, "message": "Company deleted"}

    def list_company_contacts(self, company_id: str, query: Mapping[str, str]) -> JSON:
        self._get(self.companies, company_id, "Company")
        rows = [c for c in self.contacts.values() if c["company_id"] == company_id]
        return paginate(rows, query, "contacts", self.max_page_size, self._contact_view)

    # -- contacts --------------------------------------------------------------------------------

    def _contact_view(self, contact: JSON) -> JSON:
        company = self.companies.get(contact["company_id"])
        return {
            **contact,
            "company": {"id": company["id"], "name": company["name"]} if company else None,
        }

    def _check_contact_values(self, fields: JSON, where: str = "") -> None:
        if "company_id" in fields:
            if not fields["company_id"]:
                raise FakeHTTPError(400, f"{where}companyId must not be empty")
            if fields["company_id"] not in self.companies:
                raise FakeHTTPError(400, f"{where}companyId does not exist")
        if "do_not_call" in fields and not isinstance(fields["do_not_call"], bool):
            raise FakeHTTPError(400, f"{where}doNotCall must be a boolean")
        if "tags" in fields and fields["tags"] is not None and not isinstance(fields["tags"], list):
            raise FakeHTTPError(400, f"{where}tags must be an array of strings")

    def _new_contact(self, team_id: str, fields: JSON, source: str | None = None) -> JSON:
        ts = now_iso()
        contact = {
            "id": self.new_id("ct"),
            "team_id": team_id,
            **dict.fromkeys(CONTACT_FIELDS.values()),
            "lead_status": "new",
            "do_not_call": False,
            "source": source,
            **{k: v for k, v in fields.items() if v is not None},
            "created_at": ts,
            "updated_at": ts,
            "created_by": self.account_id,
            "updated_by": self.account_id,
        }
        self.contacts[contact["id"]] = contact
        return contact

    def create_contact(self, body: JSON) -> JSON:
        required(body, "teamId", "companyId", "firstName", "lastName")
        self._team(body["teamId"])
        fields = _rename(body, CONTACT_FIELDS)
        fields.pop("last_contacted_at", None)
        self._check_contact_values(fields)
        campaign = None
        if body.get("campaignId"):
            campaign = self._get(self.campaigns, body["campaignId"], "Campaign")
            if campaign["status"] not in ("draft", "scheduled", "paused", "running"):
                raise FakeHTTPError(
                    409, f"cannot enrol contacts in a {campaign['status']} campaign"
                )
        contact = self._new_contact(body["teamId"], fields)
        answer: JSON = {"success": True, "contact": self._contact_view(contact)}
        if campaign is not None:
            row = self._enrol(campaign, contact, int(body.get("campaignPriority") or 0))
            answer["campaign_enrollment"] = {
                "campaign_contact_id": row["id"],
                "status": row["status"],
            }
        return answer

    def list_contacts(self, query: Mapping[str, str]) -> JSON:
        required(query, "teamId")
        self._team(query["teamId"])
        company_id = query.get("companyId")
        search = (query.get("search") or "").lower()
        lead = query.get("leadStatus")
        dnc = _bool_param(query, "doNotCall")
        has_phone = _bool_param(query, "hasPhone")

        def match(c: JSON) -> bool:
            if company_id and c["company_id"] != company_id:
                return False
            if lead and c["lead_status"] != lead:
                return False
            if dnc is not None and bool(c["do_not_call"]) != dnc:
                return False
            if has_phone is not None and bool(c["phone"]) != has_phone:
                return False
            if search:
                hay = " ".join(
                    str(c[k] or "") for k in ("first_name", "last_name", "email", "phone")
                )
                return search in hay.lower()
            return True

        filtered = company_id or search or lead or dnc is not None or has_phone is not None
        rows = (
            [c for c in self.contacts.values() if match(c)]
            if filtered
            else list(self.contacts.values())
        )
        return paginate(rows, query, "contacts", self.max_page_size, self._contact_view)

    def get_contact(self, contact_id: str) -> JSON:
        contact = self._get(self.contacts, contact_id, "Contact")
        history = [
            {
                "campaign_id": cid,
                "campaign_contact_id": r["id"],
                "status": r["status"],
                "outcome": r["outcome"],
            }
            for cid, rows in self.campaign_contacts.items()
            for r in rows
            if r["contact_id"] == contact_id
        ]
        view = {
            **self._contact_view(contact),
            "activities": [],
            "opportunities": [],
            "campaign_history": history,
        }
        return {"success": True, "contact": view}

    def update_contact(self, contact_id: str, body: JSON) -> JSON:
        contact = self._get(self.contacts, contact_id, "Contact")
        changes = _rename(body, CONTACT_FIELDS)
        if not changes:
            raise FakeHTTPError(400, "at least one field to update is required")
        for name in ("first_name", "last_name"):
            if name in changes and not changes[name]:
                raise FakeHTTPError(400, f"{name} must not be empty")
        self._check_contact_values(changes)
        contact.update(changes, updated_at=now_iso())
        return {"success": True, "contact": self._contact_view(contact)}

    def delete_contact(self, contact_id: str) -> JSON:
        self._get(self.contacts, contact_id, "Contact")
        for cid, rows in self.campaign_contacts.items():
            campaign = self.campaigns[cid]
            if campaign["status"] in ("completed", "cancelled") or campaign.get("deleted_at"):
                continue
            if any(
                r["contact_id"] == contact_id and r["status"] in ACTIVE_ROW_STATUSES for r in rows
            ):
                raise FakeHTTPError(
                    400, "Cannot delete contact: currently enrolled in active campaigns"
                )
        del self.contacts[contact_id]
        return {"success": True, "message": "Contact deleted successfully"}

    def import_contacts(self, body: JSON) -> JSON:
        rows = body.get("contacts")
        if not isinstance(rows, list) or not rows:
            raise FakeHTTPError(400, "contacts is required")
        if len(rows) > self.max_import_rows:
            raise FakeHTTPError(400, f"at most {self.max_import_rows} contacts per import")
        team_id = body.get("teamId") or self.team_id
        self._team(team_id)
        imported, errors = 0, []
        for index, row in enumerate(rows):
            try:
                if not isinstance(row, dict):
                    raise FakeHTTPError(400, "row must be an object")
                required(row, "firstName", "lastName")
                fields = _rename(row, CONTACT_FIELDS)
                fields.pop("last_contacted_at", None)
                self._check_contact_values(fields)
            except FakeHTTPError as exc:
                errors.append({"row": index, "error": exc.body["error"]})
                continue
            self._new_contact(team_id, fields, source=fields.get("source") or "import")
            imported += 1
        return {"success": True, "imported": imported, "failed": len(errors), "errors": errors}

    # -- assistants ------------------------------------------------------------------------------

    def _slug(self, slug: Any) -> None:
        if slug is not None and slug != self.account_slug:
            raise FakeHTTPError(403, "this key may not access that account")

    def create_assistant(self, body: JSON) -> JSON:
        required(body, "accountSlug", "name")
        self._slug(body["accountSlug"])
        template = body.get("templateId") or "custom"
        ts = now_iso()
        assistant = {
            "id": self.new_id("asst"),
            "account_id": self.account_id,
            "account_slug": self.account_slug,
            "name": body["name"],
            "type": template,
            "mode": "standard",
            "model": "gpt-4o-mini",
            "provider": "openai",
            "temperature": 0.7,
            "max_tokens": 1024,
            "first_message": TEMPLATES.get(template, TEMPLATES["custom"]),
            "system_prompt": f"You are {body['name']}, a helpful voice assistant.",
            "voice_provider": "cartesia",
            "voice_model": "sonic-2",
            "voice_id": "voice_001",
            "voice_name": "Alex",
            "voice_language": "en",
            "voice": None,
            "transcriptor_options": {"provider": "deepgram", "model": "nova-3", "language": "en"},
            "recording_enabled": True,
            "inbound_enabled": template == "inbound-support",
            "outbound_enabled": template != "inbound-support",
            "destination_country": "US",
            "inbound_company_id": None,
            "created_at": ts,
            "updated_at": ts,
        }
        self.assistants[assistant["id"]] = assistant
        return {"success": True, "assistant": assistant}

    def get_assistant(self, assistant_id: str) -> JSON:
        return {"success": True, "assistant": self._get(self.assistants, assistant_id, "Assistant")}

    def update_assistant(self, assistant_id: str, body: JSON) -> JSON:
        assistant = self._get(self.assistants, assistant_id, "Assistant")
        self._slug(body.get("accountSlug"))
        changes = {k: v for k, v in body.items() if k != "accountSlug"}
        if not changes:
            raise FakeHTTPError(400, "at least one assistant field is required")
        unknown = sorted(set(changes) - ASSISTANT_FIELDS)
        if unknown:
            raise FakeHTTPError(400, f"unknown assistant field: {unknown[0]}")
        options = changes.get("transcriptor_options")
        if options is not None:
            issues = []
            if not isinstance(options, dict):
                issues.append({"path": "transcriptor_options", "message": "must be an object"})
            elif options.get("provider") not in STT_PROVIDERS:
                issues.append(
                    {"path": "transcriptor_options.provider", "message": "unknown STT provider"}
                )
            if issues:
                raise FakeHTTPError(400, "invalid_transcriptor_options", issues=issues)
        assistant.update(changes, updated_at=now_iso())
        return {"success": True, "assistant": assistant}

    def delete_assistant(self, assistant_id: str) -> JSON:
        self._get(self.assistants, assistant_id, "Assistant")
        del self.assistants[assistant_id]
        for number in self.phone_numbers.values():
            if number["assistant_id"] == assistant_id:
                number.update(assistant_id=None, assistant_name=None)
        return {"success": True, "message": "Assistant deleted successfully"}

    def clone_assistant(self, assistant_id: str, body: JSON) -> JSON:
        source = self._get(self.assistants, assistant_id, "Assistant")
        self._slug(body.get("accountSlug"))
        ts = now_iso()
        copy = {
            **source,
            "id": self.new_id("asst"),
            "name": body.get("newName") or f"{source['name']} (Copy)",
            "created_at": ts,
            "updated_at": ts,
        }
        self.assistants[copy["id"]] = copy
        return {"success": True, "assistant": copy}

    def usage_stats(self, assistant_id: str, query: Mapping[str, str]) -> JSON:
        self._get(self.assistants, assistant_id, "Assistant")
        if query.get("accountId") not in (None, self.account_id):
            raise FakeHTTPError(403, "this key may not access that account")
        period = _int_param(query, "period", 30)
        calls = [c for c in self.calls if c["assistant_id"] == assistant_id]
        answered = [c for c in calls if c["outcome"] == "answered"]
        minutes = round(sum(c["duration_seconds"] for c in calls) / 60, 2)
        stats = {
            "total_calls": len(calls),
            "total_minutes": minutes,
            "last_call_at": calls[-1]["ended_at"] if calls else None,
            "avg_duration_minutes": round(minutes / len(answered), 2) if answered else None,
            "completed_calls_with_duration": len(answered),
            "success_rate_percent": round(100 * len(answered) / len(calls), 1) if calls else None,
            "success_evaluated_count": len(calls),
            "timeline": {
                "today": len(calls),
                "last7Days": len(calls),
                "last30Days": len(calls),
                "last365Days": len(calls),
            },
            "daily_series": [{"date": now_iso()[:10], "count": len(calls)}] if calls else [],
            "period_days": period,
        }
        return {"success": True, "stats": stats}

    def assign_phone_numbers(self, assistant_id: str, body: JSON) -> JSON:
        assistant = self._get(self.assistants, assistant_id, "Assistant")
        required(body, "accountSlug", "phoneNumberIds")
        self._slug(body["accountSlug"])
        ids = body["phoneNumberIds"]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise FakeHTTPError(400, "phoneNumberIds must be an array of ids")
        numbers = [self._number(i) for i in ids]
        for number in numbers:
            if number["status"] != "active":
                raise FakeHTTPError(400, f"phone number {number['id']} is not active")
            if number["assistant_id"] not in (None, assistant_id):
                raise FakeHTTPError(
                    409, f"phone number {number['id']} is assigned to another assistant"
                )
        for number in numbers:
            number.update(assistant_id=assistant_id, assistant_name=assistant["name"])
        return {"success": True}

    def list_assistant_numbers(self, assistant_id: str, query: Mapping[str, str]) -> JSON:
        self._get(self.assistants, assistant_id, "Assistant")
        self._slug(query.get("accountSlug"))
        rows = [
            self._number(n["id"])
            for n in list(self.phone_numbers.values())
            if n["assistant_id"] in (None, assistant_id)
        ]
        rows = [n for n in rows if n["status"] == "active"]
        return paginate(rows, query, "numbers", self.max_page_size)

    # -- phone numbers ---------------------------------------------------------------------------

    def _number(self, number_id: str) -> JSON:
        number = self._get(self.phone_numbers, number_id, "Phone number")
        due = self._activate_at.get(number_id)
        if due is not None and self.clock() >= due:
            number["status"] = "active"
            del self._activate_at[number_id]
        return number

    def search_numbers(self, body: JSON) -> JSON:
        filters = body.get("filters")
        if not isinstance(filters, dict):
            raise FakeHTTPError(400, "filters is required")
        required(filters, "countryCode")
        country = str(filters["countryCode"]).upper()
        area = filters.get("areaCode")
        kind = filters.get("numberType") or "local"
        limit = filters.get("limit", 20)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 100:
            raise FakeHTTPError(400, "filters.limit must be an integer from 1 to 100")
        if kind not in ("local", "toll-free"):
            raise FakeHTTPError(400, "filters.numberType must be local or toll-free")
        prefixes = {"US": "+1", "CA": "+1", "GB": "+44", "DE": "+49", "AU": "+61"}
        if country not in prefixes:
            raise FakeHTTPError(400, f"numbers are not available in {country}")
        if area is not None and (
            country not in ("US", "CA") or not str(area).isdigit() or len(str(area)) != 3
        ):
            raise FakeHTTPError(400, "filters.areaCode must be 3 digits and is for US/CA only")
        if kind == "toll-free":
            head = prefixes[country] + "800"
        elif prefixes[country] == "+1":
            head = "+1" + str(area or "415")
        else:
            head = prefixes[country] + {"GB": "20", "DE": "30", "AU": "2"}[country]
        owned = {n["phone_number"] for n in self.phone_numbers.values()}
        digest = hashlib.sha256(f"{self.seed}|{head}".encode()).digest()
        numbers: list[JSON] = []
        i = 0
        while len(numbers) < limit and i < 1000:
            tail = (int.from_bytes(digest[:4], "big") + i * 7919) % 10_000
            candidate = f"{head}555{tail:04d}"
            i += 1
            if candidate in owned or any(n["phoneNumber"] == candidate for n in numbers):
                continue
            numbers.append(
                {
                    "phoneNumber": candidate,
                    "monthlyPrice": self.number_price,
                    "setupPrice": self.number_price,
                    "features": ["voice", "sms"] if kind == "local" else ["voice"],
                }
            )
        return {"success": True, "numbers": numbers, "provider": "telnyx", "count": len(numbers)}

    def purchase_number(self, body: JSON, *, activation_delay: float | None = None) -> JSON:
        required(body, "phoneNumber", "teamId")
        self._team(body["teamId"])
        e164 = body["phoneNumber"]
        if not isinstance(e164, str) or not e164.startswith("+") or not e164[1:].isdigit():
            raise FakeHTTPError(400, "phoneNumber must be E.164")
        if any(n["phone_number"] == e164 for n in self.phone_numbers.values()):
            raise FakeHTTPError(409, "Number already exists")
        price = float(self.number_price)
        if self.credits < price:
            raise FakeHTTPError(402, "Insufficient balance", balance=self.credits, required=price)
        self.credits = round(self.credits - price, 4)
        number = {
            "id": self.new_id("pn"),
            "phone_number": e164,
            "status": "purchasing",
            "team_id": body["teamId"],
            "assistant_id": None,
            "assistant_name": None,
            "provider": "telnyx",
            "ownership_type": "platform",
            "provider_account_id": None,
            "features": ["voice", "sms"],
            "country_code": "US" if e164.startswith("+1") else None,
            "is_trial": False,
            "trial_expires_at": None,
            "message": "Number purchase in progress",
            "created_by_user_id": self.account_id,
            "created_by_email": None,
            "created_by_name": None,
            "created_at": now_iso(),
        }
        self.phone_numbers[number["id"]] = number
        delay = self.activation_delay if activation_delay is None else activation_delay
        self._activate_at[number["id"]] = self.clock() + delay
        eligibility = {
            "currentCount": len(self.phone_numbers),
            "maxAllowed": 100,
            "hasSubscription": True,
            "planName": "Fake",
        }
        return {"success": True, "phoneNumber": dict(number), "eligibility": eligibility}

    def list_numbers(self, query: Mapping[str, str]) -> JSON:
        required(query, "teamId")
        self._team(query["teamId"])
        rows = [self._number(i) for i in list(self.phone_numbers)]
        return paginate(rows, query, "numbers", self.max_page_size)

    def get_number(self, number_id: str) -> JSON:
        return {"success": True, "phoneNumber": self._number(number_id)}

    def release_number(self, number_id: str, query: Mapping[str, str]) -> JSON:
        self._number(number_id)
        self._slug(query.get("account"))
        del self.phone_numbers[number_id]
        self._activate_at.pop(number_id, None)
        return {"success": True, "message": "Phone number released"}

    # -- campaigns -------------------------------------------------------------------------------

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
        changes = _rename(body, CAMPAIGN_FIELDS)
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

    def pause_allowed(self, campaign_id: str, body: JSON) -> None:
        """The contract's pause rule: 409 unless running or scheduled."""
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        if body.get("status") == "paused" and campaign["status"] not in (
            "running",
            "scheduled",
            "paused",
        ):
            raise FakeHTTPError(409, f"cannot pause a {campaign['status']} campaign")

    def delete_campaign(self, campaign_id: str) -> JSON:
        campaign = self._get(self.campaigns, campaign_id, "Campaign")
        if campaign["status"] not in ("draft", "cancelled"):
            raise FakeHTTPError(
                400, f"only draft or cancelled campaigns can be deleted, not {campaign['status']}"
            )
        campaign["deleted_at"] = now_iso()
        return {"success": True, "message": "Campaign deleted successfully"}

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
            value = _int_param(query, name, 25)
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
