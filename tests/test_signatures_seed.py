"""Typed, strict signatures of the seed groups (issue #10), through the public API over loopback.

auth, assistants, campaigns, contacts, companies, phone_numbers and knowledge_base: per-call
``options=`` reach the wire (on every page and every chunk), enum-like arguments outside their
``Literal`` and unknown ``update`` fields are refused before anything is sent, naming the argument
and the closest valid value, and blank strings count as missing.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, cast

import pytest

from talkturo_async import Assistant, Contact, RequestOptions, ServerError, Talkturo
from talkturo_async.resources.assistants import Assistants
from talkturo_async.resources.auth import Auth
from talkturo_async.resources.campaigns import Campaigns
from talkturo_async.resources.companies import Companies
from talkturo_async.resources.contacts import Contacts
from talkturo_async.resources.knowledge_base import KnowledgeBase
from talkturo_async.resources.phone_numbers import PhoneNumbers
from talkturo_async.testing import FakeTalkturo
from tests.conftest import as_dict

TRACE: RequestOptions = {"extra_headers": {"X-Trace": "sig-1"}}


def seed(fake: FakeTalkturo, contacts: int = 0) -> dict[str, Any]:
    """A company, an outbound assistant, a campaign and ``contacts`` contacts, without HTTP."""
    state = fake.state
    company = state.create_company({"teamId": fake.team_id, "name": "Acme"})["company"]["id"]
    bot = state.create_assistant(
        {"accountSlug": fake.account_slug, "name": "Setter", "templateId": "outbound-setter"}
    )["assistant"]["id"]
    people = [
        state.create_contact(
            {
                "teamId": fake.team_id,
                "companyId": company,
                "firstName": f"C{i}",
                "lastName": "X",
                "phone": f"+1415555{i:04d}",
            }
        )["contact"]["id"]
        for i in range(contacts)
    ]
    camp = state.create_campaign(
        {"teamId": fake.team_id, "assistantId": bot, "companyId": company, "name": "Q1"}
    )["campaign"]["id"]
    return {"company": company, "bot": bot, "contacts": people, "campaign": camp}


# --- options reach the wire ---------------------------------------------------------------------

Call = Callable[[Talkturo, FakeTalkturo, dict[str, Any]], Awaitable[Any]]

CALLS: dict[str, Call] = {
    "auth.test": lambda tk, f, s: tk.auth.test(options=TRACE),
    "assistants.get": lambda tk, f, s: tk.assistants.get(s["bot"], options=TRACE),
    "assistants.update": lambda tk, f, s: tk.assistants.update(
        s["bot"],
        temperature=0.2,
        options=TRACE,
    ),
    "assistants.clone": lambda tk, f, s: tk.assistants.clone(s["bot"], options=TRACE),
    "assistants.usage_stats": lambda tk, f, s: tk.assistants.usage_stats(
        s["bot"],
        options=TRACE,
    ),
    "assistants.test_webhook": lambda tk, f, s: tk.assistants.test_webhook(
        s["bot"],
        options=TRACE,
    ),
    "campaigns.get": lambda tk, f, s: tk.campaigns.get(s["campaign"], options=TRACE),
    "campaigns.update": lambda tk, f, s: tk.campaigns.update(
        s["campaign"],
        name="Q2",
        options=TRACE,
    ),
    "campaigns.dashboard": lambda tk, f, s: tk.campaigns.dashboard(
        s["campaign"],
        options=TRACE,
    ),
    "campaigns.start": lambda tk, f, s: tk.campaigns.start(
        s["campaign"],
        dry_run=True,
        options=TRACE,
    ),
    "campaigns.delete": lambda tk, f, s: tk.campaigns.delete(s["campaign"], options=TRACE),
    "campaigns.list_outbound_assistants": lambda tk, f, s: tk.campaigns.list_outbound_assistants(
        options=TRACE
    ),
    "contacts.get": lambda tk, f, s: tk.contacts.get(s["contacts"][0], options=TRACE),
    "contacts.create": lambda tk, f, s: tk.contacts.create(
        f.team_id,
        s["company"],
        "Maya",
        "Chen",
        options=TRACE,
    ),
    "contacts.delete": lambda tk, f, s: tk.contacts.delete(s["contacts"][0], options=TRACE),
    "companies.create": lambda tk, f, s: tk.companies.create(f.team_id, "B", options=TRACE),
    "companies.get": lambda tk, f, s: tk.companies.get(s["company"], options=TRACE),
    "companies.update": lambda tk, f, s: tk.companies.update(
        s["company"],
        city="Oslo",
        options=TRACE,
    ),
    "phone_numbers.search": lambda tk, f, s: tk.phone_numbers.search("US", options=TRACE),
    "knowledge_base.list": lambda tk, f, s: tk.knowledge_base.list(s["bot"], options=TRACE),
    "knowledge_base.upload": lambda tk, f, s: tk.knowledge_base.upload(
        s["bot"],
        b"hello",
        filename="a.txt",
        options=TRACE,
    ),
    "knowledge_base.billing_estimate": lambda tk, f, s: tk.knowledge_base.billing_estimate(
        s["bot"],
        options=TRACE,
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_options_reach_the_wire(fake: FakeTalkturo, tk: Talkturo, name: str) -> None:
    """``options={"extra_headers": ...}`` is on the request each method sends, and only there."""
    state = seed(fake, 1)
    await CALLS[name](tk, fake, state)
    assert fake.requests[-1].headers.get("X-Trace") == "sig-1"
    await tk.auth.test()
    assert "X-Trace" not in fake.requests[-1].headers


async def test_options_apply_to_every_page_of_a_list(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A list's options go with every page it fetches."""
    state = seed(fake, 3)
    before = len(fake.requests)
    got = await tk.contacts.list(fake.team_id, limit=1, options=TRACE).to_list()
    assert len(got) == 3
    pages = fake.requests[before:]
    assert len(pages) >= 3 and all(r.headers.get("X-Trace") == "sig-1" for r in pages)
    for pager in (
        tk.companies.list(team_id=fake.team_id, options=TRACE),
        tk.companies.list_contacts(state["company"], options=TRACE),
        tk.campaigns.list(fake.team_id, options=TRACE),
        tk.campaigns.list_contacts(state["campaign"], options=TRACE),
        tk.assistants.list_phone_numbers(state["bot"], options=TRACE),
        tk.phone_numbers.list(fake.team_id, options=TRACE),
    ):
        await pager.to_list()
        assert fake.requests[-1].headers.get("X-Trace") == "sig-1"


async def test_options_apply_to_every_chunk(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Chunked and bulk methods send the options with every request they make."""
    state = seed(fake, 3)
    before = len(fake.requests)
    await tk.campaigns.add_contacts(
        state["campaign"],
        contact_ids=state["contacts"],
        chunk_size=1,
        options=TRACE,
    )
    rows = [{"first_name": f"R{i}", "last_name": "Y"} for i in range(3)]
    await tk.contacts.import_contacts(rows, fake.team_id, chunk_size=1, options=TRACE)
    full = [{**r, "team_id": fake.team_id, "company_id": state["company"]} for r in rows]
    report = await tk.contacts.bulk_create(full, options=TRACE).collect()
    assert not report.failed
    sent = fake.requests[before:]
    assert len(sent) == 9 and all(r.headers.get("X-Trace") == "sig-1" for r in sent)


async def test_an_options_idempotency_key_becomes_the_chunks_prefix(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """options' idempotency_key on a chunked call keys each chunk apart, as the argument does."""
    state = seed(fake, 2)
    before = len(fake.requests)
    await tk.campaigns.add_contacts(
        state["campaign"],
        contact_ids=state["contacts"],
        chunk_size=1,
        options={"idempotency_key": "enrol-7"},
    )
    keys = sorted(r.headers["Idempotency-Key"] for r in fake.requests[before:])
    assert keys == ["enrol-7-chunk-0", "enrol-7-chunk-1"]
    with pytest.raises(ValueError, match="idempotency_key"):
        await tk.campaigns.add_contacts(
            state["campaign"],
            contact_ids=state["contacts"],
            idempotency_key="a",
            options={"idempotency_key": "b"},
        )


async def test_options_cannot_make_a_one_shot_upload_retry(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """An upload from an async iterator stays unretried even with options' max_retries."""
    state = seed(fake)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"once"

    fake.fail_next(1, status=503, method="POST")
    before = len(fake.requests)
    with pytest.raises(ServerError):
        await tk.knowledge_base.upload(
            state["bot"], chunks(), filename="a.txt", options={"max_retries": 3}
        )
    assert len(fake.requests) - before == 1


# --- Literal arguments ----------------------------------------------------------------------------

Refused = Callable[[Talkturo, FakeTalkturo, dict[str, Any]], Any]

BAD_LITERALS: list[tuple[str, Refused, str, str]] = [
    (
        "campaigns.list status",
        lambda tk, f, s: tk.campaigns.list(f.team_id, status="runnning"),  # type: ignore[arg-type]
        "status='runnning'",
        "running",
    ),
    (
        "campaigns.list deleted",
        lambda tk, f, s: tk.campaigns.list(f.team_id, deleted="includ"),  # type: ignore[arg-type]
        "deleted='includ'",
        "include",
    ),
    (
        "campaigns.list_contacts status",
        lambda tk, f, s: tk.campaigns.list_contacts(s["campaign"], status="queud"),  # type: ignore[arg-type]
        "status='queud'",
        "queued",
    ),
    (
        "contacts.list lead_status",
        lambda tk, f, s: tk.contacts.list(f.team_id, lead_status="qualifed"),  # type: ignore[arg-type]
        "lead_status='qualifed'",
        "qualified",
    ),
    (
        "contacts.create lead_status",
        lambda tk, f, s: tk.contacts.create(
            f.team_id,
            s["company"],
            "A",
            "B",
            lead_status="contacte",  # type: ignore[arg-type]
        ),
        "lead_status='contacte'",
        "contacted",
    ),
    (
        "contacts.create preferred_contact_method",
        lambda tk, f, s: tk.contacts.create(
            f.team_id,
            s["company"],
            "A",
            "B",
            preferred_contact_method="emial",  # type: ignore[arg-type]
        ),
        "preferred_contact_method='emial'",
        "email",
    ),
    (
        "contacts.update lead_status",
        lambda tk, f, s: tk.contacts.update(s["contacts"][0], lead_status="qualifed"),  # type: ignore[arg-type]
        "lead_status='qualifed'",
        "qualified",
    ),
    (
        "campaigns.update status",
        lambda tk, f, s: tk.campaigns.update(s["campaign"], status="pausd"),  # type: ignore[arg-type]
        "status='pausd'",
        "paused",
    ),
    (
        "campaigns.update voicemail_action",
        lambda tk, f, s: tk.campaigns.update(s["campaign"], voicemail_action="hang_up"),  # type: ignore[arg-type]
        "voicemail_action='hang_up'",
        "hangup",
    ),
    (
        "campaigns.add_contacts audience mode",
        lambda tk, f, s: tk.campaigns.add_contacts(
            s["campaign"],
            audience={"mode": "all_eligble"},  # type: ignore[arg-type]
        ),
        "mode='all_eligble'",
        "all_eligible",
    ),
    (
        "phone_numbers.search number_type",
        lambda tk, f, s: tk.phone_numbers.search("US", number_type="tollfree"),  # type: ignore[arg-type]
        "number_type='tollfree'",
        "toll-free",
    ),
    (
        "assistants.create template_id",
        lambda tk, f, s: tk.assistants.create("Bot", f.account_slug, template_id="follow_up"),  # type: ignore[arg-type]
        "template_id='follow_up'",
        "follow-up",
    ),
    (
        "assistants.update mode",
        lambda tk, f, s: tk.assistants.update(s["bot"], mode="realtim"),  # type: ignore[arg-type]
        "mode='realtim'",
        "realtime",
    ),
]


@pytest.mark.parametrize(
    ("call", "named", "closest"),
    [case[1:] for case in BAD_LITERALS],
    ids=[case[0] for case in BAD_LITERALS],
)
async def test_a_value_outside_its_literal_is_refused(
    fake: FakeTalkturo, tk: Talkturo, call: Refused, named: str, closest: str
) -> None:
    """ValueError naming the argument, its value and the closest valid value; nothing is sent."""
    state = seed(fake, 1)
    before = len(fake.requests)
    with pytest.raises(ValueError, match=re.escape(named)) as info:
        result = call(tk, fake, state)
        if inspect.isawaitable(result):
            await result
    message = str(info.value)
    assert named in message and f"did you mean {closest!r}?" in message
    assert len(fake.requests) == before


async def test_a_value_far_from_every_literal_lists_the_valid_ones(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """With nothing close, the message lists every valid value."""
    with pytest.raises(ValueError, match="'draft', 'scheduled', 'running'") as info:
        tk.campaigns.list(fake.team_id, status="zzz")  # type: ignore[arg-type]
    assert "did you mean" not in str(info.value)
    assert fake.requests == []


# --- typed update fields ----------------------------------------------------------------------------

UNKNOWN_FIELDS: list[tuple[str, Refused, str, str]] = [
    (
        "contacts",
        lambda tk, f, s: tk.contacts.update(s["contacts"][0], job_tilte="CTO"),  # type: ignore[call-arg]
        "job_tilte",
        "job_title",
    ),
    (
        "contacts camelCase typo",
        lambda tk, f, s: tk.contacts.update(s["contacts"][0], jobTilte="CTO"),  # type: ignore[call-arg]
        "jobTilte",
        "job_title",
    ),
    (
        "companies",
        lambda tk, f, s: tk.companies.update(s["company"], citty="Oslo"),  # type: ignore[call-arg]
        "citty",
        "city",
    ),
    (
        "campaigns",
        lambda tk, f, s: tk.campaigns.update(s["campaign"], nmae="Q2"),  # type: ignore[call-arg]
        "nmae",
        "name",
    ),
    (
        "assistants",
        lambda tk, f, s: tk.assistants.update(s["bot"], first_mesage="Hi"),  # type: ignore[call-arg]
        "first_mesage",
        "first_message",
    ),
    (
        "campaign audience",
        lambda tk, f, s: tk.campaigns.add_contacts(
            s["campaign"],
            audience={"mode": "all_eligible", "has_phone": True},  # type: ignore[arg-type]
        ),
        "has_phone",
        "has_phone_only",
    ),
]


@pytest.mark.parametrize(
    ("call", "field", "closest"),
    [case[1:] for case in UNKNOWN_FIELDS],
    ids=[case[0] for case in UNKNOWN_FIELDS],
)
async def test_an_unknown_field_is_refused_with_the_closest_name(
    fake: FakeTalkturo, tk: Talkturo, call: Refused, field: str, closest: str
) -> None:
    """TypeError "unknown field 'x'; did you mean 'y'?" and nothing sent (it used to be ignored)."""
    state = seed(fake, 1)
    before = len(fake.requests)
    with pytest.raises(
        TypeError, match=re.escape(f"unknown field {field!r}; did you mean {closest!r}?")
    ):
        await call(tk, fake, state)
    assert len(fake.requests) == before


async def test_a_field_in_both_spellings_is_refused(fake: FakeTalkturo, tk: Talkturo) -> None:
    """first_name and firstName together are refused, not half-dropped; no fields is refused."""
    state = seed(fake, 1)
    contact = state["contacts"][0]
    before = len(fake.requests)
    with pytest.raises(TypeError, match="'first_name' is given twice"):
        await tk.contacts.update(contact, first_name="A", firstName="B")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'first_message' is given twice"):
        await tk.assistants.update(state["bot"], first_message="A", firstMessage="B")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="at least one field"):
        await tk.companies.update(state["company"])
    assert len(fake.requests) == before


async def test_contact_update_round_trips_typed_fields(fake: FakeTalkturo, tk: Talkturo) -> None:
    """Set fields (camelCase accepted at run time), clear one with None; the wire is camelCase."""
    contact = seed(fake, 1)["contacts"][0]
    updated = await tk.contacts.update(
        contact, job_title="CTO", lead_status="qualified", notes="met at expo", do_not_call=True
    )
    assert fake.requests[-1].body == {
        "jobTitle": "CTO",
        "leadStatus": "qualified",
        "notes": "met at expo",
        "doNotCall": True,
    }
    assert (updated.job_title, updated.lead_status, updated.notes, updated.do_not_call) == (
        "CTO",
        "qualified",
        "met at expo",
        True,
    )
    # the hints name no camelCase field: call through an untyped view
    update = cast("Callable[..., Awaitable[Contact]]", tk.contacts.update)
    cleared = await update(contact, notes=None, preferredContactMethod="email")
    assert fake.requests[-1].body == {"notes": None, "preferredContactMethod": "email"}
    assert cleared.notes is None and cleared.preferred_contact_method == "email"


async def test_company_campaign_assistant_updates_round_trip(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """Each typed update sends its wire names and reads the change back."""
    state = seed(fake)
    company = await tk.companies.update(state["company"], postal_code="0150", website=None)
    assert fake.requests[-1].body == {"postalCode": "0150", "website": None}
    assert company.postal_code == "0150" and company.website is None
    camp = await tk.campaigns.update(
        state["campaign"], call_window_start="10:00", voicemail_action="hangup", description=None
    )
    assert fake.requests[-1].body == {
        "callWindowStart": "10:00",
        "voicemailAction": "hangup",
        "description": None,
    }
    assert camp.call_window_start == "10:00" and camp.description is None
    # the hints name no camelCase field: call through an untyped view
    update = cast("Callable[..., Awaitable[Assistant]]", tk.assistants.update)
    bot = await update(state["bot"], firstMessage="Hi", max_tokens=512)
    assert fake.requests[-1].body == {"first_message": "Hi", "max_tokens": 512}
    assert bot.first_message == "Hi" and bot.max_tokens == 512


async def test_audience_keys_go_out_in_camel_case(fake: FakeTalkturo, tk: Talkturo) -> None:
    """A typed audience (snake_case keys, camelCase accepted) is sent with camelCase wire keys."""
    state = seed(fake, 2)
    result = await tk.campaigns.add_contacts(
        state["campaign"],
        audience={
            "mode": "all_eligible",
            "company_id": state["company"],
            "has_phone_only": True,
            "max_to_add": 10,
        },
    )
    assert as_dict(fake.requests[-1].body)["audience"] == {
        "mode": "all_eligible",
        "companyId": state["company"],
        "hasPhoneOnly": True,
        "maxToAdd": 10,
    }
    assert result.added == 2


# --- blank strings ----------------------------------------------------------------------------------


async def test_blank_strings_count_as_missing(fake: FakeTalkturo, tk: Talkturo) -> None:
    """An empty or blank exactly-one-of or required string raises naming it; nothing is sent."""
    state = seed(fake, 1)
    before = len(fake.requests)
    with pytest.raises(ValueError, match="team_id"):
        tk.companies.list(team_id="", account_slug="acme")
    with pytest.raises(ValueError, match="account_slug"):
        tk.companies.list(team_id=fake.team_id, account_slug="  ")
    with pytest.raises(ValueError, match="team_id"):
        tk.companies.list(team_id=" ")
    with pytest.raises(ValueError, match="team_id is required"):
        tk.contacts.list(team_id="  ")
    with pytest.raises(ValueError, match="name is required"):
        await tk.companies.create(fake.team_id, " ")
    with pytest.raises(ValueError, match="contact_ids"):
        await tk.campaigns.add_contacts(
            state["campaign"], contact_ids=[], audience={"mode": "all_eligible"}
        )
    with pytest.raises(ValueError, match="contact_ids"):
        await tk.campaigns.add_contacts(state["campaign"], contact_ids=[" "])
    with pytest.raises(ValueError, match="account_slug"):
        await tk.assistants.update(state["bot"], account_slug="", name="x")
    assert len(fake.requests) == before


# --- docstrings ---------------------------------------------------------------------------------------

RESOURCES = (Auth, Assistants, Campaigns, Contacts, Companies, PhoneNumbers, KnowledgeBase)


@pytest.mark.parametrize(
    "method",
    [
        getattr(cls, name)
        for cls in RESOURCES
        for name in sorted(vars(cls))
        if not name.startswith("_") and callable(getattr(cls, name))
    ],
    ids=lambda m: m.__qualname__,
)
def test_every_public_method_takes_options_keyword_only(method: Any) -> None:
    """Every seed-group method takes ``options=`` as a keyword-only argument (its docstring is
    checked with every other public method's by tests/test_docstrings.py)."""
    parameter = inspect.signature(method).parameters.get("options")
    assert parameter is not None, f"{method.__qualname__} takes no options="
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY


async def test_contact_update_checks_values_like_create(fake: FakeTalkturo, tk: Talkturo) -> None:
    """update normalises a phone as create does; a bad phone or a cleared company is refused."""
    contact = seed(fake, 1)["contacts"][0]
    updated = await tk.contacts.update(contact, phone="0044 20 7946 0958")
    assert fake.requests[-1].body == {"phone": "+442079460958"}
    assert updated.phone == "+442079460958"
    before = len(fake.requests)
    with pytest.raises(ValueError, match="phone: '12345' is not an international"):
        await tk.contacts.update(contact, phone="12345")
    with pytest.raises(ValueError, match="company_id is required"):
        await tk.contacts.update(contact, company_id=" ")
    with pytest.raises(ValueError, match="name is required"):
        await tk.campaigns.update(seed(fake)["campaign"], name="")
    assert len(fake.requests) == before
