"""Per-row validation shared by create, bulk_create, import_contacts and the CLI."""

from __future__ import annotations

import pytest

from talkturo_async._contact_rows import contact_row

BASE = {"first_name": "Maya", "last_name": "Chen"}


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("+1 (415) 555-0100", "+14155550100"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+33.1.23.45.67.89", "+33123456789"),
        ("+14155550100", "+14155550100"),
    ],
)
def test_obvious_phone_forms_are_normalised_to_e164(given: str, sent: str) -> None:
    """Spaces, dashes, dots, parentheses and a 00 prefix are read; the E.164 form is sent."""
    assert contact_row({**BASE, "phone": given}, require_ids=False)["phone"] == sent


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("phone", "415 555 0100", "add the country code"),
        ("phone", "call me", "not an international"),
        ("phone_secondary", "+1", "not an international"),
        ("email", "maya.example.com", "not an e-mail address"),
        ("email", "maya@localhost", "not an e-mail address"),
        ("first_name", "x" * 101, "at most 100"),
        ("notes", "n" * 10_001, "at most 10000"),
        ("custom_fields", {"Region": "r" * 2_001}, "custom field 'Region'"),
    ],
)
def test_bad_values_are_refused_with_the_reason(field: str, value: object, reason: str) -> None:
    """A bad phone, e-mail or an over-long value is a ValueError naming why; nothing is sent."""
    with pytest.raises(ValueError, match=reason):
        contact_row({**BASE, field: value}, require_ids=False)


def test_email_is_kept_when_it_looks_like_an_address() -> None:
    """A plausible address passes through (stripped)."""
    assert contact_row({**BASE, "email": " maya@acme.io "}, require_ids=False)["email"] == (
        "maya@acme.io"
    )
