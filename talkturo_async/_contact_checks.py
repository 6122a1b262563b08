"""Per-value checks of a contact row: phone numbers, e-mail addresses and field lengths.

Pure functions, used by :func:`talkturo_async._contact_rows.contact_row`, so ``contacts.create``,
``bulk_create``, ``import_contacts`` and the CLI refuse the same rows for the same reasons.
"""

from __future__ import annotations

import re
from typing import Any, cast

# Longest value accepted per field; the API documents no limits, these keep a runaway cell (a
# whole paragraph pasted into "last name") from being sent.
MAX_LENGTH: dict[str, int] = {
    "first_name": 100,
    "last_name": 100,
    "email": 254,  # RFC 5321's longest address
    "job_title": 200,
    "lead_status": 50,
    "source": 200,
    "timezone": 64,
    "preferred_contact_method": 50,
    "notes": 10_000,
}
MAX_CUSTOM_VALUE = 2_000
MAX_TAG = 100

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_PHONE_NOISE = re.compile(r"[\s().\-/]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def normalise_phone(field: str, value: Any) -> str:
    """``value`` as E.164 (``+`` and 7 to 15 digits).

    Spaces, dots, dashes, slashes and parentheses are dropped and a leading ``00`` reads as ``+``.

    Raises:
        ValueError: not a phone number in international form (naming the field and the value).
    """
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected a phone number as text, got {type(value).__name__}")
    text = _PHONE_NOISE.sub("", value)
    if text.startswith("00"):
        text = "+" + text[2:]
    if _E164.fullmatch(text):
        return text
    hint = (
        "; add the country code, e.g. +1 for the US"
        if text.isdigit()
        else " (expected + and the country code, e.g. +14155550100)"
    )
    raise ValueError(f"{field}: {value!r} is not an international (E.164) phone number{hint}")


def check_email(value: Any) -> str:
    """``value`` stripped, if it has the shape of an address (``name@domain.tld``).

    Raises:
        ValueError: it does not.
    """
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()):
        raise ValueError(f"email: {value!r} is not an e-mail address")
    return value.strip()


def check_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The row's fields with phones normalised; ``ValueError`` for the first bad value."""
    checked = dict(fields)
    for name in ("phone", "phone_secondary"):
        if checked.get(name) not in (None, ""):
            checked[name] = normalise_phone(name, checked[name])
    if checked.get("email") not in (None, ""):
        checked["email"] = check_email(checked["email"])
    for name, limit in MAX_LENGTH.items():
        value = checked.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(
                f"{name} is {len(value)} characters long; at most {limit} are accepted"
            )
    custom = checked.get("custom_fields")
    if isinstance(custom, dict):
        for key, value in cast("dict[object, object]", custom).items():
            if isinstance(value, str) and len(value) > MAX_CUSTOM_VALUE:
                raise ValueError(
                    f"custom field {key!r} is {len(value)} characters long; "
                    f"at most {MAX_CUSTOM_VALUE} are accepted"
                )
    for tag in checked.get("tags") or ():
        if isinstance(tag, str) and len(tag) > MAX_TAG:
            raise ValueError(f"a tag is {len(tag)} characters long; at most {MAX_TAG} are accepted")
    return checked
