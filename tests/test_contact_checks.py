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


def test_create_sends_every_contact_input_field_and_nothing_else() -> None:
    """contacts.create checks its arguments as a ContactInput's fields without building one.

    So its keyword arguments must be exactly ``ContactInput``'s fields (plus ``options``): a
    field added to one and not the other would be dropped or refused.
    """
    import inspect

    from talkturo_async._contact_rows import FIELDS
    from talkturo_async.resources.contacts import Contacts

    params = set(inspect.signature(Contacts.create).parameters) - {"self", "options"}
    assert params == set(FIELDS)


async def test_create_sends_the_body_a_contact_input_row_gives() -> None:
    """Over a MockTransport: create's body equals contact_row(ContactInput(...)) for every field."""
    from talkturo_async import ContactInput, MockTransport, Response, Talkturo

    def answer(request: object) -> Response:
        return Response.from_json(200, {"success": True, "contact": {"id": "ct_1"}})

    given = {
        "team_id": "team_1",
        "company_id": "co_1",
        "first_name": "Maya",
        "last_name": "Chen",
        "email": " maya@example.com ",
        "phone": "+1 (415) 555-0100",
        "phone_secondary": "0044 20 7946 0958",
        "job_title": "CTO",
        "lead_status": "new",
        "source": "webinar",
        "timezone": "Europe/London",
        "preferred_contact_method": "email",
        "do_not_call": False,
        "notes": "met at the fair",
        "custom_fields": {"Region": "EMEA"},
        "tags": ("vip", "q4"),
        "campaign_id": "camp_1",
        "campaign_priority": 3,
    }
    transport = MockTransport(answer)
    async with Talkturo("tk_test_contact_checks_0123", transport=transport) as tk:
        await tk.contacts.create(**given)  # type: ignore[arg-type]
    (request,) = transport.requests
    expected = contact_row(ContactInput(**{**given, "tags": ["vip", "q4"]}))  # type: ignore[arg-type]
    assert request.json() == expected
    assert expected["phone"] == "+14155550100" and expected["email"] == "maya@example.com"
