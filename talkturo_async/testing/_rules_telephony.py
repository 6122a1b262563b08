"""FakeTalkturo's rules for assistants and phone numbers (§13.2, §13.6)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ._store import (
    JSON,
    FakeHTTPError,
    StateBase,
    int_param,
    now_iso,
    paginate,
    required,
)

TEMPLATES = {
    "outbound-setter": "Hi, this is Alex calling about your recent enquiry.",
    "inbound-support": "Thanks for calling, how can I help?",
    "follow-up": "Hi, I'm following up on our last conversation.",
    "custom": "Hello!",
}

STT_PROVIDERS = frozenset({"deepgram", "assemblyai", "cartesia", "elevenlabs", "inworld"})

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


class TelephonyRules(StateBase):
    """Assistants, their numbers, number search, purchase and release."""

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
        period = int_param(query, "period", 30)
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
