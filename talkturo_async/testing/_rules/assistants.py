"""FakeTalkturo's rules for assistants.

Templates, updates with field checks, clones, usage statistics from the calls placed, and assigning
phone numbers.
"""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import int_param, is_list, is_object, paginate, required
from .phone_numbers import find_number

TEMPLATES = {
    "outbound-setter": "Hi, this is Alex calling about your recent enquiry.",
    "inbound-support": "Thanks for calling, how can I help?",
    "follow-up": "Hi, I'm following up on our last conversation.",
    "custom": "Hello!",
}

STT_PROVIDERS = frozenset({"deepgram", "assemblyai", "cartesia", "elevenlabs", "inworld"})

TTS_PROVIDERS = frozenset({"cartesia", "elevenlabs", "openai", "dashscope"})
VOICE_OPTION_RANGES = {"speed": (0.5, 2.0), "stability": (0.0, 1.0), "similarity_boost": (0.0, 1.0)}


def _find(store: Store, assistant_id: str) -> JSON:
    return store.get_or_404(store.assistants, assistant_id, "Assistant")


def create_assistant(store: Store, call: Call) -> JSON:
    """A new assistant from a template (``templateId``, default ``custom``)."""
    body = call.body
    required(body, "accountSlug", "name")
    store.check_account_slug(body["accountSlug"])
    template = body.get("templateId") or "custom"
    ts = now_iso()
    assistant: JSON = {
        "id": store.new_id("asst"),
        "account_id": store.account_id,
        "account_slug": store.account_slug,
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
    store.assistants[assistant["id"]] = assistant
    return {"success": True, "assistant": assistant}


def get_assistant(store: Store, call: Call) -> JSON:
    """One assistant."""
    return {"success": True, "assistant": _find(store, call.id)}


def _option_issues(changes: JSON, assistant: JSON) -> None:
    """400 ``invalid_transcriptor_options`` / ``invalid_voice_options`` with ``issues``."""
    options = changes.get("transcriptor_options")
    if options is not None:
        issues: list[JSON] = []
        if not is_object(options):
            issues.append({"path": "transcriptor_options", "message": "must be an object"})
        elif options.get("provider") not in STT_PROVIDERS:
            issues.append(
                {"path": "transcriptor_options.provider", "message": "unknown STT provider"}
            )
        if issues:
            raise FakeHTTPError(400, "invalid_transcriptor_options", issues=issues)
    voice = changes.get("voice_options")
    if voice is not None:
        issues = []
        provider = changes.get("voice_provider", assistant.get("voice_provider"))
        if not is_object(voice):
            issues.append({"path": "voice_options", "message": "must be an object"})
        else:
            if provider not in TTS_PROVIDERS:
                issues.append({"path": "voice_provider", "message": "unknown voice provider"})
            for name, (low, high) in VOICE_OPTION_RANGES.items():
                value = voice.get(name)
                if value is None:
                    continue
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    issues.append({"path": f"voice_options.{name}", "message": "must be a number"})
                elif not low <= value <= high:
                    issues.append(
                        {"path": f"voice_options.{name}", "message": f"must be {low} to {high}"}
                    )
        if issues:
            raise FakeHTTPError(400, "invalid_voice_options", issues=issues)


def update_assistant(store: Store, call: Call) -> JSON:
    """Change any snake_case assistant fields (400 for none or a camelCase name).

    The ``transcriptor_options`` and ``voice_options`` objects are checked against their provider.
    """
    assistant = _find(store, call.id)
    store.check_account_slug(call.body.get("accountSlug"))
    changes = {k: v for k, v in call.body.items() if k != "accountSlug"}
    if not changes:
        raise FakeHTTPError(400, "at least one assistant field is required")
    camel = sorted(k for k in changes if k != k.lower())
    if camel:
        raise FakeHTTPError(400, f"assistant fields use snake_case names, not {camel[0]}")
    _option_issues(changes, assistant)
    assistant.update(changes, updated_at=now_iso())
    return {"success": True, "assistant": assistant}


def delete_assistant(store: Store, call: Call) -> JSON:
    """Delete an assistant; its numbers become unassigned."""
    _find(store, call.id)
    del store.assistants[call.id]
    for number in store.phone_numbers.values():
        if number["assistant_id"] == call.id:
            number.update(assistant_id=None, assistant_name=None)
    return {"success": True, "message": "Assistant deleted successfully"}


def clone_assistant(store: Store, call: Call) -> JSON:
    """A copy named ``newName`` (default ``<name> (Copy)``)."""
    source = _find(store, call.id)
    store.check_account_slug(call.body.get("accountSlug"))
    ts = now_iso()
    copy = {
        **source,
        "id": store.new_id("asst"),
        "name": call.body.get("newName") or f"{source['name']} (Copy)",
        "created_at": ts,
        "updated_at": ts,
    }
    store.assistants[copy["id"]] = copy
    return {"success": True, "assistant": copy}


def usage_stats(store: Store, call: Call) -> JSON:
    """Call counts, minutes and success rate over the calls this assistant placed."""
    _find(store, call.id)
    if call.query.get("accountId") not in (None, store.account_id):
        raise FakeHTTPError(403, "this key may not access that account")
    period = int_param(call.query, "period", 30)
    calls = [c for c in store.calls if c["assistant_id"] == call.id]
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


def assign_phone_numbers(store: Store, call: Call) -> JSON:
    """Assign active numbers (400 if not active, 409 if another assistant has one)."""
    assistant = _find(store, call.id)
    body = call.body
    required(body, "accountSlug", "phoneNumberIds")
    store.check_account_slug(body["accountSlug"])
    ids = body["phoneNumberIds"]
    if not is_list(ids) or not all(isinstance(i, str) for i in ids):
        raise FakeHTTPError(400, "phoneNumberIds must be an array of ids")
    numbers = [find_number(store, i) for i in ids]
    for number in numbers:
        if number["status"] != "active":
            raise FakeHTTPError(400, f"phone number {number['id']} is not active")
        if number["assistant_id"] not in (None, call.id):
            raise FakeHTTPError(
                409, f"phone number {number['id']} is assigned to another assistant"
            )
    for number in numbers:
        number.update(assistant_id=call.id, assistant_name=assistant["name"])
    return {"success": True}


def list_assistant_numbers(store: Store, call: Call) -> JSON:
    """Active numbers this assistant may use (its own and unassigned ones), one page."""
    _find(store, call.id)
    store.check_account_slug(call.query.get("accountSlug"))
    rows = [
        find_number(store, n["id"])
        for n in list(store.phone_numbers.values())
        if n["assistant_id"] in (None, call.id)
    ]
    rows = [n for n in rows if n["status"] == "active"]
    return paginate(rows, call.query, "numbers", store.max_page_size)
