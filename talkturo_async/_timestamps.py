"""ISO-8601 timestamps as aware datetimes, the same on every supported Python."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone

_ISO = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$"
)


# The shape servers send (``2026-11-25T10:20:30.123Z``, ``...+02:00``): on Python 3.11+ it goes
# straight to ``fromisoformat``, which reads it exactly as the general path below does, in a
# third of the time. Python 3.10's ``fromisoformat`` rejects ``Z`` and most fraction lengths.
_CANONICAL = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)
_FAST = sys.version_info >= (3, 11)


def parse_timestamp(value: str) -> datetime | None:
    """Parse ISO-8601 (with or without fraction, ``Z`` or offset) as an aware datetime.

    Works the same on Python 3.10 (whose ``fromisoformat`` rejects ``Z``). A string with no zone
    is taken as UTC, the API's documented zone. Returns ``None`` when it is not ISO-8601.
    """
    if _FAST and _CANONICAL.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:  # a date or clock out of range
            return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    date, clock, frac, zone = m.groups()
    clock = clock or "00:00:00"
    if len(clock) == 5:
        clock += ":00"
    text = f"{date}T{clock}"
    if frac:
        text += "." + (frac + "000000")[:6]
    if zone in (None, "Z", "z"):
        zone = "+00:00"
    elif ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    try:
        parsed = datetime.fromisoformat(text + zone)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
