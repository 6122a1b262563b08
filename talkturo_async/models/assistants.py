"""Models of the assistants group."""

from __future__ import annotations

from typing import Any, Final, Literal, TypedDict

import attrs

from ._base import Model, Timestamp

TemplateId = Literal["outbound-setter", "inbound-support", "follow-up", "custom"]
"""Known assistant templates; other strings are passed through unchanged."""

TEMPLATE_OUTBOUND_SETTER: Final = "outbound-setter"
TEMPLATE_INBOUND_SUPPORT: Final = "inbound-support"
TEMPLATE_FOLLOW_UP: Final = "follow-up"
TEMPLATE_CUSTOM: Final = "custom"

AssistantMode = Literal["standard", "realtime"]
"""An assistant's pipeline: speech-to-text, LLM and voice (``standard``) or one realtime model."""

ReasoningEffort = Literal["default", "low", "medium", "high"]
"""How hard a reasoning LLM thinks before answering."""

NoiseCancellation = Literal["off", "nc", "bvc"]
"""Noise cancellation on the caller's audio (``bvc``: background voice cancellation too)."""


class AssistantUpdate(TypedDict, total=False):
    """The fields ``assistants.update`` takes, sent under these snake_case names.

    Each is optional; ``None`` clears a field. camelCase spellings are accepted at run time and
    sent in snake_case. ``transcriptor_options`` and ``voice_options`` are checked by the server
    against the chosen providers.
    """

    name: str
    mode: AssistantMode
    model: str | None
    provider: str | None
    temperature: float | None
    top_p: float | None
    max_tokens: int | None
    reasoning_effort: ReasoningEffort | None
    first_message: str | None
    system_prompt: str | None
    voice: str | None
    voice_provider: str | None
    voice_model: str | None
    voice_id: str | None
    voice_name: str | None
    voice_language: str | None
    voice_options: dict[str, Any] | None
    transcriptor_options: dict[str, Any] | None
    speed: float | None
    emotion: str | None
    background_ambience: str | None
    ambience_volume: float | None
    thinking_sound: str | None
    noise_cancellation: NoiseCancellation | None
    recording_enabled: bool
    inbound_enabled: bool
    outbound_enabled: bool
    destination_country: str | None
    inbound_company_id: str | None


@attrs.frozen(kw_only=True)
class Assistant(Model):
    """A voice AI assistant.

    Attributes:
        type: the template it was created from (``outbound-setter``, ...).
        mode: ``standard`` or ``realtime``.
        model, provider: the LLM and its provider (``gpt-4o-mini``, ``openai``).
        max_tokens: cap on tokens per spoken response.
        first_message: what the assistant says when a call connects.
        system_prompt: its instructions / persona.
        voice_provider, voice_model, voice_id, voice_name, voice_language, voice: text-to-speech setup.
        transcriptor_options: speech-to-text settings (provider, model, language, ...).
        inbound_enabled, outbound_enabled: whether it answers / places calls.
    """

    id: str
    account_id: str | None = None
    account_slug: str | None = None
    name: str | None = None
    type: str | None = None
    mode: str | None = None
    model: str | None = None
    provider: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    first_message: str | None = None
    system_prompt: str | None = None
    voice_provider: str | None = None
    voice_model: str | None = None
    voice_id: str | None = None
    voice_name: str | None = None
    voice_language: str | None = None
    voice: str | None = None
    transcriptor_options: dict[str, Any] | None = None
    recording_enabled: bool | None = None
    inbound_enabled: bool | None = None
    outbound_enabled: bool | None = None
    destination_country: str | None = None
    inbound_company_id: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class UsageStats(Model):
    """Call statistics of one assistant.

    Attributes:
        total_calls: calls in the period (a number: kept as sent, never truncated).
        total_minutes: minutes of calls in the period.
        success_rate_percent: share of evaluated calls judged successful (``None`` if none were).
        timeline: call counts over fixed windows (``today``, ``last7Days``, ...).
        daily_series: ``[{"date": "YYYY-MM-DD", "count": n}, ...]``.
    """

    total_calls: float | None = None
    total_minutes: float | None = None
    last_call_at: Timestamp | None = None
    avg_duration_minutes: float | None = None
    completed_calls_with_duration: int | None = None
    success_rate_percent: float | None = None
    success_evaluated_count: int | None = None
    timeline: dict[str, Any] | None = None
    daily_series: list[dict[str, Any]] | None = None
