"""ISO-8601 timestamps as aware datetimes, the same on every supported Python."""

from __future__ import annotations

import re
from datetime import datetime, timezone

_ISO = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$"
)


def parse_timestamp(value: str) -> datetime | None:
    """Parse ISO-8601 (with or without fraction, ``Z`` or offset) as an aware datetime.

    Works the same on Python 3.10 (whose ``fromisoformat`` rejects ``Z``). A string with no zone
    is taken as UTC, the API's documented zone. Returns ``None`` when it is not ISO-8601.
    """
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
