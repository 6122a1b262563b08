"""FakeTalkturo's checks of a campaign's retry and voicemail settings (``PATCH`` bodies)."""

from __future__ import annotations

from .._store import JSON, FakeHTTPError

RETRY_FIELDS = {
    "voicemailDropMessage": "voicemail_drop_message",
    "voicemailDetectionEnabled": "voicemail_detection_enabled",
    "voicemailAction": "voicemail_action",
    "unavailableAction": "unavailable_action",
    "retryDelayMinutesNoAnswer": "retry_delay_minutes_no_answer",
    "retryDelayMinutesBusy": "retry_delay_minutes_busy",
    "retryDelayMinutesError": "retry_delay_minutes_error",
    "retryOnError": "retry_on_error",
    "useContactTimezoneForCallWindow": "use_contact_timezone_for_call_window",
    "retryBackoffMode": "retry_backoff_mode",
    "retryBackoffMultiplier": "retry_backoff_multiplier",
    "retryBackoffMaxMinutes": "retry_backoff_max_minutes",
    "maxAttemptsNoAnswer": "max_attempts_no_answer",
    "maxAttemptsBusy": "max_attempts_busy",
    "maxAttemptsError": "max_attempts_error",
}

CHOICES = {
    "voicemailAction": ("leave_message", "hangup"),
    "unavailableAction": ("retry", "fail"),
    "retryBackoffMode": ("fixed", "exponential"),
}
# name -> (lowest, highest, null allowed)
RANGES: dict[str, tuple[float, float, bool]] = {
    "retryDelayMinutesNoAnswer": (1, 10080, False),
    "retryDelayMinutesBusy": (1, 10080, False),
    "retryDelayMinutesError": (1, 10080, False),
    "retryBackoffMultiplier": (1.01, 10, False),
    "maxAttemptsNoAnswer": (1, 50, True),
    "maxAttemptsBusy": (1, 50, True),
    "maxAttemptsError": (1, 50, True),
}


def check_retry_settings(body: JSON) -> None:
    """400 for a retry/voicemail value outside its choices or range."""
    for name, allowed in CHOICES.items():
        if name in body and body[name] not in allowed:
            raise FakeHTTPError(400, f"{name} must be one of {', '.join(allowed)}")
    for name, (low, high, nullable) in RANGES.items():
        if name not in body or (body[name] is None and nullable):
            continue
        value = body[name]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise FakeHTTPError(400, f"{name} must be a number")
        if not low <= value <= high:
            raise FakeHTTPError(400, f"{name} must be from {low} to {high}")
